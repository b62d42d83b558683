package bam_test

import (
	"fmt"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
)

// MinWagePolicy is a custom system: at period At it multiplies the statutory
// minimum wage by Factor and lifts every employed worker paid less than the
// new floor to it.
type MinWagePolicy struct {
	At     int
	Factor float64
}

// Name is the system's name in the pipeline and in scenario files.
func (MinWagePolicy) Name() string { return "raise_minimum_wage" }

// Update applies the policy in period At and does nothing otherwise.
func (p MinWagePolicy) Update(w *ecs.World) {
	if w.Period != p.At {
		return
	}
	w.Econ.MinWage *= p.Factor
	for j := range w.Households.Worker {
		h := &w.Households.Worker[j]
		if h.Employed() && h.Wage < w.Econ.MinWage {
			h.Wage = w.Econ.MinWage
		}
	}
}

// A user-defined system inserted into the pipeline from Go.
func Example_customSystem() {
	p := ecs.DefaultParams()
	p.Seed = 7
	sim, err := bam.New(p)
	if err != nil {
		panic(err)
	}
	err = sim.Pipeline.InsertAfter("adjust_minimum_wage", MinWagePolicy{At: 50, Factor: 2})
	if err != nil {
		panic(err)
	}
	sim.Run(60)
	rows := sim.History.Rows
	fmt.Printf("minimum wage in period 50 / period 49: %.2f\n", rows[49].MinWage/rows[48].MinWage)
	fmt.Println("systems per period:", sim.Pipeline.Len())
	// Output:
	// minimum wage in period 50 / period 49: 2.00
	// systems per period: 42
}

// A custom system registered by name and placed by a scenario file's hook.
func ExampleRegisterSystem() {
	err := bam.RegisterSystem("raise_minimum_wage", func(*ecs.World) ecs.System {
		return MinWagePolicy{At: 100, Factor: 2}
	})
	if err != nil {
		panic(err)
	}
	sc, err := scenarios.Parse("policy.toml", []byte(`
name = "policy"
n_periods = 120

[[hooks]]
after = "adjust_minimum_wage"
systems = ["raise_minimum_wage"]
`))
	if err != nil {
		panic(err)
	}
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		panic(err)
	}
	names := sim.Pipeline.Names()
	fmt.Println(names[7], "->", names[8])
	// Output:
	// adjust_minimum_wage -> raise_minimum_wage
}

// Running the embedded baseline and reading the recorded series.
func ExampleNewFromScenario() {
	sc := scenarios.Default()
	sc.Params.Seed = 1
	sc.Params.NPeriods = 100
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		panic(err)
	}
	n := sim.Run(sc.Params.NPeriods)
	first := sim.History.Rows[0]
	fmt.Println("periods:", n)
	fmt.Println("vacancies posted in period 1:", first.Vacancies)
	// Output:
	// periods: 100
	// vacancies posted in period 1: 600
}
