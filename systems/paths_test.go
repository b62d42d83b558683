package systems_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"testing"

	bam "github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems"
)

// TestPathsAgree runs whole simulations with the specialised forms of the
// systems (systems.Specialised: four-firm job searches, two-firm shopping
// lists and visits, the written-out x^2.5, the labour market's list of
// seekers) and with the plain forms (systems.Plain), and requires
// bit-identical economies: every recorded series and every firm and
// household column.
func TestPathsAgree(t *testing.T) {
	for _, c := range []struct {
		name string
		mod  func(*ecs.Params)
	}{
		{"default", nil},
		{"random matching", func(p *ecs.Params) { p.ConsumerMatching = ecs.MatchingRandom }},
		{"max_M=2", func(p *ecs.Params) { p.MaxM = 2 }},
		{"vacancies only", func(p *ecs.Params) { p.JobSearchMethod = ecs.JobSearchVacanciesOnly }},
		{"max_Z=3, beta=2", func(p *ecs.Params) { p.MaxZ, p.Beta = 3, 2 }},
	} {
		for _, seed := range []uint64{1, 2} {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				fast := pathsRun(t, seed, c.mod, systems.Specialised)
				general := pathsRun(t, seed, c.mod, systems.Plain)
				if len(fast) != len(general) {
					t.Fatalf("%d values with the specialised forms, %d with the plain ones", len(fast), len(general))
				}
				for k, v := range fast {
					g := general[k]
					if math.Float64bits(v) != math.Float64bits(g) {
						t.Fatalf("%s: %v with the specialised forms, %v with the plain ones", k, v, g)
					}
				}
			})
		}
	}
}

// pathsRun builds a simulation of the default scenario with the given
// paths and returns its state after 200 periods (see simState).
func pathsRun(t *testing.T, seed uint64, mod func(*ecs.Params), paths systems.Paths) map[string]float64 {
	t.Helper()
	p := ecs.DefaultParams()
	p.Seed = seed
	if mod != nil {
		mod(&p)
	}
	sim, err := bam.New(p, bam.WithPaths(paths))
	if err != nil {
		t.Fatal(err)
	}
	return simState(t, sim)
}

// registerCustom registers the custom systems of
// TestCustomEmploymentKeepsMarketExact once per test binary.
var registerCustom sync.Once

// simState runs sim for 200 periods and returns every recorded series
// value and the final state of every firm and household component (as
// 8-byte words, compared by their bits).
func simState(t *testing.T, sim *bam.Simulation) map[string]float64 {
	t.Helper()
	if ran := sim.Run(200); ran < 200 {
		t.Fatalf("collapsed after %d periods", ran)
	}
	out := map[string]float64{}
	for _, c := range bam.Columns {
		for i, v := range sim.History.Series(c.Name) {
			out[fmt.Sprintf("%s[%d]", c.Name, i)] = v
		}
	}
	// Every byte of every firm and household component, eight at a time.
	for _, k := range []ecs.Kind{ecs.Firms, ecs.Households} {
		cols, err := sim.World.Columns(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			for i := 0; i+8 <= len(col.Bytes); i += 8 {
				word := binary.LittleEndian.Uint64(col.Bytes[i:])
				out[fmt.Sprintf("%v %s byte %d", k, col.Type, i)] = math.Float64frombits(word)
			}
		}
	}
	return out
}

// TestCustomEmploymentKeepsMarketExact places custom systems that change
// employment directly (through Worker.Employer, as a policy system might)
// between the labour market's rounds: one hires some job seekers outside
// the market (keeping their applications), one lays some of them off
// again, one fires employed workers. The labour market's list of seekers
// must give the same economy as the plain form, which scans every
// household in every round.
func TestCustomEmploymentKeepsMarketExact(t *testing.T) {
	hireOutside := ecs.Func{ID: "hire_outside", Fn: func(w *ecs.World) {
		lm := systems.LaborMarketOf(w)
		for n, j := range lm.Seekers() {
			if h := &w.Households.Worker[j]; n%3 == 0 && !h.Employed() {
				h.Employer, h.Wage, h.PeriodsLeft = 0, w.Firms.Employer[0].WageOffer, 2
				w.Firms.Employer[0].CurrentLabor++
			}
		}
	}}
	layOffAgain := ecs.Func{ID: "lay_off_again", Fn: func(w *ecs.World) {
		for _, j := range systems.LaborMarketOf(w).Seekers() {
			if h := &w.Households.Worker[j]; h.Employed() && j%2 == 0 {
				w.Firms.Employer[h.Employer].CurrentLabor--
				h.Employer, h.Wage, h.Fired = -1, 0, true
			}
		}
	}}
	fireSome := ecs.Func{ID: "fire_some", Fn: func(w *ecs.World) {
		for j := range w.Households.Worker {
			if h := &w.Households.Worker[j]; h.Employed() && j%17 == int(w.Period%17) {
				w.Firms.Employer[h.Employer].CurrentLabor--
				h.Employer, h.Wage, h.Fired = -1, 0, true
			}
		}
	}}
	registerCustom.Do(func() {
		for _, f := range []ecs.Func{fireSome, hireOutside, layOffAgain} {
			if err := bam.RegisterSystem(f.ID, func(*ecs.World) ecs.System { return f }); err != nil {
				t.Fatal(err)
			}
		}
	})
	// The default pipeline with the custom systems before the first, the
	// second and the third labour-market round.
	var pipeline []string
	for _, e := range systems.DefaultPipeline {
		if e != "labor_market_round x max_M" {
			pipeline = append(pipeline, e)
			continue
		}
		pipeline = append(pipeline,
			"fire_some", "labor_market_round",
			"hire_outside", "labor_market_round",
			"lay_off_again", "labor_market_round", "labor_market_round")
	}
	run := func(seed uint64, paths systems.Paths) map[string]float64 {
		sc := scenarios.Default()
		sc.Params.Seed = seed
		sc.Pipeline = pipeline
		sim, err := bam.NewFromScenario(sc, bam.WithPaths(paths))
		if err != nil {
			t.Fatal(err)
		}
		return simState(t, sim)
	}
	for _, seed := range []uint64{3, 4} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			listed := run(seed, systems.Specialised)
			scanned := run(seed, systems.Plain)
			if len(listed) != len(scanned) {
				t.Fatalf("%d values with the seekers list, %d scanning", len(listed), len(scanned))
			}
			for k, v := range listed {
				if math.Float64bits(v) != math.Float64bits(scanned[k]) {
					t.Fatalf("%s: %v with the seekers list, %v scanning every household", k, v, scanned[k])
				}
			}
		})
	}
}
