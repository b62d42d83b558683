package markets_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

// tb is the part of testing.TB (and of *rapid.T) the shared checkers use.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// chiSquareCritical returns an approximation (Wilson–Hilferty) of the upper
// quantile of the chi-square distribution with df degrees of freedom at the
// standard-normal quantile z (z = 3.29 ≈ p = 0.0005). The tests use fixed
// seeds, so they are deterministic; the threshold only has to be loose
// enough for a correct sampler and tight enough to catch a biased one.
func chiSquareCritical(df int, z float64) float64 {
	d := float64(df)
	a := 2 / (9 * d)
	return d * math.Pow(1-a+z*math.Sqrt(a), 3)
}

// chiSquare returns Σ (obs − exp)² / exp for equiprobable categories.
func chiSquare(counts []int, total int) float64 {
	exp := float64(total) / float64(len(counts))
	s := 0.0
	for _, c := range counts {
		d := float64(c) - exp
		s += d * d / exp
	}
	return s
}

func binom(n, k int) int {
	if k < 0 || k > n {
		return 0
	}
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// checkSample asserts the structural contract of SampleIndices for one draw.
func checkSample(t tb, n, k int, forced int32, got []int32) {
	t.Helper()
	want := min(k, n)
	if len(got) != want {
		t.Fatalf("n=%d k=%d forced=%d: len %d, want %d (%v)", n, k, forced, len(got), want, got)
	}
	seen := make(map[int32]bool, len(got))
	for _, x := range got {
		if x < 0 || int(x) >= n {
			t.Fatalf("n=%d k=%d forced=%d: element %d out of range (%v)", n, k, forced, x, got)
		}
		if seen[x] {
			t.Fatalf("n=%d k=%d forced=%d: duplicate %d (%v)", n, k, forced, x, got)
		}
		seen[x] = true
	}
	if forced >= 0 && k > 0 && k < n && got[0] != forced {
		t.Fatalf("n=%d k=%d forced=%d: dst[0]=%d, want forced (%v)", n, k, forced, got[0], got)
	}
}

func TestSampleIndicesStructure(t *testing.T) {
	tests := []struct {
		n, k   int
		forced int32
	}{
		{1, 1, -1}, {2, 1, -1}, {2, 1, 1}, {10, 1, 7}, {10, 2, -1}, {10, 2, 9},
		{10, 3, 0}, {10, 5, -1}, {10, 5, 4}, {10, 6, -1}, {10, 6, 5}, {10, 9, -1},
		{10, 9, 0}, {10, 9, 9}, {100, 5, 42}, {100, 99, 0}, {100, 99, 99}, {3, 2, 2},
		{5, 4, 2}, {5, 4, -1}, {10, 0, -1}, {10, 0, 3},
	}
	r := rng.New(1, 2)
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d,k=%d,forced=%d", tt.n, tt.k, tt.forced), func(t *testing.T) {
			dst := make([]int32, max(tt.k, 1))
			for range 2000 {
				got := markets.SampleIndices(r, tt.n, tt.k, tt.forced, dst)
				checkSample(t, tt.n, tt.k, tt.forced, got)
			}
		})
	}
}

func TestSampleIndicesWholeRange(t *testing.T) {
	tests := []struct {
		n, k   int
		forced int32
	}{
		{0, 0, -1}, {0, 3, -1}, {1, 1, -1}, {1, 5, 0}, {4, 4, -1}, {4, 10, -1}, {5, 5, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d,k=%d,forced=%d", tt.n, tt.k, tt.forced), func(t *testing.T) {
			r := rng.New(3, 4)
			ref := rng.New(3, 4)
			dst := make([]int32, max(tt.k, 1))
			for i := range dst {
				dst[i] = 99
			}
			got := markets.SampleIndices(r, tt.n, tt.k, tt.forced, dst)
			want := make([]int32, tt.n)
			for i := range want {
				want[i] = int32(i)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v (pool order)", got, want)
			}
			if r.Uint64() != ref.Uint64() {
				t.Fatal("k ≥ n consumed random draws")
			}
		})
	}
}

func TestSampleIndicesZeroK(t *testing.T) {
	r := rng.New(5, 6)
	for _, forced := range []int32{-1, 0, 4} {
		got := markets.SampleIndices(r, 10, 0, forced, make([]int32, 4))
		if len(got) != 0 {
			t.Fatalf("forced=%d: k=0 returned %v", forced, got)
		}
	}
}

func TestSampleIndicesUsesDst(t *testing.T) {
	r := rng.New(7, 8)
	for _, tt := range []struct{ n, k int }{{10, 3}, {5, 4}, {4, 4}} {
		dst := make([]int32, tt.k)
		got := markets.SampleIndices(r, tt.n, tt.k, -1, dst)
		if &got[0] != &dst[0] {
			t.Errorf("n=%d k=%d: result does not alias dst", tt.n, tt.k)
		}
	}
}

// TestSampleIndicesElementFrequency checks the marginal law: every free
// element appears with probability (k−f)/(n−f) (f = 1 with a forced
// element, else 0), within 5 binomial standard deviations.
func TestSampleIndicesElementFrequency(t *testing.T) {
	tests := []struct {
		n, k   int
		forced int32
	}{
		{10, 3, -1}, // sparse branch
		{10, 3, 4},  // sparse, forced
		{100, 5, -1},
		{100, 5, 99},
		{5, 4, -1}, // dense branch (2k > n)
		{5, 4, 2},  // dense, forced
		{7, 5, 6},
		{3, 2, 0},
		{20, 11, -1},
		{20, 11, 13},
	}
	const draws = 100000
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d,k=%d,forced=%d", tt.n, tt.k, tt.forced), func(t *testing.T) {
			r := rng.New(uint64(tt.n), uint64(tt.k))
			counts := make([]int, tt.n)
			dst := make([]int32, tt.k)
			for range draws {
				for _, x := range markets.SampleIndices(r, tt.n, tt.k, tt.forced, dst) {
					counts[x]++
				}
			}
			free, need := tt.n, tt.k
			if tt.forced >= 0 {
				free--
				need--
				if counts[tt.forced] != draws {
					t.Fatalf("forced element drawn %d times, want %d", counts[tt.forced], draws)
				}
			}
			p := float64(need) / float64(free)
			mean := draws * p
			sd := math.Sqrt(draws * p * (1 - p))
			for i, c := range counts {
				if int32(i) == tt.forced {
					continue
				}
				if math.Abs(float64(c)-mean) > 5*sd {
					t.Errorf("element %d: %d draws, want %.0f ± %.0f", i, c, mean, 5*sd)
				}
			}
		})
	}
}

// TestSampleIndicesSubsetUniform counts the drawn subsets (as bit masks) and
// checks that exactly the C(n−f, k−f) admissible subsets occur, equally often
// (chi-square). This covers the rejection branch and Floyd's dense branch.
func TestSampleIndicesSubsetUniform(t *testing.T) {
	tests := []struct {
		n, k   int
		forced int32
	}{
		{6, 2, -1}, // sparse: 15 subsets
		{6, 2, 3},  // sparse, forced: 5 subsets
		{10, 3, -1},
		{10, 3, 0},
		{5, 4, -1}, // dense: 5 subsets
		{5, 4, 2},  // dense, forced: 4 subsets
		{5, 3, -1}, // dense (2·3 > 5): 10 subsets
		{5, 3, 4},
		{7, 5, -1},
		{7, 4, 0}, // dense, forced: 20 subsets
		{8, 7, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d,k=%d,forced=%d", tt.n, tt.k, tt.forced), func(t *testing.T) {
			free, need := tt.n, tt.k
			if tt.forced >= 0 {
				free--
				need--
			}
			nsub := binom(free, need)
			draws := 2000 * nsub
			r := rng.New(uint64(tt.n)*31+uint64(tt.k), uint64(tt.forced+2))
			byMask := make(map[uint32]int)
			dst := make([]int32, tt.k)
			for range draws {
				var mask uint32
				for _, x := range markets.SampleIndices(r, tt.n, tt.k, tt.forced, dst) {
					mask |= 1 << x
				}
				byMask[mask]++
			}
			if len(byMask) != nsub {
				t.Fatalf("%d distinct subsets, want C(%d,%d) = %d", len(byMask), free, need, nsub)
			}
			counts := make([]int, 0, nsub)
			for mask, c := range byMask {
				if tt.forced >= 0 && mask&(1<<tt.forced) == 0 {
					t.Fatalf("subset %b lacks the forced element", mask)
				}
				counts = append(counts, c)
			}
			if nsub == 1 {
				return
			}
			chi := chiSquare(counts, draws)
			if crit := chiSquareCritical(nsub-1, 3.29); chi > crit {
				t.Errorf("chi-square %.1f > %.1f (df=%d): subsets not uniform: %v", chi, crit, nsub-1, byMask)
			}
		})
	}
}

// TestChiSquareDetectsBias guards the uniformity tests themselves: a
// visibly biased sampler must fail the same threshold.
func TestChiSquareDetectsBias(t *testing.T) {
	r := rng.New(1, 1)
	counts := make([]int, 5)
	const draws = 100000
	for range draws {
		// 5 categories, the last one 10 % more likely than the others.
		x := r.IntN(51)
		counts[min(x/10, 4)]++
	}
	if chi := chiSquare(counts, draws); chi <= chiSquareCritical(4, 3.29) {
		t.Fatalf("chi-square %.1f did not detect a biased sampler", chi)
	}
}

func TestSampleIndicesDeterministic(t *testing.T) {
	for _, tt := range []struct {
		n, k   int
		forced int32
	}{{10, 3, -1}, {10, 3, 2}, {5, 4, -1}, {5, 4, 1}} {
		a := rng.New(11, 12)
		b := rng.New(11, 12)
		da, db := make([]int32, tt.k), make([]int32, tt.k)
		for range 100 {
			x := markets.SampleIndices(a, tt.n, tt.k, tt.forced, da)
			y := markets.SampleIndices(b, tt.n, tt.k, tt.forced, db)
			if !slices.Equal(x, y) {
				t.Fatalf("n=%d k=%d forced=%d: same seed gave %v and %v", tt.n, tt.k, tt.forced, x, y)
			}
		}
	}
}

func TestSampleIndicesNoAlloc(t *testing.T) {
	r := rng.New(1, 2)
	dst := make([]int32, 8)
	for _, tt := range []struct {
		n, k   int
		forced int32
	}{{100, 5, -1}, {100, 5, 3}, {10, 8, -1}, {10, 8, 2}, {5, 8, -1}} {
		if a := testing.AllocsPerRun(100, func() { markets.SampleIndices(r, tt.n, tt.k, tt.forced, dst) }); a != 0 {
			t.Errorf("n=%d k=%d forced=%d: %v allocs per call", tt.n, tt.k, tt.forced, a)
		}
	}
}
