package rng

import "math"

// log1mU returns ln(1 − u) for u in [0, 1).
func log1mU(u float64) float64 { return math.Log1p(-u) }
