package calibration

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

// TestSensitivityBaseline checks spec §10's sensitivity baselines: every
// parameter registered, the values set on the shipped scenarios, none for
// the baseline scenario.
func TestSensitivityBaseline(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		want     map[string]string // parameter → its text after the baseline
	}{
		{"baseline", nil},
		{"growth_plus", map[string]string{"new_firm_price_markup": "1.15", "sigma_decay": "-1", "sigma_max": "0.1"}},
		{"buffer_stock", map[string]string{"buffer_stock_h": "2"}},
	} {
		as := SensitivityBaseline(tt.scenario)
		if len(as) != len(tt.want) {
			t.Errorf("%s: %v, want %d assignments", tt.scenario, as, len(tt.want))
		}
		sc, err := scenarios.Load(tt.scenario)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ApplySensitivityBaseline(sc)
		if err != nil {
			t.Fatalf("%s: %v", tt.scenario, err)
		}
		for _, a := range as {
			name, _, _ := strings.Cut(a, "=")
			spec, ok := ecs.LookupParam(name)
			if !ok {
				t.Fatalf("%s: %s is not a registered parameter", tt.scenario, name)
			}
			if text := spec.Text(&got.Params); text != tt.want[name] {
				t.Errorf("%s: %s = %s after the baseline, want %s", tt.scenario, name, text, tt.want[name])
			}
		}
		if tt.scenario == "growth_plus" && lookupSpec(t, "new_firm_price_markup").Text(&sc.Params) == "1.15" {
			t.Error("ApplySensitivityBaseline changed the scenario it was given")
		}
	}
}

func lookupSpec(t *testing.T, name string) *ecs.ParamSpec {
	t.Helper()
	s, ok := ecs.LookupParam(name)
	if !ok {
		t.Fatalf("no parameter %s", name)
	}
	return s
}

// TestOATPlan checks the unique configurations of an OAT on a
// hand-worked space: the baseline first, a value equal to the baseline's
// mapped to it, a baseline value outside the grid (new_firm_price_markup
// 1.2) kept as the scenario's, and the fixed theta set everywhere.
func TestOATPlan(t *testing.T) {
	sp, err := NewSpace([]Param{
		{Name: "beta", Values: []string{"1", "2.5", "5"}},
		{Name: "max_M", Values: []string{"2", "4"}},
		{Name: "new_firm_price_markup", Values: []string{"1.0", "1.5"}},
		{Name: "theta", Values: []string{"8"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := &OAT{Scenario: scenarios.Default(), Space: sp, NSeeds: 3}
	d, at, err := o.Plan()
	if err != nil {
		t.Fatal(err)
	}
	// The baseline has beta 2.5 and max_M 4 (both in the grid) and markup
	// 1.2 (not): 1 + 2 (beta 1, 5) + 1 (max_M 2) + 2 (markup 1, 1.5) = 6.
	if want := []string{"2.5", "4", "1.2", "8"}; !slices.Equal(d.Configs[0], want) {
		t.Errorf("baseline %v, want %v", d.Configs[0], want)
	}
	if d.Len() != 6 {
		t.Fatalf("%d configurations, want 6: %v", d.Len(), d.Configs)
	}
	if want := [][]int{{1, 0, 2}, {3, 0}, {4, 5}}; len(at) != 3 || !slices.Equal(at[0], want[0]) || !slices.Equal(at[1], want[1]) || !slices.Equal(at[2], want[2]) {
		t.Errorf("at %v, want %v", at, want)
	}
	for k, i := range sp.Active() {
		for v, c := range at[k] {
			for j, x := range d.Configs[c] {
				want := d.Configs[0][j]
				if j == i {
					want = sp.Params[i].Values[v]
				}
				if x != want {
					t.Errorf("%s = %s: configuration %d has %s = %s, want %s", sp.Params[i].Name, sp.Params[i].Values[v], c, sp.Params[j].Name, x, want)
				}
			}
		}
	}
	if n, err := o.Evaluations(); err != nil || n != 18 {
		t.Errorf("Evaluations = %d, %v; want 6 × 3 = 18", n, err)
	}
	fixed, _ := sp.Fix([]string{"beta=1", "max_M=2", "new_firm_price_markup=1"})
	for _, tt := range []struct {
		o    *OAT
		want string
	}{
		{&OAT{Scenario: scenarios.Default(), Space: sp}, "--seeds 0"},
		{&OAT{Scenario: scenarios.Default(), Space: fixed, NSeeds: 1}, "no parameter of the space has two values"},
	} {
		if _, _, err := tt.o.Plan(); !errors.Is(err, experiments.ErrBadDesign) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Plan: %v, want %q", err, tt.want)
		}
	}
}

// TestOATSensitivities checks the sensitivity (max − min of the values'
// mean scores), the best value, the class and the group scores on
// hand-worked evaluations.
func TestOATSensitivities(t *testing.T) {
	sp := &Space{Params: []Param{
		{Name: "a", Values: []string{"0", "1", "2"}, Group: GroupCredit},
		{Name: "f", Values: []string{"x"}},
		{Name: "b", Values: []string{"lo", "hi"}},
	}}
	// Dyadic scores, exact in binary: a: 0 → the baseline (0.5), 1 →
	// 0.625, 2 → 0.375 (range 0.25, best 1); b: lo → 0.5625, hi → 0.625
	// (range 0.0625, best hi).
	evals := []Evaluation{{Mean: 0.5}, {Mean: 0.625}, {Mean: 0.375}, {Mean: 0.5625}, {Mean: 0.625}}
	at := [][]int{{0, 1, 2}, {3, 4}}
	groups := []map[string]float64{
		{"G1": 0.25, "G2": 0.25}, {"G1": 0.25, "G2": 0.375}, {"G1": 0.125, "G2": 0.25}, {"G1": 0.25, "G2": 0.3125}, nil,
	}
	for _, tt := range []struct {
		th     float64
		aClass string
		bClass string
	}{
		{0.02, Include, Include},
		{0.0625, Include, Fix}, // b's 0.0625 does not exceed 0.0625
		{0.25, Fix, Fix},
	} {
		ps := oatSensitivities(sp, at, evals, groups, tt.th)
		if len(ps) != 2 || ps[0].Name != "a" || ps[1].Name != "b" || ps[0].Group != GroupCredit {
			t.Fatalf("parameters %+v", ps)
		}
		a, b := ps[0], ps[1]
		if a.Sensitivity != 0.25 || a.BestValue != "1" || a.Class != tt.aClass {
			t.Errorf("threshold %v: a %+v, want sensitivity 0.25, best 1, %s", tt.th, a, tt.aClass)
		}
		if b.Sensitivity != 0.0625 || b.BestValue != "hi" || b.Class != tt.bClass {
			t.Errorf("threshold %v: b %+v, want sensitivity 0.0625, best hi, %s", tt.th, b, tt.bClass)
		}
		if a.ValueScores[2].Value != "2" || a.ValueScores[2].Score != 0.375 || a.ValueScores[2].N != 1 {
			t.Errorf("a's value scores %+v", a.ValueScores)
		}
		// a's group G1 runs 0.25, 0.25, 0.125, G2 0.25, 0.375, 0.25: both ranges 0.125.
		if g := a.GroupScores["G1"]; !slices.Equal(g, []float64{0.25, 0.25, 0.125}) || len(a.GroupScores) != 2 ||
			a.GroupSensitivity["G1"] != 0.125 || a.GroupSensitivity["G2"] != 0.125 {
			t.Errorf("a's groups %v, ranges %v", a.GroupScores, a.GroupSensitivity)
		}
		if b.GroupScores != nil || b.GroupSensitivity != nil {
			t.Errorf("b: a value without group scores, want none; got %v", b.GroupScores)
		}
	}
	// A tie keeps the first value; NaN scores are left out.
	if s, best := scoreRange([]ValueScore{{"p", 0.5, 1}, {"q", 0.8, 1}, {"r", 0.8, 1}, {"s", math.NaN(), 0}}); math.Abs(s-0.3) > 1e-12 || best != "q" {
		t.Errorf("scoreRange = %v, %s; want 0.3, q", s, best)
	}
	if s, best := scoreRange([]ValueScore{{"p", math.NaN(), 0}}); !math.IsNaN(s) || best != "" {
		t.Errorf("no score: %v, %q", s, best)
	}
}

// TestGroupMeans checks the mean group scores over seeds: a crashed seed
// counts 0 in every group, a seed scored without group scores leaves the
// configuration without any.
func TestGroupMeans(t *testing.T) {
	g := func(a, b float64) map[string]float64 { return map[string]float64{"A": a, "B": b} }
	sums := [][]experiments.Summary{
		{{Score: 0.6, GroupScores: g(0.2, 0.4)}, {Score: 0.8, GroupScores: g(0.4, 0.4)}},
		{{Score: 0.6, GroupScores: g(0.2, 0.4)}, {Score: 0.5, Failed: "state NaN at period 9", GroupScores: g(0.3, 0.2)}},
		{{Score: 0.6, GroupScores: g(0.2, 0.4)}, {Score: 0.7}},
		{{Score: math.NaN()}, {Score: 0.6, GroupScores: map[string]float64{"A": 0.6}}},
	}
	got := groupMeans(sums)
	for _, tt := range []struct {
		c    int
		want map[string]float64
	}{
		{0, g(0.3, 0.4)},
		{1, g(0.1, 0.2)}, // the crashed seed counts 0
		{2, nil},         // the second seed has no group scores
		{3, g(0.3, 0)},   // a seed without B counts 0 there; the NaN seed 0 everywhere
	} {
		if (got[tt.c] == nil) != (tt.want == nil) || len(got[tt.c]) != len(tt.want) {
			t.Errorf("configuration %d: %v, want %v", tt.c, got[tt.c], tt.want)
			continue
		}
		for k, w := range tt.want {
			if math.Abs(got[tt.c][k]-w) > 1e-12 {
				t.Errorf("configuration %d: %s = %v, want %v", tt.c, k, got[tt.c][k], w)
			}
		}
	}
	if none := groupMeans([][]experiments.Summary{{{Score: 0.5}}}); none[0] != nil {
		t.Errorf("no group scores anywhere: %v", none)
	}
}

// TestMorrisSensitivity checks the conversion of a screening into the
// sensitivity form: sensitivity μ*, INCLUDE iff μ* exceeds the threshold
// (a σ-only INCLUDE of the screening becomes FIX), the value scores and
// best values kept.
func TestMorrisSensitivity(t *testing.T) {
	sp := &Space{Params: []Param{{Name: "a", Values: []string{"0", "1"}}, {Name: "b", Values: []string{"0", "1"}}, {Name: "c", Values: []string{"0", "1"}}}}
	vs := []ValueScore{{"0", 0.5, 2}, {"1", math.NaN(), 0}}
	m := &MorrisResult{Scenario: "toy", SeedStart: 4, NSeeds: 2, Threshold: 0.03, Space: sp, Effects: []Effect{
		{Name: "a", MuStar: 0.05, Sigma: 0.01, Class: Include, BestValue: "1", ValueScores: []ValueScore{{"0", 0.4, 3}, {"1", 0.45, 3}}},
		{Name: "b", MuStar: 0.01, Sigma: 0.05, Class: Include, BestValue: "0", ValueScores: vs},
		{Name: "c", MuStar: 0.03, Sigma: 0.01, Class: Fix, BestValue: "0", ValueScores: vs},
	}}
	r := m.Sensitivity()
	if r.Method != MethodMorris || r.Scenario != "toy" || r.SeedStart != 4 || r.NSeeds != 2 || r.Threshold != 0.03 || r.Space != sp || r.Baseline != nil {
		t.Errorf("result %+v", r)
	}
	want := []struct {
		s     float64
		class string
		best  string
	}{{0.05, Include, "1"}, {0.01, Fix, "0"}, {0.03, Fix, "0"}}
	for i, w := range want {
		p := r.Parameters[i]
		if p.Sensitivity != w.s || p.Class != w.class || p.BestValue != w.best || len(p.ValueScores) != 2 {
			t.Errorf("%s: %+v, want sensitivity %v, %s, best %s", p.Name, p, w.s, w.class, w.best)
		}
	}
	if !math.IsNaN(r.Parameters[1].ValueScores[1].Score) {
		t.Error("a value the screening never held lost its NaN score")
	}
	if got := r.Included(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("INCLUDE %v, want [a]", got)
	}
	if best, err := r.BestValues(); err != nil || !slices.Equal(best, []string{"1", "0", "0"}) {
		t.Errorf("best values %v, %v", best, err)
	}
	m.Threshold = 0
	if r := m.Sensitivity(); r.Threshold != Threshold || r.Parameters[2].Class != Include {
		t.Errorf("threshold 0 (the spec's 0.02): %v, c %s", r.Threshold, r.Parameters[2].Class)
	}
}

// TestOATRun runs a small OAT of two parameters, resumes it from the
// journal with another number of workers giving the same oat.json, reads
// it back, and runs the pairwise analysis on it.
func TestOATRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=2", "n_periods=80"} {
		if err := sc.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	sp, err := NewSpace([]Param{{Name: "beta", Values: []string{"1", "2.5", "5"}}, {Name: "max_M", Values: []string{"2", "4"}}})
	if err != nil {
		t.Fatal(err)
	}
	// A tiny threshold, so that both are INCLUDE for the pairs below.
	o := &OAT{Scenario: sc, Space: sp, NSeeds: 2, Threshold: 1e-9, Execution: Execution{Workers: 2}}
	n, err := o.Evaluations()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := o.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// The baseline (beta 2.5, max_M 4), beta 1 and 5, max_M 2.
	if n != 4*2 || r.Ran != n || len(r.Configurations) != 4 || len(r.Parameters) != 2 || !slices.Equal(r.Baseline.Values, []string{"2.5", "4"}) {
		t.Fatalf("ran %d of %d jobs, %d configurations, baseline %v", r.Ran, n, len(r.Configurations), r.Baseline.Values)
	}
	for _, p := range r.Parameters {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range p.ValueScores {
			// The value's score is its configuration's mean.
			i := sp.Index(p.Name)
			for _, e := range r.Configurations {
				if e.Values[i] == v.Value && (e.Values[1-i] == r.Baseline.Values[1-i]) && e.Mean != v.Score {
					t.Errorf("%s = %s: score %v, its configuration's mean %v", p.Name, v.Value, v.Score, e.Mean)
				}
			}
			lo, hi = min(lo, v.Score), max(hi, v.Score)
			// The group shares add up to the score.
			sum := 0.0
			for _, g := range p.GroupScores {
				sum += g[slices.IndexFunc(p.ValueScores, func(x ValueScore) bool { return x.Value == v.Value })]
			}
			if len(p.GroupScores) < 2 || math.Abs(sum-v.Score) > 1e-9 {
				t.Errorf("%s = %s: %d groups adding up to %v, score %v", p.Name, v.Value, len(p.GroupScores), sum, v.Score)
			}
		}
		if p.Sensitivity != hi-lo || p.Sensitivity <= 0 || p.Class != Include {
			t.Errorf("%s: sensitivity %v, class %s; the scores run %v to %v", p.Name, p.Sensitivity, p.Class, lo, hi)
		}
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, OATJSON))
	o.Workers = 1
	again, err := o.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Ran != 0 || again.FromJournal != n {
		t.Errorf("rerun ran %d, %d from the journal", again.Ran, again.FromJournal)
	}
	if err := again.Write(dir); err != nil {
		t.Fatal(err)
	}
	if second, _ := os.ReadFile(filepath.Join(dir, OATJSON)); string(second) != string(first) {
		t.Error("oat.json differs after a resume with another number of workers")
	}
	if !strings.Contains(string(first), `"format": "bam-calibrate-oat/1"`) {
		t.Errorf("oat.json:\n%.200s", first)
	}
	back, err := ReadOAT(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Method != MethodOAT || len(back.Parameters) != 2 || back.Parameters[0].Sensitivity != r.Parameters[0].Sensitivity ||
		back.Parameters[1].BestValue != r.Parameters[1].BestValue || !slices.Equal(back.Space.Names(), sp.Names()) {
		t.Errorf("ReadOAT gave %+v, want %+v", back.Parameters, r.Parameters)
	}
	text, _ := os.ReadFile(filepath.Join(dir, OATText))
	if !strings.Contains(string(text), "OAT sensitivity of baseline: 4 configurations × 2 seeds") || !strings.Contains(string(text), "INCLUDE: beta, max_M") ||
		!strings.Contains(string(text), "TIME_SERIES") {
		t.Errorf("oat.txt:\n%s", text)
	}
	if _, err := ReadMorris(dir); !errors.Is(err, experiments.ErrUnusable) && !os.IsNotExist(err) {
		t.Errorf("ReadMorris of an OAT folder: %v", err)
	}

	// The pairs of beta (best value b) and max_M (best m): the base, 2 + 1
	// single changes and 2 × 1 combinations.
	pw := &Pairwise{Scenario: sc, Sensitivity: back, NSeeds: 2, Execution: Execution{Workers: 2}}
	pdir := t.TempDir()
	pr, err := pw.Run(context.Background(), pdir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Configurations) != 6 || pr.Ran != 12 || len(pr.Pairs) != 1 || len(pr.Pairs[0].Interactions) != 2 {
		t.Fatalf("%d configurations, %d run, pairs %+v", len(pr.Configurations), pr.Ran, pr.Pairs)
	}
	best, _ := back.BestValues()
	if !slices.Equal(pr.Baseline.Values, best) {
		t.Errorf("base %v, want the best values %v", pr.Baseline.Values, best)
	}
	mean := func(vals ...string) float64 {
		for _, e := range pr.Configurations {
			if slices.Equal(e.Values, vals) {
				return e.Mean
			}
		}
		t.Fatalf("no configuration %v", vals)
		return 0
	}
	for _, x := range pr.Pairs[0].Interactions {
		want := mean(x.ValueA, x.ValueB) - mean(x.ValueA, best[1]) - mean(best[0], x.ValueB) + mean(best...)
		if math.Abs(x.Interaction-want) > 1e-12 || x.Strength != math.Abs(x.Interaction) {
			t.Errorf("%+v: want interaction %v", x, want)
		}
	}
	if len(pr.Synergies)+len(pr.Conflicts) != 2 {
		t.Errorf("%d synergies and %d conflicts of 2 interactions", len(pr.Synergies), len(pr.Conflicts))
	}
	if err := pr.Write(pdir); err != nil {
		t.Fatal(err)
	}
	pfirst, _ := os.ReadFile(filepath.Join(pdir, PairsJSON))
	pw.Workers = 1
	pagain, err := pw.Run(context.Background(), pdir)
	if err != nil || pagain.Ran != 0 {
		t.Fatalf("pairs rerun: %v, ran %d", err, pagain.Ran)
	}
	_ = pagain.Write(pdir)
	if psecond, _ := os.ReadFile(filepath.Join(pdir, PairsJSON)); string(psecond) != string(pfirst) || !strings.Contains(string(pfirst), `"format": "bam-calibrate-pairs/1"`) {
		t.Error("pairs.json differs after a resume with another number of workers")
	}
	if pback, err := ReadPairs(pdir); err != nil || len(pback.Pairs) != 1 || pback.Pairs[0].MaxStrength != pr.Pairs[0].MaxStrength {
		t.Errorf("ReadPairs: %v", err)
	}
}
