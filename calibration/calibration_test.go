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

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

func TestDefaultSpace(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		n        int
		extra    []string
	}{
		{"baseline", 15, nil},
		{"growth_plus", 16, []string{"sigma_decay"}},
		{"buffer_stock", 17, []string{"buffer_stock_h", "sigma_decay"}},
	} {
		sp, err := DefaultSpace(tt.scenario)
		if err != nil {
			t.Fatalf("%s: %v", tt.scenario, err)
		}
		if len(sp.Params) != tt.n || len(sp.Active()) != tt.n {
			t.Errorf("%s: %d parameters (%d active), want %d", tt.scenario, len(sp.Params), len(sp.Active()), tt.n)
		}
		for _, x := range tt.extra {
			if sp.Index(x) < 0 {
				t.Errorf("%s: no %s", tt.scenario, x)
			}
		}
	}
	sp, _ := DefaultSpace("baseline")
	groups := map[string]int{}
	for _, p := range sp.Params {
		groups[p.Group]++
	}
	if groups[GroupEntry] != 4 || groups[GroupBehavioral] != 4 || groups[GroupInitial] != 5 || groups[GroupCredit] != 2 {
		t.Errorf("groups %v, want entry 4, behavioral 4, initial_conditions 5, credit 2", groups)
	}
	if i := sp.Index("max_M"); sp.Params[i].Values[1] != "4" {
		t.Errorf("max_M values %v", sp.Params[i].Values)
	}
}

func TestNewSpaceRefusals(t *testing.T) {
	for _, tt := range []struct {
		params []Param
		want   string
	}{
		{[]Param{{Name: "nope", Values: []string{"1"}}}, `unknown parameter "nope"`},
		{[]Param{{Name: "beta"}}, "beta: no values"},
		{[]Param{{Name: "beta", Values: []string{"-1"}}}, "beta = -1"},
		{[]Param{{Name: "max_M", Values: []string{"2", "2.0"}}}, "value 2 given twice"},
		{[]Param{{Name: "beta", Values: []string{"1"}}, {Name: "beta", Values: []string{"2"}}}, "given twice"},
	} {
		_, err := NewSpace(tt.params)
		if !errors.Is(err, experiments.ErrBadDesign) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.params, err, tt.want)
		}
	}
}

func TestFix(t *testing.T) {
	sp, _ := DefaultSpace("baseline")
	f, err := sp.Fix([]string{"beta=2.5", "theta=4"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Params[f.Index("beta")].Values; !slices.Equal(got, []string{"2.5"}) {
		t.Errorf("beta %v", got)
	}
	if f.Index("theta") != 15 || len(f.Active()) != 14 {
		t.Errorf("theta at %d, %d active", f.Index("theta"), len(f.Active()))
	}
	if _, err := sp.Fix([]string{"beta"}); err == nil || !strings.Contains(err.Error(), "want NAME=VALUE") {
		t.Errorf("--fixed beta: %v", err)
	}
}

func TestReadGrid(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sp, err := ReadGrid(write("g.json", `{"max_M": [2, 4], "beta": [0.5, 2.5], "consumer_matching": ["loyalty", "random"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := sp.Names(); !slices.Equal(got, []string{"max_M", "beta", "consumer_matching"}) {
		t.Errorf("JSON order %v", got)
	}
	sp, err = ReadGrid(write("g.toml", "beta = [0.5, 2.5]\nmax_M = [2, 4]\n[groups]\nbeta = \"behavioral\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := sp.Names(); !slices.Equal(got, []string{"beta", "max_M"}) || sp.Params[0].Group != "behavioral" || sp.Params[1].Values[1] != "4" {
		t.Errorf("TOML %+v", sp.Params)
	}
	for _, tt := range []struct{ name, text, want string }{
		{"a.json", `{"beta": 1}`, "want a list of values"},
		{"b.json", `{}`, "no parameters"},
		{"c.toml", "beta = [", "c.toml"},
		{"d.yaml", "beta: [1]", "want a .toml or .json grid"},
		{"e.json", `{"beta": [0]}`, "beta = 0"},
	} {
		if _, err := ReadGrid(write(tt.name, tt.text)); !errors.Is(err, experiments.ErrBadDesign) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// FuzzReadGrid checks that no JSON grid crashes the reader, and that what
// it accepts is a valid space.
func FuzzReadGrid(f *testing.F) {
	f.Add(`{"beta": [0.5, 2.5], "max_M": [2, 4]}`)
	f.Add(`{"groups": {"beta": "x"}, "beta": ["1"]}`)
	f.Add(`{"consumer_matching": ["loyalty", "random", "loyalty"]}`)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		p := filepath.Join(dir, "g.json")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		sp, err := ReadGrid(p)
		if err != nil {
			return
		}
		if _, err := NewSpace(sp.Params); err != nil {
			t.Errorf("accepted a space NewSpace refuses: %v", err)
		}
	})
}

// TestTrajectories checks the construction of spec §10: p+1 points, each
// step changing exactly one parameter to a different value, every active
// parameter changed exactly once, fixed ones never, and the same
// trajectories for the same seed.
func TestTrajectories(t *testing.T) {
	sp, _ := DefaultSpace("baseline")
	sp, _ = sp.Fix([]string{"beta=2.5"})
	active := sp.Active()
	trs := Trajectories(sp, 25, 7)
	starts := map[string]bool{}
	for n, tr := range trs {
		if len(tr.Points) != len(active)+1 || len(tr.Steps) != len(active) {
			t.Fatalf("trajectory %d: %d points, %d steps; want %d and %d", n, len(tr.Points), len(tr.Steps), len(active)+1, len(active))
		}
		starts[strings.Join(sp.Values(tr.Points[0]), ",")] = true
		moved := map[int]int{}
		for k, st := range tr.Steps {
			a, b := tr.Points[k], tr.Points[k+1]
			var diff []int
			for i := range a {
				if a[i] != b[i] {
					diff = append(diff, i)
				}
			}
			if len(diff) != 1 || diff[0] != st.Param {
				t.Fatalf("trajectory %d step %d: changed %v, the step says %d", n, k, diff, st.Param)
			}
			moved[st.Param]++
		}
		for _, i := range active {
			if moved[i] != 1 {
				t.Errorf("trajectory %d: %s moved %d times", n, sp.Params[i].Name, moved[i])
			}
		}
		if moved[sp.Index("beta")] != 0 {
			t.Error("the fixed beta moved")
		}
	}
	if len(starts) < 20 {
		t.Errorf("only %d distinct starting points in 25 trajectories", len(starts))
	}
	again := Trajectories(sp, 25, 7)
	for n := range trs {
		for k := range trs[n].Points {
			if !slices.Equal(trs[n].Points[k], again[n].Points[k]) {
				t.Fatal("the same seed gave other trajectories")
			}
		}
	}
	if other := Trajectories(sp, 1, 8); slices.Equal(other[0].Points[0], trs[0].Points[0]) && slices.Equal(other[0].Points[1], trs[0].Points[1]) {
		t.Error("another seed gave the same first trajectory")
	}
}

func TestEvaluateAndCombined(t *testing.T) {
	sums := []experiments.Summary{
		{Score: 0.9, Passed: true},
		{Score: 0.7, Passed: false, Fails: 2},
		{Score: 0.5, Passed: true, Failed: "state NaN at period 3"}, // a crash: 0, failing
		{Score: math.NaN(), Passed: true},                           // not scored: 0
	}
	e := Evaluate([]string{"x"}, sums)
	// scores 0.9, 0.7, 0, 0: mean 0.4; sample variance (0.25+0.09+0.16+0.16)/3 = 0.22.
	if math.Abs(e.Mean-0.4) > 1e-12 || math.Abs(e.Std-math.Sqrt(0.22)) > 1e-12 {
		t.Errorf("mean %v std %v, want 0.4 and √0.22", e.Mean, e.Std)
	}
	if e.PassRate != 0.5 || e.FailSeeds != 2 || e.Fails != 2 {
		t.Errorf("pass rate %v, failing seeds %d, fails %d; want 0.5, 2, 2", e.PassRate, e.FailSeeds, e.Fails)
	}
	// combined = 0.8 · 0.75 · (1 − 1 · 0.1) = 0.54.
	if got := Combined(0.8, 0.75, 0.1, 1); math.Abs(got-0.54) > 1e-12 {
		t.Errorf("Combined = %v, want 0.54", got)
	}
	if got := Combined(0.8, 0.75, 0.1, 2); math.Abs(got-0.48) > 1e-12 {
		t.Errorf("Combined k=2 = %v, want 0.48", got)
	}
	if one := Evaluate(nil, sums[:1]); one.Std != 0 {
		t.Errorf("one seed: std %v, want 0", one.Std)
	}
}

// TestAnalyse checks μ, μ*, σ, the classes and the value scores on
// hand-worked evaluations: two parameters a (values 0, 1, 2) and b (0,
// 1), two trajectories.
func TestAnalyse(t *testing.T) {
	sp := &Space{Params: []Param{{Name: "a", Values: []string{"0", "1", "2"}}, {Name: "b", Values: []string{"0", "1"}}}}
	// Trajectory 1: (0,0) → a → (1,0) → b → (1,1); trajectory 2: (2,1) → b → (2,0) → a → (0,0).
	trs := []Trajectory{
		{Points: []Point{{0, 0}, {1, 0}, {1, 1}}, Steps: []Step{{0}, {1}}},
		{Points: []Point{{2, 1}, {2, 0}, {0, 0}}, Steps: []Step{{1}, {0}}},
	}
	evals := []Evaluation{
		{Values: []string{"0", "0"}, Mean: 0.50}, // config 0
		{Values: []string{"1", "0"}, Mean: 0.60}, // 1
		{Values: []string{"1", "1"}, Mean: 0.61}, // 2
		{Values: []string{"2", "1"}, Mean: 0.40}, // 3
		{Values: []string{"2", "0"}, Mean: 0.41}, // 4
	}
	at := [][]int{{0, 1, 2}, {3, 4, 0}}
	m := &Morris{Scenario: &scenarios.Scenario{Name: "toy"}, Space: sp, Trajectories: 2, NSeeds: 1}
	r := m.analyse(trs, at, evals)
	// a: +0.10 (0→1) and +0.09 (2→0): μ 0.095, μ* 0.095, σ = |0.10−0.09|/√2.
	// b: +0.01 (0→1) and +0.01 (1→0 at a=2, 0.41−0.40): μ 0.01, σ 0 → FIX.
	a, b := r.Effects[0], r.Effects[1]
	if math.Abs(a.Mu-0.095) > 1e-12 || math.Abs(a.MuStar-0.095) > 1e-12 || math.Abs(a.Sigma-0.01/math.Sqrt2) > 1e-12 || a.Class != Include {
		t.Errorf("a: %+v", a)
	}
	if math.Abs(b.Mu-0.01) > 1e-12 || math.Abs(b.Sigma) > 1e-12 || b.Class != Fix {
		t.Errorf("b: %+v", b)
	}
	// a's values: 0 → 0.50; 1 → (0.60+0.61)/2; 2 → (0.40+0.41)/2. Best 1.
	if a.BestValue != "1" || math.Abs(a.ValueScores[1].Score-0.605) > 1e-12 || a.ValueScores[2].N != 2 {
		t.Errorf("a's value scores %+v, best %s", a.ValueScores, a.BestValue)
	}
	if got := r.Included(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("INCLUDE %v", got)
	}
	m.Threshold = 0.2
	if r := m.analyse(trs, at, evals); r.Effects[0].Class != Fix {
		t.Error("a threshold of 0.2 still includes a")
	}
}

func TestPrune(t *testing.T) {
	scores := []ValueScore{{"1", 0.50, 3}, {"2", 0.47, 2}, {"3", 0.45, 1}, {"4", math.NaN(), 0}, {"5", 0.46, 1}}
	for _, tt := range []struct {
		margin float64
		want   []string
	}{
		{AutoPrune, []string{"1", "2", "5"}}, // keeps ≥ 0.46
		{0.05, []string{"1", "2", "3", "5"}},
		{0, []string{"1"}},
	} {
		if got := Prune(scores, tt.margin); !slices.Equal(got, tt.want) {
			t.Errorf("margin %v: %v, want %v", tt.margin, got, tt.want)
		}
	}
	if got := Prune([]ValueScore{{"a", math.NaN(), 0}, {"b", math.NaN(), 0}}, AutoPrune); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("no scores: %v, want every value", got)
	}
}

func TestCostClass(t *testing.T) {
	for _, tt := range []struct {
		delta float64
		want  string
	}{
		{0, Free}, {0.0019, Free}, {-0.0019, Free}, {0.002, Cheap}, {-0.0049, Cheap}, {0.005, Moderate},
		{0.0099, Moderate}, {0.010, Expensive}, {-0.5, Expensive}, {math.NaN(), Expensive},
	} {
		if got := CostClass(tt.delta); got != tt.want {
			t.Errorf("CostClass(%v) = %s, want %s", tt.delta, got, tt.want)
		}
	}
}

// TestMorrisRun screens two parameters of a small economy, resumes from
// the journal with the same result, and checks its files.
func TestMorrisRun(t *testing.T) {
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
	m := &Morris{Scenario: sc, Space: sp, Trajectories: 3, NSeeds: 2, Execution: Execution{Workers: 2}}
	n, err := m.Evaluations()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := m.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ran != n || len(r.Effects) != 2 || len(r.Effects[0].Effects) != 3 {
		t.Fatalf("ran %d of %d jobs, %d effects", r.Ran, n, len(r.Effects))
	}
	for _, e := range r.Configurations {
		if e.Mean <= 0 || e.Mean > 1 {
			t.Errorf("configuration %v: mean score %v outside (0, 1]", e.Values, e.Mean)
		}
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, MorrisJSON))
	m.Workers = 1
	again, err := m.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Ran != 0 || again.FromJournal != n {
		t.Errorf("rerun ran %d, %d from the journal", again.Ran, again.FromJournal)
	}
	if err := again.Write(dir); err != nil {
		t.Fatal(err)
	}
	if second, _ := os.ReadFile(filepath.Join(dir, MorrisJSON)); string(second) != string(first) {
		t.Error("morris.json differs after a resume with another number of workers")
	}
	if !strings.Contains(string(first), `"format": "bam-calibrate-morris/1"`) {
		t.Errorf("morris.json:\n%.200s", first)
	}
	back, err := ReadMorris(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Effects) != 2 || back.Effects[0].MuStar != r.Effects[0].MuStar || back.Effects[1].BestValue != r.Effects[1].BestValue ||
		!slices.Equal(back.Space.Names(), sp.Names()) {
		t.Errorf("ReadMorris gave %+v, want %+v", back.Effects, r.Effects)
	}
	text, _ := os.ReadFile(filepath.Join(dir, MorrisText))
	if !strings.Contains(string(text), "Morris screening of baseline: 3 trajectories") || !strings.Contains(string(text), "INCLUDE:") {
		t.Errorf("morris.txt:\n%s", text)
	}
}
