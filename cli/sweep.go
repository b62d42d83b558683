package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"
	"gonum.org/v1/plot/vg"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/validation/stability"
)

// sweepCommand is `bam sweep [flags] [SCENARIO]` and its merge and slurm
// subcommands.
func sweepCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run a parameter sweep: configurations × seeds, summarised into tidy tables",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs every configuration of a design — a grid (--grid, repeated), a Latin hypercube\n" +
			"(--lhs and --samples) or a design file (--design) — with the same seeds (common\n" +
			"random numbers), and summarises each job over the post-burn-in window: every\n" +
			"economy.csv series' mean and std, the gate's six metrics, the collapse flag and\n" +
			"period (with --score, the validation score and verdict). Writes into --out:\n" +
			"sweep.csv and sweep.parquet (one row per configuration × seed), aggregate.csv and\n" +
			"aggregate.parquet (per configuration: mean, std and 95 % confidence interval over\n" +
			"seeds, collapse rate) and sweep.json. Each finished job is journaled: the same\n" +
			"command resumes after any stop, and the results do not depend on --workers or\n" +
			"on shards merged with bam sweep merge (bam sweep slurm runs the shards as a Slurm\n" +
			"job array). See docs/experiments.md.\n" +
			"Exit status 0, 2 on bad input (an unknown parameter, an empty range, a value out\n" +
			"of range, a journal of another sweep), 3 on an I/O failure, 130/143/129 when\n" +
			"interrupted.",
		Flags:       sweepFlags(),
		Action:      func(c *cli.Context) error { return sweepAction(c, e) },
		Subcommands: []*cli.Command{sweepMergeCommand(e), sweepSlurmCommand(e), sweepPlotCommand(e)},
	}
}

// sweepFlags are the flags of a sweep (bam sweep, bam sweep slurm).
func sweepFlags() []cli.Flag {
	flags := studyPopulationFlags("")
	flags = append(flags,
		setFlag(),
		&cli.StringSliceFlag{Name: "grid", Usage: "a grid axis `NAME=V1,V2,...` (repeat for more axes: every combination is run)"},
		&cli.StringSliceFlag{Name: "lhs", Usage: "a Latin-hypercube range `NAME=LO:HI` (repeat for more parameters; with --samples)"},
		&cli.StringFlag{Name: "samples", Usage: "`N` configurations of the Latin hypercube"},
		&cli.StringFlag{Name: "lhs-seed", Value: "0", Usage: "seed `S` of the Latin hypercube's draws"},
		&cli.StringFlag{Name: "design", Usage: "read the configurations from `FILE` (CSV with a header of parameter names, or TOML [[config]] tables)"},
		&cli.StringFlag{Name: "seeds", Value: "10", Usage: "run each configuration with `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`: every configuration runs seeds S … S+N−1"},
		&cli.StringFlag{Name: "burn-in", Value: "0", DefaultText: halfBurnIn(), Usage: "summarise after `B` periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.BoolFlag{Name: "score", Usage: "also score each job with the scenario's validation suite"},
		&cli.BoolFlag{Name: "keep-series", Usage: "also keep each job's economy series, as series/config-NNNN-seed-S.parquet"},
		&cli.StringFlag{Name: "id-columns", Usage: "start each kept series with the constant columns `LIST`, comma-separated: " +
			"config, scenario and parameter names (e.g. config,seed,beta), so that the files can be concatenated; needs --keep-series"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` jobs at once (default: the number of CPUs); the results do not depend on it"},
		&cli.StringFlag{Name: "shard", Usage: "run only shard `i/N` of the jobs (0 ≤ i < N); merge the shards with bam sweep merge"},
		&cli.StringFlag{Name: "out", Usage: "output folder `DIR` (required); a rerun with the same DIR resumes"},
		maxMemoryFlag(),
	)
	return flags
}

// parseSweep resolves the command line of bam sweep.
func parseSweep(c *cli.Context) (*experiments.Sweep, string, int, error) {
	sc, err := loadScenario(c)
	if err != nil {
		return nil, "", 0, err
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return nil, "", 0, err
	}
	out := c.String("out")
	if out == "" {
		return nil, "", 0, badInput("sweep: --out DIR is required (the journal and the tables go there)")
	}
	s := &experiments.Sweep{Scenario: sc, Score: c.Bool("score"), KeepSeries: c.Bool("keep-series")}
	if c.IsSet("id-columns") {
		if !s.KeepSeries {
			return nil, "", 0, badInput("--id-columns: no series to put them in; it applies to the files of --keep-series")
		}
		if s.SeriesIDColumns, err = experiments.ParseSeriesIDColumns(c.String("id-columns")); err != nil {
			return nil, "", 0, badInput("--id-columns: %s", strings.TrimPrefix(err.Error(), results.ErrIDColumns.Error()+": "))
		}
	}
	if s.NSeeds, err = strconv.Atoi(c.String("seeds")); err != nil || s.NSeeds < 1 {
		return nil, "", 0, badInput("--seeds %s: want an integer >= 1", quoteArg(c.String("seeds")))
	}
	if s.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), s.NSeeds); err != nil {
		return nil, "", 0, err
	}
	if s.BurnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return nil, "", 0, badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	workers := runtime.NumCPU()
	if c.IsSet("workers") {
		if workers, err = strconv.Atoi(c.String("workers")); err != nil || workers < 1 {
			return nil, "", 0, badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers")))
		}
	}
	s.Workers = workers
	if c.IsSet("shard") {
		sh, err := stability.ParseShard(c.String("shard"))
		if err != nil {
			return nil, "", 0, badInput("--shard: %v", err)
		}
		s.Shard = &sh
	}
	if s.Design, err = sweepDesign(c); err != nil {
		return nil, "", 0, err
	}
	return s, out, workers, nil
}

// sweepDesign builds the design of --grid, --lhs or --design (exactly one).
func sweepDesign(c *cli.Context) (*experiments.Design, error) {
	grids, ranges, file := c.StringSlice("grid"), c.StringSlice("lhs"), c.String("design")
	n := 0
	for _, set := range []bool{len(grids) > 0, len(ranges) > 0, file != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, badInput("sweep: give exactly one design: --grid NAME=V1,V2 (repeatable), --lhs NAME=LO:HI with --samples N, or --design FILE")
	}
	if c.IsSet("samples") && len(ranges) == 0 {
		return nil, badInput("--samples: only with --lhs")
	}
	var d *experiments.Design
	var err error
	switch {
	case len(grids) > 0:
		axes := make([]experiments.Axis, len(grids))
		for i, g := range grids {
			if axes[i], err = experiments.ParseAxis(g); err != nil {
				return nil, &inputError{err}
			}
		}
		d, err = experiments.Grid(axes)
	case len(ranges) > 0:
		rs := make([]experiments.Range, len(ranges))
		for i, r := range ranges {
			if rs[i], err = experiments.ParseRange(r); err != nil {
				return nil, &inputError{err}
			}
		}
		samples, err := strconv.Atoi(c.String("samples"))
		if err != nil || samples < 1 {
			return nil, badInput("--samples %s: want an integer >= 1 (the number of configurations of --lhs)", quoteArg(c.String("samples")))
		}
		seed, err := parseSeedStart("lhs-seed", c.String("lhs-seed"), 1)
		if err != nil {
			return nil, err
		}
		d, err = experiments.LatinHypercube(rs, samples, seed)
		if err != nil {
			return nil, &inputError{err}
		}
		return d, nil
	default:
		d, err = experiments.ReadDesign(file)
		if err != nil && !errors.Is(err, experiments.ErrBadDesign) {
			return nil, badInput("--design %s: %v", file, pathErrCause(err))
		}
	}
	if err != nil {
		return nil, &inputError{err}
	}
	return d, nil
}

// sweepAction is the action of bam sweep.
func sweepAction(c *cli.Context, e *env) error {
	s, out, workers, err := parseSweep(c)
	if err != nil {
		return err
	}
	jobs := len(s.Jobs())
	if err := checkMemory(c, s.Scenario, min(workers, jobs), nil); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("sweep: --out %s: %w", out, pathErrCause(err))
	}
	bar := newJobBar(e, "configuration × seed jobs to run", "jobs", jobs)
	s.OnJob = bar.update
	res, err := s.Run(c.Context, out)
	bar.clear()
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("sweep %w: the finished jobs are in %s; run the same command again to resume", errInterrupted, out)
		}
		if errors.Is(err, experiments.ErrUnusable) || errors.Is(err, experiments.ErrBadDesign) {
			return &inputError{err}
		}
		return fmt.Errorf("sweep: %w", err)
	}
	fmt.Fprintf(e.stdout, "%d configurations × %d seeds = %d jobs: %s, %s\n",
		s.Design.Len(), s.NSeeds, len(res.Summaries), journalCounts(res.Ran, res.FromJournal, "jobs", "journal"), fmtDuration(res.Wall))
	if s.Shard != nil {
		fmt.Fprintf(e.stdout, "shard %s done; when every shard is, merge them with: bam sweep merge DIR... --out DIR\n", s.Shard)
		return nil
	}
	meta := sweepMetadata(workers, res.Wall, res.Ran, res.FromJournal, res.Summaries, "sweep")
	if err := s.Write(out, res.Summaries, meta); err != nil {
		return err
	}
	return printSweep(e, s, res.Summaries, out)
}

// sweepMergeCommand is `bam sweep merge DIR... --out DIR`.
func sweepMergeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "merge the journals of a sweep's shards into its tables",
		ArgsUsage: "DIR...",
		Description: "Reads the sweep journals of the folders (the shards of one sweep, run with --shard,\n" +
			"or whole runs of it), checks that they make the whole sweep, and writes the same\n" +
			"tables as a one-machine run into --out (default: the first DIR).",
		Flags: []cli.Flag{&cli.StringFlag{Name: "out", Usage: "write the tables into `DIR`"}},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return badInput("sweep merge: no folder given; usage: bam sweep merge DIR... [--out DIR]")
			}
			t0 := time.Now()
			s, sums, journals, err := experiments.Merge(c.Args().Slice())
			if err != nil {
				return &inputError{fmt.Errorf("sweep merge: %w", err)}
			}
			out := c.String("out")
			if out == "" {
				out = c.Args().First()
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("sweep merge: --out %s: %w", out, pathErrCause(err))
			}
			if err := experiments.CopySeries(s, c.Args().Slice(), out); err != nil {
				if errors.Is(err, experiments.ErrUnusable) {
					return &inputError{err}
				}
				return err
			}
			meta := sweepMetadata(0, time.Since(t0), 0, len(sums), sums, "merge")
			if err := s.Write(out, sums, meta); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "merged %d journals: %d configurations × %d seeds\n", len(journals), s.Design.Len(), s.NSeeds)
			return printSweep(e, s, sums, out)
		},
	}
}

// sweepMetadata is the metadata of sweep.json.
func sweepMetadata(workers int, wall time.Duration, ran, journal int, sums []experiments.Summary, source string) experiments.Metadata {
	b := baseMetadata()
	m := experiments.Metadata{Program: "bam", Workers: workers, WallSeconds: wall.Seconds(), JobsRun: ran, JobsJournal: journal, Source: source,
		Machine: map[string]string{"cpu": b.Machine.CPU, "cores": strconv.Itoa(b.Machine.Cores), "os": b.Machine.OS, "arch": b.Machine.Arch, "hostname": b.Machine.Hostname}}
	if b.Version != nil {
		m.Version = *b.Version
	}
	if b.Commit != nil {
		m.Commit = *b.Commit
	}
	secs := 0.0
	for _, s := range sums {
		secs += s.Seconds
	}
	if len(sums) > 0 {
		m.JobSeconds = secs / float64(len(sums))
	}
	return m
}

// printSweep prints, per configuration, the parameters, the collapse rate
// and the mean unemployment and inflation over seeds, and where the tables
// are.
func printSweep(e *env, s *experiments.Sweep, sums []experiments.Summary, out string) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\n%s\tcollapsed\tunemployment\tinflation", strings.Join(s.Design.Params, "\t"))
	if s.Score {
		fmt.Fprint(tw, "\tscore\tpass rate")
	}
	fmt.Fprintln(tw)
	type acc struct {
		n, collapsed, passed int
		u, pi, score         []float64
	}
	accs := make([]acc, s.Design.Len())
	for _, sum := range sums {
		a := &accs[sum.Config]
		a.n++
		if sum.Collapsed {
			a.collapsed++
		}
		if sum.Passed {
			a.passed++
		}
		a.u = append(a.u, sum.Gate.Unemployment)
		a.pi = append(a.pi, sum.Gate.Inflation)
		a.score = append(a.score, sum.Score)
	}
	for c, a := range accs {
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%s", strings.Join(s.Design.Configs[c], "\t"), a.collapsed, a.n,
			style.Percent(finiteMean(a.u), 2, "%"), style.Percent(finiteMean(a.pi), 2, "%"))
		if s.Score {
			fmt.Fprintf(tw, "\t%s\t%s", style.Value(finiteMean(a.score)), style.Percent(float64(a.passed)/float64(max(a.n, 1)), 1, "%"))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "\ntables in %s: %s, %s, %s, %s, %s\n", out, experiments.TidyCSV, experiments.TidyParquet,
		experiments.AggregateCSV, experiments.AggregateParquet, experiments.SweepJSON)
	return err
}

// finiteMean is the mean of the finite values of x (NaN if none).
func finiteMean(x []float64) float64 {
	s, n := 0.0, 0
	for _, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// sweepSlurmCommand is `bam sweep slurm [sweep flags] --shards N`.
func sweepSlurmCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "slurm",
		Usage:     "write (and with --submit, submit) a sweep as a Slurm job array of shards and its merge job",
		ArgsUsage: "[SCENARIO]",
		Description: "Writes into --out/" + slurmDir + "/ two sbatch scripts: sweep-array.sbatch, a job array of\n" +
			"--shards tasks, task i running this bam sweep with the sweep's flags and --shard i/N,\n" +
			"and sweep-merge.sbatch, running bam sweep merge on --out after the array succeeds\n" +
			"(--dependency=afterok). --submit submits them. The binary, --out, the scenario file\n" +
			"and the design file are written as absolute paths: they must be on a file system\n" +
			"the nodes share. A failed task can be resubmitted alone (sbatch --array=i ...): it\n" +
			"resumes its journal. See docs/experiments.md.",
		Flags:  append(sweepFlags(), slurmFlags("jobs")...),
		Action: func(c *cli.Context) error { return sweepSlurm(c, e) },
	}
}

// sweepSlurm is the action of bam sweep slurm.
func sweepSlurm(c *cli.Context, e *env) error {
	s, out, _, err := parseSweep(c)
	if err != nil {
		return err
	}
	if s.Shard != nil {
		return badInput("sweep slurm: --shard is set per task; leave it out")
	}
	return writeStudySlurm(c, e, "sweep", "a parameter sweep", out)
}

// forwardFlags returns the flags set on c's command, but those in skip, as
// arguments that give the same values to another run of the command: each
// value of a repeated flag, booleans bare, paths to files and folders
// (--design, --treatment, --grid, --morris, --search, --oat, each of
// --scenarios) absolute.
func forwardFlags(c *cli.Context, skip []string) []string {
	var args []string
	for _, f := range c.Command.Flags {
		name := f.Names()[0]
		if slices.Contains(skip, name) || !c.IsSet(name) {
			continue
		}
		switch f.(type) {
		case *cli.StringSliceFlag:
			for _, v := range c.StringSlice(name) {
				args = append(args, "--"+name, v)
			}
		case *cli.BoolFlag:
			if c.Bool(name) {
				args = append(args, "--"+name)
			}
		default:
			v := c.String(name)
			switch name {
			case "design", "treatment", "grid", "morris", "search", "oat":
				v = absIfFile(v)
			case "scenarios":
				names := strings.Split(v, ",")
				for i, n := range names {
					names[i] = absIfFile(strings.TrimSpace(n))
				}
				v = strings.Join(names, ",")
			}
			args = append(args, "--"+name, v)
		}
	}
	return args
}

// absIfFile returns path made absolute if it names an existing file or
// folder (a scenario or design file, a phase's results), else as given
// (an embedded scenario's name).
func absIfFile(path string) string {
	if _, err := os.Stat(path); err != nil {
		return path
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// sweepPlotCommand is `bam sweep plot DIR --metric M --x P [--y Q] -o FILE`.
func sweepPlotCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "draw a sweep's summary against one parameter (mean and 95 % band) or two (heat map)",
		ArgsUsage: "DIR",
		Description: "Reads the aggregate table of the finished sweep in DIR and draws --metric against\n" +
			"--x: the mean over seeds with its 95 % confidence band, one line per combination of\n" +
			"the other parameters; with --y too, a heat map of the mean over the two. The format\n" +
			"is the output's extension: .png, .svg or .pdf.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "metric", Value: "gate_unemployment", Usage: "the summary `M` to draw (a column of aggregate.csv without _mean, or collapse_rate)"},
			&cli.StringFlag{Name: "x", Usage: "the parameter `P` along the x axis (default: the design's first)"},
			&cli.StringFlag{Name: "y", Usage: "a second parameter `Q`: draw a heat map"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "sweep.png", Usage: "write the figure to `FILE` (.png, .svg or .pdf)"},
			&cli.StringFlag{Name: "size", Value: "6in,4in", Usage: "figure size `W,H` (in, cm, mm or pt)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("sweep plot: want one sweep folder; usage: bam sweep plot DIR --metric M --x P [-o FILE]")
			}
			out := c.String("output")
			format, ok := experiments.PlotFormat(out)
			if !ok {
				return badInput("--output %s: want a file name ending in .png, .svg or .pdf", quoteArg(out))
			}
			if err := checkOutputFile("output", out); err != nil {
				return err
			}
			w, h, err := parseSize(c.String("size"))
			if err != nil {
				return err
			}
			a, err := experiments.ReadAggregate(c.Args().First())
			if err != nil {
				return &inputError{err}
			}
			o := experiments.PlotOptions{Metric: c.String("metric"), X: c.String("x"), Y: c.String("y"), Width: w, Height: h}
			if o.X == "" && len(a.Design.Params) > 0 {
				o.X = a.Design.Params[0]
			}
			err = writeAtomic(c.Context, out, func(wr io.Writer) error { return experiments.PlotSweep(wr, format, a, o) })
			if errors.Is(err, experiments.ErrBadDesign) {
				return &inputError{err}
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "wrote %s\n", out)
			return err
		},
	}
}

// parseSize parses a figure size "W,H" with units in, cm, mm or pt.
func parseSize(s string) (w, h vg.Length, err error) {
	a, b, ok := strings.Cut(s, ",")
	if ok {
		w, err = parseLength(a)
	}
	if ok && err == nil {
		h, err = parseLength(b)
	}
	if !ok || err != nil || w <= 0 || h <= 0 || w > 100*vg.Inch || h > 100*vg.Inch {
		return 0, 0, badInput("--size %s: want W,H such as 6in,4in or 9cm,6cm (each in (0, 100in])", quoteArg(s))
	}
	return w, h, nil
}

// parseLength parses a length with its unit.
func parseLength(s string) (vg.Length, error) {
	s = strings.TrimSpace(s)
	for _, u := range []struct {
		suffix string
		unit   vg.Length
	}{{"in", vg.Inch}, {"cm", vg.Centimeter}, {"mm", vg.Millimeter}, {"pt", vg.Points(1)}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			x, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || !(x > 0) || math.IsInf(x, 0) {
				return 0, fmt.Errorf("bad length %q", s)
			}
			return vg.Length(x) * u.unit, nil
		}
	}
	return 0, fmt.Errorf("no unit in %q", s)
}
