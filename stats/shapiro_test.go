package stats

import (
	"math"
	"testing"
)

// TestShapiroWilk checks Royston's algorithm on cases with known answers:
//   - n = 3, worked by hand: for 1, 2, 4 the coefficients are ±1/√2, so
//     W = (3/√2)² / (42/9) = 27/28 = 0.964286, and the exact p-value is
//     (6/π)(asin √W − π/3) = 0.6369;
//   - the 11 weights of Shapiro and Wilk (1965, §4), for which they give
//     W = 0.79, significant at the 1 % level; SciPy's shapiro (the same
//     algorithm, in single precision) gives W = 0.7888148, p = 0.0067038;
//   - the expected normal order statistics themselves (a perfectly normal
//     sample), for which W is near 1 and the p-value large;
//   - an exponential sample of 100, clearly not normal.
func TestShapiroWilk(t *testing.T) {
	w, p := ShapiroWilk([]float64{4, 1, 2})
	if !near(w, 27.0/28, 1e-12) || !near(p, 6/math.Pi*(math.Asin(math.Sqrt(27.0/28))-math.Pi/3), 1e-12) || !near(p, 0.6369, 1e-4) {
		t.Errorf("n = 3: W = %v, p = %v; want 0.964286, 0.6369", w, p)
	}
	w, p = ShapiroWilk([]float64{148, 154, 158, 160, 161, 162, 166, 170, 182, 195, 236})
	if !near(w, 0.79, 0.005) || !(p < 0.01) || !near(w, 0.7888148, 1e-6) || !near(p, 0.0067038, 1e-6) {
		t.Errorf("Shapiro–Wilk's weights: W = %v, p = %v; want W = 0.7888148 and p = 0.0067038", w, p)
	}
	for _, n := range []int{8, 50, 500} {
		x := make([]float64, n)
		for i := range x {
			x[i] = -math.Sqrt2 * math.Erfcinv(2*(float64(i+1)-0.375)/(float64(n)+0.25))
		}
		w, p := ShapiroWilk(x)
		if !(w > 0.98 && w <= 1) || !(p > 0.5) {
			t.Errorf("normal scores, n = %d: W = %v, p = %v; want W near 1, p > 0.5", n, w, p)
		}
	}
	exp := make([]float64, 100)
	for i := range exp {
		exp[i] = -math.Log(1 - (float64(i)+0.5)/100)
	}
	if w, p := ShapiroWilk(exp); !(w < 0.9) || !(p < 1e-4) {
		t.Errorf("exponential quantiles: W = %v, p = %v; want W < 0.9, p < 1e-4", w, p)
	}
	for _, x := range [][]float64{{1, 2}, {3, 3, 3, 3}, make([]float64, 5001)} {
		if w, p := ShapiroWilk(x); !math.IsNaN(w) || !math.IsNaN(p) {
			t.Errorf("n = %d: W = %v, p = %v; want NaN", len(x), w, p)
		}
	}
}
