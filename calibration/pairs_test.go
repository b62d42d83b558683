package calibration

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

// pairsFixture is a sensitivity result over a real space: beta (3 values,
// best 2.5), max_M (2, best 4) and theta (4, best 8) INCLUDE, price_init
// FIX (best 1), max_Z fixed at 3.
func pairsFixture(t *testing.T) *OATResult {
	t.Helper()
	sp, err := NewSpace([]Param{
		{Name: "beta", Values: []string{"1", "2.5", "5"}},
		{Name: "price_init", Values: []string{"0.5", "1"}},
		{Name: "max_M", Values: []string{"2", "4"}},
		{Name: "theta", Values: []string{"2", "4", "8", "16"}},
		{Name: "max_Z", Values: []string{"3"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	vs := func(scores ...float64) []ValueScore {
		var out []ValueScore
		for i, s := range scores {
			out = append(out, ValueScore{Value: strings.Fields("x y z w")[i], Score: s, N: 1})
		}
		return out
	}
	named := func(p int, scores []ValueScore) []ValueScore {
		for i := range scores {
			scores[i].Value = sp.Params[p].Values[i]
		}
		return scores
	}
	return &OATResult{Method: MethodOAT, Scenario: "baseline", Threshold: Threshold, Space: sp, Parameters: []Sensitivity{
		{Name: "beta", Sensitivity: 0.1, Class: Include, BestValue: "2.5", ValueScores: named(0, vs(0.70, 0.80, 0.77))},
		{Name: "price_init", Sensitivity: 0.01, Class: Fix, BestValue: "1", ValueScores: named(1, vs(0.79, 0.80))},
		{Name: "max_M", Sensitivity: 0.05, Class: Include, BestValue: "4", ValueScores: named(2, vs(0.75, 0.80))},
		{Name: "theta", Sensitivity: 0.2, Class: Include, BestValue: "8", ValueScores: named(3, vs(0.60, 0.78, 0.80, 0.70))},
	}}
}

// TestPairsPlan checks the unique-configuration accounting: with n_i
// values per INCLUDE parameter, the base, Σ (n_i − 1) single changes and
// Σ_{i<j} (n_i − 1)(n_j − 1) combinations, each configuration once; the
// base holds every best value, the FIX price_init and the fixed max_Z.
func TestPairsPlan(t *testing.T) {
	r := pairsFixture(t)
	pw := &Pairwise{Scenario: scenarios.Default(), Sensitivity: r, NSeeds: 3}
	pl, err := pw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	// n = 3, 2, 4: singles 2 + 1 + 3 = 6; combinations 2·1 + 2·3 + 1·3 = 11.
	if !slices.Equal(pl.Params, []string{"beta", "max_M", "theta"}) || pl.Pairs != 3 || pl.Singles != 6 || pl.Combos != 11 || pl.Design.Len() != 18 {
		t.Fatalf("params %v, %d pairs, %d singles, %d combinations, %d configurations; want 3, 6, 11, 18",
			pl.Params, pl.Pairs, pl.Singles, pl.Combos, pl.Design.Len())
	}
	if want := []string{"2.5", "1", "4", "8", "3"}; !slices.Equal(pl.Base, want) || !slices.Equal(pl.Design.Configs[0], want) {
		t.Errorf("base %v, want %v", pl.Base, want)
	}
	seen := map[string]bool{} // by the configuration's values
	for _, c := range pl.Design.Configs {
		changed := 0
		for j := range c {
			if c[j] != pl.Base[j] {
				changed++
			}
		}
		if seen[strings.Join(c, "\x00")] || changed > 2 || c[1] != "1" || c[4] != "3" {
			t.Errorf("configuration %v: a repeat, or %d changes, or the FIX or fixed parameter changed", c, changed)
		}
		seen[strings.Join(c, "\x00")] = true
	}
	if n, err := pw.Evaluations(); err != nil || n != 18*3 {
		t.Errorf("Evaluations = %d, %v; want 54", n, err)
	}
	// Pruned by 0.04: beta keeps 2.5 and 5 (0.77), max_M only 4 (2 scores
	// 0.75), theta 4 (0.78) and 8: the base, beta 5, theta 4 and both.
	pw.Margin = 0.04
	pl, err = pw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pl.Values[0], []string{"2.5", "5"}) || !slices.Equal(pl.Values[1], []string{"4"}) || !slices.Equal(pl.Values[2], []string{"4", "8"}) ||
		pl.Design.Len() != 4 || pl.Singles != 2 || pl.Combos != 1 {
		t.Errorf("pruned values %v, %d configurations; want 4", pl.Values, pl.Design.Len())
	}
	// Fewer than two INCLUDE parameters.
	r.Parameters[2].Class, r.Parameters[3].Class = Fix, Fix
	if _, err := pw.Plan(); !errors.Is(err, experiments.ErrBadDesign) || !strings.Contains(err.Error(), "two INCLUDE parameters at least") {
		t.Errorf("one INCLUDE parameter: %v", err)
	}
	pw.NSeeds = 0
	if _, err := pw.Plan(); !errors.Is(err, experiments.ErrBadDesign) {
		t.Errorf("no seeds: %v", err)
	}
}

// TestPairInteractions plants interactions in the scores of the plan's
// configurations, score = base + each change's own effect + the pair's
// interaction term, and checks that the analysis recovers them, with the
// synergy/conflict split and the order by strength.
func TestPairInteractions(t *testing.T) {
	r := pairsFixture(t)
	pl, err := (&Pairwise{Sensitivity: r, NSeeds: 1}).Plan()
	if err != nil {
		t.Fatal(err)
	}
	// In units of 2⁻¹⁰ on a base of 0.75, so that every sum is exact.
	const u = 1.0 / 1024
	own := map[string]float64{"beta=1": -100 * u, "beta=5": -30 * u, "max_M=2": -50 * u, "theta=2": -200 * u, "theta=4": -20 * u, "theta=16": -100 * u}
	planted := map[string]float64{ // each pair's interaction term
		"beta=1 max_M=2":   40 * u,
		"beta=5 max_M=2":   -10 * u,
		"beta=1 theta=2":   -60 * u,
		"beta=1 theta=4":   10 * u,
		"beta=1 theta=16":  -5 * u,
		"beta=5 theta=2":   30 * u,
		"beta=5 theta=4":   0, // neither a synergy nor a conflict
		"beta=5 theta=16":  20 * u,
		"max_M=2 theta=2":  -20 * u,
		"max_M=2 theta=4":  5 * u,
		"max_M=2 theta=16": -30 * u,
	}
	names := pl.Design.Params
	evals := make([]Evaluation, pl.Design.Len())
	for c, vals := range pl.Design.Configs {
		score := 0.75
		var changes []string
		for j, v := range vals {
			if v != pl.Base[j] {
				changes = append(changes, names[j]+"="+v)
				score += own[names[j]+"="+v]
			}
		}
		score += planted[strings.Join(changes, " ")]
		evals[c] = Evaluation{Values: vals, Mean: score}
	}
	pairs, syn, con := pl.interactions(evals)
	if len(pairs) != 3 || pairs[0].ParamA != "beta" || pairs[0].ParamB != "max_M" || pairs[2].ParamA != "max_M" || pairs[2].ParamB != "theta" {
		t.Fatalf("pairs %+v", pairs)
	}
	count := 0
	for _, p := range pairs {
		maxS := 0.0
		for _, x := range p.Interactions {
			count++
			key := x.ParamA + "=" + x.ValueA + " " + x.ParamB + "=" + x.ValueB
			if x.ValueA == pl.Base[slices.Index(names, x.ParamA)] || x.ValueB == pl.Base[slices.Index(names, x.ParamB)] {
				t.Errorf("%s: a combination holding a best value is listed", key)
			}
			if x.Interaction != planted[key] || x.Strength != math.Abs(x.Interaction) || x.Baseline != 0.75 {
				t.Errorf("%s: interaction %v (strength %v, baseline %v), planted %v", key, x.Interaction, x.Strength, x.Baseline, planted[key])
			}
			if x.ScoreA != 0.75+own[x.ParamA+"="+x.ValueA] || x.ScoreB != 0.75+own[x.ParamB+"="+x.ValueB] || x.Combined != evals[0].Mean+own[x.ParamA+"="+x.ValueA]+own[x.ParamB+"="+x.ValueB]+planted[key] {
				t.Errorf("%s: a alone %v, b alone %v", key, x.ScoreA, x.ScoreB)
			}
			maxS = max(maxS, x.Strength)
		}
		if p.MaxStrength != maxS {
			t.Errorf("%s × %s: max strength %v, want %v", p.ParamA, p.ParamB, p.MaxStrength, maxS)
		}
	}
	if count != 11 {
		t.Errorf("%d interactions, want the 11 combinations", count)
	}
	// 5 synergies, 5 conflicts, the one zero in neither; each strongest first.
	key := func(xs []Interaction) []string {
		var out []string
		for _, x := range xs {
			out = append(out, x.ParamA+"="+x.ValueA+" "+x.ParamB+"="+x.ValueB)
		}
		return out
	}
	wantSyn := []string{"beta=1 max_M=2", "beta=5 theta=2", "beta=5 theta=16", "beta=1 theta=4", "max_M=2 theta=4"}
	wantCon := []string{"beta=1 theta=2", "max_M=2 theta=16", "max_M=2 theta=2", "beta=5 max_M=2", "beta=1 theta=16"}
	if got := key(syn); !slices.Equal(got, wantSyn) {
		t.Errorf("synergies %v, want %v", got, wantSyn)
	}
	if got := key(con); !slices.Equal(got, wantCon) {
		t.Errorf("conflicts %v, want %v", got, wantCon)
	}
}

// TestNewInteraction checks the interaction's arithmetic and that a
// single change is exactly 0.
func TestNewInteraction(t *testing.T) {
	for _, tt := range []struct {
		combined, a, b, base float64
		want                 float64
	}{
		{0.75, 0.625, 0.5625, 0.5, 0.0625}, // a synergy: 0.75 − 0.625 − 0.5625 + 0.5
		{0.5, 0.625, 0.5625, 0.5, -0.1875}, // a conflict
		{0.8125, 0.875, 0.4375, 0.5, 0},    // additive effects
		{0.61, 0.73, 0.61, 0.73, 0},        // only b changed: combined = b, a = base
		{0.37, 0.37, 0.9, 0.9, 0},          // only a changed: combined = a, b = base
		{0.1, 0.7, 0.3, 0.8, -0.1},         // any numbers
	} {
		x := newInteraction("a", "1", "b", "2", tt.combined, tt.a, tt.b, tt.base)
		if math.Abs(x.Interaction-tt.want) > 1e-15 || x.Strength != math.Abs(x.Interaction) {
			t.Errorf("%+v: interaction %v, strength %v; want %v", tt, x.Interaction, x.Strength, tt.want)
		}
		if tt.want == 0 && x.Interaction != 0 {
			t.Errorf("%+v: %v, not exactly 0", tt, x.Interaction)
		}
	}
}
