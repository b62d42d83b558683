package bam_test

import (
	"math"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// gateRef is bamengine's 20-seed result and the tolerance of the
// cross-implementation equivalence gate (spec §13.3), plus bamengine's
// cross-seed standard deviation of the metric.
type gateRef struct {
	name      string
	get       func(bam.GateMetrics) float64
	ref, std  float64
	tolerance float64
}

var gateRefs = []gateRef{
	{"mean unemployment", func(g bam.GateMetrics) float64 { return g.Unemployment }, 0.0586, 0.0045, 0.025},
	{"mean inflation", func(g bam.GateMetrics) float64 { return g.Inflation }, 0.0111, 0.0006, 0.03},
	{"firm-size skew", func(g bam.GateMetrics) float64 { return g.SizeSkew }, 3.68, 1.28, 4.5},
	{"Phillips", func(g bam.GateMetrics) float64 { return g.Phillips }, -0.402, 0.030, 0.225},
	{"Okun", func(g bam.GateMetrics) float64 { return g.Okun }, -0.9996, 0.0001, 0.14},
	{"Beveridge", func(g bam.GateMetrics) float64 { return g.Beveridge }, -0.325, 0.077, 0.275},
}

// runGate runs seeds 0…n−1 of p for 1000 periods and returns the per-seed
// gate metrics.
func runGate(t *testing.T, p ecs.Params, n int) []bam.GateMetrics {
	t.Helper()
	out := make([]bam.GateMetrics, n)
	for s := range n {
		p.Seed = uint64(s)
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := sim.Run(p.NPeriods); got != p.NPeriods {
			t.Fatalf("seed %d collapsed after %d periods", s, got)
		}
		out[s] = sim.History.Gate(p.NPeriods / 2)
	}
	return out
}

// TestEquivalenceGate is the acceptance bar of the port: over seeds 0–19 of
// the default economy (1000 periods, burn-in 500) the mean of each of the
// six gate metrics must lie within the gate's tolerance of bamengine's mean
// (spec §13.3). It also checks the tighter aim that each mean lies within
// one bamengine cross-seed standard deviation.
func TestEquivalenceGate(t *testing.T) {
	if testing.Short() {
		t.Skip("1000-period runs of 20 seeds; skipped with -short (used under the race detector)")
	}
	runs := runGate(t, ecs.DefaultParams(), 20)
	for _, m := range gateRefs {
		sum := 0.0
		for _, g := range runs {
			v := m.get(g)
			if math.IsNaN(v) {
				t.Fatalf("%s is NaN for a seed", m.name)
			}
			sum += v
		}
		mean := sum / float64(len(runs))
		diff := mean - m.ref
		t.Logf("%-18s bam %.4f  bamengine %.4f  diff %+.4f = %+.2f std (tolerance %.3f)", m.name, mean, m.ref, diff, diff/m.std, m.tolerance)
		if math.Abs(diff) > m.tolerance {
			t.Errorf("%s: mean %.4f is outside bamengine's %.4f ± %.3f", m.name, mean, m.ref, m.tolerance)
		}
		if math.Abs(diff) > m.std {
			t.Errorf("%s: mean %.4f is more than one cross-seed std (%.4f) from bamengine's %.4f", m.name, mean, m.std, m.ref)
		}
	}
}

// TestResponsesOffDefault checks that the economy responds to parameter
// changes in the direction the model implies.
func TestResponsesOffDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-seed 1000-period runs; skipped with -short")
	}
	const seeds = 4
	mean := func(p ecs.Params, f func(bam.GateMetrics) float64) float64 {
		s := 0.0
		for _, g := range runGate(t, p, seeds) {
			s += f(g)
		}
		return s / seeds
	}
	unemp := func(g bam.GateMetrics) float64 { return g.Unemployment }
	skew := func(g bam.GateMetrics) float64 { return g.SizeSkew }

	t.Run("more job applications lower unemployment", func(t *testing.T) {
		lo, hi := ecs.DefaultParams(), ecs.DefaultParams()
		lo.MaxM, hi.MaxM = 2, 6
		ulo, uhi := mean(lo, unemp), mean(hi, unemp)
		t.Logf("max_M=2: u=%.4f  max_M=6: u=%.4f", ulo, uhi)
		if !(uhi < ulo) {
			t.Errorf("unemployment with max_M=6 (%.4f) is not below max_M=2 (%.4f)", uhi, ulo)
		}
	})
	t.Run("without preferential attachment the size distribution is less skewed", func(t *testing.T) {
		loyal, random := ecs.DefaultParams(), ecs.DefaultParams()
		random.ConsumerMatching = ecs.MatchingRandom
		sl, sr := mean(loyal, skew), mean(random, skew)
		t.Logf("loyalty: skew=%.2f  random: skew=%.2f", sl, sr)
		if !(sr < sl) {
			t.Errorf("skew with random matching (%.2f) is not below loyalty matching (%.2f)", sr, sl)
		}
	})
	t.Run("shorter contracts raise unemployment", func(t *testing.T) {
		short, long := ecs.DefaultParams(), ecs.DefaultParams()
		short.Theta, long.Theta = 2, 12
		us, ul := mean(short, unemp), mean(long, unemp)
		t.Logf("theta=2: u=%.4f  theta=12: u=%.4f", us, ul)
		if !(us > ul) {
			t.Errorf("unemployment with theta=2 (%.4f) is not above theta=12 (%.4f)", us, ul)
		}
	})
}
