package systems

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"
)

func TestSelectSmallest(t *testing.T) {
	r := rng.New(1, 2)
	for _, n := range []int{1, 2, 5, 15, 16, 17, 100, 1000} {
		for trial := 0; trial < 50; trial++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(r.IntN(n/2 + 1)) // many ties
			}
			k := r.IntN(n + 1)
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			selectSmallest(x, k)
			got := slices.Clone(x[:k])
			slices.Sort(got)
			if !slices.Equal(got, sorted[:k]) {
				t.Fatalf("n=%d k=%d: x[:k] = %v, want %v", n, k, got, sorted[:k])
			}
		}
	}
}

// TestTrimMeanLargeMatchesSort exercises the bracketed large-n path,
// including inputs where the sampled pivots miss (sorted data with a
// systematic sample, heavy ties, outliers).
func TestTrimMeanLargeMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 40 {
		n := 4096 + r.IntN(60000)
		x := make([]float64, n)
		for i := range x {
			switch trial % 4 {
			case 0:
				x[i] = r.Float64()
			case 1:
				x[i] = float64(r.IntN(7)) // heavy ties
			case 2:
				x[i] = math.Exp(4 * r.NormFloat64()) // long tail
			case 3:
				x[i] = float64(i % 1000) // periodic: defeats the systematic sample
			}
		}
		if trial%5 == 4 {
			slices.Sort(x)
		}
		want := sortedTrimMean(x)
		got := trimMean(slices.Clone(x))
		if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Fatalf("trial %d (n=%d): trimMean = %v, want %v", trial, n, got, want)
		}
	}
}

func sortedTrimMean(x []float64) float64 {
	n := len(x)
	k := int(math.RoundToEven(0.05 * float64(n)))
	s := slices.Clone(x)
	slices.Sort(s)
	s = s[k : n-k]
	sum := 0.0
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s))
}

func BenchmarkTrimMean(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 100000)
	for i := range x {
		x[i] = 1 + r.Float64()
	}
	buf := make([]float64, len(x))
	for b.Loop() {
		copy(buf, x)
		trimMean(buf)
	}
}
