package markets_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

// checkResolve asserts the deterministic contract of one Resolve call:
// per target exactly min(max(cap,0), n_t) accepted, capacity reduced by that.
func checkResolve(t tb, target, capBefore, capAfter []int32, accepted []bool) {
	t.Helper()
	apps := make([]int32, len(capBefore))
	acc := make([]int32, len(capBefore))
	for a, tg := range target {
		apps[tg]++
		if accepted[a] {
			acc[tg]++
		}
	}
	for tg := range capBefore {
		c := max(capBefore[tg], 0)
		want := min(c, apps[tg])
		if acc[tg] != want {
			t.Fatalf("target %d: accepted %d of %d with capacity %d, want %d", tg, acc[tg], apps[tg], capBefore[tg], want)
		}
		if acc[tg] > c {
			t.Fatalf("target %d: accepted %d > capacity %d", tg, acc[tg], capBefore[tg])
		}
		if capAfter[tg] != capBefore[tg]-acc[tg] {
			t.Fatalf("target %d: capacity %d → %d after %d acceptances", tg, capBefore[tg], capAfter[tg], acc[tg])
		}
	}
}

func TestResolveTable(t *testing.T) {
	tests := []struct {
		name     string
		target   []int32
		capacity []int32
		// wantAcc is the exact outcome where it is forced (nil: only counts).
		wantAcc []bool
		wantCap []int32
	}{
		{
			name:     "no applications",
			target:   nil,
			capacity: []int32{3, 0, -1},
			wantAcc:  []bool{},
			wantCap:  []int32{3, 0, -1},
		},
		{
			name:     "under-subscribed accepts all",
			target:   []int32{0, 1, 0, 2},
			capacity: []int32{2, 5, 1},
			wantAcc:  []bool{true, true, true, true},
			wantCap:  []int32{0, 4, 0},
		},
		{
			name:     "zero capacity accepts none",
			target:   []int32{0, 0, 1},
			capacity: []int32{0, 1},
			wantAcc:  []bool{false, false, true},
			wantCap:  []int32{0, 0},
		},
		{
			name:     "negative capacity accepts none and is left unchanged",
			target:   []int32{1, 1, 0},
			capacity: []int32{1, -2},
			wantAcc:  []bool{false, false, true},
			wantCap:  []int32{0, -2},
		},
		{
			name:     "over-subscribed target",
			target:   []int32{0, 0, 0, 0, 0, 1, 1},
			capacity: []int32{2, 1},
			wantCap:  []int32{0, 0},
		},
		{
			name:     "empty targets between used ones",
			target:   []int32{4, 0, 4, 4, 0},
			capacity: []int32{1, 7, 7, 7, 2},
			wantCap:  []int32{0, 7, 7, 7, 0},
		},
		{
			name:     "stale accepted flags are overwritten",
			target:   []int32{0, 0, 0},
			capacity: []int32{0},
			wantAcc:  []bool{false, false, false},
			wantCap:  []int32{0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := markets.NewMatcher(len(tt.target), len(tt.capacity))
			capacity := slices.Clone(tt.capacity)
			accepted := make([]bool, len(tt.target))
			for a := range accepted {
				accepted[a] = true // stale values from a previous round
			}
			m.Resolve(rng.New(1, 2), tt.target, capacity, accepted)
			checkResolve(t, tt.target, tt.capacity, capacity, accepted)
			if tt.wantAcc != nil && !slices.Equal(accepted, tt.wantAcc) {
				t.Errorf("accepted %v, want %v", accepted, tt.wantAcc)
			}
			if !slices.Equal(capacity, tt.wantCap) {
				t.Errorf("capacity %v, want %v", capacity, tt.wantCap)
			}
		})
	}
}

func TestResolveReuse(t *testing.T) {
	// A matcher is reused every round: a second call must not see the first
	// call's buckets.
	m := markets.NewMatcher(6, 3)
	r := rng.New(1, 2)
	rounds := []struct {
		target   []int32
		capacity []int32
	}{
		{[]int32{0, 0, 0, 1, 2, 2}, []int32{1, 1, 1}},
		{[]int32{2, 2}, []int32{5, 0, 1}},
		{[]int32{1}, []int32{0, 1, 0}},
		{[]int32{0, 1, 2, 0, 1, 2}, []int32{2, 2, 2}},
	}
	for i, rd := range rounds {
		capacity := slices.Clone(rd.capacity)
		accepted := make([]bool, len(rd.target))
		m.Resolve(r, rd.target, capacity, accepted)
		t.Logf("round %d: accepted %v", i, accepted)
		checkResolve(t, rd.target, rd.capacity, capacity, accepted)
	}
}

func TestResolveDeterministic(t *testing.T) {
	target := []int32{0, 1, 0, 2, 1, 0, 0, 2, 1, 1, 0, 2}
	capacity := []int32{2, 1, 2}
	run := func(seed uint64) []bool {
		m := markets.NewMatcher(len(target), len(capacity))
		acc := make([]bool, len(target))
		m.Resolve(rng.New(seed, 0), target, slices.Clone(capacity), acc)
		return acc
	}
	first := run(42)
	for range 5 {
		if got := run(42); !slices.Equal(got, first) {
			t.Fatalf("same seed gave %v and %v", got, first)
		}
	}
	differs := false
	for seed := uint64(0); seed < 20 && !differs; seed++ {
		differs = !slices.Equal(run(seed), first)
	}
	if !differs {
		t.Fatal("20 seeds gave the same acceptance: no randomness")
	}
}

func TestResolveNoDrawWithoutConflict(t *testing.T) {
	target := []int32{0, 1, 1, 2}
	capacity := []int32{1, 2, 0} // target 2 has capacity 0 < 1 applicant: still no draw needed
	r := rng.New(9, 9)
	ref := rng.New(9, 9)
	m := markets.NewMatcher(len(target), len(capacity))
	m.Resolve(r, target, capacity, make([]bool, len(target)))
	if r.Uint64() != ref.Uint64() {
		t.Fatal("Resolve drew random numbers although no target was over-subscribed with positive capacity")
	}
}

// TestResolveUniform checks that for an over-subscribed target every
// applicant is accepted with probability cap/n and every cap-subset of the
// applicants is equally likely, while another target's outcome is
// independent of it.
func TestResolveUniform(t *testing.T) {
	tests := []struct {
		n, cap int32
	}{{5, 2}, {6, 1}, {6, 5}, {7, 3}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d,cap=%d", tt.n, tt.cap), func(t *testing.T) {
			// Target 1 gets the n applicants under test, interleaved with two
			// applicants of target 0 (capacity 1) to check independence.
			var target []int32
			var idx []int // application index of the i-th applicant of target 1
			first0 := -1  // application index of the first applicant of target 0
			for i := range tt.n {
				if i == 1 || i == 3 {
					if first0 < 0 {
						first0 = len(target)
					}
					target = append(target, 0)
				}
				idx = append(idx, len(target))
				target = append(target, 1)
			}
			nsub := binom(int(tt.n), int(tt.cap))
			draws := 3000 * nsub
			m := markets.NewMatcher(len(target), 2)
			r := rng.New(uint64(tt.n), uint64(tt.cap))
			acc := make([]bool, len(target))
			byMask := map[uint32]int{}
			perApp := make([]int, tt.n)
			// joint[x][y]: first applicant of target 0 accepted (x) and
			// applicant 0 of target 1 accepted (y).
			var joint [2][2]int
			for range draws {
				capacity := []int32{1, tt.cap}
				m.Resolve(r, target, capacity, acc)
				var mask uint32
				for i, a := range idx {
					if acc[a] {
						mask |= 1 << i
						perApp[i]++
					}
				}
				byMask[mask]++
				joint[b2i(acc[first0])][b2i(acc[idx[0]])]++
			}
			if len(byMask) != nsub {
				t.Fatalf("%d distinct accepted subsets, want C(%d,%d) = %d", len(byMask), tt.n, tt.cap, nsub)
			}
			p := float64(tt.cap) / float64(tt.n)
			mean := float64(draws) * p
			sd := math.Sqrt(float64(draws) * p * (1 - p))
			for i, c := range perApp {
				if math.Abs(float64(c)-mean) > 5*sd {
					t.Errorf("applicant %d accepted %d times, want %.0f ± %.0f", i, c, mean, 5*sd)
				}
			}
			if nsub > 1 {
				counts := make([]int, 0, nsub)
				for _, c := range byMask {
					counts = append(counts, c)
				}
				if chi, crit := chiSquare(counts, draws), chiSquareCritical(nsub-1, 3.29); chi > crit {
					t.Errorf("chi-square %.1f > %.1f: accepted subsets not uniform: %v", chi, crit, byMask)
				}
			}
			// Independence: P(first of target 0 accepted | applicant 0 of
			// target 1 accepted) ≈ 1/2 as unconditionally.
			if p < 1 {
				for y := range 2 {
					n := joint[0][y] + joint[1][y]
					frac := float64(joint[1][y]) / float64(n)
					if sd := math.Sqrt(0.25 / float64(n)); math.Abs(frac-0.5) > 5*sd {
						t.Errorf("target 0 acceptance %.3f given target 1 outcome %d: not independent (%v)", frac, y, joint)
					}
				}
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestResolveNoAlloc(t *testing.T) {
	target := []int32{0, 1, 0, 2, 1, 0, 0, 2, 1, 1, 0, 2}
	m := markets.NewMatcher(len(target), 3)
	r := rng.New(1, 2)
	acc := make([]bool, len(target))
	capacity := make([]int32, 3)
	if a := testing.AllocsPerRun(100, func() {
		capacity[0], capacity[1], capacity[2] = 2, 1, 5
		m.Resolve(r, target, capacity, acc)
	}); a != 0 {
		t.Errorf("Resolve: %v allocs per call", a)
	}
}
