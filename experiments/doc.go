// Package experiments runs experiments on the model: many configurations
// (a parameter design) × many seeds, each pair a job, journaled so that a
// study resumes after any stop, run over several workers, cut into shards
// for a cluster and merged back, with the same result whatever the
// workers, shards and interruptions.
//
// A sweep ([Sweep]) runs a [Design] — a grid ([Grid]), a Latin hypercube
// ([LatinHypercube]) or a design file ([ReadDesign]) — over a scenario
// with the same seeds for every configuration (common random numbers), and
// summarises each job ([Summary]): every economy series' mean and standard
// deviation over the post-burn-in window, the gate's six metrics, the
// collapse flag and period, and optionally the validation score. The
// results are a tidy table (one row per configuration × seed), an
// aggregate table per configuration (mean, std and 95 % confidence
// interval over seeds, collapse rate), both as CSV and Parquet, and
// sweep.json describing the study. `bam sweep` is its command line.
package experiments
