package figures_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/results/figures"
	"github.com/bam-abm/bam/scenarios"
	"gonum.org/v1/plot/vg"
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

// A size for the command line's --size, in inches, centimetres,
// millimetres or points.
func ExampleParseSize() {
	w, h, err := figures.ParseSize("3.5in,2.6in")
	fmt.Printf("%.1f × %.1f pt, %v\n", w.Points(), h.Points(), err)
	_, _, err = figures.ParseSize("3.5,2.6")
	fmt.Println(err)
	// Output:
	// 252.0 × 187.2 pt, <nil>
	// width 3.5: no unit; want in, cm, mm or pt (as in 3.5in)
}

// One panel at a paper's column width, as PDF: fonts and lines scale with
// the size, the fonts embedded.
func ExampleSize() {
	sc := scenarios.Default()
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		log.Fatal(err)
	}
	sim.Run(100)
	run := figures.FromSimulation(sim, figures.Info{Scenario: sc.Name, Seed: sc.Params.Seed, PeriodsRun: 100})
	var pdf bytes.Buffer
	err = figures.DrawPanel(&pdf, "pdf", "phillips", run, 50, figures.Size(3.5*vg.Inch, 2.6*vg.Inch))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")))
	// Output: true
}

// Several seeds of one scenario drawn as an ensemble: every series as its
// mean over the runs with a band from the 5th to the 95th percentile
// (bam plot runs/seed-* draws the same from run folders, read by
// figures.Load).
func ExampleNewEnsemble() {
	var runs []*figures.Run
	for seed := range uint64(3) {
		sc := scenarios.Default()
		sc.Params.Seed = seed
		sim, err := bam.NewFromScenario(sc)
		if err != nil {
			log.Fatal(err)
		}
		sim.Run(100)
		runs = append(runs, figures.FromSimulation(sim, figures.Info{Scenario: sc.Name, Seed: seed, PeriodsRun: 100}))
	}
	ens, err := figures.NewEnsemble(runs...)
	if err != nil {
		log.Fatal(err)
	}
	var svg bytes.Buffer
	if err := figures.DrawFigure(&svg, "svg", ens, 50); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ens.Runs(), bytes.Contains(svg.Bytes(), []byte("mean of 3 runs")))
	// Output: 3 true
}
