package bam_test

import (
	"fmt"
	"os"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// Collect per-agent variables, one at a capture point, and read them back.
func ExampleSimulation_Collect() {
	p := ecs.DefaultParams()
	p.Seed = 1
	p.NPeriods = 100
	sim, err := bam.New(p)
	if err != nil {
		panic(err)
	}
	spec, err := bam.ParseCollect("Producer.production@firms_run_production,Worker.employed@firms_run_production,Lender.equity_base")
	if err != nil {
		panic(err)
	}
	c, err := sim.Collect(spec...) // before the first Step
	if err != nil {
		panic(err)
	}
	sim.Run(100)

	fmt.Println(c.Variables())
	periods, agents, v := c.Data("Worker.employed@firms_run_production")
	last := v[(periods-1)*agents:] // the last period, one value per household
	employed := 0.0
	for _, e := range last {
		employed += e
	}
	fmt.Println(periods, agents, employed == float64(sim.History.Rows[periods-1].Employed))
	_, banks, _ := c.Data("Lender.equity_base")
	fmt.Println(banks)
	// Output:
	// [Producer.production@firms_run_production Worker.employed@firms_run_production Lender.equity_base]
	// 100 500 true
	// 10
}

// A request names per-agent variables (Component.field), whole components
// and economy series, each optionally with the system it is captured after.
func ExampleParseCollect() {
	spec, err := bam.ParseCollect("Producer.production@firms_run_production, Worker.wage, unemployment_rate")
	if err != nil {
		panic(err)
	}
	for _, s := range spec {
		fmt.Printf("%s at %q\n", s.Name, s.At)
	}
	_, err = bam.ParseCollect("Lender.equity")
	fmt.Println(err)
	// Output:
	// Producer.production at "firms_run_production"
	// Worker.wage at ""
	// unemployment_rate at ""
	// unknown variable "Lender.equity": Lender has no variable "equity"; it has: equity_base, credit_supply, interest_rate, opex_shock
}

// Collect a derived per-agent variable registered with ecs.RegisterVariable:
// a firm's unit labour cost.
func ExampleSimulation_Collect_derivedVariable() {
	err := ecs.RegisterVariable("Example.unit_labor_cost", ecs.Firms, func(w *ecs.World, dst []float64) {
		for i := range dst {
			e, p := &w.Firms.Employer[i], &w.Firms.Producer[i]
			dst[i] = 0
			if p.Production > 0 {
				dst[i] = e.WageBill / p.Production
			}
		}
	})
	if err != nil {
		panic(err)
	}
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		panic(err)
	}
	c, err := sim.Collect(bam.CollectSpec{Name: "Example.unit_labor_cost", At: "firms_run_production"})
	if err != nil {
		panic(err)
	}
	sim.Run(3)
	_, firms, v := c.Data("Example.unit_labor_cost")
	positive := 0
	for _, x := range v[:firms] { // period 1
		if x > 0 {
			positive++
		}
	}
	fmt.Println(firms, positive > 0)
	// Output:
	// 100 true
}

// Write the collected data in the long layout (here as CSV).
func ExampleCollector_WriteCSV() {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		panic(err)
	}
	c, err := sim.Collect(bam.CollectSpec{Name: "Lender.equity_base"}, bam.CollectSpec{Name: "gdp"})
	if err != nil {
		panic(err)
	}
	sim.Run(1)
	if err := c.WriteCSV(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// period,agent,variable,value
	// 1,0,Lender.equity_base,5
	// 1,1,Lender.equity_base,5
	// 1,2,Lender.equity_base,5
	// 1,3,Lender.equity_base,5
	// 1,4,Lender.equity_base,5
	// 1,5,Lender.equity_base,5
	// 1,6,Lender.equity_base,5
	// 1,7,Lender.equity_base,5
	// 1,8,Lender.equity_base,5
	// 1,9,Lender.equity_base,5
	// 1,-1,gdp,236.5
}
