package validation

import (
	"context"
	"fmt"
	"slices"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
)

// Suite is a scenario's validation: its capture plan and scored metrics.
type Suite struct {
	// Name is the scenario name of the spec: "baseline", "growth_plus" or
	// "buffer_stock".
	Name string
	// Metrics are the scored metrics, in the reference's order.
	Metrics []Metric
	// Plan says what is recorded and where.
	Plan Plan
}

// The three validation suites (spec §5–§7).
var (
	Baseline    = &Suite{Name: "baseline", Metrics: BaselineMetrics, Plan: BaselinePlan()}
	GrowthPlus  = &Suite{Name: "growth_plus", Metrics: GrowthPlusMetrics, Plan: GrowthPlusPlan()}
	BufferStock = &Suite{Name: "buffer_stock", Metrics: BufferStockMetrics, Plan: BufferStockPlan()}
)

// Suites lists the suites in spec order.
var Suites = []*Suite{Baseline, GrowthPlus, BufferStock}

// Marker systems: a pipeline holding them has the R&D (Growth+) or the
// buffer-stock extension attached (spec §12.2, §12.3).
const (
	rndMarker         = AtProductivityGrowth
	bufferStockMarker = AtBufferStockPropens
)

// SuiteFor returns the suite of a simulation, chosen by the extensions its
// pipeline holds: buffer_stock if it has consumers_calc_buffer_stock_propensity,
// growth_plus if it has firms_apply_productivity_growth, baseline
// otherwise. When the scenario's name is itself one of the three suite
// names, it must agree with the extensions found, so that a scenario file
// whose extension is missing is not silently validated against the wrong
// targets.
func SuiteFor(sc *scenarios.Scenario, pipeline []string) (*Suite, error) {
	s := Baseline
	switch {
	case slices.Contains(pipeline, bufferStockMarker):
		s = BufferStock
	case slices.Contains(pipeline, rndMarker):
		s = GrowthPlus
	}
	for _, named := range Suites {
		if sc.Name == named.Name && named != s {
			return nil, fmt.Errorf("scenario %s: its pipeline has the extensions of %s, not of %s (%s)",
				sc.Name, s.Name, named.Name, suiteMarkers(named))
		}
	}
	return s, nil
}

func suiteMarkers(s *Suite) string {
	switch s {
	case GrowthPlus:
		return "needs " + rndMarker + ", without " + bufferStockMarker
	case BufferStock:
		return "needs " + bufferStockMarker
	}
	return "needs neither " + rndMarker + " nor " + bufferStockMarker
}

// Options configure a validation run.
type Options struct {
	// BurnIn is the requested burn-in (0 means 500); [BurnIn] resolves it
	// against n_periods.
	BurnIn int
	// Propensity reads the buffer-stock propensity (buffer_stock suite);
	// nil means [DefaultPropensity].
	Propensity PropensityFunc
	// GrowthPlus is the Growth+ scenario the buffer_stock suite runs with
	// the same seed (its collapse check and informational deltas, §7.1);
	// nil means [GrowthPlusCompanion] of the buffer-stock scenario.
	GrowthPlus *scenarios.Scenario
}

// Result is the validation of one seed.
type Result struct {
	// Seed is the seed run.
	Seed uint64
	// Periods is T, the number of periods recorded (fewer than requested if
	// the economy collapsed).
	Periods int
	// Collapsed reports an economy that collapsed before n_periods.
	Collapsed bool
	// BurnIn is the burn-in used.
	BurnIn int
	// Score holds the metric results and the total.
	Score
	// Quantities are every computed quantity (scored or not).
	Quantities Quantities

	// Buffer-stock only.
	// NotEvaluable is set when the Growth+ run of the same seed collapsed
	// (§7.1): TotalScore is NaN, there are no metric results and NFail = 1.
	NotEvaluable bool
	// GrowthPlus is the Growth+ result of the same seed.
	GrowthPlus *Result
	// Deltas holds, for each Growth+ metric in order, its score on the
	// buffer-stock run minus its score on the Growth+ run
	// (informational, §7.1 step 5).
	Deltas []float64
}

// Evaluate computes a suite's quantities from a record and scores them.
// The buffer_stock suite scores its 8 unique metrics only (the Growth+
// comparison needs a second run; see [RunSeed]).
func (s *Suite) Evaluate(r *Record, burnIn int) (Quantities, *Score) {
	b := BurnIn(burnIn, r.NPeriods)
	var q Quantities
	switch s {
	case GrowthPlus:
		q = GrowthPlusQuantities(r, Derive(r), b)
	case BufferStock:
		q = BufferStockQuantities(r)
	default:
		q, _ = BaselineQuantities(r, Derive(r), b)
	}
	return q, ScoreQuantities(s.Metrics, q)
}

// runChunk is the number of periods run between checks for cancellation.
const runChunk = 32

// simulate builds sc with the given seed, records it with plan and runs it
// for n_periods (fewer on collapse).
func simulate(ctx context.Context, sc *scenarios.Scenario, seed uint64, plan Plan, prop PropensityFunc) (*Record, bool, error) {
	sc = sc.Clone()
	sc.Params.Seed = seed
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		return nil, false, err
	}
	// The recorder captures everything the suites score; the History would
	// only cost time (about 4 % of a seed).
	if err := sim.DisableHistory(); err != nil {
		return nil, false, err
	}
	rec, err := NewRecorder(sim, plan, prop)
	if err != nil {
		return nil, false, err
	}
	n := sc.Params.NPeriods
	sim.Reserve(n)
	for ran := 0; ran < n; {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		k := min(runChunk, n-ran)
		got := sim.Run(k)
		ran += got
		if got < k {
			break
		}
	}
	return rec.Record(), sim.Collapsed(), nil
}

// RunSeed runs scenario sc with the given seed and validates it against
// suite (spec §1 "validation run"; §7.1 for buffer_stock, which first runs
// opts.GrowthPlus with the same seed).
func RunSeed(ctx context.Context, sc *scenarios.Scenario, suite *Suite, seed uint64, opts Options) (*Result, error) {
	if suite == BufferStock {
		return runBufferStock(ctx, sc, seed, opts)
	}
	rec, collapsed, err := simulate(ctx, sc, seed, suite.Plan, opts.Propensity)
	if err != nil {
		return nil, fmt.Errorf("seed %d: %w", seed, err)
	}
	q, s := suite.Evaluate(rec, opts.BurnIn)
	return &Result{
		Seed: seed, Periods: rec.Periods(), Collapsed: collapsed,
		BurnIn: BurnIn(opts.BurnIn, rec.NPeriods), Score: *s, Quantities: q,
	}, nil
}

// GrowthPlusCompanion returns the Growth+ scenario a buffer-stock scenario
// is compared with (§7.1): the embedded growth_plus scenario with every
// parameter of bs (core and extension parameters; the buffer-stock ones
// are unused without the extension). Pipeline edits of bs are not carried
// over.
func GrowthPlusCompanion(bs *scenarios.Scenario) (*scenarios.Scenario, error) {
	gp, err := scenarios.Load(GrowthPlus.Name)
	if err != nil {
		return nil, fmt.Errorf("buffer_stock validation runs growth_plus with each seed: %w", err)
	}
	gp.Params = bs.Params.Clone()
	return gp, nil
}

// resolve fills in the defaults of o for validating sc with suite.
func (o Options) resolve(sc *scenarios.Scenario, suite *Suite) (Options, error) {
	if suite != BufferStock {
		return o, nil
	}
	if o.Propensity == nil {
		o.Propensity = DefaultPropensity
	}
	if o.GrowthPlus == nil {
		gp, err := GrowthPlusCompanion(sc)
		if err != nil {
			return o, err
		}
		o.GrowthPlus = gp
	}
	return o, nil
}

func runBufferStock(ctx context.Context, sc *scenarios.Scenario, seed uint64, opts Options) (*Result, error) {
	opts, err := opts.resolve(sc, BufferStock)
	if err != nil {
		return nil, err
	}
	gp, err := RunSeed(ctx, opts.GrowthPlus, GrowthPlus, seed, opts)
	if err != nil {
		return nil, fmt.Errorf("growth_plus run: %w", err)
	}
	return bufferStockAfter(ctx, sc, seed, opts, gp)
}
