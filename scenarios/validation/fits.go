package validation

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// This file holds the wealth-distribution fits of the buffer-stock scenario
// (spec §7.2, A.7): maximum-likelihood fits, with the location fixed at 0,
// of the Singh–Maddala (Burr XII), Dagum (Mielke form) and beta-prime (the
// reference's GB2 stand-in) distributions. The reference uses SciPy's
// Nelder–Mead from SciPy's own starting guesses; this port uses its own
// Nelder–Mead (nelderMead) on the logarithms of the parameters from several starting
// points and keeps the best likelihood, so fitted parameters (and the R²
// computed from them) agree with the reference only statistically (§13,
// pitfall 9).

// Dist names a fitted distribution family.
type Dist int

// Distribution families.
const (
	SinghMaddala Dist = iota // Burr XII: F = 1 − (1 + z^c)^(−d)
	Dagum                    // Mielke form: F = z^k / (1 + z^s)^(k/s)
	BetaPrime                // F = I_{z/(1+z)}(a, b)
)

// String returns the distribution's short name.
func (d Dist) String() string {
	switch d {
	case SinghMaddala:
		return "singh_maddala"
	case Dagum:
		return "dagum"
	case BetaPrime:
		return "beta_prime"
	}
	return fmt.Sprintf("Dist(%d)", int(d))
}

// Fit is a fitted distribution: two shape parameters and the scale σ
// (location 0).
type Fit struct {
	Dist   Dist
	Shape  [2]float64 // (c, d), (k, s) or (a, b)
	Scale  float64
	LogLik float64
}

// CDF returns the fitted distribution function at x.
func (f *Fit) CDF(x float64) float64 {
	if x <= 0 {
		return 0
	}
	z := x / f.Scale
	p, q := f.Shape[0], f.Shape[1]
	switch f.Dist {
	case SinghMaddala:
		return 1 - math.Exp(-q*softplus(p*math.Log(z)))
	case Dagum:
		return math.Exp(p*math.Log(z) - (p/q)*softplus(q*math.Log(z)))
	case BetaPrime:
		return mathext.RegIncBeta(p, q, z/(1+z))
	}
	return math.NaN()
}

// CCDF returns 1 − CDF(x), the fitted survival function as the reference
// forms it (A.6).
func (f *Fit) CCDF(x float64) float64 { return 1 - f.CDF(x) }

// logLik returns Σ log f(x_i) given lx_i = ln x_i, with the per-fit
// constants hoisted out of the sum.
func (f *Fit) logLik(lx []float64) float64 {
	p, q := f.Shape[0], f.Shape[1]
	ls := math.Log(f.Scale)
	n := float64(len(lx))
	s := 0.0
	switch f.Dist {
	case SinghMaddala:
		for _, v := range lx {
			lz := v - ls
			s += (p-1)*lz - (q+1)*softplus(p*lz)
		}
		return s + n*(math.Log(p)+math.Log(q)-ls)
	case Dagum:
		e := 1 + p/q
		for _, v := range lx {
			lz := v - ls
			s += (p-1)*lz - e*softplus(q*lz)
		}
		return s + n*(math.Log(p)-ls)
	case BetaPrime:
		for _, v := range lx {
			lz := v - ls
			s += (p-1)*lz - (p+q)*softplus(lz) // ln(1+z) = softplus(ln z)
		}
		return s - n*(mathext.Lbeta(p, q)+ls)
	}
	return math.NaN()
}

// softplus returns ln(1 + e^t) without overflow.
func softplus(t float64) float64 {
	if t > 30 {
		return t + math.Log1p(math.Exp(-t))
	}
	return math.Log1p(math.Exp(t))
}

// Fallback grids of the first shape parameter (spec §7.2).
var (
	smFallbackC    = []float64{2, 5, 10, 15, 20, 30, 50}
	dagumFallbackK = []float64{5, 10, 15, 20, 30, 50}
)

// errFit reports a fit that found no finite likelihood.
var errFit = errors.New("no finite likelihood")

// FitDist fits distribution d to the positive data x by maximum likelihood
// (location 0). For Singh–Maddala and Dagum, if the fitted CDF is not
// finite at the first five data values, the fit is redone with the first
// shape fixed at each value of the fallback grid and the best likelihood is
// kept (spec §7.2).
func FitDist(d Dist, x []float64) (*Fit, error) {
	f, err := fitFree(d, x, math.NaN())
	if err != nil {
		return nil, fmt.Errorf("fit %s: %w", d, err)
	}
	var grid []float64
	switch d {
	case SinghMaddala:
		grid = smFallbackC
	case Dagum:
		grid = dagumFallbackK
	}
	if grid == nil || cdfFinite(f, x[:min(5, len(x))]) {
		return f, nil
	}
	var best *Fit
	for _, c := range grid {
		g, err := fitFree(d, x, c)
		if err == nil && (best == nil || g.LogLik > best.LogLik) {
			best = g
		}
	}
	if best == nil {
		return nil, fmt.Errorf("fit %s: fallback: %w", d, errFit)
	}
	return best, nil
}

func cdfFinite(f *Fit, x []float64) bool {
	for _, v := range x {
		if !finite(f.CDF(v)) {
			return false
		}
	}
	return true
}

// fitFree maximises the likelihood over the log parameters from several
// starting points. If fixed is not NaN, the first shape is held at fixed.
func fitFree(d Dist, x []float64, fixed float64) (*Fit, error) {
	med := Median(x)
	if !(med > 0) || !finite(med) {
		return nil, errFit
	}
	n := float64(len(x))
	lx := make([]float64, len(x))
	for i, v := range x {
		lx[i] = math.Log(v)
	}
	lmed := math.Log(med)
	build := func(th []float64) *Fit {
		f := &Fit{Dist: d}
		i := 0
		if math.IsNaN(fixed) {
			f.Shape[0] = math.Exp(th[0])
			i = 1
		} else {
			f.Shape[0] = fixed
		}
		f.Shape[1] = math.Exp(th[i])
		f.Scale = math.Exp(th[i+1])
		return f
	}
	// The search is confined to shapes in [1e−3, 1e5] and a scale within
	// e^±20 of the median: at the edges of that box a family has reached
	// its limiting form (beta-prime with a → ∞ is an inverse gamma, for
	// example), where the likelihood keeps creeping up without changing
	// the fitted CDF visibly.
	obj := func(th []float64) float64 {
		k := len(th) - 1
		for _, v := range th[:k] {
			if v < minLogShape || v > maxLogShape {
				return math.Inf(1)
			}
		}
		if math.Abs(th[k]-lmed) > maxLogScaleSpan {
			return math.Inf(1)
		}
		ll := build(th).logLik(lx)
		if !finite(ll) {
			return math.Inf(1)
		}
		return -ll / n
	}
	starts := [][2]float64{{1, 1}, {3, 1}, {5, 0.5}}
	var best *Fit
	for _, s := range starts {
		var th []float64
		if math.IsNaN(fixed) {
			th = []float64{math.Log(s[0]), math.Log(s[1]), math.Log(med)}
		} else {
			th = []float64{math.Log(s[1]), math.Log(med)}
		}
		if math.IsInf(obj(th), 1) {
			continue
		}
		xs, fx := nelderMead(obj, th, 0.5, 3000, 1e-10)
		if !finite(fx) {
			continue
		}
		f := build(xs)
		f.LogLik = -fx * n
		if best == nil || f.LogLik > best.LogLik {
			best = f
		}
	}
	if best == nil {
		return nil, errFit
	}
	return best, nil
}

// Search box of the fits, in log space.
var (
	minLogShape     = math.Log(1e-3)
	maxLogShape     = math.Log(1e5)
	maxLogScaleSpan = 20.0
)

// minFitPoints is the fewest positive values the fits need (spec §7.2).
const minFitPoints = 50

// FitResult is the goodness of one distribution fit.
type FitResult struct {
	Fit  *Fit    // nil when not fitted
	R2   float64 // log-log CCDF R² (A.6); 0 when not fitted
	KS   float64 // Kolmogorov–Smirnov distance; 1 when not fitted
	Err  error   // why it was not fitted, if it was not
	Used int     // number of positive values fitted
}

// FitWealth fits the three distributions to the positive values of x
// (spec §7.2). With fewer than 50 positive values, or when a fit fails, the
// fit's R² is 0 and its KS distance 1.
func FitWealth(x []float64) [3]FitResult {
	var pos []float64
	for _, v := range x {
		if v > 0 {
			pos = append(pos, v)
		}
	}
	var out [3]FitResult
	for i, d := range []Dist{SinghMaddala, Dagum, BetaPrime} {
		out[i] = FitResult{R2: 0, KS: 1, Used: len(pos)}
		if len(pos) < minFitPoints {
			out[i].Err = fmt.Errorf("fit %s: %d positive values, need %d", d, len(pos), minFitPoints)
			continue
		}
		f, err := FitDist(d, pos)
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].Fit = f
		out[i].R2 = CCDFR2(pos, f.CCDF)
		out[i].KS = KSStatistic(pos, f.CDF)
	}
	return out
}

// nelderMead minimises f from x0 with the Nelder–Mead simplex method
// (reflection 1, expansion 2, contraction 0.5, shrink 0.5; initial simplex
// x0 plus step along each axis). It stops after maxEval evaluations or
// when the spread of the simplex values falls below ftol, and returns the
// best vertex and its value.
func nelderMead(f func([]float64) float64, x0 []float64, step float64, maxEval int, ftol float64) ([]float64, float64) {
	n := len(x0)
	pts := make([][]float64, n+1)
	vals := make([]float64, n+1)
	for i := range pts {
		pts[i] = append([]float64(nil), x0...)
		if i > 0 {
			pts[i][i-1] += step
		}
		vals[i] = f(pts[i])
	}
	evals := n + 1
	cent, xr, xe, xc := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	along := func(dst []float64, t float64) { // dst = cent + t·(cent − worst)
		for j := range dst {
			dst[j] = cent[j] + t*(cent[j]-pts[n][j])
		}
	}
	for evals < maxEval {
		// Sort the vertices by value (insertion sort; n is 2 or 3).
		for i := 1; i <= n; i++ {
			for k := i; k > 0 && vals[k] < vals[k-1]; k-- {
				vals[k], vals[k-1] = vals[k-1], vals[k]
				pts[k], pts[k-1] = pts[k-1], pts[k]
			}
		}
		if finite(vals[n]) && vals[n]-vals[0] <= ftol {
			break
		}
		clear(cent)
		for i := range n {
			for j := range cent {
				cent[j] += pts[i][j] / float64(n)
			}
		}
		along(xr, 1)
		fr := f(xr)
		evals++
		switch {
		case fr < vals[0]:
			along(xe, 2)
			fe := f(xe)
			evals++
			if fe < fr {
				copy(pts[n], xe)
				vals[n] = fe
			} else {
				copy(pts[n], xr)
				vals[n] = fr
			}
		case fr < vals[n-1]:
			copy(pts[n], xr)
			vals[n] = fr
		default:
			t := -0.5 // inside contraction
			if fr < vals[n] {
				t = 0.5 // outside contraction
			}
			along(xc, t)
			fc := f(xc)
			evals++
			if fc < math.Min(fr, vals[n]) {
				copy(pts[n], xc)
				vals[n] = fc
				continue
			}
			for i := 1; i <= n; i++ { // shrink towards the best vertex
				for j := range pts[i] {
					pts[i][j] = pts[0][j] + 0.5*(pts[i][j]-pts[0][j])
				}
				vals[i] = f(pts[i])
				evals++
			}
		}
	}
	best := 0
	for i := range vals {
		if vals[i] < vals[best] {
			best = i
		}
	}
	return pts[best], vals[best]
}
