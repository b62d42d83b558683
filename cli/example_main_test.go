package cli_test

import (
	"context"
	"fmt"

	"github.com/bam-abm/bam/cli"
	"github.com/bam-abm/bam/ecs"
)

// A program of its own: a minimum-wage policy system with a parameter of
// its own, placed by a scenario of its own, and every bam command for that
// model. Here `pipeline` shows where the system runs; a real main passes
// os.Args and exits with the status (see docs/custom-systems.md and
// docs/examples/minwage).
func ExampleMain() {
	factor := ecs.ExtFloat("example_wage_factor", 1.5, 1, 10, false, false,
		"factor by which the example policy raises the minimum wage")
	raise := func(*ecs.World) ecs.System {
		return ecs.Func{ID: "example_raise_minimum_wage", Fn: func(w *ecs.World) {
			if w.Period == 10 {
				w.Econ.MinWage *= w.Params.ExtValue("example_wage_factor")
			}
		}}
	}
	scenario := []byte(`description = "a short pipeline with the example policy"
pipeline = ["calc_inflation_rate", "adjust_minimum_wage", "firms_decide_wage_offer"]
example_wage_factor = 2

[[hooks]]
after = "adjust_minimum_wage"
systems = ["example_raise_minimum_wage"]
`)
	opts := []cli.Option{
		cli.Name("example"),
		cli.Param(factor),
		cli.System("example_raise_minimum_wage", raise),
		cli.Scenario("example_policy", scenario),
	}
	status := cli.Main(context.Background(), []string{"example", "pipeline", "example_policy"}, opts...)
	fmt.Println("exit status", status)

	// The registrations are process-wide: the same options again are a
	// duplicate name, one line on stderr and exit status 2.
	status = cli.Main(context.Background(), []string{"example", "pipeline", "example_policy"}, opts...)
	fmt.Println("exit status", status)
	// Output:
	// calc_inflation_rate
	// adjust_minimum_wage
	// example_raise_minimum_wage
	// firms_decide_wage_offer
	// exit status 0
	// exit status 2
}
