package validation

import (
	"math"

	"github.com/bam-abm/bam/stats"
)

// Growth+ thresholds used when computing quantities (spec §6.4).
const (
	gpUnempFloor    = 0.02
	gpUnempCeiling  = 0.15
	gpInflLo        = -0.02
	gpInflHi        = 0.10
	gpVacLo         = 0.08
	gpVacHi         = 0.20
	gpSizeThreshold = 150.0
	gpSizeMedium    = 100.0
	gpRateLo        = -0.02
	gpRateHi        = 0.12
)

// GrowthPlusMetrics are the 66 metrics of scenario growth_plus (spec §6.5),
// in the reference's order; total weight 86.75. Groups: TIME_SERIES 1–16,
// CURVES 17–22, DISTRIBUTION 23–26, GROWTH 27–34, FINANCIAL 35–57,
// GROWTH_RATE_DIST 58–66.
var GrowthPlusMetrics = []Metric{
	{"unemployment_rate_mean", "unemployment_mean", MeanTolerance, Target{Target: 0.065, Tolerance: 0.02}, 1.5, TimeSeries},
	{"unemployment_absolute_ceiling", "unemployment_max", Boolean, Target{Threshold: 0.20, Invert: true}, 3, TimeSeries},
	{"unemployment_std", "unemployment_std", Range, Target{Min: 0.02, Max: 0.04}, 1, TimeSeries},
	{"unemployment_pct_above_floor", "unemployment_pct_above_floor", PctWithin, Target{Target: 0.90, Min: 0.80}, 1.5, TimeSeries},
	{"unemployment_pct_below_ceiling", "unemployment_pct_below_ceiling", PctWithin, Target{Target: 0.90, Min: 0.80}, 0.5, TimeSeries},
	{"inflation_rate_mean", "inflation_mean", MeanTolerance, Target{Target: 0.038, Tolerance: 0.025}, 1.5, TimeSeries},
	{"inflation_hard_ceiling_upper", "inflation_max", Boolean, Target{Threshold: 0.25, Invert: true}, 3, TimeSeries},
	{"inflation_hard_floor", "inflation_min", Boolean, Target{Threshold: -0.15}, 3, TimeSeries},
	{"inflation_non_degenerate", "inflation_mean", Range, Target{Min: 0.0, Max: 0.10}, 2, TimeSeries},
	{"inflation_pct_in_bounds", "inflation_pct_in_bounds", PctWithin, Target{Target: 0.90, Min: 0.80}, 1.5, TimeSeries},
	{"log_gdp_mean", "log_gdp_mean", MeanTolerance, Target{Target: 8.91, Tolerance: 0.20}, 1, TimeSeries},
	{"log_gdp_trend", "log_gdp_trend_coefficient", Range, Target{Min: 0.001, Max: 0.002}, 2, TimeSeries},
	{"log_gdp_trend_positive", "log_gdp_trend_coefficient", Boolean, Target{Threshold: 0}, 2, TimeSeries},
	{"log_gdp_total_growth", "log_gdp_total_growth", Range, Target{Min: 0.45, Max: 1.0}, 1, TimeSeries},
	{"vacancy_rate_mean", "vacancy_rate_mean", MeanTolerance, Target{Target: 0.13, Tolerance: 0.03}, 0.5, TimeSeries},
	{"vacancy_rate_pct_in_bounds", "vacancy_rate_pct_in_bounds", PctWithin, Target{Target: 0.90, Min: 0.80}, 0.5, TimeSeries},

	{"phillips_correlation", "phillips_corr", Range, Target{Min: -0.50, Max: -0.05}, 1.5, Curves},
	{"phillips_negative_sign", "phillips_corr", Range, Target{Min: -1, Max: 0}, 3, Curves},
	{"okun_correlation", "okun_corr", Range, Target{Min: -0.98, Max: -0.70}, 3, Curves},
	{"okun_weak_fail", "okun_corr", Boolean, Target{Threshold: -0.50, Invert: true}, 3, Curves},
	{"beveridge_correlation", "beveridge_corr", Range, Target{Min: -0.65, Max: -0.10}, 2, Curves},
	{"beveridge_negative_sign", "beveridge_corr", Range, Target{Min: -1, Max: 0}, 3, Curves},

	{"firm_size_skewness", "firm_size_skewness", MeanTolerance, Target{Target: 3.0, Tolerance: 2.0, Min: 1.0, Max: 10.0, HardMin: true, HardMax: true}, 1.5, Distribution},
	{"firm_size_pct_below", "firm_size_pct_below_threshold", Range, Target{Min: 0.85, Max: 0.95}, 0.5, Distribution},
	{"firm_size_tail_ratio", "firm_size_tail_ratio", Range, Target{Min: 2, Max: 10}, 0.75, Distribution},
	{"firm_size_pct_below_medium", "firm_size_pct_below_medium", PctWithin, Target{Target: 0.37, Min: 0.30}, 0.5, Distribution},

	{"productivity_growth", "total_productivity_growth", Range, Target{Min: 0.8, Max: 1.5}, 1.5, Growth},
	{"real_wage_growth", "total_real_wage_growth", Range, Target{Min: 0.8, Max: 1.5}, 1, Growth},
	{"productivity_wage_correlation", "productivity_wage_correlation", Range, Target{Min: 0.55, Max: 1.0}, 2, Growth},
	{"wage_productivity_ratio_mean", "wage_productivity_ratio_mean", Range, Target{Min: 0.60, Max: 0.70}, 1.5, Growth},
	{"wage_productivity_ratio_std", "wage_productivity_ratio_std", Range, Target{Min: 0.0, Max: 0.10}, 1.5, Growth},
	{"productivity_trend", "productivity_trend_coefficient", Range, Target{Min: 0.001, Max: 0.002}, 1, Growth},
	{"n_recessions", "n_recessions", Range, Target{Min: 2, Max: 8}, 1.5, Growth},
	{"avg_recession_length", "avg_recession_length", Range, Target{Min: 20, Max: 100}, 0.5, Growth},

	{"bankruptcies_mean", "bankruptcies_mean", MeanTolerance, Target{Target: 2.0, Tolerance: 1.5}, 1, Financial},
	{"real_interest_rate_mean", "real_interest_rate_mean", MeanTolerance, Target{Target: 0.05, Tolerance: 0.025}, 0.5, Financial},
	{"real_interest_rate_std", "real_interest_rate_std", MeanTolerance, Target{Target: 0.025, Tolerance: 0.01}, 0.5, Financial},
	{"real_interest_rate_pct_in_bounds", "real_interest_rate_pct_in_bounds", PctWithin, Target{Target: 0.80, Min: 0.70}, 0.5, Financial},
	{"financial_fragility_mean", "avg_fragility_mean", MeanTolerance, Target{Target: 0.075, Tolerance: 0.025}, 0.5, Financial},
	{"financial_fragility_cv", "financial_fragility_cv", MeanTolerance, Target{Target: 0.15, Tolerance: 0.08}, 1, Financial},
	{"fragility_gdp_correlation", "fragility_gdp_correlation", Range, Target{Min: 0.0, Max: 1.0}, 2, Financial},
	{"price_ratio_mean", "price_ratio_mean", MeanTolerance, Target{Target: 1.375, Tolerance: 0.20}, 0.75, Financial},
	{"price_ratio_cv", "price_ratio_cv", MeanTolerance, Target{Target: 0.10, Tolerance: 0.08}, 1, Financial},
	{"price_ratio_floor", "price_ratio_min", Boolean, Target{Threshold: 1.0}, 2, Financial},
	{"price_ratio_gdp_correlation", "price_ratio_gdp_correlation", Range, Target{Min: -0.95, Max: -0.40}, 1.5, Financial},
	{"price_ratio_low_end", "price_ratio_p5", Range, Target{Min: 1.05, Max: 1.55}, 0.5, Financial},
	{"price_dispersion_mean", "price_dispersion_mean", MeanTolerance, Target{Target: 0.275, Tolerance: 0.08}, 0.75, Financial},
	{"price_dispersion_std", "price_dispersion_std", MeanTolerance, Target{Target: 0.037, Tolerance: 0.015}, 1, Financial},
	{"price_dispersion_gdp_correlation", "price_dispersion_gdp_correlation", Range, Target{Min: 0.0, Max: 1.0}, 1.5, Financial},
	{"equity_dispersion_mean", "equity_dispersion_mean", MeanTolerance, Target{Target: 1.75, Tolerance: 0.5}, 0.5, Financial},
	{"equity_dispersion_cv", "equity_dispersion_cv", MeanTolerance, Target{Target: 0.34, Tolerance: 0.17}, 1, Financial},
	{"equity_dispersion_gdp_correlation", "equity_dispersion_gdp_correlation", Range, Target{Min: 0.0, Max: 1.0}, 1.5, Financial},
	{"sales_dispersion_mean", "sales_dispersion_mean", MeanTolerance, Target{Target: 1.5, Tolerance: 0.5}, 0.5, Financial},
	{"sales_dispersion_cv", "sales_dispersion_cv", MeanTolerance, Target{Target: 0.50, Tolerance: 0.25}, 1, Financial},
	{"sales_dispersion_gdp_correlation", "sales_dispersion_gdp_correlation", Range, Target{Min: 0.0, Max: 1.0}, 1.5, Financial},
	{"minsky_hedge_pct", "minsky_hedge_pct", Range, Target{Min: 0.50, Max: 0.80}, 0.5, Financial},
	{"minsky_ponzi_pct", "minsky_ponzi_pct", Range, Target{Min: 0.04, Max: 0.12}, 0.5, Financial},

	{"output_growth_pct_tight", "output_growth_pct_within_tight", PctWithin, Target{Target: 0.95, Min: 0.90}, 1, GrowthRateDist},
	{"output_growth_pct_normal", "output_growth_pct_within_normal", PctWithin, Target{Target: 0.99, Min: 0.96}, 0.5, GrowthRateDist},
	{"output_growth_outliers", "output_growth_pct_outliers", Outlier, Target{MaxOutlier: 0.02, Penalty: 2.0}, 1.5, GrowthRateDist},
	{"output_growth_tent_r2", "output_growth_tent_r2", Range, Target{Min: 0.85, Max: 1.0}, 2, GrowthRateDist},
	{"output_growth_positive_frac", "output_growth_positive_frac", Range, Target{Min: 0.50, Max: 0.85}, 0.5, GrowthRateDist},
	{"networth_growth_pct_tight", "networth_growth_pct_within_tight", PctWithin, Target{Target: 0.75, Min: 0.60}, 1, GrowthRateDist},
	{"networth_growth_pct_normal", "networth_growth_pct_within_normal", PctWithin, Target{Target: 0.90, Min: 0.80}, 0.5, GrowthRateDist},
	{"networth_growth_outliers", "networth_growth_pct_outliers", Outlier, Target{MaxOutlier: 0.05, Penalty: 2.0}, 1.5, GrowthRateDist},
	{"networth_growth_tent_r2", "networth_growth_tent_r2", Range, Target{Min: 0.65, Max: 1.0}, 1.5, GrowthRateDist},
}

// GrowthPlusQuantities computes every quantity of spec §6.4 from a record
// holding the Growth+ reductions, with burn-in b (already resolved by
// [BurnIn]). Quantities that need series the record lacks are NaN.
func GrowthPlusQuantities(r *Record, d *Derived, b int) Quantities {
	q := Quantities{}
	T := r.Periods()
	u := window(d.Unemployment, b)
	q["unemployment_mean"] = stats.Mean(u)
	q["unemployment_std"] = stats.Std(u)
	q["unemployment_max"] = stats.Max(u)
	q["unemployment_pct_above_floor"] = stats.Frac(u, func(v float64) bool { return v >= gpUnempFloor })
	q["unemployment_pct_below_ceiling"] = stats.Frac(u, func(v float64) bool { return v <= gpUnempCeiling })

	pi := window(r.Inflation, b) // over S, unlike the baseline
	q["inflation_mean"] = stats.Mean(pi)
	q["inflation_std"] = stats.Std(pi)
	q["inflation_max"] = stats.Max(pi)
	q["inflation_min"] = stats.Min(pi)
	q["inflation_pct_in_bounds"] = stats.Frac(pi, func(v float64) bool { return v >= gpInflLo && v <= gpInflHi })

	lg := window(d.LogGDP, b)
	k := stats.Indices(len(lg))
	q["log_gdp_mean"] = stats.Mean(lg)
	q["log_gdp_trend_coefficient"] = stats.OLSSlope(k, lg)
	q["log_gdp_total_growth"] = math.NaN()
	if len(lg) > 0 {
		q["log_gdp_total_growth"] = lg[len(lg)-1] - lg[0]
	}

	vac := window(d.VacancyRate, b)
	q["vacancy_rate_mean"] = stats.Mean(vac)
	q["vacancy_rate_pct_in_bounds"] = stats.Frac(vac, func(v float64) bool { return v >= gpVacLo && v <= gpVacHi })

	curves(q, d, b, nil)
	firmSize(q, r.FinalProduction, gpSizeThreshold, gpSizeMedium)

	ap, rw := window(d.AvgProductivity, b), window(d.RealWage, b)
	q["total_productivity_growth"] = totalGrowth(ap)
	q["total_real_wage_growth"] = totalGrowth(rw)
	lap := make([]float64, len(ap))
	ratio := make([]float64, len(ap))
	for i, v := range ap {
		if v > 0 {
			lap[i] = math.Log(v)
		} else {
			lap[i] = math.Log(epsGuard)
		}
		ratio[i] = rw[i] / safeDiv(v)
	}
	q["productivity_trend_coefficient"] = stats.OLSSlope(k, lap)
	q["productivity_wage_correlation"] = stats.DetCorr(ap, rw)
	q["wage_productivity_ratio_mean"] = stats.Mean(ratio)
	q["wage_productivity_ratio_std"] = stats.Std(ratio)
	nr, rl := Recessions(d.LogGDP, b)
	q["n_recessions"], q["avg_recession_length"] = float64(nr), rl

	q["bankruptcies_mean"] = stats.Mean(window(r.FirmBankruptcies, b))
	if d.RealRate != nil {
		rr := window(d.RealRate, b)
		q["real_interest_rate_mean"] = stats.Mean(rr)
		q["real_interest_rate_std"] = stats.Std(rr)
		q["real_interest_rate_pct_in_bounds"] = stats.Frac(rr, func(v float64) bool { return v >= gpRateLo && v <= gpRateHi })
		mlg := stats.MA5(lg)
		cyc := func(x []float64) float64 { return stats.DetCorr(stats.MA5(x), mlg) }
		phi := window(d.Fragility, b)
		q["avg_fragility_mean"] = stats.Mean(phi)
		q["financial_fragility_cv"] = stats.CV(phi)
		q["fragility_gdp_correlation"] = cyc(phi)
		pr := window(d.PriceRatio, b)
		spr := stats.Sorted(pr)
		q["price_ratio_mean"] = stats.Mean(pr)
		q["price_ratio_cv"] = stats.CV(pr)
		q["price_ratio_gdp_correlation"] = cyc(pr)
		q["price_ratio_min"] = stats.PercentileSorted(spr, 1) // the 1st percentile, despite the name
		q["price_ratio_p5"] = stats.PercentileSorted(spr, 5)
		pd := window(r.PriceDispersion, b)
		q["price_dispersion_mean"] = stats.Mean(pd)
		q["price_dispersion_std"] = stats.Std(pd)
		q["price_dispersion_gdp_correlation"] = cyc(pd)
		ed := window(r.EquityDispersion, b)
		q["equity_dispersion_mean"] = stats.Mean(ed)
		q["equity_dispersion_cv"] = stats.CV(ed)
		q["equity_dispersion_gdp_correlation"] = cyc(ed)
		sd := window(r.SalesDispersion, b)
		q["sales_dispersion_mean"] = stats.Mean(sd)
		q["sales_dispersion_cv"] = stats.CV(sd)
		q["sales_dispersion_gdp_correlation"] = cyc(sd)
		q["minsky_hedge_pct"] = stats.Mean(window(r.MinskyHedge, b))
		q["minsky_speculative_pct"] = stats.Mean(window(r.MinskySpec, b))
		q["minsky_ponzi_pct"] = stats.Mean(window(r.MinskyPonzi, b))
	}

	// Output growth over t = B+1 … T−1, plain division (§6.3).
	var og []float64
	for t := b + 1; t < T; t++ {
		og = append(og, (r.Production[t]-r.Production[t-1])/r.Production[t-1])
	}
	q["output_growth_pct_within_tight"] = stats.Within(og, -0.05, 0.05)
	q["output_growth_pct_within_normal"] = stats.Within(og, -0.10, 0.10)
	q["output_growth_pct_outliers"] = 1 - stats.Within(og, -0.15, 0.15)
	q["output_growth_tent_r2"] = TentR2(og)
	q["output_growth_positive_frac"] = stats.Within(og, 0, math.Inf(1))

	// Net-worth growth: the firms with positive net worth in both of the
	// last two periods (§6.3).
	var ng []float64
	if T >= 2 && r.NetWorth != nil {
		for f, nw := range r.NetWorth {
			if p := r.NetWorthPrev[f]; p > 0 && nw > 0 {
				ng = append(ng, (nw-p)/p)
			}
		}
	}
	q["networth_growth_pct_within_tight"] = stats.Within(ng, -0.05, 0.05)
	q["networth_growth_pct_within_normal"] = stats.Within(ng, -0.10, 0.10)
	q["networth_growth_pct_outliers"] = 1 - stats.Within(ng, -0.50, 0.20)
	q["networth_growth_tent_r2"] = TentR2(ng)
	return q
}

// totalGrowth is (x_last − x_first)/x_first over the window, 0 unless
// x_first > 0 (NaN for an empty window).
func totalGrowth(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	if x[0] > 0 {
		return (x[len(x)-1] - x[0]) / x[0]
	}
	return 0
}
