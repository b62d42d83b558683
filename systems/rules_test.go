package systems_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
)

const eps = ecs.EPS

// ---------------------------------------------------------------------------
// Phase 1 — planning (spec §5.1–5.6)

// TestDesiredProduction checks §5.1: production is zeroed, the expand /
// contract / keep classification uses exact inventory comparisons, and the
// same number of draws is made whatever the classification.
func TestDesiredProduction(t *testing.T) {
	const pbar, prev = 1.0, 4.0
	cases := []struct {
		name       string
		inv, price float64
		want       string
	}{
		{"no stock, price equal to P̄: expand", 0, 1.0, "expand"},
		{"no stock, price above P̄: expand", 0, 1.2, "expand"},
		{"no stock, price below P̄: keep", 0, 0.8, "keep"},
		{"stock, price below P̄: contract", 2, 0.8, "contract"},
		{"stock below EPS, price below P̄: contract (exact test)", 1e-12, 0.8, "contract"},
		{"stock below EPS, price equal to P̄: keep (exact test)", 1e-12, 1.0, "keep"},
		{"stock, price above P̄: keep", 2, 1.2, "keep"},
	}
	var state []byte
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2)
			h := w.Params.HRho
			w.Econ.AvgPrice = pbar
			for i := range w.Firms.Producer {
				f := &w.Firms.Producer[i]
				f.ProductionPrev, f.Inventory, f.Price = prev, c.inv, c.price
				f.Production, f.DesiredProduction, f.ExpectedDemand = 9, -1, -1
			}
			systems.FirmsDecideDesiredProduction{}.Update(w)
			for i, f := range w.Firms.Producer {
				yd := f.DesiredProduction
				if f.Production != 0 {
					t.Errorf("firm %d: production = %v, want 0", i, f.Production)
				}
				if f.ExpectedDemand != yd {
					t.Errorf("firm %d: expected_demand = %v, want desired production %v", i, f.ExpectedDemand, yd)
				}
				var ok bool
				switch c.want {
				case "expand":
					ok = yd > prev && yd <= prev*(1+h)
				case "contract":
					ok = yd < prev && yd >= prev*(1-h)
				case "keep":
					ok = yd == prev
				}
				if !ok {
					t.Errorf("firm %d: Yd = %v from Y_prev = %v, want %s", i, yd, prev, c.want)
				}
				if f.ProductionPrev != prev {
					t.Errorf("firm %d: production_prev changed to %v", i, f.ProductionPrev)
				}
			}
			// ρ is drawn for every firm, whatever its class.
			s := randState(t, w)
			if state != nil && !sameRand(s, state) {
				t.Errorf("random stream advanced differently than in another classification: draws depend on the class")
			}
			state = s
		})
	}
}

// TestBreakevenPrice checks §5.2: last period's wage bill plus the interest
// of the borrower's loan records over max(Yd, EPS), capped by cap_factor > 1.
func TestBreakevenPrice(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	cases := []struct {
		name     string
		capf     *float64
		wageBill float64
		yd       float64
		price    float64
		loans    [][2]float64 // principal, rate of firm 0's loans
		want     float64
	}{
		{"wage bill only", nil, 3, 6, 0.5, nil, 0.5},
		{"wage bill and two loans", nil, 3, 6, 0.5, [][2]float64{{10, 0.03}, {20, 0.06}}, (3 + 0.3 + 1.2) / 6},
		{"zero target divides by EPS", nil, 1e-9, 0, 0.5, nil, 1},
		{"entrant without costs", nil, 0, 2, 0.5, nil, 0},
		{"cap_factor 1.5 caps", f(1.5), 6, 2, 1, nil, 1.5},
		{"cap_factor 1.5 does not bind", f(1.5), 2, 2, 1, nil, 1},
		{"cap_factor 1 is no cap", f(1), 6, 2, 1, nil, 3},
		{"cap_factor 0.5 is no cap", f(0.5), 6, 2, 1, nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2, func(p *ecs.Params) { p.CapFactor = c.capf })
			for _, l := range c.loans {
				w.Loans.Append(0, 1, l[0], l[1])
			}
			// loans of other firms must not count for firm 0
			w.Loans.Append(1, 0, 100, 0.1)
			w.Firms.Employer[0].WageBill = c.wageBill
			w.Firms.Producer[0].DesiredProduction = c.yd
			w.Firms.Producer[0].Price = c.price
			w.Firms.Employer[1].WageBill = 1
			w.Firms.Producer[1].DesiredProduction = 2
			systems.NewFirmsPlanBreakevenPrice(w).Update(w)
			if got := w.Firms.Producer[0].BreakevenPrice; !near(got, c.want) {
				t.Errorf("breakeven = %v, want %v", got, c.want)
			}
			want1 := (1 + 10.0) / 2
			if c.capf != nil && *c.capf > 1 {
				want1 = min(want1, *c.capf*w.Firms.Producer[1].Price)
			}
			if got := w.Firms.Producer[1].BreakevenPrice; !near(got, want1) {
				t.Errorf("firm 1 breakeven = %v, want %v", got, want1)
			}
		})
	}
}

// TestPlanPrice checks §5.3: raise / cut / unchanged with exact inventory
// tests; the breakeven floor applies only to raises and cuts, so a cut can
// end above the old price and an unchanged price can stay below breakeven.
func TestPlanPrice(t *testing.T) {
	const pbar, old = 1.0, 1.0
	cases := []struct {
		name          string
		inv, price    float64
		breakeven     float64
		lo, hi        float64 // want lo ≤ new price ≤ hi
		strictLo      bool    // want new price > lo
		strictHi      bool    // want new price < hi
		wantUnchanged bool
	}{
		{name: "raise", inv: 0, price: 0.8, breakeven: 0, lo: 0.8, hi: 0.8 * 1.1, strictLo: true},
		{name: "raise floored by breakeven", inv: 0, price: 0.8, breakeven: 2, lo: 2, hi: 2},
		{name: "cut", inv: 3, price: 1.2, breakeven: 0, lo: 1.2 * 0.9, hi: 1.2, strictHi: true},
		{name: "cut at price equal to P̄", inv: 3, price: pbar, breakeven: 0, lo: 0.9 * pbar, hi: pbar, strictHi: true},
		{name: "cut ends above old price", inv: 3, price: old, breakeven: 1.5, lo: 1.5, hi: 1.5},
		{name: "stock below EPS is stock: cut (exact test)", inv: 1e-12, price: old, breakeven: 0, lo: 0.9, hi: old, strictHi: true},
		{name: "no stock, price ≥ P̄: unchanged, no floor", inv: 0, price: 1.2, breakeven: 5, wantUnchanged: true},
		{name: "stock, price < P̄: unchanged, no floor", inv: 3, price: 0.8, breakeven: 5, wantUnchanged: true},
		{name: "stock below EPS, price < P̄: unchanged (exact test)", inv: 1e-12, price: 0.8, breakeven: 5, wantUnchanged: true},
	}
	var state []byte
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2)
			w.Econ.AvgPrice = pbar
			for i := range w.Firms.Producer {
				f := &w.Firms.Producer[i]
				f.Inventory, f.Price, f.BreakevenPrice = c.inv, c.price, c.breakeven
			}
			systems.FirmsPlanPrice{}.Update(w)
			for i, f := range w.Firms.Producer {
				p := f.Price
				if c.wantUnchanged {
					if p != c.price {
						t.Errorf("firm %d: price %v → %v, want unchanged", i, c.price, p)
					}
					continue
				}
				if p < c.lo || p > c.hi || (c.strictLo && p == c.lo) || (c.strictHi && p == c.hi) {
					t.Errorf("firm %d: price %v → %v, want in [%v, %v] (strict lo %v, strict hi %v)", i, c.price, p, c.lo, c.hi, c.strictLo, c.strictHi)
				}
			}
			s := randState(t, w)
			if state != nil && !sameRand(s, state) {
				t.Errorf("random stream advanced differently than in another case: η is not drawn for every firm")
			}
			state = s
		})
	}
}

// TestDesiredLabor checks §5.4: Ld = ceil(Yd/α) and the productivity guard.
func TestDesiredLabor(t *testing.T) {
	cases := []struct {
		name      string
		yd, alpha float64
		want      int32
		wantAlpha float64
	}{
		{"exact multiple", 5, 0.5, 10, 0.5},
		{"just above a multiple rounds up", 5.000001, 0.5, 11, 0.5},
		{"ten workers, 5% lower target keeps ten", 4.75, 0.5, 10, 0.5},
		{"fraction rounds up", 4.6, 0.5, 10, 0.5},
		{"zero target", 0, 0.5, 0, 0.5},
		{"zero productivity guarded", 1e-9, 0, 1, eps},
		{"negative productivity guarded", 1e-9, -2, 1, eps},
		{"productivity below EPS guarded", 1e-9, 1e-12, 1, eps},
		{"NaN productivity guarded", 0, math.NaN(), 0, eps},
		{"infinite productivity guarded", 0, math.Inf(1), 0, eps},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2)
			for i := range w.Firms.Producer {
				w.Firms.Producer[i].DesiredProduction = c.yd
				w.Firms.Producer[i].LaborProductivity = c.alpha
			}
			systems.FirmsDecideDesiredLabor{}.Update(w)
			for i := range w.Firms.Producer {
				if got := w.Firms.Employer[i].DesiredLabor; got != c.want {
					t.Errorf("firm %d: Ld = %d, want %d", i, got, c.want)
				}
				if got := w.Firms.Producer[i].LaborProductivity; got != c.wantAlpha {
					t.Errorf("firm %d: productivity = %v, want %v", i, got, c.wantAlpha)
				}
			}
		})
	}
}

// TestVacancies checks §5.5: V = max(Ld − L, 0).
func TestVacancies(t *testing.T) {
	cases := []struct {
		ld, l, want int32
	}{{5, 3, 2}, {3, 5, 0}, {4, 4, 0}, {6, 0, 6}, {0, 0, 0}}
	w := newWorld(t, len(cases), 6, 2)
	for i, c := range cases {
		w.Firms.Employer[i].DesiredLabor = c.ld
		w.Firms.Employer[i].CurrentLabor = c.l
		w.Firms.Employer[i].NVacancies = 99
	}
	systems.FirmsDecideVacancies{}.Update(w)
	for i, c := range cases {
		if got := w.Firms.Employer[i].NVacancies; got != c.want {
			t.Errorf("Ld=%d L=%d: V = %d, want %d", c.ld, c.l, got, c.want)
		}
	}
}

// TestFireExcessWorkers checks §5.6: exactly L − Ld random employees are
// laid off and marked fired with employer_prev set; the wage bill is kept;
// nothing at all (not even a draw) happens without excess labour.
func TestFireExcessWorkers(t *testing.T) {
	t.Run("excess", func(t *testing.T) {
		w := newWorld(t, 3, 8, 2)
		for j := 0; j < 4; j++ {
			employ(w, j, 0, 1+float64(j), 5)
			w.Households.Worker[j].ContractExpired = true // must be reset on layoff
		}
		employ(w, 4, 1, 1, 5)
		employ(w, 5, 1, 1, 5)
		w.Firms.Employer[0].DesiredLabor = 1
		w.Firms.Employer[0].WageBill = 10
		w.Firms.Employer[1].DesiredLabor = 2
		w.Firms.Employer[2].DesiredLabor = 0
		systems.NewFirmsFireExcessWorkers(w).Update(w)
		fired := 0
		for j := 0; j < 4; j++ {
			h := w.Households.Worker[j]
			if h.Employer == 0 {
				if h.Fired || h.Wage == 0 || h.PeriodsLeft != 5 {
					t.Errorf("kept worker %d was modified: %+v", j, h)
				}
				continue
			}
			fired++
			want := components.Worker{Employer: -1, EmployerPrev: 0, Fired: true}
			if h != want {
				t.Errorf("laid-off worker %d = %+v, want %+v", j, h, want)
			}
		}
		if fired != 3 {
			t.Errorf("laid off %d of firm 0's workers, want 3", fired)
		}
		if got := w.Firms.Employer[0].CurrentLabor; got != 1 {
			t.Errorf("firm 0: L = %d, want 1", got)
		}
		if got := w.Firms.Employer[0].WageBill; got != 10 {
			t.Errorf("firm 0: wage bill = %v, want unchanged 10", got)
		}
		for j := 4; j < 6; j++ {
			if w.Households.Worker[j].Employer != 1 {
				t.Errorf("worker %d of firm 1 (no excess) was laid off", j)
			}
		}
		if got := w.Firms.Employer[1].CurrentLabor; got != 2 {
			t.Errorf("firm 1: L = %d, want 2", got)
		}
		if got := w.Econ.PlanningLayoffs; got != 3 {
			t.Errorf("planning layoffs = %d, want 3", got)
		}
	})
	t.Run("no excess: no draw", func(t *testing.T) {
		w := newWorld(t, 3, 8, 2)
		employ(w, 0, 0, 1, 5)
		w.Firms.Employer[0].DesiredLabor = 1
		w.Firms.Employer[1].DesiredLabor = 3
		before := randState(t, w)
		workers := slices.Clone(w.Households.Worker)
		systems.NewFirmsFireExcessWorkers(w).Update(w)
		if !sameRand(before, randState(t, w)) {
			t.Errorf("random stream advanced although no firm has excess labour")
		}
		if !slices.Equal(workers, w.Households.Worker) {
			t.Errorf("households changed although no firm has excess labour")
		}
	})
}

// ---------------------------------------------------------------------------
// Phase 2 — labour market (spec §5.7–5.12)

// TestInflationRate checks §5.7.
func TestInflationRate(t *testing.T) {
	cases := []struct {
		name string
		hist []float64
		want func(h []float64) float64
	}{
		{"t=1", []float64{0.5}, nil},
		{"t=4", []float64{0.5, 0.6, 0.7, 0.8}, nil},
		{"t=5 difference over base", []float64{0.7, 9, 9, 9, 0.73}, func(h []float64) float64 { return (h[4] - h[0]) / h[0] }},
		{"t=7 uses hist[len-5]", []float64{1, 1, 0.7, 2, 3, 4, 0.73}, func(h []float64) float64 { return (h[6] - h[2]) / h[2] }},
		{"deflation", []float64{1.3, 1, 1, 1, 1.1}, func(h []float64) float64 { return (h[4] - h[0]) / h[0] }},
		{"base zero", []float64{0, 1, 1, 1, 1}, nil},
		{"base negative", []float64{-1, 1, 1, 1, 1}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2)
			w.Econ.AvgPriceHistory = slices.Clone(c.hist)
			w.Econ.InflationHistory = make([]float64, len(c.hist))
			systems.CalcInflationRate{}.Update(w)
			if n := len(w.Econ.InflationHistory); n != len(c.hist)+1 {
				t.Fatalf("inflation history has %d entries, want %d", n, len(c.hist)+1)
			}
			want := 0.0
			if c.want != nil {
				want = c.want(c.hist)
			}
			// exact: the difference-over-base form, not ratio − 1
			if got := w.Econ.Inflation(); got != want {
				t.Errorf("π = %v, want %v", got, want)
			}
		})
	}
	// The form matters: for 0.73 over 0.7 the two forms differ in the last bit.
	a, b := 0.73, 0.7
	if (a-b)/b == a/b-1 {
		t.Fatalf("test values do not distinguish the two forms")
	}
}

// TestMinimumWage checks §5.8: revisions happen only when n = len(history)
// satisfies n > m and (n−1) mod m = 0, move ŵ by (1+π) in both directions,
// and raise (never cut) the wages of employed households below the new ŵ.
func TestMinimumWage(t *testing.T) {
	type tc struct {
		m    int
		n    int
		pi   float64
		want bool
	}
	var cases []tc
	for n := 1; n <= 14; n++ {
		cases = append(cases, tc{4, n, 0.2, n == 5 || n == 9 || n == 13})
	}
	cases = append(cases, tc{4, 9, -0.2, true}, tc{2, 3, 0.2, true}, tc{2, 4, 0.2, false}, tc{2, 2, 0.2, false}, tc{1, 2, 0.2, true}, tc{1, 1, 0.2, false})
	for _, c := range cases {
		w := newWorld(t, 3, 6, 2, func(p *ecs.Params) { p.MinWageRevPeriod = c.m })
		w.Econ.AvgPriceHistory = make([]float64, c.n)
		w.Econ.InflationHistory = make([]float64, c.n)
		w.Econ.InflationHistory[c.n-1] = c.pi
		w.Econ.MinWage = 1
		employ(w, 0, 0, 1.1, 3) // below the raised floor 1.2
		employ(w, 1, 0, 1.5, 3) // above it
		employ(w, 2, 1, 0.9, 3) // below both the raised and the lowered floor
		w.Households.Worker[3].Wage = 0
		systems.AdjustMinimumWage{}.Update(w)
		wantMW := 1.0
		if c.want {
			wantMW = 1 + c.pi
		}
		if got := w.Econ.MinWage; got != wantMW {
			t.Errorf("m=%d n=%d π=%v: ŵ = %v, want %v", c.m, c.n, c.pi, got, wantMW)
		}
		wantW := []float64{max(1.1, wantMW), 1.5, max(0.9, wantMW), 0}
		if !c.want {
			wantW = []float64{1.1, 1.5, 0.9, 0}
		}
		for j, ww := range wantW {
			if got := w.Households.Worker[j].Wage; got != ww {
				t.Errorf("m=%d n=%d π=%v: household %d wage = %v, want %v", c.m, c.n, c.pi, j, got, ww)
			}
		}
	}
}

// TestWageOffer checks §5.9: offers rise by ξ only for firms with vacancies,
// everybody is floored at ŵ, and ξ is drawn for every firm.
func TestWageOffer(t *testing.T) {
	w := newWorld(t, 5, 6, 2)
	w.Econ.MinWage = 0.5
	hxi := w.Params.HXi
	offers := []float64{1, 1, 0.3, 0.1, 0.49}
	vac := []int32{2, 0, 0, 3, 1}
	for i := range offers {
		w.Firms.Employer[i].WageOffer = offers[i]
		w.Firms.Employer[i].NVacancies = vac[i]
	}
	systems.FirmsDecideWageOffer{}.Update(w)
	e := w.Firms.Employer
	if got := e[0].WageOffer; got <= 1 || got > 1+hxi {
		t.Errorf("firm with vacancies: offer 1 → %v, want in (1, %v]", got, 1+hxi)
	}
	if got := e[1].WageOffer; got != 1 {
		t.Errorf("firm without vacancies: offer 1 → %v, want unchanged", got)
	}
	if got := e[2].WageOffer; got != 0.5 {
		t.Errorf("firm without vacancies below ŵ: offer → %v, want ŵ 0.5", got)
	}
	if got := e[3].WageOffer; got != 0.5 {
		t.Errorf("firm with vacancies far below ŵ: offer → %v, want ŵ 0.5", got)
	}
	if got := e[4].WageOffer; got < 0.5 || got > 0.49*(1+hxi) {
		t.Errorf("firm with vacancies just below ŵ: offer → %v, want max(ŵ, 0.49(1+ξ))", got)
	}
	// the number of draws does not depend on vacancies
	w2 := newWorld(t, 5, 6, 2)
	for i := range offers {
		w2.Firms.Employer[i].WageOffer = offers[i]
	}
	systems.FirmsDecideWageOffer{}.Update(w2)
	if !sameRand(randState(t, w), randState(t, w2)) {
		t.Errorf("random stream advanced differently with and without vacancies: ξ is not drawn for every firm")
	}
}

// TestFirmsToApply checks §5.10 deterministic cases: queue length
// min(M, |pool|), sorting by wage descending, the loyalty rule and its
// conditions, the flag reset and the vacancies_only pool.
func TestFirmsToApply(t *testing.T) {
	// wage offers: firm i has offer wages[i]; descending order is 2,0,4,1,3.
	wages := []float64{0.9, 0.5, 1.0, 0.3, 0.7}
	desc := []int32{2, 0, 4, 1, 3}
	type hh struct {
		employed       bool
		prev           int32
		expired, fired bool
	}
	cases := []struct {
		name    string
		m       int
		method  string
		vac     []int32
		h       hh
		want    []int32 // exact queue (non-empty prefix); nil = no queue
		wantLen int
	}{
		{name: "not loyal: sorted by wage", m: 5, h: hh{prev: -1}, want: desc},
		{name: "loyal after natural expiry: former employer first", m: 5, h: hh{prev: 3, expired: true}, want: []int32{3, 2, 0, 4, 1}},
		{name: "loyal to the best payer", m: 5, h: hh{prev: 2, expired: true}, want: desc},
		{name: "fired: not loyal", m: 5, h: hh{prev: 3, expired: true, fired: true}, want: desc},
		{name: "laid off at credit stage: not loyal", m: 5, h: hh{prev: 3, fired: true}, want: desc},
		{name: "no previous employer", m: 5, h: hh{prev: -1, expired: true}, want: desc},
		{name: "M larger than NF", m: 7, h: hh{prev: 1, expired: true}, want: []int32{1, 2, 0, 4, 3}},
		{name: "employed: no queue", m: 5, h: hh{employed: true, prev: 3}, want: nil},
		{name: "vacancies_only pool", m: 5, method: ecs.JobSearchVacanciesOnly, vac: []int32{1, 0, 2, 0, 1}, h: hh{prev: -1}, want: []int32{2, 0, 4}},
		{name: "vacancies_only: former employer without vacancies is not loyal", m: 5, method: ecs.JobSearchVacanciesOnly, vac: []int32{1, 0, 2, 0, 1}, h: hh{prev: 3, expired: true}, want: []int32{2, 0, 4}},
		{name: "vacancies_only: loyal to a pool member", m: 5, method: ecs.JobSearchVacanciesOnly, vac: []int32{1, 0, 2, 0, 1}, h: hh{prev: 4, expired: true}, want: []int32{4, 2, 0}},
		{name: "sampled subset, not loyal", m: 3, h: hh{prev: -1}, wantLen: 3},
		{name: "M = 1: a single application", m: 1, h: hh{prev: -1}, wantLen: 1},
		{name: "M = 1, loyal: only the former employer", m: 1, h: hh{prev: 3, expired: true}, want: []int32{3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 5, 4, 2, func(p *ecs.Params) {
				p.MaxM = c.m
				if c.method != "" {
					p.JobSearchMethod = c.method
				}
			})
			for i, x := range wages {
				w.Firms.Employer[i].WageOffer = x
				if c.vac != nil {
					w.Firms.Employer[i].NVacancies = c.vac[i]
				}
			}
			h := &w.Households.Worker[0]
			h.EmployerPrev, h.ContractExpired, h.Fired = c.h.prev, c.h.expired, c.h.fired
			if c.h.employed {
				employ(w, 0, 1, 0.5, 3)
				h.EmployerPrev = c.h.prev
			}
			apply := systems.NewWorkersDecideFirmsToApply(w, systems.Plain)
			systems.LaborMarketOf(w).Apply(0, []int32{4}) // stale applications must be replaced
			apply.Update(w)
			got := jobApps(w, 0)
			if c.want == nil && c.wantLen == 0 {
				if len(got) != 0 {
					t.Errorf("employed household has applications %v, want none", got)
				}
				return
			}
			if c.want != nil && !slices.Equal(got, c.want) {
				t.Errorf("queue = %v, want %v", got, c.want)
			}
			if c.wantLen > 0 {
				if len(got) != c.wantLen {
					t.Errorf("queue %v has %d entries, want %d", got, len(got), c.wantLen)
				}
				for a := 1; a < len(got); a++ {
					if wages[got[a-1]] < wages[got[a]] {
						t.Errorf("queue %v not sorted by wage descending", got)
					}
				}
				seen := map[int32]bool{}
				for _, f := range got {
					if seen[f] {
						t.Errorf("queue %v has duplicates", got)
					}
					seen[f] = true
				}
			}
			if !c.h.employed && (h.ContractExpired || h.Fired) {
				t.Errorf("flags not reset: contract_expired=%v fired=%v", h.ContractExpired, h.Fired)
			}
		})
	}
	t.Run("vacancies_only with empty pool keeps flags", func(t *testing.T) {
		w := newWorld(t, 5, 4, 2, func(p *ecs.Params) { p.JobSearchMethod = ecs.JobSearchVacanciesOnly })
		h := &w.Households.Worker[0]
		h.EmployerPrev, h.ContractExpired = 1, true
		w.Households.Worker[1].Fired = true
		apply := systems.NewWorkersDecideFirmsToApply(w, systems.Plain)
		systems.LaborMarketOf(w).Apply(0, []int32{2}) // stale
		apply.Update(w)
		for j := range w.Households.Worker {
			if q := jobApps(w, j); len(q) != 0 {
				t.Errorf("household %d: applications %v, want none (empty pool)", j, q)
			}
		}
		if !h.ContractExpired || !w.Households.Worker[1].Fired {
			t.Errorf("flags were reset although the pool is empty")
		}
	})
}

// TestFirmsToApplyLoyalDropsLowest checks the statistical side of the loyalty
// rule (§5.10): when the former employer was not drawn, the lowest-wage
// entry is dropped. With 3 firms (offers 3 > 2 > 1), M = 2 and loyalty to
// the best payer 0, the queue is [0, 1] with probability 2/3 and [0, 2] with
// probability 1/3; dropping the highest entry instead would give [0, 2] with
// probability 2/3.
func TestFirmsToApplyLoyalDropsLowest(t *testing.T) {
	const nh = 3000
	w := newWorld(t, 3, nh, 2, func(p *ecs.Params) { p.MaxM = 2 })
	for i, x := range []float64{3, 2, 1} {
		w.Firms.Employer[i].WageOffer = x
	}
	for j := range w.Households.Worker {
		h := &w.Households.Worker[j]
		h.EmployerPrev, h.ContractExpired = 0, true
	}
	systems.NewWorkersDecideFirmsToApply(w, systems.Plain).Update(w)
	with2 := 0
	for j := 0; j < nh; j++ {
		q := jobApps(w, j)
		switch {
		case len(q) != 2:
			t.Fatalf("household %d: queue %v, want two firms", j, q)
		case q[0] == 0 && q[1] == 1:
		case q[0] == 0 && q[1] == 2:
			with2++
		default:
			t.Fatalf("household %d: queue %v, want [0 1] or [0 2]", j, q)
		}
	}
	if share := float64(with2) / nh; share < 0.25 || share > 0.42 {
		t.Errorf("share of queues [0 2] = %.3f, want ≈ 1/3", share)
	}
}

// TestLaborMarketRound checks §5.11 on a small example: validity as of the
// start of the round, random acceptance up to vacancies, contract terms,
// the applications left; with the market's list of seekers and with the
// plain scan of every household.
func TestLaborMarketRound(t *testing.T) {
	for _, paths := range []systems.Paths{systems.Specialised, systems.Plain} {
		t.Run(fmt.Sprint("paths=", paths), func(t *testing.T) { testLaborMarketRound(t, paths) })
	}
}

func testLaborMarketRound(t *testing.T, paths systems.Paths) {
	w := newWorld(t, 3, 4, 2, func(p *ecs.Params) { p.MaxM = 2; p.Theta = 6 })
	e := w.Firms.Employer
	e[0].NVacancies, e[0].WageOffer = 1, 0.8
	e[1].NVacancies, e[1].WageOffer = 0, 0.9
	e[2].NVacancies, e[2].WageOffer = 3, 0.7
	round := systems.NewLaborMarketRound(w, paths)
	lm := systems.LaborMarketOf(w)
	for j, q := range [][]int32{{0, 2}, {0, 2}, {1, 2}, {2}} {
		lm.Apply(int32(j), q)
	}
	round.Update(w)
	hw := w.Households.Worker
	// households 0 and 1 compete for firm 0's single vacancy
	if (hw[0].Employer == 0) == (hw[1].Employer == 0) {
		t.Fatalf("firm 0 (1 vacancy, 2 applicants): employers %d and %d, want exactly one hire", hw[0].Employer, hw[1].Employer)
	}
	winner, loser := 0, 1
	if hw[1].Employer == 0 {
		winner, loser = 1, 0
	}
	if h := hw[winner]; h.Wage != 0.8 || h.PeriodsLeft != 6 || h.Fired || h.ContractExpired {
		t.Errorf("hired worker %+v, want wage 0.8, 6 periods", h)
	}
	if q := jobApps(w, winner); len(q) != 0 {
		t.Errorf("hired worker has applications %v left, want none", q)
	}
	if q := jobApps(w, loser); !slices.Equal(q, []int32{2}) || hw[loser].Employer != -1 {
		t.Errorf("rejected worker: employer %d, applications %v; want -1 and [2]", hw[loser].Employer, q)
	}
	if q := jobApps(w, 2); hw[2].Employer != -1 || !slices.Equal(q, []int32{2}) {
		t.Errorf("application to a firm without vacancies: employer %d, applications %v; want -1 and [2]", hw[2].Employer, q)
	}
	if hw[3].Employer != 2 || hw[3].Wage != 0.7 {
		t.Errorf("worker 3: %+v, want hired by firm 2 at 0.7", hw[3])
	}
	if e[0].CurrentLabor != 1 || e[0].NVacancies != 0 || e[2].CurrentLabor != 1 || e[2].NVacancies != 2 {
		t.Errorf("firms: L0=%d V0=%d L2=%d V2=%d, want 1 0 1 2", e[0].CurrentLabor, e[0].NVacancies, e[2].CurrentLabor, e[2].NVacancies)
	}
	if got := lm.Seekers(); !slices.Equal(got, []int32{int32(loser), 2}) {
		t.Errorf("seekers after round 1: %v, want [%d 2]", got, loser)
	}
	// second round: the loser and worker 2 try firm 2, which has room
	systems.NewLaborMarketRound(w, paths).Update(w)
	if hw[loser].Employer != 2 || hw[2].Employer != 2 || e[2].CurrentLabor != 3 || e[2].NVacancies != 0 {
		t.Errorf("round 2: employers %d %d, L2=%d V2=%d; want both at firm 2, L2=3, V2=0", hw[loser].Employer, hw[2].Employer, e[2].CurrentLabor, e[2].NVacancies)
	}
	if got := lm.Seekers(); len(got) != 0 {
		t.Errorf("seekers after round 2: %v, want none", got)
	}
}

// TestLaborMarketApplications checks the labour market's own contract:
// Apply replaces a household's applications, an empty list and Withdraw
// withdraw them, Reset withdraws everybody's, and Seekers lists the
// households with applications left in household order, once each,
// whatever the order of the Apply calls.
func TestLaborMarketApplications(t *testing.T) {
	for _, paths := range []systems.Paths{systems.Specialised, systems.Plain} {
		t.Run(fmt.Sprint("paths=", paths), func(t *testing.T) {
			w := newWorld(t, 5, 8, 2, func(p *ecs.Params) { p.MaxM = 3 })
			systems.NewLaborMarketRound(w, paths) // sets the market's form
			lm := systems.LaborMarketOf(w)
			if lm.MaxApplications() != 3 {
				t.Fatalf("MaxApplications = %d, want 3", lm.MaxApplications())
			}
			lm.Apply(5, []int32{1, 2})
			lm.Apply(2, []int32{4})
			lm.Apply(5, []int32{3, 0, 1}) // replaces, listed once
			lm.Apply(7, []int32{0})
			lm.Apply(6, nil) // nothing to apply to
			if got := lm.Seekers(); !slices.Equal(got, []int32{2, 5, 7}) {
				t.Errorf("seekers %v, want [2 5 7]", got)
			}
			if got := lm.Applications(5); !slices.Equal(got, []int32{3, 0, 1}) {
				t.Errorf("applications of 5: %v, want [3 0 1]", got)
			}
			lm.Withdraw(2)
			lm.Apply(7, nil)
			if got := lm.Seekers(); !slices.Equal(got, []int32{5}) {
				t.Errorf("seekers after withdrawals %v, want [5]", got)
			}
			lm.Apply(2, []int32{1}) // back in, before 5
			if got := lm.Seekers(); !slices.Equal(got, []int32{2, 5}) {
				t.Errorf("seekers %v, want [2 5]", got)
			}
			lm.Reset()
			if got := lm.Seekers(); len(got) != 0 || lm.Applications(5) != nil {
				t.Errorf("after Reset: seekers %v, applications of 5 %v; want none", got, lm.Applications(5))
			}
			defer func() {
				if recover() == nil {
					t.Error("Apply with more than max_M firms did not panic")
				}
			}()
			lm.Apply(1, []int32{0, 1, 2, 3})
		})
	}
}

// TestWageBill checks §5.12.
func TestWageBill(t *testing.T) {
	w := newWorld(t, 3, 6, 2)
	employ(w, 0, 0, 1.5, 3)
	employ(w, 1, 0, 2.25, 1)
	employ(w, 2, 2, 0.5, 8)
	w.Firms.Employer[1].WageBill = 7 // stale; firm 1 has no employees
	systems.NewFirmsCalcWageBill(w).Update(w)
	for i, want := range []float64{3.75, 0, 0.5} {
		if got := w.Firms.Employer[i].WageBill; got != want {
			t.Errorf("firm %d: wage bill = %v, want %v", i, got, want)
		}
	}
}

// ---------------------------------------------------------------------------
// Phase 3 — credit market (spec §5.13–5.19)

// TestCreditSupplyAndRate checks §5.13 and §5.14.
func TestCreditSupplyAndRate(t *testing.T) {
	w := newWorld(t, 3, 6, 3)
	for k, e := range []float64{5, 0, -1} {
		w.Banks.Lender[k].EquityBase = e
	}
	systems.BanksDecideCreditSupply{}.Update(w)
	for k, want := range []float64{50, 0, 0} {
		if got := w.Banks.Lender[k].CreditSupply; !near(got, want) {
			t.Errorf("bank %d: supply = %v, want %v", k, got, want)
		}
	}
	systems.BanksDecideInterestRate{}.Update(w)
	for k, b := range w.Banks.Lender {
		if b.OpexShock < 0 || b.OpexShock >= w.Params.HPhi {
			t.Errorf("bank %d: φ = %v, want in [0, %v)", k, b.OpexShock, w.Params.HPhi)
		}
		if want := w.Params.RBar * (1 + b.OpexShock); b.InterestRate != want {
			t.Errorf("bank %d: rate = %v, want r̄(1+φ) = %v", k, b.InterestRate, want)
		}
	}
	if w.Banks.Lender[0].OpexShock == w.Banks.Lender[1].OpexShock {
		t.Errorf("banks share one φ draw")
	}
}

// TestCreditDemandAndFragility checks §5.15 and §5.16.
func TestCreditDemandAndFragility(t *testing.T) {
	cases := []struct {
		name                   string
		wageBill, cash, nw     float64
		wantDemand, wantFragil float64
	}{
		{"covered", 3, 5, 5, 0, 0},
		{"gap", 8, 5, 5, 3, 0.6},
		{"fragility not capped", 55, 5, 1, 50, 50},
		{"zero net worth", 8, 5, 0, 3, 10},
		{"negative net worth", 8, 5, -2, 3, 10},
	}
	w := newWorld(t, len(cases), 6, 2)
	for i, c := range cases {
		w.Firms.Employer[i].WageBill = c.wageBill
		w.Firms.Borrower[i].TotalFunds = c.cash
		w.Firms.Borrower[i].NetWorth = c.nw
	}
	systems.FirmsDecideCreditDemand{}.Update(w)
	systems.FirmsCalcFinancialFragility{}.Update(w)
	for i, c := range cases {
		b := w.Firms.Borrower[i]
		if !near(b.CreditDemand, c.wantDemand) || !near(b.ProjectedFragility, c.wantFragil) {
			t.Errorf("%s: demand %v fragility %v, want %v %v", c.name, b.CreditDemand, b.ProjectedFragility, c.wantDemand, c.wantFragil)
		}
	}
}

// TestPrepareLoanApplications checks §5.17: the book is purged, borrowers
// get min(max_H, #lenders) distinct lenders sorted by posted rate, and
// everybody else an empty queue.
func TestPrepareLoanApplications(t *testing.T) {
	rates := []float64{0.05, 0.02, 0.04, 0.03}
	cases := []struct {
		name    string
		maxH    int
		supply  []float64
		wantLen int
	}{
		{"two of three lenders", 2, []float64{10, 0, 10, 10}, 2},
		{"all lenders when H ≥ #lenders", 4, []float64{10, 0, 10, 10}, 3},
		{"single lender", 3, []float64{0, 0, 10, 0}, 1},
		{"no lender", 2, []float64{0, 0, 0, 0}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 40, 6, 4, func(p *ecs.Params) { p.MaxH = c.maxH })
			w.Loans.Append(0, 0, 1, 0.1)
			w.Loans.Append(3, 2, 1, 0.1)
			for k := range w.Banks.Lender {
				w.Banks.Lender[k].InterestRate = rates[k]
				w.Banks.Lender[k].CreditSupply = c.supply[k]
			}
			prepare := systems.NewFirmsPrepareLoanApplications(w)
			for i := range w.Firms.Borrower {
				if i%2 == 0 {
					w.Firms.Borrower[i].CreditDemand = 1
				}
				systems.CreditMarketOf(w).Apply(int32(i), []int32{0}) // stale
			}
			prepare.Update(w)
			if n := w.Loans.Len(); n != 0 {
				t.Errorf("loan book has %d records after the purge", n)
			}
			for i := range w.Firms.Borrower {
				q := loanApps(w, i)
				if i%2 == 1 || c.wantLen == 0 {
					if len(q) != 0 {
						t.Errorf("firm %d (no demand or no lender): applications %v, want none", i, q)
					}
					continue
				}
				got := q
				if len(got) != c.wantLen {
					t.Errorf("firm %d: queue %v, want %d banks", i, q, c.wantLen)
				}
				for a, k := range got {
					if c.supply[k] <= 0 {
						t.Errorf("firm %d: queue %v holds bank %d without supply", i, q, k)
					}
					if a > 0 && rates[got[a-1]] >= rates[k] {
						t.Errorf("firm %d: queue %v not sorted by rate ascending (distinct banks)", i, q)
					}
				}
			}
		})
	}
}

// creditSetup prepares firms (net worth, demand, fragility, loan queue) and
// banks (supply, φ) for credit rounds.
type creditFirm struct {
	nw, demand, fragility float64
	queue                 []int32
}

func creditWorld(t *testing.T, firms []creditFirm, supply, phi []float64, opts ...func(*ecs.Params)) *ecs.World {
	t.Helper()
	maxH := 0
	for _, f := range firms {
		maxH = max(maxH, len(f.queue))
	}
	opts = append([]func(*ecs.Params){func(p *ecs.Params) { p.MaxH = max(maxH, 1) }}, opts...)
	w := newWorld(t, len(firms), 6, len(supply), opts...)
	for i, f := range firms {
		b := &w.Firms.Borrower[i]
		b.NetWorth, b.TotalFunds, b.CreditDemand, b.ProjectedFragility = f.nw, f.nw, f.demand, f.fragility
		systems.CreditMarketOf(w).Apply(int32(i), f.queue)
	}
	for k := range supply {
		w.Banks.Lender[k].CreditSupply = supply[k]
		w.Banks.Lender[k].OpexShock = phi[k]
	}
	return w
}

type loanRec struct {
	firm, bank      int32
	principal, rate float64
}

func bookRecords(w *ecs.World) []loanRec {
	var out []loanRec
	b := w.Loans
	for r := range b.Borrower {
		out = append(out, loanRec{b.Borrower[r], b.Lender[r], b.Principal[r], b.Rate[r]})
	}
	slices.SortFunc(out, func(a, b loanRec) int {
		if a.firm != b.firm {
			return int(a.firm - b.firm)
		}
		return int(a.bank - b.bank)
	})
	return out
}

func sameRecords(got, want []loanRec) bool {
	if len(got) != len(want) {
		return false
	}
	for r := range got {
		g, x := got[r], want[r]
		if g.firm != x.firm || g.bank != x.bank || !near(g.principal, x.principal) || !near(g.rate, x.rate) {
			return false
		}
	}
	return true
}

// TestCreditMarketRound checks §5.18: the per-loan cap of
// max_loan_to_net_worth × net worth with the capped firm moving on to its
// next bank in round 2, fragility ordering with the partial loan at the
// boundary, ties by firm id, the rate formula with the leverage cap, and
// banks without supply at the start of a round.
func TestCreditMarketRound(t *testing.T) {
	const rbar = 0.02
	type round struct {
		loans  []loanRec // whole book after the round
		supply []float64 // per bank after the round
		demand []float64 // per firm after the round
		cash   []float64 // per firm after the round
	}
	cases := []struct {
		name   string
		firms  []creditFirm
		supply []float64
		phi    []float64
		opts   []func(*ecs.Params)
		rounds []round
	}{
		{
			name: "per-loan cap, capped firm borrows again in round 2",
			firms: []creditFirm{
				{nw: 10, demand: 50, fragility: 5, queue: []int32{0, 1}},
				{nw: 10, demand: 0, fragility: 0, queue: []int32{0, 1}},
				{nw: 100, demand: 3, fragility: 0.03, queue: []int32{1, 0}},
			},
			supply: []float64{100, 100},
			phi:    []float64{0.05, 0.08},
			rounds: []round{
				{
					loans:  []loanRec{{0, 0, 20, rbar * (1 + 0.05*5)}, {2, 1, 3, rbar * (1 + 0.08*0.03)}},
					supply: []float64{80, 97},
					demand: []float64{30, 0, 0},
					cash:   []float64{30, 10, 103},
				},
				{
					loans:  []loanRec{{0, 0, 20, rbar * (1 + 0.05*5)}, {0, 1, 20, rbar * (1 + 0.08*5)}, {2, 1, 3, rbar * (1 + 0.08*0.03)}},
					supply: []float64{80, 77},
					demand: []float64{10, 0, 0},
					cash:   []float64{50, 10, 103},
				},
			},
		},
		{
			name: "fragility order, id tie-break, partial loan at the boundary",
			firms: []creditFirm{
				{nw: 1000, demand: 4, fragility: 0.4, queue: []int32{0}},
				{nw: 1000, demand: 5, fragility: 0.1, queue: []int32{0}},
				{nw: 1000, demand: 3, fragility: 0.2, queue: []int32{0}},
				{nw: 1000, demand: 3, fragility: 0.2, queue: []int32{0}},
			},
			supply: []float64{10},
			phi:    []float64{0.1},
			rounds: []round{{
				loans:  []loanRec{{1, 0, 5, rbar * (1 + 0.1*0.1)}, {2, 0, 3, rbar * (1 + 0.1*0.2)}, {3, 0, 2, rbar * (1 + 0.1*0.2)}},
				supply: []float64{0},
				demand: []float64{4, 0, 0, 1},
				cash:   []float64{1000, 1005, 1003, 1002},
			}},
		},
		{
			name: "leverage cap in the rate",
			firms: []creditFirm{
				{nw: 1, demand: 50, fragility: 50, queue: []int32{0}},
				{nw: 10, demand: 5, fragility: 0.5, queue: []int32{0}},
			},
			supply: []float64{100},
			phi:    []float64{0.1},
			rounds: []round{{
				loans:  []loanRec{{0, 0, 2, rbar * (1 + 0.1*10)}, {1, 0, 5, rbar * (1 + 0.1*0.5)}},
				supply: []float64{93},
				demand: []float64{48, 0},
				cash:   []float64{3, 15},
			}},
		},
		{
			name: "no leverage cap, no loan cap",
			firms: []creditFirm{
				{nw: 1, demand: 50, fragility: 50, queue: []int32{0}},
			},
			supply: []float64{100},
			phi:    []float64{0.1},
			opts:   []func(*ecs.Params){func(p *ecs.Params) { p.MaxLeverage = 0; p.MaxLoanToNetWorth = 0 }},
			rounds: []round{{
				loans:  []loanRec{{0, 0, 50, rbar * (1 + 0.1*50)}},
				supply: []float64{50},
				demand: []float64{0},
				cash:   []float64{51},
			}},
		},
		{
			name: "bank with supply ≤ EPS is skipped, firm moves on",
			firms: []creditFirm{
				{nw: 10, demand: 4, fragility: 0.4, queue: []int32{0, 1}},
			},
			supply: []float64{1e-10, 50},
			phi:    []float64{0.01, 0.02},
			rounds: []round{
				{loans: nil, supply: []float64{1e-10, 50}, demand: []float64{4}, cash: []float64{10}},
				{loans: []loanRec{{0, 1, 4, rbar * (1 + 0.02*0.4)}}, supply: []float64{1e-10, 46}, demand: []float64{0}, cash: []float64{14}},
			},
		},
		{
			name: "bank runs dry, rejected firm moves on",
			firms: []creditFirm{
				{nw: 50, demand: 5, fragility: 0.1, queue: []int32{0, 1}},
				{nw: 25, demand: 5, fragility: 0.2, queue: []int32{0, 1}},
			},
			supply: []float64{5, 50},
			phi:    []float64{0.01, 0.02},
			rounds: []round{
				{loans: []loanRec{{0, 0, 5, rbar * (1 + 0.01*0.1)}}, supply: []float64{0, 50}, demand: []float64{0, 5}, cash: []float64{55, 25}},
				{loans: []loanRec{{0, 0, 5, rbar * (1 + 0.01*0.1)}, {1, 1, 5, rbar * (1 + 0.02*0.2)}}, supply: []float64{0, 45}, demand: []float64{0, 0}, cash: []float64{55, 30}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := creditWorld(t, c.firms, c.supply, c.phi, c.opts...)
			for r, want := range c.rounds {
				systems.NewCreditMarketRound(w).Update(w)
				if got := bookRecords(w); !sameRecords(got, want.loans) {
					t.Errorf("round %d: loans %+v, want %+v", r+1, got, want.loans)
				}
				for k, s := range want.supply {
					if got := w.Banks.Lender[k].CreditSupply; !near(got, s) {
						t.Errorf("round %d: bank %d supply %v, want %v", r+1, k, got, s)
					}
				}
				for i := range want.demand {
					b := w.Firms.Borrower[i]
					if !near(b.CreditDemand, want.demand[i]) || !near(b.TotalFunds, want.cash[i]) {
						t.Errorf("round %d: firm %d demand %v cash %v, want %v %v", r+1, i, b.CreditDemand, b.TotalFunds, want.demand[i], want.cash[i])
					}
				}
			}
		})
	}
}

// TestFireWorkers checks §5.19: layoffs in random order until the fired
// wages cover the gap (shortest prefix), everybody if they never do; L and W
// fall accordingly; nothing (and no draw) without a gap.
func TestFireWorkers(t *testing.T) {
	cases := []struct {
		name      string
		wages     []float64
		cash      float64
		wantFired int // −1: check the prefix property only
	}{
		{"equal wages: two cover 1.5", []float64{1, 1, 1}, 1.5, 2},
		{"gap exactly one wage", []float64{1, 1, 1}, 2, 1},
		{"any single worker covers a small gap", []float64{1, 2, 3}, 5.5, 1},
		{"unequal wages: shortest prefix", []float64{1, 2, 3, 4}, 3, -1},
		{"gap beyond workforce fires everybody", []float64{1, 2}, -1, 2},
		{"gap ≤ EPS: nobody", []float64{1, 2}, 3 - 0.5e-9, 0},
		{"no gap: nobody", []float64{1, 2}, 5, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 2, len(c.wages)+1, 2)
			sum := 0.0
			for j, x := range c.wages {
				employ(w, j, 0, x, 4)
				sum += x
			}
			employ(w, len(c.wages), 1, 5, 4)
			w.Firms.Employer[1].WageBill = 5
			w.Firms.Borrower[1].TotalFunds = 5
			w.Firms.Employer[0].WageBill = sum
			w.Firms.Borrower[0].TotalFunds = c.cash
			gap := sum - c.cash
			before := randState(t, w)
			systems.NewFirmsFireWorkers(w).Update(w)
			n, firedWages, kept := 0, 0.0, 0.0
			var victims []float64
			for j, x := range c.wages {
				h := w.Households.Worker[j]
				if h.Employer == 0 {
					kept += x
					continue
				}
				n++
				firedWages += x
				victims = append(victims, x)
				want := components.Worker{Employer: -1, EmployerPrev: 0, Fired: true}
				if h != want {
					t.Errorf("victim %d = %+v, want %+v", j, h, want)
				}
			}
			if c.wantFired >= 0 && n != c.wantFired {
				t.Errorf("laid off %d workers, want %d", n, c.wantFired)
			}
			if n > 0 && n < len(c.wages) {
				// Shortest covering prefix: the victims cover the gap, and
				// without the last victim they do not. The order is hidden,
				// but the last victim's wage is at most the largest one, so
				// the victims minus the largest wage must not cover the gap.
				if firedWages < gap {
					t.Errorf("fired wages %v do not cover the gap %v", firedWages, gap)
				}
				if firedWages-slices.Max(victims) >= gap {
					t.Errorf("fired wages %v cover the gap %v even without the largest victim: not the shortest prefix", firedWages, gap)
				}
			}
			e := w.Firms.Employer[0]
			if int(e.CurrentLabor) != len(c.wages)-n {
				t.Errorf("L = %d, want %d", e.CurrentLabor, len(c.wages)-n)
			}
			if !near(e.WageBill, kept) {
				t.Errorf("wage bill %v, want the remaining wages %v", e.WageBill, kept)
			}
			if n < len(c.wages) && e.WageBill > w.Firms.Borrower[0].TotalFunds+eps {
				t.Errorf("wage bill %v exceeds cash %v", e.WageBill, w.Firms.Borrower[0].TotalFunds)
			}
			if w.Econ.CreditLayoffs != n {
				t.Errorf("credit layoffs = %d, want %d", w.Econ.CreditLayoffs, n)
			}
			if w.Households.Worker[len(c.wages)].Employer != 1 || w.Firms.Employer[1].CurrentLabor != 1 {
				t.Errorf("firm 1 (no gap) lost its worker")
			}
			if n == 0 && !sameRand(before, randState(t, w)) {
				t.Errorf("random stream advanced although no firm has a gap")
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Phase 4 — production (spec §5.20–5.24)

// TestPayWagesAndReceive checks §5.20 and §5.21.
func TestPayWagesAndReceive(t *testing.T) {
	w := newWorld(t, 2, 3, 2)
	employ(w, 0, 0, 1.5, 2)
	employ(w, 1, 0, 0.5, 2)
	w.Firms.Employer[0].WageBill = 2
	w.Firms.Borrower[0].TotalFunds = 5
	w.Firms.Borrower[1].TotalFunds = 5
	w.Households.Consumer[0].Income = 0.25
	w.Households.Consumer[2].Income = 0.125
	systems.FirmsPayWages{}.Update(w)
	systems.WorkersReceiveWage{}.Update(w)
	if got := w.Firms.Borrower[0].TotalFunds; got != 3 {
		t.Errorf("firm 0 cash = %v, want 3", got)
	}
	if got := w.Firms.Borrower[1].TotalFunds; got != 5 {
		t.Errorf("firm 1 cash = %v, want 5", got)
	}
	for j, want := range []float64{1.75, 0.5, 0.125} {
		if got := w.Households.Consumer[j].Income; got != want {
			t.Errorf("household %d income = %v, want %v", j, got, want)
		}
	}
}

// TestRunProduction checks §5.22: Y = α·L, Y_prev = Y even when 0, and the
// inventory is overwritten.
func TestRunProduction(t *testing.T) {
	w := newWorld(t, 3, 6, 2)
	labor := []int32{4, 0, 3}
	alpha := []float64{0.5, 0.5, 2}
	for i := range labor {
		w.Firms.Employer[i].CurrentLabor = labor[i]
		f := &w.Firms.Producer[i]
		f.LaborProductivity = alpha[i]
		f.Inventory, f.ProductionPrev = 7, 9
	}
	systems.FirmsRunProduction{}.Update(w)
	for i, want := range []float64{2, 0, 6} {
		f := w.Firms.Producer[i]
		if f.Production != want || f.ProductionPrev != want || f.Inventory != want {
			t.Errorf("firm %d: production %v prev %v inventory %v, want all %v", i, f.Production, f.ProductionPrev, f.Inventory, want)
		}
	}
}

// TestAvgMarketPrice checks §4.5 / §5.23.
func TestAvgMarketPrice(t *testing.T) {
	cases := []struct {
		name  string
		price []float64
		prod  []float64
		prev  float64
		want  float64
	}{
		{"weighted", []float64{1, 2, 4}, []float64{1, 3, 0}, 0.5, (1 + 6) / 4.0},
		{"output below 1e-3 ignored", []float64{1, 2, 100}, []float64{1, 1, 0.9e-3}, 0.5, 1.5},
		{"output of 1e-3 counts", []float64{1, 1, 1001}, []float64{0.5, 0.499, 1e-3}, 0.5, (0.5 + 0.499 + 1.001) / 1.0},
		{"nothing produced keeps P̄", []float64{1, 2, 3}, []float64{0, 0, 1e-4}, 0.7, 0.7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2)
			w.Econ.AvgPrice = c.prev
			for i := range c.price {
				w.Firms.Producer[i].Price = c.price[i]
				w.Firms.Producer[i].Production = c.prod[i]
			}
			n := len(w.Econ.AvgPriceHistory)
			systems.UpdateAvgMktPrice{}.Update(w)
			if got := w.Econ.AvgPrice; !near(got, c.want) {
				t.Errorf("P̄ = %v, want %v", got, c.want)
			}
			h := w.Econ.AvgPriceHistory
			if len(h) != n+1 || h[n] != w.Econ.AvgPrice {
				t.Errorf("history %v: want P̄ appended", h)
			}
		})
	}
}

// TestUpdateContracts checks §5.24: countdown, expiry (flags, employer_prev,
// L decrement, wage bill kept) and the defensive periods_left 0 → 1.
func TestUpdateContracts(t *testing.T) {
	w := newWorld(t, 2, 5, 2)
	employ(w, 0, 0, 1, 3)
	employ(w, 1, 0, 1, 1)
	employ(w, 2, 1, 1, 0) // defensive: treated as 1, expires now
	w.Households.Worker[3] = components.Worker{Employer: -1, EmployerPrev: 1, Fired: true}
	w.Firms.Employer[0].WageBill = 2
	systems.WorkersUpdateContracts{}.Update(w)
	hw := w.Households.Worker
	if h := hw[0]; h.Employer != 0 || h.PeriodsLeft != 2 || h.Wage != 1 {
		t.Errorf("running contract: %+v, want employer 0, 2 periods left", h)
	}
	for _, c := range []struct{ j, firm int32 }{{1, 0}, {2, 1}} {
		want := components.Worker{Employer: -1, EmployerPrev: c.firm, ContractExpired: true}
		if h := hw[c.j]; h != want {
			t.Errorf("expired contract of household %d: %+v, want %+v", c.j, h, want)
		}
	}
	if h := hw[3]; h != (components.Worker{Employer: -1, EmployerPrev: 1, Fired: true}) {
		t.Errorf("unemployed household changed: %+v", h)
	}
	if l := w.Firms.Employer[0].CurrentLabor; l != 1 {
		t.Errorf("firm 0: L = %d, want 1", l)
	}
	if l := w.Firms.Employer[1].CurrentLabor; l != 0 {
		t.Errorf("firm 1: L = %d, want 0", l)
	}
	if wb := w.Firms.Employer[0].WageBill; wb != 2 {
		t.Errorf("wage bill = %v, want unchanged 2", wb)
	}
}

// ---------------------------------------------------------------------------
// Phase 5 — goods market (spec §5.25–5.29)

// TestPropensity checks §5.25: c = 1/(1+tanh(s/S̄)^β) with S̄ the mean of the
// unclamped savings, negative savings clamped, c in [0.5, 1].
func TestPropensity(t *testing.T) {
	cases := []struct {
		name    string
		savings []float64
	}{
		{"mixed", []float64{0, 1, 2, 5}},
		{"negative savings clamped, mean unclamped", []float64{-2, 1, 3, 6}},
		{"all zero", []float64{0, 0, 0, 0}},
		{"one very rich", []float64{0, 0, 0, 1e6}},
		{"tanh rounds to 1: c = 0.5", append(make([]float64, 24), 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 2, len(c.savings), 2)
			sum := 0.0
			for j, s := range c.savings {
				w.Households.Consumer[j].Savings = s
				sum += s
			}
			sbar := max(sum/float64(len(c.savings)), eps)
			systems.NewConsumersCalcPropensity(w, systems.Plain).Update(w)
			for j, s := range c.savings {
				cs := w.Households.Consumer[j]
				s = max(s, 0)
				want := 1 / (1 + math.Pow(math.Tanh(s/sbar), w.Params.Beta))
				if !near(cs.Propensity, want) {
					t.Errorf("household %d: c = %v, want %v", j, cs.Propensity, want)
				}
				if cs.Propensity < 0.5 || cs.Propensity > 1 {
					t.Errorf("household %d: c = %v outside [0.5, 1]", j, cs.Propensity)
				}
				if cs.Savings != s {
					t.Errorf("household %d: savings %v, want %v", j, cs.Savings, s)
				}
			}
		})
	}
}

// TestIncomeToSpend checks §5.26.
func TestIncomeToSpend(t *testing.T) {
	w := newWorld(t, 2, 3, 2)
	in := []struct{ s, inc, c float64 }{{1, 0.5, 0.8}, {0, 0, 1}, {2, 1, 0.5}}
	for j, x := range in {
		c := &w.Households.Consumer[j]
		c.Savings, c.Income, c.Propensity = x.s, x.inc, x.c
	}
	systems.ConsumersDecideIncomeToSpend{}.Update(w)
	for j, x := range in {
		c := w.Households.Consumer[j]
		wealth := x.s + x.inc
		if !near(c.IncomeToSpend, x.c*wealth) || !near(c.Savings+c.IncomeToSpend, wealth) || c.Income != 0 {
			t.Errorf("household %d: budget %v savings %v income %v, want %v, %v, 0", j, c.IncomeToSpend, c.Savings, c.Income, x.c*wealth, wealth-x.c*wealth)
		}
	}
}

// TestFirmsToVisit checks §5.27.
func TestFirmsToVisit(t *testing.T) {
	prices := []float64{0.5, 0.4, 0.3, 0.2, 0.1}
	prods := []float64{1, 5, 2, 3, 4}
	type hh struct {
		budget float64
		ptr    int32
	}
	cases := []struct {
		name       string
		matching   string
		z          int
		equalPrice bool
		equalProd  bool
		h          hh
		check      func(t *testing.T, q []int32, ptr int32)
	}{
		{name: "loyalty firm forced in, pointer to largest producer", z: 2, h: hh{1, 3}, check: func(t *testing.T, q []int32, ptr int32) {
			if !slices.Contains(q, 3) {
				t.Errorf("queue %v lacks the loyalty firm 3", q)
			}
		}},
		{name: "no budget: empty queue, pointer kept", z: 2, h: hh{0, 2}, check: func(t *testing.T, q []int32, ptr int32) {
			if len(q) != 0 || ptr != 2 {
				t.Errorf("queue %v pointer %d, want empty and 2", q, ptr)
			}
		}},
		{name: "budget ≤ EPS: empty queue", z: 2, h: hh{0.5e-9, 2}, check: func(t *testing.T, q []int32, ptr int32) {
			if len(q) != 0 || ptr != 2 {
				t.Errorf("queue %v pointer %d, want empty and 2", q, ptr)
			}
		}},
		{name: "Z ≥ NF: every firm by price", z: 6, h: hh{1, -1}, check: func(t *testing.T, q []int32, ptr int32) {
			if !slices.Equal(q, []int32{4, 3, 2, 1, 0}) || ptr != 1 {
				t.Errorf("queue %v pointer %d, want [4 3 2 1 0] and 1", q, ptr)
			}
		}},
		{name: "price tie: loyalty firm first", z: 2, equalPrice: true, h: hh{1, 3}, check: func(t *testing.T, q []int32, ptr int32) {
			if q[0] != 3 {
				t.Errorf("queue %v: want the loyalty firm 3 first on a price tie", q)
			}
		}},
		{name: "production tie: first in price order", z: 3, equalProd: true, h: hh{1, -1}, check: func(t *testing.T, q []int32, ptr int32) {
			if ptr != q[0] {
				t.Errorf("queue %v pointer %d, want the first firm on a production tie", q, ptr)
			}
		}},
		{name: "random matching: pointer never set", matching: ecs.MatchingRandom, z: 2, h: hh{1, 3}, check: func(t *testing.T, q []int32, ptr int32) {
			if ptr != 3 {
				t.Errorf("pointer %d, want unchanged 3", ptr)
			}
		}},
		{name: "random matching: no pointer stays -1", matching: ecs.MatchingRandom, z: 2, h: hh{1, -1}, check: func(t *testing.T, q []int32, ptr int32) {
			if ptr != -1 {
				t.Errorf("pointer %d, want -1", ptr)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 5, 3, 2, func(p *ecs.Params) {
				p.MaxZ = c.z
				if c.matching != "" {
					p.ConsumerMatching = c.matching
				}
			})
			for i := range prices {
				f := &w.Firms.Producer[i]
				f.Price, f.Production = prices[i], prods[i]
				if c.equalPrice {
					f.Price = 1
				}
				if c.equalProd {
					f.Production = 1
				}
			}
			cons := &w.Households.Consumer[0]
			cons.IncomeToSpend, cons.LargestProdPrev = c.h.budget, c.h.ptr
			visit := systems.NewConsumersDecideFirmsToVisit(w, systems.Plain)
			for j := range w.Households.Consumer {
				systems.GoodsMarketOf(w).SetList(int32(j), 0) // stale
			}
			visit.Update(w)
			q := shopList(w, 0)
			if c.h.budget > eps {
				if len(q) != min(c.z, 5) {
					t.Errorf("queue %v has %d firms, want %d", q, len(q), min(c.z, 5))
				}
				for a := 1; a < len(q); a++ {
					if w.Firms.Producer[q[a-1]].Price > w.Firms.Producer[q[a]].Price {
						t.Errorf("queue %v not sorted by price ascending", q)
					}
					if slices.Contains(q[:a], q[a]) {
						t.Errorf("queue %v has duplicates", q)
					}
				}
				if c.matching != ecs.MatchingRandom {
					best := q[0]
					for _, f := range q {
						if w.Firms.Producer[f].Production > w.Firms.Producer[best].Production {
							best = f
						}
					}
					if cons.LargestProdPrev != best {
						t.Errorf("pointer %d, want largest producer %d of %v", cons.LargestProdPrev, best, q)
					}
				}
			}
			for j := 1; j < 3; j++ {
				if got := shopList(w, j); len(got) != 0 {
					t.Errorf("household %d without budget has queue %v", j, got)
				}
			}
			c.check(t, q, cons.LargestProdPrev)
		})
	}
	t.Run("random matching does not force the old pointer", func(t *testing.T) {
		const nh = 400
		w := newWorld(t, 5, nh, 2, func(p *ecs.Params) { p.ConsumerMatching = ecs.MatchingRandom })
		for j := range w.Households.Consumer {
			w.Households.Consumer[j].IncomeToSpend = 1
			w.Households.Consumer[j].LargestProdPrev = 3
		}
		systems.NewConsumersDecideFirmsToVisit(w, systems.Plain).Update(w)
		with := 0
		for j := 0; j < nh; j++ {
			if slices.Contains(shopList(w, j), 3) {
				with++
			}
		}
		if share := float64(with) / nh; share > 0.55 || share < 0.25 {
			t.Errorf("share of lists with firm 3 = %.2f, want ≈ 0.4 (uniform 2 of 5)", share)
		}
	})
}

// TestGoodsMarket checks §5.28 on a small example: cheapest first, rationed
// buyers move on within their turn, inventory is shared sequentially.
func TestGoodsMarket(t *testing.T) {
	w := newWorld(t, 2, 3, 2)
	w.Firms.Producer[0].Price, w.Firms.Producer[0].Inventory, w.Firms.Producer[0].Production = 1, 1, 1
	w.Firms.Producer[1].Price, w.Firms.Producer[1].Inventory, w.Firms.Producer[1].Production = 2, 10, 10
	budgets := []float64{3, 2, 0}
	round := systems.NewGoodsMarketRound(w, systems.Plain)
	for j, b := range budgets {
		w.Households.Consumer[j].IncomeToSpend = b
		systems.GoodsMarketOf(w).SetList(int32(j), 0, 1)
	}
	round.Update(w)
	// firm 0's single unit goes to one buyer; the rest is spent at firm 1.
	if inv := w.Firms.Producer[0].Inventory; inv != 0 {
		t.Errorf("firm 0 inventory %v, want 0", inv)
	}
	if inv := w.Firms.Producer[1].Inventory; !near(inv, 10-2) {
		t.Errorf("firm 1 inventory %v, want 8 (4 spent at price 2)", inv)
	}
	for j := range budgets {
		if b := w.Households.Consumer[j].IncomeToSpend; math.Abs(b) > 1e-12 {
			t.Errorf("household %d has %v left, want 0", j, b)
		}
	}
}

// TestFinalizePurchases checks §5.29.
func TestFinalizePurchases(t *testing.T) {
	w := newWorld(t, 2, 2, 2)
	w.Households.Consumer[0].Savings, w.Households.Consumer[0].IncomeToSpend = 1, 0.5
	systems.ConsumersFinalizePurchases{}.Update(w)
	if c := w.Households.Consumer[0]; c.Savings != 1.5 || c.IncomeToSpend != 0 {
		t.Errorf("savings %v budget %v, want 1.5 and 0", c.Savings, c.IncomeToSpend)
	}
}

// ---------------------------------------------------------------------------
// Phase 6 — revenue (spec §5.30–5.32)

// TestCollectRevenue checks §5.30.
func TestCollectRevenue(t *testing.T) {
	w := newWorld(t, 2, 2, 2)
	f := &w.Firms.Producer[0]
	f.Price, f.Production, f.Inventory = 2, 5, 1.5
	w.Firms.Employer[0].WageBill = 3
	w.Firms.Borrower[0].TotalFunds = 1
	systems.FirmsCollectRevenue{}.Update(w)
	if b := w.Firms.Borrower[0]; b.TotalFunds != 8 || b.GrossProfit != 4 {
		t.Errorf("cash %v gross profit %v, want 8 and 4", b.TotalFunds, b.GrossProfit)
	}
	if b := w.Firms.Borrower[1]; b.GrossProfit != 0 {
		t.Errorf("firm without sales: gross profit %v, want 0", b.GrossProfit)
	}
}

// TestValidateDebt checks §5.31: repayment (interest into lender equity),
// default (cash 0, proportional recovery clamped to [0, p]), boundary at
// −EPS, net profit for every firm, records kept.
func TestValidateDebt(t *testing.T) {
	type loan struct {
		bank     int32
		p, rate  float64
		wantBank float64 // change of the lender's equity from this loan
	}
	cases := []struct {
		name       string
		cash, nw   float64
		gross      float64
		loans      []loan
		wantCash   float64
		wantProfit float64
	}{
		{"debt-free", 5, 10, 2, nil, 5, 2},
		{"repays", 100, 50, 3, []loan{{0, 10, 0.05, 0.5}, {1, 5, 0.1, 0.5}}, 84, 2},
		{"repays at −EPS/2 shortfall", 10.5 - 0.5e-9, 50, 1, []loan{{0, 10, 0.05, 0.5}}, -0.5e-9, 0.5},
		{"defaults: proportional recovery", 3, 6, -1, []loan{{0, 8, 0.05, -4}, {1, 4, 0.1, -2}}, 0, -1.8},
		{"defaults: recovery clamped at principal", 1, 1000, 0, []loan{{0, 8, 0.05, 0}, {1, 4, 0.1, 0}}, 0, -0.8},
		{"defaults: negative net worth recovers nothing", 1, -3, 0, []loan{{0, 8, 0.05, -8}}, 0, -0.4},
		{"defaults just beyond −EPS", 10.5 - 2e-9, 50, 1, []loan{{0, 10, 0.05, 0}}, 0, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 2, 2, 2)
			b := &w.Firms.Borrower[0]
			b.TotalFunds, b.NetWorth, b.GrossProfit, b.NetProfit = c.cash, c.nw, c.gross, 99
			w.Firms.Borrower[1].GrossProfit = 7
			w.Firms.Borrower[1].NetProfit = 99
			eq := []float64{5, 5}
			for k := range eq {
				w.Banks.Lender[k].EquityBase = eq[k]
			}
			want := slices.Clone(eq)
			for _, l := range c.loans {
				w.Loans.Append(0, l.bank, l.p, l.rate)
				want[l.bank] += l.wantBank
			}
			n := w.Loans.Len()
			systems.NewFirmsValidateDebtCommitments(w).Update(w)
			if got := b.TotalFunds; !near(got, c.wantCash) {
				t.Errorf("cash %v, want %v", got, c.wantCash)
			}
			if got := b.NetProfit; !near(got, c.wantProfit) {
				t.Errorf("net profit %v, want %v", got, c.wantProfit)
			}
			if got := w.Firms.Borrower[1].NetProfit; got != 7 {
				t.Errorf("debt-free firm 1: net profit %v, want gross profit 7", got)
			}
			for k := range want {
				if got := w.Banks.Lender[k].EquityBase; !near(got, want[k]) {
					t.Errorf("bank %d equity %v, want %v", k, got, want[k])
				}
			}
			if w.Loans.Len() != n {
				t.Errorf("loan book has %d records, want %d kept", w.Loans.Len(), n)
			}
		})
	}
}

// TestPayDividends checks §5.32: δ of positive net profit, shared equally,
// paid = received, dividends overwritten.
func TestPayDividends(t *testing.T) {
	w := newWorld(t, 3, 4, 2)
	profits := []float64{10, -5, 0}
	for i, p := range profits {
		w.Firms.Borrower[i].NetProfit = p
		w.Firms.Borrower[i].TotalFunds = 20
	}
	for j := range w.Households.Consumer {
		w.Households.Consumer[j].Savings = float64(j)
		w.Households.Shareholder[j].Dividends = 7
	}
	systems.FirmsPayDividends{}.Update(w)
	wantRet := []float64{9, -5, 0}
	wantCash := []float64{19, 20, 20}
	paid := 0.0
	for i := range profits {
		b := w.Firms.Borrower[i]
		if !near(b.RetainedProfit, wantRet[i]) || !near(b.TotalFunds, wantCash[i]) {
			t.Errorf("firm %d: retained %v cash %v, want %v %v", i, b.RetainedProfit, b.TotalFunds, wantRet[i], wantCash[i])
		}
		paid += 20 - b.TotalFunds
	}
	received := 0.0
	for j := range w.Households.Consumer {
		d := w.Households.Shareholder[j].Dividends
		if !near(d, 0.25) {
			t.Errorf("household %d: dividends %v, want 0.25", j, d)
		}
		if s := w.Households.Consumer[j].Savings; !near(s, float64(j)+0.25) {
			t.Errorf("household %d: savings %v, want %v", j, s, float64(j)+0.25)
		}
		received += d
	}
	if !near(paid, received) {
		t.Errorf("dividends paid %v ≠ received %v", paid, received)
	}
}

// ---------------------------------------------------------------------------
// Phase 7 — bankruptcy (spec §5.33–5.35)

// TestUpdateNetWorth checks §5.33.
func TestUpdateNetWorth(t *testing.T) {
	w := newWorld(t, 2, 2, 2)
	w.Firms.Borrower[0] = components.Borrower{NetWorth: 10, TotalFunds: 3, RetainedProfit: 2}
	w.Firms.Borrower[1] = components.Borrower{NetWorth: 1, TotalFunds: 3, RetainedProfit: -4}
	systems.FirmsUpdateNetWorth{}.Update(w)
	if b := w.Firms.Borrower[0]; b.NetWorth != 12 || b.TotalFunds != 12 {
		t.Errorf("firm 0: net worth %v cash %v, want 12 12", b.NetWorth, b.TotalFunds)
	}
	if b := w.Firms.Borrower[1]; b.NetWorth != -3 || b.TotalFunds != 0 {
		t.Errorf("firm 1: net worth %v cash %v, want −3 0", b.NetWorth, b.TotalFunds)
	}
}

// TestMarkBankruptFirms checks §5.34: net worth < EPS or output ≤ EPS
// (ghost firms) exit; their employees lose every link; workers whose contract
// already expired and loyal consumers keep theirs; loans of exiting
// borrowers are deleted.
func TestMarkBankruptFirms(t *testing.T) {
	w := newWorld(t, 5, 7, 2)
	nw := []float64{1e-10, 50, 50, eps, 50}
	prev := []float64{2, 0, 2, 2, eps}
	for i := range nw {
		w.Firms.Borrower[i].NetWorth = nw[i]
		w.Firms.Producer[i].ProductionPrev = prev[i]
		w.Firms.Employer[i].WageBill = 3
	}
	employ(w, 0, 0, 1, 3)
	w.Households.Worker[0].EmployerPrev = 2
	employ(w, 1, 1, 1, 5)
	w.Households.Worker[2] = components.Worker{Employer: -1, EmployerPrev: 0, ContractExpired: true}
	employ(w, 3, 2, 1, 4)
	w.Households.Consumer[4].LargestProdPrev = 0
	w.Households.Worker[5] = components.Worker{Employer: -1, EmployerPrev: 4, Fired: true}
	employ(w, 6, 4, 1, 2)
	w.Loans.Append(0, 0, 1, 0.1)
	w.Loans.Append(2, 1, 1, 0.1)
	w.Loans.Append(1, 1, 1, 0.1)
	w.Loans.Append(4, 0, 1, 0.1)
	w.Econ.ExitingFirms = append(w.Econ.ExitingFirms[:0], 3) // stale
	w.Econ.FirmExiting[3] = true

	systems.MarkBankruptFirms{}.Update(w)

	if got, want := w.Econ.ExitingFirms, []int32{0, 1, 4}; !slices.Equal(got, want) {
		t.Errorf("exiting firms %v, want %v", got, want)
	}
	for i, want := range []bool{true, true, false, false, true} {
		if w.Econ.FirmExiting[i] != want {
			t.Errorf("firm %d exiting mask %v, want %v", i, w.Econ.FirmExiting[i], want)
		}
	}
	reset := components.Worker{Employer: -1, EmployerPrev: -1}
	for _, j := range []int{0, 1, 6} {
		if h := w.Households.Worker[j]; h != reset {
			t.Errorf("employee %d of an exiting firm: %+v, want %+v", j, h, reset)
		}
	}
	if h := w.Households.Worker[2]; h != (components.Worker{Employer: -1, EmployerPrev: 0, ContractExpired: true}) {
		t.Errorf("worker whose contract expired keeps its link: got %+v", h)
	}
	if h := w.Households.Worker[5]; h != (components.Worker{Employer: -1, EmployerPrev: 4, Fired: true}) {
		t.Errorf("unemployed worker changed: %+v", h)
	}
	if h := w.Households.Worker[3]; h.Employer != 2 || h.PeriodsLeft != 4 {
		t.Errorf("employee of a surviving firm changed: %+v", h)
	}
	if p := w.Households.Consumer[4].LargestProdPrev; p != 0 {
		t.Errorf("loyalty pointer %d, want kept 0", p)
	}
	for i, exits := range []bool{true, true, false, false, true} {
		e := w.Firms.Employer[i]
		if exits && (e.CurrentLabor != 0 || e.WageBill != 0) {
			t.Errorf("exiting firm %d: L %d W %v, want 0 0", i, e.CurrentLabor, e.WageBill)
		}
		if !exits && e.WageBill != 3 {
			t.Errorf("surviving firm %d: wage bill %v, want 3", i, e.WageBill)
		}
	}
	if got := bookRecords(w); len(got) != 1 || got[0].firm != 2 {
		t.Errorf("loans %+v, want only firm 2's", got)
	}
}

// TestMarkBankruptBanks checks §5.35.
func TestMarkBankruptBanks(t *testing.T) {
	w := newWorld(t, 3, 2, 3)
	for k, e := range []float64{1e-10, eps, 5} {
		w.Banks.Lender[k].EquityBase = e
	}
	w.Loans.Append(0, 0, 1, 0.1)
	w.Loans.Append(1, 1, 1, 0.1)
	w.Loans.Append(2, 0, 1, 0.1)
	systems.MarkBankruptBanks{}.Update(w)
	if got := w.Econ.ExitingBanks; !slices.Equal(got, []int32{0}) {
		t.Errorf("exiting banks %v, want [0]", got)
	}
	if got := bookRecords(w); len(got) != 1 || got[0].bank != 1 {
		t.Errorf("loans %+v, want only bank 1's", got)
	}
}

// ---------------------------------------------------------------------------
// Phase 8 — entry (spec §5.36–5.37)

// entryWorld has 21 firms: survivors 0..19 with net worth 1..19 and an
// outlier 1000 (firm 19), output 2, 4, …, 38 and an outlier 500, and 20
// employed households with wages 1..19 and an outlier 100. With k = 1
// trimming the means are 10.5, 21 and 10.5.
func entryWorld(t *testing.T, exiting []int32) *ecs.World {
	t.Helper()
	w := newWorld(t, 21, 40, 2)
	for i := 0; i < 20; i++ {
		w.Firms.Borrower[i].NetWorth = float64(i + 1)
		w.Firms.Borrower[i].TotalFunds = float64(i + 1)
		w.Firms.Producer[i].Production = float64(2 * (i + 1))
	}
	w.Firms.Borrower[19].NetWorth = 1000
	w.Firms.Producer[19].Production = 500
	for j := 0; j < 20; j++ {
		employ(w, j, j%19, float64(j+1), 3) // firms 0..18 only
	}
	w.Households.Worker[19].Wage = 100
	w.Households.Worker[20].Wage = 1000 // unemployed: must be ignored
	for _, i := range exiting {
		w.Econ.ExitingFirms = append(w.Econ.ExitingFirms, i)
		w.Econ.FirmExiting[i] = true
		f := &w.Firms.Producer[i]
		*f = components.Producer{Price: 9, Production: 4, ProductionPrev: 4, Inventory: 3, ExpectedDemand: 5, DesiredProduction: 5, LaborProductivity: 0.7, BreakevenPrice: 1.25}
		w.Firms.Employer[i] = components.Employer{CurrentLabor: 0, DesiredLabor: 3, NVacancies: 2, WageOffer: 3, WageBill: 4}
		w.Firms.Borrower[i] = components.Borrower{NetWorth: -2, TotalFunds: 0, CreditDemand: 1, ProjectedFragility: 2, GrossProfit: 1, NetProfit: 1, RetainedProfit: 1}
	}
	w.Econ.AvgPrice = 2
	w.Econ.MinWage = 0.5
	return w
}

// TestSpawnReplacementFirms checks §5.36.
func TestSpawnReplacementFirms(t *testing.T) {
	cases := []struct {
		name                 string
		exiting              []int32
		minWage              float64
		wantNW, wantY, wantW float64
	}{
		// survivors 0..19: NW trimmed mean 10.5, Y 21, wages 10.5
		{"one entrant", []int32{20}, 0.5, 5.25, 10.5, 5.25},
		{"wage offer floored at ŵ", []int32{20}, 6, 5.25, 10.5, 6},
		// survivors 0..18 (19 values, k = 1): NW 1..19 → 10, Y 2..38 → 20
		{"two identical entrants", []int32{19, 20}, 0.5, 5, 10, 5.25},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := entryWorld(t, c.exiting)
			w.Econ.MinWage = c.minWage
			survivor := w.Firms.Borrower[3]
			systems.NewSpawnReplacementFirms(w).Update(w)
			wp := components.Producer{Price: 2.4, Production: c.wantY, ProductionPrev: c.wantY, LaborProductivity: 0.7, BreakevenPrice: 1.25}
			we := components.Employer{WageOffer: c.wantW}
			wb := components.Borrower{NetWorth: c.wantNW, TotalFunds: c.wantNW}
			for _, i := range c.exiting {
				p, e, b := w.Firms.Producer[i], w.Firms.Employer[i], w.Firms.Borrower[i]
				if !near(p.Price, wp.Price) || !near(p.Production, wp.Production) || !near(p.ProductionPrev, wp.ProductionPrev) ||
					p.Inventory != 0 || p.ExpectedDemand != 0 || p.DesiredProduction != 0 || p.LaborProductivity != 0.7 || p.BreakevenPrice != 1.25 {
					t.Errorf("entrant %d producer %+v, want %+v", i, p, wp)
				}
				if e.CurrentLabor != 0 || e.DesiredLabor != 0 || e.NVacancies != 0 || e.WageBill != 0 || !near(e.WageOffer, we.WageOffer) {
					t.Errorf("entrant %d employer %+v, want %+v", i, e, we)
				}
				if !near(b.NetWorth, wb.NetWorth) || !near(b.TotalFunds, wb.TotalFunds) || b.CreditDemand != 0 || b.ProjectedFragility != 0 ||
					b.GrossProfit != 0 || b.NetProfit != 0 || b.RetainedProfit != 0 {
					t.Errorf("entrant %d borrower %+v, want %+v", i, b, wb)
				}
			}
			if n := len(c.exiting); n > 1 {
				a, b := c.exiting[0], c.exiting[n-1]
				if w.Firms.Producer[a] != w.Firms.Producer[b] || w.Firms.Employer[a] != w.Firms.Employer[b] || w.Firms.Borrower[a] != w.Firms.Borrower[b] {
					t.Errorf("entrants %d and %d differ", a, b)
				}
			}
			if w.Firms.Borrower[3] != survivor {
				t.Errorf("survivor changed")
			}
			if w.Econ.Collapsed {
				t.Errorf("collapsed with survivors")
			}
		})
	}
	t.Run("no exit: nothing changes", func(t *testing.T) {
		w := entryWorld(t, nil)
		p, e, b := slices.Clone(w.Firms.Producer), slices.Clone(w.Firms.Employer), slices.Clone(w.Firms.Borrower)
		systems.NewSpawnReplacementFirms(w).Update(w)
		if !slices.Equal(p, w.Firms.Producer) || !slices.Equal(e, w.Firms.Employer) || !slices.Equal(b, w.Firms.Borrower) || w.Econ.Collapsed {
			t.Errorf("firms changed without exits")
		}
	})
	t.Run("every firm exits: collapse", func(t *testing.T) {
		w := newWorld(t, 3, 2, 2)
		for i := range 3 {
			w.Econ.ExitingFirms = append(w.Econ.ExitingFirms, int32(i))
			w.Econ.FirmExiting[i] = true
			w.Firms.Borrower[i].NetWorth = -1
		}
		systems.NewSpawnReplacementFirms(w).Update(w)
		if !w.Econ.Collapsed {
			t.Errorf("not collapsed although every firm exited")
		}
		if w.Firms.Borrower[0].NetWorth != -1 {
			t.Errorf("slots re-initialised after a collapse")
		}
	})
}

// TestSpawnReplacementBanks checks §5.37.
func TestSpawnReplacementBanks(t *testing.T) {
	t.Run("single survivor is cloned", func(t *testing.T) {
		w := newWorld(t, 2, 2, 2)
		w.Banks.Lender[0] = components.Lender{EquityBase: -1, CreditSupply: 3, InterestRate: 0.03, OpexShock: 0.07}
		w.Banks.Lender[1].EquityBase = 4.5
		w.Econ.ExitingBanks = append(w.Econ.ExitingBanks, 0)
		w.Econ.BankExiting[0] = true
		systems.NewSpawnReplacementBanks(w).Update(w)
		want := components.Lender{EquityBase: 4.5, OpexShock: 0.07}
		if got := w.Banks.Lender[0]; got != want {
			t.Errorf("entrant bank %+v, want %+v", got, want)
		}
	})
	t.Run("random survivors with replacement", func(t *testing.T) {
		const nb = 41
		w := newWorld(t, 2, 2, nb)
		w.Banks.Lender[0].EquityBase = 2
		w.Banks.Lender[1].EquityBase = 4
		for k := 2; k < nb; k++ {
			w.Banks.Lender[k].EquityBase = 0
			w.Econ.ExitingBanks = append(w.Econ.ExitingBanks, int32(k))
			w.Econ.BankExiting[k] = true
		}
		systems.NewSpawnReplacementBanks(w).Update(w)
		seen := map[float64]int{}
		for k := 2; k < nb; k++ {
			b := w.Banks.Lender[k]
			seen[b.EquityBase]++
			if b.CreditSupply != 0 || b.InterestRate != 0 {
				t.Errorf("entrant bank %d: %+v, want supply and rate 0", k, b)
			}
		}
		if len(seen) != 2 || seen[2] == 0 || seen[4] == 0 {
			t.Errorf("entrant equities %v, want both survivors' equities 2 and 4", seen)
		}
	})
	t.Run("every bank exits: collapse", func(t *testing.T) {
		w := newWorld(t, 2, 2, 2)
		for k := range 2 {
			w.Econ.ExitingBanks = append(w.Econ.ExitingBanks, int32(k))
			w.Econ.BankExiting[k] = true
		}
		systems.NewSpawnReplacementBanks(w).Update(w)
		if !w.Econ.Collapsed {
			t.Errorf("not collapsed although every bank exited")
		}
	})
}
