package bam

import (
	"math"
	"math/big"
	"slices"
)

// The statistics primitives of the validation spec (§2 and Appendix A),
// written to reproduce NumPy's results bit for bit where the spec says it
// can: sums use NumPy's pairwise summation (A.1), percentiles NumPy's
// "linear" method (A.2), the skewness SciPy's biased estimator with a
// correctly rounded m2^1.5. The validation engine (scenarios/validation),
// the equivalence gate, `bam run`'s summary and `bam plot` all use these.
// Every function accepts empty input and returns NaN instead of panicking.

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

// PopStd returns the population standard deviation sqrt(Σ(x−x̄)²/n),
// NumPy's default std (NaN for an empty slice). Note gonum's stat.StdDev
// divides by n−1.
func PopStd(x []float64) float64 {
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
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	m := Mean(x)
	d2, d3 := make([]float64, n), make([]float64, n)
	for i, v := range x {
		d := v - m
		d2[i] = d * d
		d3[i] = d2[i] * d
	}
	m2, m3 := Sum(d2)/float64(n), Sum(d3)/float64(n)
	if m2 <= (1e-15*m)*(1e-15*m) {
		return math.NaN()
	}
	return m3 / pow15(m2)
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

// Percentile returns NumPy's "linear" (Hyndman–Fan type 7) percentile
// p ∈ [0, 100] of the ascending slice sorted (A.2):
//
//	h = (n−1)·(p/100), lo = ⌊h⌋, g = h − lo, a = s[lo], b = s[min(lo+1, n−1)]
//	q = a + (b−a)·g if g < 0.5, else b − (b−a)·(1−g)
//
// It is NaN for an empty slice.
func Percentile(sorted []float64, p float64) float64 {
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
	q1, q3 := Percentile(s, 25), Percentile(s, 75)
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
