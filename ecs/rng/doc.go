// Package rng is the simulation's random stream: a PCG-DXSM generator with
// the sampling methods the model needs, as a concrete type so that draws in
// the hot loops are direct, inlinable calls rather than calls through the
// rand.Source interface.
//
// The stream is bit-for-bit the one of math/rand/v2 with rand.NewPCG: for
// the same seeds, Uint64, Float64, IntN and Shuffle return exactly what
// rand.New(rand.NewPCG(seed1, seed2)) returns (a test checks it).
package rng
