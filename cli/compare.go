package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// compareFigure is the figure bam compare draws into its folder.
const compareFigure = "compare.png"

// compareCommand is `bam compare [flags] [SCENARIO]`.
func compareCommand(e *env) *cli.Command {
	flags := studyPopulationFlags(", in both arms")
	flags = append(flags,
		setFlag(),
		&cli.StringFlag{Name: "treatment", Usage: "the treatment arm's scenario `SCENARIO` (default: the baseline's, changed by --treat)"},
		&cli.StringSliceFlag{Name: "treat", Usage: "set `NAME=VALUE` in the treatment arm only (repeatable)"},
		&cli.StringFlag{Name: "series", Value: "unemployment_rate,inflation,log_gdp,real_wage", Usage: "the economy series `S1,S2,...` to compare"},
		&cli.StringFlag{Name: "seeds", Value: "20", Usage: "run both arms with the same `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`"},
		&cli.StringFlag{Name: "burn-in", Value: "0", DefaultText: halfBurnIn(), Usage: "compare the means after `B` periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` jobs at once (default: the number of CPUs); the results do not depend on it"},
		&cli.StringFlag{Name: "out", Usage: "output folder `DIR` (required); a rerun with the same DIR resumes"},
		maxMemoryFlag(),
	)
	shardFlag := &cli.StringFlag{Name: "shard", Usage: "run only shard `i/N` of the jobs; merge the shards with bam compare merge"}
	return &cli.Command{
		Name:      "compare",
		Usage:     "compare a treatment with a baseline on the same seeds: bands, paired differences, a t-test",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs the baseline (SCENARIO, default the embedded baseline) and the treatment\n" +
			"(--treatment SCENARIO, and/or --treat NAME=VALUE on the baseline's copy; a program built\n" +
			"on cli.Main can name a scenario with its own systems) with the same seeds, journaled\n" +
			"like bam sweep. For each --series it gives, per period, each arm's mean over seeds\n" +
			"with its 95 % band and the paired difference (treatment − baseline, seed by seed)\n" +
			"with its band; over the post-burn-in window, the difference in means with its 95 %\n" +
			"interval and a paired t-test. Writes compare.csv, compare_periods.csv, " + compareFigure + "\n" +
			"and the sweep tables of the two arms into --out. See docs/experiments.md.",
		Flags:  append(flags, shardFlag),
		Action: func(c *cli.Context) error { return compareAction(c, e) },
		Subcommands: []*cli.Command{
			{
				Name:      "merge",
				Usage:     "merge the journals and kept series of a comparison's shards, and compare",
				ArgsUsage: "DIR...",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "out", Usage: "write the results into `DIR` (default: the first DIR)"},
					&cli.StringFlag{Name: "series", Value: "unemployment_rate,inflation,log_gdp,real_wage", Usage: "the economy series `S1,S2,...` to compare"},
				},
				Action: func(c *cli.Context) error { return compareMerge(c, e) },
			},
			{
				Name:      "slurm",
				Usage:     "write (and with --submit, submit) the comparison as a Slurm job array and its merge job",
				ArgsUsage: "[SCENARIO]",
				Flags:     append(append([]cli.Flag{}, flags...), slurmFlags("jobs")...),
				Action:    func(c *cli.Context) error { return compareSlurm(c, e) },
			},
		},
	}
}

// parseCompare resolves the flags of bam compare (and compare slurm): the
// comparison, its series, --out and the treatment's label.
func parseCompare(c *cli.Context) (s *experiments.Sweep, series []string, out, label string, err error) {
	fail := func(e error) (*experiments.Sweep, []string, string, string, error) { return nil, nil, "", "", e }
	base, err := loadScenario(c)
	if err != nil {
		return fail(err)
	}
	treat := base.Clone()
	if c.IsSet("treatment") {
		if treat, err = scenarios.Load(c.String("treatment")); err != nil {
			return fail(err)
		}
		for _, a := range c.StringSlice("set") {
			if err := treat.Set(a); err != nil {
				return fail(err)
			}
		}
	}
	if err := applyStudyPopulation(c, base, treat); err != nil {
		return fail(err)
	}
	for _, a := range c.StringSlice("treat") {
		if err := treat.Set(a); err != nil {
			return fail(err)
		}
	}
	if reflect.DeepEqual(base.Params, treat.Params) && reflect.DeepEqual(base.Pipeline, treat.Pipeline) &&
		reflect.DeepEqual(base.Hooks, treat.Hooks) && reflect.DeepEqual(base.Extensions, treat.Extensions) {
		return fail(badInput("compare: the treatment is the baseline; give --treatment SCENARIO or --treat NAME=VALUE"))
	}
	out = c.String("out")
	if out == "" {
		return fail(badInput("compare: --out DIR is required (the journal, the tables and the figure go there)"))
	}
	series = strings.Split(c.String("series"), ",")
	for i := range series {
		series[i] = strings.TrimSpace(series[i])
	}
	n, err := strconv.Atoi(c.String("seeds"))
	if err != nil || n < 2 {
		return fail(badInput("--seeds %s: want an integer >= 2 (the bands and the test need two seeds)", quoteArg(c.String("seeds"))))
	}
	start, err := parseSeedStart("seed-start", c.String("seed-start"), n)
	if err != nil {
		return fail(err)
	}
	s = experiments.NewComparison(base, treat, start, n)
	if s.BurnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return fail(badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in"))))
	}
	s.Workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if s.Workers, err = strconv.Atoi(c.String("workers")); err != nil || s.Workers < 1 {
			return fail(badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers"))))
		}
	}
	for _, name := range series {
		if !slices.Contains(experiments.SeriesNames(), name) {
			return fail(badInput("--series %s: not an economy series (bam run writes them in economy.csv: %s)", quoteArg(name), strings.Join(experiments.SeriesNames(), ", ")))
		}
	}
	label = treat.Source
	if ts := c.StringSlice("treat"); len(ts) > 0 {
		label += " with " + strings.Join(ts, " ")
	}
	return s, series, out, label, nil
}

// compareAction is the action of bam compare.
func compareAction(c *cli.Context, e *env) error {
	s, series, out, label, err := parseCompare(c)
	if err != nil {
		return err
	}
	if c.IsSet("shard") {
		sh, err := stability.ParseShard(c.String("shard"))
		if err != nil {
			return badInput("--shard: %v", err)
		}
		s.Shard = &sh
	}
	base, n := s.Arms[0], s.NSeeds
	if err := checkMemory(c, base, min(s.Workers, 2*n), nil); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("compare: --out %s: %w", out, pathErrCause(err))
	}
	bar := newJobBar(e, "jobs to run: the seeds of both arms", "jobs", len(s.Jobs()))
	s.OnJob = bar.update
	res, err := s.Run(c.Context, out)
	bar.clear()
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("compare %w: the finished jobs are in %s; run the same command again to resume", errInterrupted, out)
		}
		if errors.Is(err, experiments.ErrUnusable) || errors.Is(err, experiments.ErrBadDesign) {
			return &inputError{err}
		}
		return fmt.Errorf("compare: %w", err)
	}
	if s.Shard != nil {
		_, err := fmt.Fprintf(e.stdout, "shard %s: %d jobs (%s); when every shard is done: bam compare merge DIR... --out DIR\n",
			s.Shard, len(res.Summaries), journalCounts(res.Ran, res.FromJournal, "jobs", "journal"))
		return err
	}
	if err := s.Write(out, res.Summaries, sweepMetadata(s.Workers, res.Wall, res.Ran, res.FromJournal, res.Summaries, "compare")); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "baseline %s vs treatment %s: %d seeds each (%s), %s\n\n",
		base.Source, label, n, journalCounts(res.Ran, res.FromJournal, "jobs", "journal"), fmtDuration(res.Wall))
	return writeComparison(e, s, series, out)
}

// writeComparison compares the finished comparison in out and writes and
// prints the results.
func writeComparison(e *env, s *experiments.Sweep, series []string, out string) error {
	cmp, err := s.Compare(out, series)
	if err != nil {
		return err
	}
	if err := cmp.Write(out); err != nil {
		return err
	}
	var fig bytes.Buffer
	if err := cmp.Plot(&fig, "png", 0, 0); err != nil {
		return fmt.Errorf("compare: drawing %s: %w", compareFigure, err)
	}
	if err := stability.WriteFileAtomic(filepath.Join(out, compareFigure), fig.Bytes()); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "series\tbaseline\ttreatment\tdifference\t95 %% interval\tp (paired t)\n")
	for _, r := range cmp.Series {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s … %s\t%s\n", r.Name, style.Value(r.BaselineMean), style.Value(r.TreatmentMean),
			style.Value(r.DiffMean), style.Value(r.DiffLo), style.Value(r.DiffHi), style.Value(r.P))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\npost-burn-in means (after %d periods); tables and %s in %s\n", cmp.BurnIn, compareFigure, out)
	return err
}

// compareMerge is the action of bam compare merge.
func compareMerge(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return badInput("compare merge: no folder given; usage: bam compare merge DIR... [--out DIR]")
	}
	dirs := c.Args().Slice()
	s, sums, journals, err := experiments.Merge(dirs)
	if err != nil {
		return &inputError{fmt.Errorf("compare merge: %w", err)}
	}
	if s.Design.Kind != "arms" {
		return badInput("compare merge: %s holds a sweep, not a comparison (merge it with bam sweep merge)", dirs[0])
	}
	out := c.String("out")
	if out == "" {
		out = dirs[0]
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("compare merge: --out %s: %w", out, pathErrCause(err))
	}
	if err := experiments.CopySeries(s, dirs, out); err != nil {
		if errors.Is(err, experiments.ErrUnusable) {
			return &inputError{err}
		}
		return err
	}
	if err := s.Write(out, sums, sweepMetadata(0, 0, 0, len(sums), sums, "merge")); err != nil {
		return err
	}
	series := strings.Split(c.String("series"), ",")
	for i := range series {
		series[i] = strings.TrimSpace(series[i])
	}
	fmt.Fprintf(e.stdout, "merged %d journals: %d seeds per arm\n\n", len(journals), s.NSeeds)
	return writeComparison(e, s, series, out)
}

// compareSlurm is the action of bam compare slurm.
func compareSlurm(c *cli.Context, e *env) error {
	if _, _, _, _, err := parseCompare(c); err != nil {
		return err
	}
	return writeStudySlurm(c, e, "compare", "a policy comparison", c.String("out"), "--series", c.String("series"))
}
