// Package stats holds the statistics primitives of the validation spec
// (§2 and Appendix A), written to reproduce NumPy's and SciPy's results bit
// for bit where the spec says they can: sums use NumPy's pairwise summation
// (A.1, [Sum]), percentiles NumPy's "linear" method (A.2,
// [PercentileSorted]), the skewness SciPy's biased estimator with a
// correctly rounded m2^1.5 ([Skew]).
//
// Every function works on plain []float64, accepts empty input and then
// returns NaN (or the documented value) instead of panicking, so that a
// short or collapsed run gives NaN metrics and never aborts.
//
// It is a leaf package: the facade (the equivalence gate), the validation
// engine and the command line all use it, so that one estimator has one
// implementation.
//
//   - Moments: [Sum], [Mean], [Std] (population), [Skew], [ExKurt], [CV].
//   - Order statistics: [PercentileSorted], [Percentile], [Median],
//     [IQRBounds], [IQRFilter], [Max], [Min], [Sorted].
//   - Association: [Corr], [OLSSlope], [OLSLine], [Detrend], [DetCorr].
//   - Shares and inequality: [Frac], [Within], [Gini]; smoothing: [MA5].
//   - Time series of the robustness analysis (spec §9.1): [CrossCorr]
//     (co-movements at lags, c_k = corr(x_t, y_{t+k})), [PeakLag],
//     [ARFit] (AR(p) by OLS with intercept and R²), [IRF], [TailIndex],
//     [SizeShape], [ShapiroWilk] (Royston's AS R94, SciPy's algorithm).
package stats
