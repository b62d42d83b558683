package calibration

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation"
)

// TestRank checks the three ranking rules on hand-worked evaluations.
func TestRank(t *testing.T) {
	evals := []Evaluation{
		{Mean: 0.80, Std: 0.10, PassRate: 0.9, Fails: 3}, // combined 0.80·0.9·0.9 = 0.648
		{Mean: 0.75, Std: 0.02, PassRate: 1.0, Fails: 0}, // 0.75·1·0.98 = 0.735
		{Mean: 0.85, Std: 0.30, PassRate: 0.9, Fails: 1}, // 0.85·0.9·0.7 = 0.5355
		{Mean: 0.70, Std: 0.01, PassRate: 1.0, Fails: 0}, // 0.70·0.99 = 0.693
		{Mean: 0.80, Std: 0.10, PassRate: 0.9, Fails: 3}, // a tie with 0: stays after it
	}
	for _, tt := range []struct {
		rule string
		want []int
	}{
		{RankCombined, []int{1, 3, 0, 4, 2}},
		{RankStability, []int{1, 3, 2, 0, 4}}, // pass rate 1 first (by combined); then fewer FAILs: 2 (1) before 0 and 4 (3)
		{RankMean, []int{2, 0, 4, 1, 3}},
	} {
		got, err := Rank(evals, tt.rule, 1)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v (%v), want %v", tt.rule, got, err, tt.want)
		}
	}
	// k = 3: 0 → 0.8·0.9·0.7 = 0.504, 3 → 0.7·0.97 = 0.679, 1 → 0.75·0.94 = 0.705.
	if got, _ := Rank(evals, RankCombined, 3); !slices.Equal(got[:3], []int{1, 3, 0}) {
		t.Errorf("k = 3: %v", got)
	}
	if _, err := Rank(evals, "best", 1); !errors.Is(err, experiments.ErrBadDesign) {
		t.Errorf("an unknown rule: %v", err)
	}
}

func TestParseTiers(t *testing.T) {
	got, err := ParseTiers(DefaultTiers)
	if err != nil || !slices.Equal(got, []Tier{{100, 10}, {50, 20}, {10, 100}}) {
		t.Errorf("%q: %v %v", DefaultTiers, got, err)
	}
	for _, bad := range []string{"", "100", "100:1", "0:10", "10:10, 20:20", "50:20, 10:20", "a:b"} {
		if _, err := ParseTiers(bad); !errors.Is(err, experiments.ErrBadDesign) {
			t.Errorf("%q: %v, want a refusal", bad, err)
		}
	}
}

// TestTierSeedAccounting checks that each tier runs only its new seeds:
// with the screening's seed 0 counted, "100:10, 50:20, 10:100" runs seeds
// 1–9 for 100 configurations, 10–19 for 50 and 20–99 for 10.
func TestTierSeedAccounting(t *testing.T) {
	ranked := make([]int, 300)
	for i := range ranked {
		ranked[i] = 299 - i
	}
	tiers, _ := ParseTiers(DefaultTiers)
	have := 1
	want := []TierPlan{{Have: 1, First: 1, N: 9}, {Have: 10, First: 10, N: 10}, {Have: 20, First: 20, N: 80}}
	for i, tr := range tiers {
		p := PlanTier(tr, ranked, have, 0)
		if p.Have != want[i].Have || p.First != want[i].First || p.N != want[i].N || len(p.Configs) != tr.Top || p.Configs[0] != 299 {
			t.Errorf("tier %d: %+v (configs %d, first %d), want %+v", i+1, p, len(p.Configs), p.Configs[0], want[i])
		}
		have = tr.Seeds
	}
	if p := PlanTier(Tier{Top: 100, Seeds: 10}, ranked[:7], 1, 5); len(p.Configs) != 7 || p.First != 6 || p.N != 9 {
		t.Errorf("fewer candidates than the tier's top, base seed 5: %+v", p)
	}
	s := &Search{Space: &Space{Params: []Param{{Name: "a", Values: make([]string, 30)}, {Name: "b", Values: make([]string, 5)}}}, Tiers: tiers}
	phases, err := s.Plan()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range phases {
		total += p.Evaluations
	}
	// 150 screened, 100 × 9, 50 × 10, 10 × 80.
	if len(phases) != 4 || phases[0].Evaluations != 150 || phases[1].Evaluations != 900 || phases[2].Evaluations != 500 || phases[3].Evaluations != 800 || total != 2350 {
		t.Errorf("phases %+v", phases)
	}
}

// TestFocus checks the focused grid: INCLUDE parameters pruned, FIX ones
// pinned to their best value, unscreened ones kept.
func TestFocus(t *testing.T) {
	sp, err := NewSpace([]Param{{Name: "beta", Values: []string{"1", "2.5", "5"}}, {Name: "max_M", Values: []string{"2", "4"}}, {Name: "theta", Values: []string{"8"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := &MorrisResult{Effects: []Effect{
		{Name: "beta", Class: Include, ValueScores: []ValueScore{{"1", 0.70, 2}, {"2.5", 0.75, 2}, {"5", 0.74, 1}}, BestValue: "2.5"},
		{Name: "max_M", Class: Fix, ValueScores: []ValueScore{{"2", 0.71, 3}, {"4", 0.73, 3}}, BestValue: "4"},
	}}
	f, err := Focus(sp, r, AutoPrune)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"2.5", "5"}, {"4"}, {"8"}}
	for i, p := range f.Params {
		if !slices.Equal(p.Values, want[i]) {
			t.Errorf("%s: %v, want %v", p.Name, p.Values, want[i])
		}
	}
	if f, _ := Focus(sp, r, 0); len(f.Params[0].Values) != 3 || f.Size() != 3 {
		t.Errorf("no pruning: %v (size %d)", f.Params[0].Values, f.Size())
	}
}

// smallBaseline is the baseline at a size a test runs in milliseconds.
func smallBaseline(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=2", "n_periods=80"} {
		if err := sc.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

// TestSearchAndExport runs a small search with two tiers, resumes it, and
// checks that the exported winner, read back from its TOML, reproduces
// the winner's scores seed by seed.
func TestSearchAndExport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallBaseline(t)
	sp, err := NewSpace([]Param{{Name: "beta", Values: []string{"1", "2.5", "5"}}, {Name: "max_M", Values: []string{"2", "4"}}})
	if err != nil {
		t.Fatal(err)
	}
	tiers, _ := ParseTiers("4:3, 2:5")
	s := &Search{Scenario: sc, Space: sp, Tiers: tiers, Execution: Execution{Workers: 2}}
	dir := t.TempDir()
	r, err := s.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// 6 screened, 4 × 2 new seeds, 2 × 2 new seeds.
	if r.Ran != 18 || len(r.Screening) != 6 || len(r.Tiers[0].Ranking) != 4 || len(r.Tiers[1].Ranking) != 2 || r.Winner.NSeeds != 5 {
		t.Fatalf("ran %d; %d screened, tiers %d and %d, winner over %d seeds", r.Ran, len(r.Screening), len(r.Tiers[0].Ranking), len(r.Tiers[1].Ranking), r.Winner.NSeeds)
	}
	for i := 1; i < len(r.Screening); i++ {
		if r.Screening[i].Mean > r.Screening[i-1].Mean {
			t.Error("the screening is not ranked by score")
		}
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, SearchJSON))
	s.Workers = 1
	again, err := s.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Write(dir); err != nil {
		t.Fatal(err)
	}
	if second, _ := os.ReadFile(filepath.Join(dir, SearchJSON)); again.Ran != 0 || string(second) != string(first) {
		t.Errorf("the resumed search ran %d evaluations or wrote another search.json", again.Ran)
	}
	_, text, err := Export(sc, r.Params, r.Winner.Values, "test winner")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, WinnerTOML)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := bam.NewFromScenario(back)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := validation.SuiteFor(back, sim.Pipeline.Names())
	if err != nil {
		t.Fatal(err)
	}
	var scores []float64
	for seed := range uint64(5) {
		res, err := validation.RunSeed(context.Background(), back, suite, seed, validation.Options{})
		if err != nil {
			t.Fatal(err)
		}
		scores = append(scores, res.TotalScore)
	}
	if m := mean(scores); math.Abs(m-r.Winner.Mean) > 1e-12 || !strings.Contains(string(text), "# test winner") {
		t.Errorf("the exported winner scores %v over seeds 0–4 (mean %v); the search found %v", scores, m, r.Winner.Mean)
	}
}

// TestCost runs a small cost analysis with its combo grid: the winner's
// own value as a swap costs nothing (FREE, Δ = 0), and every combination
// of the cheap swaps is tested.
func TestCost(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallBaseline(t)
	c := &Cost{Winner: sc, Swaps: []Swap{{"beta", "2.5"}, {"max_M", "2"}, {"theta", "4"}}, NSeeds: 3, Combo: true, Execution: Execution{Workers: 2}}
	dir := t.TempDir()
	r, err := c.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Swaps) != 3 || r.Swaps[0].Delta != 0 || r.Swaps[0].Class != Free {
		t.Fatalf("beta=2.5 is the winner's own value: %+v", r.Swaps[0])
	}
	for _, x := range r.Swaps {
		if x.Class != CostClass(x.Delta) || math.Abs(x.Combined-r.Winner.Combined-x.Delta) > 1e-15 {
			t.Errorf("%+v: inconsistent", x)
		}
	}
	cheap := 0
	for _, x := range r.Swaps {
		if x.Class == Free || x.Class == Cheap {
			cheap++
		}
	}
	if want := (1 << cheap) - cheap - 1; len(r.Combos) != want {
		t.Errorf("%d combinations of %d cheap swaps, want %d", len(r.Combos), cheap, want)
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	sp, _ := DefaultSpace("baseline")
	w := sc.Clone()
	_ = w.Set("beta=5")
	_ = w.Set("max_M=2")
	swaps, err := DefaultSwaps(w, sp)
	if err != nil || !slices.Equal(swaps, []Swap{{"beta", "2.5"}, {"max_M", "4"}}) {
		t.Errorf("DefaultSwaps: %v %v", swaps, err)
	}
}

// TestGridSizeLimit checks that a grid of more than MaxGridSize
// combinations is refused before anything is built, with its size, and
// that the size saturates instead of overflowing.
func TestGridSizeLimit(t *testing.T) {
	sp, err := DefaultSpace("baseline")
	if err != nil {
		t.Fatal(err)
	}
	want := 1
	for _, p := range sp.Params {
		want *= len(p.Values)
	}
	if sp.Size() != want || want <= MaxGridSize {
		t.Fatalf("size %d, want %d (> %d)", sp.Size(), want, MaxGridSize)
	}
	if _, err := sp.Design(); err == nil || !strings.Contains(err.Error(), strconv.Itoa(want)+" configurations") {
		t.Errorf("the design of the whole space: %v", err)
	}
	if _, err := (&Search{Space: sp}).Plan(); err == nil {
		t.Error("a search of the whole space is planned")
	}
	huge := &Space{}
	for i := range 70 {
		huge.Params = append(huge.Params, Param{Name: fmt.Sprint("p", i), Values: []string{"a", "b"}})
	}
	if huge.Size() != math.MaxInt {
		t.Errorf("2^70 combinations: size %d, want math.MaxInt", huge.Size())
	}
	if _, err := huge.Design(); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("the design of 2^70 combinations: %v", err)
	}
}
