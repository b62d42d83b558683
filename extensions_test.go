package bam_test

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

func TestUse(t *testing.T) {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Use(extensions.RnD, extensions.Taxation); err != nil {
		t.Fatal(err)
	}
	if got := sim.Extensions(); !slices.Equal(got, []string{"rnd", "taxation"}) {
		t.Errorf("Extensions() = %v", got)
	}
	if err := sim.Use(extensions.RnD); err == nil || err.Error() != "use: extension rnd: already attached" {
		t.Errorf("second Use(RnD) = %v", err)
	}
	if got := sim.World.Params.Ext; len(got) != 4 || got["sigma_max"] != 0.1 || got["profit_tax_rate"] != 0 {
		t.Errorf("parameters after Use: %v", got)
	}
	if sim.Scenario.Params.Ext != nil {
		t.Errorf("Use wrote into the scenario's parameters: %v", sim.Scenario.Params.Ext)
	}
	sim.Step()
	err = sim.Use(extensions.BufferStock)
	if err == nil || !strings.Contains(err.Error(), "before the first step") {
		t.Errorf("Use after Step = %v", err)
	}
	if slices.Contains(sim.Pipeline.Names(), "consumers_calc_buffer_stock_propensity") {
		t.Error("a refused Use changed the pipeline")
	}
}

// TestUsePrecedence checks spec §2.3 through Use: a value the user set
// before attaching is kept.
func TestUsePrecedence(t *testing.T) {
	p := ecs.DefaultParams()
	if err := p.SetExt("sigma_max", 0.05); err != nil {
		t.Fatal(err)
	}
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Use(extensions.RnD); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"sigma_min": 0, "sigma_max": 0.05, "sigma_decay": -1}
	if !reflect.DeepEqual(sim.World.Params.Ext, want) {
		t.Errorf("Ext = %v, want %v", sim.World.Params.Ext, want)
	}
	if len(p.Ext) != 1 {
		t.Errorf("the caller's parameters changed: %v", p.Ext)
	}
}

func TestNewFromScenarioExtensions(t *testing.T) {
	sc, err := scenarios.Load("taxation")
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Set("profit_tax_rate=0.5"); err != nil {
		t.Fatal(err)
	}
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.Extensions(); !slices.Equal(got, []string{"rnd", "taxation"}) {
		t.Errorf("Extensions() = %v", got)
	}
	if got := sim.World.Params.ExtValue("profit_tax_rate"); got != 0.5 {
		t.Errorf("profit_tax_rate = %v, want the --set value 0.5", got)
	}

	// Extensions are attached before the hooks, which can anchor at and
	// place extension systems.
	sc, err = scenarios.Parse("x.toml", []byte(`
extensions = ["rnd"]
[[hooks]]
after = "firms_deduct_rnd_expenditure"
systems = ["firms_tax_profits"]
`))
	if err != nil {
		t.Fatal(err)
	}
	sim, err = bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	names := sim.Pipeline.Names()
	i := slices.Index(names, "firms_deduct_rnd_expenditure")
	if i < 0 || names[i+1] != "firms_tax_profits" || names[i+2] != "firms_pay_dividends" {
		t.Errorf("pipeline %v", names)
	}

	// A scenario built in Go with an unknown extension.
	bad := scenarios.Default()
	bad.Extensions = []string{"rnd", "nope"}
	_, err = bam.NewFromScenario(bad)
	if err == nil || err.Error() != `scenario baseline: unknown extension "nope"; known extensions: rnd, buffer_stock, taxation` {
		t.Errorf("unknown extension: %v", err)
	}
	// An extension whose anchor the scenario's pipeline lacks.
	sc, err = scenarios.Parse("x.toml", []byte(`
extensions = ["rnd"]
pipeline = ["firms_decide_desired_production", "firms_run_production"]
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bam.NewFromScenario(sc)
	if err == nil || !strings.Contains(err.Error(), `scenario x: extension rnd: system "firms_validate_debt_commitments" is not in the pipeline`) {
		t.Errorf("missing anchor: %v", err)
	}
}

func TestRegistryHasExtensionSystems(t *testing.T) {
	reg := bam.Registry()
	for _, name := range extensions.Systems().Names() {
		if !reg.Has(name) {
			t.Errorf("bam.Registry() lacks %s", name)
		}
	}
	err := bam.RegisterSystem("firms_tax_profits", func(*ecs.World) ecs.System { return extensions.FirmsTaxProfits{} })
	if err == nil || !strings.Contains(err.Error(), "already registered") {
		t.Errorf("RegisterSystem of an extension system's name = %v", err)
	}
}

// TestNeutralExtensionsKeepBaseline checks that attaching extensions that
// change nothing (R&D with zero R&D shares, so no draws; taxation at rate
// 0) leaves the run identical to the baseline: adding their components, which
// moves every firm to a new archetype, changes neither the state nor the
// random stream.
func TestNeutralExtensionsKeepBaseline(t *testing.T) {
	run := func(use bool) *bam.History {
		p := ecs.DefaultParams()
		p.Seed = 5
		if use {
			if err := p.SetExt("sigma_max", 0); err != nil {
				t.Fatal(err)
			}
		}
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		if use {
			if err := sim.Use(extensions.RnD, extensions.Taxation); err != nil {
				t.Fatal(err)
			}
		}
		sim.Run(300)
		return sim.History
	}
	base, neutral := run(false), run(true)
	if !reflect.DeepEqual(base.Rows, neutral.Rows) || !reflect.DeepEqual(base.FinalProduction, neutral.FinalProduction) {
		t.Error("neutral extensions changed the run")
	}
}

func TestStepAllocatesNothingWithExtensions(t *testing.T) {
	sc, err := scenarios.Load("buffer_stock")
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Set("profit_tax_rate=0.2"); err != nil {
		t.Fatal(err)
	}
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Use(extensions.Taxation); err != nil {
		t.Fatal(err)
	}
	sim.Run(50)
	sim.Reserve(200)
	if a := testing.AllocsPerRun(20, func() { sim.Step() }); a != 0 {
		t.Errorf("%v allocations per period with every extension, want 0", a)
	}
}

// runScenario runs the embedded scenario name for seed over its n_periods.
func runScenario(t *testing.T, name string, seed uint64, observe func(sim *bam.Simulation)) *bam.Simulation {
	t.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	sc.Params.Seed = seed
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	if observe != nil {
		observe(sim)
	}
	if n := sim.Run(sc.Params.NPeriods); n != sc.Params.NPeriods {
		t.Fatalf("%s seed %d collapsed after %d periods", name, seed, n)
	}
	return sim
}

func meanOver(rows []bam.Row, f func(*bam.Row) float64) float64 {
	s := 0.0
	for i := range rows {
		s += f(&rows[i])
	}
	return s / float64(len(rows))
}

// TestGrowthPlus checks the Growth+ scenario against bamengine's figures
// (spec §13.2): average productivity rises from 0.5 to about 10 by period
// 500 and about 20 by period 1000, log GDP averages 8.80 over the second
// half, unemployment 0.068, and the price level falls.
func TestGrowthPlus(t *testing.T) {
	if testing.Short() {
		t.Skip("1000-period runs; skipped with -short")
	}
	for seed := range uint64(3) {
		sim := runScenario(t, "growth_plus", seed, nil)
		rows := sim.History.Rows
		ss := rows[500:]
		a500, a1000 := rows[499].AvgProductivity, rows[999].AvgProductivity
		logGDP := meanOver(ss, func(r *bam.Row) float64 { return r.LogGDP })
		u := meanOver(ss, func(r *bam.Row) float64 { return r.Unemployment })
		growth := a1000/rows[500].AvgProductivity - 1
		price := rows[999].AvgPrice
		exits := meanOver(ss, func(r *bam.Row) float64 { return float64(r.FirmExits) })
		t.Logf("seed %d: avg productivity %.3f (t=500) %.3f (t=1000), ss growth %.2f; log GDP %.3f; unemployment %.4f; P̄(1000) %.4f; firm exits %.3f/period",
			seed, a500, a1000, growth, logGDP, u, price, exits)
		checks := []struct {
			name   string
			v      float64
			lo, hi float64
		}{
			{"avg productivity at t=500 (≈ 10)", a500, 5, 20},
			{"avg productivity at t=1000 (≈ 20)", a1000, 10, 40},
			{"productivity growth over periods 501–1000 (0.99 ± 0.13)", growth, 0.5, 1.6},
			{"mean log GDP over periods 501–1000 (8.80 ± 0.014)", logGDP, 8.6, 9.0},
			{"mean unemployment over periods 501–1000 (0.068 ± 0.005)", u, 0.04, 0.10},
			{"average price at t=1000 (≈ 0.05)", price, 0, 0.25},
			{"firm exits per period (0.84 ± 0.06)", exits, 0.4, 1.3},
		}
		for _, c := range checks {
			if !(c.v >= c.lo && c.v <= c.hi) {
				t.Errorf("seed %d: %s = %v, want within [%v, %v]", seed, c.name, c.v, c.lo, c.hi)
			}
		}
	}
}

// bufferStockCapture records, in the last period, the cross-section that
// the buffer-stock validation uses (validation spec §3 and §7.2).
type bufferStockCapture struct {
	employed   []bool
	wage       []float64
	propensity []float64
	dividends  []float64
	savings    []float64
}

func newBufferStockCapture(sim *bam.Simulation) *bufferStockCapture {
	n := sim.World.Count(ecs.Households)
	c := &bufferStockCapture{make([]bool, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
	sim.Pipeline.Observe("firms_run_production", func(w *ecs.World) {
		for j, wk := range w.Households.Worker {
			c.employed[j], c.wage[j] = wk.Employer >= 0, wk.Wage
		}
	})
	sim.Pipeline.Observe("consumers_calc_buffer_stock_propensity", func(w *ecs.World) {
		for j, s := range extensions.BufferStockStates(w) {
			c.propensity[j] = s.Propensity
			c.dividends[j] = w.Households.Shareholder[j].Dividends
		}
	})
	sim.Pipeline.Observe("", func(w *ecs.World) {
		for j := range w.Households.Consumer {
			c.savings[j] = w.Households.Consumer[j].Savings
		}
	})
	return c
}

// gini is the Gini coefficient of x (validation spec A.6).
func gini(x []float64) float64 {
	s := slices.Sorted(slices.Values(x))
	n := float64(len(s))
	num, sum := 0.0, 0.0
	for i, v := range s {
		num += float64(i+1) * v
		sum += v
	}
	if n == 0 || sum == 0 {
		return 0
	}
	return 2*num/(n*sum) - (n+1)/n
}

// TestBufferStock checks the buffer-stock scenario's last-period
// cross-section of employed households against bamengine's figures (spec
// §13.2): savings Gini 0.258 ± 0.039, mean dividend-adjusted MPC
// 0.987 ± 0.026, share with adjusted MPC > 1 0.317 ± 0.063.
func TestBufferStock(t *testing.T) {
	if testing.Short() {
		t.Skip("1000-period runs; skipped with -short")
	}
	var sumGini, sumDis, sumMPC float64
	const seeds = 3
	for seed := range uint64(seeds) {
		var c *bufferStockCapture
		sim := runScenario(t, "buffer_stock", seed, func(sim *bam.Simulation) { c = newBufferStockCapture(sim) })
		var wealth, mpc []float64
		for j, e := range c.employed {
			if !e {
				continue
			}
			wealth = append(wealth, c.savings[j])
			adj := 0.0
			if c.wage[j] > 0 {
				adj = c.dividends[j] / c.wage[j]
			}
			mpc = append(mpc, c.propensity[j]-adj)
		}
		g := gini(wealth)
		dis := float64(len(slices.DeleteFunc(slices.Clone(mpc), func(m float64) bool { return m <= 1 }))) / float64(len(mpc))
		m := 0.0
		for _, v := range mpc {
			m += v
		}
		m /= float64(len(mpc))
		u := meanOver(sim.History.Rows[500:], func(r *bam.Row) float64 { return r.Unemployment })
		t.Logf("seed %d: %d employed; savings Gini %.3f; mean adjusted MPC %.3f; share MPC > 1 %.3f; unemployment %.4f; avg productivity(1000) %.2f",
			seed, len(mpc), g, m, dis, u, sim.History.Rows[999].AvgProductivity)
		sumGini += g
		sumDis += dis
		sumMPC += m
	}
	g, dis, m := sumGini/seeds, sumDis/seeds, sumMPC/seeds
	if g < 0.15 || g > 0.40 {
		t.Errorf("mean savings Gini %v, want about 0.26 (within [0.15, 0.40])", g)
	}
	if dis < 0.12 || dis > 0.55 {
		t.Errorf("mean share with adjusted MPC > 1 %v, want about 0.32 (within [0.12, 0.55])", dis)
	}
	if m < 0.85 || m > 1.1 {
		t.Errorf("mean adjusted MPC %v, want about 0.99 (within [0.85, 1.1])", m)
	}
	if math.IsNaN(g + dis + m) {
		t.Error("NaN statistic")
	}
}
