package systems

import (
	"math"
	"slices"

	"github.com/bam-abm/bam/ecs"
)

// EPS is the model's zero tolerance (spec §0).
const EPS = ecs.EPS

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

// sortByKey sorts idx stably by key[idx[·]], ascending or (desc) descending.
// It is an insertion sort: the lists sorted here (job, loan and shopping
// queues) hold at most max_M, max_H or max_Z entries.
func sortByKey(idx []int32, key []float64, desc bool) {
	for a := 1; a < len(idx); a++ {
		x := idx[a]
		kx := key[x]
		b := a
		for b > 0 && (!desc && key[idx[b-1]] > kx || desc && key[idx[b-1]] < kx) {
			idx[b] = idx[b-1]
			b--
		}
		idx[b] = x
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

// trimMean is the 5 % two-sided trimmed mean of spec §4.4. It reorders x.
//
//	k = round_half_to_even(0.05·n); drop the k smallest and k largest; mean of the rest
//
// Small inputs use two quickselects. Large ones (the wages of all employed
// households, every period with an exit) first bracket the two cut points
// with pivots taken from a sorted systematic sample, split x in one
// three-way pass, and run the quickselects only inside the two small outer
// parts (Floyd–Rivest style); if a bracket misses, it falls back to the
// plain quickselects. The result is exact up to summation order.
func trimMean(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return 0
	}
	k := int(math.RoundToEven(0.05 * float64(n)))
	if k == 0 {
		return mean(x)
	}
	if n >= 4096 {
		if m, ok := trimMeanBracketed(x, k); ok {
			return m
		}
	}
	selectSmallest(x, k)         // x[:k] are the k smallest
	selectSmallest(x[k:], n-2*k) // x[n-k:] are the k largest
	return mean(x[k : n-k])
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// trimMeanBracketed is the large-n path of trimMean; ok is false when the
// sampled pivots do not bracket the cut points.
func trimMeanBracketed(x []float64, k int) (m float64, ok bool) {
	const ns = 1024
	var sample [ns]float64
	n := len(x)
	for i := range sample {
		sample[i] = x[int(uint64(i)*uint64(n)/ns)]
	}
	slices.Sort(sample[:])
	// Pivots just inside the cut points (expected sample rank of the cut
	// moved inwards by about 4 binomial stds), so that the outer parts hold
	// at least k values each with overwhelming probability.
	q := float64(k) / float64(n)
	c := 4*math.Sqrt(ns*q*(1-q)) + 2
	lo := sample[min(int(q*ns+c), ns-1)]
	hi := sample[max(int((1-q)*ns-c), 0)]
	if lo > hi {
		return 0, false
	}
	// Three-way split: x[:lt] < lo, x[gt+1:] > hi, the rest in between.
	lt, i, gt := 0, 0, n-1
	sum := 0.0
	for i <= gt {
		v := x[i]
		switch {
		case v < lo:
			x[lt], x[i] = v, x[lt]
			lt++
			i++
		case v > hi:
			x[i], x[gt] = x[gt], v
			gt--
		default:
			sum += v
			i++
		}
	}
	nlo, nhi := lt, n-1-gt
	if nlo < k || nhi < k {
		return 0, false
	}
	low, high := x[:lt], x[gt+1:]
	selectSmallest(low, k) // low[k:] belong to the kept middle
	for _, v := range low[k:] {
		sum += v
	}
	selectSmallest(high, nhi-k) // high[:nhi−k] belong to the kept middle
	for _, v := range high[:nhi-k] {
		sum += v
	}
	return sum / float64(n-2*k), true
}

// selectSmallest reorders x so that x[:k] holds its k smallest values
// (in no particular order), by quickselect with a median-of-three pivot.
func selectSmallest(x []float64, k int) {
	lo, hi := 0, len(x)-1
	for lo < hi {
		if hi-lo < 16 {
			slices.Sort(x[lo : hi+1])
			return
		}
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		// x[lo..j] ≤ pivot ≤ x[i..hi], and x[j+1..i-1] == pivot.
		switch {
		case k <= j+1:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
