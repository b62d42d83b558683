package systems_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
)

// newWorld returns a bare world with nf firms, nh households and nb banks,
// default parameters otherwise (modified by opts), every agent in its
// initial state.
func newWorld(t *testing.T, nf, nh, nb int, opts ...func(*ecs.Params)) *ecs.World {
	t.Helper()
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks, p.NPeriods = nf, nh, nb, 20
	p.Seed = 7
	for _, o := range opts {
		o(&p)
	}
	w, err := ecs.NewWorld(p)
	if err != nil {
		t.Fatalf("NewWorld: %v", err)
	}
	return w
}

// employ makes household j an employee of firm i at the given wage with
// left contract periods, and counts it in the firm's labour force.
func employ(w *ecs.World, j, i int, wage float64, left int32) {
	h := &w.Households.Worker[j]
	h.Employer = int32(i)
	h.Wage = wage
	h.PeriodsLeft = left
	h.ContractExpired = false
	h.Fired = false
	w.Firms.Employer[i].CurrentLabor++
}

// near reports whether a and b agree to a relative tolerance of 1e-12.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// randState returns the world's random-stream state.
func randState(t *testing.T, w *ecs.World) []byte {
	t.Helper()
	b, err := w.RandState()
	if err != nil {
		t.Fatalf("RandState: %v", err)
	}
	return b
}

// sameRand reports whether two random-stream states are identical.
func sameRand(a, b []byte) bool { return bytes.Equal(a, b) }

// jobApps returns the firms household j has not applied to yet.
func jobApps(w *ecs.World, j int) []int32 {
	return systems.LaborMarketOf(w).Applications(int32(j))
}

// loanApps returns the banks firm i has not applied to yet.
func loanApps(w *ecs.World, i int) []int32 {
	return systems.CreditMarketOf(w).Applications(int32(i))
}

// shopList returns household j's shopping list.
func shopList(w *ecs.World, j int) []int32 {
	return systems.GoodsMarketOf(w).List(int32(j))
}
