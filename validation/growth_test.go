package validation

import (
	"context"
	"math"
	"testing"

	"github.com/bam-abm/bam/scenarios"
)

func loadScenario(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Growth+ and buffer-stock seed 0 end to end through the embedded
// scenarios. Per-seed values differ from the reference's (§6.6, §7.4: a
// different random stream); what must hold is the reference's pattern: a
// finite value for every metric, no FAIL among the metrics that never
// FAILed there except the rare ones of §6.5, the WARNs the spec says are
// permanent, and a buffer-stock result with its 66 Growth+ deltas.
func TestGrowthScenariosEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("2 × 1000 periods plus distribution fits")
	}
	bs := loadScenario(t, "buffer_stock")
	r, err := RunSeed(context.Background(), bs, BufferStock, 0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := r.GrowthPlus
	rareFail := map[string]bool{"firm_size_skewness": true, "inflation_pct_in_bounds": true, "price_ratio_floor": true,
		"inflation_hard_ceiling_upper": true, "unemployment_absolute_ceiling": true, "firm_size_tail_ratio": true}
	alwaysWarn := []string{"inflation_rate_mean", "price_dispersion_mean", "minsky_hedge_pct", "minsky_ponzi_pct",
		"financial_fragility_mean", "equity_dispersion_mean", "real_interest_rate_mean"}
	status := map[string]Status{}
	for _, m := range g.Results {
		status[m.Name] = m.Status
		if !finite(m.Actual) {
			t.Errorf("growth_plus %s = %v", m.Name, m.Actual)
		}
		if m.Status == Fail && !rareFail[m.Name] {
			t.Errorf("growth_plus %s FAILs with %v", m.Name, m.Actual)
		}
	}
	for _, n := range alwaysWarn {
		if status[n] != Warn {
			t.Errorf("growth_plus %s is %s, the reference is always WARN", n, status[n])
		}
	}
	if q := g.Quantities; math.Abs(q["minsky_hedge_pct"]+q["minsky_speculative_pct"]+q["minsky_ponzi_pct"]-1) > 1e-12 {
		t.Errorf("Minsky shares do not sum to 1: %v %v %v", q["minsky_hedge_pct"], q["minsky_speculative_pct"], q["minsky_ponzi_pct"])
	}
	if r.NotEvaluable || len(r.Results) != 8 || len(r.Deltas) != 66 {
		t.Fatalf("buffer_stock: not evaluable %v, %d results, %d deltas", r.NotEvaluable, len(r.Results), len(r.Deltas))
	}
	for _, m := range r.Results {
		if !finite(m.Actual) {
			t.Errorf("buffer_stock %s = %v", m.Name, m.Actual)
		}
		t.Logf("buffer_stock %-16s %.4f %s", m.Name, m.Actual, m.Status)
	}
	t.Logf("growth_plus: %d PASS %d WARN %d FAIL, score %.4f; buffer_stock score %.4f", g.NPass, g.NWarn, g.NFail, g.TotalScore, r.TotalScore)
}

// GrowthPlus metrics computed on a baseline run: every quantity finite,
// no productivity growth.
func TestGrowthPlusQuantitiesOnBaseline(t *testing.T) {
	sc := scenarios.Default()
	sc.Params.NPeriods = 400
	rec, _, err := simulate(context.Background(), sc, 1, GrowthPlusPlan(), nil)
	if err != nil {
		t.Fatal(err)
	}
	q, s := GrowthPlus.Evaluate(rec, DefaultBurnIn)
	if len(s.Results) != 66 {
		t.Fatalf("%d results", len(s.Results))
	}
	for _, m := range GrowthPlusMetrics {
		if v, ok := q[m.Quantity]; !ok || !finite(v) {
			t.Errorf("%s = %v", m.Quantity, v)
		}
	}
	if q["total_productivity_growth"] != 0 || q["productivity_trend_coefficient"] != 0 {
		t.Errorf("baseline productivity grew: %v %v", q["total_productivity_growth"], q["productivity_trend_coefficient"])
	}
}
