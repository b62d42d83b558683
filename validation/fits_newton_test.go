package validation

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// The gradient and Hessian of mlProblem.eval match central differences of
// its value and gradient, for each family, with and without the first
// shape fixed.
func TestMLProblemDerivatives(t *testing.T) {
	x := readFloats(t, "testdata/wealth.txt")
	points := [][3]float64{{1, 0.5, 0.7}, {0.2, 1.8, 1.4}, {2.5, -1, 0.1}}
	for _, d := range []Dist{SinghMaddala, Dagum, BetaPrime} {
		for _, fixed := range []float64{math.NaN(), 4} {
			pr := newMLProblem(d, x, fixed)
			for _, th := range points {
				var g [3]float64
				var h [3][3]float64
				if f := pr.eval(&th, &g, &h); !finite(f) {
					t.Fatalf("%s at %v: f = %v", d, th, f)
				}
				for i := range 3 {
					if i == 0 && !math.IsNaN(fixed) {
						continue
					}
					const eps = 1e-5
					tp, tm := th, th
					tp[i] += eps
					tm[i] -= eps
					var gp, gm [3]float64
					var hh [3][3]float64
					fd := (pr.eval(&tp, &gp, &hh) - pr.eval(&tm, &gm, &hh)) / (2 * eps)
					if math.Abs(fd-g[i]) > 1e-6*(1+math.Abs(g[i])) {
						t.Errorf("%s fixed %v at %v: ∂f/∂θ%d = %v, differences %v", d, fixed, th, i, g[i], fd)
					}
					for j := range 3 {
						if j == 0 && !math.IsNaN(fixed) {
							continue
						}
						fd := (gp[j] - gm[j]) / (2 * eps)
						if math.Abs(fd-h[i][j]) > 1e-6*(1+math.Abs(h[i][j])) {
							t.Errorf("%s fixed %v at %v: ∂²f/∂θ%d∂θ%d = %v, differences %v", d, fixed, th, i, j, h[i][j], fd)
						}
					}
				}
			}
		}
	}
}

// On the Burr XII fixture every starting point reaches the same maximum,
// at least as high as the Nelder–Mead fits the Newton iteration replaced
// found (with their parameters, which Nelder–Mead's stopping rule left
// uncertain by ~1e−5, agreeing to that accuracy).
func TestFitStartsAgree(t *testing.T) {
	x := readFloats(t, "testdata/wealth.txt")
	previous := []Fit{
		{SinghMaddala, [2]float64{2.8830866631900616, 1.7265345640136043}, 2.0402795226911734, -484.33410806819489},
		{Dagum, [2]float64{2.6860748231511535, 3.9051477794765046}, 1.8421187721381516, -485.64252576251954},
		{BetaPrime, [2]float64{5.3729690021399588, 13.985805251110797}, 4.2694502070293607, -484.04927949235389},
	}
	for _, want := range previous {
		pr := newMLProblem(want.Dist, x, math.NaN())
		lo, hi := pr.box()
		var first *Fit
		for _, s := range fitStarts {
			th, f := newtonBox(pr.eval, pr.start(s), lo, hi, [3]bool{true, true, true})
			if !finite(f) {
				t.Fatalf("%s from %v: f = %v", want.Dist, s, f)
			}
			got := pr.fit(th)
			got.LogLik = got.logLik(pr.lx)
			if got.LogLik < want.LogLik-1e-9 {
				t.Errorf("%s from %v: log-likelihood %v below %v", want.Dist, s, got.LogLik, want.LogLik)
			}
			if !relClose(got.Shape[0], want.Shape[0], 1e-4) || !relClose(got.Shape[1], want.Shape[1], 1e-4) || !relClose(got.Scale, want.Scale, 1e-4) {
				t.Errorf("%s from %v: %v %v, previously %v %v", want.Dist, s, got.Shape, got.Scale, want.Shape, want.Scale)
			}
			if first == nil {
				first = got
				continue
			}
			if !relClose(got.Shape[0], first.Shape[0], 1e-6) || !relClose(got.Shape[1], first.Shape[1], 1e-6) || !relClose(got.Scale, first.Scale, 1e-6) {
				t.Errorf("%s from %v: %v %v, from %v: %v %v", want.Dist, s, got.Shape, got.Scale, fitStarts[0], first.Shape, first.Scale)
			}
		}
	}
}

// newtonBox stops at the bound when the minimum lies outside the box, and
// leaves a coordinate that is not free alone.
func TestNewtonBoxBounds(t *testing.T) {
	c := [3]float64{0.5, 3, -2}
	f := func(th *[3]float64, g *[3]float64, h *[3][3]float64) float64 {
		s := 0.0
		*h = [3][3]float64{}
		for i := range 3 {
			d := th[i] - c[i]
			s += d*d + d*d*d*d
			g[i] = 2*d + 4*d*d*d
			h[i][i] = 2 + 12*d*d
		}
		return s
	}
	lo, hi := [3]float64{-1, -1, -1}, [3]float64{1, 1, 1}
	th, _ := newtonBox(f, [3]float64{0, 0, 0}, lo, hi, [3]bool{true, true, true})
	if math.Abs(th[0]-0.5) > 1e-9 || th[1] != 1 || th[2] != -1 {
		t.Errorf("minimum at %v, want [0.5 1 -1]", th)
	}
	th, _ = newtonBox(f, [3]float64{0.25, 0, 0}, lo, hi, [3]bool{false, true, true})
	if th[0] != 0.25 || th[1] != 1 || th[2] != -1 {
		t.Errorf("minimum at %v, want [0.25 1 -1]", th)
	}
}

// On inverse-gamma data (shape 5) the beta-prime fit goes to its limiting
// form: a at the upper edge of the search box and b near 5. Every start
// ends there.
func TestFitBetaPrimeAtBound(t *testing.T) {
	x := make([]float64, 400)
	for i := range x {
		x[i] = 1 / mathext.GammaIncRegInv(5, (float64(i)+0.5)/float64(len(x)))
	}
	pr := newMLProblem(BetaPrime, x, math.NaN())
	lo, hi := pr.box()
	for _, s := range fitStarts {
		th, f := newtonBox(pr.eval, pr.start(s), lo, hi, [3]bool{true, true, true})
		got := pr.fit(th)
		t.Logf("from %v: %v %v f %v", s, got.Shape, got.Scale, f)
		if th[0] != hi[0] || math.Abs(got.Shape[1]-5) > 0.1 {
			t.Errorf("from %v: shapes %v, want a at the bound and b ≈ 5", s, got.Shape)
		}
	}
}
