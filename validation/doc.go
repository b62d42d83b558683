// Package validation scores BAM runs against bamengine's validation targets
// (the validation spec, §2–§7 and Appendix A): the three scenarios
// baseline (25 metrics), growth_plus (66) and buffer_stock (8, plus an
// informational comparison with Growth+), their per-seed verdicts and the
// seed-stability aggregate.
//
// # Layers
//
//   - Capture: a [Recorder] attached to a simulation's pipeline records, at
//     the capture points of a [Plan] (spec §3: the first execution of the
//     named event, or the end of the period if the event is not in the
//     pipeline), the per-agent variables a scenario needs, and reduces them
//     at the end of each period to the per-period values of a [Record]
//     (sums, production-weighted means, dispersions, Minsky shares, the loan
//     rate after the first credit round) plus the last period's
//     cross-sections. Buffers are sized once; a period allocates nothing.
//   - Metrics: [Derive] builds the derived series of §3.1/§6.1 from a
//     Record; [BaselineQuantities], [GrowthPlusQuantities] and
//     [BufferStockQuantities] compute the named quantities of §5.1, §6.4 and
//     §7.2 over the window after the burn-in ([BurnIn]).
//   - Scoring: a [Metric] (check type, [Target] block, weight, group) scores
//     one value with [Metric.Evaluate] (§4.2–§4.3, NaN rules of §2);
//     [ScoreQuantities] scores a scenario and totals it (§4.4). The metric
//     tables are [BaselineMetrics], [GrowthPlusMetrics] and
//     [BufferStockMetrics].
//   - Runs: [RunSeed] validates one seed (for buffer_stock it first runs the
//     Growth+ companion with the same seed, §7.1); [RunStability] runs many
//     seeds on W goroutines and [Aggregate] summarises them (§4.5, §7.3).
//     Results are collected by seed index, so they do not depend on W.
//
// # Which metrics
//
// A [Suite] bundles a capture plan and a metric table. [SuiteFor] chooses it
// by the extensions in the simulation's pipeline: buffer_stock when
// consumers_calc_buffer_stock_propensity is present, growth_plus when
// firms_apply_productivity_growth is, baseline otherwise. A scenario named
// after one of the three suites must have that suite's extensions.
//
// # Numerical parity
//
// Sums, means and standard deviations use NumPy's pairwise summation
// (A.1), percentiles NumPy's linear method (A.2), skewness the biased
// estimator with a correctly rounded m2^1.5. On the reference's seed-0
// fixture (§5.4, in testdata/) the derived series match bit for bit (log
// GDP within 1 ulp), 21 of the 25 baseline metric values match bit for bit
// and the other four (Okun's correlation and R², the two Beveridge entries)
// within 6e−16 relative, and every status, score and the total score match.
// The distribution fits of buffer_stock use this package's own maximum
// likelihood search (a box-constrained Newton iteration with analytic
// derivatives) and agree with SciPy's only statistically.
package validation
