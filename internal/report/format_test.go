package report

import (
	"math"
	"testing"

	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

func TestWallTime(t *testing.T) {
	for _, tc := range []struct {
		sec  float64
		want string
	}{
		{0.4756, "476 ms"},
		{0.0004, "0 ms"},
		{0.9994, "999 ms"},
		{1, "1.0 s"},
		{4.24, "4.2 s"},
		{12, "12 s"},
		{59.4, "59 s"},
		{59.6, "1 min 00 s"},
		{185, "3 min 05 s"},
		{3599.4, "59 min 59 s"},
		{3600, "1 h 00 min"},
		{7620, "2 h 07 min"},
		{90000, "25 h 00 min"},
		{math.NaN(), ""},
		{-1, ""},
	} {
		if got := wallTime(tc.sec); got != tc.want {
			t.Errorf("wallTime(%v) = %q, want %q", tc.sec, got, tc.want)
		}
	}
}

func TestMetricFormat(t *testing.T) {
	def := func(name string) *validation.Metric {
		d := stability.SuiteMetric(validation.Baseline, name)
		if d == nil {
			t.Fatalf("no metric %s", name)
		}
		return d
	}
	for _, tc := range []struct {
		name        string
		mean, std   float64
		def         *validation.Metric
		decimals    int
		mean2, targ string // the mean and the target as written
	}{
		// 0.065 ± 0.025 and a mean of 0.0721: three significant digits.
		{"unemployment_rate_mean", 0.0721, 0.0087, def("unemployment_rate_mean"), 4, "0.0721", "0.0650 ± 0.0250"},
		// A flat metric: its target's tolerance sets the decimals.
		{"productivity_flatness", 0, 0, def("productivity_flatness"), 5, "0.00000", "0.00000 ± 0.00100"},
		{"firm_size_skewness", 3.46, 1.26, def("firm_size_skewness"), 2, "3.46", "[1.00, 10.00]"},
		{"okun_correlation", -0.875, 0.024, def("okun_correlation"), 3, "−0.875", "[−0.980, −0.700]"},
		{"unemployment_pct_above_floor", 0.925, 0.03, def("unemployment_pct_above_floor"), 3, "0.925", "≥ 0.950 (min 0.900)"},
		// A target constant with more digits than the metric's scale keeps them.
		{"price_ratio_mean", 1.517, 0.05, stability.SuiteMetric(validation.GrowthPlus, "price_ratio_mean"), 2, "1.52", "1.375 ± 0.20"},
		{"no definition", 42.4242, 1, nil, 1, "42.4", ""},
		{"nothing known", math.NaN(), math.NaN(), nil, 2, "n/a", ""},
	} {
		m := &reportMetric{MetricSummary: &stability.MetricSummary{Name: tc.name, MeanValue: tc.mean, StdValue: tc.std}, Def: tc.def}
		f := metricFormat(m)
		if f.Decimals != tc.decimals || f.Num(tc.mean) != tc.mean2 {
			t.Errorf("%s: %d decimals, mean %q; want %d, %q", tc.name, f.Decimals, f.Num(tc.mean), tc.decimals, tc.mean2)
		}
		if tc.def != nil {
			if got := targetText(tc.def, f); got != tc.targ {
				t.Errorf("%s: target %q, want %q", tc.name, got, tc.targ)
			}
		}
	}
	f := numFormat{4}
	for _, tc := range []struct {
		v    float64
		want string
	}{{0.0003, "+0.0003"}, {-0.0003, "−0.0003"}, {0, "+0.0000"}, {5e-6, "+0.0000"}, {math.NaN(), "n/a"}} {
		if got := f.Signed(tc.v); got != tc.want {
			t.Errorf("Signed(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestReproduceCommands(t *testing.T) {
	for _, tc := range []struct {
		scenario        string
		periods         int
		run, validation string
	}{
		{"baseline", 1000, "bam run baseline --seed 42 --periods 1000", "bam validate baseline --seed 42 --periods 1000"},
		{"growth_plus", 0, "bam run growth_plus --seed 42", "bam validate growth_plus --seed 42"},
		{"my study.toml", 500, "bam run 'my study.toml' --seed 42 --periods 500", "bam validate 'my study.toml' --seed 42 --periods 500"},
		{"it's", 0, `bam run 'it'\''s' --seed 42`, `bam validate 'it'\''s' --seed 42`},
	} {
		r := &reportRun{Result: &stability.Result{Scenario: tc.scenario, NPeriods: tc.periods}}
		run, val := reproduceCommands(r, 42)
		if run != tc.run || val != tc.validation {
			t.Errorf("%q: %q, %q; want %q, %q", tc.scenario, run, val, tc.run, tc.validation)
		}
	}
}

// The pass-rate axes start at 0 %, whatever the pass rates.
func TestPassRateAxesFromZero(t *testing.T) {
	for _, rates := range [][]float64{{0.975, 0.99}, {0.5}, {1, math.NaN()}} {
		var runs []*reportRun
		for i, pr := range rates {
			runs = append(runs, &reportRun{Result: &stability.Result{Scenario: "s", PassRate: pr, MeanScore: 0.86, StdScore: 0.01}, Order: i})
		}
		p, err := passRatePlot(runs)
		if err != nil {
			t.Fatal(err)
		}
		if p.Y.Min != 0 || p.Y.Max < 100 {
			t.Errorf("pass rates %v: overview axis %v–%v, want from 0 to at least 100", rates, p.Y.Min, p.Y.Max)
		}
		h, err := historyPlot(runs, false)
		if err != nil {
			t.Fatal(err)
		}
		if h.Y.Min != 0 || h.Y.Max < 100 {
			t.Errorf("pass rates %v: history axis %v–%v, want from 0 to at least 100", rates, h.Y.Min, h.Y.Max)
		}
	}
}

// Every metric of the suites has its description on its card.
func TestMetricDescriptionsInReport(t *testing.T) {
	res := &stability.Result{Scenario: "baseline"}
	for i := range validation.BaselineMetrics {
		res.Metrics = append(res.Metrics, &stability.MetricSummary{Name: validation.BaselineMetrics[i].Name, MeanValue: 0.5, StdValue: 0.1, Weight: math.NaN()})
	}
	res.Metrics = append(res.Metrics, &stability.MetricSummary{Name: "mystery", MeanValue: 1, Weight: math.NaN()})
	r := newReportRun("x.json", res)
	for _, m := range r.Metrics {
		d := description(r, m)
		if (d == "") != (m.Name == "mystery") {
			t.Errorf("%s: description %q", m.Name, d)
		}
	}
}
