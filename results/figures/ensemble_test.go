package figures

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// handRun is a run made by hand: the economy columns of cols at the
// periods, and the firms' production.
func handRun(scenario string, seed uint64, periods []float64, cols map[string][]float64, production []float64) *Run {
	d := &Run{info: Info{Scenario: scenario, Seed: seed, PeriodsRun: len(periods)}, econ: map[string][]float64{colPeriod: periods}, production: production}
	for k, v := range cols {
		d.econ[k] = v
	}
	return d
}

// near reports whether a and b are equal to 1e-12, NaN equal to NaN.
func near(a, b float64) bool {
	return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) <= 1e-12
}

// nearAll reports whether a and b have the same length and are near
// each other element by element.
func nearAll(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i], b[i]) {
			return false
		}
	}
	return true
}

func TestEnsembleBand(t *testing.T) {
	nan := math.NaN()
	u := colUnemployment
	// Five runs with values 1…5 (×0.01) in period 1, a NaN of run 3 in
	// period 2, runs 4 and 5 one period shorter.
	var runs []*Run
	for i := range 5 {
		v := float64(i + 1)
		periods, vals := []float64{1, 2, 3}, []float64{v / 100, 2 * v / 100, 10 * v / 100}
		if i == 2 {
			vals[1] = nan
		}
		if i >= 3 {
			periods, vals = periods[:2], vals[:2]
		}
		runs = append(runs, handRun("baseline", uint64(i), periods, map[string][]float64{u: vals}, nil))
	}
	b := ensembleBand(runs, u, 100)
	// Period 1: 1…5, mean 3, type-7 5th/95th percentiles 1.2 and 4.8.
	// Period 2: 2, 4, 8, 10 (run 3 is NaN), mean 6, percentiles 2.3, 9.7.
	// Period 3: 10, 20, 30 (runs 1–3), mean 20, percentiles 11, 29.
	for _, tc := range []struct {
		name      string
		got, want []float64
	}{
		{"periods", b.X, []float64{1, 2, 3}},
		{"mean", b.Mean, []float64{3, 6, 20}},
		{"5th percentile", b.Lo, []float64{1.2, 2.3, 11}},
		{"95th percentile", b.Hi, []float64{4.8, 9.7, 29}},
	} {
		if !nearAll(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if !slices.Equal(b.N, []int{5, 4, 3}) {
		t.Errorf("runs per period %v, want [5 4 3]", b.N)
	}
	for i := range b.X {
		if !(b.Lo[i] <= b.Mean[i] && b.Mean[i] <= b.Hi[i]) {
			t.Errorf("period %v: mean %v outside its band [%v, %v]", b.X[i], b.Mean[i], b.Lo[i], b.Hi[i])
		}
	}

	// One run: the band is the series itself.
	one := ensembleBand(runs[:1], u, 100)
	if !nearAll(one.Mean, []float64{1, 2, 10}) || !nearAll(one.Lo, one.Mean) || !nearAll(one.Hi, one.Mean) {
		t.Errorf("one run: %+v", one)
	}
	// A period without any finite value has NaN statistics and splits the
	// band.
	gap := ensembleBand([]*Run{
		handRun("b", 0, []float64{1, 2, 3}, map[string][]float64{u: {1, nan, 3}}, nil),
		handRun("b", 1, []float64{1, 2, 3}, map[string][]float64{u: {2, math.Inf(1), 4}}, nil),
	}, u, 1)
	if !math.IsNaN(gap.Mean[1]) || gap.N[1] != 0 {
		t.Errorf("gap: %+v", gap)
	}
	if segs := gap.segments(); !slices.Equal(segs, [][2]int{{0, 1}, {2, 3}}) {
		t.Errorf("segments %v, want [[0 1] [2 3]]", segs)
	}
}

func TestRankBand(t *testing.T) {
	runs := []*Run{
		handRun("b", 0, []float64{1}, nil, []float64{1, 4, 0, 2}), // ranks: 4, 2, 1
		handRun("b", 1, []float64{1}, nil, []float64{8, 2}),       // 8, 2
		handRun("b", 2, []float64{1}, nil, []float64{0, 6}),       // 6
	}
	b := rankBand(runs)
	if !nearAll(b.X, []float64{1, 2, 3}) || !nearAll(b.Mean, []float64{6, 2, 1}) || !slices.Equal(b.N, []int{3, 2, 1}) {
		t.Errorf("rank band %+v; want ranks 1–3, means 6, 2, 1 over 3, 2, 1 runs", b)
	}
	// Rank 1: 4, 6, 8: 5th percentile 4.2, 95th 7.8.
	if !near(b.Lo[0], 4.2) || !near(b.Hi[0], 7.8) {
		t.Errorf("rank 1 band [%v, %v], want [4.2, 7.8]", b.Lo[0], b.Hi[0])
	}
}

func TestSpreadOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want spread
	}{
		{"five", []float64{-0.9, -0.8, -0.85, -0.7, -0.75}, spread{-0.8, -0.89, -0.71, 5}},
		{"one", []float64{0.3}, spread{0.3, 0.3, 0.3, 1}},
		{"non-finite left out", []float64{math.NaN(), 1, 3, math.Inf(-1)}, spread{2, 1.1, 2.9, 2}},
		{"none", nil, spread{math.NaN(), math.NaN(), math.NaN(), 0}},
	} {
		got := spreadOf(tc.in)
		if !near(got.Mean, tc.want.Mean) || !near(got.Lo, tc.want.Lo) || !near(got.Hi, tc.want.Hi) || got.N != tc.want.N {
			t.Errorf("%s: spreadOf(%v) = %+v, want %+v", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestNewEnsemble(t *testing.T) {
	p := []float64{1, 2}
	a := handRun("baseline", 1, p, nil, nil)
	b := handRun("baseline", 2, []float64{1, 2, 3}, nil, nil)
	c := handRun("growth_plus", 3, p, nil, nil)

	e, err := NewEnsemble(a, b)
	if err != nil || e.Runs() != 2 || e.Periods() != 3 {
		t.Fatalf("NewEnsemble: %v runs, %v periods, %v", e.Runs(), e.Periods(), err)
	}
	if got := runLabel(e); got != "scenario baseline, 2 runs (seeds 1–2)" {
		t.Errorf("label %q", got)
	}
	// An ensemble in an ensemble is taken apart; one run is itself.
	if e2, err := NewEnsemble(e, handRun("baseline", 7, p, nil, nil)); err != nil || e2.Runs() != 3 {
		t.Errorf("nested: %v runs, %v", e2.Runs(), err)
	}
	if one, err := NewEnsemble(a); err != nil || one != a {
		t.Errorf("one run: %v, %v", one, err)
	}
	for _, tc := range []struct {
		name string
		runs []*Run
		msg  string
	}{
		{"none", nil, "the runs do not form an ensemble: no run"},
		{"two scenarios", []*Run{a, c}, "the runs do not form an ensemble: scenario baseline (seed 1) and scenario growth_plus (seed 3)"},
	} {
		_, err := NewEnsemble(tc.runs...)
		if !errors.Is(err, ErrNotEnsemble) || err.Error() != tc.msg {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.msg)
		}
	}
}

func TestSeedsLabel(t *testing.T) {
	for _, tc := range []struct {
		seeds []uint64
		want  string
	}{
		{[]uint64{4}, "seed 4"},
		{[]uint64{2, 0, 1, 3}, "seeds 0–3"},
		{[]uint64{1, 1}, "seed 1"},
		{[]uint64{9, 1, 4}, "seeds 1, 4, 9"},
		{[]uint64{1, 3, 5, 7, 9, 11, 13, 15}, "seeds 1, 3, 5, 7, 9, 11, …"},
	} {
		var runs []*Run
		for _, s := range tc.seeds {
			runs = append(runs, handRun("b", s, nil, nil, nil))
		}
		if got := seedsLabel(runs); got != tc.want {
			t.Errorf("seedsLabel(%v) = %q, want %q", tc.seeds, got, tc.want)
		}
	}
}
