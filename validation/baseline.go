package validation

import (
	"math"

	"github.com/bam-abm/bam/stats"
)

// Baseline thresholds used when computing quantities (spec §5.1, the
// floor/ceiling/bounds/threshold entries of the target blocks).
const (
	baseUnempFloor    = 0.02
	baseUnempCeiling  = 0.12
	baseInflLo        = -0.05
	baseInflHi        = 0.15
	baseVacLo         = 0.08
	baseVacHi         = 0.20
	baseSizeThreshold = 5.0
	baseSizeMedium    = 10.0
)

// BaselineMetrics are the 25 metrics of scenario baseline (spec §5.2), in
// the reference's order; total weight 32.75.
var BaselineMetrics = []Metric{
	{"unemployment_rate_mean", "unemployment_mean", MeanTolerance, Target{Target: 0.065, Tolerance: 0.025}, 1.5, TimeSeries},
	{"unemployment_absolute_ceiling", "unemployment_max", Boolean, Target{Threshold: 0.20, Invert: true}, 3, TimeSeries},
	{"unemployment_std", "unemployment_std", Range, Target{Min: 0.010, Max: 0.030}, 1, TimeSeries},
	{"unemployment_pct_above_floor", "unemployment_pct_above_floor", PctWithin, Target{Target: 0.95, Min: 0.90}, 1.5, TimeSeries},
	{"unemployment_pct_below_ceiling", "unemployment_pct_below_ceiling", PctWithin, Target{Target: 0.95, Min: 0.85}, 0.5, TimeSeries},
	{"inflation_rate_mean", "inflation_mean", MeanTolerance, Target{Target: 0.05, Tolerance: 0.03}, 1.5, TimeSeries},
	{"inflation_non_degenerate", "inflation_mean", Range, Target{Min: 0.0, Max: 0.10}, 2, TimeSeries},
	{"inflation_pct_in_bounds", "inflation_pct_in_bounds", PctWithin, Target{Target: 0.90, Min: 0.80}, 1, TimeSeries},
	{"inflation_std", "inflation_std", MeanTolerance, Target{Target: 0.020, Tolerance: 0.010}, 0.5, TimeSeries},
	{"real_wage_mean", "real_wage_mean", MeanTolerance, Target{Target: 0.34, Tolerance: 0.03}, 1, TimeSeries},
	{"real_wage_std", "real_wage_std", MeanTolerance, Target{Target: 0.012, Tolerance: 0.010}, 0.5, TimeSeries},
	{"productivity_flatness", "avg_productivity_std", MeanTolerance, Target{Target: 0.0, Tolerance: 0.001}, 2, TimeSeries},
	{"wage_to_productivity_ratio", "wage_to_productivity_ratio", Range, Target{Min: 0.60, Max: 0.70}, 1, TimeSeries},
	{"vacancy_rate_mean", "vacancy_rate_mean", MeanTolerance, Target{Target: 0.13, Tolerance: 0.03}, 0.5, TimeSeries},
	{"vacancy_rate_pct_in_bounds", "vacancy_rate_pct_in_bounds", PctWithin, Target{Target: 0.90, Min: 0.80}, 0.5, TimeSeries},
	{"phillips_correlation", "phillips_corr", Range, Target{Min: -0.50, Max: -0.05}, 1, Curves},
	{"phillips_negative_sign", "phillips_corr", Range, Target{Min: -1.0, Max: 0.0}, 3, Curves},
	{"okun_correlation", "okun_corr", Range, Target{Min: -0.98, Max: -0.70}, 1.5, Curves},
	{"okun_r_squared", "okun_r_squared", Range, Target{Min: 0.50, Max: 1.0}, 0.5, Curves},
	{"beveridge_correlation", "beveridge_corr", Range, Target{Min: -0.65, Max: -0.10}, 2, Curves},
	{"beveridge_negative_sign", "beveridge_corr", Range, Target{Min: -1.0, Max: 0.0}, 3, Curves},
	{"firm_size_skewness", "firm_size_skewness", Range, Target{Min: 1.0, Max: 10.0}, 1.5, Distribution},
	{"firm_size_pct_below", "firm_size_pct_below_threshold", Range, Target{Min: 0.80, Max: 0.99}, 1, Distribution},
	{"firm_size_tail_ratio", "firm_size_tail_ratio", Range, Target{Min: 2.0, Max: 10.0}, 0.75, Distribution},
	{"firm_size_pct_below_medium", "firm_size_pct_below_medium", PctWithin, Target{Target: 0.98, Min: 0.92}, 0.5, Distribution},
}

// BaselineIntermediates are the Okun-filter and firm-size details the
// fixture of §5.4 records (not scored).
type BaselineIntermediates struct {
	OkunPairsBefore, OkunPairsAfter int
	OkunUnempGrowthBounds           [2]float64
	OkunGDPGrowthBounds             [2]float64
	FinalProductionMedian           float64
	FinalProductionMax              float64
	FinalProductionBelow5           int
	FinalProductionBelow10          int
}

// BaselineQuantities computes every quantity of spec §5.1 (plus
// log_gdp_mean, log_gdp_std and avg_productivity_mean, which no metric
// scores) from a record, with burn-in b (already resolved by [BurnIn]).
func BaselineQuantities(r *Record, d *Derived, b int) (Quantities, *BaselineIntermediates) {
	q := Quantities{}
	u := window(d.Unemployment, b)
	q["unemployment_mean"] = stats.Mean(u)
	q["unemployment_std"] = stats.Std(u)
	q["unemployment_max"] = stats.Max(u)
	q["unemployment_pct_above_floor"] = stats.Frac(u, func(v float64) bool { return v >= baseUnempFloor })
	q["unemployment_pct_below_ceiling"] = stats.Frac(u, func(v float64) bool { return v <= baseUnempCeiling })

	pi := r.Inflation // the full series (§5.1)
	q["inflation_mean"] = stats.Mean(pi)
	q["inflation_std"] = stats.Std(pi)
	q["inflation_pct_in_bounds"] = stats.Frac(pi, func(v float64) bool { return v >= baseInflLo && v <= baseInflHi })

	lg := window(d.LogGDP, b)
	q["log_gdp_mean"] = stats.Mean(lg)
	q["log_gdp_std"] = stats.Std(lg)

	rw, ap := window(d.RealWage, b), window(d.AvgProductivity, b)
	q["real_wage_mean"] = stats.Mean(rw)
	q["real_wage_std"] = stats.Std(rw)
	q["avg_productivity_mean"] = stats.Mean(ap)
	q["avg_productivity_std"] = stats.Std(ap)
	q["wage_to_productivity_ratio"] = ratioOfMeans(q["real_wage_mean"], q["avg_productivity_mean"])

	vac := window(d.VacancyRate, b)
	q["vacancy_rate_mean"] = stats.Mean(vac)
	q["vacancy_rate_pct_in_bounds"] = stats.Frac(vac, func(v float64) bool { return v >= baseVacLo && v <= baseVacHi })

	in := &BaselineIntermediates{}
	curves(q, d, b, in)

	fp := r.FinalProduction
	firmSize(q, fp, baseSizeThreshold, baseSizeMedium)
	in.FinalProductionMedian = stats.Median(fp)
	in.FinalProductionMax = stats.Max(fp)
	for _, v := range fp {
		if v < 5 {
			in.FinalProductionBelow5++
		}
		if v < 10 {
			in.FinalProductionBelow10++
		}
	}
	return q, in
}

// ratioOfMeans is mean(ω)/mean(ā), 0 unless mean(ā) > 0.
func ratioOfMeans(rw, ap float64) float64 {
	if ap > 0 {
		return rw / ap
	}
	return 0
}

// curves sets the Phillips, Okun and Beveridge quantities (spec §5.1),
// shared by the baseline and Growth+.
func curves(q Quantities, d *Derived, b int, in *BaselineIntermediates) {
	u, vac := window(d.Unemployment, b), window(d.VacancyRate, b)
	q["phillips_corr"] = stats.Corr(u, window(d.WageInflation, b))
	gu, gy := window(d.UnempGrowth, b), window(d.GDPGrowth, b)
	fu, fy := stats.IQRFilter(gu, gy)
	okun := stats.Corr(fu, fy)
	q["okun_corr"] = okun
	q["okun_r_squared"] = okun * okun
	q["beveridge_corr"] = stats.Corr(u, vac)
	if in != nil {
		in.OkunPairsBefore, in.OkunPairsAfter = len(gu), len(fu)
		in.OkunUnempGrowthBounds[0], in.OkunUnempGrowthBounds[1] = stats.IQRBounds(gu)
		in.OkunGDPGrowthBounds[0], in.OkunGDPGrowthBounds[1] = stats.IQRBounds(gy)
	}
}

// firmSize sets the firm-size quantities from the last period's production
// of all firms, zeros included (spec §5.1, §6.4).
func firmSize(q Quantities, fp []float64, threshold, medium float64) {
	q["firm_size_skewness"] = stats.Skew(fp)
	q["firm_size_pct_below_threshold"] = stats.Frac(fp, func(v float64) bool { return v < threshold })
	q["firm_size_pct_below_medium"] = stats.Frac(fp, func(v float64) bool { return v < medium })
	med := stats.Median(fp)
	switch {
	case math.IsNaN(med):
		q["firm_size_tail_ratio"] = math.NaN()
	case med > 0:
		q["firm_size_tail_ratio"] = stats.Max(fp) / med
	default:
		q["firm_size_tail_ratio"] = 0
	}
}
