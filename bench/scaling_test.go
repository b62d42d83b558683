package bench

import "testing"

// scalingSizes are the populations of BenchmarkScaling: 50 to 400 firms,
// then 610, 122 000 and 1 220 000 agents (the default economy × 1, 200,
// 2000), all with 5 households and 0.1 bank per firm.
var scalingSizes = []size{ratio(50), ratio(100), ratio(200), ratio(400), ratio(20000), ratio(200000)}

// BenchmarkScaling measures one steady-state period (after a 50-period
// warm-up) from 305 to 1 220 000 agents, to show how the cost per agent
// (ns/agent) changes with the population: flat where the period is O(n),
// rising where caches stop holding the world. The 305-agent economy
// collapses after about 16 000 periods; the benchmark then goes on with a
// fresh one (see stepper) and reports the number of collapses.
//
// The 1.22-million-agent case (firms=200000) needs about 1 GB and a few
// seconds of warm-up: it runs only when BAM_BENCH_LARGE=1 is set or the
// -bench pattern names it, e.g. go test -bench 'Scaling/firms=200000$'.
func BenchmarkScaling(b *testing.B) {
	for _, sz := range scalingSizes {
		b.Run(sz.name(), func(b *testing.B) {
			if sz.agents() > 1_000_000 {
				skipUnlessLarge(b, sz.name())
			}
			st := newStepper(b, sz, 50, nil, nil)
			b.ReportAllocs()
			for b.Loop() {
				st.step(b)
			}
			reportPerAgent(b, sz.agents())
			st.report(b)
		})
	}
}
