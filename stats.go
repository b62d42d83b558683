package bam

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Mean returns the arithmetic mean of x (NaN for an empty slice).
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return stat.Mean(x, nil)
}

// PopStd returns the population standard deviation of x (divide by n).
func PopStd(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return stat.PopStdDev(x, nil)
}

// Corr returns the Pearson correlation of x and y, clipped to [−1, 1]; NaN
// if either is constant or they have fewer than two points.
func Corr(x, y []float64) float64 {
	if len(x) < 2 || len(x) != len(y) {
		return math.NaN()
	}
	c := stat.Correlation(x, y, nil)
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return math.NaN()
	}
	return max(-1, min(1, c))
}

// Skew returns the biased Fisher–Pearson skewness g1 = m3 / m2^1.5 with
// population central moments (not gonum's bias-adjusted stat.Skew). It is
// NaN when m2 ≤ (1e−15·mean)² or x is empty.
//
//	m_k = mean((x − x̄)^k)
func Skew(x []float64) float64 {
	n := float64(len(x))
	if n == 0 {
		return math.NaN()
	}
	m := stat.Mean(x, nil)
	var m2, m3 float64
	for _, v := range x {
		d := v - m
		m2 += d * d
		m3 += d * d * d
	}
	m2 /= n
	m3 /= n
	if m2 <= (1e-15*m)*(1e-15*m) || m2 == 0 {
		return math.NaN()
	}
	return m3 / math.Pow(m2, 1.5)
}

// Percentile returns NumPy's default ("linear", Hyndman–Fan type 7)
// percentile p ∈ [0, 100] of x. sorted must be x sorted ascending.
//
//	h = (n−1)·p/100;  q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p / 100
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// IQRFilter returns the pairs (x_i, y_i) for which both coordinates lie in
// [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of their own series (type-7 quartiles), the
// outlier filter of the Okun correlation (spec §9.4).
func IQRFilter(x, y []float64) (fx, fy []float64) {
	bounds := func(v []float64) (lo, hi float64) {
		s := slices.Clone(v)
		slices.Sort(s)
		q1, q3 := Percentile(s, 25), Percentile(s, 75)
		iqr := q3 - q1
		return q1 - 1.5*iqr, q3 + 1.5*iqr
	}
	xl, xh := bounds(x)
	yl, yh := bounds(y)
	for i := range x {
		if x[i] >= xl && x[i] <= xh && y[i] >= yl && y[i] <= yh {
			fx = append(fx, x[i])
			fy = append(fy, y[i])
		}
	}
	return fx, fy
}
