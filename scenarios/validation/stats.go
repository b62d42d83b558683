package validation

import (
	"math"
	"slices"

	"github.com/bam-abm/bam"
)

// This file holds the numerical primitives of spec §2 and Appendix A, written
// to reproduce NumPy's results bit for bit where the spec says it can: sums
// use NumPy's pairwise summation (A.1), percentiles NumPy's "linear" method
// (A.2). Every function accepts empty input and then returns NaN (or the
// documented value) instead of panicking, so a short or collapsed run gives
// NaN metrics, hence FAIL, and never aborts (spec §13, pitfall 10).

// epsGuard is the EPS of the "> EPS" guards of the spec (§2).
const epsGuard = 1e-9

// Sum returns Σx in NumPy's order (pairwise summation, A.1); see [bam.Sum].
func Sum(x []float64) float64 { return bam.Sum(x) }

// Mean returns NumPy's mean (NaN for empty x); see [bam.Mean].
func Mean(x []float64) float64 { return bam.Mean(x) }

// Std returns the population standard deviation, NumPy's default std (NaN
// for empty x); see [bam.PopStd].
func Std(x []float64) float64 { return bam.PopStd(x) }

// Max returns the largest value of x, NaN if x is empty or holds a NaN
// (NumPy's max propagates NaN).
func Max(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	m := x[0]
	for _, v := range x {
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v > m {
			m = v
		}
	}
	return m
}

// Min returns the smallest value of x, NaN if x is empty or holds a NaN.
func Min(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	m := x[0]
	for _, v := range x {
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v < m {
			m = v
		}
	}
	return m
}

// Frac returns the share of the elements of x meeting cond (NaN for empty
// x), the spec's frac(cond over A).
func Frac(x []float64, cond func(float64) bool) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	k := 0
	for _, v := range x {
		if cond(v) {
			k++
		}
	}
	return float64(k) / float64(len(x))
}

// Corr returns the Pearson correlation as NumPy's corrcoef computes it,
// clipped to [−1, 1] (NaN for a constant series); see [bam.Corr].
func Corr(x, y []float64) float64 { return bam.Corr(x, y) }

// sortedCopy returns x sorted ascending (NaNs first, as slices.Sort puts
// them).
func sortedCopy(x []float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s
}

// PercentileSorted returns NumPy's "linear" (type 7) percentile p of the
// ascending slice s (A.2); see [bam.Percentile].
func PercentileSorted(s []float64, p float64) float64 { return bam.Percentile(s, p) }

// Percentile returns the type-7 percentile p of x (unsorted).
func Percentile(x []float64, p float64) float64 {
	return PercentileSorted(sortedCopy(x), p)
}

// Median returns NumPy's median: the middle value, or (a+b)/2 of the two
// middle values for even n (NaN for empty x).
func Median(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	s := sortedCopy(x)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Skew returns the biased Fisher–Pearson skewness m3 / m2^1.5, as
// scipy.stats.skew(bias=True); see [bam.Skew].
func Skew(x []float64) float64 { return bam.Skew(x) }

// ExKurt returns the biased excess kurtosis m4 / m2² − 3 (as
// scipy.stats.kurtosis(bias=True); used by robustness analysis, spec §2),
// NaN under the same degenerate guard as [Skew].
func ExKurt(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	m := Mean(x)
	d2, d4 := make([]float64, n), make([]float64, n)
	for i, v := range x {
		d := v - m
		d2[i] = d * d
		d4[i] = d2[i] * d2[i]
	}
	m2, m4 := Sum(d2)/float64(n), Sum(d4)/float64(n)
	if m2 <= (1e-15*m)*(1e-15*m) {
		return math.NaN()
	}
	return m4/(m2*m2) - 3
}

// OLSSlope returns the slope b of the least-squares line y = a + b·x
// (NumPy's polyfit of degree 1), NaN for fewer than two points or constant
// x.
func OLSSlope(x, y []float64) float64 {
	n := len(x)
	if n < 2 || len(y) != n {
		return math.NaN()
	}
	mx, my := Mean(x), Mean(y)
	sxy, sxx := make([]float64, n), make([]float64, n)
	for i := range x {
		dx := x[i] - mx
		sxy[i] = dx * (y[i] - my)
		sxx[i] = dx * dx
	}
	den := Sum(sxx)
	if den == 0 {
		return math.NaN()
	}
	return Sum(sxy) / den
}

// OLSLine returns intercept a and slope b of the least-squares line
// y = a + b·x (NaN for fewer than two points or constant x).
func OLSLine(x, y []float64) (a, b float64) {
	b = OLSSlope(x, y)
	if math.IsNaN(b) {
		return math.NaN(), math.NaN()
	}
	return Mean(y) - b*Mean(x), b
}

// IQRBounds returns [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of x with type-7
// quartiles (A.2); see [bam.IQRBounds].
func IQRBounds(x []float64) (lo, hi float64) { return bam.IQRBounds(x) }

// IQRFilterPairs keeps the pairs whose coordinates both lie in the IQR
// bounds of their own series (the Okun filter of spec §5.1); see
// [bam.IQRFilter].
func IQRFilterPairs(x, y []float64) (fx, fy []float64) { return bam.IQRFilter(x, y) }

// MA5 returns the centred 5-point moving average of x: y_i is the dot
// product of x_{i−2} … x_{i+2} with a kernel of 0.2s for 2 ≤ i ≤ n−3; the
// first two and last two points (every point when n < 5) are x unchanged.
func MA5(x []float64) []float64 {
	y := slices.Clone(x)
	for i := 2; i+2 < len(x); i++ {
		y[i] = 0.2*x[i-2] + 0.2*x[i-1] + 0.2*x[i] + 0.2*x[i+1] + 0.2*x[i+2]
	}
	return y
}

// Detrend returns the residuals of x after removing its least-squares line
// in the index 0 … n−1.
func Detrend(x []float64) []float64 {
	k := indexSeries(len(x))
	a, b := OLSLine(k, x)
	r := make([]float64, len(x))
	for i, v := range x {
		r[i] = v - (a + b*k[i])
	}
	return r
}

// DetCorr is the spec's detcorr (§6.1): 0 if n < 10, otherwise the Pearson
// correlation of the OLS-detrended series, and 0 if that is not finite.
func DetCorr(x, y []float64) float64 {
	if len(x) < 10 || len(y) != len(x) {
		return 0
	}
	c := Corr(Detrend(x), Detrend(y))
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return 0
	}
	return c
}

// CV returns std(x) / max(mean(x), 1e−9) (the mean is not taken in absolute
// value, spec §6.1).
func CV(x []float64) float64 {
	return Std(x) / math.Max(Mean(x), epsGuard)
}

// Within returns, among the finite values of x, the share lying in
// [lo, hi]; 0 if none is finite (spec §6.3).
func Within(x []float64, lo, hi float64) float64 {
	n, k := 0, 0
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		n++
		if v >= lo && v <= hi {
			k++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Gini returns the Gini coefficient of x (any signs) as A.6 defines it:
// sorted ascending, G = 2·Σ i·x_(i) / (n·C) − (n+1)/n where C is the running
// (left-to-right) total of the sorted values; 0 when x is empty or sums to
// 0.
func Gini(x []float64) float64 {
	n := len(x)
	if n == 0 || Sum(x) == 0 {
		return 0
	}
	s := sortedCopy(x)
	w := make([]float64, n)
	c := 0.0
	for i, v := range s {
		w[i] = float64(i+1) * v
		c += v
	}
	fn := float64(n)
	return (2*Sum(w))/(fn*c) - (fn+1)/fn
}

// indexSeries returns 0, 1, …, n−1 as floats.
func indexSeries(n int) []float64 {
	k := make([]float64, n)
	for i := range k {
		k[i] = float64(i)
	}
	return k
}

// safeDiv is the reference's denominator guard: z unless it is exactly 0,
// then 1e−10 (spec §2).
func safeDiv(z float64) float64 {
	if z == 0 {
		return 1e-10
	}
	return z
}

// atLeastEps returns z if z > 1e−9, else 1e−9 (the "> EPS" guards of §6.1).
func atLeastEps(z float64) float64 {
	if z > epsGuard {
		return z
	}
	return epsGuard
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
