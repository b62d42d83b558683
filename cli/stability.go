package cli

// bam stability: seed-stability studies (validation spec §8) with
// journals, resumption, shards, merging, history and Slurm job arrays. The
// journal, shard and document logic is in package
// validation/stability; this file is the command line.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/internal/style"
	studyengine "github.com/bam-abm/bam/study"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// Defaults of bam stability (spec §8.1).
const (
	defaultStabilitySeeds = 1000
	defaultStabilityOut   = "stability"
)

// allScenarios are the scenarios of --scenario all, in run order.
var allScenarios = []string{"baseline", "growth_plus", "buffer_stock"}

// stabilityCommand is `bam stability [flags]` and its subcommands.
func stabilityCommand(e *env) *cli.Command {
	flags := append(studyFlags(),
		&cli.StringFlag{Name: "shard", Usage: "run only shard `i/N` of the seeds: those with (seed − seed-start) mod N = i; writes the journals and a marker, no result file (see bam stability merge)"},
		&cli.StringFlag{Name: "commits", Usage: "run the study with the bam of each commit of `A..B` (git rev-list) or of a comma list, built in temporary git worktrees; results in --out/<commit>/"},
		&cli.BoolFlag{Name: "force", Usage: "with --commits: allow more than 20 commits"},
	)
	subs := []*cli.Command{
		stabilityMergeCommand(e),
		stabilityCompareCommand(e),
		stabilitySlurmCommand(e),
		stabilityReportCommand(e),
	}
	return &cli.Command{
		Name:  "stability",
		Usage: "seed-stability study: validate scenarios over many seeds, resumable, shardable",
		Description: "Validates every scenario of --scenario (default all: baseline, growth_plus,\n" +
			"buffer_stock) with seeds S … S+N−1 and writes one result file per scenario into\n" +
			"--out (default ./" + defaultStabilityOut + "): <scenario>.json, the document of validation spec §8.2\n" +
			"with every seed's result added. Each finished seed is appended to\n" +
			"<scenario>.journal.jsonl first: running the same command again (after Ctrl-C, a\n" +
			"crash or kill -9) skips the seeds already journaled. A journal of another study\n" +
			"(scenario, periods, burn-in, population, parameters) is refused (exit 2).\n" +
			"Apart from its metadata, a result file is byte-identical whatever --workers,\n" +
			"interruptions or sharding. buffer_stock reuses the growth_plus results of the same\n" +
			"seeds when both are run with the same parameters.\n" +
			"Exit status 0, 1 when a scenario's pass rate is below --gate, 2 on bad input\n" +
			"(also a damaged journal or one of another study), 3 on an I/O failure (also a\n" +
			"journal in use by another process), 130/143/129 when interrupted by SIGINT/SIGTERM/SIGHUP.\n" +
			"See docs/distributed.md.",
		Flags:       flags,
		Action:      func(c *cli.Context) error { return stabilityAction(c, e) },
		Subcommands: subs,
	}
}

// studyFlags are the flags that define a study, shared by bam stability
// and bam stability slurm.
func studyFlags() []cli.Flag {
	var flags []cli.Flag
	flags = append(flags,
		&cli.StringFlag{Name: "scenario", Value: "all", Usage: "comma list of `SCENARIOS` (embedded names or TOML files), or all (" + strings.Join(allScenarios, ",") + ")"},
		&cli.StringFlag{Name: "seeds", Value: strconv.Itoa(defaultStabilitySeeds), Usage: "run `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` seeds at once (default: the number of CPUs)"},
		maxMemoryFlag(),
		&cli.StringFlag{Name: "out", Value: defaultStabilityOut, Usage: "folder `DIR` of the journals and result files (created if missing)"},
		&cli.StringFlag{Name: "gate", Value: strconv.FormatFloat(stability.DefaultGate, 'g', -1, 64), Usage: "exit 1 when a scenario's pass rate is below `RATE` (0…1)"},
		&cli.StringFlag{Name: "burn-in", Value: strconv.Itoa(validation.DefaultBurnIn), DefaultText: fixedBurnIn(validation.DefaultBurnIn), Usage: "burn-in `B` in periods; < 1 or ≥ n_periods means n_periods/2"},
	)
	for _, o := range overrideFlags {
		if o.flag == "seed" {
			continue
		}
		flags = append(flags, &cli.StringFlag{Name: o.flag, Usage: fmt.Sprintf("%s (sets %s in every scenario)", o.usage, o.param)})
	}
	return append(flags, setFlag())
}

// study is one scenario's part of a stability run.
type study struct {
	// name is the scenario's name made safe for file names; arg is the
	// scenario as given (an absolute path for a file).
	name   string
	arg    string
	sc     *scenarios.Scenario
	suite  *validation.Suite
	opts   validation.Options
	header stability.Header
	// companionHash is, for buffer_stock, the identity of its Growth+
	// companion: growth_plus records of that identity can be reused.
	companionHash string
}

// stabilityRequest is the resolved command line of a study.
type stabilityRequest struct {
	studies []*study
	start   uint64
	n       int
	workers int
	out     string
	gate    float64
	burnIn  int
	shard   *stability.Shard
	// runsHere is true when this process runs the seeds (not `stability
	// slurm`, which only writes scripts): the memory check applies.
	runsHere bool
	// args are the study's flags as given, to pass on (slurm, history).
	args []string
}

// parseStudy resolves the study flags; every error is bad input. runsHere
// says whether this process will run the seeds (see
// stabilityRequest.runsHere).
func parseStudy(c *cli.Context, runsHere bool) (*stabilityRequest, error) {
	if c.NArg() > 0 {
		return nil, badInput("%s: unexpected arguments %s (scenarios are given with --scenario)", c.Command.FullName(), quoteArgs(c.Args().Slice()))
	}
	req := &stabilityRequest{out: c.String("out"), runsHere: runsHere}
	var err error
	if req.n, err = strconv.Atoi(c.String("seeds")); err != nil || req.n < 1 {
		return nil, badInput("--seeds %s: want an integer >= 1", quoteArg(c.String("seeds")))
	}
	if req.start, err = parseSeedStart("seed-start", c.String("seed-start"), req.n); err != nil {
		return nil, err
	}
	req.workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if req.workers, err = strconv.Atoi(c.String("workers")); err != nil || req.workers < 1 {
			return nil, badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers")))
		}
	}
	if req.out == "" {
		return nil, badInput("--out: want a folder path, got an empty string")
	}
	req.gate, err = strconv.ParseFloat(c.String("gate"), 64)
	if err != nil || !(req.gate >= 0 && req.gate <= 1) {
		return nil, badInput("--gate %s: want a number in [0, 1]", quoteArg(c.String("gate")))
	}
	if req.burnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return nil, badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	if c.IsSet("shard") {
		s, err := stability.ParseShard(c.String("shard"))
		if err != nil {
			return nil, badInput("--shard: %v", err)
		}
		req.shard = &s
	}
	req.args = append(req.args, "--scenario", absScenarios(c.String("scenario")))
	for _, name := range []string{"seeds", "seed-start", "burn-in", "gate"} {
		req.args = append(req.args, "--"+name, c.String(name))
	}
	if c.IsSet("workers") {
		req.args = append(req.args, "--workers", c.String("workers"))
	}
	for _, o := range overrideFlags {
		if o.flag != "seed" && c.IsSet(o.flag) {
			req.args = append(req.args, "--"+o.flag, c.String(o.flag))
		}
	}
	for _, s := range c.StringSlice("set") {
		req.args = append(req.args, "--set", s)
	}

	names := strings.Split(c.String("scenario"), ",")
	if len(names) == 1 && strings.TrimSpace(names[0]) == "all" {
		names = allScenarios
	}
	seen := map[string]string{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			return nil, badInput("--scenario %s: empty scenario name", quoteArg(c.String("scenario")))
		}
		st, err := resolveStudy(c, n, req)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[st.name]; ok {
			return nil, badInput("--scenario: %s and %s are both called %s; their files would collide", prev, n, st.name)
		}
		seen[st.name] = n
		req.studies = append(req.studies, st)
	}
	// growth_plus before buffer_stock, so that buffer_stock can reuse it.
	slices.SortStableFunc(req.studies, func(a, b *study) int {
		return cmp.Compare(suiteOrder(a.suite), suiteOrder(b.suite))
	})
	return req, nil
}

// absScenarios makes the scenario files of a --scenario list absolute, so
// that the list means the same from another folder (a Slurm task, a git
// worktree).
func absScenarios(list string) string {
	parts := strings.Split(list, ",")
	embedded := scenarios.Names()
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "all" || slices.Contains(embedded, p) {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				parts[i] = abs
			}
		}
	}
	return strings.Join(parts, ",")
}

// suiteOrder is the run order of the suites.
func suiteOrder(s *validation.Suite) int {
	return slices.Index(validation.Suites, s)
}

// resolveStudy loads one scenario of --scenario with the overrides and
// builds its study.
func resolveStudy(c *cli.Context, name string, req *stabilityRequest) (*study, error) {
	sc, err := scenarios.Load(name)
	if err != nil {
		return nil, err
	}
	for _, a := range c.StringSlice("set") {
		if err := sc.Set(a); err != nil {
			return nil, err
		}
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return nil, err
	}
	if req.runsHere {
		if err := checkMemory(c, sc, min(req.workers, req.n), nil); err != nil {
			return nil, err
		}
	}
	sim, err := newSimulation(sc)
	if err != nil {
		return nil, err
	}
	pipeline := sim.Pipeline.Names()
	suite, err := validation.SuiteFor(sc, pipeline)
	if err != nil {
		return nil, &inputError{err}
	}
	p := &sc.Params
	st := &study{
		name: safeName(sc.Name), arg: absScenarios(name), sc: sc, suite: suite,
		opts: validation.Options{BurnIn: req.burnIn},
		header: stability.Header{
			Format: stability.JournalFormat, Scenario: sc.Name, Suite: suite.Name,
			NPeriods: p.NPeriods, BurnIn: validation.BurnIn(req.burnIn, p.NPeriods),
			NFirms: p.NFirms, NHouseholds: p.NHouseholds, NBanks: p.NBanks,
			ParamsHash: stability.Identity(p, pipeline),
			SeedStart:  req.start, NSeeds: req.n, Shard: req.shard,
		},
	}
	if suite == validation.BufferStock {
		gp, err := validation.GrowthPlusCompanion(sc)
		if err != nil {
			return nil, &inputError{err}
		}
		gsim, err := newSimulation(gp)
		if err != nil {
			return nil, err
		}
		st.opts.GrowthPlus = gp
		st.companionHash = stability.Identity(&gp.Params, gsim.Pipeline.Names())
	}
	return st, nil
}

// journalPath is the study's journal in dir.
func (s *study) journalPath(dir string) string {
	return filepath.Join(dir, stability.JournalName(s.name, s.header.Shard))
}

// seeds returns the study's seeds (of its shard), in order.
func (s *study) seeds() []uint64 { return s.header.Seeds() }

// studyOutcome is what a study's run produced.
type studyOutcome struct {
	st           *study
	stab         *validation.Stability // nil for a shard
	recs         []stability.Record
	ran, resumed int
	reused       int
	wall         time.Duration
	file         string // result file or marker
}

// stabilityAction is the action of `bam stability`.
func stabilityAction(c *cli.Context, e *env) error {
	req, err := parseStudy(c, true)
	if err != nil {
		return err
	}
	if c.IsSet("commits") {
		if req.shard != nil {
			return badInput("--commits and --shard cannot be combined")
		}
		return runHistory(c, e, req)
	}
	if err := os.MkdirAll(req.out, 0o755); err != nil {
		return fmt.Errorf("stability: --out %s: %w", req.out, pathErrCause(err))
	}
	// Open every journal before running anything: a journal of another
	// study is bad input found at once.
	journals := make([]*stability.Journal, len(req.studies))
	done := make([]map[uint64]stability.Record, len(req.studies))
	defer func() {
		for _, j := range journals {
			if j != nil {
				j.Close()
			}
		}
	}()
	total, all := 0, 0
	for i, st := range req.studies {
		j, recs, err := stability.Open(st.journalPath(req.out), st.header)
		if err != nil {
			if errors.Is(err, stability.ErrUnusable) { // another study, or fewer seeds
				return &inputError{err}
			}
			return fmt.Errorf("stability: %w", err)
		}
		journals[i] = j
		done[i] = map[uint64]stability.Record{}
		for _, r := range recs {
			done[i][r.Seed] = r
		}
		for _, s := range st.seeds() {
			all++
			if _, ok := done[i][s]; !ok {
				total++
			}
		}
	}
	// The bar counts the seeds still to run, of every scenario; its label
	// names the scenario running and how many came from the journals.
	barLabel := func(name string) string {
		return fmt.Sprintf("%s: seeds to run in %d scenarios%s", name, len(req.studies), journalNote(all-total, all, "journals"))
	}
	if len(req.studies) == 1 {
		barLabel = func(name string) string {
			return fmt.Sprintf("%s: seeds to run%s", name, journalNote(all-total, all, "journal"))
		}
	}

	var bar *progressbar.ProgressBar
	if total > 0 && e.isTerminal(e.stdout) && e.isTerminal(e.stderr) {
		bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("seeds"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(progressEvery),
			progressbar.OptionClearOnFinish(),
		)
	}
	finishBar := func() {
		if bar != nil {
			_ = bar.Exit()
			_ = bar.Clear()
			bar = nil
		}
	}
	defer finishBar()

	var outcomes []*studyOutcome
	for i, st := range req.studies {
		if bar != nil {
			bar.Describe(barLabel(st.name))
		}
		o, err := runStudy(c.Context, req, st, journals[i], done[i], bar, e.afterRecord)
		if err != nil {
			finishBar()
			if c.Context.Err() != nil {
				return fmt.Errorf("stability %w: the finished seeds are in the journals of %s; run the same command again to resume", errInterrupted, req.out)
			}
			return fmt.Errorf("stability: %w", err)
		}
		if err := journals[i].Close(); err != nil {
			return fmt.Errorf("stability: %w", err)
		}
		journals[i] = nil
		outcomes = append(outcomes, o)
	}
	finishBar()
	return reportOutcomes(e.stdout, req, outcomes)
}

// runStudy runs the seeds of st not yet in its journal and writes its
// result file (or, for a shard, its marker); afterRecord, if not nil, is
// called after each journaled seed.
func runStudy(ctx context.Context, req *stabilityRequest, st *study, j *stability.Journal,
	done map[uint64]stability.Record, bar *progressbar.ProgressBar, afterRecord func()) (*studyOutcome, error) {
	started := time.Now()
	o := &studyOutcome{st: st}
	var todo []uint64
	for _, s := range st.seeds() {
		if r, ok := done[s]; ok {
			o.recs = append(o.recs, r)
			o.resumed++
		} else {
			todo = append(todo, s)
		}
	}
	cfg := stability.RunConfig{
		Scenario: st.sc, Suite: st.suite, Options: st.opts, Seeds: todo, Workers: req.workers, Journal: j,
		OnRecord: func(r stability.Record, reused bool) {
			o.recs = append(o.recs, r)
			o.ran++
			if reused {
				o.reused++
			}
			if bar != nil {
				_ = bar.Add(1)
			}
			if afterRecord != nil {
				afterRecord()
			}
		},
	}
	if st.suite == validation.BufferStock && len(todo) > 0 {
		cfg.GrowthPlus = growthPlusSource(req, st, todo)
	}
	if err := stability.Run(ctx, cfg); err != nil {
		return nil, err
	}
	o.wall = time.Since(started)
	meta := studyMetadata(req, st, o)
	if req.shard != nil {
		m := stability.Marker{
			Header: st.header, NSeeds: len(o.recs), Journal: filepath.Base(j.Path()),
			WallSeconds: o.wall.Seconds(), Workers: min(req.workers, max(len(todo), 1)),
			SeedSeconds: meta.Timings.SeedSeconds, Host: meta.Machine.Hostname, Finished: meta.Timestamp,
		}
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return nil, err
		}
		o.file = filepath.Join(req.out, stability.MarkerName(st.name, *req.shard))
		if err := stability.WriteFileAtomic(o.file, append(b, '\n')); err != nil {
			return nil, fmt.Errorf("shard marker: %w", err)
		}
		if o.stab, err = stability.Aggregate(&st.header, o.recs); err != nil {
			return nil, err
		}
		return o, nil
	}
	b, stab, err := stability.Document(&st.header, o.recs, meta)
	if err != nil {
		return nil, err
	}
	o.stab = stab
	o.file = filepath.Join(req.out, stability.ResultName(st.name))
	if err := stability.WriteFileAtomic(o.file, b); err != nil {
		return nil, fmt.Errorf("result file: %w", err)
	}
	return o, nil
}

// growthPlusSource returns the Growth+ results a buffer_stock study can
// reuse: the records of the growth_plus journal in --out (same shard)
// when that journal's study is the buffer-stock scenario's Growth+
// companion (same parameters, pipeline, periods, burn-in and population).
// It returns nil when there is none.
func growthPlusSource(req *stabilityRequest, st *study, todo []uint64) func(uint64) *validation.Result {
	path := filepath.Join(req.out, stability.JournalName(validation.GrowthPlus.Name, st.header.Shard))
	h, recs, err := stability.Read(path)
	if err != nil {
		return nil
	}
	want := st.header
	if h.Suite != validation.GrowthPlus.Name || h.ParamsHash != st.companionHash || h.NPeriods != want.NPeriods ||
		h.BurnIn != want.BurnIn || h.NFirms != want.NFirms || h.NHouseholds != want.NHouseholds || h.NBanks != want.NBanks {
		return nil
	}
	need := map[uint64]bool{}
	for _, s := range todo {
		need[s] = true
	}
	byseed := map[uint64]*validation.Result{}
	for i := range recs {
		if !need[recs[i].Seed] {
			continue
		}
		if r, err := recs[i].Result(validation.GrowthPlus, h.BurnIn); err == nil {
			byseed[r.Seed] = r
		}
	}
	if len(byseed) == 0 {
		return nil
	}
	return func(seed uint64) *validation.Result { return byseed[seed] }
}

// studyMetadata describes the run of a study for its result file.
func studyMetadata(req *stabilityRequest, st *study, o *studyOutcome) stability.Metadata {
	m := baseMetadata()
	h := &st.header
	m.NSeeds, m.NPeriods, m.NWorkers = len(o.recs), h.NPeriods, req.workers
	m.ElapsedSeconds = int(math.Round(o.wall.Seconds()))
	m.SeedStart, m.Suite, m.BurnIn = h.SeedStart, h.Suite, h.BurnIn
	m.NFirms, m.NHouseholds, m.NBanks, m.ParamsHash = h.NFirms, h.NHouseholds, h.NBanks, h.ParamsHash
	m.Gate = req.gate
	m.Source = "run"
	secs := 0.0
	for _, r := range o.recs {
		secs += r.Seconds
	}
	m.Timings = stability.Timings{
		WallSeconds: o.wall.Seconds(), SeedsRun: o.ran, SeedsFromJournal: o.resumed,
		SeedSeconds: secs, GrowthPlusReused: o.reused,
	}
	if len(o.recs) > 0 {
		m.Timings.SecondsPerSeed = secs / float64(len(o.recs))
	}
	return m
}

// baseMetadata fills in the program, commit, machine and time.
func baseMetadata() stability.Metadata {
	mi := readMachine()
	m := stability.Metadata{
		Program: "bam", GoVersion: mi.GoVersion,
		Timestamp: time.Now().UTC().Format("2006-01-02T15:04:05"),
		Machine: stability.Machine{
			CPU: mi.CPU, Cores: mi.Cores, OS: mi.OS, Arch: mi.Arch,
		},
	}
	m.Machine.Hostname, _ = os.Hostname()
	if mi.Version != "" {
		v := mi.Version
		m.Version = &v
	}
	if mi.GitCommit != "" {
		c, s := mi.GitCommit, short(mi.GitCommit)
		m.Commit, m.CommitShort, m.Dirty = &c, &s, mi.GitDirty
		if d := commitDate(); d != "" {
			m.CommitDate = &d
		}
		if mi.CommitFrom == "git" {
			// The commit checked out in the working directory: git knows more.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if d, err := studyengine.Git(ctx, "", "log", "-1", "--format=%cI", c); err == nil && d != "" {
				m.CommitDate = &d
			}
			if b, err := studyengine.Git(ctx, "", "symbolic-ref", "--short", "-q", "HEAD"); err == nil && b != "" {
				m.Branch = &b
			}
			if t, err := studyengine.Git(ctx, "", "describe", "--tags", "--exact-match", c); err == nil && t != "" {
				m.Tag = &t
			}
		}
	}
	return m
}

// commitDate returns the commit time recorded in the build, if any.
func commitDate() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.time" {
			return s.Value
		}
	}
	return ""
}

// reportOutcomes prints the table of a run and applies the gate.
func reportOutcomes(w io.Writer, req *stabilityRequest, outs []*studyOutcome) error {
	var b bytes.Buffer
	if req.shard != nil {
		fmt.Fprintf(&b, "shard %s of seeds %d–%d: journals and markers in %s (merge them with bam stability merge)\n\n",
			req.shard, req.start, req.start+uint64(req.n)-1, req.out)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tseeds\tpass rate\tscore mean ± std\tfailing seeds\twall time\tfile")
	var below []string
	for _, o := range outs {
		st := o.stab
		rate := stability.FilePassRate(st)
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.4f ± %.4f\t%d\t%s\t%s\n", o.st.header.Scenario, st.NSeeds, style.Percent(rate, 1, "%"),
			st.MeanScore, st.StdScore, len(st.FailingSeeds), fmtDuration(o.wall), o.file)
		if req.shard == nil && !(rate >= req.gate) {
			below = append(below, fmt.Sprintf("%s %s", o.st.header.Scenario, style.Percent(rate, 1, "%")))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, o := range outs {
		if o.resumed > 0 {
			fmt.Fprintf(&b, "\n%s: %s\n", o.st.header.Scenario,
				journalCounts(o.ran, o.resumed, "seeds", "journal "+o.st.journalPath(req.out)))
		}
	}
	for _, o := range outs {
		if len(o.stab.FailingSeeds) > 0 {
			fmt.Fprintf(&b, "\n%s: %s\n", o.st.header.Scenario, failingSummary(o.stab.FailingSeeds))
		}
		if len(o.stab.Degraded) > 0 {
			fmt.Fprintf(&b, "%s: growth_plus metrics degraded by buffer-stock consumption: %s\n",
				o.st.header.Scenario, strings.Join(o.stab.Degraded, ", "))
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if len(below) > 0 {
		return checkFailed("stability: pass rate below the gate %s: %s", style.Percent(req.gate, 1, "%"), strings.Join(below, ", "))
	}
	return nil
}

// failingSummary describes failing seeds: how many fail each metric (most
// first), and the first seeds.
func failingSummary(fs []validation.FailingSeed) string {
	count := map[string]int{}
	var names []string
	var seeds []string
	for i, f := range fs {
		if i < 12 {
			seeds = append(seeds, strconv.FormatUint(f.Seed, 10))
		}
		ms := f.FailedMetrics
		if len(ms) == 0 {
			ms = []string{"not evaluable"}
		}
		for _, m := range ms {
			if count[m] == 0 {
				names = append(names, m)
			}
			count[m]++
		}
	}
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d", n, count[n]))
	}
	more := ""
	if len(fs) > len(seeds) {
		more = ", …"
	}
	return fmt.Sprintf("%d failing seeds by metric: %s (seeds %s%s)", len(fs), strings.Join(parts, ", "), strings.Join(seeds, ", "), more)
}
