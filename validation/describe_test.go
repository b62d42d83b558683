package validation

import (
	"strconv"
	"strings"
	"testing"
)

// Every metric of every suite says in one line what it measures.
func TestMetricDescriptions(t *testing.T) {
	used := map[string]bool{}
	for _, suite := range []struct {
		name    string
		metrics []Metric
	}{{"baseline", BaselineMetrics}, {"growth_plus", GrowthPlusMetrics}, {"buffer_stock", BufferStockMetrics}} {
		for i := range suite.metrics {
			m := &suite.metrics[i]
			d := m.Description()
			used[m.Quantity] = true
			switch {
			case d == "":
				t.Errorf("%s: %s (quantity %s) has no description", suite.name, m.Name, m.Quantity)
			case len([]rune(d)) > 100 || strings.Contains(d, "\n") || strings.HasSuffix(d, "."):
				t.Errorf("%s: %s: not one short line: %q", suite.name, m.Name, d)
			}
		}
	}
	for q := range QuantityDescriptions {
		if !used[q] {
			t.Errorf("description of %s, which no metric scores", q)
		}
	}
}

func TestDescribeWith(t *testing.T) {
	fixed := func(v float64) string { return strings.TrimRight(strings.TrimRight(strconvF(v), "0"), ".") }
	for _, tc := range []struct {
		check  Check
		target Target
		want   string // with the shortest form
	}{
		{MeanTolerance, Target{Target: 0.065, Tolerance: 0.025}, "0.065 ± 0.025"},
		{MeanTolerance, Target{Target: 3, Tolerance: 2, Min: 1, Max: 10, HardMin: true, HardMax: true}, "3 ± 2, hard [1, 10]"},
		{MeanTolerance, Target{Target: 3, Tolerance: 2, Min: 1, HardMin: true}, "3 ± 2, hard ≥ 1"},
		{Range, Target{Min: -0.98, Max: -0.7}, "[-0.98, -0.7]"},
		{PctWithin, Target{Target: 0.95, Min: 0.9}, "≥ 0.95 (min 0.9)"},
		{Outlier, Target{MaxOutlier: 0.02}, "≤ 0.02"},
		{Boolean, Target{Threshold: 0.2, Invert: true}, "< 0.2"},
		{Boolean, Target{Threshold: 1}, "> 1"},
	} {
		if got := tc.target.Describe(tc.check); got != tc.want {
			t.Errorf("Describe = %q, want %q", got, tc.want)
		}
		if got := tc.target.DescribeWith(tc.check, fixed); got != tc.want {
			t.Errorf("DescribeWith(trimmed fixed) = %q, want %q", got, tc.want)
		}
		brackets := tc.target.DescribeWith(tc.check, func(float64) string { return "N" })
		if strings.ContainsAny(brackets, "0123456789") {
			t.Errorf("DescribeWith left a number unformatted: %q", brackets)
		}
	}
}

// strconvF writes v with six decimals.
func strconvF(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
