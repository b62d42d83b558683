package markets_test

import (
	"fmt"
	"slices"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

func ExampleSampleIndices() {
	r := rng.New(1, 2)
	dst := make([]int32, 3)

	// A uniform 3-subset of {0, …, 9} (the order is random too).
	s := markets.SampleIndices(r, 10, 3, -1, dst)
	fmt.Println(len(s), slices.Sorted(slices.Values(s)))

	// Firm 7 forced in: it comes first, the other two are uniform.
	fmt.Println(markets.SampleIndices(r, 10, 3, 7, dst))

	// k ≥ n returns the whole pool in order, without drawing.
	fmt.Println(markets.SampleIndices(r, 2, 3, -1, dst))
	// Output:
	// 3 [2 6 7]
	// [7 0 4]
	// [0 1]
}

func ExampleCreditRound() {
	// One bank with supply 10 and three applicants. The bank serves them by
	// ascending fragility (ties by firm id): firm 7 in full, firm 1 gets the
	// remaining 4 (partial loan), firm 3 nothing.
	apps := []markets.CreditApp{
		{Firm: 3, Bank: 0, Fragility: 0.5, Request: 6},
		{Firm: 7, Bank: 0, Fragility: 0.1, Request: 6},
		{Firm: 1, Bank: 0, Fragility: 0.5, Request: 6},
	}
	supply := []float64{10}
	markets.CreditRound(apps, supply)
	for _, a := range apps {
		fmt.Printf("firm %d: requested %g, granted %g\n", a.Firm, a.Request, a.Grant)
	}
	fmt.Println("supply left:", supply[0])
	// Output:
	// firm 7: requested 6, granted 6
	// firm 1: requested 6, granted 4
	// firm 3: requested 6, granted 0
	// supply left: 0
}

func ExampleMatcher_Resolve() {
	r := rng.New(1, 2)
	// Five applications: three to target 0 (capacity 2), two to target 1
	// (capacity 5).
	target := []int32{0, 1, 0, 0, 1}
	capacity := []int32{2, 5}
	accepted := make([]bool, len(target))

	m := markets.NewMatcher(len(target), len(capacity))
	m.Resolve(r, target, capacity, accepted)
	fmt.Println("accepted:", accepted)
	fmt.Println("capacity left:", capacity)
	// Output:
	// accepted: [false true true true true]
	// capacity left: [0 3]
}
