package bench

import (
	"fmt"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

var sizes = []struct{ firms, households, banks int }{
	{100, 500, 10},
	{1000, 5000, 100},
	{5000, 25000, 500},
	{20000, 100000, 2000},
}

func params(firms, households, banks int) ecs.Params {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = firms, households, banks
	return p
}

// BenchmarkPipeline measures one steady-state period (after a 100-period
// warm-up) and reports ns per agent.
func BenchmarkPipeline(b *testing.B) {
	for _, sz := range sizes {
		b.Run(fmt.Sprintf("firms=%d", sz.firms), func(b *testing.B) {
			sim, err := bam.New(params(sz.firms, sz.households, sz.banks))
			if err != nil {
				b.Fatal(err)
			}
			sim.Run(100)
			sim.Reserve(1 << 20)
			b.ReportAllocs()
			for b.Loop() {
				if !sim.Step() {
					b.Fatal("economy collapsed")
				}
			}
			agents := float64(sz.firms + sz.households + sz.banks)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/agents, "ns/agent")
		})
	}
}

// BenchmarkInit measures building a simulation (world, agents, pipeline).
func BenchmarkInit(b *testing.B) {
	for _, sz := range sizes {
		b.Run(fmt.Sprintf("firms=%d", sz.firms), func(b *testing.B) {
			p := params(sz.firms, sz.households, sz.banks)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bam.New(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
