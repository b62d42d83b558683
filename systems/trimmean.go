package systems

import (
	"math"
	"slices"
)

// trimMean is the 5 % two-sided trimmed mean of spec §4.4. It reorders x;
// work must hold at least len(x) bytes (scratch for the bucketed path).
//
//	k = round_half_to_even(0.05·n); drop the k smallest and k largest; mean of the rest
//
// Inputs of 64 values or more (the wages of all employed households, every
// period with an exit) are first tried by bucketing (trimMeanBuckets): one
// pass for the range, one that buckets and counts, and a quickselect
// inside the two buckets that hold the cut points. When both cut points
// fall into one bucket (heavy tails, massive ties), large inputs bracket
// the cut points with pivots from a sorted systematic sample
// (trimMeanBracketed), and anything else runs two plain quickselects.
// Every path is exact up to summation order.
func trimMean(x []float64, work []uint8) float64 {
	n := len(x)
	if n == 0 {
		return 0
	}
	k := int(math.RoundToEven(0.05 * float64(n)))
	if k == 0 {
		return mean(x)
	}
	if n >= 64 {
		if m, ok := trimMeanBuckets(x, k, work[:n]); ok {
			return m
		}
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

// trimMeanBuckets is the bucketed path of trimMean (0 < 2k < n); ok is
// false when x is not finite or both cut points fall into the same bucket.
// bk (len(x) bytes) receives each value's bucket.
//
// One pass finds the range, a second buckets every value into one of nb
// equal-width buckets and counts and sums them (no data-dependent
// branches); the prefix counts locate the bucket holding the k-th smallest
// value (bl) and the one holding the k-th largest (bh). Only those two
// buckets are gathered to the front of x and partially sorted; the kept
// sum is the bucket sums strictly between them plus what the two boundary
// buckets keep.
func trimMeanBuckets(x []float64, k int, bk []uint8) (m float64, ok bool) {
	const nb = 64
	bk = bk[:len(x)]
	// The range by plain comparisons (the running extremes rarely change,
	// so the branches are predicted). NaN and ±Inf show in the plain sum,
	// which is also non-finite when finite values overflow it (the exact
	// fallback paths take those).
	lo, hi := x[0], x[0]
	all := 0.0
	for _, v := range x {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
		all += v
	}
	if math.IsNaN(all) || math.IsInf(all, 0) {
		return 0, false
	}
	if lo == hi {
		// All equal: the smallest, with min's sign rule for zeros.
		m := x[0]
		for _, v := range x {
			m = min(m, v)
		}
		return m, true
	}
	if math.IsInf(hi-lo, 0) {
		return 0, false
	}
	scale := nb / (hi - lo)
	var cnt [nb + 1]int
	var sum [nb + 1]float64
	for i, v := range x {
		b := min(int((v-lo)*scale), nb)
		bk[i] = uint8(b)
		cnt[b]++
		sum[b] += v
	}
	// bl holds the k-th smallest value: below it lie cLo < k values.
	bl, cLo := 0, 0
	for cLo+cnt[bl] < k {
		cLo += cnt[bl]
		bl++
	}
	bh, cHi := nb, 0
	for cHi+cnt[bh] < k {
		cHi += cnt[bh]
		bh--
	}
	if bl >= bh {
		return 0, false
	}
	kept := 0.0
	for b := bl + 1; b < bh; b++ {
		kept += sum[b]
	}
	// Gather bucket bl to x[:ml] and bucket bh to x[ml:ml+mh] (swaps keep x
	// a permutation of its values, and bk in step with it).
	ml, mh := cnt[bl], cnt[bh]
	g := 0
	for i, b := range bk {
		if int(b) == bl {
			x[g], x[i] = x[i], x[g]
			bk[g], bk[i] = b, bk[g]
			g++
		}
	}
	for i := g; i < len(x); i++ {
		if int(bk[i]) == bh {
			x[g], x[i] = x[i], x[g]
			g++
		}
	}
	kept = addKeptOuter(kept, x[:ml], k-cLo, x[ml:ml+mh], k-cHi)
	return kept / float64(len(x)-2*k), true
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
	sum = addKeptOuter(sum, x[:lt], k, x[gt+1:], k)
	return sum / float64(n-2*k), true
}

// addKeptOuter adds to s, one value at a time, what the trimmed mean keeps
// of the two outer parts around its middle: low without its dropLo
// smallest values and high without its dropHi largest. It reorders both.
func addKeptOuter(s float64, low []float64, dropLo int, high []float64, dropHi int) float64 {
	selectSmallest(low, dropLo) // low[dropLo:] are kept
	for _, v := range low[dropLo:] {
		s += v
	}
	keep := len(high) - dropHi
	selectSmallest(high, keep) // high[:keep] are kept
	for _, v := range high[:keep] {
		s += v
	}
	return s
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
