package figures_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/results/figures"
	"github.com/bam-abm/bam/scenarios"
)

// The figure of a run driven from Go, the same that bam plot draws from its
// run folder (figures.Load reads one).
func ExampleDrawFigure() {
	sc := scenarios.Default()
	sc.Params.Seed = 3
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		log.Fatal(err)
	}
	sim.Run(100)
	run := figures.FromSimulation(sim, figures.Info{Scenario: sc.Name, Seed: sc.Params.Seed, PeriodsRun: 100})
	var svg bytes.Buffer
	if err := figures.DrawPanel(&svg, "svg", "unemployment", run, run.Periods()/2); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.HasPrefix(svg.Bytes(), []byte("<?xml")), figures.Panels()[1])
	// Output: true unemployment
}
