package calibration

import "math"

// AutoPrune is the pruning margin "auto" of spec §10: twice the
// sensitivity threshold.
const AutoPrune = 2 * Threshold

// Prune returns the values of a parameter worth keeping in a focused grid
// (spec §10): those whose score is at most margin below the best value's,
// in their order; the best value is always kept. Values without a finite
// score (never evaluated) are dropped unless none has one, when every
// value is kept.
func Prune(scores []ValueScore, margin float64) []string {
	best := math.Inf(-1)
	for _, v := range scores {
		if !math.IsNaN(v.Score) && v.Score > best {
			best = v.Score
		}
	}
	var out []string
	for _, v := range scores {
		if math.IsInf(best, -1) || (!math.IsNaN(v.Score) && v.Score >= best-margin) {
			out = append(out, v.Value)
		}
	}
	return out
}

// Cost classes of a value swap (spec §10, cost analysis).
const (
	Free      = "FREE"
	Cheap     = "CHEAP"
	Moderate  = "MODERATE"
	Expensive = "EXPENSIVE"
)

// CostClass classifies the change in combined score of a swap by its
// size: FREE below 0.002, CHEAP below 0.005, MODERATE below 0.010,
// EXPENSIVE from 0.010 (a NaN change is EXPENSIVE).
func CostClass(delta float64) string {
	d := math.Abs(delta)
	switch {
	case d < 0.002:
		return Free
	case d < 0.005:
		return Cheap
	case d < 0.010:
		return Moderate
	}
	return Expensive
}
