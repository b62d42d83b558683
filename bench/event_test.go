package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// criticalEvents are the events BenchmarkCriticalEvent times: the
// per-agent sampling and matching of the three markets, where most of a
// period's time goes.
var criticalEvents = []string{
	"workers_decide_firms_to_apply",
	"labor_market_round",
	"credit_market_round",
	"consumers_decide_firms_to_visit",
	"goods_market_round",
}

// BenchmarkCriticalEvent times single events of the period at the four
// populations of BenchmarkPipeline.
//
// # Method
//
// A system mutates the world, so timing it in a loop of its own would time
// it on a state it has already consumed (empty job queues, spent budgets).
// Instead each iteration runs one whole steady-state period (Simulation.Step,
// after a 100-period warm-up), in which the event is replaced
// (Pipeline.Replace) by a wrapper that runs the real system between two
// time.Now calls and accumulates the duration. The wrapper is installed
// before the warm-up (the pipeline's re-resolution after Replace allocates
// once) and counts only after it. Every execution of the event
// thus sees exactly the state the model gives it, and the economy moves on
// as in a real run. A repeated event (labor_market_round runs max_M = 4
// times a period, credit_market_round max_H = 2 times) is wrapped in every
// round; the built-in systems are stateless, so one wrapper serves all
// rounds.
//
// # Metrics
//
//   - ns/op: the event's time per period (all its executions in the period).
//     This replaces (b.ReportMetric) the standard ns/op, which would be the
//     time of the whole period; that one is reported as period-ns/op.
//   - ns/call: the event's time per execution.
//   - pct-of-period: the event's share of the period's time, in percent.
//   - B/op, allocs/op: of the whole period (0 in steady state).
//
// The two clock reads add about 20 to 50 ns per execution (the cost of
// time.Now on Linux), negligible against the events at every size here but
// visible in ns/call at the smallest population.
func BenchmarkCriticalEvent(b *testing.B) {
	for _, event := range criticalEvents {
		for _, sz := range stepSizes {
			b.Run(event+"/"+sz.name(), func(b *testing.B) {
				// One timer across the simulations a collapse may bring;
				// it counts only once a simulation is warmed up.
				tm := &timedSystem{}
				setup := func(sim *bam.Simulation) {
					tm.active = false
					if err := tm.install(sim, event); err != nil {
						b.Fatal(err)
					}
				}
				ready := func(*bam.Simulation) { tm.active = true }
				st := newStepper(b, sz, 100, setup, ready)
				tm.total, tm.calls = 0, 0
				b.ReportAllocs()
				for b.Loop() {
					st.step(b)
				}
				period := perOp(b)
				perPeriod := float64(tm.total.Nanoseconds()) / float64(b.N)
				b.ReportMetric(period, "period-ns/op")
				b.ReportMetric(perPeriod, "ns/op")
				if tm.calls > 0 {
					b.ReportMetric(float64(tm.total.Nanoseconds())/float64(tm.calls), "ns/call")
				}
				if period > 0 {
					b.ReportMetric(100*perPeriod/period, "pct-of-period")
				}
				st.report(b)
			})
		}
	}
}

// timedSystem wraps a system and, while active, accumulates the wall time
// of its executions. Its name is the wrapped system's, so that observers and
// pipeline edits see it as the original.
type timedSystem struct {
	ecs.System
	active bool
	total  time.Duration
	calls  int
}

// Update runs the wrapped system and, if active, adds its duration to
// total.
func (t *timedSystem) Update(w *ecs.World) {
	if !t.active {
		t.System.Update(w)
		return
	}
	start := time.Now()
	t.System.Update(w)
	t.total += time.Since(start)
	t.calls++
}

// install makes t wrap the first system named name in sim's pipeline and
// replaces every execution of that name by t. The pipeline re-resolves its
// capture points at the next Step, which allocates once: install before the
// warm-up.
func (t *timedSystem) install(sim *bam.Simulation, name string) error {
	for _, s := range sim.Pipeline.Systems() {
		if s.Name() == name {
			t.System = s
			return sim.Pipeline.Replace(name, t)
		}
	}
	return fmt.Errorf("event %q is not in the pipeline", name)
}
