package validation

import (
	"encoding/json"
	"math"
	"testing"
)

func TestEscalation(t *testing.T) {
	tests := []struct{ w, m float64 }{
		{3, 0.5}, {2, 1}, {1.5, 2}, {1, 3}, {0.75, 3.5}, {0.5, 4}, {0, 5}, {-1, 5}, {10, 0.5},
	}
	for _, tt := range tests {
		if got := Escalation(tt.w); got != tt.m {
			t.Errorf("Escalation(%v) = %v, want %v", tt.w, got, tt.m)
		}
	}
}

// Boundary cases of every check type (spec §4.3), with the statuses the
// spec's FAIL columns imply and hand-computed scores.
func TestCheckBoundaries(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	meanTol := Metric{Check: MeanTolerance, Target: Target{Target: 0.5, Tolerance: 0.25}, Weight: 1.5} // m = 2: WARN to 1.0 away
	hard := Metric{Check: MeanTolerance, Target: Target{Target: 3, Tolerance: 2, Min: 1, Max: 10, HardMin: true, HardMax: true}, Weight: 1.5}
	hardLow := Metric{Check: MeanTolerance, Target: Target{Target: 3, Tolerance: 0.5, Min: 0, HardMin: true}, Weight: 3} // m = 0.5
	rng := Metric{Check: Range, Target: Target{Min: 0, Max: 1}, Weight: 1}                                               // m = 3: WARN within 1.5
	point := Metric{Check: Range, Target: Target{Min: 2, Max: 2}, Weight: 1}
	pct := Metric{Check: PctWithin, Target: Target{Target: 0.75, Min: 0.5}, Weight: 1.5} // m = 2: WARN down to 0.25
	pctZero := Metric{Check: PctWithin, Target: Target{Target: 0.5, Min: 0}, Weight: 1}
	out := Metric{Check: Outlier, Target: Target{MaxOutlier: 0.25, Penalty: 2}, Weight: 1.5} // WARN to 1.0
	outZero := Metric{Check: Outlier, Target: Target{MaxOutlier: 0}, Weight: 1}
	outDefault := Metric{Check: Outlier, Target: Target{MaxOutlier: 0.25}, Weight: 1.5}
	below := Metric{Check: Boolean, Target: Target{Threshold: 0.2, Invert: true}, Weight: 3}
	above := Metric{Check: Boolean, Target: Target{Threshold: 0}, Weight: 2}

	tests := []struct {
		name   string
		m      *Metric
		x      float64
		status Status
		score  float64
	}{
		{"meantol on target", &meanTol, 0.5, Pass, 1},
		{"meantol at tolerance", &meanTol, 0.75, Pass, 0.5},
		{"meantol just past tolerance", &meanTol, 0.75 + 1e-9, Warn, 0.5 - 2e-9},
		{"meantol at warn edge", &meanTol, -0.5, Warn, 0},
		{"meantol past warn edge", &meanTol, 1.5 + 1e-9, Fail, 0},
		{"meantol NaN", &meanTol, nan, Fail, 0},
		{"meantol +Inf", &meanTol, inf, Fail, 0},
		{"hard bounds inside tolerance", &hard, 4.5, Pass, 0.625},
		{"hard bounds WARN past tolerance", &hard, 7, Warn, 0},
		{"hard bounds softened FAIL", &hard, 9.5, Warn, 0}, // FAIL with m = 2 (|d| > 8) and with m = 1
		{"hard max violated", &hard, 10.5, Fail, 0},
		{"hard min violated", &hard, 0.5, Fail, 0.375},
		{"hard bounds NaN", &hard, nan, Warn, 0},
		{"hard bound escalation-only FAIL kept", &hardLow, 3.6, Fail, 0.4}, // WARN band 0.5 with m = 0.5, 1 with m = 1
		{"hard bound FAIL at both escalations softened", &hardLow, 4.5, Warn, 0},
		{"range centre", &rng, 0.5, Pass, 1},
		{"range edge", &rng, 1, Pass, 0.75},
		{"range lower edge", &rng, 0, Pass, 0.75},
		{"range just outside", &rng, 1.25, Warn, 0.5},
		{"range warn edge", &rng, 2.5, Warn, 0},
		{"range past warn edge", &rng, -1.5 - 1e-9, Fail, 0},
		{"range NaN", &rng, nan, Fail, 0},
		{"range -Inf", &rng, -inf, Fail, 0},
		{"zero-width range hit", &point, 2, Pass, 1},
		{"zero-width range miss", &point, 2.1, Fail, 0},
		{"pct at target", &pct, 0.75, Pass, 1},
		{"pct above target", &pct, 1, Pass, 1},
		{"pct at floor", &pct, 0.5, Warn, 0.75},
		{"pct between", &pct, 0.625, Warn, 0.875},
		{"pct below floor", &pct, 0.25, Warn, 0.375},
		{"pct past warn edge", &pct, 0.25 - 1e-9, Fail, 0.375 - 1.5e-9},
		{"pct zero", &pct, 0, Fail, 0},
		{"pct NaN", &pct, nan, Fail, 0},
		{"pct zero floor below", &pctZero, 0, Warn, 0.75},
		{"pct zero floor negative", &pctZero, -0.1, Fail, 0},
		{"outlier at max", &out, 0.25, Pass, 1},
		{"outlier below", &out, 0, Pass, 1},
		{"outlier over", &out, 0.5, Warn, math.Exp(-2)},
		{"outlier warn edge", &out, 1, Warn, math.Exp(-6)},
		{"outlier past warn edge", &out, 1.01, Fail, math.Exp(-2 * 0.76 / 0.25)},
		{"outlier zero max", &outZero, 0.01, Fail, 0},
		{"outlier zero max hit", &outZero, 0, Pass, 1},
		{"outlier default penalty", &outDefault, 0.5, Warn, math.Exp(-2)},
		{"outlier NaN", &out, nan, Fail, 0},
		{"boolean below passes", &below, 0.19999, Pass, 1},
		{"boolean at threshold fails (strict)", &below, 0.2, Fail, 0},
		{"boolean above", &above, 1e-12, Pass, 1},
		{"boolean at zero", &above, 0, Fail, 0},
		{"boolean NaN", &above, nan, Fail, 0},
		{"boolean invert NaN", &below, nan, Fail, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, sc := tt.m.Evaluate(tt.x)
			if st != tt.status || math.Abs(sc-tt.score) > 1e-12 {
				t.Errorf("Evaluate(%v) = %s %v, want %s %v", tt.x, st, sc, tt.status, tt.score)
			}
			if sc < 0 || sc > 1 || math.IsNaN(sc) {
				t.Errorf("score %v outside [0, 1]", sc)
			}
		})
	}
}

// The hand-checked cases of spec §5.3 and §6.6.
func TestSpecHandCases(t *testing.T) {
	find := func(ms []Metric, name string) *Metric {
		for i := range ms {
			if ms[i].Name == name {
				return &ms[i]
			}
		}
		t.Fatalf("no metric %s", name)
		return nil
	}
	tests := []struct {
		m      *Metric
		x      float64
		status Status
		score  float64
	}{
		{find(BaselineMetrics, "inflation_rate_mean"), 0.009600694241675707, Warn, 0.32667823736126167},
		{find(BaselineMetrics, "unemployment_pct_above_floor"), 0.92, Warn, 0.8500000000000002},
		{find(BaselineMetrics, "unemployment_absolute_ceiling"), 0.18000000000000005, Pass, 1},
		{find(BaselineMetrics, "firm_size_pct_below"), 0.98, Pass, 0.7763157894736843},
		{find(GrowthPlusMetrics, "firm_size_pct_below"), 0.96, Warn, 0.6499999999999999},
		{find(GrowthPlusMetrics, "n_recessions"), 9, Warn, 0.5833333333333334},
		{find(GrowthPlusMetrics, "price_dispersion_mean"), 0.07494824197448159, Warn, 0},
		{find(GrowthPlusMetrics, "firm_size_skewness"), 2.7497953331037768, Pass, 0.9374488332759442},
		{find(GrowthPlusMetrics, "price_ratio_floor"), 1.24259598918482, Pass, 1},
	}
	for _, tt := range tests {
		st, sc := tt.m.Evaluate(tt.x)
		if st != tt.status || sc != tt.score {
			t.Errorf("%s(%v) = %s %v, want %s %v (bit for bit)", tt.m.Name, tt.x, st, sc, tt.status, tt.score)
		}
	}
}

func TestScoreQuantitiesMissingIsNaN(t *testing.T) {
	s := ScoreQuantities(BaselineMetrics, Quantities{})
	if s.NFail == 0 || s.Passed || s.TotalScore != 0 {
		t.Errorf("empty quantities: %d FAIL, passed %v, total %v", s.NFail, s.Passed, s.TotalScore)
	}
	for _, r := range s.Results {
		if !math.IsNaN(r.Actual) || r.Score != 0 {
			t.Errorf("%s: actual %v score %v", r.Name, r.Actual, r.Score)
		}
	}
}

func TestStatusAndCheckJSON(t *testing.T) {
	b, err := json.Marshal(struct {
		S Status
		C Check
	}{Warn, PctWithin})
	if err != nil || string(b) != `{"S":"WARN","C":"PCT_WITHIN"}` {
		t.Errorf("got %s, %v", b, err)
	}
}

func TestTargetDescribe(t *testing.T) {
	tests := []struct {
		m    Metric
		want string
	}{
		{BaselineMetrics[0], "0.065 ± 0.025"},
		{BaselineMetrics[1], "< 0.2"},
		{BaselineMetrics[2], "[0.01, 0.03]"},
		{BaselineMetrics[3], "≥ 0.95 (min 0.9)"},
		{GrowthPlusMetrics[22], "3 ± 2, hard [1, 10]"},
		{GrowthPlusMetrics[59], "≤ 0.02"},
		{GrowthPlusMetrics[12], "> 0"},
	}
	for _, tt := range tests {
		if got := tt.m.Target.Describe(tt.m.Check); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.m.Name, got, tt.want)
		}
	}
}
