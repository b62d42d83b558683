package validation

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/bam-abm/bam/stats"

	"gonum.org/v1/gonum/stat"

	"github.com/bam-abm/bam/scenarios"
)

// StabilityConfig configures a stability test: one scenario over many
// seeds (spec §4.5).
type StabilityConfig struct {
	// Scenario is run once per seed (its own seed is replaced).
	Scenario *scenarios.Scenario
	// Suite is the metric set; nil chooses it with [SuiteFor].
	Suite *Suite
	// Seeds are the seeds to run, in report order.
	Seeds []uint64
	// Workers is the number of simulations run at once (≤ 0: the number of
	// CPUs). Results do not depend on it.
	Workers int
	// Options are passed to [RunSeed].
	Options Options
	// Progress, if set, is called from the calling goroutine after each
	// seed completes, with the number done and the total.
	Progress func(done, total int)
}

// MetricStats aggregates one metric over the seeds (spec §4.5, §8.2).
type MetricStats struct {
	Name      string
	Group     Group
	Weight    float64
	MeanValue float64 // mean of the actual value (NaN if any seed's is NaN)
	StdValue  float64 // population std of the actual value
	MeanScore float64
	StdScore  float64
	// PassRate is the share of seeds where the metric did not FAIL (WARN
	// counts as passing).
	PassRate float64
	// NWarn and NFail count the seeds with that status.
	NWarn, NFail int
}

// FailingSeed is a seed that did not pass, with the metrics that FAILed
// (empty for a non-evaluable buffer-stock seed).
type FailingSeed struct {
	Seed          uint64
	FailedMetrics []string
}

// DeltaStats aggregates one Growth+ metric's score change on the
// buffer-stock runs (spec §7.3).
type DeltaStats struct {
	Name      string
	Weight    float64
	MeanDelta float64
	Status    Status
}

// Stability is the result of a stability test (spec §4.5; §7.3 for
// buffer_stock).
type Stability struct {
	// Scenario is the scenario's name and Suite its metric set.
	Scenario string
	Suite    *Suite
	// Results holds each seed's result, in the order of the seeds given.
	Results []*Result
	// NSeeds counts every seed; NValid those that could be evaluated (all
	// but non-evaluable buffer-stock seeds); NPassed the passing ones.
	NSeeds, NValid, NPassed int
	// PassRate is NPassed / NValid.
	PassRate float64
	// Statistics of the valid seeds' total scores (population std).
	MeanScore, StdScore, MinScore, MaxScore float64
	// Metrics holds per-metric statistics, in the suite's metric order.
	Metrics []MetricStats
	// FailingSeeds lists the seeds that did not pass, in seed order.
	FailingSeeds []FailingSeed
	// IsStable is PassRate ≥ 0.9 and StdScore ≤ 0.15; CombinedScore is
	// MeanScore·PassRate·(1 − StdScore).
	IsStable      bool
	CombinedScore float64
	// Buffer-stock only: the Growth+ metrics' mean score changes, and the
	// names of those whose change is a FAIL ("degraded metrics").
	Deltas   []DeltaStats
	Degraded []string
}

// RunStability runs cfg.Scenario once per seed on cfg.Workers goroutines,
// one simulation per goroutine at a time, and aggregates the results. The
// results are collected by seed index, so the outcome is the same whatever
// the number of workers. It stops at the first error or when ctx is
// cancelled.
func RunStability(ctx context.Context, cfg StabilityConfig) (*Stability, error) {
	if len(cfg.Seeds) == 0 {
		return nil, errors.New("stability: no seeds")
	}
	suite := cfg.Suite
	if suite == nil {
		return nil, errors.New("stability: no suite")
	}
	opts, err := cfg.Options.resolve(cfg.Scenario, suite)
	if err != nil {
		return nil, err
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(cfg.Seeds))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]*Result, len(cfg.Seeds))
	jobs := make(chan int)
	type done struct {
		i   int
		err error
	}
	dones := make(chan done)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := RunSeed(ctx, cfg.Scenario, suite, cfg.Seeds[i], opts)
				results[i] = r
				dones <- done{i, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range cfg.Seeds {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(dones)
	}()
	var firstErr error
	n := 0
	for d := range dones {
		n++
		if d.err != nil && firstErr == nil {
			firstErr = d.err
			cancel()
		}
		if cfg.Progress != nil && firstErr == nil {
			cfg.Progress(n, len(cfg.Seeds))
		}
	}
	if firstErr != nil {
		return nil, fmt.Errorf("stability of %s: %w", cfg.Scenario.Name, firstErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Aggregate(cfg.Scenario.Name, suite, results), nil
}

// Aggregate computes the stability statistics of per-seed results (spec
// §4.5; for buffer_stock, non-evaluable seeds are left out of the score
// statistics and the pass-rate denominator, §7.3).
func Aggregate(scenario string, suite *Suite, results []*Result) *Stability {
	st := &Stability{Scenario: scenario, Suite: suite, Results: results, NSeeds: len(results)}
	var scores []float64
	for _, r := range results {
		if r.NotEvaluable {
			st.FailingSeeds = append(st.FailingSeeds, FailingSeed{Seed: r.Seed, FailedMetrics: []string{}})
			continue
		}
		st.NValid++
		scores = append(scores, r.TotalScore)
		if r.Passed {
			st.NPassed++
			continue
		}
		fs := FailingSeed{Seed: r.Seed, FailedMetrics: []string{}}
		for _, m := range r.Results {
			if m.Status == Fail {
				fs.FailedMetrics = append(fs.FailedMetrics, m.Name)
			}
		}
		st.FailingSeeds = append(st.FailingSeeds, fs)
	}
	st.PassRate = math.NaN()
	if st.NValid > 0 {
		st.PassRate = float64(st.NPassed) / float64(st.NValid)
	}
	st.MeanScore, st.StdScore = popMeanStd(scores)
	st.MinScore, st.MaxScore = stats.Min(scores), stats.Max(scores)
	st.IsStable = st.PassRate >= 0.9 && st.StdScore <= 0.15
	st.CombinedScore = st.MeanScore * st.PassRate * (1 - st.StdScore)

	st.Metrics = make([]MetricStats, len(suite.Metrics))
	for k := range suite.Metrics {
		m := &suite.Metrics[k]
		ms := MetricStats{Name: m.Name, Group: m.Group, Weight: m.Weight}
		var vals, scs []float64
		notFail := 0
		for _, r := range results {
			if r.NotEvaluable || k >= len(r.Results) {
				continue
			}
			mr := &r.Results[k]
			vals = append(vals, mr.Actual)
			scs = append(scs, mr.Score)
			switch mr.Status {
			case Fail:
				ms.NFail++
			case Warn:
				ms.NWarn++
				notFail++
			default:
				notFail++
			}
		}
		ms.MeanValue, ms.StdValue = popMeanStd(vals)
		ms.MeanScore, ms.StdScore = popMeanStd(scs)
		ms.PassRate = math.NaN()
		if len(vals) > 0 {
			ms.PassRate = float64(notFail) / float64(len(vals))
		}
		st.Metrics[k] = ms
	}

	if suite == BufferStock {
		for k := range GrowthPlusMetrics {
			m := &GrowthPlusMetrics[k]
			var ds []float64
			for _, r := range results {
				if !r.NotEvaluable && k < len(r.Deltas) {
					ds = append(ds, r.Deltas[k])
				}
			}
			d := DeltaStats{Name: m.Name, Weight: m.Weight, MeanDelta: stats.Mean(ds)}
			d.Status = DeltaStatus(d.MeanDelta, m.Weight)
			if len(ds) == 0 {
				d.Status = Pass
			}
			if d.Status == Fail {
				st.Degraded = append(st.Degraded, m.Name)
			}
			st.Deltas = append(st.Deltas, d)
		}
	}
	return st
}

// popMeanStd returns the mean and the population standard deviation of the
// across-seed values with gonum's stat.PopMeanStdDev (NaN, NaN for no
// values). Aggregates over seeds need no bit parity with NumPy (the
// reference's are compared statistically), so the library estimator serves.
func popMeanStd(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	return stat.PopMeanStdDev(x, nil)
}
