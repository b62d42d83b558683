package bench

import "testing"

// BenchmarkPipeline measures one steady-state period (one Simulation.Step)
// at the four populations of the speed targets, after a 100-period
// warm-up. ns/op is the time per period; ns/agent divides it by the number
// of agents. B/op and allocs/op are those of a period (0 in steady state).
func BenchmarkPipeline(b *testing.B) {
	for _, sz := range stepSizes {
		b.Run(sz.name(), func(b *testing.B) {
			st := newStepper(b, sz, 100, nil, nil)
			b.ReportAllocs()
			for b.Loop() {
				st.step(b)
			}
			reportPerAgent(b, sz.agents())
			st.report(b)
		})
	}
}
