package bam_test

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
)

// liveHeap returns the heap that build's result holds after a garbage
// collection, and the result.
func liveHeap[T any](build func() T) (T, uint64) {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if m1.HeapAlloc <= m0.HeapAlloc {
		return v, 0
	}
	return v, m1.HeapAlloc - m0.HeapAlloc
}

// TestMemoryEstimate checks that EstimateMemory (and CollectMemory) stay
// within a factor of 1.5 of the live heap of a simulation built and run two
// periods, over populations, queue widths, run lengths, the extensions
// and a collection.
func TestMemoryEstimate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds simulations of up to 61 000 agents; run without -short")
	}
	tests := []struct {
		scenario                string
		firms, households, bank int
		m, h, z, periods        int
		collect                 string
	}{
		{"baseline", 100, 500, 10, 4, 2, 2, 1000, ""},
		{"baseline", 1000, 5000, 100, 4, 2, 2, 1000, ""},
		{"baseline", 10000, 50000, 1000, 4, 2, 2, 1000, ""},
		{"baseline", 10000, 5000, 100, 4, 2, 2, 1000, ""},
		{"baseline", 1000, 50000, 100, 4, 2, 2, 1000, ""},
		{"baseline", 1000, 5000, 10000, 4, 2, 2, 1000, ""},
		{"baseline", 1000, 5000, 100, 400, 2, 2, 1000, ""},
		{"baseline", 1000, 5000, 100, 4, 200, 2, 1000, ""},
		{"baseline", 1000, 5000, 100, 4, 2, 200, 1000, ""},
		{"baseline", 1000, 5000, 100, 4, 2, 2, 100000, ""},
		{"baseline", 1000, 5000, 100, 4, 2, 2, 1000, "Producer,Worker.wage,unemployment_rate"},
		{"growth_plus", 1000, 5000, 100, 4, 2, 2, 1000, ""},
		{"buffer_stock", 1000, 5000, 100, 4, 2, 2, 1000, ""},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s/%d-%d-%d/M%d-H%d-Z%d/T%d/%s", tt.scenario, tt.firms, tt.households, tt.bank, tt.m, tt.h, tt.z, tt.periods, tt.collect)
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Load(tt.scenario)
			if err != nil {
				t.Fatal(err)
			}
			p := &sc.Params
			p.NFirms, p.NHouseholds, p.NBanks = tt.firms, tt.households, tt.bank
			p.MaxM, p.MaxH, p.MaxZ, p.NPeriods = tt.m, tt.h, tt.z, tt.periods
			var specs []bam.CollectSpec
			if tt.collect != "" {
				if specs, err = bam.ParseCollect(tt.collect); err != nil {
					t.Fatal(err)
				}
			}
			est := bam.EstimateMemory(p)
			est.Collection = bam.CollectMemory(p, specs)
			sim, live := liveHeap(func() *bam.Simulation {
				sim, err := bam.NewFromScenario(sc)
				if err != nil {
					t.Fatal(err)
				}
				if specs != nil {
					if _, err := sim.Collect(specs...); err != nil {
						t.Fatal(err)
					}
				}
				sim.Run(2)
				return sim
			})
			runtime.KeepAlive(sim)
			ratio := float64(est.Total()) / float64(live)
			t.Logf("estimate %d B, live heap %d B, ratio %.2f", est.Total(), live, ratio)
			if !(ratio >= 1/1.5 && ratio <= 1.5) {
				t.Errorf("estimate %d B (%+v), live heap %d B: ratio %.2f, want within [0.67, 1.5]", est.Total(), est, live, ratio)
			}
		})
	}
}

// TestMemoryEstimateSaturates checks that absurd sizes give a huge finite
// estimate naming the part to lower, never an overflow to a small number.
func TestMemoryEstimateSaturates(t *testing.T) {
	tests := []struct {
		name    string
		set     func(p *ecs.Params)
		atLeast float64
		largest string
	}{
		{"firms", func(p *ecs.Params) { p.NFirms = math.MaxInt32 }, 1e12, "the agents"},
		{"households", func(p *ecs.Params) { p.NHouseholds = math.MaxInt32 }, 1e11, "the agents"},
		{"max_M", func(p *ecs.Params) { p.MaxM = 100_000_000 }, 1e11, "the application queues"},
		{"max_H", func(p *ecs.Params) { p.MaxH = 100_000_000 }, 1e11, "the application queues"},
		{"periods", func(p *ecs.Params) { p.NPeriods = math.MaxInt32 }, 5e11, "the economy series"},
		{"everything", func(p *ecs.Params) {
			p.NFirms, p.NHouseholds, p.MaxM, p.MaxH, p.MaxZ, p.NPeriods = math.MaxInt, math.MaxInt, math.MaxInt, math.MaxInt, math.MaxInt, math.MaxInt
		}, 1.8e19, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ecs.DefaultParams()
			tt.set(&p)
			est := bam.EstimateMemory(&p)
			if got := float64(est.Total()); got < tt.atLeast {
				t.Errorf("estimate %g B, want at least %g", got, tt.atLeast)
			}
			if tt.largest != "" && !strings.HasPrefix(est.Largest(), tt.largest) {
				t.Errorf("largest part %q, want %q…", est.Largest(), tt.largest)
			}
		})
	}
}
