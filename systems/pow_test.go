package systems

import (
	"math"
	"testing"
)

func TestPower(t *testing.T) {
	for _, beta := range []float64{0.5, 1, 2, 2.5, 3, 3.5, 0.7, 17.5} {
		pw := newPower(beta)
		for _, x := range []float64{0, 1e-12, 0.01, 0.3, 0.5, 0.99, 1} {
			got, want := pw.of(x), math.Pow(x, beta)
			if math.Abs(got-want) > 1e-14*math.Max(1, want) {
				t.Errorf("pow(%v)^%v = %v, want %v", x, beta, got, want)
			}
		}
	}
}
