package validation

import "math"

// epsGuard is the EPS of the "> EPS" guards of the spec (§2).
const epsGuard = 1e-9

// The numerical primitives of spec §2 and Appendix A are in package stats;
// these are the validation engine's own guards.

// safeDiv is the reference's denominator guard: z unless it is exactly 0,
// then 1e−10 (spec §2).
func safeDiv(z float64) float64 {
	if z == 0 {
		return 1e-10
	}
	return z
}

// atLeastEps returns z if z > 1e−9, else 1e−9 (the "> EPS" guards of §6.1).
func atLeastEps(z float64) float64 {
	if z > epsGuard {
		return z
	}
	return epsGuard
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
