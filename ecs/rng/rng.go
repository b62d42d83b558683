package rng

import (
	"encoding/binary"
	"errors"
	"math/bits"
)

// Rand is a PCG-DXSM generator with 128 bits of state. The zero value is a
// valid generator (seeded with 0, 0). It is not safe for concurrent use.
type Rand struct {
	hi, lo uint64
}

// New returns a generator seeded like rand.NewPCG(seed1, seed2).
func New(seed1, seed2 uint64) *Rand { return &Rand{seed1, seed2} }

// Seed resets the generator to the state New(seed1, seed2) starts from.
func (r *Rand) Seed(seed1, seed2 uint64) { r.hi, r.lo = seed1, seed2 }

// Uint64 returns a uniformly distributed 64-bit value.
func (r *Rand) Uint64() uint64 {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	hi, lo := bits.Mul64(r.lo, mulLo)
	hi += r.hi*mulLo + r.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	r.lo, r.hi = lo, hi
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	hi *= lo | 1
	return hi
}

// Float64 returns a uniform value in [0, 1).
func (r *Rand) Float64() float64 { return float64(r.Uint64()<<11>>11) / (1 << 53) }

// Uniform returns a uniform value in [0, h) (U(0, h) of the spec).
func (r *Rand) Uniform(h float64) float64 { return r.Float64() * h }

// IntN returns a uniform integer in [0, n). It panics if n ≤ 0.
func (r *Rand) IntN(n int) int {
	if n <= 0 {
		panic("rng: invalid argument to IntN")
	}
	return int(r.uint64n(uint64(n)))
}

// uint64n is Lemire's nearly divisionless bounded draw (as in math/rand/v2).
func (r *Rand) uint64n(n uint64) uint64 {
	if n&(n-1) == 0 {
		return r.Uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}

// Shuffle puts s in a uniformly random order (Fisher–Yates, the same draws
// as rand.Shuffle).
func (r *Rand) Shuffle(s []int32) {
	for i := len(s) - 1; i > 0; i-- {
		j := int(r.uint64n(uint64(i + 1)))
		s[i], s[j] = s[j], s[i]
	}
}

// Exp returns an exponentially distributed value with the given mean
// (scale), by inversion.
func (r *Rand) Exp(mean float64) float64 {
	// 1 − U is in (0, 1], so the logarithm is finite.
	return -mean * log1mU(r.Float64())
}

// MarshalBinary returns the generator's state.
func (r *Rand) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 20)
	b = append(b, "pcg:"...)
	b = binary.BigEndian.AppendUint64(b, r.hi)
	b = binary.BigEndian.AppendUint64(b, r.lo)
	return b, nil
}

// UnmarshalBinary restores a state returned by MarshalBinary.
func (r *Rand) UnmarshalBinary(b []byte) error {
	if len(b) != 20 || string(b[:4]) != "pcg:" {
		return errors.New("rng: invalid state")
	}
	r.hi = binary.BigEndian.Uint64(b[4:])
	r.lo = binary.BigEndian.Uint64(b[12:])
	return nil
}
