package systems_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/bam-abm/bam/ecs"
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

// jobQueue returns household j's job queue (max_M slots).
func jobQueue(w *ecs.World, j int) []int32 {
	m := w.Params.MaxM
	return w.Scratch.JobQueue[j*m : (j+1)*m]
}

// loanQueue returns firm i's loan queue (max_H slots).
func loanQueue(w *ecs.World, i int) []int32 {
	m := w.Params.MaxH
	return w.Scratch.LoanQueue[i*m : (i+1)*m]
}

// shopQueue returns household j's shopping list (max_Z slots).
func shopQueue(w *ecs.World, j int) []int32 {
	z := w.Params.MaxZ
	return w.Scratch.ShopQueue[j*z : (j+1)*z]
}

// filled returns the non-empty prefix of a queue (entries before the first −1).
func filled(q []int32) []int32 {
	for a, x := range q {
		if x < 0 {
			return q[:a]
		}
	}
	return q
}
