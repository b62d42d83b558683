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

// Wealth is a user's per-household component: its doc tags describe the
// collectable variables that RegisterComponent makes of its fields.
type Wealth struct {
	Total float64 `doc:"total wealth"`
	Rank  int32   `doc:"rank by total wealth, 0 = richest"`
	Rich  bool    `bam:"is_rich" doc:"in the top decile"`
}

// Register a component's fields as collectable variables and read one
// through its accessor, as bam's Collector does at a capture point.
func ExampleRegisterComponent() {
	store := map[*ecs.World][]Wealth{}
	view := func(w *ecs.World) []Wealth { return store[w] }
	if err := ecs.RegisterComponent("ExampleWealth", ecs.Households, view); err != nil {
		panic(err)
	}
	for _, v := range ecs.VariablesOf("ExampleWealth") {
		fmt.Printf("%s: %s\n", v.Name, v.Doc)
	}

	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = 2, 3, 1
	w, err := ecs.NewWorld(p)
	if err != nil {
		panic(err)
	}
	store[w] = []Wealth{{Total: 5}, {Total: 9, Rich: true}, {Total: 1}}
	v, _ := ecs.LookupVariable("ExampleWealth.is_rich")
	dst := make([]float64, w.Count(ecs.Households))
	v.Get(w, dst)
	fmt.Println(v.Available(w), dst)
	// Output:
	// ExampleWealth.total: total wealth
	// ExampleWealth.rank: rank by total wealth, 0 = richest
	// ExampleWealth.is_rich: in the top decile
	// true [0 1 0]
}
