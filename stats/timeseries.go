package stats

import (
	"math"
	"slices"
)

// CrossCorr returns the co-movements of y with x at lags −maxLag … +maxLag
// (validation spec §9.1): c[k+maxLag] = Corr(x_t, y_{t+k}) over the
// overlapping segment, so that k > 0 means y lags x. A lag whose segment
// has fewer than 3 points, or where either side is constant, is NaN. x and
// y must have the same length (else every value is NaN).
func CrossCorr(x, y []float64, maxLag int) []float64 {
	c := make([]float64, 2*maxLag+1)
	for i := range c {
		c[i] = math.NaN()
	}
	n := len(x)
	if len(y) != n || maxLag < 0 {
		return c
	}
	for k := -maxLag; k <= maxLag; k++ {
		var xs, ys []float64
		if k >= 0 {
			xs, ys = x[:max(n-k, 0)], y[min(k, n):]
		} else {
			xs, ys = x[min(-k, n):], y[:max(n+k, 0)]
		}
		if len(xs) >= 3 {
			c[k+maxLag] = Corr(xs, ys)
		}
	}
	return c
}

// PeakLag returns the lag of CrossCorr's result c (of maxLag) with the
// largest |c_k|, the first such lag on a tie (NumPy's argmax), and false
// when every value is NaN.
func PeakLag(c []float64, maxLag int) (int, bool) {
	best, at := -1.0, 0
	for i, v := range c {
		if !math.IsNaN(v) && math.Abs(v) > best {
			best, at = math.Abs(v), i
		}
	}
	return at - maxLag, best >= 0
}

// AR is an autoregression x_t = Const + Σ Phi[i]·x_{t−1−i} + e_t fitted by
// ordinary least squares, with its coefficient of determination.
type AR struct {
	Const float64
	Phi   []float64
	R2    float64
}

// ARFit fits an AR(p) with intercept to x by OLS over t = p … n−1 (spec
// §9.1) and returns it, or false when there are fewer than p + 2
// observations or the regressors are collinear (a constant series). R² is
// 1 − SSR/SST around the mean of the regressand. The normal equations,
// (p+1) × (p+1), are solved by Gaussian elimination with partial
// pivoting.
func ARFit(x []float64, p int) (AR, bool) {
	n := len(x) - p
	if p < 1 || n < p+2 {
		return AR{}, false
	}
	k := p + 1
	a := make([][]float64, k) // [X'X | X'y]
	for i := range a {
		a[i] = make([]float64, k+1)
	}
	row := make([]float64, k)
	for t := p; t < len(x); t++ {
		row[0] = 1
		for i := 1; i <= p; i++ {
			row[i] = x[t-i]
		}
		for i := range k {
			for j := range k {
				a[i][j] += row[i] * row[j]
			}
			a[i][k] += row[i] * x[t]
		}
	}
	beta, ok := solve(a)
	if !ok {
		return AR{}, false
	}
	y := x[p:]
	my := Mean(y)
	res, tot := make([]float64, n), make([]float64, n)
	for t := p; t < len(x); t++ {
		fit := beta[0]
		for i := 1; i <= p; i++ {
			fit += beta[i] * x[t-i]
		}
		res[t-p] = (x[t] - fit) * (x[t] - fit)
		tot[t-p] = (x[t] - my) * (x[t] - my)
	}
	r2 := math.NaN()
	if sst := Sum(tot); sst > 0 {
		r2 = 1 - Sum(res)/sst
	}
	return AR{Const: beta[0], Phi: slices.Clone(beta[1:]), R2: r2}, true
}

// solve solves the augmented system a (k rows of k+1) in place by Gaussian
// elimination with partial pivoting; false if it is singular.
func solve(a [][]float64) ([]float64, bool) {
	k := len(a)
	scale := 0.0
	for i := range a {
		for j := range k {
			scale = math.Max(scale, math.Abs(a[i][j]))
		}
	}
	for c := range k {
		piv := c
		for r := c + 1; r < k; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		if !(math.Abs(a[piv][c]) > 1e-12*scale) {
			return nil, false
		}
		a[c], a[piv] = a[piv], a[c]
		for r := range k {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for j := c; j <= k; j++ {
				a[r][j] -= f * a[c][j]
			}
		}
	}
	x := make([]float64, k)
	for i := range k {
		x[i] = a[i][k] / a[i][i]
	}
	return x, true
}

// IRF returns the impulse response of the autoregression phi to a unit
// shock at step 0 over steps steps (spec §9.1): ψ_0 = 1 and ψ_h = Σ_i
// phi[i]·ψ_{h−1−i}; the constant plays no part.
func IRF(phi []float64, steps int) []float64 {
	psi := make([]float64, max(steps, 0))
	for h := range psi {
		if h == 0 {
			psi[0] = 1
			continue
		}
		for i, f := range phi {
			if h-1-i >= 0 {
				psi[h] += f * psi[h-1-i]
			}
		}
	}
	return psi
}

// TailIndex returns the OLS slope of ln(value) on ln(rank) with the
// positive values sorted in descending order, ranks 1, 2, … (spec §9.1,
// the firm-size tail index), NaN for fewer than two positive values.
func TailIndex(x []float64) float64 {
	var v []float64
	for _, a := range x {
		if a > 0 && !math.IsInf(a, 0) {
			v = append(v, a)
		}
	}
	slices.Sort(v)
	slices.Reverse(v)
	lr, lv := make([]float64, len(v)), make([]float64, len(v))
	for i, a := range v {
		lr[i], lv[i] = math.Log(float64(i+1)), math.Log(a)
	}
	return OLSSlope(lr, lv)
}

// SizeShape labels a firm-size distribution from its excess kurtosis and
// tail index (spec §9.1): "pareto-like" if kurtosis > 6 and tail < −1.5,
// "uniform-like" if kurtosis < 0, else "exponential".
func SizeShape(kurtosis, tail float64) string {
	switch {
	case kurtosis > 6 && tail < -1.5:
		return "pareto-like"
	case kurtosis < 0:
		return "uniform-like"
	}
	return "exponential"
}
