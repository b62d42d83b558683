// Package results writes and reads run folders: the economy.csv,
// firms.csv and run.json (and, where asked, the collected data as CSV or
// Parquet and economy.parquet) that bam run writes, so that a run driven
// from Go gives a folder that bam plot, the reports and every reader of
// bam run's output take. bam run writes its folder with this package
// ([Run.Write]); there is no second writer.
//
// # Writing
//
// [Write] writes the folder of a finished simulation in one call:
//
//	sim, _ := bam.NewFromScenario(sc)
//	sim.Run(sc.Params.NPeriods)
//	m, err := results.Write("runs/my-run", sim)
//
// The folder is written all or nothing: the files go into a temporary
// folder next to the target, renamed into place at the end; a failure
// leaves nothing behind, and an existing non-empty folder is never
// overwritten ([ErrNotEmpty]). For more control, [Create] (or
// [CreateUnique]) starts a [Run] before the simulation runs (so that a bad
// target is found before the work, like [CheckTarget]), [Run.Dir] takes
// files of the caller's own, [Run.Write] writes the simulation's files
// and [Run.Commit] or [Run.Discard] ends it. Options add the collected
// data ([Collected], [WithLayout]: panel by default, long or wide;
// [WithFormat]: CSV or Parquet), id columns such as the seed in every table
// ([WithIDColumns]), the caller's files ([Listed]) and a manifest with
// timings ([WithManifest], [NewManifest]). Every Parquet file carries the
// run's provenance as key-value metadata ([Metadata]): scenario, seed,
// population, every parameter, program version and commit.
//
// # Reading
//
// [ReadRun] reads a whole folder into a [RunData]: the [Manifest], the
// economy series, firms.csv and the collected data as one [Panel] per
// agent kind. [ReadManifest] decodes run.json alone; [ReadEconomy] and
// [ReadFirms] read economy.csv and firms.csv by column name into a
// [Table]. A file that is missing gives an error wrapping fs.ErrNotExist,
// bad content a [*FormatError].
//
// The files and their columns are described in docs/results.md.
package results
