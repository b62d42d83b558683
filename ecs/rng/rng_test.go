package rng_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"
)

// TestSameStreamAsMathRand checks bit-for-bit agreement with math/rand/v2's
// PCG for every method.
func TestSameStreamAsMathRand(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {42, 0x9e3779b97f4a7c15}} {
		ours := rng.New(seed[0], seed[1])
		ref := rand.New(rand.NewPCG(seed[0], seed[1]))
		for i := range 2000 {
			switch i % 4 {
			case 0:
				if a, b := ours.Uint64(), ref.Uint64(); a != b {
					t.Fatalf("seed %v draw %d: Uint64 %d != %d", seed, i, a, b)
				}
			case 1:
				if a, b := ours.Float64(), ref.Float64(); a != b {
					t.Fatalf("seed %v draw %d: Float64 %v != %v", seed, i, a, b)
				}
			case 2:
				n := 1 + i%37
				if i%8 == 2 {
					n = 1 << (i % 20)
				}
				if a, b := ours.IntN(n), ref.IntN(n); a != b {
					t.Fatalf("seed %v draw %d: IntN(%d) %d != %d", seed, i, n, a, b)
				}
			case 3:
				s := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8}
				u := slices.Clone(s)
				ours.Shuffle(s)
				ref.Shuffle(len(u), func(a, b int) { u[a], u[b] = u[b], u[a] })
				if !slices.Equal(s, u) {
					t.Fatalf("seed %v draw %d: Shuffle %v != %v", seed, i, s, u)
				}
			}
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	r := rng.New(5, 6)
	r.Uint64()
	b, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := r.Uint64()
	var q rng.Rand
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got := q.Uint64(); got != want {
		t.Errorf("restored stream gives %d, want %d", got, want)
	}
	if err := q.UnmarshalBinary([]byte("junk")); err == nil {
		t.Error("accepted a bad state")
	}
}

func TestExpMean(t *testing.T) {
	r := rng.New(1, 1)
	const n = 200000
	sum := 0.0
	for range n {
		x := r.Exp(2.5)
		if x < 0 || math.IsInf(x, 0) {
			t.Fatalf("Exp gave %v", x)
		}
		sum += x
	}
	// std of the mean = 2.5/sqrt(n) ≈ 0.0056
	if m := sum / n; math.Abs(m-2.5) > 0.03 {
		t.Errorf("mean %v, want 2.5", m)
	}
}

func TestIntNPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("IntN(0) did not panic")
		}
	}()
	rng.New(0, 0).IntN(0)
}

func BenchmarkIntN(b *testing.B) {
	r := rng.New(1, 2)
	s := 0
	for b.Loop() {
		s += r.IntN(100)
	}
	_ = s
}

func BenchmarkMathRandIntN(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	s := 0
	for b.Loop() {
		s += r.IntN(100)
	}
	_ = s
}

// TestShuffleLong checks Shuffle against math/rand/v2 on a slice long
// enough for its bounds to cross many powers of two.
func TestShuffleLong(t *testing.T) {
	s := make([]int32, 5000)
	for i := range s {
		s[i] = int32(i)
	}
	u := slices.Clone(s)
	rng.New(8, 9).Shuffle(s)
	rand.New(rand.NewPCG(8, 9)).Shuffle(len(u), func(a, b int) { u[a], u[b] = u[b], u[a] })
	if !slices.Equal(s, u) {
		t.Fatal("Shuffle of 5000 differs from math/rand/v2")
	}
}

// TestIntNRejects checks IntN against math/rand/v2 for bounds where the
// rejection loop runs often (about one first draw in four for 2⁶² + 1).
func TestIntNRejects(t *testing.T) {
	ours, ref := rng.New(3, 7), rand.New(rand.NewPCG(3, 7))
	for i := range 4000 {
		n := 1<<62 + 1 + i%3
		if a, b := ours.IntN(n), ref.IntN(n); a != b {
			t.Fatalf("draw %d: IntN(%d) %d != %d", i, n, a, b)
		}
	}
}

func BenchmarkShuffle(b *testing.B) {
	r := rng.New(1, 2)
	s := make([]int32, 500)
	for b.Loop() {
		r.Shuffle(s)
	}
}
