// Command bam runs the BAM (Bottom-up Adaptive Macroeconomics) agent-based
// model of Delli Gatti et al. (2011) from the command line: run scenarios,
// print pipelines and parameters, validate, run seed-stability studies
// (locally or as Slurm job arrays), plot and benchmark. Run `bam help` for
// the commands; package cli documents them and the exit statuses.
//
// The command line is the library package github.com/bam-abm/bam/cli, so a
// program that registers its own systems or extensions can offer the same
// commands for its model (see docs/custom-systems.md).
package main
