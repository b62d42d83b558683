package markets_test

import (
	"cmp"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

type grantKey struct{ firm, bank int32 }

// grantsOf maps (firm, bank) to the grant; CreditRound reorders apps.
func grantsOf(apps []markets.CreditApp) map[grantKey]float64 {
	g := make(map[grantKey]float64, len(apps))
	for _, a := range apps {
		g[grantKey{a.Firm, a.Bank}] = a.Grant
	}
	return g
}

// checkCredit asserts the invariants of one credit round (spec §5.18, §15):
// 0 ≤ grant ≤ max(request, 0); per bank Σ grants ≤ supply at start and
// supply reduced by exactly Σ grants; banks serve in ascending (fragility,
// firm) order, so once an applicant with a positive request is not served in
// full, every later applicant with a positive request gets nothing.
func checkCredit(t tb, before []markets.CreditApp, after []markets.CreditApp, supply0, supply []float64) {
	t.Helper()
	if len(after) != len(before) {
		t.Fatalf("%d apps after the round, %d before", len(after), len(before))
	}
	in := make(map[grantKey]markets.CreditApp, len(before))
	for _, a := range before {
		in[grantKey{a.Firm, a.Bank}] = a
	}
	lent := make([]float64, len(supply0))
	for _, a := range after {
		b, ok := in[grantKey{a.Firm, a.Bank}]
		if !ok || b.Request != a.Request || b.Fragility != a.Fragility {
			t.Fatalf("app %+v was not in the input (or its inputs changed)", a)
		}
		if a.Grant < 0 || a.Grant > max(a.Request, 0) {
			t.Fatalf("firm %d bank %d: grant %v outside [0, request %v]", a.Firm, a.Bank, a.Grant, a.Request)
		}
		lent[a.Bank] += a.Grant
	}
	for k := range supply0 {
		// Exactly, Σ grants ≤ supply; the tolerance of a few ulps covers the
		// rounding of the partial loan (see TestCreditRoundPartialLoanRounding).
		if lent[k] > supply0[k]+ulpTol*max(1, abs(supply0[k])) {
			t.Fatalf("bank %d lent %v > supply %v", k, lent[k], supply0[k])
		}
		if supply0[k] >= 0 && supply[k] < -ulpTol*max(1, supply0[k]) {
			t.Fatalf("bank %d: supply %v became negative (%v)", k, supply0[k], supply[k])
		}
		if !closeTo(supply[k], supply0[k]-lent[k], 1e-12) {
			t.Fatalf("bank %d: supply %v → %v after lending %v", k, supply0[k], supply[k], lent[k])
		}
	}
	// Priority order within each bank.
	sorted := slices.Clone(after)
	slices.SortFunc(sorted, func(a, b markets.CreditApp) int {
		return cmp.Or(cmp.Compare(a.Bank, b.Bank), cmp.Compare(a.Fragility, b.Fragility), cmp.Compare(a.Firm, b.Firm))
	})
	var rationed *markets.CreditApp // first applicant of the current bank not served in full
	for i := range sorted {
		a := &sorted[i]
		if i == 0 || a.Bank != sorted[i-1].Bank {
			rationed = nil
		}
		if rationed != nil && a.Grant > 0 {
			t.Fatalf("bank %d: firm %d (ℓ=%v) got %v although firm %d (ℓ=%v) ahead of it was rationed (%v of %v)",
				a.Bank, a.Firm, a.Fragility, a.Grant, rationed.Firm, rationed.Fragility, rationed.Grant, rationed.Request)
		}
		if rationed == nil && a.Request > 0 && a.Grant < a.Request {
			rationed = a
		}
	}
}

// ulpTol is the relative slack allowed for floating-point rounding.
const ulpTol = 1e-14

func closeTo(a, b, rel float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= rel*max(1, abs(a), abs(b))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestCreditRound(t *testing.T) {
	type app = markets.CreditApp
	tests := []struct {
		name       string
		apps       []app
		supply     []float64
		want       map[grantKey]float64
		wantSupply []float64
	}{
		{
			name: "ascending fragility, ties by firm id, partial at the boundary, zero after",
			apps: []app{
				{Firm: 3, Bank: 0, Fragility: 0.5, Request: 6},
				{Firm: 7, Bank: 0, Fragility: 0.1, Request: 6},
				{Firm: 1, Bank: 0, Fragility: 0.5, Request: 6},
				{Firm: 0, Bank: 0, Fragility: 2, Request: 1},
			},
			supply:     []float64{10},
			want:       map[grantKey]float64{{7, 0}: 6, {1, 0}: 4, {3, 0}: 0, {0, 0}: 0},
			wantSupply: []float64{0},
		},
		{
			name: "everyone served when supply suffices",
			apps: []app{
				{Firm: 0, Bank: 0, Fragility: 0.3, Request: 2},
				{Firm: 1, Bank: 0, Fragility: 0.2, Request: 3},
			},
			supply:     []float64{10},
			want:       map[grantKey]float64{{0, 0}: 2, {1, 0}: 3},
			wantSupply: []float64{5},
		},
		{
			name: "running total exactly at supply is served in full",
			apps: []app{
				{Firm: 0, Bank: 0, Fragility: 0.1, Request: 4},
				{Firm: 1, Bank: 0, Fragility: 0.2, Request: 6},
				{Firm: 2, Bank: 0, Fragility: 0.3, Request: 0.5},
			},
			supply:     []float64{10},
			want:       map[grantKey]float64{{0, 0}: 4, {1, 0}: 6, {2, 0}: 0},
			wantSupply: []float64{0},
		},
		{
			name: "first applicant exceeding supply gets the whole supply",
			apps: []app{
				{Firm: 5, Bank: 0, Fragility: 0.1, Request: 50},
				{Firm: 6, Bank: 0, Fragility: 0.2, Request: 1},
			},
			supply:     []float64{8},
			want:       map[grantKey]float64{{5, 0}: 8, {6, 0}: 0},
			wantSupply: []float64{0},
		},
		{
			name: "requests ≤ 0 get nothing and do not use up supply",
			apps: []app{
				{Firm: 0, Bank: 0, Fragility: 0.1, Request: -5},
				{Firm: 1, Bank: 0, Fragility: 0.2, Request: 0},
				{Firm: 2, Bank: 0, Fragility: 0.3, Request: 3},
				{Firm: 3, Bank: 0, Fragility: 0.4, Request: 3},
			},
			supply:     []float64{4},
			want:       map[grantKey]float64{{0, 0}: 0, {1, 0}: 0, {2, 0}: 3, {3, 0}: 1},
			wantSupply: []float64{0},
		},
		{
			name: "banks are independent; a bank without applicants keeps its supply",
			apps: []app{
				{Firm: 0, Bank: 2, Fragility: 0.9, Request: 5},
				{Firm: 1, Bank: 0, Fragility: 0.9, Request: 5},
				{Firm: 2, Bank: 2, Fragility: 0.1, Request: 5},
				{Firm: 3, Bank: 0, Fragility: 0.1, Request: 1},
			},
			supply:     []float64{4, 7, 6},
			want:       map[grantKey]float64{{3, 0}: 1, {1, 0}: 3, {2, 2}: 5, {0, 2}: 1},
			wantSupply: []float64{0, 7, 0},
		},
		{
			name: "zero supply lends nothing",
			apps: []app{
				{Firm: 0, Bank: 0, Fragility: 0.1, Request: 1},
			},
			supply:     []float64{0},
			want:       map[grantKey]float64{{0, 0}: 0},
			wantSupply: []float64{0},
		},
		{
			name: "stale grants are reset",
			apps: []app{
				{Firm: 0, Bank: 0, Fragility: 0.1, Request: 1, Grant: 99},
				{Firm: 1, Bank: 0, Fragility: 0.2, Request: -1, Grant: 99},
				{Firm: 2, Bank: 0, Fragility: 0.3, Request: 1, Grant: 99},
			},
			supply:     []float64{1},
			want:       map[grantKey]float64{{0, 0}: 1, {1, 0}: 0, {2, 0}: 0},
			wantSupply: []float64{0},
		},
		{
			name:       "no applications",
			apps:       nil,
			supply:     []float64{3, 4},
			want:       map[grantKey]float64{},
			wantSupply: []float64{3, 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			apps := slices.Clone(tt.apps)
			supply := slices.Clone(tt.supply)
			markets.CreditRound(apps, supply)
			before := slices.Clone(tt.apps)
			for i := range before {
				before[i].Grant = 0
			}
			checkCredit(t, before, apps, tt.supply, supply)
			got := grantsOf(apps)
			if len(got) != len(tt.want) {
				t.Fatalf("grants %v, want %v", got, tt.want)
			}
			for k, w := range tt.want {
				if g, ok := got[k]; !ok || g != w {
					t.Errorf("firm %d at bank %d: grant %v, want %v", k.firm, k.bank, g, w)
				}
			}
			if !slices.Equal(supply, tt.wantSupply) {
				t.Errorf("supply %v, want %v", supply, tt.wantSupply)
			}
		})
	}
}

func TestCreditRoundGroupsByBank(t *testing.T) {
	apps := []markets.CreditApp{
		{Firm: 0, Bank: 1, Fragility: 0.3, Request: 1},
		{Firm: 1, Bank: 0, Fragility: 0.2, Request: 1},
		{Firm: 2, Bank: 1, Fragility: 0.1, Request: 1},
		{Firm: 3, Bank: 0, Fragility: 0.2, Request: 1},
	}
	markets.CreditRound(apps, []float64{5, 5})
	want := []int32{1, 3, 2, 0} // bank 0: (0.2, 1), (0.2, 3); bank 1: (0.1, 2), (0.3, 0)
	for i, a := range apps {
		if a.Firm != want[i] {
			t.Fatalf("order %v, want firms %v", apps, want)
		}
	}
}

func TestCreditRoundDeterministic(t *testing.T) {
	r := rng.New(1, 2)
	apps, supply := randomCredit(r, 40, 4)
	a1, s1 := slices.Clone(apps), slices.Clone(supply)
	markets.CreditRound(a1, s1)
	for range 5 {
		shuffled := slices.Clone(apps)
		for i := len(shuffled) - 1; i > 0; i-- {
			j := r.IntN(i + 1)
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		}
		s2 := slices.Clone(supply)
		markets.CreditRound(shuffled, s2)
		if !slices.Equal(shuffled, a1) || !slices.Equal(s2, s1) {
			t.Fatal("result depends on the input order")
		}
	}
}

func TestCreditRoundRandom(t *testing.T) {
	r := rng.New(3, 4)
	for range 200 {
		apps, supply := randomCredit(r, 1+r.IntN(60), 1+r.IntN(6))
		a, s := slices.Clone(apps), slices.Clone(supply)
		markets.CreditRound(a, s)
		checkCredit(t, apps, a, supply, s)
	}
}

// randomCredit draws one application per firm to a random bank, with tied
// fragilities and some non-positive requests.
func randomCredit(r *rng.Rand, nFirms, nBanks int) ([]markets.CreditApp, []float64) {
	apps := make([]markets.CreditApp, nFirms)
	for i := range apps {
		apps[i] = markets.CreditApp{
			Firm:      int32(i),
			Bank:      int32(r.IntN(nBanks)),
			Fragility: float64(r.IntN(5)) / 4,
			Request:   r.Float64()*10 - 1,
		}
	}
	supply := make([]float64, nBanks)
	for k := range supply {
		supply[k] = r.Float64() * 30
	}
	return apps, supply
}

func TestCreditRoundNoAlloc(t *testing.T) {
	r := rng.New(1, 2)
	apps, supply := randomCredit(r, 100, 5)
	a, s := slices.Clone(apps), slices.Clone(supply)
	if n := testing.AllocsPerRun(50, func() {
		copy(a, apps)
		copy(s, supply)
		markets.CreditRound(a, s)
	}); n != 0 {
		t.Errorf("CreditRound: %v allocs per call", n)
	}
}

// TestCreditRoundPartialLoanRounding pins the exact form of the spec §15
// invariant "the total granted by bank k never exceeds its supply at the
// start of the round" (and hence supply ≥ 0 afterwards). The partial loan is
// computed as supply − before, which is rounded when before < supply/2, so
// before + grant can exceed the supply by one ulp and the bank's remaining
// supply becomes −2.2e-16.
func TestCreditRoundPartialLoanRounding(t *testing.T) {
	tests := []struct{ a, b, supply float64 }{
		{0.14, 5.97, 1.59},
		{1.4, 6.31, 7.45},
		{3.32, 7.31, 7.78},
		{1.07, 5.92, 3.78},
	}
	for _, tt := range tests {
		apps := []markets.CreditApp{
			{Firm: 0, Bank: 0, Fragility: 0, Request: tt.a},
			{Firm: 1, Bank: 0, Fragility: 1, Request: tt.b},
		}
		supply := []float64{tt.supply}
		markets.CreditRound(apps, supply)
		if lent := apps[0].Grant + apps[1].Grant; lent > tt.supply {
			t.Errorf("requests %v, %v: lent %v > supply %v", tt.a, tt.b, lent, tt.supply)
		}
		if supply[0] < 0 {
			t.Errorf("requests %v, %v: remaining supply %v < 0", tt.a, tt.b, supply[0])
		}
	}
}
