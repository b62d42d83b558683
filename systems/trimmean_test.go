package systems

import (
	"math"
	"testing"
)

// squares returns {0², 1², …, (n−1)²} in a scrambled order, so that the
// trimmed mean depends on sorting and on the exact trim count k:
// dropping k values on each side leaves i = k … n−1−k.
func squares(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		// i ↦ (7i + 3) mod n is a permutation when gcd(7, n) = 1
		j := (7*i + 3) % n
		x[i] = float64(j * j)
	}
	return x
}

// descending returns {(n−1)², …, 1, 0}.
func descending(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		j := n - 1 - i
		x[i] = float64(j * j)
	}
	return x
}

// TestTrimMean checks the 5 % trimmed mean of spec §4.4 against
// hand-computed values. With S(m) = m(m+1)(2m+1)/6 = Σ_{i≤m} i², the mean
// of i² for i = k … n−1−k is (S(n−1−k) − S(k−1)) / (n − 2k).
func TestTrimMean(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		k    int // expected trim count (documentation)
		want float64
	}{
		{"n=0", nil, 0, 0},
		{"n=1", []float64{7}, 0, 7},
		{"n=2: k=round(0.1)=0", []float64{3, -1}, 0, 1},
		// k = round(0.5) = 0 (half to even): plain mean S(9)/10 = 285/10
		{"n=10: k=0 (half to even)", squares(10), 0, 28.5},
		// k = round(0.95) = 1: i = 1…17, S(17) = 1785, /17
		{"n=19: k=1", squares(19), 1, 105},
		// k = round(1.5) = 2: i = 2…27, S(27) − S(1) = 6930 − 1, /26
		{"n=30: k=2 (half to even)", squares(30), 2, 266.5},
		// k = round(2.5) = 2: i = 2…47, S(47) − S(1) = 35720 − 1, /46
		{"n=50: k=2 (half to even)", squares(50), 2, 776.5},
		// k = round(4.5) = 4: i = 4…85, S(85) − S(3) = 208335 − 14, /82
		{"n=90: k=4 (half to even)", squares(90), 4, 2540.5},
		// k = round(4.95) = 5: i = 5…93, S(93) − S(4) = 272459 − 30, /89
		{"n=99: k=5", squares(99), 5, 3061},
		// k = 5: i = 5…94, S(94) − S(4) = 281295 − 30, /90
		{"n=100: k=5", squares(100), 5, 281265.0 / 90},
		// k = round(5.5) = 6: i = 6…103, S(103) − S(5) = 369564 − 55, /98
		{"n=110: k=6 (half to even)", squares(110), 6, 3770.5},
		// already sorted input, descending (quickselect worst cases)
		{"n=100 descending: k=5", descending(100), 5, 281265.0 / 90},
		{"n=110 descending: k=6", descending(110), 6, 3770.5},
		// many ties: 30 zeros and 10 ones, k = 2 → 8 ones among 36 values
		{"n=40 ties: k=2", append(make([]float64, 30), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 2, 8.0 / 36},
		// outliers on one side only: k = 1 drops −100 and the largest 30
		{"n=20: asymmetric outlier", append([]float64{-100, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30}, 30), 1, 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]float64(nil), c.x...)
			got := trimMean(in, make([]uint8, len(in)))
			if math.Abs(got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
				t.Errorf("trimMean = %v, want %v (k = %d)", got, c.want, c.k)
			}
		})
	}
}
