package validation

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/bam-abm/bam/scenarios"
)

// RunBufferStockSeed is [RunSeed] for the buffer_stock suite given the
// Growth+ result gp of the same seed, so that a study that has just run
// the Growth+ companion for this seed (a growth_plus study of the same
// parameters, spec §8.1) does not run it again. gp needs only its seed and
// its metric results, statuses, scores and counts (its quantities are not
// used); the outcome is the same as RunSeed's when gp is what the
// companion gives.
func RunBufferStockSeed(ctx context.Context, sc *scenarios.Scenario, seed uint64, opts Options, gp *Result) (*Result, error) {
	if gp == nil || gp.Seed != seed || len(gp.Results) != len(GrowthPlusMetrics) {
		return nil, errors.New("buffer_stock: the Growth+ result given is not one of this seed")
	}
	opts, err := opts.resolve(sc, BufferStock)
	if err != nil {
		return nil, err
	}
	return bufferStockAfter(ctx, sc, seed, opts, gp)
}

// bufferStockAfter validates the buffer-stock run of seed once the
// Growth+ result gp of the same seed is known (§7.1 steps 2–5).
func bufferStockAfter(ctx context.Context, sc *scenarios.Scenario, seed uint64, opts Options, gp *Result) (*Result, error) {
	res := &Result{Seed: seed, GrowthPlus: gp, BurnIn: gp.BurnIn}
	if collapsedGrowthPlus(&gp.Score) {
		res.NotEvaluable = true
		res.TotalScore = math.NaN()
		res.NFail = 1
		return res, nil
	}
	rec, collapsed, err := simulate(ctx, sc, seed, BufferStock.Plan, opts.Propensity)
	if err != nil {
		return nil, fmt.Errorf("seed %d: %w", seed, err)
	}
	res.Periods, res.Collapsed = rec.Periods(), collapsed
	q, s := BufferStock.Evaluate(rec, opts.BurnIn)
	res.Score, res.Quantities = *s, q
	// Informational: the Growth+ metrics on the buffer-stock run.
	_, gs := GrowthPlus.Evaluate(rec, opts.BurnIn)
	res.Deltas = make([]float64, len(gs.Results))
	for i := range gs.Results {
		res.Deltas[i] = gs.Results[i].Score - gp.Results[i].Score
	}
	return res, nil
}
