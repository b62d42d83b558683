package report

import (
	"fmt"
	"math"
	"testing"

	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

func TestBandClass(t *testing.T) {
	for _, tc := range []struct {
		v, green, yellow float64
		want             string
	}{
		{0.97, passRateGreen, passRateYellow, "green"},
		{1, passRateGreen, passRateYellow, "green"},
		{0.9699, passRateGreen, passRateYellow, "yellow"},
		{0.96, passRateGreen, passRateYellow, "yellow"},
		{0.9599, passRateGreen, passRateYellow, "red"},
		{0.85, scoreGreen, scoreYellow, "green"},
		{0.8499, scoreGreen, scoreYellow, "yellow"},
		{0.80, scoreGreen, scoreYellow, "yellow"},
		{0.7999, scoreGreen, scoreYellow, "red"},
		{math.NaN(), scoreGreen, scoreYellow, "na"},
	} {
		if got := bandClass(tc.v, tc.green, tc.yellow); got != tc.want {
			t.Errorf("bandClass(%v, %v, %v) = %s, want %s", tc.v, tc.green, tc.yellow, got, tc.want)
		}
	}
}

// The status regions of a metric have the check's exact edges (spec §4.3).
func TestStatusRegions(t *testing.T) {
	find := func(name string) *validation.Metric {
		m := stability.SuiteMetric(validation.Baseline, name)
		if m == nil {
			t.Fatalf("no metric %s", name)
		}
		return m
	}
	type reg struct {
		x0, x1 float64
		st     validation.Status
	}
	check := func(m *validation.Metric, lo, hi float64, want []reg) {
		t.Helper()
		got := statusRegions(m, lo, hi)
		if len(got) != len(want) {
			t.Fatalf("%s: %d regions %v, want %v", m.Name, len(got), got, want)
		}
		for i, w := range want {
			g := got[i]
			if math.Abs(g.x0-w.x0) > 1e-12 || math.Abs(g.x1-w.x1) > 1e-12 || g.status != w.st {
				t.Errorf("%s: region %d = %v, want %v", m.Name, i, g, w)
			}
		}
	}
	P, W, F := validation.Pass, validation.Warn, validation.Fail
	// 0.065 ± 0.025, weight 1.5 (m = 2): WARN up to 0.1 from the target.
	check(find("unemployment_rate_mean"), 0, 0.2, []reg{{0, 0.04, W}, {0.04, 0.09, P}, {0.09, 0.165, W}, {0.165, 0.2, F}})
	// RANGE [−0.98, −0.70], weight 1.5: WARN within 0.5·2·0.28.
	check(find("okun_correlation"), -1.5, 0, []reg{{-1.5, -1.26, F}, {-1.26, -0.98, W}, {-0.98, -0.7, P}, {-0.7, -0.42, W}, {-0.42, 0, F}})
	// PCT_WITHIN ≥ 0.95 (min 0.9), weight 1.5: WARN down to 0.85.
	check(find("unemployment_pct_above_floor"), 0.8, 1, []reg{{0.8, 0.85, F}, {0.85, 0.95, W}, {0.95, 1, P}})
	// BOOLEAN < 0.2.
	check(find("unemployment_absolute_ceiling"), 0, 0.3, []reg{{0, 0.2, P}, {0.2, 0.3, F}})
}

// Decoding is tolerant: the reference's bare NaN tokens, values as
// strings, unknown fields, a metrics array and a file's own target block.
func TestDecodeReportRunTolerant(t *testing.T) {
	b := []byte(`{
	  "scenario": "custom", "extra": {"x": [1, 2]},
	  "summary": {"pass_rate": 0.5, "mean_score": NaN, "std_score": "NaN", "n_passed": 1},
	  "metrics": [
	    {"name": "okun_correlation", "mean_value": -0.8, "std_value": 0.01, "pass_rate": 1, "weight": 1.5, "group": "CURVES"},
	    {"name": "own", "mean_value": 2, "check": "RANGE", "target": {"min": 1, "max": 3}, "weight": 1, "future": true}
	  ],
	  "seeds": [
	    {"seed": 2, "passed": false, "total_score": 0.4, "metric_results": [{"name": "own", "actual": 7, "status": "FAIL"}]},
	    {"seed": 1, "passed": true, "score": null, "metrics": {"own": 2.5}}
	  ]
	}`)
	res, err := stability.DecodeResult(b)
	if err != nil {
		t.Fatal(err)
	}
	r := newReportRun("x.json", res)
	if r.Scenario != "custom" || r.PassRate != 0.5 || !math.IsNaN(r.MeanScore) || r.NPassed != 1 {
		t.Errorf("summary: %+v", r)
	}
	if r.Suite != validation.Baseline {
		t.Errorf("suite %v, want baseline (by metric names)", r.Suite)
	}
	if len(r.Metrics) != 2 || r.Metrics[0].Def == nil || r.Metrics[0].DefFromFile || !r.Metrics[1].DefFromFile {
		t.Fatalf("metric definitions: %+v %+v", r.Metrics[0], r.Metrics[1])
	}
	if st, _ := r.Metrics[1].Def.Evaluate(2); st != validation.Pass {
		t.Error("the file's own target block is not used")
	}
	if len(r.Seeds) != 2 || r.Seeds[0].Seed != 1 || r.Seeds[1].Metrics["own"].Value != 7 || r.Seeds[0].Metrics["own"].Value != 2.5 {
		t.Errorf("seeds: %+v", r.Seeds)
	}
	if len(r.Failing) != 1 || r.Failing[0].Seed != 2 || fmt.Sprint(r.Failing[0].FailedMetrics) != "[own]" {
		t.Errorf("failing seeds derived from the seeds: %+v", r.Failing)
	}
}
