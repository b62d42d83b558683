package stats

import (
	"math"
	"slices"
)

// ShapiroWilk returns the Shapiro–Wilk statistic W of x and its p-value by
// Royston's algorithm AS R94 (Royston 1995, Applied Statistics 44:547),
// the algorithm of SciPy's scipy.stats.shapiro (swilk.c), which the
// validation spec's firm-size test means (§9.1, on at most the first 500
// values). The coefficients come from Royston's polynomial approximations
// to the expected normal order statistics, m_i = Φ⁻¹((i − 3/8)/(n + 1/4));
// W is the squared correlation of the sorted data with them; the p-value
// is exact for n = 3 and Royston's normalising transformation otherwise
// (separate fits for n ≤ 11 and n ≥ 12). It returns NaN, NaN for fewer
// than 3 values, more than 5000, or a constant sample.
func ShapiroWilk(x []float64) (w, p float64) {
	n := len(x)
	if n < 3 || n > 5000 {
		return math.NaN(), math.NaN()
	}
	xs := slices.Clone(x)
	slices.Sort(xs)
	rng := xs[n-1] - xs[0]
	if !(rng > 1e-19) || math.IsNaN(rng) {
		return math.NaN(), math.NaN()
	}
	a := swilkCoefficients(n)
	// The full, antisymmetric coefficient vector, lowest value first.
	full := make([]float64, n)
	for i, ai := range a {
		full[i], full[n-1-i] = -ai, ai
	}
	ma, mx := Mean(full), 0.0
	for _, v := range xs {
		mx += v / rng
	}
	mx /= float64(n)
	var ssa, ssx, sax float64
	for i := range xs {
		da, dx := full[i]-ma, xs[i]/rng-mx
		ssa += da * da
		ssx += dx * dx
		sax += da * dx
	}
	ssassx := math.Sqrt(ssa * ssx)
	w1 := (ssassx - sax) * (ssassx + sax) / (ssa * ssx)
	w = 1 - w1
	if n == 3 {
		const pi6, stqr = 6 / math.Pi, math.Pi / 3
		return w, math.Max(0, pi6*(math.Asin(math.Sqrt(w))-stqr))
	}
	y := math.Log(w1)
	an := float64(n)
	var m, s float64
	if n <= 11 {
		gamma := poly([]float64{-2.273, 0.459}, an)
		if y >= gamma {
			return w, 1e-99 // as swilk.c: W so small the transformation breaks down
		}
		y = -math.Log(gamma - y)
		m = poly([]float64{0.544, -0.39978, 0.025054, -6.714e-4}, an)
		s = math.Exp(poly([]float64{1.3822, -0.77857, 0.062767, -0.0020322}, an))
	} else {
		lx := math.Log(an)
		m = poly([]float64{-1.5861, -0.31082, -0.083751, 0.0038915}, lx)
		s = math.Exp(poly([]float64{-0.4803, -0.082676, 0.0030302}, lx))
	}
	return w, 0.5 * math.Erfc((y-m)/s/math.Sqrt2)
}

// swilkCoefficients returns the n/2 Shapiro–Wilk coefficients a_1 ≥ a_2 …
// of the upper half of the sorted sample (AS R94).
func swilkCoefficients(n int) []float64 {
	n2 := n / 2
	a := make([]float64, n2)
	if n == 3 {
		a[0] = math.Sqrt2 / 2
		return a
	}
	an := float64(n)
	m := make([]float64, n2)
	summ2 := 0.0
	for i := range n2 {
		q := (float64(i+1) - 0.375) / (an + 0.25)
		m[i] = -math.Sqrt2 * math.Erfcinv(2*q) // Φ⁻¹(q), negative
		summ2 += m[i] * m[i]
	}
	summ2 *= 2
	ssumm2 := math.Sqrt(summ2)
	rsn := 1 / math.Sqrt(an)
	a1 := poly([]float64{0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056}, rsn) - m[0]/ssumm2
	a[0] = a1
	first := 1
	var fac float64
	if n > 5 {
		a2 := -m[1]/ssumm2 + poly([]float64{0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633}, rsn)
		fac = math.Sqrt((summ2 - 2*m[0]*m[0] - 2*m[1]*m[1]) / (1 - 2*a1*a1 - 2*a2*a2))
		a[1] = a2
		first = 2
	} else {
		fac = math.Sqrt((summ2 - 2*m[0]*m[0]) / (1 - 2*a1*a1))
	}
	for i := first; i < n2; i++ {
		a[i] = -m[i] / fac
	}
	return a
}

// poly evaluates c[0] + c[1]·x + c[2]·x² + … by Horner's rule.
func poly(c []float64, x float64) float64 {
	r := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		r = r*x + c[i]
	}
	return r
}
