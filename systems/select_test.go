package systems

import (
	"github.com/bam-abm/bam/ecs/rng"
	"slices"
	"testing"
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
