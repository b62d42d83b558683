package bam_test

import (
	"fmt"
	"slices"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems/extensions"
)

// Growth+ from Go: the baseline economy with the R&D extension of spec
// §12.2 (the embedded scenario growth_plus does the same from a file).
func ExampleSimulation_Use() {
	p := ecs.DefaultParams()
	p.Seed = 1
	sim, err := bam.New(p)
	if err != nil {
		panic(err)
	}
	// sigma_max etc. keep their defaults unless set before Use:
	// p.SetExt("sigma_max", 0.2) before bam.New.
	if err := sim.Use(extensions.RnD); err != nil {
		panic(err)
	}
	names := sim.Pipeline.Names()
	i := slices.Index(names, "firms_validate_debt_commitments")
	fmt.Println(names[i+1 : i+5])
	fmt.Println("sigma_max =", sim.World.Params.ExtValue("sigma_max"))

	sim.Run(500)
	rows := sim.History.Rows
	fmt.Printf("average productivity: %.1f in period 1, more than 5: %v in period 500\n",
		rows[0].AvgProductivity, rows[499].AvgProductivity > 5)
	// Output:
	// [firms_compute_rnd_intensity firms_apply_productivity_growth firms_deduct_rnd_expenditure firms_pay_dividends]
	// sigma_max = 0.1
	// average productivity: 0.5 in period 1, more than 5: true in period 500
}
