package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
)

// benchConfig is what `bam bench` measures and for how long.
type benchConfig struct {
	// seedPeriods is the length of a seed-table run and of a --seeds run.
	seedPeriods int
	// seedRepeats is the number of runs per seed-table row (the median is
	// reported).
	seedRepeats int
	// scalingFirms are the firm counts of the scaling table (households
	// 5 × firms, banks firms/10).
	scalingFirms []int
	// warmup is the number of periods run before a scaling row is timed.
	warmup int
	// minTime and minPeriods: a scaling row times at least this long and at
	// least this many periods.
	minTime    time.Duration
	minPeriods int
}

// Configurations of `bam bench` and `bam bench --quick`.
var (
	fullBench = benchConfig{
		seedPeriods:  1000,
		seedRepeats:  3,
		scalingFirms: []int{100, 200, 500, 1000, 2000, 5000, 10000, 20000},
		warmup:       50,
		minTime:      500 * time.Millisecond,
		minPeriods:   20,
	}
	quickBench = benchConfig{
		seedPeriods:  50,
		seedRepeats:  1,
		scalingFirms: []int{100, 200, 500},
		warmup:       5,
		minTime:      20 * time.Millisecond,
		minPeriods:   5,
	}
)

// largeFirms is the firm count --large adds to the scaling table
// (1 220 000 agents).
const largeFirms = 200000

// seedSizes are the rows of the seed table: bamengine's benchmark
// configurations.
var seedSizes = []struct {
	config                   string
	firms, households, banks int
}{
	{"small", 100, 500, 10},
	{"medium", 200, 1000, 10},
	{"large", 500, 2500, 10},
}

// benchChildEnv is set in the environment of the child processes that
// measure one scaling row. The bam binary ignores it; a test binary that
// re-executes itself uses it to run the command line instead of its tests
// (see TestMain in bench_test.go).
const benchChildEnv = "BAM_BENCH_CHILD"

// benchCommand is `bam bench`.
func benchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "measure speed and memory: seed table, scaling table, parallel seeds",
		Description: "Without --seeds, prints two tables:\n" +
			"  seed table     small (100 firms, 500 households, 10 banks), medium (200/1000/10)\n" +
			"                 and large (500/2500/10): the wall time of 1000 periods from a fresh\n" +
			"                 simulation (median of 3 runs; initialisation shown apart) and periods/s;\n" +
			"  scaling table  610 to 122 000 agents (firms = agents/6.1, households = 5 × firms,\n" +
			"                 banks = firms/10; --large adds 1 220 000): ms per period after 50\n" +
			"                 warm-up periods, timed over at least 0.5 s and 20 periods,\n" +
			"                 agent-steps/s, and the peak RSS of a child process that measures\n" +
			"                 that row alone.\n" +
			"With --seeds N, runs N independent seeds of the default economy for 1000 periods\n" +
			"on 1 goroutine and then on --workers goroutines (one simulation each) and prints\n" +
			"seeds/s, periods/s and the scaling efficiency throughput(W) / (W × throughput(1)).\n" +
			"--json FILE also writes the results and the machine (CPU, cores, Go version,\n" +
			"commit) as JSON. --quick measures much less, for tests.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "quick", Usage: "fewer sizes and periods (a smoke test, not a measurement)"},
			&cli.BoolFlag{Name: "large", Usage: "add 1 220 000 agents to the scaling table (about 1 GB)"},
			&cli.StringFlag{Name: "json", Usage: "also write the results as JSON to `FILE`"},
			&cli.IntFlag{Name: "seeds", DefaultText: "none: the tables", Usage: "measure the throughput of `N` independent seeds instead of the tables"},
			&cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), DefaultText: fmt.Sprintf("the number of CPUs, %d here", runtime.NumCPU()), Usage: "`W` goroutines for --seeds"},
			// Internal: measure one scaling row in this process and print
			// it as JSON (the parent runs one child per row).
			&cli.IntFlag{Name: "one", Hidden: true},
			&cli.IntFlag{Name: "warmup", Hidden: true},
			&cli.DurationFlag{Name: "min-time", Hidden: true},
			&cli.IntFlag{Name: "min-periods", Hidden: true},
		},
		Action: func(c *cli.Context) error { return runBench(c, e) },
	}
}

// benchReport is the JSON written by --json.
type benchReport struct {
	Machine   machineInfo    `json:"machine"`
	StartedAt string         `json:"started_at"`
	Quick     bool           `json:"quick"`
	SeedTable *seedTable     `json:"seed_table,omitempty"`
	Scaling   *scalingTable  `json:"scaling,omitempty"`
	Parallel  *parallelTable `json:"parallel,omitempty"`
}

// machineInfo describes where the benchmark ran.
type machineInfo struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	GoVersion  string `json:"go_version"`
	Version    string `json:"bam_version"`
	GitCommit  string `json:"git_commit,omitempty"`
	GitDirty   *bool  `json:"git_dirty,omitempty"`
	// CommitFrom says where GitCommit comes from: "build" (recorded in the
	// binary by the go command) or "git" (git rev-parse HEAD in the working
	// directory, for binaries built without VCS stamping, such as by go run
	// or with -buildvcs=false).
	CommitFrom string `json:"git_commit_from,omitempty"`
}

// seedTable is the seed table: whole runs from a fresh simulation.
type seedTable struct {
	Periods int       `json:"periods"`
	Repeats int       `json:"repeats"`
	Rows    []seedRow `json:"rows"`
}

// seedRow is one configuration of the seed table. Times are the medians
// over the repeats.
type seedRow struct {
	Config           string  `json:"config"`
	Firms            int     `json:"firms"`
	Households       int     `json:"households"`
	Banks            int     `json:"banks"`
	InitSeconds      float64 `json:"init_seconds"`
	Seconds          float64 `json:"seconds"`
	PeriodsPerSecond float64 `json:"periods_per_second"`
}

// scalingTable is the scaling table: steady-state periods by population.
type scalingTable struct {
	WarmupPeriods int          `json:"warmup_periods"`
	MinSeconds    float64      `json:"min_seconds"`
	MinPeriods    int          `json:"min_periods"`
	Rows          []scalingRow `json:"rows"`
}

// scalingRow is one population of the scaling table, measured in a child
// process of its own (so that its peak RSS is its own).
type scalingRow struct {
	Agents              int     `json:"agents"`
	Firms               int     `json:"firms"`
	Households          int     `json:"households"`
	Banks               int     `json:"banks"`
	InitSeconds         float64 `json:"init_seconds"`
	Periods             int     `json:"periods"`
	Seconds             float64 `json:"seconds"`
	MsPerPeriod         float64 `json:"ms_per_period"`
	AgentStepsPerSecond float64 `json:"agent_steps_per_second"`
	PeakRSSBytes        int64   `json:"peak_rss_bytes"`
}

// parallelTable is the throughput of independent seeds on 1 and W
// goroutines.
type parallelTable struct {
	Seeds      int           `json:"seeds"`
	Periods    int           `json:"periods"`
	Firms      int           `json:"firms"`
	Households int           `json:"households"`
	Banks      int           `json:"banks"`
	Rows       []parallelRow `json:"rows"`
	// Efficiency is throughput(W) / (W × throughput(1)) for the largest W.
	Efficiency float64 `json:"efficiency"`
}

// parallelRow is the throughput with Workers goroutines.
type parallelRow struct {
	Workers          int     `json:"workers"`
	Seconds          float64 `json:"seconds"`
	SeedsPerSecond   float64 `json:"seeds_per_second"`
	PeriodsPerSecond float64 `json:"periods_per_second"`
	Efficiency       float64 `json:"efficiency"`
}

// runBench is the action of `bam bench`.
func runBench(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return badInput("bench: unexpected argument %s; usage: bam bench [flags]", quoteArgs(c.Args().Slice()))
	}
	if c.IsSet("one") {
		return benchOne(c, e)
	}
	cfg := fullBench
	if c.Bool("quick") {
		cfg = quickBench
	}
	if c.Bool("large") {
		cfg.scalingFirms = append(slices.Clone(cfg.scalingFirms), largeFirms)
	}
	seeds, workers := c.Int("seeds"), c.Int("workers")
	if c.IsSet("seeds") && seeds < 1 {
		return badInput("--seeds %d: want at least 1", seeds)
	}
	if workers < 1 {
		return badInput("--workers %d: want at least 1", workers)
	}
	if c.IsSet("workers") && !c.IsSet("seeds") {
		return badInput("--workers needs --seeds N")
	}
	if c.Bool("large") && c.IsSet("seeds") {
		return badInput("--large adds a row to the scaling table, which --seeds does not measure")
	}

	// Create the JSON file first, so that an unwritable path fails before
	// the measurements rather than after them; it is removed again unless
	// the report is written.
	var jsonFile *os.File
	if c.IsSet("json") {
		path := c.String("json")
		if path == "" {
			return badInput("--json: want a file path, got an empty string")
		}
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("--json %s: %w", path, pathErrCause(err))
		}
		jsonFile = f
		defer func() {
			if jsonFile != nil {
				jsonFile.Close()
				os.Remove(path)
			}
		}()
	}

	rep, err := measureBench(c.Context, e.stdout, cfg, seeds, workers, c.Bool("quick"))
	if err != nil {
		return err
	}
	if jsonFile != nil {
		err := writeJSON(jsonFile, rep)
		if cerr := jsonFile.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("--json %s: %w", jsonFile.Name(), err)
		}
		jsonFile = nil // written: keep it
	}
	return nil
}

// writeJSON writes v as indented JSON to w.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// measureBench runs the measurements of cfg (the parallel table when seeds
// > 0, else the seed and scaling tables), printing each table to out as its
// rows are measured, and returns the report.
func measureBench(ctx context.Context, out io.Writer, cfg benchConfig, seeds, workers int, quick bool) (*benchReport, error) {
	rep := &benchReport{Machine: readMachine(), StartedAt: time.Now().Format(time.RFC3339), Quick: quick}
	m := rep.Machine
	commit := ""
	if m.GitCommit != "" {
		commit = ", commit " + short(m.GitCommit)
		if m.GitDirty != nil && *m.GitDirty {
			commit += "-dirty"
		}
	}
	if _, err := fmt.Fprintf(out, "bam bench: %s, %d cores (GOMAXPROCS %d), %s %s/%s, bam %s%s\n",
		m.CPU, m.Cores, m.GOMAXPROCS, m.GoVersion, m.OS, m.Arch, m.Version, commit); err != nil {
		return nil, fmt.Errorf("writing results: %w", err)
	}
	tw := &tableWriter{w: out}
	if seeds > 0 {
		rep.Parallel = &parallelTable{Seeds: seeds, Periods: cfg.seedPeriods}
		if err := benchParallel(ctx, tw, rep.Parallel, workers); err != nil {
			return nil, err
		}
		return rep, tw.err
	}
	rep.SeedTable = &seedTable{Periods: cfg.seedPeriods, Repeats: cfg.seedRepeats}
	if err := benchSeedTable(ctx, tw, rep.SeedTable); err != nil {
		return nil, err
	}
	rep.Scaling = &scalingTable{WarmupPeriods: cfg.warmup, MinSeconds: cfg.minTime.Seconds(), MinPeriods: cfg.minPeriods}
	if err := benchScaling(ctx, tw, rep.Scaling, cfg); err != nil {
		return nil, err
	}
	return rep, tw.err
}

// tableWriter prints table lines and keeps the first write error.
type tableWriter struct {
	w   io.Writer
	err error
}

// line prints one formatted line.
func (t *tableWriter) line(format string, args ...any) {
	if t.err != nil {
		return
	}
	if _, err := fmt.Fprintf(t.w, format+"\n", args...); err != nil {
		t.err = fmt.Errorf("writing results: %w", err)
	}
}

// benchParams returns the default parameters with the given population
// and n_periods.
func benchParams(firms, households, banks, periods int) ecs.Params {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks, p.NPeriods = firms, households, banks, periods
	return p
}

// interrupted returns errInterrupted (wrapped) if ctx is done.
func interrupted(ctx context.Context) error {
	if ctx.Err() != nil {
		return fmt.Errorf("bench %w", errInterrupted)
	}
	return nil
}

// benchSeedTable measures the seed table into t: for each configuration,
// seedRepeats runs of t.Periods periods from a fresh simulation.
func benchSeedTable(ctx context.Context, tw *tableWriter, t *seedTable) error {
	tw.line("")
	tw.line("Seed table: %d periods from a fresh simulation, median of %d run(s), initialisation apart", t.Periods, t.Repeats)
	tw.line("%-8s %7s %11s %6s %10s %18s %11s", "config", "firms", "households", "banks", "init (ms)", fmt.Sprintf("%d periods (s)", t.Periods), "periods/s")
	for _, sz := range seedSizes {
		p := benchParams(sz.firms, sz.households, sz.banks, t.Periods)
		var inits, runs []float64
		for range t.Repeats {
			if err := interrupted(ctx); err != nil {
				return err
			}
			t0 := time.Now()
			sim, err := bam.New(p)
			if err != nil {
				return err
			}
			t1 := time.Now()
			ran := sim.Run(t.Periods)
			t2 := time.Now()
			if ran < t.Periods {
				return fmt.Errorf("seed table %s: economy collapsed after %d of %d periods", sz.config, ran, t.Periods)
			}
			inits = append(inits, t1.Sub(t0).Seconds())
			runs = append(runs, t2.Sub(t1).Seconds())
		}
		r := seedRow{Config: sz.config, Firms: sz.firms, Households: sz.households, Banks: sz.banks,
			InitSeconds: median(inits), Seconds: median(runs)}
		r.PeriodsPerSecond = float64(t.Periods) / r.Seconds
		t.Rows = append(t.Rows, r)
		tw.line("%-8s %7d %11d %6d %10.3f %18.4f %11.0f", r.Config, r.Firms, r.Households, r.Banks,
			1000*r.InitSeconds, r.Seconds, r.PeriodsPerSecond)
	}
	return nil
}

// median returns the median of xs (which it sorts).
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// benchScaling measures the scaling table into t, one child process per
// row.
func benchScaling(ctx context.Context, tw *tableWriter, t *scalingTable, cfg benchConfig) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("scaling table: cannot find this program to run it per row: %w", err)
	}
	tw.line("")
	tw.line("Scaling: one period after %d warm-up periods, timed over >= %s and >= %d periods; each row in its own process",
		cfg.warmup, cfg.minTime, cfg.minPeriods)
	tw.line("%9s %7s %11s %6s %10s %14s %14s", "agents", "firms", "households", "banks", "ms/period", "agent-steps/s", "peak RSS (MiB)")
	for _, f := range cfg.scalingFirms {
		if err := interrupted(ctx); err != nil {
			return err
		}
		args := []string{"bench", "--one", strconv.Itoa(f), "--warmup", strconv.Itoa(cfg.warmup),
			"--min-time", cfg.minTime.String(), "--min-periods", strconv.Itoa(cfg.minPeriods)}
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = append(os.Environ(), benchChildEnv+"=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			if ierr := interrupted(ctx); ierr != nil {
				return ierr
			}
			return fmt.Errorf("scaling table, %d firms: %s %s: %v: %s", f, exe, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		var r scalingRow
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			return fmt.Errorf("scaling table, %d firms: reading the child's result %q: %w", f, stdout.String(), err)
		}
		t.Rows = append(t.Rows, r)
		tw.line("%9d %7d %11d %6d %10.4f %14.0f %14.1f", r.Agents, r.Firms, r.Households, r.Banks,
			r.MsPerPeriod, r.AgentStepsPerSecond, float64(r.PeakRSSBytes)/(1<<20))
	}
	return nil
}

// scalingPopulation returns the scaling table's population for f firms:
// 5 households and 0.1 bank per firm (at least one bank).
func scalingPopulation(f int) (households, banks int) { return 5 * f, max(1, f/10) }

// benchOne is `bam bench --one FIRMS`: it measures one scaling row in
// this process and prints it as JSON.
func benchOne(c *cli.Context, e *env) error {
	f, warmup, minPeriods, minTime := c.Int("one"), c.Int("warmup"), c.Int("min-periods"), c.Duration("min-time")
	if f < 1 || warmup < 0 || minPeriods < 1 || minTime < 0 {
		return badInput("bench --one %d --warmup %d --min-periods %d --min-time %s: want firms >= 1, warmup >= 0, min-periods >= 1, min-time >= 0",
			f, warmup, minPeriods, minTime)
	}
	r, err := measureOne(c.Context, f, warmup, minPeriods, minTime)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, r)
}

// measureOne builds the economy of f firms, runs warmup periods, then
// times periods until at least minTime and minPeriods are reached.
func measureOne(ctx context.Context, f, warmup, minPeriods int, minTime time.Duration) (*scalingRow, error) {
	h, nb := scalingPopulation(f)
	r := &scalingRow{Agents: f + h + nb, Firms: f, Households: h, Banks: nb}
	t0 := time.Now()
	sim, err := bam.New(benchParams(f, h, nb, warmup+minPeriods))
	if err != nil {
		return nil, &inputError{err}
	}
	r.InitSeconds = time.Since(t0).Seconds()
	if ran := sim.Run(warmup); ran < warmup {
		return nil, fmt.Errorf("%d firms: economy collapsed after %d warm-up periods", f, ran)
	}
	var elapsed time.Duration
	k := minPeriods
	for k > 0 {
		if err := interrupted(ctx); err != nil {
			return nil, err
		}
		sim.Reserve(k) // outside the timed span: the timed periods allocate nothing
		start := time.Now()
		ran := sim.Run(k)
		elapsed += time.Since(start)
		r.Periods += ran
		if ran < k {
			return nil, fmt.Errorf("%d firms: economy collapsed after %d timed periods", f, r.Periods)
		}
		// Estimate the periods still needed for minTime, with a 10 % margin.
		k = 0
		if elapsed < minTime {
			per := elapsed.Seconds() / float64(r.Periods)
			k = max(1, int(math.Ceil(1.1*(minTime-elapsed).Seconds()/max(per, 1e-9))))
		}
	}
	r.Seconds = elapsed.Seconds()
	r.MsPerPeriod = 1000 * r.Seconds / float64(r.Periods)
	r.AgentStepsPerSecond = float64(r.Agents) * float64(r.Periods) / r.Seconds
	r.PeakRSSBytes = results.PeakRSS()
	return r, nil
}

// benchParallel measures the throughput of t.Seeds independent seeds of
// the default economy on 1 goroutine and on workers goroutines.
func benchParallel(ctx context.Context, tw *tableWriter, t *parallelTable, workers int) error {
	d := ecs.DefaultParams()
	t.Firms, t.Households, t.Banks = d.NFirms, d.NHouseholds, d.NBanks
	tw.line("")
	tw.line("Parallel seeds: %d seeds of %d/%d/%d, %d periods each, one simulation per seed",
		t.Seeds, t.Firms, t.Households, t.Banks, t.Periods)
	tw.line("%8s %10s %10s %12s %11s", "workers", "time (s)", "seeds/s", "periods/s", "efficiency")
	ws := []int{1}
	if workers > 1 {
		ws = append(ws, workers)
	}
	var base float64
	for _, w := range ws {
		secs, periods, err := runSeeds(ctx, t.Seeds, w, t.Periods)
		if err != nil {
			return err
		}
		r := parallelRow{Workers: w, Seconds: secs, SeedsPerSecond: float64(t.Seeds) / secs, PeriodsPerSecond: float64(periods) / secs}
		if w == 1 {
			base = r.SeedsPerSecond
		}
		r.Efficiency = r.SeedsPerSecond / (float64(w) * base)
		t.Efficiency = r.Efficiency
		t.Rows = append(t.Rows, r)
		tw.line("%8d %10.3f %10.2f %12.0f %11.2f", r.Workers, r.Seconds, r.SeedsPerSecond, r.PeriodsPerSecond, r.Efficiency)
	}
	return nil
}

// runSeeds runs seeds 0 … n−1 of the default economy for periods periods
// each on workers goroutines, each seed its own simulation (a world is not
// safe for concurrent use), and returns the wall time and the number of
// periods run (fewer than n × periods if a seed collapses).
func runSeeds(ctx context.Context, n, workers, periods int) (float64, int, error) {
	jobs := make(chan uint64)
	var (
		mu    sync.Mutex
		total int
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seed := range jobs {
				p := ecs.DefaultParams()
				p.NPeriods, p.Seed = periods, seed
				sim, err := bam.New(p)
				ran := 0
				if err == nil {
					ran = sim.Run(periods)
				}
				mu.Lock()
				total += ran
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for s := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- uint64(s)
	}
	close(jobs)
	wg.Wait()
	secs := time.Since(start).Seconds()
	if err := interrupted(ctx); err != nil {
		return 0, 0, err
	}
	return secs, total, first
}

// readMachine describes this machine and build.
func readMachine() machineInfo {
	b := results.ReadBuildInfo()
	from := "build"
	if b.GitCommit == "" {
		from = ""
		if c, dirty, ok := gitHead(); ok {
			b.GitCommit, b.GitDirty, from = c, &dirty, "git"
		}
	}
	return machineInfo{
		CPU:        cpuModel(),
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		GoVersion:  b.GoVersion,
		Version:    b.Version,
		GitCommit:  b.GitCommit,
		GitDirty:   b.GitDirty,
		CommitFrom: from,
	}
}

// gitHead returns the commit checked out in the working directory and
// whether tracked files differ from it, if git can tell within a second.
func gitHead() (commit string, dirty, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "", false, false
	}
	commit = strings.TrimSpace(string(out))
	st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output()
	if err != nil {
		return "", false, false
	}
	return commit, len(bytes.TrimSpace(st)) > 0, commit != ""
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or the
// architecture where that is unavailable.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// short returns the first 12 characters of a commit hash.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}
