package experiments

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation/stability"
)

// The files a finished sweep writes into its folder.
const (
	TidyCSV          = "sweep.csv"
	TidyParquet      = "sweep.parquet"
	AggregateCSV     = "aggregate.csv"
	AggregateParquet = "aggregate.parquet"
	SweepJSON        = "sweep.json"
)

// Metadata describes where and how a sweep ran, for sweep.json: the
// caller's program and machine, and the timings. None of it is part of the
// results.
type Metadata struct {
	Program     string            `json:"program,omitempty"`
	Version     string            `json:"version,omitempty"`
	Commit      string            `json:"commit,omitempty"`
	Machine     map[string]string `json:"machine,omitempty"`
	Workers     int               `json:"workers,omitempty"`
	WallSeconds float64           `json:"wall_seconds"`
	JobsRun     int               `json:"jobs_run"`
	JobsJournal int               `json:"jobs_from_journal"`
	JobSeconds  float64           `json:"mean_job_seconds"`
	Source      string            `json:"source"` // "sweep" or "merge"
}

// metricNames returns the numeric summary columns of a job, in table
// order: the gate's metrics, each series' mean and std, and the score.
func (s *Sweep) metricNames() []string {
	var names []string
	for _, g := range GateNames {
		names = append(names, "gate_"+g)
	}
	for _, n := range SeriesNames() {
		names = append(names, n+"_mean", n+"_std")
	}
	if s.Score {
		names = append(names, "score")
	}
	return names
}

// metricValues returns a summary's values in the order of metricNames.
func (s *Sweep) metricValues(sum *Summary) []float64 {
	g := gateValues(sum.Gate)
	v := append([]float64(nil), g[:]...)
	for i := range sum.Means {
		v = append(v, sum.Means[i], sum.Stds[i])
	}
	if s.Score {
		v = append(v, sum.Score)
	}
	return v
}

// paramColumns adds the design's parameters to t, numeric where every
// value is a number, and returns a function that fills them for a
// configuration.
func (s *Sweep) paramColumns(t *table) func(config int) {
	d := s.Design
	cols := make([]*column, len(d.Params))
	numeric := make([]bool, len(d.Params))
	for j, p := range d.Params {
		numeric[j] = true
		for _, c := range d.Configs {
			if _, err := strconv.ParseFloat(c[j], 64); err != nil {
				numeric[j] = false
			}
		}
		kind := kString
		if numeric[j] {
			kind = kFloat
		}
		cols[j] = t.add(p, kind)
	}
	return func(config int) {
		for j, c := range cols {
			v := d.Configs[config][j]
			if numeric[j] {
				x, _ := strconv.ParseFloat(v, 64)
				c.f = append(c.f, x)
			} else {
				c.s = append(c.s, v)
			}
		}
	}
}

// tidy returns the table of one row per job: the parameters, seed,
// periods, collapsed, failed, then every metric.
func (s *Sweep) tidy(sums []Summary) *table {
	t := &table{n: len(sums)}
	fill := s.paramColumns(t)
	seed, periods := t.add("seed", kInt), t.add("periods", kInt)
	collapsed, failed := t.add("collapsed", kBool), t.add("failed", kString)
	var metrics []*column
	for _, n := range s.metricNames() {
		metrics = append(metrics, t.add(n, kFloat))
	}
	var passed, fails, series *column
	if s.Score {
		passed, fails = t.add("passed", kBool), t.add("fails", kInt)
	}
	if s.KeepSeries {
		series = t.add("series", kString)
	}
	for i := range sums {
		sum := &sums[i]
		fill(sum.Config)
		seed.i = append(seed.i, int64(sum.Seed))
		periods.i = append(periods.i, int64(sum.Periods))
		collapsed.b = append(collapsed.b, sum.Collapsed)
		failed.s = append(failed.s, sum.Failed)
		for j, v := range s.metricValues(sum) {
			metrics[j].f = append(metrics[j].f, v)
		}
		if passed != nil {
			passed.b = append(passed.b, sum.Passed)
			fails.i = append(fails.i, int64(sum.Fails))
		}
		if series != nil {
			series.s = append(series.s, SeriesDir+"/"+SeriesName(Job{sum.Config, sum.Seed}))
		}
	}
	return t
}

// aggregate returns the table of one row per configuration: the
// parameters, the number of seeds, the collapse rate and the number of
// failed jobs, then for each metric its mean, sample standard deviation
// and 95 % confidence interval of the mean over the seeds where it is
// finite (mean ± t₀.₉₇₅,ₙ₋₁ · s/√n; NaN with fewer than two such seeds),
// and with --score the pass rate. sums must be sorted by configuration.
func (s *Sweep) aggregate(sums []Summary) *table {
	t := &table{n: s.Design.Len()}
	fill := s.paramColumns(t)
	nSeeds, collapse, failed := t.add("n_seeds", kInt), t.add("collapse_rate", kFloat), t.add("failed", kInt)
	names := s.metricNames()
	stat := make([][4]*column, len(names))
	for j, n := range names {
		for k, suffix := range []string{"_mean", "_std", "_ci95_lo", "_ci95_hi"} {
			stat[j][k] = t.add(n+suffix, kFloat)
		}
	}
	var pass *column
	if s.Score {
		pass = t.add("pass_rate", kFloat)
	}
	byConfig := make([][]*Summary, s.Design.Len())
	for i := range sums {
		byConfig[sums[i].Config] = append(byConfig[sums[i].Config], &sums[i])
	}
	for c, group := range byConfig {
		fill(c)
		nSeeds.i = append(nSeeds.i, int64(len(group)))
		nc, nf, np := 0, 0, 0
		values := make([][]float64, len(names))
		for _, sum := range group {
			if sum.Collapsed {
				nc++
			}
			if sum.Failed != "" {
				nf++
			}
			if sum.Passed {
				np++
			}
			for j, v := range s.metricValues(sum) {
				if isFinite(v) {
					values[j] = append(values[j], v)
				}
			}
		}
		collapse.f = append(collapse.f, ratio(nc, len(group)))
		failed.i = append(failed.i, int64(nf))
		for j := range names {
			m, sd, lo, hi := meanCI(values[j])
			for k, v := range []float64{m, sd, lo, hi} {
				stat[j][k].f = append(stat[j][k].f, v)
			}
		}
		if pass != nil {
			pass.f = append(pass.f, ratio(np, len(group)))
		}
	}
	return t
}

// ratio is a/b, NaN for b = 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// meanCI returns the mean, the sample standard deviation (n − 1) and the
// 95 % Student-t confidence interval of the mean of x.
func meanCI(x []float64) (mean, sd, lo, hi float64) {
	n := len(x)
	mean = stats.Mean(x)
	if n < 2 {
		return mean, math.NaN(), math.NaN(), math.NaN()
	}
	sd = stats.Std(x) * math.Sqrt(float64(n)/float64(n-1))
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975) * sd / math.Sqrt(float64(n))
	return mean, sd, mean - half, mean + half
}

// document is sweep.json.
type document struct {
	Format    string   `json:"format"`
	Scenario  string   `json:"scenario"`
	Source    string   `json:"source"`
	NPeriods  int      `json:"n_periods"`
	BurnIn    int      `json:"burn_in"`
	SeedStart uint64   `json:"seed_start"`
	NSeeds    int      `json:"n_seeds"`
	Score     bool     `json:"score"`
	Design    *Design  `json:"design"`
	Files     []string `json:"files"`
	Metadata  Metadata `json:"metadata"`
}

// Write writes the results of a finished sweep into dir: the tidy and
// aggregate tables as CSV and Parquet, and sweep.json; each file
// atomically. sums holds one summary per job of the whole sweep (Run's,
// or Merge's); they are written in configuration and seed order, so the
// files do not depend on the workers, shards or interruptions (apart from
// sweep.json's metadata).
func (s *Sweep) Write(dir string, sums []Summary, meta Metadata) error {
	h, err := s.header()
	if err != nil {
		return err
	}
	if want := s.Design.Len() * s.NSeeds; len(sums) != want {
		return fmt.Errorf("sweep: %d job summaries for %d jobs", len(sums), want)
	}
	sums = append([]Summary(nil), sums...)
	sortSummaries(sums)
	kv := [][2]string{{"bam.format", SweepFormat}, {"bam.scenario", h.Scenario}, {"bam.n_periods", strconv.Itoa(h.NPeriods)},
		{"bam.burn_in", strconv.Itoa(h.BurnIn)}, {"bam.seed_start", strconv.FormatUint(s.SeedStart, 10)}, {"bam.n_seeds", strconv.Itoa(s.NSeeds)}}
	if meta.Version != "" {
		kv = append(kv, [2]string{"bam.version", meta.Version})
	}
	tidy, agg := s.tidy(sums), s.aggregate(sums)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{TidyCSV, tidy.writeCSV},
		{TidyParquet, func(w io.Writer) error { return tidy.writeParquet(w, kv) }},
		{AggregateCSV, agg.writeCSV},
		{AggregateParquet, func(w io.Writer) error { return agg.writeParquet(w, kv) }},
	}
	doc := document{Format: SweepFormat, Scenario: h.Scenario, Source: s.Scenario.Source, NPeriods: h.NPeriods, BurnIn: h.BurnIn,
		SeedStart: s.SeedStart, NSeeds: s.NSeeds, Score: s.Score, Design: s.Design, Metadata: meta}
	for _, f := range files {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return fmt.Errorf("sweep: %s: %w", f.name, err)
		}
		if err := stability.WriteFileAtomic(filepath.Join(dir, f.name), b.Bytes()); err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		doc.Files = append(doc.Files, f.name)
	}
	doc.Files = append(doc.Files, SweepJSON)
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, SweepJSON), append(b, '\n')); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}
