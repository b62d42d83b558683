package calibration

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

// row builds a cross row from (combined, pass rate, failing seeds) per
// scenario.
func row(values []string, s ...[3]float64) CrossRow {
	var scores []Ranked
	for _, x := range s {
		scores = append(scores, Ranked{Evaluation: Evaluation{PassRate: x[1], FailSeeds: int(x[2])}, Combined: x[0]})
	}
	return newCrossRow(values, scores)
}

// TestRankCross checks the three cross-evaluation rankings and the row
// figures on hand-worked cases over two scenarios.
func TestRankCross(t *testing.T) {
	rows := []CrossRow{
		row([]string{"a"}, [3]float64{0.80, 0.90, 10}, [3]float64{0.60, 0.95, 5}),  // min pass 0.90, fails 15, min comb 0.60, balanced √0.48
		row([]string{"b"}, [3]float64{0.70, 0.95, 5}, [3]float64{0.70, 0.92, 8}),   // 0.92, 13, 0.70, 0.70
		row([]string{"c"}, [3]float64{0.90, 0.92, 8}, [3]float64{0.50, 0.99, 1}),   // 0.92, 9, 0.50, √0.45
		row([]string{"d"}, [3]float64{0.75, 0.80, 20}, [3]float64{0.72, 0.80, 20}), // 0.80, 40, 0.72, √0.54
	}
	if r := rows[0]; r.MinPassRate != 0.90 || r.FailSeeds != 15 || r.MinCombined != 0.60 || math.Abs(r.Balanced-math.Sqrt(0.48)) > 1e-12 {
		t.Errorf("row a: %+v", r)
	}
	for _, tt := range []struct {
		rule string
		want []int
	}{
		{RankStabilityFirst, []int{2, 1, 0, 3}}, // 0.92 (9 fails) before 0.92 (13), then 0.90, then 0.80
		{RankScoreFirst, []int{3, 1, 0, 2}},     // min combined 0.72, 0.70, 0.60, 0.50
		{RankBalanced, []int{3, 1, 0, 2}},       // √0.54 ≈ 0.735, 0.70, √0.48 ≈ 0.693, √0.45 ≈ 0.671
	} {
		got, err := RankCross(rows, tt.rule)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v (%v), want %v", tt.rule, got, err, tt.want)
		}
	}
	if _, err := RankCross(rows, "best"); !errors.Is(err, experiments.ErrBadDesign) {
		t.Errorf("an unknown rule: %v", err)
	}
	// The best of scenario 1 is c (0.90), of scenario 2 d (0.72).
	params := []string{"p"}
	tens := tensions(params, []string{"s1", "s2"}, rows)
	if len(tens) != 1 || tens[0].Best["s1"] != "c" || tens[0].Best["s2"] != "d" {
		t.Errorf("tension %+v", tens)
	}
	agree := []CrossRow{row([]string{"x", "1"}, [3]float64{0.9, 1, 0}, [3]float64{0.9, 1, 0}), row([]string{"y", "1"}, [3]float64{0.8, 1, 0}, [3]float64{0.95, 1, 0})}
	if tens := tensions([]string{"p", "q"}, []string{"s1", "s2"}, agree); len(tens) != 1 || tens[0].Param != "p" {
		t.Errorf("q agrees, p does not: %+v", tens)
	}
}

// TestCrossEvalRun evaluates two configurations on two scenarios of a
// small economy.
func TestCrossEvalRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	var scs []*scenarios.Scenario
	for _, name := range []string{"baseline", "growth_plus"} {
		sc, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=2", "n_periods=80"} {
			_ = sc.Set(a)
		}
		scs = append(scs, sc)
	}
	x := &CrossEval{Scenarios: scs, Params: []string{"beta"}, Configs: [][]string{{"1"}, {"5"}}, NSeeds: 2, Rule: RankBalanced, Execution: Execution{Workers: 2}}
	dir := t.TempDir()
	r, err := x.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ran != x.Evaluations() || r.Ran != 8 || len(r.Ranking) != 2 || len(r.Ranking[0].Scores) != 2 || r.Ranking[0].Balanced < r.Ranking[1].Balanced {
		t.Fatalf("ran %d, ranking %+v", r.Ran, r.Ranking)
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	again, err := x.Run(context.Background(), dir)
	if err != nil || again.Ran != 0 || again.FromJournal != 8 {
		t.Errorf("rerun: %v, ran %d", err, again.Ran)
	}
}
