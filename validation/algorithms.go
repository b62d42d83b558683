package validation

import (
	"math"
	"slices"
	"sort"

	"github.com/bam-abm/bam/stats"

	"gonum.org/v1/gonum/mat"
)

// This file holds the exact algorithms of Appendix A that are not plain
// statistics: peak finding (A.3) and the recession detector built on it
// (§6.2), the Hodrick–Prescott filter (A.4), the tent-shape R² (A.5) and the
// log-log CCDF R² (A.6).

// FindPeaks returns the indices of the peaks of x, in increasing order, as
// SciPy's find_peaks(x, distance=distance, prominence=minProminence) finds
// them (A.3):
//
//  1. local maxima, a plateau reported at its midpoint rounded down, the
//     end points never;
//  2. the distance filter: peaks are visited from the highest down; a peak
//     still kept removes every other peak closer than ⌈distance⌉ on either
//     side. Peaks of exactly equal height are visited from the larger index
//     down (a stable ascending sort walked from its end), a choice the
//     reference leaves undefined;
//  3. the prominence of each surviving peak, without a window;
//  4. the peaks with prominence ≥ minProminence.
func FindPeaks(x []float64, distance, minProminence float64) []int {
	n := len(x)
	var peaks []int
	for i := 1; i < n-1; i++ {
		if x[i-1] < x[i] {
			j := i + 1
			for j < n-1 && x[j] == x[i] {
				j++
			}
			if x[j] < x[i] {
				peaks = append(peaks, (i+j-1)/2)
				i = j
			}
		}
	}
	if len(peaks) == 0 {
		return nil
	}
	// Distance filter.
	d := int(math.Ceil(distance))
	keep := make([]bool, len(peaks))
	for i := range keep {
		keep[i] = true
	}
	order := make([]int, len(peaks))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return x[peaks[order[a]]] < x[peaks[order[b]]] })
	for r := len(order) - 1; r >= 0; r-- {
		j := order[r]
		if !keep[j] {
			continue
		}
		for k := j - 1; k >= 0 && peaks[j]-peaks[k] < d; k-- {
			keep[k] = false
		}
		for k := j + 1; k < len(peaks) && peaks[k]-peaks[j] < d; k++ {
			keep[k] = false
		}
	}
	out := peaks[:0]
	for i, p := range peaks {
		if keep[i] && Prominence(x, p) >= minProminence {
			out = append(out, p)
		}
	}
	return out
}

// Prominence returns the prominence of the peak at index p of x with no
// window limit (SciPy's peak_prominences): walking left and then right
// from p while the values do not exceed x[p], it tracks the lowest value
// on each side; the prominence is x[p] − max(left minimum, right minimum).
func Prominence(x []float64, p int) float64 {
	leftMin := x[p]
	for i := p; i >= 0 && x[i] <= x[p]; i-- {
		leftMin = min(leftMin, x[i])
	}
	rightMin := x[p]
	for i := p; i < len(x) && x[i] <= x[p]; i++ {
		rightMin = min(rightMin, x[i])
	}
	return x[p] - max(leftMin, rightMin)
}

// Recession detector settings (spec §6.2).
const (
	recessionProminence = 0.03
	recessionDistance   = 20
	recessionTail       = 10 // periods kept after the trough
	recessionBridge     = 10 // gaps shorter than this are filled
)

// Recessions runs the recession detector of spec §6.2 on the full log-GDP
// series ℓ (t = 0 … T−1) and returns the number of recession episodes in the
// window t ≥ burnIn and their mean length in periods (0 when there is
// none).
func Recessions(logGDP []float64, burnIn int) (count int, meanLength float64) {
	T := len(logGDP)
	if T < 10 || burnIn >= T {
		return 0, 0
	}
	s := stats.MA5(logGDP)
	neg := make([]float64, T)
	for i, v := range s {
		neg[i] = -v
	}
	peaks := FindPeaks(s, recessionDistance, recessionProminence)
	troughs := FindPeaks(neg, recessionDistance, recessionProminence)
	mask := make([]bool, T)
	for _, p := range peaks {
		k := sort.SearchInts(troughs, p+1)
		if k == len(troughs) {
			continue
		}
		end := min(troughs[k]+recessionTail, T)
		for t := p; t < end; t++ {
			mask[t] = true
		}
	}
	runs := trueRuns(mask)
	for i := 1; i < len(runs); i++ {
		if runs[i][0]-runs[i-1][1] < recessionBridge {
			for t := runs[i-1][1]; t < runs[i][0]; t++ {
				mask[t] = true
			}
		}
	}
	ss := trueRuns(mask[burnIn:])
	if len(ss) == 0 {
		return 0, 0
	}
	total := 0
	for _, r := range ss {
		total += r[1] - r[0]
	}
	return len(ss), float64(total) / float64(len(ss))
}

// trueRuns returns the [start, end) index ranges of the runs of true values.
func trueRuns(mask []bool) [][2]int {
	var runs [][2]int
	for i := 0; i < len(mask); {
		if !mask[i] {
			i++
			continue
		}
		j := i
		for j < len(mask) && mask[j] {
			j++
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}

// HPFilter splits y into trend and cycle with the Hodrick–Prescott filter
// (A.4): the trend τ solves (I + λ·KᵀK)·τ = y, K the (n−2)×n
// second-difference matrix; the cycle is y − τ. The pentadiagonal system is
// solved by a banded Cholesky factorisation (gonum/mat). For n < 3 the
// trend is y and the cycle 0. A failed factorisation (impossible for
// λ ≥ 0, where the matrix is positive definite) yields NaNs.
func HPFilter(y []float64, lambda float64) (trend, cycle []float64) {
	n := len(y)
	trend, cycle = slices.Clone(y), make([]float64, n)
	if n < 3 {
		return trend, cycle
	}
	a := mat.NewSymBandDense(n, 2, nil)
	for i := range n {
		a.SetSymBand(i, i, 1)
	}
	// Add λ·kᵀk for every row k = (…, 1, −2, 1, …) of K.
	coef := [3]float64{1, -2, 1}
	for r := 0; r+2 < n; r++ {
		for p := range 3 {
			for q := p; q < 3; q++ {
				i, j := r+p, r+q
				a.SetSymBand(i, j, a.At(i, j)+lambda*coef[p]*coef[q])
			}
		}
	}
	var ch mat.BandCholesky
	nan := func() ([]float64, []float64) {
		for i := range trend {
			trend[i], cycle[i] = math.NaN(), math.NaN()
		}
		return trend, cycle
	}
	if !ch.Factorize(a) {
		return nan()
	}
	var tau mat.VecDense
	if err := ch.SolveVecTo(&tau, mat.NewVecDense(n, slices.Clone(y))); err != nil {
		return nan()
	}
	for i := range n {
		trend[i] = tau.AtVec(i)
		cycle[i] = y[i] - trend[i]
	}
	return trend, cycle
}

// TentR2 is the tent-shape (Laplace) R² of a growth-rate sample (A.5):
// the mean over the negative and the non-negative side of the R² of
// ln(rank) on value, after dropping the most extreme 10 % (at least one
// point) of each side; 0 when fewer than 20 values are finite, either side
// has fewer than 10, or no side is usable.
func TentR2(x []float64) float64 {
	var neg, pos []float64
	for _, v := range x {
		if !finite(v) {
			continue
		}
		if v < 0 {
			neg = append(neg, v)
		} else {
			pos = append(pos, v)
		}
	}
	if len(neg)+len(pos) < 20 || len(neg) < 10 || len(pos) < 10 {
		return 0
	}
	slices.Sort(neg)                                                   // rank 1 = most negative
	slices.SortFunc(pos, func(a, b float64) int { return cmpF(b, a) }) // rank 1 = largest
	sum, k := 0.0, 0
	for _, side := range [][]float64{neg, pos} {
		if r2, ok := tentSide(side); ok {
			sum += r2
			k++
		}
	}
	if k == 0 {
		return 0
	}
	return sum / float64(k)
}

// tentSide fits ln(rank) = a·value + b on one sorted side of the tent,
// ranks 1 … n, after trimming the first ⌊0.1·n⌋ (at least 1) points, which
// keep their ranks. ok is false when the side is skipped.
func tentSide(sorted []float64) (r2 float64, ok bool) {
	n := len(sorted)
	trim := max(1, int(math.Floor(0.10*float64(n))))
	if n-trim < 5 {
		return 0, false
	}
	xs := sorted[trim:]
	ys := make([]float64, len(xs))
	for i := range xs {
		ys[i] = math.Log(float64(trim + i + 1))
	}
	my := stats.Mean(ys)
	d := make([]float64, len(ys))
	for i, v := range ys {
		d[i] = (v - my) * (v - my)
	}
	ssTot := stats.Sum(d)
	if ssTot == 0 {
		return 0, false
	}
	if stats.Min(xs) == stats.Max(xs) {
		if xs[0] == 0 {
			return 0, false // the reference's solve raises: side skipped
		}
		return 0, true // a flat line at mean(y)
	}
	a, b := stats.OLSLine(xs, ys)
	for i := range xs {
		e := ys[i] - (a + b*xs[i])
		d[i] = e * e
	}
	return 1 - stats.Sum(d)/ssTot, true
}

// CCDFR2 is the log-log CCDF R² of a distribution fit (A.6): x are the
// positive data (any order), ccdf the fitted survival function 1 − CDF. The
// empirical CCDF at the i-th smallest value is 1 − i/n; points with a zero
// empirical or fitted CCDF, a non-positive x or a non-finite fitted CCDF are
// dropped; with fewer than 10 left the result is 0. R² = 1 −
// Σ(L_e − L_t)² / Σ(L_e − mean L_e)² with L = log10, 0 when the denominator
// is 0; it can be negative.
func CCDFR2(x []float64, ccdf func(float64) float64) float64 {
	s := stats.Sorted(x)
	n := len(s)
	var le, lt []float64
	for i, v := range s {
		e := 1 - float64(i+1)/float64(n)
		f := ccdf(v)
		if e > 0 && f > 0 && v > 0 && finite(f) {
			le = append(le, math.Log10(e))
			lt = append(lt, math.Log10(f))
		}
	}
	if len(le) < 10 {
		return 0
	}
	m := stats.Mean(le)
	res, tot := make([]float64, len(le)), make([]float64, len(le))
	for i := range le {
		res[i] = (le[i] - lt[i]) * (le[i] - lt[i])
		tot[i] = (le[i] - m) * (le[i] - m)
	}
	den := stats.Sum(tot)
	if den == 0 {
		return 0
	}
	return 1 - stats.Sum(res)/den
}

// KSStatistic returns the Kolmogorov–Smirnov distance between the empirical
// distribution of x and the CDF cdf.
func KSStatistic(x []float64, cdf func(float64) float64) float64 {
	s := stats.Sorted(x)
	n := float64(len(s))
	if len(s) == 0 {
		return math.NaN()
	}
	d := 0.0
	for i, v := range s {
		f := cdf(v)
		d = max(d, float64(i+1)/n-f, f-float64(i)/n)
	}
	return d
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
