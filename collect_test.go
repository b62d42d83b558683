package bam_test

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems/extensions"
)

// newCollecting returns a default simulation (seed 1, n periods) collecting
// the request spec.
func newCollecting(t testing.TB, periods int, spec string) (*bam.Simulation, *bam.Collector) {
	t.Helper()
	p := ecs.DefaultParams()
	p.Seed = 1
	p.NPeriods = periods
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := bam.ParseCollect(spec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sim.Collect(sp...)
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// row returns period t's values (0-based) of a collected variable.
func row(t *testing.T, c *bam.Collector, name string, period int) []float64 {
	t.Helper()
	T, n, v := c.Data(name)
	if v == nil || period >= T {
		t.Fatalf("%s: period %d of %d not collected", name, period, T)
	}
	return v[period*n : (period+1)*n]
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// TestCollectCapturePoint checks variables captured after a system against
// the economy series captured at the same point (spec §9.2).
func TestCollectCapturePoint(t *testing.T) {
	const T = 60
	sim, c := newCollecting(t, T,
		"Producer.production@firms_run_production, Worker.employed@firms_run_production, Worker.wage@workers_receive_wage, Employer.n_vacancies@firms_decide_vacancies, Producer.production")
	if n := sim.Run(T); n != T {
		t.Fatalf("ran %d periods", n)
	}
	if c.Len() != T || c.FirstPeriod() != 1 {
		t.Fatalf("Len = %d, FirstPeriod = %d; want %d, 1", c.Len(), c.FirstPeriod(), T)
	}
	prod := row(t, c, "Producer.production@firms_run_production", T-1)
	if !slices.Equal(prod, sim.History.FinalProduction) {
		t.Error("Producer.production@firms_run_production in the last period differs from History.FinalProduction")
	}
	for p := range T {
		r := &sim.History.Rows[p]
		if got := sum(row(t, c, "Worker.employed@firms_run_production", p)); got != float64(r.Employed) {
			t.Errorf("period %d: Σ Worker.employed@firms_run_production = %v, want Row.Employed = %d", p+1, got, r.Employed)
		}
		if got := sum(row(t, c, "Producer.production@firms_run_production", p)); math.Abs(got-r.GDP) > 1e-9*r.GDP {
			t.Errorf("period %d: Σ production = %v, want GDP %v", p+1, got, r.GDP)
		}
		if got := sum(row(t, c, "Employer.n_vacancies@firms_decide_vacancies", p)); got != float64(r.Vacancies) {
			t.Errorf("period %d: Σ vacancies = %v, want %d", p+1, got, r.Vacancies)
		}
		if got := sum(row(t, c, "Worker.wage@workers_receive_wage", p)); math.Abs(got-r.WageSum) > 1e-9*r.WageSum {
			t.Errorf("period %d: Σ wages = %v, want %v", p+1, got, r.WageSum)
		}
	}
	// At the end of the period entrants show their entry output, so the two
	// capture points of production differ in some period with exits.
	differ := false
	for p := range T {
		if !slices.Equal(row(t, c, "Producer.production", p), row(t, c, "Producer.production@firms_run_production", p)) {
			differ = true
		}
	}
	if !differ {
		t.Error("production at the end of the period never differs from production at firms_run_production")
	}
}

// TestCollectEndOfPeriod checks the default capture point against the
// end-of-period economy series and the final state of the world.
func TestCollectEndOfPeriod(t *testing.T) {
	const T = 40
	sim, c := newCollecting(t, T, "Lender.equity_base,Consumer.savings,Borrower.net_worth,Worker.employer,Employer.current_labor,Worker.fired,inflation,avg_price")
	sim.Run(T)
	mean := func(xs []float64) float64 { return sum(xs) / float64(len(xs)) }
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for p := range T {
		r := &sim.History.Rows[p]
		if got := mean(row(t, c, "Lender.equity_base", p)); !near(got, r.MeanBankEquity) {
			t.Errorf("period %d: mean equity %v, want %v", p+1, got, r.MeanBankEquity)
		}
		if got := mean(row(t, c, "Consumer.savings", p)); !near(got, r.MeanSavings) {
			t.Errorf("period %d: mean savings %v, want %v", p+1, got, r.MeanSavings)
		}
		if got := mean(row(t, c, "Borrower.net_worth", p)); !near(got, r.MeanNetWorth) {
			t.Errorf("period %d: mean net worth %v, want %v", p+1, got, r.MeanNetWorth)
		}
		if got := row(t, c, "inflation", p); len(got) != 1 || got[0] != r.Inflation {
			t.Errorf("period %d: inflation %v, want [%v]", p+1, got, r.Inflation)
		}
		for _, x := range row(t, c, "Worker.fired", p) {
			if x != 0 && x != 1 {
				t.Fatalf("period %d: Worker.fired = %v, want 0 or 1", p+1, x)
			}
		}
	}
	if _, _, v := c.Data("avg_price"); !slices.Equal(v, sim.History.Series("avg_price")) {
		t.Error("collected avg_price differs from History.Series")
	}
	w := sim.World
	last := row(t, c, "Worker.employer", T-1)
	for j, wk := range w.Households.Worker {
		if last[j] != float64(wk.Employer) {
			t.Fatalf("household %d: Worker.employer %v, want the final state %d", j, last[j], wk.Employer)
		}
	}
	labor := row(t, c, "Employer.current_labor", T-1)
	for i, e := range w.Firms.Employer {
		if labor[i] != float64(e.CurrentLabor) {
			t.Fatalf("firm %d: current_labor %v, want %d", i, labor[i], e.CurrentLabor)
		}
	}
	if k, ok := c.Kind("Worker.employer"); !ok || k != ecs.Households {
		t.Errorf("Kind(Worker.employer) = %v, %v", k, ok)
	}
	if _, ok := c.Kind("inflation"); ok {
		t.Error("Kind(inflation) should report an economy series")
	}
}

// TestCollectNoEffect checks that collection changes nothing in the results.
func TestCollectNoEffect(t *testing.T) {
	const T = 80
	p := ecs.DefaultParams()
	p.Seed = 9
	p.NPeriods = T
	plain, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	plain.Run(T)
	all := strings.Join([]string{"Producer", "Employer", "Borrower@firms_collect_revenue", "Worker@firms_run_production",
		"Worker.employed", "Consumer@workers_receive_wage", "Shareholder", "Lender@credit_market_round", "gdp"}, ",")
	sim2, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := bam.ParseCollect(all)
	if _, err := sim2.Collect(sp...); err != nil {
		t.Fatal(err)
	}
	sim2.Run(T)
	if !reflect.DeepEqual(plain.History.Rows, sim2.History.Rows) || !reflect.DeepEqual(plain.History.FinalProduction, sim2.History.FinalProduction) {
		t.Error("collecting changed the economy series")
	}
	ra, _ := plain.World.RandState()
	rb, _ := sim2.World.RandState()
	if !slices.Equal(ra, rb) {
		t.Error("collecting changed the random stream")
	}
}

// TestCollectAllocatesNothing checks that a period with collection on
// allocates nothing once space is reserved.
func TestCollectAllocatesNothing(t *testing.T) {
	sim, c := newCollecting(t, 50, "Producer.production@firms_run_production,Worker.employed@firms_run_production,Worker,Lender.equity_base@credit_market_round,unemployment_rate,gdp")
	sim.Run(50) // uses the storage allocated by Collect
	sim.Reserve(200)
	if a := testing.AllocsPerRun(50, func() { sim.Step() }); a != 0 {
		t.Errorf("%v allocations per period with collection on, want 0", a)
	}
	if c.Len() != 101 { // 50 + 50 + the warm-up run of AllocsPerRun
		t.Errorf("Len = %d, want 101", c.Len())
	}
}

// TestCollectReserve checks growth past n_periods and a collector started
// mid-run.
func TestCollectReserve(t *testing.T) {
	sim, c := newCollecting(t, 10, "Worker.wage")
	sim.Run(25) // Run reserves
	sim.Step()  // not reserved: grows
	if got, want := c.Len(), 26; got != want {
		t.Errorf("Len = %d, want %d", got, want)
	}
	if T, n, v := c.Data("Worker.wage"); T != 26 || n != 500 || len(v) != 26*500 {
		t.Errorf("Data = %d, %d, len %d", T, n, len(v))
	}
	late, err := sim.Collect(bam.CollectSpec{Name: "Producer.price"}, bam.CollectSpec{Name: "gdp"})
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(4)
	if late.FirstPeriod() != 27 || late.Len() != 4 {
		t.Errorf("late collector: FirstPeriod %d, Len %d; want 27, 4", late.FirstPeriod(), late.Len())
	}
	_, _, gdp := late.Data("gdp")
	if want := sim.History.Series("gdp")[26:]; !slices.Equal(gdp, want) {
		t.Errorf("late gdp = %v, want %v", gdp, want)
	}
}

func TestCollectComponentsAndNames(t *testing.T) {
	sim, c := newCollecting(t, 3, "Worker@firms_run_production,Worker.employed,Employer.total_funds,Borrower.wage_bill")
	sim.Run(3)
	got := c.Variables()
	want := []string{
		"Worker.employer@firms_run_production", "Worker.employer_prev@firms_run_production",
		"Worker.periods_left@firms_run_production", "Worker.contract_expired@firms_run_production",
		"Worker.fired@firms_run_production", "Worker.wage@firms_run_production",
		"Worker.employed", "Employer.total_funds", "Borrower.wage_bill",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Variables() =\n%v\nwant\n%v", got, want)
	}
	// A name without its capture point is accepted when unambiguous.
	if T, n, _ := c.Data("Worker.wage"); T != 3 || n != 500 {
		t.Errorf("Data(Worker.wage) = %d, %d", T, n)
	}
	if _, _, v := c.Data("Worker.savings"); v != nil {
		t.Error("Data of an uncollected name should be nil")
	}
	tf := row(t, c, "Employer.total_funds", 2)
	bw := row(t, c, "Borrower.wage_bill", 2)
	for i := range sim.World.Firms.Borrower {
		if tf[i] != sim.World.Firms.Borrower[i].TotalFunds || bw[i] != sim.World.Firms.Employer[i].WageBill {
			t.Fatalf("firm %d: aliases differ from the components", i)
		}
	}
	names := sim.Collectable()
	for _, n := range []string{"unemployment_rate", "Producer.production", "Worker.employed", "Lender.equity_base", "Lender.opex_shock"} {
		if !slices.Contains(names, n) {
			t.Errorf("Collectable() lacks %s", n)
		}
	}
	if slices.Contains(names, "RnD.sigma") {
		t.Error("Collectable() lists RnD.sigma without the R&D extension")
	}
}

// TestCollectSpecVariables checks that every per-agent variable of spec
// §9.5 is registered under its name.
func TestCollectSpecVariables(t *testing.T) {
	spec := map[string]string{
		"Producer":    "price, production, production_prev, inventory, expected_demand, desired_production, labor_productivity, breakeven_price",
		"Employer":    "current_labor, desired_labor, n_vacancies, wage_offer, wage_bill, total_funds",
		"Borrower":    "net_worth, total_funds, credit_demand, projected_fragility, gross_profit, net_profit, retained_profit, wage_bill",
		"Worker":      "employer, employer_prev, wage, periods_left, contract_expired, fired, employed",
		"Consumer":    "income, savings, income_to_spend, propensity, largest_prod_prev",
		"Shareholder": "dividends",
		"Lender":      "equity_base, credit_supply, interest_rate, opex_shock",
		"RnD":         "sigma, rnd_intensity, productivity_increment, fragility",
		"BufferStock": "prev_income, propensity",
	}
	reg := map[string]ecs.Variable{}
	for _, v := range ecs.Variables() {
		reg[v.Name] = v
	}
	for comp, fields := range spec {
		for _, f := range strings.Split(fields, ", ") {
			v, ok := reg[comp+"."+f]
			if !ok {
				t.Errorf("%s.%s is not registered", comp, f)
				continue
			}
			if v.Doc == "" {
				t.Errorf("%s has no doc", v.Name)
			}
		}
	}
}

func TestCollectErrors(t *testing.T) {
	p := ecs.DefaultParams()
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec string
		err  error
		want []string // substrings of the message
	}{
		{"", bam.ErrBadCollect, []string{"empty"}},
		{"Worker.wage,,Producer.price", bam.ErrBadCollect, []string{"item 2 is empty"}},
		{"Worker.wage@", bam.ErrBadCollect, []string{"Worker.wage@"}},
		{"Producer.prodution", bam.ErrUnknownVariable, []string{`"Producer.prodution"`, "Producer has no variable", "production_prev", "breakeven_price"}},
		{"Prodcer.production", bam.ErrUnknownVariable, []string{`no component "Prodcer"`, "Producer, Employer, Borrower, Worker, Consumer, Shareholder, Lender"}},
		{"unemployment", bam.ErrUnknownVariable, []string{"unemployment_rate", "components:"}},
		{"gdp@firms_run_production", bam.ErrBadCollect, []string{"fixed capture points"}},
		{"Producer.production@firms_run_prod", bam.ErrUnknownSystem, []string{`"firms_run_prod"`, "firms_run_production", "spawn_replacement_banks"}},
		{"RnD.sigma", bam.ErrUnavailable, []string{"RnD", "firms"}},
	}
	for _, tt := range tests {
		sp, err := bam.ParseCollect(tt.spec)
		if err == nil {
			_, err = sim.Collect(sp...)
		}
		if err == nil {
			t.Errorf("%q: no error", tt.spec)
			continue
		}
		if !errors.Is(err, tt.err) {
			t.Errorf("%q: error %v is not %v", tt.spec, err, tt.err)
		}
		for _, s := range tt.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%q: error %q lacks %q", tt.spec, err, s)
			}
		}
	}
	if _, err := sim.Collect(); !errors.Is(err, bam.ErrBadCollect) {
		t.Errorf("Collect(): %v", err)
	}
	// A failed Collect registers nothing: the simulation still steps
	// without allocating per period for a collector.
	sim.Run(3)
}

func TestCollectExtensionVariables(t *testing.T) {
	p := ecs.DefaultParams()
	p.NPeriods = 20
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Use(extensions.RnD, extensions.BufferStock); err != nil {
		t.Fatal(err)
	}
	sp, err := bam.ParseCollect("RnD,BufferStock.propensity,Producer.labor_productivity")
	if err != nil {
		t.Fatal(err)
	}
	c, err := sim.Collect(sp...)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(20)
	rnd := extensions.RnDStates(sim.World)
	sigma := row(t, c, "RnD.sigma", 19)
	mu := row(t, c, "RnD.rnd_intensity", 19)
	for i := range rnd {
		if sigma[i] != rnd[i].Sigma || mu[i] != rnd[i].Intensity {
			t.Fatalf("firm %d: RnD variables differ from the component", i)
		}
	}
	bs := extensions.BufferStockStates(sim.World)
	prop := row(t, c, "BufferStock.propensity", 19)
	for j := range bs {
		if prop[j] != bs[j].Propensity {
			t.Fatalf("household %d: BufferStock.propensity differs", j)
		}
	}
}

// wealth is a user component for TestRegisterComponent.
type wealth struct {
	Total   float64
	Rank    int32
	Rich    bool
	_       [3]byte
	Skipped float64 `bam:"-"`
	Renamed float64 `bam:"net"`
	//lint:ignore U1000 an unexported field, which RegisterComponent skips
	internal float64
}

func TestRegisterComponent(t *testing.T) {
	store := map[*ecs.World][]wealth{}
	view := func(w *ecs.World) []wealth { return store[w] }
	if err := ecs.RegisterComponent("TestWealth", ecs.Households, view); err != nil {
		t.Fatal(err)
	}
	if err := ecs.RegisterComponent("TestWealth", ecs.Households, view); err == nil {
		t.Error("registering a component twice should fail")
	}
	var names []string
	for _, v := range ecs.Variables() {
		if strings.HasPrefix(v.Name, "TestWealth.") {
			names = append(names, v.Name)
		}
	}
	if want := []string{"TestWealth.total", "TestWealth.rank", "TestWealth.rich", "TestWealth.net"}; !slices.Equal(names, want) {
		t.Errorf("registered %v, want %v", names, want)
	}
	if err := ecs.RegisterVariable("TestWealth.double", ecs.Households, func(w *ecs.World, dst []float64) {
		for j, x := range store[w] {
			dst[j] = 2 * x.Total
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"nodot", "A.b.c", "1x.y", "X."} {
		if err := ecs.RegisterVariable(bad, ecs.Firms, func(*ecs.World, []float64) {}); err == nil {
			t.Errorf("RegisterVariable(%q) should fail", bad)
		}
	}

	p := ecs.DefaultParams()
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := bam.ParseCollect("TestWealth,TestWealth.double,TestWealth.total")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Collect(sp...); !errors.Is(err, bam.ErrUnavailable) {
		t.Fatalf("collect before the component exists: %v", err)
	}
	ws := make([]wealth, p.NHouseholds)
	store[sim.World] = ws
	c, err := sim.Collect(sp...)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Variables()); got != 5 {
		t.Errorf("collected %v, want each variable once", c.Variables())
	}
	sim.Pipeline.Observe("firms_run_production", func(w *ecs.World) {
		for j := range ws {
			ws[j] = wealth{Total: float64(j), Rank: int32(w.Period), Rich: j%2 == 0, Renamed: -float64(j)}
		}
	})
	sim.Run(2)
	for _, tt := range []struct {
		name string
		j    int
		want float64
	}{
		{"TestWealth.total", 7, 7}, {"TestWealth.rank", 3, 2}, {"TestWealth.rich", 4, 1},
		{"TestWealth.rich", 5, 0}, {"TestWealth.net", 9, -9}, {"TestWealth.double", 7, 14},
	} {
		if got := row(t, c, tt.name, 1)[tt.j]; got != tt.want {
			t.Errorf("%s[%d] = %v, want %v", tt.name, tt.j, got, tt.want)
		}
	}
}

// BenchmarkStepCollect measures a period without collection and with
// three firm or household variables collected. B/op is the amortised
// growth of the recorded series (b.Loop does not tell the number of
// periods in advance); allocs/op is 0.
func BenchmarkStepCollect(b *testing.B) {
	for _, bc := range []struct{ name, spec string }{
		{"none", ""},
		{"firms=3", "Producer.production@firms_run_production,Producer.price,Borrower.net_worth"},
		{"households=3", "Worker.employed@firms_run_production,Worker.wage@workers_receive_wage,Consumer.savings"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := ecs.DefaultParams()
			p.NPeriods = 100
			sim, err := bam.New(p)
			if err != nil {
				b.Fatal(err)
			}
			if bc.spec != "" {
				sp, err := bam.ParseCollect(bc.spec)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := sim.Collect(sp...); err != nil {
					b.Fatal(err)
				}
			}
			sim.Run(100)
			for b.Loop() {
				sim.Step()
			}
		})
	}
}
