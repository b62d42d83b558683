package figures

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bam-abm/bam/internal/style"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// periodSeq returns the periods a, a+1, ..., b.
func periodSeq(a, b int) []float64 {
	var s []float64
	for p := a; p <= b; p++ {
		s = append(s, float64(p))
	}
	return s
}

func TestBurnInSpan(t *testing.T) {
	for _, tc := range []struct {
		name    string
		periods []float64
		burnIn  int
		x0, x1  float64
		ok      bool
	}{
		{"first half of 1000", periodSeq(1, 1000), 500, 1, 500.5, true},
		{"one period", periodSeq(1, 10), 1, 1, 1.5, true},
		{"all but the last", periodSeq(1, 10), 9, 1, 9.5, true},
		{"whole run", periodSeq(1, 10), 10, 1, 10, true},
		{"more than the run", periodSeq(1, 10), 50, 1, 10, true},
		{"none", periodSeq(1, 10), 0, 0, 0, false},
		{"negative", periodSeq(1, 10), -3, 0, 0, false},
		{"no periods", nil, 5, 0, 0, false},
		{"periods not starting at 1", periodSeq(101, 200), 50, 101, 150.5, true},
		{"uneven periods", []float64{1, 2, 4, 8}, 2, 1, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x0, x1, ok := burnInSpan(tc.periods, tc.burnIn)
			if x0 != tc.x0 || x1 != tc.x1 || ok != tc.ok {
				t.Errorf("burnInSpan = %v, %v, %v; want %v, %v, %v", x0, x1, ok, tc.x0, tc.x1, tc.ok)
			}
		})
	}
}

func TestXYPoints(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name   string
		xs, ys []float64
		sx, sy float64
		want   plotter.XYs
	}{
		{"scaled", []float64{1, 2}, []float64{0.05, 0.1}, 1, 100, plotter.XYs{{X: 1, Y: 5}, {X: 2, Y: 10}}},
		{"non-finite dropped", []float64{1, 2, 3, 4}, []float64{nan, 1, -inf, 2}, 1, 1, plotter.XYs{{X: 2, Y: 1}, {X: 4, Y: 2}}},
		{"non-finite x dropped", []float64{inf, 2}, []float64{1, 1}, 1, 1, plotter.XYs{{X: 2, Y: 1}}},
		{"shorter ys", []float64{1, 2, 3}, []float64{7}, 1, 1, plotter.XYs{{X: 1, Y: 7}}},
		{"empty", nil, nil, 1, 1, plotter.XYs{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := xyPoints(tc.xs, tc.ys, tc.sx, tc.sy); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRankSize(t *testing.T) {
	for _, tc := range []struct {
		name string
		prod []float64
		want plotter.XYs
	}{
		{"sorted largest first", []float64{2, 5, 1}, plotter.XYs{{X: 1, Y: 5}, {X: 2, Y: 2}, {X: 3, Y: 1}}},
		{"only positive outputs", []float64{0, 3, -1, 0, 1.5, math.NaN(), math.Inf(1)}, plotter.XYs{{X: 1, Y: 3}, {X: 2, Y: 1.5}}},
		{"ties keep their ranks", []float64{2, 2, 2}, plotter.XYs{{X: 1, Y: 2}, {X: 2, Y: 2}, {X: 3, Y: 2}}},
		{"all zero", []float64{0, 0}, plotter.XYs{}},
		{"none", nil, plotter.XYs{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rankSize(tc.prod)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, p := range got {
				if !(p.Y > 0) {
					t.Errorf("non-positive output %v in the rank-size plot", p.Y)
				}
			}
		})
	}
}

func TestOkunPoints(t *testing.T) {
	// 20 well-behaved pairs after a burn-in of 3, one of them an outlier.
	var u, g []float64
	for i := range 23 {
		u = append(u, 0.01*float64(i%5))
		g = append(g, -0.001*float64(i%5))
	}
	u[2] = 99 // in the burn-in: ignored
	u[10] = 50
	x, y, dropped := okunPoints(u, g, 3)
	if dropped != 1 || len(x) != 19 || len(y) != 19 {
		t.Fatalf("dropped %d, kept %d/%d; want 1 and 19", dropped, len(x), len(y))
	}
	if slices.Contains(x, 50) || slices.Contains(x, 99) {
		t.Errorf("outlier or burn-in value kept: %v", x)
	}
	if x, _, dropped := okunPoints(u, g, 23); len(x) != 0 || dropped != 0 {
		t.Errorf("no period after burn-in: got %d points, %d dropped", len(x), dropped)
	}
}

// tickLabels returns the labelled ticks' labels and values.
func tickLabels(ticks []plot.Tick) (ls []string, vs []float64) {
	for _, t := range ticks {
		if t.Label != "" {
			ls = append(ls, t.Label)
			vs = append(vs, t.Value)
		}
	}
	return ls, vs
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{1, 1000, []string{"200", "400", "600", "800", "1000"}},
		{0, 15, []string{"0", "5", "10", "15"}},
		{5.37, 5.52, []string{"5.38", "5.40", "5.42", "5.44", "5.46", "5.48", "5.50", "5.52"}},
		{-5.5, 11, []string{"−5", "0", "5", "10"}},
		{-0.3, 0.2, []string{"−0.3", "−0.2", "−0.1", "0.0", "0.1", "0.2"}},
		{0.29, 0.56, []string{"0.30", "0.35", "0.40", "0.45", "0.50", "0.55"}},
		{99, 101, []string{"99.0", "99.5", "100.0", "100.5", "101.0"}},
	} {
		ticks := style.NiceTicks{}.Ticks(tc.lo, tc.hi)
		got, vs := tickLabels(ticks)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Ticks(%v, %v) labels %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
		for i, v := range vs {
			if v < tc.lo-1e-9 || v > tc.hi+1e-9 {
				t.Errorf("Ticks(%v, %v): tick %v outside the range", tc.lo, tc.hi, v)
			}
			if want, _ := strconv.ParseFloat(strings.ReplaceAll(got[i], "−", "-"), 64); math.Abs(want-v) > 1e-9 {
				t.Errorf("Ticks(%v, %v): label %q at %v", tc.lo, tc.hi, got[i], v)
			}
		}
		if len(ticks) > 60 {
			t.Errorf("Ticks(%v, %v): %d ticks", tc.lo, tc.hi, len(ticks))
		}
	}
	if got := (style.NiceTicks{}).Ticks(2, 2); len(got) != 1 || got[0].Label != "2.00" {
		t.Errorf("empty range: %v", got)
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64 // data range, not log10
		want   []string
	}{
		{1, 100, []string{"1", "2", "5", "10", "20", "50", "100"}},
		{0.5, 15, []string{"0.5", "1", "2", "5", "10"}},
		{1, 99, []string{"1", "2", "5", "10", "20", "50"}},
		{2.5, 4.5, []string{"2.5", "4.5"}}, // no 1-2-5 value inside: the ends
		{1.5, 3, []string{"2", "1.5", "3"}},
	} {
		ticks := logTicks{}.Ticks(math.Log10(tc.lo), math.Log10(tc.hi))
		got, vs := tickLabels(ticks)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Ticks(log %v, log %v) labels %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
		for i, v := range vs {
			if want, _ := strconv.ParseFloat(got[i], 64); math.Abs(math.Pow(10, v)-want) > 1e-9*want+0.01*want {
				t.Errorf("label %q at 10^%v", got[i], v)
			}
		}
	}
}

func TestLogRangeAndHeadroom(t *testing.T) {
	lo, hi, ok := logRange([]float64{10, 1, 100})
	if !ok || lo != 0 || hi != 2 {
		t.Errorf("logRange = %v, %v, %v; want 0, 2, true", lo, hi, ok)
	}
	lo, hi, ok = logRange([]float64{10})
	if !ok || math.Abs(lo-(1-math.Log10(2))) > 1e-12 || math.Abs(hi-(1+math.Log10(2))) > 1e-12 {
		t.Errorf("logRange of one value = %v, %v, %v", lo, hi, ok)
	}
	if _, _, ok := logRange(nil); ok {
		t.Error("logRange(nil) ok")
	}
}

func TestHeadroom(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name         string
		below, above float64
		series       [][]float64
		lo, hi       float64
		ok           bool
	}{
		{"legend room above", 0, 0.5, [][]float64{{0.5, 0.5}, {0.3, nan, 0.4}}, 0.3, 0.6, true},
		{"both sides", 0.1, 0.1, [][]float64{{0, 10}}, -1, 11, true},
		// A series at its ceiling (log GDP in a run without growth) is
		// drawn below the frame, not along it.
		{"at the ceiling", 0.04, 0.04, [][]float64{{5.36, 5.52, 5.52, 5.52}}, 5.36 - 0.04*0.16, 5.52 + 0.04*0.16, true},
		{"constant", 0, 0, [][]float64{{0.5, 0.5}}, 0.45, 0.55, true},
		{"constant large", 0, 0, [][]float64{{20}}, 19, 21, true},
		{"constant zero", 0.5, 0.5, [][]float64{{0}}, -0.1, 0.1, true},
		{"non-finite skipped", 0, 0, [][]float64{{-inf, 1, 3, inf}}, 1, 3, true},
		{"no finite value", 0.5, 0.5, [][]float64{{-inf}, {nan}}, 0, 0, false},
		{"no series", 0.5, 0.5, nil, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := headroom(tc.below, tc.above, tc.series...)
			if ok != tc.ok || math.Abs(lo-tc.lo) > 1e-12 || math.Abs(hi-tc.hi) > 1e-12 {
				t.Errorf("headroom = %v, %v, %v; want %v, %v, %v", lo, hi, ok, tc.lo, tc.hi, tc.ok)
			}
			for _, s := range tc.series {
				for _, v := range s {
					if style.Finite(v) && tc.below > 0 && tc.above > 0 && !(v > lo && v < hi) {
						t.Errorf("%v is not strictly inside [%v, %v]", v, lo, hi)
					}
				}
			}
		})
	}
}

func TestSummaryLines(t *testing.T) {
	d := &Run{
		econ: map[string][]float64{
			colPeriod:       {1, 2, 3, 4},
			colUnemployment: {0.9, 0.9, 0.04, 0.06},
			colInflation:    {0, 0, 0.01, 0.03},
			colRealWage:     {1, 1, 0.3, 0.4},
			colProductivity: {0.5, 0.5, 0.5, 0.5},
			colVacancyRate:  {0, 0, 0.1, 0.2},
			colWageInfl:     {0, 0, 0.02, 0.01},
			colUnempGrowth:  {0, 0, 0.1, 0.5},
			colGDPGrowth:    {0, 0, -0.01, -0.02},
			colLogGDP:       {1, 1, 1.5, 1.7},
		},
		production: []float64{0, 1, 2, 3, 10},
	}
	got := strings.Join(summaryLines(d, 2), "\n")
	for _, want := range []string{
		"periods 3–4",
		"unemployment: mean 5.00 %, std 1.00 %",
		"annual inflation: mean 2.00 %, std 1.00 %",
		"real wage 0.350, productivity 0.500",
		"real wage / productivity 0.700",
		"vacancy rate: mean 15.00 %",
		"Phillips corr(u, wage inflation): −1.000",
		"Okun corr, growth rates (bam validate): −1.000",
		"Okun corr, differences (equivalence gate): −1.0000",
		"Beveridge corr(u, vacancy rate): 1.000",
		"firms with output > 0: 4 of 5",
		"max/median 4.00",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if got := strings.Join(summaryLines(d, 4), "\n"); !strings.Contains(got, "no period after the burn-in") || !strings.Contains(got, "n/a") {
		t.Errorf("summary with nothing after the burn-in:\n%s", got)
	}
}
