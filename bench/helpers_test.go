package bench

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// size is one population: firms, households and banks.
type size struct{ firms, households, banks int }

// agents returns the number of agents of the population.
func (s size) agents() int { return s.firms + s.households + s.banks }

// name is the sub-benchmark name of the population, "firms=N".
func (s size) name() string { return fmt.Sprintf("firms=%d", s.firms) }

// ratio returns the population of f firms with the default proportions:
// 5 households and 0.1 bank per firm (at least one bank).
func ratio(f int) size { return size{f, 5 * f, max(1, f/10)} }

// The populations of the seed table (bamengine's benchmark configurations):
// small is the default economy; all three have 10 banks.
var (
	small  = size{100, 500, 10}
	medium = size{200, 1000, 10}
	large  = size{500, 2500, 10}
)

// seedSizes are the seed table's populations in order.
var seedSizes = []size{small, medium, large}

// stepSizes are the populations of the per-period suites (Pipeline,
// Memory, CriticalEvent): the speed targets.
var stepSizes = []size{small, ratio(1000), ratio(5000), ratio(20000)}

// params returns the default parameters with the population s.
func params(s size) ecs.Params {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = s.firms, s.households, s.banks
	return p
}

// stepper runs steady-state periods of one population for a benchmark.
//
// A small economy can collapse (every firm or bank exits) after some
// thousands of periods, which the many iterations of a fast benchmark
// reach: 50 firms with the default parameters and seed collapse near period
// 16 000. The stepper then replaces the simulation by a fresh one, warmed up
// with the timer stopped, so that every timed iteration is a steady-state
// period.
type stepper struct {
	sim    *bam.Simulation
	size   size
	warmup int
	// setup, if set, is called on every new simulation before its warm-up
	// (BenchmarkCriticalEvent installs its timer there); ready, if set,
	// after the warm-up.
	setup, ready func(*bam.Simulation)
	// collapses counts the simulations replaced.
	collapses int
}

// newStepper returns a stepper over a fresh simulation of population s
// warmed up for warmup periods, with the optional hooks setup and ready
// (see stepper).
func newStepper(b *testing.B, s size, warmup int, setup, ready func(*bam.Simulation)) *stepper {
	b.Helper()
	st := &stepper{size: s, warmup: warmup, setup: setup, ready: ready}
	st.rebuild(b)
	return st
}

// rebuild replaces the simulation by a fresh, warmed-up one.
func (st *stepper) rebuild(b *testing.B) {
	b.Helper()
	sim, err := bam.New(params(st.size))
	if err != nil {
		b.Fatal(err)
	}
	st.sim = sim
	if st.setup != nil {
		st.setup(st.sim)
	}
	if ran := st.sim.Run(st.warmup); ran < st.warmup {
		b.Fatalf("%s: economy collapsed after %d warm-up periods", st.size.name(), ran)
	}
	if st.ready != nil {
		st.ready(st.sim)
	}
}

// reserveChunk is the number of periods of room that step reserves at a
// time for the recorded series.
const reserveChunk = 4096

// step runs one period. When the recorded series are full it first
// reserves room for reserveChunk more periods, and when the economy has
// collapsed it first replaces the simulation, both with the timer stopped,
// so that neither the time nor the allocation counts of a timed period
// include them (a run of known length avoids the first with
// Simulation.Reserve).
func (st *stepper) step(b *testing.B) {
	sim := st.sim
	if e := &sim.World.Econ; full(sim.History.Rows) || full(e.AvgPriceHistory) || full(e.InflationHistory) || sim.Collapsed() {
		b.StopTimer()
		if sim.Collapsed() {
			st.collapses++
			st.rebuild(b)
		} else {
			sim.Reserve(reserveChunk)
		}
		b.StartTimer()
	}
	st.sim.Step()
}

// report reports the simulations replaced after a collapse, if any, as
// the metric collapses (a count for the whole benchmark, not per op).
func (st *stepper) report(b *testing.B) {
	if st.collapses > 0 {
		b.ReportMetric(float64(st.collapses), "collapses")
	}
}

// full reports whether appending to s would allocate.
func full[T any](s []T) bool { return len(s) == cap(s) }

// perOp returns the time per iteration of the finished b.Loop in
// nanoseconds.
func perOp(b *testing.B) float64 {
	return float64(b.Elapsed().Nanoseconds()) / float64(b.N)
}

// reportPerAgent reports ns/agent: the time per iteration divided by the
// number of agents. Call it after the b.Loop loop.
func reportPerAgent(b *testing.B, agents int) {
	b.ReportMetric(perOp(b)/float64(agents), "ns/agent")
}

// liveHeap returns the bytes of live heap that build's result keeps
// reachable: the heap in use after a collection, with and without it.
func liveHeap[T any](build func() T) (T, uint64) {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	var d uint64
	if m1.HeapAlloc > m0.HeapAlloc {
		d = m1.HeapAlloc - m0.HeapAlloc
	}
	return v, d
}

// largeEnv is the environment variable that enables the 1.22-million-agent
// cases.
const largeEnv = "BAM_BENCH_LARGE"

// skipUnlessLarge skips a case that needs about 1 GB of memory unless
// BAM_BENCH_LARGE=1 is set or the -bench pattern names it explicitly (holds
// its sub-benchmark name, such as "firms=200000").
func skipUnlessLarge(b *testing.B, name string) {
	b.Helper()
	if os.Getenv(largeEnv) == "1" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), name) {
		return
	}
	b.Skipf("%s uses about 1 GB: set %s=1 or name it in -bench (e.g. -bench '/%s$') to run it", name, largeEnv, name)
}
