package systems_test

import (
	"fmt"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
)

// A custom system reaches the world's labour market the way the built-in
// systems do: here, after workers_decide_firms_to_apply made the queues,
// every job seeker applies to firm 0 first (a public employer, say),
// dropping its last application if it had not drawn firm 0.
func ExampleLaborMarketOf() {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks, p.MaxM = 10, 30, 2, 3
	w, err := ecs.NewWorld(p)
	if err != nil {
		panic(err)
	}
	reg := systems.Builtins()
	pl, err := reg.Build(w, []string{"workers_decide_firms_to_apply"})
	if err != nil {
		panic(err)
	}
	addFirmZero := ecs.Func{ID: "apply_to_firm_zero", Fn: func(w *ecs.World) {
		lm := systems.LaborMarketOf(w)
		for _, j := range lm.Seekers() {
			if apps := lm.Applications(j); !contains(apps, 0) {
				lm.Apply(j, append([]int32{0}, apps[:len(apps)-1]...))
			}
		}
	}}
	pl.Append(addFirmZero)
	pl.Step(w)
	lm := systems.LaborMarketOf(w)
	fmt.Println(len(lm.Seekers()), "households seek a job; the first applies to", lm.Applications(lm.Seekers()[0]))
	// Output:
	// 30 households seek a job; the first applies to [0 4 7]
}

func contains(s []int32, x int32) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// The plain and the specialised forms of the systems build the same
// pipeline; they differ only in how some systems compute (bit-identical
// results).
func ExampleBuiltinsWith() {
	p := ecs.DefaultParams()
	w, err := ecs.NewWorld(p)
	if err != nil {
		panic(err)
	}
	plain, err := systems.BuiltinsWith(systems.Plain).Build(w, systems.DefaultPipeline)
	if err != nil {
		panic(err)
	}
	fmt.Println(plain.Len(), "executions per period with the", systems.Plain, "forms")
	// Output:
	// 41 executions per period with the plain forms
}
