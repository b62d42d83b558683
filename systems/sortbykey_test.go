package systems

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"
)

// TestSortByKey checks sortByKey against slices.SortStableFunc for lists of
// 0–12 entries (rank sort up to 8, insertion sort beyond), ascending and
// descending, with many ties, and checks that NaN keys fall back to the
// insertion sort.
func TestSortByKey(t *testing.T) {
	r := rng.New(5, 6)
	key := make([]float64, 50)
	for trial := range 4000 {
		n := trial % 13
		desc := trial%2 == 1
		for i := range key {
			key[i] = float64(r.IntN(6)) // ties
			if trial%3 == 0 {
				key[i] = r.Float64()
			}
		}
		idx := make([]int32, n)
		for a := range idx {
			idx[a] = int32(r.IntN(len(key)))
		}
		want := slices.Clone(idx)
		slices.SortStableFunc(want, func(x, y int32) int {
			if desc {
				return cmp.Compare(key[y], key[x])
			}
			return cmp.Compare(key[x], key[y])
		})
		got := slices.Clone(idx)
		sortByKey(got, key, desc)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (n=%d desc=%v): sortByKey(%v) = %v, want %v", trial, n, desc, idx, got, want)
		}
	}
	key[3] = math.NaN()
	for _, desc := range []bool{false, true} {
		idx := []int32{1, 3, 2, 0}
		if rankSort(slices.Clone(idx), key, desc) {
			t.Errorf("rankSort accepted a NaN key (desc=%v)", desc)
		}
		got := slices.Clone(idx)
		sortByKey(got, key, desc)
		if !sameElements(got, idx) {
			t.Errorf("sortByKey with a NaN key (desc=%v) = %v, not a permutation of %v", desc, got, idx)
		}
	}
}

func sameElements(a, b []int32) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// BenchmarkSortByKey sorts max_M = 4 random firms by a random wage, the
// job queue's case.
func BenchmarkSortByKey(b *testing.B) {
	for _, n := range []int{2, 4, 12} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rng.New(1, 2)
			key := make([]float64, 100)
			for i := range key {
				key[i] = r.Float64()
			}
			lists := make([]int32, 1<<16*n)
			for i := range lists {
				lists[i] = int32(r.IntN(len(key)))
			}
			buf := make([]int32, n)
			a := 0
			for b.Loop() {
				copy(buf, lists[a*n:(a+1)*n])
				sortByKey(buf, key, true)
				a = (a + 1) % (1 << 16)
			}
		})
	}
}

// TestAtLeastZero checks atLeastZero against max(x, 0) bit for bit,
// including the signed zeros, NaN and the infinities.
func TestAtLeastZero(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 1e-300, -1e-300, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64} {
		if got, want := atLeastZero(x), max(x, 0); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("atLeastZero(%v) = %v (bits %x), want %v (bits %x)", x, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
}
