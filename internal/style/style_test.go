package style

import (
	"math"
	"testing"
)

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Fixed(1.25, 1), "1.2"},
		{Fixed(-0.5, 2), "−0.50"},
		{Fixed(math.NaN(), 2), "n/a"},
		{Fixed(math.Inf(-1), 2), "n/a"},
		{Fixed(1.9237e99, 2), "1.924e+99"},
		{Fixed(-2.5e15, 1), "−2.5e+15"},
		{Value(0), "0.0000"},
		{Value(0.0651), "0.0651"},
		{Value(-12.5), "-12.5000"},
		{Value(0.0002442), "0.0002442"},
		{Value(123456), "1.235e+05"},
		{Value(math.NaN()), "NaN"},
		{Percent(0.0652, 1, "%"), "6.5%"},
		{Percent(0.5, 2, " %"), "50.00 %"},
		{Percent(math.NaN(), 1, "%"), "n/a"},
		{Percent(math.Inf(1), 1, " %"), "n/a"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
