package extensions_test

import (
	"math"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/ecs/rng"
	"github.com/bam-abm/bam/systems/extensions"
)

// newWorld returns a small world with nf firms and nh households.
func newWorld(t testing.TB, nf, nh int) *ecs.World {
	t.Helper()
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = nf, nh, 1
	w, err := ecs.NewWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// firm is the state the R&D and taxation rules read.
type firm struct {
	netWorth, wageBill, netProfit, price, production, cash float64
}

func setFirm(w *ecs.World, i int, f firm) {
	w.Firms.Borrower[i].NetWorth = f.netWorth
	w.Firms.Borrower[i].NetProfit = f.netProfit
	w.Firms.Borrower[i].TotalFunds = f.cash
	w.Firms.Employer[i].WageBill = f.wageBill
	w.Firms.Producer[i].Price = f.price
	w.Firms.Producer[i].Production = f.production
}

func TestFirmsComputeRnDIntensity(t *testing.T) {
	type params struct{ lo, hi, decay float64 }
	def := params{0, 0.1, -1}
	tests := []struct {
		name           string
		p              params
		f              firm
		psi, sigma, mu float64
	}{
		{"profitable", def, firm{netWorth: 10, wageBill: 2, netProfit: 3, price: 1.5, production: 4},
			0.2, 0.1 * math.Exp(-0.2), 0.1 * math.Exp(-0.2) * 3 / 6},
		{"no wage bill: sigma_max", def, firm{netWorth: 10, netProfit: 3, price: 1, production: 3},
			0, 0.1, 0.1},
		{"net worth zero: psi 0", def, firm{netWorth: 0, wageBill: 2, netProfit: 1, price: 1, production: 1},
			0, 0.1, 0.1},
		{"net worth negative: psi 0", def, firm{netWorth: -5, wageBill: 2, netProfit: 1, price: 2, production: 1},
			0, 0.1, 0.05},
		{"loss: sigma 0", def, firm{netWorth: 10, wageBill: 2, netProfit: -1, price: 1, production: 4},
			0.2, 0, 0},
		{"zero profit: sigma 0", def, firm{netWorth: 10, wageBill: 2, netProfit: 0, price: 1, production: 4},
			0.2, 0, 0},
		{"no output: mu 0", def, firm{netWorth: 10, wageBill: 5, netProfit: 2, price: 1, production: 0},
			0.5, 0.1 * math.Exp(-0.5), 0},
		{"sigma_min floor", params{0.02, 0.1, -1}, firm{netWorth: 1, wageBill: 3, netProfit: 1, price: 1, production: 1},
			3, 0.02 + 0.08*math.Exp(-3), 0.02 + 0.08*math.Exp(-3)},
		{"decay 0: constant sigma_max", params{0, 0.3, 0}, firm{netWorth: 1, wageBill: 30, netProfit: 2, price: 1, production: 4},
			30, 0.3, 0.15},
		{"negative price: mu clamped at 0", def, firm{netWorth: 10, netProfit: 2, price: -1, production: 4},
			0, 0.1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 2, 4)
			for _, kv := range [][2]any{{extensions.ParamSigmaMin, tt.p.lo}, {extensions.ParamSigmaMax, tt.p.hi}, {extensions.ParamSigmaDecay, tt.p.decay}} {
				if err := w.Params.SetExt(kv[0].(string), kv[1].(float64)); err != nil {
					t.Fatal(err)
				}
			}
			s := must(extensions.NewFirmsComputeRnDIntensity(w))
			setFirm(w, 0, tt.f)
			setFirm(w, 1, firm{netWorth: 1, netProfit: 1, price: 1, production: 1})
			s.Update(w)
			r := extensions.RnDStates(w)[0]
			if !near(r.Fragility, tt.psi) || !near(r.Sigma, tt.sigma) || !near(r.Intensity, tt.mu) {
				t.Errorf("state %+v, want psi %v sigma %v mu %v", r, tt.psi, tt.sigma, tt.mu)
			}
			if w.Firms.Borrower[0].NetProfit != tt.f.netProfit || w.Firms.Producer[0].LaborProductivity != 0.5 {
				t.Error("compute changed profit or productivity")
			}
		})
	}
}

// TestRnDShareBounds checks that the R&D share σ stays between sigma_min
// and sigma_max (so in [0, 1]) for every value the parameters accept, over
// fragilities from 0 to 1e300 (issue 12, case 7: sigma_decay = 1 made σ
// reach 14.6), and that a positive sigma_decay, which would break the
// bound, is refused.
func TestRnDShareBounds(t *testing.T) {
	for _, decay := range []float64{1, 100, 1e300, math.SmallestNonzeroFloat64} {
		w := newWorld(t, 1, 1)
		if err := w.Params.SetExt(extensions.ParamSigmaDecay, decay); err == nil {
			t.Errorf("sigma_decay = %g accepted; want it refused (σ would exceed sigma_max)", decay)
		}
	}
	decays := []float64{0, -math.SmallestNonzeroFloat64, -1e-300, -0.5, -1, -100, -1e300, -math.MaxFloat64}
	bounds := [][2]float64{{0, 0.1}, {0, 1}, {1, 0}, {0.3, 0.3}, {0.05, 0.02}}
	wageBills := []float64{0, 1e-300, 0.5, 1, 1e3, 1e300}
	for _, b := range bounds {
		for _, decay := range decays {
			w := newWorld(t, len(wageBills), 4)
			for _, kv := range []struct {
				name string
				v    float64
			}{{extensions.ParamSigmaMin, b[0]}, {extensions.ParamSigmaMax, b[1]}, {extensions.ParamSigmaDecay, decay}} {
				if err := w.Params.SetExt(kv.name, kv.v); err != nil {
					t.Fatalf("%s = %g refused: %v", kv.name, kv.v, err)
				}
			}
			s := must(extensions.NewFirmsComputeRnDIntensity(w))
			for i, wb := range wageBills {
				setFirm(w, i, firm{netWorth: 1, wageBill: wb, netProfit: 1, price: 1, production: 1})
			}
			s.Update(w)
			lo, hi := min(b[0], b[1]), max(b[0], b[1])
			for i, r := range extensions.RnDStates(w) {
				if !(r.Sigma >= lo && r.Sigma <= hi) {
					t.Errorf("sigma_min %g, sigma_max %g, sigma_decay %g, ψ %g: σ = %g outside [%g, %g]",
						b[0], b[1], decay, wageBills[i], r.Sigma, lo, hi)
				}
			}
		}
	}
}

func TestFirmsApplyProductivityGrowth(t *testing.T) {
	w := newWorld(t, 5, 4)
	s := must(extensions.NewFirmsApplyProductivityGrowth(w))
	st := extensions.RnDStates(w)
	mus := []float64{0.2, 0, 1e-3, -0.1, 0.05}
	for i, mu := range mus {
		st[i] = extensions.RnDState{Intensity: mu, ProductivityIncrement: 99}
		w.Firms.Producer[i].LaborProductivity = 1 + float64(i)
	}
	state := must(w.RandState())
	ref := rng.New(0, 0)
	if err := ref.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	s.Update(w)
	st = extensions.RnDStates(w)
	for i, mu := range mus {
		want := 0.0
		if mu > 0 { // one draw per firm with mu > 0, in slot order
			want = ref.Exp(mu)
		}
		if st[i].ProductivityIncrement != want || w.Firms.Producer[i].LaborProductivity != 1+float64(i)+want {
			t.Errorf("firm %d (mu %v): z %v, alpha %v; want z %v", i, mu, st[i].ProductivityIncrement, w.Firms.Producer[i].LaborProductivity, want)
		}
	}
	if w.Rand.Float64() != ref.Float64() {
		t.Error("the stream is not where three draws leave it")
	}
}

// TestProductivityGrowthMean checks the draw's distribution: z has mean mu.
func TestProductivityGrowthMean(t *testing.T) {
	const n = 20000
	w := newWorld(t, n, 4)
	s := must(extensions.NewFirmsApplyProductivityGrowth(w))
	st := extensions.RnDStates(w)
	for i := range st {
		st[i].Intensity = 0.3
	}
	s.Update(w)
	sum := 0.0
	for _, r := range extensions.RnDStates(w) {
		sum += r.ProductivityIncrement
	}
	// The mean of n Exp(0.3) draws has standard error 0.3/sqrt(n) ≈ 0.002.
	if m := sum / n; math.Abs(m-0.3) > 0.01 {
		t.Errorf("mean z = %v, want 0.3", m)
	}
}

func TestFirmsDeductRnDExpenditure(t *testing.T) {
	tests := []struct{ sigma, profit, want float64 }{
		{0.1, 3, 2.7}, {0, 3, 3}, {0.05, -2, -2 * 0.95}, {1, 5, 0},
	}
	w := newWorld(t, len(tests), 4)
	s := must(extensions.NewFirmsDeductRnDExpenditure(w))
	st := extensions.RnDStates(w)
	for i, tt := range tests {
		st[i].Sigma = tt.sigma
		w.Firms.Borrower[i].NetProfit = tt.profit
		w.Firms.Borrower[i].TotalFunds = 10
	}
	s.Update(w)
	for i, tt := range tests {
		if b := w.Firms.Borrower[i]; !near(b.NetProfit, tt.want) || b.TotalFunds != 10 {
			t.Errorf("sigma %v profit %v: net profit %v cash %v, want %v and cash unchanged", tt.sigma, tt.profit, b.NetProfit, b.TotalFunds, tt.want)
		}
	}
}

func TestFirmsTaxProfits(t *testing.T) {
	tests := []struct {
		name                 string
		rate, profit, cash   float64
		wantProfit, wantCash float64
	}{
		{"rate 0: no-op", 0, 4, 10, 4, 10},
		{"profit", 0.3, 4, 10, 2.8, 8.8},
		{"loss untaxed", 0.3, -4, 10, -4, 10},
		{"zero profit", 0.5, 0, 1, 0, 1},
		{"full tax", 1, 2, 3, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 2, 4)
			if err := w.Params.SetExt(extensions.ParamProfitTaxRate, tt.rate); err != nil {
				t.Fatal(err)
			}
			setFirm(w, 0, firm{netProfit: tt.profit, cash: tt.cash})
			extensions.FirmsTaxProfits{}.Update(w)
			if b := w.Firms.Borrower[0]; !near(b.NetProfit, tt.wantProfit) || !near(b.TotalFunds, tt.wantCash) {
				t.Errorf("profit %v cash %v, want %v %v", b.NetProfit, b.TotalFunds, tt.wantProfit, tt.wantCash)
			}
		})
	}
	// Without the parameter set, the default rate 0 applies.
	w := newWorld(t, 1, 4)
	setFirm(w, 0, firm{netProfit: 4, cash: 10})
	extensions.FirmsTaxProfits{}.Update(w)
	if b := w.Firms.Borrower[0]; b.NetProfit != 4 || b.TotalFunds != 10 {
		t.Errorf("default rate taxed: %+v", b)
	}
}

func TestConsumersCalcBufferStockPropensity(t *testing.T) {
	tests := []struct {
		name              string
		h, inc, prev, sav float64
		want              float64
	}{
		// Normal: g = W/W' − 1, d = S/W' − h, c = 1 + (d − h·g)/(1 + g).
		{"steady income at target", 2, 1, 1, 2, 1},
		{"steady income above target", 2, 1, 1, 3, 2},
		{"steady income below target", 2, 1, 1, 1.5, 0.5},
		{"income rise", 2, 1.5, 1, 2, 1 + (0-2*0.5)/1.5},
		{"income fall", 2, 0.5, 1, 2, 1 + (0+2*0.5)/0.5},
		{"g floored at -0.99", 2, 0.001, 1, 1, 1 + ((1.0-2)+2*0.99)/0.01},
		{"c floored at 0", 2, 1, 1, 0, 0},
		{"h = 1", 1, 2, 1, 1, 1 + (0-1)/2.0},
		// Just re-employed: c = 1 − h + S/W.
		{"re-employed", 2, 0.5, 0, 2, 1 - 2 + 4},
		{"re-employed, prev negative", 2, 1, -1, 1.5, 0.5},
		{"re-employed, floored", 3, 1, 0, 1, 0},
		// Unemployed: c = 1/h.
		{"unemployed", 2, 0, 1, 5, 0.5},
		{"unemployed, h 4", 4, 0, 0, 0, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 2, 3)
			if err := w.Params.SetExt(extensions.ParamBufferStockH, tt.h); err != nil {
				t.Fatal(err)
			}
			s := must(extensions.NewConsumersCalcBufferStockPropensity(w))
			st := extensions.BufferStockStates(w)
			st[1].PrevIncome = tt.prev
			c := &w.Households.Consumer[1]
			c.Income, c.Savings, c.Propensity = tt.inc, tt.sav, 0.7
			s.Update(w)
			if got := extensions.BufferStockStates(w)[1].Propensity; !near(got, tt.want) {
				t.Errorf("c = %v, want %v", got, tt.want)
			}
			if c := w.Households.Consumer[1]; c.Propensity != 0.7 || c.Income != tt.inc || c.Savings != tt.sav {
				t.Errorf("consumer changed: %+v", c)
			}
		})
	}
}

func TestConsumersDecideBufferStockSpending(t *testing.T) {
	tests := []struct {
		name            string
		c, inc, sav     float64
		budget, savings float64
	}{
		{"employed: c·W", 0.8, 1, 2, 0.8, 2.2},
		{"employed, dissaving: c·W > W", 1.5, 1, 2, 1.5, 1.5},
		{"capped at S + W", 5, 1, 2, 3, 0},
		{"unemployed: c·S", 0.5, 0, 4, 2, 2},
		{"unemployed, nothing saved", 0.5, 0, 0, 0, 0},
		{"c = 0", 0, 1, 1, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 2, 3)
			s := must(extensions.NewConsumersDecideBufferStockSpending(w))
			st := extensions.BufferStockStates(w)
			st[2] = extensions.BufferStockState{PrevIncome: 99, Propensity: tt.c}
			c := &w.Households.Consumer[2]
			c.Income, c.Savings = tt.inc, tt.sav
			s.Update(w)
			c = &w.Households.Consumer[2]
			r := extensions.BufferStockStates(w)[2]
			if !near(c.IncomeToSpend, tt.budget) || !near(c.Savings, tt.savings) || c.Income != 0 || r.PrevIncome != tt.inc {
				t.Errorf("budget %v savings %v income %v prev %v; want %v %v 0 %v", c.IncomeToSpend, c.Savings, c.Income, r.PrevIncome, tt.budget, tt.savings, tt.inc)
			}
		})
	}
}

// TestUpdatesAllocateNothing checks every extension system at a default-size
// world.
func TestUpdatesAllocateNothing(t *testing.T) {
	w := newWorld(t, 100, 500)
	if err := w.Params.SetExt(extensions.ParamProfitTaxRate, 0.3); err != nil {
		t.Fatal(err)
	}
	for i := range w.Firms.Borrower {
		setFirm(w, i, firm{netWorth: 10, wageBill: 1, netProfit: 1, price: 1, production: 2, cash: 5})
	}
	var systems []ecs.System
	reg := extensions.Systems()
	for _, name := range reg.Names() {
		systems = append(systems, must(reg.New(w, name)))
	}
	for _, s := range systems {
		if n := testing.AllocsPerRun(50, func() { s.Update(w) }); n != 0 {
			t.Errorf("%s allocates %v per Update", s.Name(), n)
		}
	}
}

func extensionsSystems() *ecs.Registry { return extensions.Systems() }
