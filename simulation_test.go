package bam_test

import (
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
)

func TestDeterminism(t *testing.T) {
	run := func(seed uint64) *bam.History {
		p := ecs.DefaultParams()
		p.Seed = seed
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		sim.Run(200)
		return sim.History
	}
	a, b, c := run(3), run(3), run(4)
	if !reflect.DeepEqual(a.Rows, b.Rows) || !reflect.DeepEqual(a.FinalProduction, b.FinalProduction) {
		t.Error("same seed gave different histories")
	}
	if reflect.DeepEqual(a.Rows, c.Rows) {
		t.Error("different seeds gave identical histories")
	}
}

// TestTransient checks the first period against the worked numbers of spec
// §13.5: 600 vacancies for 500 workers, nearly everybody hired, prices at 0.5.
func TestTransient(t *testing.T) {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(5)
	r := sim.History.Rows
	if r[0].Vacancies != 600 {
		t.Errorf("period 1 vacancies = %d, want 600", r[0].Vacancies)
	}
	if r[0].Employed < 440 || r[0].Employed > 500 {
		t.Errorf("period 1 employed = %d, want about 475", r[0].Employed)
	}
	for _, row := range r {
		if math.Abs(row.AvgPrice-0.5) > 0.005 {
			t.Errorf("period %d average price = %v, want about 0.5 (all firms share one price early on)", row.Period, row.AvgPrice)
		}
		if row.Period <= 4 && row.Inflation != 0 {
			t.Errorf("period %d inflation = %v, want 0 before period 5", row.Period, row.Inflation)
		}
	}
	if got := r[0].GDP; got != 0.5*float64(r[0].Employed) {
		t.Errorf("period 1 GDP = %v, want 0.5 × employed = %v", got, 0.5*float64(r[0].Employed))
	}
}

func TestRunStopsOnCollapse(t *testing.T) {
	p := ecs.DefaultParams()
	zero := 0.0
	p.NetWorthInit = &zero // every firm starts insolvent and exits in period 1
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := sim.Run(10); n != 1 {
		t.Errorf("Run returned %d periods, want 1 (collapse in period 1)", n)
	}
	if !sim.Collapsed() || sim.Step() {
		t.Error("the economy should be collapsed and refuse to step")
	}
}

func TestScenarioPipelineErrors(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"unknown system in hook", "[[hooks]]\nafter = \"firms_run_production\"\nsystems = [\"no_such_system\"]\n", `unknown system "no_such_system"; known systems: firms_decide_desired_production`},
		{"unknown anchor", "[[hooks]]\nafter = \"no_such_anchor\"\nsystems = [\"firms_run_production\"]\n", `system "no_such_anchor" is not in the pipeline`},
		{"unknown system in pipeline", "pipeline = [\"firms_decide_desired_production\", \"bogus\"]\n", `unknown system "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenarios.Parse("x.toml", []byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bam.NewFromScenario(sc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestScenarioPipelineList(t *testing.T) {
	sc, err := scenarios.Parse("x.toml", []byte(`pipeline = ["firms_decide_desired_production", "labor_market_round x max_M", "credit_market_round x 3"]`))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.Pipeline.Len(); got != 1+4+3 {
		t.Errorf("pipeline length = %d, want 8", got)
	}
}

// TestStepAllocatesNothing asserts that a steady-state period allocates
// nothing at the default size and at 20 000 firms.
func TestStepAllocatesNothing(t *testing.T) {
	sizes := []struct{ firms, households, banks int }{{100, 500, 10}, {20000, 100000, 2000}}
	for _, sz := range sizes {
		if testing.Short() && sz.firms > 100 {
			continue
		}
		p := ecs.DefaultParams()
		p.NFirms, p.NHouseholds, p.NBanks = sz.firms, sz.households, sz.banks
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		sim.Run(50)
		sim.Reserve(200)
		if a := testing.AllocsPerRun(20, func() { sim.Step() }); a != 0 {
			t.Errorf("firms=%d: %v allocations per period, want 0", sz.firms, a)
		}
	}
}

// TestDisableHistory checks that a simulation without History runs the
// same economy (same agents, same random stream), records nothing, and
// refuses what needs the History; and that it cannot be switched off once
// a period has run.
func TestDisableHistory(t *testing.T) {
	p := ecs.DefaultParams()
	p.Seed = 11
	with, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	without, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := without.DisableHistory(); err != nil {
		t.Fatal(err)
	}
	with.Run(150)
	without.Run(150)
	if !without.History.Disabled() || with.History.Disabled() {
		t.Fatal("Disabled() does not report the switch")
	}
	if len(without.History.Rows) != 0 || len(without.History.FinalProduction) != 0 {
		t.Errorf("disabled history recorded %d rows, %d productions", len(without.History.Rows), len(without.History.FinalProduction))
	}
	if len(with.History.Rows) != 150 {
		t.Fatalf("enabled history has %d rows, want 150", len(with.History.Rows))
	}
	if !reflect.DeepEqual(with.World.Firms.Producer, without.World.Firms.Producer) ||
		!reflect.DeepEqual(with.World.Households.Worker, without.World.Households.Worker) {
		t.Error("disabling the history changed the simulated economy")
	}
	if err := with.DisableHistory(); err == nil || !strings.Contains(err.Error(), "period 150") {
		t.Errorf("DisableHistory after 150 periods: err = %v, want one naming the period", err)
	}
	var sb strings.Builder
	if err := without.Checkpoint(&sb); err == nil || !strings.Contains(err.Error(), "history is disabled") {
		t.Errorf("Checkpoint without history: err = %v", err)
	}
	if _, err := without.Collect(bam.CollectSpec{Name: "unemployment_rate"}); !errors.Is(err, bam.ErrUnavailable) {
		t.Errorf("Collect(unemployment_rate) without history: err = %v, want ErrUnavailable", err)
	}
	if _, err := without.Collect(bam.CollectSpec{Name: "Producer.price"}); err != nil {
		t.Errorf("Collect(Producer.price) without history: %v", err)
	}
	allocs := testing.AllocsPerRun(20, func() { without.Step() })
	if allocs != 0 {
		t.Errorf("a period without history allocates %.1f times", allocs)
	}
}

// TestNonFiniteStateStops (issue 12, case 7): parameters in range but far
// outside the model's scale drive the state to NaN or ±Inf; the simulation
// stops after that period and Err names the period and the first series.
func TestNonFiniteStateStops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    func(p *ecs.Params)
		series string
	}{
		{"markup 1e300", func(p *ecs.Params) { p.NewFirmPriceMarkup = 1e300 }, "mean_savings"},
		{"productivity 1e160", func(p *ecs.Params) { p.LaborProductivity = 1e160 }, "avg_productivity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ecs.DefaultParams()
			tc.set(&p)
			sim, err := bam.New(p)
			if err != nil {
				t.Fatal(err)
			}
			ran := sim.Run(300)
			var nf *bam.NonFiniteError
			if !errors.As(sim.Err(), &nf) {
				t.Fatalf("ran %d periods, Err %v; want a *NonFiniteError", ran, sim.Err())
			}
			if nf.Period != ran || nf.Series != tc.series || len(sim.History.Rows) != ran {
				t.Errorf("error %v after %d periods (%d rows); want the last period and %s", nf, ran, len(sim.History.Rows), tc.series)
			}
			if sim.Step() {
				t.Error("a period ran after the state went non-finite")
			}
			if err := sim.Checkpoint(io.Discard); err == nil {
				t.Error("a non-finite simulation was checkpointed")
			}
		})
	}
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if ran := sim.Run(300); ran != 300 || sim.Err() != nil {
		t.Errorf("the default economy: %d periods, Err %v", ran, sim.Err())
	}
}
