package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// InternalValidity is the internal-validity study of spec §9.1: one
// scenario, seeds SeedStart … SeedStart+NSeeds−1, each analysed with
// AnalyzeSeed and journaled, then aggregated over the valid seeds.
type InternalValidity struct {
	Scenario  *scenarios.Scenario
	SeedStart uint64
	NSeeds    int
	// BurnIn is the requested burn-in (validation.BurnIn resolves it).
	BurnIn  int
	Workers int
	// OnSeed, if set, is called after each seed is journaled.
	OnSeed func(done, total int)
	// Shard, if not nil, runs only the seeds k (0-based in the range) with
	// k mod Count = Index, into its own journal; MergeInternal combines
	// the shards.
	Shard *stability.Shard
	// AllFinite aggregates over every seed with finite values, degenerate
	// ones included, as the sensitivity analysis does (spec §9.2); the
	// internal-validity study averages over the valid seeds only.
	AllFinite bool
}

// StatSummary is a statistic over the valid seeds.
type StatSummary struct {
	Mean, Std, Min, Max, CV float64
}

// IVResult is the outcome of an internal-validity study.
type IVResult struct {
	Scenario  string
	NPeriods  int
	BurnIn    int
	SeedStart uint64
	NSeeds    int
	Seeds     []*SeedAnalysis
	// Valid counts the seeds that are not degenerate; the rates are over
	// every seed.
	Valid                        int
	CollapseRate, DegenerateRate float64
	// CoMean and CoStd are the mean and population std of each variable's
	// co-movement curve over the valid seeds (NaN values left out);
	// ModalPeakLag the most frequent peak lag (the smallest on a tie).
	CoMean, CoStd [][]float64
	ModalPeakLag  []float64
	// BaselineSeed is the seed whose curves are shown as the example: the
	// first seed if valid, else the first valid one.
	BaselineSeed uint64
	// MeanCycle is the pointwise mean of the valid seeds' GDP cycles
	// (truncated to the shortest) and MeanAR its AR(1), with MeanIRF.
	MeanCycle []float64
	MeanAR    stats.AR
	MeanIRF   []float64
	// ARConst, ARPhi1 and ARPhi2 summarise the per-seed AR(2) coefficients.
	ARConst, ARPhi1, ARPhi2, ARR2 StatSummary
	// Stats summarises every per-seed statistic.
	Stats map[string]StatSummary
	Wall  time.Duration
	// Ran and FromJournal count the seeds run now and read back.
	Ran, FromJournal int
}

// ivHeader is the first line of an internal-validity journal.
type ivHeader struct {
	Format     string `json:"format"`
	Scenario   string `json:"scenario"`
	ParamsHash string `json:"params_hash"`
	NPeriods   int    `json:"n_periods"`
	BurnIn     int    `json:"burn_in"`
	SeedStart  uint64 `json:"seed_start"`
	NSeeds     int    `json:"n_seeds"`
	Shard      string `json:"shard,omitempty"`
}

// IVFormat tags an internal-validity journal and result.
const IVFormat = "bam-robustness-internal/2"

// ivRecord is a SeedAnalysis as a journal line.
type ivRecord struct {
	Seed        uint64          `json:"seed"`
	Periods     int             `json:"periods"`
	Collapsed   bool            `json:"collapsed"`
	Degenerate  string          `json:"degenerate,omitempty"`
	LogGDP      []jnum          `json:"log_gdp"`
	GDPCycle    []jnum          `json:"gdp_cycle"`
	CoMovements [][]jnum        `json:"co_movements"`
	PeakLags    []jnum          `json:"peak_lags"`
	ARConst     jnum            `json:"ar_const"`
	ARPhi       []jnum          `json:"ar_phi"`
	ARR2        jnum            `json:"ar_r2"`
	Stats       map[string]jnum `json:"stats"`
	SizeShape   string          `json:"size_shape"`
}

func encodeSeed(a *SeedAnalysis) ivRecord {
	r := ivRecord{Seed: a.Seed, Periods: a.Periods, Collapsed: a.Collapsed, Degenerate: a.Degenerate,
		LogGDP: toJnums(a.LogGDP), GDPCycle: toJnums(a.GDPCycle), PeakLags: toJnums(a.PeakLags), ARConst: jnum(a.AR.Const),
		ARPhi: toJnums(a.AR.Phi), ARR2: jnum(a.AR.R2), Stats: map[string]jnum{}, SizeShape: a.SizeShape}
	for _, c := range a.CoMovements {
		r.CoMovements = append(r.CoMovements, toJnums(c))
	}
	for k, v := range a.Stats {
		r.Stats[k] = jnum(v)
	}
	return r
}

func decodeSeed(line []byte) (*SeedAnalysis, error) {
	var r ivRecord
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, err
	}
	if len(r.CoMovements) != len(CoVariables) || len(r.ARPhi) != AROrder {
		return nil, errors.New("a record of another analysis")
	}
	a := &SeedAnalysis{Seed: r.Seed, Periods: r.Periods, Collapsed: r.Collapsed, Degenerate: r.Degenerate,
		LogGDP: fromJnums(r.LogGDP), GDPCycle: fromJnums(r.GDPCycle), PeakLags: fromJnums(r.PeakLags),
		AR: stats.AR{Const: float64(r.ARConst), Phi: fromJnums(r.ARPhi), R2: float64(r.ARR2)}, Stats: map[string]float64{}, SizeShape: r.SizeShape}
	for _, c := range r.CoMovements {
		a.CoMovements = append(a.CoMovements, fromJnums(c))
	}
	for k, v := range r.Stats {
		a.Stats[k] = float64(v)
	}
	a.IRF = stats.IRF(a.AR.Phi, IRFSteps)
	return a, nil
}

// IVJournal is the journal's name in the study's folder.
const IVJournal = "internal.journal.jsonl"

// ivJournalName is the journal of a shard (IVJournal without one).
func ivJournalName(sh *stability.Shard) string {
	if sh == nil {
		return IVJournal
	}
	return fmt.Sprintf("internal.shard-%d-of-%d.journal.jsonl", sh.Index, sh.Count)
}

// Run runs the seeds not yet journaled in dir and aggregates all of them.
// A journal of another study is refused (ErrUnusable); a stop loses only
// the seeds in flight. An unsharded study may ask for more (or fewer)
// seeds than the run that created its journal: the seeds already run are
// reused and only the new ones run (a shard's seeds depend on the count,
// so a shard's journal must match it).
func (iv *InternalValidity) Run(ctx context.Context, dir string) (*IVResult, error) {
	t0 := time.Now()
	if iv.NSeeds < 1 {
		return nil, designError("--seeds %d: want an integer >= 1", iv.NSeeds)
	}
	sim, err := bam.NewFromScenario(iv.Scenario)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", iv.Scenario.Source, err)
	}
	p := &iv.Scenario.Params
	h := ivHeader{Format: IVFormat, Scenario: iv.Scenario.Name, ParamsHash: stability.Identity(p, sim.Pipeline.Names()),
		NPeriods: p.NPeriods, BurnIn: validation.BurnIn(iv.BurnIn, p.NPeriods), SeedStart: iv.SeedStart, NSeeds: iv.NSeeds}
	if iv.Shard != nil {
		h.Shard = iv.Shard.String()
	}
	path := filepath.Join(dir, ivJournalName(iv.Shard))
	j, raw, err := openJournal(path, h, func(line []byte) error {
		var have ivHeader
		err := json.Unmarshal(line, &have)
		if have.Shard == "" && h.Shard == "" {
			have.NSeeds = h.NSeeds // records are keyed by seed: a rerun with more (or fewer) seeds reuses them
		}
		if err != nil || have != h {
			return fmt.Errorf("%w: journal %s belongs to another study (or is not one); use another --out, or delete it to start over", ErrUnusable, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	done := map[uint64]*SeedAnalysis{}
	for i, line := range raw {
		a, err := decodeSeed(line)
		if err != nil {
			return nil, fmt.Errorf("%w: journal %s: record %d: %v", ErrUnusable, path, i+1, err)
		}
		done[a.Seed] = a
	}
	var todo []Job
	var mine []uint64
	for k := range iv.NSeeds {
		if iv.Shard != nil && k%iv.Shard.Count != iv.Shard.Index {
			continue
		}
		s := iv.SeedStart + uint64(k)
		mine = append(mine, s)
		if done[s] == nil {
			todo = append(todo, Job{Seed: s})
		}
	}
	res := &IVResult{Scenario: iv.Scenario.Name, NPeriods: p.NPeriods, BurnIn: h.BurnIn, SeedStart: iv.SeedStart, NSeeds: iv.NSeeds,
		FromJournal: len(mine) - len(todo)}
	err = runPool(ctx, todo, iv.Workers, func(ctx context.Context, jb Job) (*SeedAnalysis, error) {
		return RunSeedAnalysis(ctx, iv.Scenario, jb.Seed, iv.BurnIn)
	}, func(a *SeedAnalysis, n int) error {
		if err := j.Append(encodeSeed(a)); err != nil {
			return err
		}
		done[a.Seed] = a
		res.Ran++
		if iv.OnSeed != nil {
			iv.OnSeed(n, len(todo))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range mine {
		res.Seeds = append(res.Seeds, done[s])
	}
	if iv.Shard != nil { // a shard's part is aggregated by MergeInternal
		res.Wall = time.Since(t0)
		return res, j.Close()
	}
	res.aggregate(iv.AllFinite)
	res.Wall = time.Since(t0)
	return res, j.Close()
}

// aggregate fills the cross-seed outputs from r.Seeds (spec §9.1): over
// the valid seeds, or with all over every seed (each value where it is
// finite).
func (r *IVResult) aggregate(all bool) {
	var valid []*SeedAnalysis
	nc, nd := 0, 0
	for _, a := range r.Seeds {
		if a.Collapsed {
			nc++
		}
		if a.Degenerate != "" {
			nd++
			if !all {
				continue
			}
		}
		valid = append(valid, a)
	}
	r.Valid = len(r.Seeds) - nd
	r.CollapseRate, r.DegenerateRate = ratio(nc, len(r.Seeds)), ratio(nd, len(r.Seeds))
	r.BaselineSeed = r.SeedStart
	for _, a := range r.Seeds {
		if a.Degenerate == "" {
			r.BaselineSeed = a.Seed
			break
		}
	}
	lags := 2*MaxLag + 1
	for v := range CoVariables {
		mean, sd := make([]float64, lags), make([]float64, lags)
		for k := range lags {
			var x []float64
			for _, a := range valid {
				if c := a.CoMovements[v][k]; !math.IsNaN(c) {
					x = append(x, c)
				}
			}
			mean[k], sd[k] = stats.Mean(x), stats.Std(x)
		}
		r.CoMean, r.CoStd = append(r.CoMean, mean), append(r.CoStd, sd)
		count := map[float64]int{}
		for _, a := range valid {
			if !math.IsNaN(a.PeakLags[v]) {
				count[a.PeakLags[v]]++
			}
		}
		mode, best := math.NaN(), 0
		keys := make([]float64, 0, len(count))
		for k := range count {
			keys = append(keys, k)
		}
		sort.Float64s(keys)
		for _, k := range keys {
			if count[k] > best {
				mode, best = k, count[k]
			}
		}
		r.ModalPeakLag = append(r.ModalPeakLag, mode)
	}
	shortest := math.MaxInt
	for _, a := range valid {
		if len(a.GDPCycle) > 0 {
			shortest = min(shortest, len(a.GDPCycle))
		}
	}
	if len(valid) > 0 && shortest > 0 {
		r.MeanCycle = make([]float64, shortest)
		for t := range shortest {
			var x []float64
			for _, a := range valid {
				if len(a.GDPCycle) > 0 {
					x = append(x, a.GDPCycle[t])
				}
			}
			r.MeanCycle[t] = stats.Mean(x)
		}
	}
	if ar, ok := stats.ARFit(r.MeanCycle, 1); ok {
		r.MeanAR, r.MeanIRF = ar, stats.IRF(ar.Phi, IRFSteps)
	} else {
		r.MeanAR = stats.AR{Const: math.NaN(), Phi: []float64{math.NaN()}, R2: math.NaN()}
	}
	summ := func(get func(*SeedAnalysis) float64) StatSummary {
		var x []float64
		for _, a := range valid {
			if v := get(a); isFinite(v) {
				x = append(x, v)
			}
		}
		m := stats.Mean(x)
		return StatSummary{Mean: m, Std: stats.Std(x), Min: stats.Min(x), Max: stats.Max(x), CV: stats.Std(x) / math.Abs(m)}
	}
	r.ARConst = summ(func(a *SeedAnalysis) float64 { return a.AR.Const })
	r.ARPhi1 = summ(func(a *SeedAnalysis) float64 { return a.AR.Phi[0] })
	r.ARPhi2 = summ(func(a *SeedAnalysis) float64 { return a.AR.Phi[1] })
	r.ARR2 = summ(func(a *SeedAnalysis) float64 { return a.AR.R2 })
	r.Stats = map[string]StatSummary{}
	var names []string
	for _, a := range r.Seeds {
		for k := range a.Stats {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	for _, n := range names {
		r.Stats[n] = summ(func(a *SeedAnalysis) float64 {
			v, ok := a.Stats[n]
			if !ok {
				return math.NaN()
			}
			return v
		})
	}
}

// MergeInternal reads the internal-validity journals of dirs (the shards
// of one study, run with Shard, or whole runs of it), checks that they
// belong to one study and hold every seed once, and aggregates them as
// one machine would (Run). Errors about the files are of the class
// ErrUnusable.
func MergeInternal(dirs []string) (*IVResult, []string, error) {
	var journals []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join(d, "internal*.journal.jsonl"))
		if err != nil {
			return nil, nil, err
		}
		if len(m) == 0 {
			return nil, nil, fmt.Errorf("%w: %s holds no internal-validity journal", ErrUnusable, d)
		}
		journals = append(journals, m...)
	}
	slices.Sort(journals)
	journals = slices.Compact(journals)
	var first *ivHeader
	done := map[uint64]*SeedAnalysis{}
	for _, path := range journals {
		line, recs, err := readJournal(path)
		if err != nil {
			return nil, nil, err
		}
		var h ivHeader
		if err := json.Unmarshal(line, &h); err != nil || h.Format != IVFormat {
			return nil, nil, fmt.Errorf("%w: %s is not an internal-validity journal", ErrUnusable, path)
		}
		h.Shard = ""
		if first == nil {
			first = &h
		} else if h != *first {
			return nil, nil, fmt.Errorf("%w: %s belongs to another study than %s", ErrUnusable, path, journals[0])
		}
		for i, r := range recs {
			a, err := decodeSeed(r)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: journal %s: record %d: %v", ErrUnusable, path, i+1, err)
			}
			done[a.Seed] = a
		}
	}
	res := &IVResult{Scenario: first.Scenario, NPeriods: first.NPeriods, BurnIn: first.BurnIn, SeedStart: first.SeedStart, NSeeds: first.NSeeds}
	for k := range first.NSeeds {
		a := done[first.SeedStart+uint64(k)]
		if a == nil {
			return nil, nil, fmt.Errorf("%w: seed %d is in none of the journals; run the unfinished shards again (they resume)", ErrUnusable, first.SeedStart+uint64(k))
		}
		res.Seeds = append(res.Seeds, a)
	}
	res.aggregate(false)
	return res, journals, nil
}
