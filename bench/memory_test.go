package bench

import (
	"testing"

	"github.com/bam-abm/bam"
)

// BenchmarkMemory measures memory: the bytes and allocations of one
// steady-state period and of one initialisation (B/op and allocs/op of
// b.ReportAllocs), and the live heap a simulation holds (live-B, and
// live-B/agent per agent), taken once before the timed loop as the heap in
// use after a garbage collection with the simulation minus without it.
//
// For step, the live heap is that of a simulation after a 100-period
// warm-up, including its recorded series (with room for the default
// n_periods, 1000 periods).
// That a steady-state period allocates nothing is asserted by
// TestStepAllocatesNothing in the root package; here it is only measured.
func BenchmarkMemory(b *testing.B) {
	for _, sz := range stepSizes {
		b.Run("step/"+sz.name(), func(b *testing.B) {
			st, live := liveHeap(func() *stepper { return newStepper(b, sz, 100, nil, nil) })
			b.ReportAllocs()
			for b.Loop() {
				st.step(b)
			}
			reportLive(b, live, sz)
			st.report(b)
		})
	}
	for _, sz := range stepSizes {
		b.Run("init/"+sz.name(), func(b *testing.B) {
			p := params(sz)
			_, live := liveHeap(func() *bam.Simulation {
				sim, err := bam.New(p)
				if err != nil {
					b.Fatal(err)
				}
				return sim
			})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bam.New(p); err != nil {
					b.Fatal(err)
				}
			}
			reportLive(b, live, sz)
		})
	}
}

// reportLive reports the live heap of a simulation of population sz. Call
// it after the b.Loop loop: the first call of b.Loop resets the timer,
// which deletes the metrics reported before.
func reportLive(b *testing.B, live uint64, sz size) {
	b.ReportMetric(float64(live), "live-B")
	b.ReportMetric(float64(live)/float64(sz.agents()), "live-B/agent")
}
