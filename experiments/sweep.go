package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bam-abm/bam"
	runfolder "github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/study"
	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// SweepFormat is the format tag of a sweep's journal header and of
// sweep.json.
const SweepFormat = "bam-sweep/1"

// ErrUnusable classifies the errors about sweep files that cannot be used
// as they are: a journal of another sweep, a damaged journal, shards that
// do not make one sweep or miss jobs. Running again does not help.
var ErrUnusable = errors.New("unusable sweep files")

// Sweep is a sweep: every configuration of Design applied to Scenario, each
// run with the seeds SeedStart … SeedStart+NSeeds−1 (the same seeds for
// every configuration: common random numbers), for the scenario's
// n_periods.
type Sweep struct {
	Scenario *scenarios.Scenario
	Design   *Design
	// Arms, if set, are the scenarios of the configurations (one per
	// configuration of Design, which then only labels them): configuration
	// i runs Arms[i] instead of Design applied to Scenario. They must have
	// the same n_periods. A comparison (Compare) runs two arms.
	Arms      []*scenarios.Scenario
	SeedStart uint64
	NSeeds    int
	// BurnIn is the requested burn-in; the window summarised starts after
	// validation.BurnIn(BurnIn, n_periods) periods (0: half the run).
	BurnIn int
	// Score adds the validation score and verdict of the scenario's suite
	// to each job (a buffer_stock scenario runs its validation as a second
	// simulation).
	Score bool
	// KeepSeries writes each job's economy series (economy.csv's columns,
	// one row per period) as series/<SeriesName>.parquet in the sweep's
	// folder, before the job is journaled.
	KeepSeries bool
	// SeriesIDColumns are the id columns each kept series file starts
	// with: "config" (the configuration's number, INT64) and the names
	// results.ParseIDColumns takes ("scenario", "seed", parameter names),
	// with the job's values, so that the files can be concatenated. Every
	// kept series file carries the job's provenance as key-value metadata
	// (results.Metadata, and bam.config) whether or not it has id columns.
	SeriesIDColumns []string
	// Workers is the number of jobs run at once (≤ 0: the number of CPUs).
	// The results do not depend on it.
	Workers int
	// Shard, if not nil, restricts the sweep to the jobs k (in Jobs order)
	// with k mod Count = Index.
	Shard *stability.Shard
	// OnJob, if set, is called after each job is journaled (from the
	// goroutine of Run), with the number done and the total of this run.
	OnJob func(done, total int)

	// h is the resolved header, once known (see resolve).
	h *header
}

// Job is one configuration run with one seed.
type Job struct {
	Config int
	Seed   uint64
}

// Jobs returns the sweep's jobs (of its shard), configuration-major: job
// k of the whole sweep is configuration k / NSeeds with seed SeedStart + k
// mod NSeeds.
func (s *Sweep) Jobs() []Job {
	var jobs []Job
	for c := range s.Design.Len() {
		for i := range s.NSeeds {
			k := c*s.NSeeds + i
			if s.Shard != nil && k%s.Shard.Count != s.Shard.Index {
				continue
			}
			jobs = append(jobs, Job{Config: c, Seed: s.SeedStart + uint64(i)})
		}
	}
	return jobs
}

// header is the first line of a sweep's journal: its identity.
type header struct {
	Format     string           `json:"format"`
	Scenario   string           `json:"scenario"`
	ParamsHash string           `json:"params_hash"`
	NPeriods   int              `json:"n_periods"`
	BurnIn     int              `json:"burn_in"`
	SeedStart  uint64           `json:"seed_start"`
	NSeeds     int              `json:"n_seeds"`
	Score      bool             `json:"score"`
	KeepSeries bool             `json:"keep_series,omitempty"`
	SeriesIDs  []string         `json:"series_id_columns,omitempty"`
	Design     *Design          `json:"design"`
	Shard      *stability.Shard `json:"shard,omitempty"`
}

// header returns the sweep's journal header; it builds the base simulation
// once to check the scenario and hash its pipeline (a merged sweep has it
// from its journals).
func (s *Sweep) header() (*header, error) {
	if s.h != nil {
		return s.h, nil
	}
	if s.Design == nil || s.Design.Len() == 0 {
		return nil, designError("no configurations")
	}
	if s.NSeeds < 1 {
		return nil, designError("--seeds %d: want an integer >= 1", s.NSeeds)
	}
	sim, err := bam.NewFromScenario(s.Scenario)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Scenario.Source, err)
	}
	p := &s.Scenario.Params
	hash := stability.Identity(p, sim.Pipeline.Names())
	if s.Arms != nil {
		if len(s.Arms) != s.Design.Len() {
			return nil, designError("%d arms for %d configurations", len(s.Arms), s.Design.Len())
		}
		hash = ""
		for i, a := range s.Arms {
			asim, err := bam.NewFromScenario(a)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Source, err)
			}
			if a.Params.NPeriods != p.NPeriods {
				return nil, designError("arm %s runs %d periods, arm %s %d: the arms must have the same length",
					s.Design.Configs[i][0], a.Params.NPeriods, s.Design.Configs[0][0], p.NPeriods)
			}
			hash += stability.Identity(&a.Params, asim.Pipeline.Names()) + ";"
		}
	}
	s.h = &header{
		Format: SweepFormat, Scenario: s.Scenario.Name,
		ParamsHash: hash,
		NPeriods:   p.NPeriods, BurnIn: validation.BurnIn(s.BurnIn, p.NPeriods),
		SeedStart: s.SeedStart, NSeeds: s.NSeeds, Score: s.Score, KeepSeries: s.KeepSeries, SeriesIDs: s.SeriesIDColumns,
		Design: s.Design, Shard: s.Shard,
	}
	return s.h, nil
}

// JournalName returns the name of the journal of a sweep (shard) in its
// output folder.
func JournalName(shard *stability.Shard) string {
	if shard == nil {
		return "sweep.journal.jsonl"
	}
	return fmt.Sprintf("sweep.shard-%d-of-%d.journal.jsonl", shard.Index, shard.Count)
}

// Outcome is what Run did: the summaries of every job of the sweep (or
// shard) in Jobs order, how many of them were run now and how many came
// from the journal, and the wall time.
type Outcome struct {
	Summaries        []Summary
	Ran, FromJournal int
	Wall             time.Duration
}

// Run runs the jobs of the sweep not yet in the journal of dir (creating
// it), on s.Workers goroutines, journaling each as it finishes; a stop
// (ctx cancelled) loses only the jobs in flight, and the same call resumes.
// A journal of another sweep is refused with an error of the class
// ErrUnusable. It returns the summaries of every job of the sweep (or
// shard); writing the results is Write's (or, for shards, Merge's).
func (s *Sweep) Run(ctx context.Context, dir string) (*Outcome, error) {
	start := time.Now()
	h, err := s.header()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, JournalName(s.Shard))
	j, raw, err := openJournal(path, h, func(line []byte) error { return sameSweep(path, line, h) })
	if err != nil {
		return nil, err
	}
	defer j.Close()
	done := map[Job]Summary{}
	for i, line := range raw {
		sum, err := decodeSummary(line)
		if err != nil {
			return nil, fmt.Errorf("%w: journal %s: record %d: %v", ErrUnusable, path, i+1, err)
		}
		if _, dup := done[Job{sum.Config, sum.Seed}]; !dup {
			done[Job{sum.Config, sum.Seed}] = sum
		}
	}
	jobs := s.Jobs()
	var todo []Job
	for _, jb := range jobs {
		if _, ok := done[jb]; !ok {
			todo = append(todo, jb)
		}
	}
	out := &Outcome{FromJournal: len(jobs) - len(todo)}
	scs := s.Arms
	if scs == nil {
		scs = make([]*scenarios.Scenario, s.Design.Len())
		for c := range scs {
			if scs[c], err = s.Design.Apply(s.Scenario, c); err != nil {
				return nil, designError("%v", err)
			}
		}
	}
	var suite *validation.Suite
	if s.Score {
		sim, err := bam.NewFromScenario(s.Scenario)
		if err != nil {
			return nil, err
		}
		if suite, err = validation.SuiteFor(s.Scenario, sim.Pipeline.Names()); err != nil {
			return nil, err
		}
	}
	var series string
	if s.KeepSeries {
		series = filepath.Join(dir, SeriesDir)
		if err := os.MkdirAll(series, 0o755); err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
	}
	err = runPool(ctx, todo, s.Workers, func(ctx context.Context, jb Job) (Summary, error) {
		return runJob(ctx, scs[jb.Config], jb, h.BurnIn, suite, series, s.SeriesIDColumns)
	}, func(sum Summary, n int) error {
		if err := j.Append(encodeSummary(sum)); err != nil {
			return err
		}
		done[Job{sum.Config, sum.Seed}] = sum
		out.Ran++
		if s.OnJob != nil {
			s.OnJob(n, len(todo))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, jb := range jobs {
		out.Summaries = append(out.Summaries, done[jb])
	}
	out.Wall = time.Since(start)
	return out, j.Close()
}

// openJournal is study.OpenJournal with a damaged journal classed as
// ErrUnusable (running again does not mend it).
func openJournal(path string, header any, check func([]byte) error) (*study.Journal, [][]byte, error) {
	j, raw, err := study.OpenJournal(path, header, check)
	if errors.Is(err, study.ErrDamagedJournal) {
		err = fmt.Errorf("%w: %w", ErrUnusable, err)
	}
	return j, raw, err
}

// readJournal is study.ReadJournal with every error classed as
// ErrUnusable (a journal to merge that cannot be read).
func readJournal(path string) (header []byte, records [][]byte, err error) {
	header, records, err = study.ReadJournal(path)
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrUnusable, err)
	}
	return header, records, err
}

// sameSweep checks that a journal's header line is h's sweep. An
// unsharded sweep may ask for more (or fewer) seeds than the run that
// created its journal: its records are keyed by (configuration, seed), so
// the seeds already run are reused and the new ones added (the header
// keeps the first run's count). A shard's jobs depend on the seed count,
// so a shard's journal must match it.
func sameSweep(path string, line []byte, h *header) error {
	var have header
	if err := json.Unmarshal(line, &have); err != nil || have.Format != SweepFormat {
		return fmt.Errorf("%w: %s is not a bam sweep journal", ErrUnusable, path)
	}
	if have.Shard == nil && h.Shard == nil {
		have.NSeeds = h.NSeeds
	}
	a, _ := json.Marshal(&have)
	b, _ := json.Marshal(h)
	if string(a) != string(b) {
		return fmt.Errorf("%w: journal %s belongs to another sweep (%s); use another --out, or delete the journal to start over",
			ErrUnusable, path, headerDiff(&have, h))
	}
	return nil
}

// headerDiff names the first field in which two headers differ.
func headerDiff(a, b *header) string {
	switch {
	case a.Scenario != b.Scenario:
		return fmt.Sprintf("scenario %s there, %s here", a.Scenario, b.Scenario)
	case a.NPeriods != b.NPeriods:
		return fmt.Sprintf("n_periods %d there, %d here", a.NPeriods, b.NPeriods)
	case a.BurnIn != b.BurnIn:
		return fmt.Sprintf("burn-in %d there, %d here", a.BurnIn, b.BurnIn)
	case a.SeedStart != b.SeedStart || a.NSeeds != b.NSeeds:
		return fmt.Sprintf("seeds %d+%d there, %d+%d here", a.SeedStart, a.NSeeds, b.SeedStart, b.NSeeds)
	case a.Score != b.Score:
		return fmt.Sprintf("score %v there, %v here", a.Score, b.Score)
	case a.KeepSeries != b.KeepSeries || !slices.Equal(a.SeriesIDs, b.SeriesIDs):
		return fmt.Sprintf("kept series %v with id columns %v there, %v with %v here", a.KeepSeries, a.SeriesIDs, b.KeepSeries, b.SeriesIDs)
	case fmt.Sprint(a.Shard) != fmt.Sprint(b.Shard):
		return fmt.Sprintf("shard %v there, %v here", a.Shard, b.Shard)
	case a.ParamsHash != b.ParamsHash:
		return "other parameters or pipeline (params_hash)"
	}
	return "another design"
}

// runJob runs one job and summarises it. A state that goes NaN or ±Inf
// ends the job early with its summaries over the periods run; it is not an
// error of the sweep (a configuration may explode), and Failed says so.
// With series not "", the job's economy series are written there first
// (SeriesName), atomically, with the id columns ids (see
// Sweep.SeriesIDColumns) and the run's metadata.
func runJob(ctx context.Context, sc *scenarios.Scenario, jb Job, burnIn int, suite *validation.Suite, series string, ids []string) (Summary, error) {
	t0 := time.Now()
	sc = sc.Clone()
	sc.Params.Seed = jb.Seed
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		return Summary{}, fmt.Errorf("configuration %d, seed %d: %w", jb.Config, jb.Seed, err)
	}
	var rec *validation.Recorder
	if suite != nil && suite != validation.BufferStock {
		if rec, err = validation.NewRecorder(sim, suite.Plan, nil); err != nil {
			return Summary{}, err
		}
	}
	n := sc.Params.NPeriods
	sim.Reserve(n)
	if err := runPeriods(ctx, sim, n); err != nil {
		return Summary{}, err
	}
	sum := Summary{Config: jb.Config, Seed: jb.Seed, Periods: sim.Period(), Collapsed: sim.Collapsed(), Score: nan}
	if err := sim.Err(); err != nil {
		sum.Failed = err.Error()
	}
	sum.Means, sum.Stds = summarize(sim.History, burnIn)
	sum.Gate = sim.History.Gate(burnIn)
	switch {
	case rec != nil:
		_, score := suite.Evaluate(rec.Record(), burnIn)
		sum.Score, sum.Passed, sum.Fails = score.TotalScore, score.Passed, score.NFail
		sum.GroupScores = groupScores(score.Results)
	case suite == validation.BufferStock:
		r, err := validation.RunSeed(ctx, sc, suite, jb.Seed, validation.Options{BurnIn: burnIn})
		if err != nil {
			return Summary{}, err
		}
		sum.Score, sum.Passed, sum.Fails = r.TotalScore, r.Passed, r.NFail
		sum.GroupScores = groupScores(r.Results)
	}
	if series != "" {
		opts, err := seriesOptions(sim, jb, ids)
		if err != nil {
			return Summary{}, err
		}
		var b bytes.Buffer
		if err := sim.History.WriteParquet(&b, opts...); err != nil {
			return Summary{}, err
		}
		if err := stability.WriteFileAtomic(filepath.Join(series, SeriesName(jb)), b.Bytes()); err != nil {
			return Summary{}, fmt.Errorf("sweep: %w", err)
		}
	}
	sum.Seconds = time.Since(t0).Seconds()
	return sum, nil
}

// seriesOptions returns the export options of a job's kept series: the
// run's provenance (results.Metadata and bam.config) and the id columns
// names.
func seriesOptions(sim *bam.Simulation, jb Job, names []string) ([]bam.ExportOption, error) {
	m := runfolder.NewManifest(sim)
	meta := append(runfolder.Metadata(m), bam.KeyValue{Key: "bam.config", Value: strconv.Itoa(jb.Config)})
	var ids []bam.IDColumn
	for _, name := range names {
		if name == "config" {
			ids = append(ids, bam.IDColumn{Name: name, Value: int64(jb.Config)})
			continue
		}
		c, err := runfolder.IDColumns(m, name)
		if err != nil {
			return nil, err
		}
		ids = append(ids, c...)
	}
	return []bam.ExportOption{bam.WithMetadata(meta...), bam.WithIDColumns(ids...)}, nil
}

// ParseSeriesIDColumns parses the id columns of kept series (see
// Sweep.SeriesIDColumns): a comma-separated list of "config" and the
// names of results.ParseIDColumns.
func ParseSeriesIDColumns(s string) ([]string, error) {
	items := strings.Split(s, ",")
	var rest []string
	for _, item := range items {
		if strings.TrimSpace(item) != "config" {
			rest = append(rest, item)
		}
	}
	var names []string
	if len(rest) > 0 {
		var err error
		if names, err = runfolder.ParseIDColumns(strings.Join(rest, ",")); err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		if strings.TrimSpace(item) != "config" {
			out, names = append(out, names[0]), names[1:]
			continue
		}
		if slices.Contains(out, "config") {
			return nil, fmt.Errorf("%w: config twice", runfolder.ErrIDColumns)
		}
		out = append(out, "config")
	}
	return out, nil
}

// SeriesDir is the folder of a sweep's kept series (Sweep.KeepSeries).
const SeriesDir = "series"

// SeriesName is the file of a job's kept series in SeriesDir:
// config-<configuration, 4 digits>-seed-<seed>.parquet.
func SeriesName(jb Job) string {
	return fmt.Sprintf("config-%04d-seed-%d.parquet", jb.Config, jb.Seed)
}

// runChunk is the number of periods run between two checks for
// cancellation.
const runChunk = 16

// runPeriods runs up to n periods of sim in chunks of runChunk, checking
// ctx between chunks (its error is returned), and stops early when the
// economy collapses or its state is no longer finite.
func runPeriods(ctx context.Context, sim *bam.Simulation, n int) error {
	for ran := 0; ran < n; {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := min(runChunk, n-ran)
		got := sim.Run(k)
		ran += got
		if got < k {
			break
		}
	}
	return nil
}

// runPool runs the jobs on workers goroutines and calls done, from the
// calling goroutine, with each finished summary and the number finished so
// far. A cancellation of ctx or the first error stops it: the jobs in
// flight are dropped, and the error (ctx's, if cancelled) is returned.
func runPool[R any](ctx context.Context, jobs []Job, workers int, run func(context.Context, Job) (R, error), done func(R, int) error) error {
	if len(jobs) == 0 {
		return ctx.Err()
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(jobs))
	outer := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		sum R
		err error
	}
	feed := make(chan Job)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for jb := range feed {
				sum, err := run(ctx, jb)
				results <- result{sum, err}
			}
		}()
	}
	go func() {
		defer close(feed)
		for _, jb := range jobs {
			select {
			case feed <- jb:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	var first error
	n := 0
	for r := range results {
		if first != nil {
			continue
		}
		if r.err == nil {
			n++
			r.err = done(r.sum, n)
		}
		if r.err != nil {
			first = r.err
			cancel()
		}
	}
	if err := outer.Err(); err != nil {
		return err
	}
	return first
}

// sortSummaries sorts summaries by configuration and seed.
func sortSummaries(s []Summary) {
	slices.SortFunc(s, func(a, b Summary) int {
		if a.Config != b.Config {
			return a.Config - b.Config
		}
		switch {
		case a.Seed < b.Seed:
			return -1
		case a.Seed > b.Seed:
			return 1
		}
		return 0
	})
}

// isFinite reports whether x is a finite number.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
