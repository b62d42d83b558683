package ecs_test

import (
	"fmt"

	"github.com/bam-abm/bam/ecs"
)

// A world of agents, a system written as a function, and a pipeline that
// runs it each period, with an observer after it.
func Example() {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = 4, 20, 2
	w, err := ecs.NewWorld(p)
	if err != nil {
		panic(err)
	}
	// A toy event: every firm raises its price by 1 %.
	inflate := ecs.Func{ID: "firms_raise_prices", Fn: func(w *ecs.World) {
		for i := range w.Firms.Producer {
			w.Firms.Producer[i].Price *= 1.01
		}
	}}
	pl := ecs.NewPipeline(inflate)
	pl.Observe("firms_raise_prices", func(w *ecs.World) {
		fmt.Printf("period %d: firm 0 asks %.4f\n", w.Period, w.Firms.Producer[0].Price)
	})
	for range 3 {
		pl.Step(w)
	}
	// Output:
	// period 1: firm 0 asks 0.5050
	// period 2: firm 0 asks 0.5101
	// period 3: firm 0 asks 0.5152
}

// counter is state two systems share: one counts, the other reads.
type counter struct{ n int }

// Systems share state through a typed resource: the first call creates
// it, every later call returns the same value.
func ExampleResourceOf() {
	w, err := ecs.NewWorld(ecs.DefaultParams())
	if err != nil {
		panic(err)
	}
	newCounter := func() *counter { return &counter{} }
	count := ecs.Func{ID: "count", Fn: func(w *ecs.World) { ecs.ResourceOf(w, newCounter).n++ }}
	pl := ecs.NewPipeline(count, count)
	pl.Step(w)
	fmt.Println(ecs.ResourceOf(w, newCounter).n)
	// Output:
	// 2
}
