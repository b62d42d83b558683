package validation

import "math"

// newtonBox minimises f over the box lo ≤ θ ≤ hi from th, moving only the
// coordinates marked free, by Newton's method with Levenberg–Marquardt
// damping. Each step solves (H + λI)δ = −g on the free coordinates that
// neither the gradient nor the step would push out of the box from a bound
// (the others are held), and is shortened along its direction to at most
// maxNewtonStep per coordinate and to the edge of the box. λ shrinks after
// a step that does not raise f and grows after one that does. The
// iteration stops when a step changes no coordinate by more than
// newtonTol, or the decrease of f the damped quadratic model predicts for
// it is at most newtonFtol·(1 + |f|) (the rounding noise of the
// likelihood), or after maxNewtonIter steps. It returns the final point
// and its value (+Inf if f is not finite at th).
func newtonBox(f func(th *[3]float64, g *[3]float64, h *[3][3]float64) float64, th, lo, hi [3]float64, free [3]bool) ([3]float64, float64) {
	var g, g1 [3]float64
	var h, h1 [3][3]float64
	fx := f(&th, &g, &h)
	if !finite(fx) {
		return th, math.Inf(1)
	}
	lambda := 0.0
	for range maxNewtonIter {
		// The coordinates to move: the free ones not held at a bound by
		// the gradient or, after solving, by the step.
		var idx [3]int
		k := 0
		for i := range 3 {
			if free[i] && !(th[i] <= lo[i] && g[i] > 0) && !(th[i] >= hi[i] && g[i] < 0) {
				idx[k] = i
				k++
			}
		}
		var delta [3]float64
		for k > 0 {
			for !solveDamped(&h, &g, idx[:k], lambda, &delta) {
				lambda = max(4*lambda, 1e-6)
			}
			m := 0
			for _, i := range idx[:k] {
				if !(th[i] <= lo[i] && delta[i] < 0) && !(th[i] >= hi[i] && delta[i] > 0) {
					idx[m] = i
					m++
				}
			}
			if m == k {
				break
			}
			k = m
		}
		if k == 0 {
			break
		}
		// Shorten the step to at most maxNewtonStep per coordinate and to
		// the edge of the box, keeping its direction.
		alpha := 1.0
		for _, i := range idx[:k] {
			alpha = min(alpha, maxNewtonStep/math.Abs(delta[i]))
			if delta[i] < 0 {
				alpha = min(alpha, (lo[i]-th[i])/delta[i])
			} else if delta[i] > 0 {
				alpha = min(alpha, (hi[i]-th[i])/delta[i])
			}
		}
		t := th
		var d [3]float64 // the step taken
		step := 0.0
		for _, i := range idx[:k] {
			t[i] = min(hi[i], max(lo[i], th[i]+alpha*delta[i]))
			d[i] = t[i] - th[i]
			step = max(step, math.Abs(d[i]))
		}
		// pred is the decrease of f predicted by the damped quadratic model.
		pred := 0.0
		for _, i := range idx[:k] {
			pred -= (g[i] + 0.5*lambda*d[i]) * d[i]
			for _, j := range idx[:k] {
				pred -= 0.5 * d[i] * h[i][j] * d[j]
			}
		}
		ft := f(&t, &g1, &h1)
		if finite(ft) && ft <= fx {
			th, fx, g, h = t, ft, g1, h1
			lambda /= 4
			if lambda < 1e-9 {
				lambda = 0
			}
		} else {
			lambda = max(4*lambda, 1e-6)
		}
		if step <= newtonTol || pred <= newtonFtol*(1+math.Abs(fx)) {
			break
		}
	}
	return th, fx
}

// Newton iteration limits.
const (
	maxNewtonIter = 200
	maxNewtonStep = 2.0   // largest change of a log parameter in one step
	newtonTol     = 1e-10 // convergence: largest change of a log parameter,
	newtonFtol    = 1e-14 // or predicted decrease of f relative to 1 + |f|
)

// solveDamped solves (H + λI)δ = −g restricted to the coordinates idx by
// Cholesky factorisation, reporting false if H + λI is not positive
// definite there.
func solveDamped(h *[3][3]float64, g *[3]float64, idx []int, lambda float64, delta *[3]float64) bool {
	k := len(idx)
	var a [3][3]float64
	var b [3]float64
	for r, i := range idx {
		for c, j := range idx {
			a[r][c] = h[i][j]
		}
		a[r][r] += lambda
		b[r] = -g[i]
	}
	// a = LLᵀ, L stored in the lower triangle of a.
	for c := range k {
		s := a[c][c]
		for m := range c {
			s -= a[c][m] * a[c][m]
		}
		if !(s > 0) {
			return false
		}
		a[c][c] = math.Sqrt(s)
		for r := c + 1; r < k; r++ {
			v := a[r][c]
			for m := range c {
				v -= a[r][m] * a[c][m]
			}
			a[r][c] = v / a[c][c]
		}
	}
	for r := range k { // forward: L y = b
		for m := range r {
			b[r] -= a[r][m] * b[m]
		}
		b[r] /= a[r][r]
	}
	for r := k - 1; r >= 0; r-- { // backward: Lᵀ δ = y
		for m := r + 1; m < k; m++ {
			b[r] -= a[m][r] * b[m]
		}
		b[r] /= a[r][r]
	}
	for r, i := range idx {
		delta[i] = b[r]
	}
	return true
}
