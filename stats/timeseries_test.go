package stats

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestCrossCorr checks the lag convention on a series that lags another by
// exactly one period: c_{+1} = 1 and the peak is at +1; the end lags with
// fewer than 3 overlapping points are NaN.
func TestCrossCorr(t *testing.T) {
	x := []float64{1, 3, 2, 5, 4, 6}
	y := []float64{0, 1, 3, 2, 5, 4} // y_t = x_{t−1}
	c := CrossCorr(x, y, 4)
	if len(c) != 9 || !near(c[4+1], 1, 1e-15) {
		t.Fatalf("c = %v; want c_{+1} = 1", c)
	}
	if want := Corr(x, y); c[4] != want {
		t.Errorf("c_0 = %v, want Corr(x, y) = %v", c[4], want)
	}
	if want := Corr(x[2:], y[:4]); c[4-2] != want {
		t.Errorf("c_{−2} = %v, want Corr(x[2:], y[:4]) = %v", c[2], want)
	}
	if !math.IsNaN(c[0]) || !math.IsNaN(c[8]) {
		t.Errorf("lags ±4 of 6 points: %v, %v; want NaN (2 points)", c[0], c[8])
	}
	if lag, ok := PeakLag(c, 4); !ok || lag != 1 {
		t.Errorf("peak lag %d (%v), want +1", lag, ok)
	}
	if _, ok := PeakLag([]float64{math.NaN(), math.NaN()}, 0); ok {
		t.Error("all NaN: want no peak")
	}
}

// TestARFit recovers the coefficients of exact (noise-free) recursions:
// R² is then 1.
func TestARFit(t *testing.T) {
	gen := func(n int, c float64, phi []float64, start ...float64) []float64 {
		x := append([]float64(nil), start...)
		for len(x) < n {
			v := c
			for i, f := range phi {
				v += f * x[len(x)-1-i]
			}
			x = append(x, v)
		}
		return x
	}
	tests := []struct {
		name string
		x    []float64
		p    int
		c    float64
		phi  []float64
	}{
		{"AR(1)", gen(40, 0.5, []float64{0.8}, 0), 1, 0.5, []float64{0.8}},
		{"AR(1) alternating", []float64{1, 2, 1, 2, 1, 2}, 1, 3, []float64{-1}},
		{"AR(2)", gen(40, 1, []float64{0.6, -0.2}, 0, 1), 2, 1, []float64{0.6, -0.2}},
	}
	for _, tt := range tests {
		ar, ok := ARFit(tt.x, tt.p)
		if !ok || !near(ar.Const, tt.c, 1e-9) || !near(ar.R2, 1, 1e-9) {
			t.Errorf("%s: %+v, %v", tt.name, ar, ok)
			continue
		}
		for i := range tt.phi {
			if !near(ar.Phi[i], tt.phi[i], 1e-9) {
				t.Errorf("%s: phi %v, want %v", tt.name, ar.Phi, tt.phi)
			}
		}
	}
	if _, ok := ARFit([]float64{2, 2, 2, 2, 2}, 1); ok {
		t.Error("a constant series: want no fit (collinear regressors)")
	}
	if _, ok := ARFit([]float64{1, 2, 3}, 2); ok {
		t.Error("3 points for an AR(2): want no fit")
	}
}

func TestIRF(t *testing.T) {
	for _, tt := range []struct {
		phi  []float64
		want []float64
	}{
		{[]float64{0.5}, []float64{1, 0.5, 0.25, 0.125}},
		{[]float64{0.6, -0.2}, []float64{1, 0.6, 0.16, -0.024}},
	} {
		got := IRF(tt.phi, len(tt.want))
		for i := range tt.want {
			if !near(got[i], tt.want[i], 1e-15) {
				t.Errorf("IRF(%v) = %v, want %v", tt.phi, got, tt.want)
				break
			}
		}
	}
}

// TestTailIndex: a Zipf law v = 12/rank has slope −1 on the log-log plot;
// non-positive values are left out.
func TestTailIndex(t *testing.T) {
	if got := TailIndex([]float64{3, 12, 0, 4, -1, 6}); !near(got, -1, 1e-12) {
		t.Errorf("TailIndex = %v, want −1", got)
	}
	if !math.IsNaN(TailIndex([]float64{5})) {
		t.Error("one value: want NaN")
	}
	for _, tt := range []struct {
		k, tail float64
		want    string
	}{{7, -2, "pareto-like"}, {7, -1, "exponential"}, {-0.5, -3, "uniform-like"}, {2, -2, "exponential"}} {
		if got := SizeShape(tt.k, tt.tail); got != tt.want {
			t.Errorf("SizeShape(%v, %v) = %s, want %s", tt.k, tt.tail, got, tt.want)
		}
	}
}
