package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/stats"
)

// overrideFlags are the run flags that set one parameter each, applied in
// this order after every --set.
var overrideFlags = []struct {
	flag, param, usage string
}{
	{"seed", "seed", "`SEED` of the random stream"},
	{"periods", "n_periods", "run `N` periods"},
	{"firms", "n_firms", "`N` firms"},
	{"households", "n_households", "`N` households"},
	{"banks", "n_banks", "`N` banks"},
}

// studyPopulationFlags are the override flags of the studies (validate,
// stability, sweep, compare, robustness): all but --seed, whose seeds come
// from --seed-start and --seeds; note is added to each usage.
func studyPopulationFlags(note string) []cli.Flag {
	var flags []cli.Flag
	for _, o := range overrideFlags {
		if o.flag != "seed" {
			flags = append(flags, &cli.StringFlag{Name: o.flag, Usage: fmt.Sprintf("%s (sets %s%s)", o.usage, o.param, note),
				DefaultText: scenarioDefault(o.param)})
		}
	}
	return flags
}

// applyStudyPopulation applies the study override flags that are set to
// every scenario of scs.
func applyStudyPopulation(c *cli.Context, scs ...*scenarios.Scenario) error {
	for _, o := range overrideFlags {
		if o.flag != "seed" && c.IsSet(o.flag) {
			for _, sc := range scs {
				if err := setAs(sc, o.flag, o.param, c.String(o.flag)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// runCommand is `bam run [flags] [SCENARIO]`.
func runCommand(e *env) *cli.Command {
	var flags []cli.Flag
	for _, o := range overrideFlags {
		flags = append(flags, &cli.StringFlag{
			Name:        o.flag,
			Usage:       fmt.Sprintf("%s (sets %s)", o.usage, o.param),
			DefaultText: scenarioDefault(o.param),
		})
	}
	flags = append(flags,
		setFlag(),
		&cli.StringFlag{
			Name:  "out",
			Usage: "output folder `DIR`; must not exist or be empty (default: runs/<scenario>-seed<N>-<YYYYMMDD-HHMMSS>)",
		},
		&cli.StringFlag{
			Name:  "log-level",
			Value: "warn",
			Usage: "log `LEVEL` on stderr: debug, info, warn or error",
		},
		&cli.BoolFlag{
			Name:    "quiet",
			Aliases: []string{"q"},
			Usage:   "do not print the summary",
		},
		&cli.BoolFlag{
			Name:  "plot",
			Usage: "also draw " + figuresFile + " (the figures of bam plot) into the output folder",
		},
		maxMemoryFlag(),
	)
	flags = append(flags, profileCLIFlags()...)
	flags = append(flags, collectCLIFlags()...)
	flags = append(flags, checkpointCLIFlags()...)
	return &cli.Command{
		Name:      "run",
		Usage:     "run a scenario and write economy.csv, firms.csv and run.json",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs SCENARIO (an embedded name or a TOML file; default: the embedded baseline)\n" +
			"for n_periods periods, or until the economy collapses, and writes into the output\n" +
			"folder:\n" +
			"  economy.csv  one row per period (unemployment, inflation, gdp, ...)\n" +
			"  firms.csv    the last period's firms, one row per firm\n" +
			"  run.json     the manifest: version, parameters, pipeline, timing\n" +
			"  collect-firms.csv, collect-households.csv, collect-banks.csv, collect-economy.csv\n" +
			"               with --collect: the collected variables, one file per agent kind,\n" +
			"               a row per period and agent (firms and banks with a persistent\n" +
			"               id), a column per variable (.parquet with --format parquet, which\n" +
			"               also writes economy.parquet; --layout long or wide for the other\n" +
			"               layouts); see docs/results.md\n" +
			"--id-columns seed (or scenario,seed,beta, ...) starts every table with those\n" +
			"constant columns, for concatenating the tables of many runs.\n" +
			"Parameter flags (--seed, --periods, --firms, --households, --banks) are applied\n" +
			"after every --set. A failed or interrupted run leaves no output folder.\n" +
			"--cpuprofile and --trace cover the run's periods (not the initialisation, nor\n" +
			"writing the output); --memprofile is the allocation profile of the whole process\n" +
			"at the end of the run. They are written at the given paths, outside the output\n" +
			"folder, and only if the run succeeds.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return runScenario(c, e) },
	}
}

// runScenario is the action of `bam run`.
func runScenario(c *cli.Context, e *env) (err error) {
	started := e.now()
	level, err := parseLevel(c.String("log-level"))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))

	// Resolve the scenario and build the simulation: every input error is
	// found before anything is written.
	ck, err := newCheckpointer(c)
	if err != nil {
		return err
	}
	sc, err := ck.scenario(c)
	if err != nil {
		return err
	}
	for _, o := range overrideFlags {
		if c.IsSet(o.flag) {
			if err := setAs(sc, o.flag, o.param, c.String(o.flag)); err != nil {
				return err
			}
		}
	}
	if err := checkProfileFlags(c); err != nil {
		return err
	}
	log.Debug("scenario", "name", sc.Name, "source", sc.Source, "hooks", len(sc.Hooks), "custom_pipeline", sc.Pipeline != nil)
	log.Debug("parameters", paramAttrs(&sc.Params)...)

	var specs []bam.CollectSpec
	if c.IsSet("collect") {
		specs, _ = bam.ParseCollect(c.String("collect")) // setupCollect reports a bad --collect
	}
	if err := checkMemory(c, sc, 1, specs); err != nil {
		return err
	}
	t0 := time.Now()
	sim, err := ck.simulation(sc)
	initDur := time.Since(t0)
	if err != nil {
		return err
	}
	log.Debug("pipeline", "systems", strings.Join(sim.Pipeline.Names(), ","))

	col, err := setupCollect(c, sim)
	if err != nil {
		return err
	}

	var out *results.Run
	if c.IsSet("out") {
		target := c.String("out")
		if err := checkOutTarget(target); err != nil {
			return err
		}
	}
	// Profile files are created before the output folder, so that an
	// unwritable profile path leaves no folder behind.
	prof, err := createProfiles(c)
	if err != nil {
		return err
	}
	defer prof.close()
	target := defaultOutBase(sc.Name, sc.Params.Seed, started)
	if c.IsSet("out") {
		target = c.String("out")
	}
	cleanStale(target, e.stderr, e.program())
	if c.IsSet("out") {
		out, err = results.Create(target)
	} else {
		out, err = results.CreateUnique(target)
	}
	if err != nil {
		return err
	}
	defer out.Discard()
	runCtx, err := ck.start(c.Context, sim, out.Dir())
	if err != nil {
		return fmt.Errorf("output folder %s: %w", out.Target(), err)
	}
	// A run that fails or is stopped (Ctrl-C, SIGTERM, a full disk, a
	// commit that fails) keeps the checkpoints it wrote, beside the target.
	defer func() {
		if err != nil {
			ck.rescue(out.Target(), e.stderr, e.program())
		}
	}()

	p := &sc.Params
	n := p.NPeriods - sim.Period()
	ck.logResume(log)
	log.Info("running", "scenario", sc.Name, "seed", p.Seed, "periods", n,
		"firms", p.NFirms, "households", p.NHouseholds, "banks", p.NBanks, "init", initDur)
	if err := prof.start(); err != nil {
		return err
	}
	bar := startProgress(e, sim, n, fmt.Sprintf("%s, seed %d: periods %d–%d", sc.Name, p.Seed, sim.Period()+1, p.NPeriods), c.Bool("quiet"))
	ran, runDur, err := runSimulation(runCtx, sim, n)
	bar.finish()
	err = ck.finish(sim, err)
	if err != nil {
		return err
	}
	if err := prof.stop(); err != nil {
		return err
	}
	if sim.Collapsed() {
		log.Warn("economy collapsed", "period", sim.Period(), "periods_requested", n)
	}
	log.Info("run finished", "periods_run", ran, "run", runDur)

	listed := ck.written()
	if listed, err = addFigures(c, out.Dir(), sim, sc, listed); err != nil {
		return fmt.Errorf("output folder %s: %w", out.Target(), err)
	}
	m := results.NewManifest(sim)
	m.Program = e.program()
	m.ResumedFrom = ck.resumedFrom()
	m.Timing = results.Timing{
		InitSeconds:      initDur.Seconds(),
		RunSeconds:       runDur.Seconds(),
		PerPeriodSeconds: perPeriod(runDur, ran).Seconds(),
	}
	m.StartedAt = started.Format(time.RFC3339)
	opts := append([]results.Option{results.WithManifest(m), results.Listed(listed...)}, col.options()...)
	if _, err := out.Write(sim, opts...); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	prof.keep()
	log.Info("wrote output", "dir", out.Target(), "files", strings.Join(m.Files, ","))
	// A state that went NaN or ±Inf stopped the run: the periods run are
	// written as usual, then the command fails naming the period and series.
	if err := sim.Err(); err != nil {
		return fmt.Errorf("run stopped: %w; the %d periods run are in %s", err, sim.Period(), out.Target())
	}

	if !c.Bool("quiet") {
		if err := printSummary(e.stdout, sim, m, initDur, runDur, ran, out.Target()); err != nil {
			return fmt.Errorf("writing summary: %w", err)
		}
	}
	return nil
}

// runChunk is the number of periods run between two checks for
// cancellation.
const runChunk = 16

// runSimulation runs n periods of sim (fewer if the economy collapses) and
// returns the number run and the wall time. The periods are run with
// sim.Run in chunks of runChunk, checking ctx between chunks: a
// cancellation stops the simulation at the end of the current chunk and
// returns errInterrupted.
func runSimulation(ctx context.Context, sim *bam.Simulation, n int) (int, time.Duration, error) {
	start := time.Now()
	sim.Reserve(n)
	ran := 0
	for ran < n && ctx.Err() == nil {
		k := min(runChunk, n-ran)
		got := sim.Run(k)
		ran += got
		if got < k {
			break // collapsed
		}
	}
	if ctx.Err() != nil && ran < n && !sim.Collapsed() {
		return ran, time.Since(start), fmt.Errorf("run %w after %d of %d periods", errInterrupted, ran, n)
	}
	return ran, time.Since(start), nil
}

// parseLevel parses the --log-level value.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, badInput("--log-level %s: want one of debug, info, warn, error", quoteArg(s))
}

// paramAttrs returns every parameter as a log attribute, in spec order.
func paramAttrs(p *ecs.Params) []any {
	attrs := make([]any, 0, len(ecs.ParamSpecs))
	for i := range ecs.ParamSpecs {
		s := &ecs.ParamSpecs[i]
		attrs = append(attrs, slog.String(s.Name, s.Text(p)))
	}
	return attrs
}

// perPeriod returns d / periods (0 when no period ran).
func perPeriod(d time.Duration, periods int) time.Duration {
	if periods <= 0 {
		return 0
	}
	return d / time.Duration(periods)
}

// printSummary writes the human summary of a finished run, of which ran
// periods ran now (fewer than m.PeriodsRun after --resume) in runDur.
func printSummary(w io.Writer, sim *bam.Simulation, m *manifest, initDur, runDur time.Duration, ran int, dir string) error {
	rows := sim.History.Rows
	T := len(rows)
	half := rows[T/2:]
	var u, pi []float64
	firmExits, bankExits := 0, 0
	for i := range half {
		u = append(u, half[i].Unemployment)
		pi = append(pi, half[i].Inflation)
	}
	for i := range rows {
		firmExits += rows[i].FirmExits
		bankExits += rows[i].BankExits
	}
	window := "no period run"
	if len(half) > 0 {
		window = fmt.Sprintf("mean over periods %d-%d", half[0].Period, half[len(half)-1].Period)
	}
	perT := func(k int) float64 {
		if T == 0 {
			return math.NaN()
		}
		return float64(k) / float64(T)
	}

	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-13s %s\n", label, fmt.Sprintf(format, args...))
	}
	line("scenario", "%s (%s)", m.Scenario, m.ScenarioSource)
	line("seed", "%d", m.Seed)
	line("population", "%d firms, %d households, %d banks", m.Population.Firms, m.Population.Households, m.Population.Banks)
	if m.Collapsed {
		line("periods", "%d of %d: collapsed at period %d", m.PeriodsRun, m.Periods, sim.Period())
	} else {
		line("periods", "%d of %d", m.PeriodsRun, m.Periods)
	}
	line("unemployment", "%.2f%% (%s)", 100*stats.Mean(u), window)
	line("inflation", "%.2f%% (%s)", 100*stats.Mean(pi), window)
	line("firm exits", "%s firms per period (%d in %d periods)", sig3(perT(firmExits)), firmExits, T)
	line("bank exits", "%s banks per period (%d in %d periods)", sig3(perT(bankExits)), bankExits, T)
	line("wall time", "init %s, %d periods in %s: %s per period",
		fmtDuration(initDur), ran, fmtDuration(runDur), fmtPerPeriod(perPeriod(runDur, ran)))
	line("output", "%s (%s)", dir, strings.Join(m.Files, ", "))
	_, err := io.WriteString(w, b.String())
	return err
}
