// Package study holds the parts of a study engine that know nothing of the
// model or of validation, for bam stability today and for any study of
// many independent jobs (sweeps, calibration) that runs on a cluster or at
// other commits:
//
//   - [SlurmPlan]: the two sbatch scripts of a sharded study, a job array
//     whose task i runs the program with --shard i/N and a merge job, and
//     [Submit], which submits them with the merge after the array
//     (--dependency=afterok);
//   - [ShellQuote] and [ParseJobID], the shell and sbatch conventions they
//     rely on;
//   - [BuildAt]: the program built from another commit of its repository in
//     a temporary git worktree (bam stability --commits).
//
// The journals, shards and result documents of seed-stability studies are
// in validation/stability.
package study
