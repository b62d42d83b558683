package systems

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/bam-abm/bam/ecs"
)

// EPS is the model's zero tolerance (spec §0).
const EPS = ecs.EPS

// uniform draws U(0, h).
func uniform(r *rand.Rand, h float64) float64 { return r.Float64() * h }

// groupByEmployer fills w.Scratch.Workforce with the employed households
// grouped by employer (in household order within a firm) and
// WorkforceStart with the group offsets: firm i's employees are
// Workforce[WorkforceStart[i]:WorkforceStart[i+1]]. O(NH + NF).
func groupByEmployer(w *ecs.World) {
	s := &w.Scratch
	start := s.WorkforceStart
	clear(start)
	workers := w.Households.Worker
	for j := range workers {
		if e := workers[j].Employer; e >= 0 {
			start[e+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	next := s.FirmI32B
	copy(next, start[:len(start)-1])
	for j := range workers {
		if e := workers[j].Employer; e >= 0 {
			s.Workforce[next[e]] = int32(j)
			next[e]++
		}
	}
}

// layOff ends household j's contract with firm i as a layoff (spec §5.6,
// §5.19): the worker remembers the firm but is not loyal to it.
func layOff(wk *ecs.World, j int32, i int32) {
	h := &wk.Households.Worker[j]
	h.Employer = -1
	h.EmployerPrev = i
	h.Wage = 0
	h.PeriodsLeft = 0
	h.ContractExpired = false
	h.Fired = true
}

// trimMean is the 5 % two-sided trimmed mean of spec §4.4. It sorts x in place.
//
//	k = round_half_to_even(0.05·n); drop the k smallest and k largest; mean of the rest
func trimMean(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return 0
	}
	k := int(math.RoundToEven(0.05 * float64(n)))
	if k > 0 {
		slices.Sort(x)
		x = x[k : n-k]
	}
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
