package stats

import (
	"math"
	"math/big"
	"slices"
)

// eps is the EPS of the "> EPS" guards of the validation spec (§2).
const eps = 1e-9

// Sum returns Σx in NumPy's order: 0.0 + the pairwise sum of A.1.
func Sum(x []float64) float64 { return 0.0 + pairwise(x) }

// pairwise is NumPy's pairwise_sum (numpy/core/src/umath/loops_utils.h):
// left to right below 8 values, eight interleaved accumulators up to 128,
// and a split at a multiple of 8 above.
func pairwise(x []float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s
	case n <= 128:
		// Scalar accumulators (an array would live on the stack).
		r0, r1, r2, r3, r4, r5, r6, r7 := x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
		i := 8
		for ; i < n-n%8; i += 8 {
			c := x[i : i+8 : i+8]
			r0 += c[0]
			r1 += c[1]
			r2 += c[2]
			r3 += c[3]
			r4 += c[4]
			r5 += c[5]
			r6 += c[6]
			r7 += c[7]
		}
		s := ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
		for _, v := range x[i:] {
			s += v
		}
		return s
	default:
		m := n / 2
		m -= m % 8
		return pairwise(x[:m]) + pairwise(x[m:])
	}
}

// Mean returns Sum(x)/n (NaN for an empty slice), NumPy's mean.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return Sum(x) / float64(len(x))
}

// Std returns the population standard deviation sqrt(Σ(x−x̄)²/n),
// NumPy's default std (NaN for an empty slice). Note gonum's stat.StdDev
// divides by n−1.
func Std(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	m := Mean(x)
	d := make([]float64, n)
	for i, v := range x {
		d[i] = (v - m) * (v - m)
	}
	return math.Sqrt(Sum(d) / float64(n))
}

// Corr returns the Pearson correlation of x and y as NumPy's corrcoef
// computes it, clipped to [−1, 1]: the covariance matrix scaled by 1/(n−1),
// then c_xy / σ_x / σ_y. It is NaN if either series is constant, the lengths
// differ, or there are fewer than two points.
func Corr(x, y []float64) float64 {
	n := len(x)
	if n < 2 || len(y) != n {
		return math.NaN()
	}
	mx, my := Mean(x), Mean(y)
	dx, dy, p := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		dx[i], dy[i] = x[i]-mx, y[i]-my
	}
	f := 1 / float64(n-1)
	dot := func(a, b []float64) float64 {
		for i := range a {
			p[i] = a[i] * b[i]
		}
		return Sum(p) * f
	}
	cxy, cxx, cyy := dot(dx, dy), dot(dx, dx), dot(dy, dy)
	c := cxy / math.Sqrt(cxx) / math.Sqrt(cyy)
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return math.NaN()
	}
	return max(-1, min(1, c))
}

// Skew returns the biased Fisher–Pearson skewness g1 = m3 / m2^1.5 with
// m_k = mean((x−x̄)^k), as scipy.stats.skew(bias=True) (not gonum's
// bias-adjusted stat.Skew). It is NaN when m2 ≤ (1e−15·x̄)² (a constant
// series) or x is empty.
func Skew(x []float64) float64 {
	m2, m3, _, ok := centralMoments(x, 3)
	if !ok {
		return math.NaN()
	}
	return m3 / pow15(m2)
}

// centralMoments returns m_k = mean((x−x̄)^k) for k = 2, 3 and, when upTo
// is 4, k = 4, each from NumPy's pairwise sum of the powers (computed as
// d², d²·d and d²·d²). ok is false for an empty x or a constant one: m2 ≤
// (1e−15·x̄)², the degenerate guard of SciPy's skew and kurtosis.
func centralMoments(x []float64, upTo int) (m2, m3, m4 float64, ok bool) {
	n := len(x)
	if n == 0 {
		return 0, 0, 0, false
	}
	m := Mean(x)
	d2, dk := make([]float64, n), make([]float64, n)
	for i, v := range x {
		d := v - m
		d2[i] = d * d
	}
	m2 = Sum(d2) / float64(n)
	for i, v := range x {
		dk[i] = d2[i] * (v - m)
	}
	m3 = Sum(dk) / float64(n)
	if upTo >= 4 {
		for i := range x {
			dk[i] = d2[i] * d2[i]
		}
		m4 = Sum(dk) / float64(n)
	}
	return m2, m3, m4, m2 > (1e-15*m)*(1e-15*m)
}

// pow15 returns x^1.5 correctly rounded (as the C library's pow, which
// NumPy calls, returns it; Go's math.Pow can be 1 ulp off). It computes
// x·√x in 256-bit precision and rounds once.
func pow15(x float64) float64 {
	if x <= 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return math.Pow(x, 1.5)
	}
	b := new(big.Float).SetPrec(256).SetFloat64(x)
	r := new(big.Float).SetPrec(256).Sqrt(b)
	r.Mul(r, b)
	f, _ := r.Float64()
	return f
}

// PercentileSorted returns NumPy's "linear" (Hyndman–Fan type 7) percentile
// p ∈ [0, 100] of the ascending slice sorted (A.2):
//
//	h = (n−1)·(p/100), lo = ⌊h⌋, g = h − lo, a = s[lo], b = s[min(lo+1, n−1)]
//	q = a + (b−a)·g if g < 0.5, else b − (b−a)·(1−g)
//
// It is NaN for an empty slice.
func PercentileSorted(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * (p / 100)
	lo := int(math.Floor(h))
	lo = max(0, min(lo, n-1))
	g := h - float64(lo)
	a, b := sorted[lo], sorted[min(lo+1, n-1)]
	d := b - a
	if g < 0.5 {
		return a + d*g
	}
	return b - d*(1-g)
}

// IQRBounds returns [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of x with type-7
// quartiles.
func IQRBounds(x []float64) (lo, hi float64) {
	s := slices.Clone(x)
	slices.Sort(s)
	q1, q3 := PercentileSorted(s, 25), PercentileSorted(s, 75)
	iqr := q3 - q1
	return q1 - 1.5*iqr, q3 + 1.5*iqr
}

// IQRFilter keeps the pairs (x_i, y_i) whose coordinates both lie in the
// IQR bounds of their own series, inclusive — the outlier filter of the
// Okun correlation (spec §9.4). With fewer than 4 pairs it keeps every pair.
func IQRFilter(x, y []float64) (fx, fy []float64) {
	if len(x) < 4 {
		return slices.Clone(x), slices.Clone(y)
	}
	xl, xh := IQRBounds(x)
	yl, yh := IQRBounds(y)
	fx, fy = make([]float64, 0, len(x)), make([]float64, 0, len(y))
	for i := range x {
		if x[i] >= xl && x[i] <= xh && y[i] >= yl && y[i] <= yh {
			fx = append(fx, x[i])
			fy = append(fy, y[i])
		}
	}
	return fx, fy
}

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

// Sorted returns a copy of x sorted ascending (NaNs first, as slices.Sort puts
// them).
func Sorted(x []float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s
}

// Percentile returns the type-7 percentile p of x (unsorted).
func Percentile(x []float64, p float64) float64 {
	return PercentileSorted(Sorted(x), p)
}

// Median returns NumPy's median: the middle value, or (a+b)/2 of the two
// middle values for even n (NaN for empty x).
func Median(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	s := Sorted(x)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ExKurt returns the biased excess kurtosis m4 / m2² − 3 (as
// scipy.stats.kurtosis(bias=True); used by robustness analysis, spec §2),
// NaN under the same degenerate guard as [Skew].
func ExKurt(x []float64) float64 {
	m2, _, m4, ok := centralMoments(x, 4)
	if !ok {
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
	k := Indices(len(x))
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
	return Std(x) / math.Max(Mean(x), eps)
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
	s := Sorted(x)
	w := make([]float64, n)
	c := 0.0
	for i, v := range s {
		w[i] = float64(i+1) * v
		c += v
	}
	fn := float64(n)
	return (2*Sum(w))/(fn*c) - (fn+1)/fn
}

// Indices returns 0, 1, …, n−1 as floats (the regressor of [Detrend]).
func Indices(n int) []float64 {
	k := make([]float64, n)
	for i := range k {
		k[i] = float64(i)
	}
	return k
}
