package extensions_test

import (
	"fmt"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
)

// BenchmarkScenarioStep times one period of each extension scenario against
// the baseline, at the default size and ten times it.
func BenchmarkScenarioStep(b *testing.B) {
	for _, scale := range []int{1, 10} {
		for _, name := range []string{"baseline", "growth_plus", "buffer_stock", "taxation"} {
			b.Run(fmt.Sprintf("%s/firms=%d", name, 100*scale), func(b *testing.B) {
				sc, err := scenarios.Load(name)
				if err != nil {
					b.Fatal(err)
				}
				p := &sc.Params
				p.NFirms, p.NHouseholds, p.NBanks = 100*scale, 500*scale, 10*scale
				sim, err := bam.NewFromScenario(sc)
				if err != nil {
					b.Fatal(err)
				}
				sim.Run(100)
				b.ReportAllocs()
				for b.Loop() {
					if sim.Period()%1000 == 0 {
						b.StopTimer()
						sim.Reserve(1000) // the recorded series grow outside the timing
						b.StartTimer()
					}
					if !sim.Step() {
						b.Fatal("collapsed")
					}
				}
			})
		}
	}
}

// BenchmarkSystems times each extension system's Update at the default size.
func BenchmarkSystems(b *testing.B) {
	w := newWorld(b, 100, 500)
	for i := range w.Firms.Borrower {
		setFirm(w, i, firm{netWorth: 10, wageBill: 1, netProfit: 1, price: 1, production: 2, cash: 5})
	}
	reg := extensionsSystems()
	for _, name := range reg.Names() {
		s := must(reg.New(w, name))
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s.Update(w)
			}
		})
	}
}
