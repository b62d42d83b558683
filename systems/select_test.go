package systems

import (
	"fmt"
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

// TestTrimMeanLargeMatchesSort exercises the bucketed path (n ≥ 64) and
// the bracketed large-n path, including inputs where the buckets or the
// sampled pivots miss (sorted data with a systematic sample, heavy ties,
// long tails, values spanning the whole float range).
func TestTrimMeanLargeMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 120 {
		n := 4096 + r.IntN(60000)
		if trial%2 == 1 {
			n = 64 + r.IntN(4096-64)
		}
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
			if trial%12 == 11 && i < 3 {
				x[i] = []float64{-math.MaxFloat64, math.MaxFloat64, 0}[i] // range overflows
			}
		}
		if trial%5 == 4 {
			slices.Sort(x)
		}
		want := sortedTrimMean(x)
		got := trimMean(slices.Clone(x), make([]uint8, len(x)))
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

// BenchmarkTrimMean measures the trimmed mean of wage-like values (uniform
// on [1, 2), with ties) at the size of the default economy's employed
// households and at the 100 000 of the large one.
func BenchmarkTrimMean(b *testing.B) {
	for _, n := range []int{470, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, n)
			for i := range x {
				x[i] = 1 + float64(r.IntN(n/4))/float64(n)
			}
			buf := make([]float64, len(x))
			work := make([]uint8, len(x))
			for b.Loop() {
				copy(buf, x)
				trimMean(buf, work)
			}
		})
	}
}
