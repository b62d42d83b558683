package validation

import (
	"math"

	"github.com/bam-abm/bam/stats"
)

// BufferStockMetrics are the 8 unique metrics of scenario buffer_stock
// (spec §7.2), total weight 16.5. Only these decide a buffer-stock seed's
// status and total score.
var BufferStockMetrics = []Metric{
	{"sm_ccdf_r2", "sm_ccdf_r2", Range, Target{Min: 0.80, Max: 1.0}, 3, Distribution},
	{"dagum_ccdf_r2", "dagum_ccdf_r2", Range, Target{Min: 0.80, Max: 1.0}, 3, Distribution},
	{"gb2_ccdf_r2", "gb2_ccdf_r2", Range, Target{Min: 0.80, Max: 1.0}, 2, Distribution},
	{"best_r2", "best_r2", Range, Target{Min: 0.85, Max: 1.0}, 3, Distribution},
	{"wealth_gini", "wealth_gini", Range, Target{Min: 0.2, Max: 0.8}, 2, Distribution},
	{"wealth_skewness", "wealth_skewness", Range, Target{Min: 0.5, Max: 10.0}, 1, Distribution},
	{"mean_mpc", "mean_mpc", Range, Target{Min: 0.8, Max: 1.1}, 1.5, Financial},
	{"pct_dissaving", "pct_dissaving", Range, Target{Min: 0.05, Max: 0.55}, 1, Financial},
}

// DegradationBase is the base b of the buffer-stock degradation rule
// (spec §7.3, from the target file).
const DegradationBase = 0.25

// BufferStockQuantities computes the quantities of the 8 unique
// buffer-stock metrics (spec §7.2) from the last period's cross-section of
// the employed households, plus the unscored KS distances and MPC std.
func BufferStockQuantities(r *Record) Quantities {
	q := Quantities{}
	var x, cadj []float64
	for h, e := range r.FinalEmployed {
		if !e {
			continue
		}
		x = append(x, r.FinalSavings[h])
		adj := 0.0
		if w := r.FinalWage[h]; w > 0 {
			adj = r.FinalDividends[h] / w
		}
		cadj = append(cadj, r.FinalPropensity[h]-adj)
	}
	fits := FitWealth(x)
	q["sm_ccdf_r2"], q["sm_ks"] = fits[0].R2, fits[0].KS
	q["dagum_ccdf_r2"], q["dagum_ks"] = fits[1].R2, fits[1].KS
	q["gb2_ccdf_r2"], q["gb2_ks"] = fits[2].R2, fits[2].KS
	best := fits[0].R2
	for _, f := range fits[1:] {
		if f.R2 > best {
			best = f.R2
		}
	}
	q["best_r2"] = best
	q["wealth_gini"] = stats.Gini(x)
	q["wealth_skewness"] = stats.Skew(x)
	q["mean_mpc"] = stats.Mean(cadj)
	q["std_mpc"] = stats.Std(cadj)
	q["pct_dissaving"] = stats.Frac(cadj, func(v float64) bool { return v > 1.0 })
	return q
}

// collapsedGrowthPlus reports whether a Growth+ result counts as collapsed
// for the buffer-stock flow (spec §7.1): total score < 0.1 and more FAILs
// than PASSes.
func collapsedGrowthPlus(s *Score) bool {
	return s.TotalScore < 0.1 && s.NFail > s.NPass
}

// DeltaStatus is the status of a Growth+ metric's mean score change on the
// buffer-stock run (spec §7.3): PASS when the mean delta is ≥ 0, WARN when
// |mean delta| ≤ b / max(w, 0.1), FAIL ("degraded") otherwise.
func DeltaStatus(meanDelta, weight float64) Status {
	switch {
	case meanDelta >= 0:
		return Pass
	case math.Abs(meanDelta) <= DegradationBase/math.Max(weight, 0.1):
		return Warn
	}
	return Fail
}
