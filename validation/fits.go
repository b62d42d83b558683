package validation

import (
	"errors"
	"fmt"
	"math"

	"github.com/bam-abm/bam/stats"

	"gonum.org/v1/gonum/mathext"
)

// This file holds the wealth-distribution fits of the buffer-stock scenario
// (spec §7.2, A.7): maximum-likelihood fits, with the location fixed at 0,
// of the Singh–Maddala (Burr XII), Dagum (Mielke form) and beta-prime (the
// reference's GB2 stand-in) distributions. The reference uses SciPy's
// Nelder–Mead from SciPy's own starting guesses; this port maximises the
// likelihood over the logarithms of the parameters, within a box, by a
// damped Newton iteration (newtonBox) with the analytic gradient and Hessian
// (mlProblem.eval, one pass over the data per evaluation), from several
// starting points, and keeps the best maximum. The fitted parameters (and
// the R² computed from them) therefore agree with the reference only
// statistically (§13, pitfall 9).

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
// constants hoisted out of the sum. It gives a fit's reported LogLik.
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

// fitFree maximises the likelihood from each of fitStarts and keeps the
// best maximum. If fixed is not NaN, the first shape is held at fixed.
func fitFree(d Dist, x []float64, fixed float64) (*Fit, error) {
	pr := newMLProblem(d, x, fixed)
	if !finite(pr.lmed) { // the median is not positive and finite
		return nil, errFit
	}
	lo, hi := pr.box()
	free := [3]bool{math.IsNaN(fixed), true, true}
	var best *Fit
	bestF := math.Inf(1)
	for _, s := range fitStarts {
		th, f := newtonBox(pr.eval, pr.start(s), lo, hi, free)
		if finite(f) && f < bestF {
			best, bestF = pr.fit(th), f
		}
	}
	if best == nil {
		return nil, errFit
	}
	best.LogLik = best.logLik(pr.lx)
	return best, nil
}

// fitStarts are the starting shapes of the fits; each starts with the
// scale at the median of the data.
var fitStarts = [][2]float64{{1, 1}, {3, 1}, {5, 0.5}}

// Search box of the fits, in log space.
var (
	minLogShape     = math.Log(1e-3)
	maxLogShape     = math.Log(1e5)
	maxLogScaleSpan = 20.0
)

// mlProblem is the maximum-likelihood problem of fitting family d to the
// data with logarithms lx, in the log parameters θ = (ln p, ln q, ln σ).
type mlProblem struct {
	d     Dist
	fixed float64 // the first shape, if not NaN (θ₀ is then ignored)
	lx    []float64
	sumLx float64 // Σ lx
	n     float64 // len(lx)
	lmed  float64 // ln of the median of the data
}

// newMLProblem returns the problem of fitting d to the positive data x,
// with the first shape fixed unless fixed is NaN.
func newMLProblem(d Dist, x []float64, fixed float64) *mlProblem {
	pr := &mlProblem{d: d, fixed: fixed, n: float64(len(x)), lx: make([]float64, len(x)), lmed: math.Log(stats.Median(x))}
	for i, v := range x {
		pr.lx[i] = math.Log(v)
		pr.sumLx += pr.lx[i]
	}
	return pr
}

// box returns the search box in θ. The search is confined to shapes in
// [1e−3, 1e5] and a scale within e^±20 of the median: at the edges of that
// box a family has reached its limiting form (beta-prime with a → ∞ is an
// inverse gamma, for example), where the likelihood keeps creeping up
// without changing the fitted CDF visibly.
func (pr *mlProblem) box() (lo, hi [3]float64) {
	lo = [3]float64{minLogShape, minLogShape, pr.lmed - maxLogScaleSpan}
	hi = [3]float64{maxLogShape, maxLogShape, pr.lmed + maxLogScaleSpan}
	return lo, hi
}

// start returns the θ of the starting shapes s with the scale at the
// median (and the first shape at its fixed value, if any).
func (pr *mlProblem) start(s [2]float64) [3]float64 {
	if !math.IsNaN(pr.fixed) {
		s[0] = pr.fixed
	}
	return [3]float64{math.Log(s[0]), math.Log(s[1]), pr.lmed}
}

// fit returns the distribution with log parameters th.
func (pr *mlProblem) fit(th [3]float64) *Fit {
	return &Fit{Dist: pr.d, Shape: [2]float64{pr.shape0(th[0]), math.Exp(th[1])}, Scale: math.Exp(th[2])}
}

// shape0 returns the first shape: fixed, or e^θ₀ if it is free.
func (pr *mlProblem) shape0(th0 float64) float64 {
	if math.IsNaN(pr.fixed) {
		return math.Exp(th0)
	}
	return pr.fixed
}

// eval returns the mean negative log-likelihood −ℓ/n at th and stores its
// gradient and Hessian with respect to th in g and h; it returns +Inf where
// any of them is not finite. All three come from one pass over the data
// summing the softplus of t = m·ln z (m is the shape multiplying ln z in
// the family's softplus term, 1 for beta-prime) and the logistic function
// σ(t) = softplus′(t) and σ(t)(1 − σ(t)) = softplus″(t).
func (pr *mlProblem) eval(th *[3]float64, g *[3]float64, h *[3][3]float64) float64 {
	p, q, ls := pr.shape0(th[0]), math.Exp(th[1]), th[2]
	n := pr.n
	l := pr.sumLx - n*ls // Σ ln z
	// ll is ℓ; gn and hn its gradient and Hessian in (p, q, ln σ).
	var ll float64
	var gn [3]float64
	var hn [3][3]float64
	switch pr.d {
	case SinghMaddala:
		r := softplusSums(pr.lx, ls, p)
		ll = (p-1)*l - (q+1)*r.s + n*(math.Log(p)+math.Log(q)-ls)
		gn = [3]float64{l - (q+1)*r.a1 + n/p, n/q - r.s, (q+1)*p*r.a0 - p*n}
		hn[0] = [3]float64{-(q+1)*r.w2 - n/(p*p), -r.a1, (q+1)*(r.a0+p*r.w1) - n}
		hn[1] = [3]float64{hn[0][1], -n / (q * q), p * r.a0}
		hn[2] = [3]float64{hn[0][2], hn[1][2], -(q + 1) * p * p * r.w0}
	case Dagum:
		r := softplusSums(pr.lx, ls, q)
		e := 1 + p/q
		ll = (p-1)*l - e*r.s + n*(math.Log(p)-ls)
		gn = [3]float64{l - r.s/q + n/p, p*r.s/(q*q) - e*r.a1, e*q*r.a0 - p*n}
		hn[0] = [3]float64{-n / (p * p), r.s/(q*q) - r.a1/q, r.a0 - n}
		hn[1] = [3]float64{hn[0][1], 2*p*(r.a1/(q*q)-r.s/(q*q*q)) - e*r.w2, e*(q*r.w1+r.a0) - p*r.a0/q}
		hn[2] = [3]float64{hn[0][2], hn[1][2], -e * q * q * r.w0}
	case BetaPrime:
		r := softplusSums(pr.lx, ls, 1)
		ll = (p-1)*l - (p+q)*r.s - n*(mathext.Lbeta(p, q)+ls)
		dpq, tpq := mathext.Digamma(p+q), trigamma(p+q)
		gn = [3]float64{l - r.s - n*(mathext.Digamma(p)-dpq), -r.s - n*(mathext.Digamma(q)-dpq), (p+q)*r.a0 - p*n}
		hn[0] = [3]float64{-n * (trigamma(p) - tpq), n * tpq, r.a0 - n}
		hn[1] = [3]float64{hn[0][1], -n * (trigamma(q) - tpq), r.a0}
		hn[2] = [3]float64{hn[0][2], hn[1][2], -(p + q) * r.w0}
	default:
		return math.NaN()
	}
	// Chain rule to θ (∂/∂ln p = p ∂/∂p) and sign/scale to −ℓ/n.
	j := [3]float64{p, q, 1}
	for a := range 3 {
		g[a] = -j[a] * gn[a] / n
		for b := range 3 {
			h[a][b] = -j[a] * j[b] * hn[a][b] / n
		}
	}
	h[0][0] += g[0]
	h[1][1] += g[1]
	for a := range 3 {
		if !finite(g[a]) || !finite(h[a][0]+h[a][1]+h[a][2]) { // not finite if a term is not
			return math.Inf(1)
		}
	}
	return -ll / n
}

// spSums are the sums over the data of softplus(t), σ(t), σ(t)·ln z,
// w = σ(t)(1 − σ(t)), w·ln z and w·(ln z)², with t = m·ln z.
type spSums struct{ s, a0, a1, w0, w1, w2 float64 }

// softplusSums returns the spSums of ln z = lx − ls with multiplier m,
// with one exponential and one logarithm per value.
func softplusSums(lx []float64, ls, m float64) spSums {
	var r spSums
	for _, v := range lx {
		lz := v - ls
		t := m * lz
		var sp, sg, sc float64 // softplus(t), σ(t), 1 − σ(t)
		if t > 0 {
			e := math.Exp(-t)
			u := 1 / (1 + e)
			sp, sg, sc = t+math.Log1p(e), u, e*u
		} else {
			e := math.Exp(t)
			u := 1 / (1 + e)
			sp, sg, sc = math.Log1p(e), e*u, u
		}
		w := sg * sc
		r.s += sp
		r.a0 += sg
		r.a1 += sg * lz
		r.w0 += w
		r.w1 += w * lz
		r.w2 += w * lz * lz
	}
	return r
}

// trigamma returns ψ′(x), the derivative of the digamma function.
func trigamma(x float64) float64 { return mathext.Zeta(2, x) }

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
