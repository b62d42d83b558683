package bench

import (
	"testing"

	"github.com/bam-abm/bam"
)

// initSizes are the populations of BenchmarkInit: 100 to 1000 firms, then
// 200 000 firms (1.22 million agents), each with 5 households and 0.1 bank
// per firm.
var initSizes = []size{ratio(100), ratio(200), ratio(500), ratio(1000), ratio(200000)}

// BenchmarkInit measures building a simulation: parameter validation, the
// world with its agents in their initial state, the scratch buffers and
// the pipeline (bam.New). ns/agent divides the time by the number of
// agents.
func BenchmarkInit(b *testing.B) {
	for _, sz := range initSizes {
		b.Run(sz.name(), func(b *testing.B) {
			p := params(sz)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bam.New(p); err != nil {
					b.Fatal(err)
				}
			}
			reportPerAgent(b, sz.agents())
		})
	}
}
