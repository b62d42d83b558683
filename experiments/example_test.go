package experiments_test

import (
	"context"
	"fmt"
	"os"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

// A sweep of the contract length over a tiny economy, two seeds per
// configuration, written into a folder.
func ExampleSweep() {
	sc := scenarios.Default()
	for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=3", "n_periods=40"} {
		if err := sc.Set(a); err != nil {
			panic(err)
		}
	}
	design, err := experiments.Grid([]experiments.Axis{{Param: "theta", Values: []string{"4", "8"}}})
	if err != nil {
		panic(err)
	}
	dir, _ := os.MkdirTemp("", "sweep-")
	defer os.RemoveAll(dir)
	s := &experiments.Sweep{Scenario: sc, Design: design, NSeeds: 2, Workers: 1}
	out, err := s.Run(context.Background(), dir)
	if err != nil {
		panic(err)
	}
	if err := s.Write(dir, out.Summaries, experiments.Metadata{Source: "sweep"}); err != nil {
		panic(err)
	}
	for _, sum := range out.Summaries {
		fmt.Printf("theta=%s seed %d: %d periods\n", design.Configs[sum.Config][0], sum.Seed, sum.Periods)
	}
	// Output:
	// theta=4 seed 0: 40 periods
	// theta=4 seed 1: 40 periods
	// theta=8 seed 0: 40 periods
	// theta=8 seed 1: 40 periods
}

// A Latin hypercube of two parameters: the same seed gives the same
// design.
func ExampleLatinHypercube() {
	d, err := experiments.LatinHypercube([]experiments.Range{{Param: "beta", Lo: 0.5, Hi: 10}, {Param: "theta", Lo: 1, Hi: 12}}, 4, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Params, len(d.Configs))
	// Output: [beta theta] 4
}
