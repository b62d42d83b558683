package calibration_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/bam-abm/bam/calibration"
)

// The tiers of spec §10 and the seeds each runs: only the new ones.
func ExampleParseTiers() {
	tiers, _ := calibration.ParseTiers(calibration.DefaultTiers)
	ranked := make([]int, 200) // 200 screened configurations, best first
	for i := range ranked {
		ranked[i] = i
	}
	have := 1 // the screening's seed 0
	for _, t := range tiers {
		p := calibration.PlanTier(t, ranked, have, 0)
		fmt.Printf("top %d: seeds %d–%d\n", len(p.Configs), p.First, p.First+uint64(p.N)-1)
		have = t.Seeds
	}
	// Output:
	// top 100: seeds 1–9
	// top 50: seeds 10–19
	// top 10: seeds 20–99
}

// The combined score and the cost classes.
func ExampleCombined() {
	fmt.Printf("%.3f\n", calibration.Combined(0.85, 0.98, 0.02, 1))
	for _, d := range []float64{0.001, -0.004, 0.009, -0.03} {
		fmt.Println(d, calibration.CostClass(d))
	}
	// Output:
	// 0.816
	// 0.001 FREE
	// -0.004 CHEAP
	// 0.009 MODERATE
	// -0.03 EXPENSIVE
}

// Morris trajectories through a two-parameter space: each changes every
// parameter once.
func ExampleTrajectories() {
	sp, _ := calibration.NewSpace([]calibration.Param{
		{Name: "beta", Values: []string{"1", "2.5", "5"}},
		{Name: "max_M", Values: []string{"2", "4"}},
	})
	for _, tr := range calibration.Trajectories(sp, 2, 0) {
		fmt.Println(len(tr.Points), "points,", len(tr.Steps), "steps")
	}
	// Output:
	// 3 points, 2 steps
	// 3 points, 2 steps
}

// The HTML report of a cost analysis (here written by hand; ReadCost reads
// one from its folder). The other sections are left out.
func ExampleReport_WriteHTML() {
	winner := calibration.Ranked{Evaluation: calibration.Evaluation{NSeeds: 20, Mean: 0.86, Std: 0.01, PassRate: 1}, Combined: 0.8514}
	swap := calibration.SwapCost{Swaps: []calibration.Swap{{Param: "beta", Value: "2.5"}}, Combined: 0.8504, Delta: -0.0010,
		Class: calibration.CostClass(-0.0010), Eval: winner}
	r := &calibration.Report{Cost: &calibration.CostResult{Scenario: "baseline", NSeeds: 20, Winner: winner, Swaps: []calibration.SwapCost{swap}}}
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "calibration.html")
	if err := r.WriteHTML(path); err != nil {
		log.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(string(page), `<section id="cost">`), strings.Contains(string(page), `<section id="morris">`),
		strings.Contains(string(page), "<td>beta=2.5</td>"), strings.Contains(string(page), "FREE"))
	// Output: true false true true
}

// A stage of a staged sweep, as --stage writes it, and a constraint on a
// grid, as a grid file's constraints list writes it.
func ExampleParseStage() {
	st, err := calibration.ParseStage("credit:max_leverage=5,10,20;max_loan_to_net_worth=2,5")
	if err != nil {
		panic(err)
	}
	for _, p := range st.Params {
		fmt.Println(st.Name, p.Name, p.Values)
	}
	c, _ := calibration.ParseConstraint("max_loan_to_net_worth<=max_leverage")
	fmt.Println(c)
	fmt.Printf("%.1f %%\n", calibration.SensitivityCollapse(0.04, 0.01))
	// Output:
	// credit max_leverage [5 10 20]
	// credit max_loan_to_net_worth [2 5]
	// max_loan_to_net_worth <= max_leverage
	// 75.0 %
}
