package stats

import (
	"math"
	"testing"
)

func TestPow15(t *testing.T) {
	ulp := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) - x }
	for _, x := range []float64{0.25, 2, 12.5, 1e-300, 1e300, 0.0123456789} {
		want := x * math.Sqrt(x)
		if got := pow15(x); math.Abs(got-want) > 2*ulp(want) {
			t.Errorf("pow15(%v) = %v, want ≈ %v", x, got, want)
		}
	}
	if pow15(4) != 8 || pow15(0) != 0 {
		t.Errorf("pow15(4) = %v, pow15(0) = %v", pow15(4), pow15(0))
	}
}

func TestPercentileNumPySwitch(t *testing.T) {
	// NumPy's linear method switches to b − (b−a)(1−g) for g ≥ 0.5.
	tests := []struct {
		s    []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 50, 2.5},
		{[]float64{1, 2, 3, 4}, 25, 1.75},
		{[]float64{1, 2, 3, 4}, 75, 3.25},
		{[]float64{5}, 30, 5},
		{[]float64{0, 10}, 100, 10},
	}
	for _, tt := range tests {
		if got := PercentileSorted(tt.s, tt.p); got != tt.want {
			t.Errorf("PercentileSorted(%v, %v) = %v, want %v", tt.s, tt.p, got, tt.want)
		}
	}
	if !math.IsNaN(PercentileSorted(nil, 50)) {
		t.Error("empty input should give NaN")
	}
}
