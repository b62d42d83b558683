package systems

import (
	"math"

	"github.com/bam-abm/bam/components"
)

// Branch-free helpers. Several conditions of the model are coin tosses for
// the branch predictor — is this firm's price above the average, is this
// household employed, which of two firms is cheaper — and a mispredicted
// branch costs more than the arithmetic of both outcomes. Each helper here
// computes what its name says without a data-dependent branch; the rules
// call them where make bench-compare showed that it pays
// (docs/performance.md), and read as plainly as the branch would.

// b2i is 1 for true and 0 for false (compiled without a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pick is a when c holds and b otherwise (the compiler does not turn float
// selections into conditional moves).
func pick(c bool, a, b float64) float64 {
	m := -uint64(b2i(c))
	x, y := math.Float64bits(a), math.Float64bits(b)
	return math.Float64frombits(y ^ (x^y)&m)
}

// direction is +1 when up holds, −1 when down holds and 0 otherwise (up
// and down must not both hold): the sign of a planning revision, so that
// x·(1 + direction·ρ) is exactly x·(1+ρ), x·(1−ρ) or x.
func direction(up, down bool) float64 { return float64(b2i(up) - b2i(down)) }

// both is a && b, evaluated without a branch.
func both(a, b bool) bool { return b2i(a)&b2i(b) != 0 }

// atLeastZero is max(x, 0) to the bit (NaN stays NaN, −0 becomes +0) in
// three instructions: Go's float max spends about eleven on its NaN and
// signed-zero rules, which matters once per household and period.
func atLeastZero(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x
}

// cheaperFirst returns firms a and b in price order, a first on a tie (pa
// and pb are their prices).
func cheaperFirst(a, b int32, pa, pb float64) (int32, int32) {
	swap := -int32(b2i(pb < pa)) // all ones when b is cheaper
	d := (a ^ b) & swap
	return a ^ d, b ^ d
}

// unemployedOf writes the slots of the households without an employer, in
// household order, to out (len(out) ≥ len(workers)) and returns them. It
// is kept out of line so that its loop gets registers of its own (inlined
// into a large system, its counters were spilled).
//
//go:noinline
func unemployedOf(workers []components.Worker, out []int32) []int32 {
	out = out[:len(workers)]
	n := 0
	for j := range workers {
		out[n] = int32(j)
		n += b2i(!workers[j].Employed())
	}
	return out[:n]
}

// unemployedAmong writes the households of among without an employer, in
// their order, to out (len(out) ≥ len(among)) and returns them.
func unemployedAmong(among []int32, workers []components.Worker, out []int32) []int32 {
	out = out[:len(among)]
	n := 0
	for _, j := range among {
		out[n] = j
		n += b2i(!workers[j].Employed())
	}
	return out[:n]
}

// employedWages writes the wages of the employed households, in household
// order, to out (cap(out) ≥ len(workers)) and returns them.
func employedWages(workers []components.Worker, out []float64) []float64 {
	out = out[:len(workers)]
	n := 0
	for j := range workers {
		out[n] = workers[j].Wage
		n += b2i(workers[j].Employed())
	}
	return out[:n]
}

// atExitingFirm reports whether household h works for a firm marked in
// exiting.
func atExitingFirm(h *components.Worker, exiting []bool) bool {
	f := h.Employer
	e := f &^ (f >> 31) // max(f, 0), which Go compiles to a branch; ignored when unemployed
	return both(h.Employed(), exiting[e])
}

// wagesByEmployer sums the wages of every firm's employees, in household
// order, and returns the sums by firm slot. sums has one slot more than
// there are firms: slot i+1 accumulates for firm i and slot 0 takes the
// wages of the unemployed (which are 0), so the loop needs no branch on
// employment. The additions are those of summing into each firm directly.
func wagesByEmployer(workers []components.Worker, sums []float64) []float64 {
	clear(sums)
	for j := range workers {
		h := &workers[j]
		sums[max(h.Employer, -1)+1] += h.Wage // any employer < 0 goes to slot 0
	}
	return sums[1:]
}

// buyersOf copies every household's budget (Consumer.IncomeToSpend) into
// budget and returns, in household order, the households whose budget
// exceeds eps, written into buyers (len(buyers) ≥ len(consumers)).
func buyersOf(consumers []components.Consumer, budget []float64, buyers []int32, eps float64) []int32 {
	buyers, budget = buyers[:len(consumers)], budget[:len(consumers)]
	n := 0
	for j := range consumers {
		b := consumers[j].IncomeToSpend
		budget[j] = b
		buyers[n] = int32(j)
		n += b2i(b > eps)
	}
	return buyers[:n]
}
