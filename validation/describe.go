package validation

import (
	"fmt"
	"strconv"
)

// QuantityDescriptions say in one line what each scored quantity of the
// suites measures (the thresholds, which differ between suites, are in
// the metrics' targets). Over the periods after the burn-in unless said
// otherwise.
var QuantityDescriptions = map[string]string{
	// Time series.
	"unemployment_mean":              "mean unemployment rate",
	"unemployment_std":               "standard deviation of the unemployment rate",
	"unemployment_max":               "highest unemployment rate",
	"unemployment_pct_above_floor":   "share of periods with unemployment at or above its floor",
	"unemployment_pct_below_ceiling": "share of periods with unemployment at or below its ceiling",
	"inflation_mean":                 "mean annual (year-on-year) inflation of the average price",
	"inflation_std":                  "standard deviation of annual inflation",
	"inflation_max":                  "highest annual inflation",
	"inflation_min":                  "lowest annual inflation",
	"inflation_pct_in_bounds":        "share of periods with annual inflation within its bounds",
	"log_gdp_mean":                   "mean log real GDP",
	"log_gdp_trend_coefficient":      "OLS slope of log real GDP per period (trend growth)",
	"log_gdp_total_growth":           "log real GDP at the last period minus at the first",
	"real_wage_mean":                 "mean real wage (average wage of the employed over the average price)",
	"real_wage_std":                  "standard deviation of the real wage",
	"avg_productivity_std":           "standard deviation of average labour productivity (flat without R&D)",
	"wage_to_productivity_ratio":     "mean real wage over mean productivity (labour share)",
	"vacancy_rate_mean":              "mean vacancy rate (open vacancies per household)",
	"vacancy_rate_pct_in_bounds":     "share of periods with the vacancy rate within its bounds",

	// Curves.
	"phillips_corr":  "Phillips curve: corr(unemployment rate, wage inflation per quarter)",
	"okun_corr":      "Okun curve in growth rates: corr(unemployment growth rate, GDP growth rate), IQR-filtered",
	"okun_r_squared": "R² of the Okun curve in growth rates (its correlation squared)",
	"beveridge_corr": "Beveridge curve: corr(unemployment rate, vacancy rate)",

	// Distribution.
	"firm_size_skewness":            "skewness of the last period's firm output, every firm",
	"firm_size_pct_below_threshold": "share of firms whose last-period output is below the small-firm threshold",
	"firm_size_pct_below_medium":    "share of firms whose last-period output is below the medium-firm threshold",
	"firm_size_tail_ratio":          "largest over median last-period firm output",

	// Growth.
	"total_productivity_growth":      "relative growth of average productivity from the first period to the last",
	"total_real_wage_growth":         "relative growth of the real wage from the first period to the last",
	"productivity_wage_correlation":  "corr(productivity, real wage), both detrended",
	"wage_productivity_ratio_mean":   "mean of the real wage over productivity, period by period",
	"wage_productivity_ratio_std":    "standard deviation of the real wage over productivity",
	"productivity_trend_coefficient": "OLS slope of log productivity per period (trend growth)",
	"n_recessions":                   "number of recession episodes of log GDP (the detector of spec §6.2)",
	"avg_recession_length":           "mean length of a recession, in periods",

	// Financial.
	"bankruptcies_mean":                 "mean number of firm bankruptcies per period",
	"real_interest_rate_mean":           "mean real interest rate (nominal rate less inflation)",
	"real_interest_rate_std":            "standard deviation of the real interest rate",
	"real_interest_rate_pct_in_bounds":  "share of periods with the real interest rate within its bounds",
	"avg_fragility_mean":                "mean financial fragility (wage bill over net worth)",
	"financial_fragility_cv":            "coefficient of variation of financial fragility",
	"fragility_gdp_correlation":         "corr(fragility, log GDP), both smoothed (5-period moving average) and detrended",
	"price_ratio_mean":                  "mean ratio of the market price to the market-clearing price",
	"price_ratio_cv":                    "coefficient of variation of the price ratio",
	"price_ratio_gdp_correlation":       "corr(price ratio, log GDP), smoothed and detrended",
	"price_ratio_min":                   "1st percentile of the price ratio",
	"price_ratio_p5":                    "5th percentile of the price ratio",
	"price_dispersion_mean":             "mean dispersion of the firms' prices",
	"price_dispersion_std":              "standard deviation of the price dispersion",
	"price_dispersion_gdp_correlation":  "corr(price dispersion, log GDP), smoothed and detrended",
	"equity_dispersion_mean":            "mean dispersion of the firms' net worth",
	"equity_dispersion_cv":              "coefficient of variation of the equity dispersion",
	"equity_dispersion_gdp_correlation": "corr(equity dispersion, log GDP), smoothed and detrended",
	"sales_dispersion_mean":             "mean dispersion of the firms' sales",
	"sales_dispersion_cv":               "coefficient of variation of the sales dispersion",
	"sales_dispersion_gdp_correlation":  "corr(sales dispersion, log GDP), smoothed and detrended",
	"minsky_hedge_pct":                  "mean share of hedge firms (Minsky: income covers debt service)",
	"minsky_ponzi_pct":                  "mean share of Ponzi firms (Minsky: income covers not even the interest)",

	// Growth-rate distributions.
	"output_growth_pct_within_tight":    "share of periods with aggregate output growth within ±5 %",
	"output_growth_pct_within_normal":   "share of periods with aggregate output growth within ±10 %",
	"output_growth_pct_outliers":        "share of periods with aggregate output growth beyond ±15 %",
	"output_growth_tent_r2":             "R² of a tent (Laplace) fit to the distribution of output growth",
	"output_growth_positive_frac":       "share of periods with positive output growth",
	"networth_growth_pct_within_tight":  "share of firms whose last-period net-worth growth is within ±5 %",
	"networth_growth_pct_within_normal": "share of firms whose last-period net-worth growth is within ±10 %",
	"networth_growth_pct_outliers":      "share of firms whose last-period net-worth growth is outside −50 % … +20 %",
	"networth_growth_tent_r2":           "R² of a tent (Laplace) fit to the firms' net-worth growth",

	// Buffer stock.
	"sm_ccdf_r2":      "R² of a Singh–Maddala fit to the CCDF of the employed households' savings",
	"dagum_ccdf_r2":   "R² of a Dagum fit to the CCDF of savings",
	"gb2_ccdf_r2":     "R² of a generalised beta (GB2) fit to the CCDF of savings",
	"best_r2":         "best R² of the three fits to the CCDF of savings",
	"wealth_gini":     "Gini coefficient of the employed households' savings",
	"wealth_skewness": "skewness of the employed households' savings",
	"mean_mpc":        "mean propensity to consume of the employed households, less dividends over wage",
	"pct_dissaving":   "share of employed households whose adjusted propensity to consume exceeds 1",
}

// Description returns the one-line description of what m measures (from
// QuantityDescriptions, by its quantity), or "" when there is none.
func (m *Metric) Description() string { return QuantityDescriptions[m.Quantity] }

// DescribeWith is Describe with the numbers of the target written by num
// (Describe writes them as strconv's shortest 'g').
func (t *Target) DescribeWith(c Check, num func(float64) string) string {
	switch c {
	case MeanTolerance:
		s := num(t.Target) + " ± " + num(t.Tolerance)
		switch {
		case t.HardMin && t.HardMax:
			s += fmt.Sprintf(", hard [%s, %s]", num(t.Min), num(t.Max))
		case t.HardMin:
			s += ", hard ≥ " + num(t.Min)
		case t.HardMax:
			s += ", hard ≤ " + num(t.Max)
		}
		return s
	case Range:
		return "[" + num(t.Min) + ", " + num(t.Max) + "]"
	case PctWithin:
		return "≥ " + num(t.Target) + " (min " + num(t.Min) + ")"
	case Outlier:
		return "≤ " + num(t.MaxOutlier)
	case Boolean:
		if t.Invert {
			return "< " + num(t.Threshold)
		}
		return "> " + num(t.Threshold)
	}
	return ""
}

// shortest writes v as strconv's shortest 'g'.
func shortest(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
