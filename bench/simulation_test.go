package bench

import (
	"fmt"
	"testing"

	"github.com/bam-abm/bam"
)

// BenchmarkSimulation measures whole runs: each iteration builds a fresh
// simulation (world, agents, pipeline) and runs it for 100 or 1000 periods,
// at the three populations of the seed table: small (100 firms, 500
// households, 10 banks), medium (200/1000/10) and large (500/2500/10).
//
// ns/op is the time of one run including initialisation; ns/period divides
// it by the number of periods. Sub-benchmarks are named
// periods=N/firms=F, so that benchstat can group them by either key.
func BenchmarkSimulation(b *testing.B) {
	for _, periods := range []int{100, 1000} {
		for _, sz := range seedSizes {
			b.Run(fmt.Sprintf("periods=%d/%s", periods, sz.name()), func(b *testing.B) {
				p := params(sz)
				p.NPeriods = periods
				b.ReportAllocs()
				for b.Loop() {
					sim, err := bam.New(p)
					if err != nil {
						b.Fatal(err)
					}
					if ran := sim.Run(periods); ran < periods {
						b.Fatalf("economy collapsed after %d periods", ran)
					}
				}
				b.ReportMetric(perOp(b)/float64(periods), "ns/period")
			})
		}
	}
}
