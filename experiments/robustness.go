package experiments

import (
	"context"
	"math"
	"slices"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation"
)

// The defaults of the robustness analysis (validation spec §9).
const (
	HPLambda  = 1600 // the Hodrick–Prescott smoothing of quarterly data
	MaxLag    = 4    // co-movements at lags −4 … +4
	AROrder   = 2    // the per-seed autoregression of the GDP cycle
	IRFSteps  = 20   // the impulse response's length
	AcycBand  = 0.2  // |corr| below this counts as acyclical
	SWMaxSize = 500  // the Shapiro–Wilk test uses at most this many values
)

// CoVariables are the variables whose cycles are set against the GDP cycle
// (spec §9.1), in this order.
var CoVariables = []string{"unemployment", "productivity", "price", "real_interest_rate", "real_wage"}

// SeedAnalysis is the internal-validity analysis of one seed (spec §9.1),
// over the post-burn-in window.
type SeedAnalysis struct {
	Seed      uint64
	Periods   int
	Collapsed bool
	// Degenerate says why the seed is left out of the cross-seed averages
	// ("" if it is not): "collapsed", "unemployment out of [0.005, 0.5]",
	// "flat GDP growth", "NaN co-movements".
	Degenerate string
	// LogGDP is log GDP over the window and GDPCycle its HP cycle.
	LogGDP, GDPCycle []float64
	// CoMovements[v] are the cross-correlations of the GDP cycle with the
	// cycle of CoVariables[v] at lags −MaxLag … +MaxLag (stats.CrossCorr);
	// PeakLags[v] the lag of the largest |c| (NaN when every c is: a
	// constant variable, such as productivity without R&D).
	CoMovements [][]float64
	PeakLags    []float64
	// AR is the AR(2) fit of the GDP cycle and IRF its impulse response.
	AR  stats.AR
	IRF []float64
	// Stats are the summary statistics, by name (unemployment_mean, …).
	Stats map[string]float64
	// SizeShape is the label of the net-worth distribution (stats.SizeShape).
	SizeShape string
}

// RobustnessPlan returns the capture plan of a robustness run of a
// scenario with the given pipeline: the Growth+ plan, whose records hold
// the real interest rate and the net worth the analysis needs, with
// productivity read at the end of the period when the pipeline has no R&D.
func RobustnessPlan(pipeline []string) validation.Plan {
	p := validation.GrowthPlusPlan()
	if !slices.Contains(pipeline, validation.AtProductivityGrowth) {
		p.Productivity = validation.BaselinePlan().Productivity
	}
	return p
}

// RunSeedAnalysis runs sc with seed and analyses it (AnalyzeSeed).
func RunSeedAnalysis(ctx context.Context, sc *scenarios.Scenario, seed uint64, burnIn int) (*SeedAnalysis, error) {
	sc = sc.Clone()
	sc.Params.Seed = seed
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		return nil, err
	}
	if err := sim.DisableHistory(); err != nil {
		return nil, err
	}
	rec, err := validation.NewRecorder(sim, RobustnessPlan(sim.Pipeline.Names()), nil)
	if err != nil {
		return nil, err
	}
	n := sc.Params.NPeriods
	sim.Reserve(n)
	if err := runPeriods(ctx, sim, n); err != nil {
		return nil, err
	}
	a := AnalyzeSeed(rec.Record(), validation.BurnIn(burnIn, n))
	a.Seed, a.Collapsed = seed, sim.Collapsed()
	if a.Collapsed {
		a.Degenerate = "collapsed"
	}
	return a, nil
}

// AnalyzeSeed analyses a validation record after burnIn periods (spec
// §9.1): the HP cycles (λ = 1600) of log GDP and, in levels, of
// unemployment, average productivity, the price level, the real interest
// rate and the real wage; their co-movements with the GDP cycle at lags
// −4 … +4 and peak lags; the AR(2) of the GDP cycle with its R² and
// 20-step impulse response; summary statistics; the last period's
// firm-size distribution; and the degenerate flags (but "collapsed",
// which the caller knows).
func AnalyzeSeed(r *validation.Record, burnIn int) *SeedAnalysis {
	d := validation.Derive(r)
	a := &SeedAnalysis{Periods: r.Periods(), Stats: map[string]float64{}}
	win := func(x []float64) []float64 {
		if x == nil || burnIn >= len(x) {
			return nil
		}
		return x[burnIn:]
	}
	a.LogGDP = slices.Clone(win(d.LogGDP))
	_, a.GDPCycle = validation.HPFilter(a.LogGDP, HPLambda)
	vars := [][]float64{d.Unemployment, d.AvgProductivity, r.AvgPrice, d.RealRate, d.RealWage}
	nanCo := false
	for _, v := range vars {
		x := win(v)
		var c []float64
		if constant(x) {
			// A constant variable (productivity without R&D) has no cycle:
			// its co-movements are undefined, not the correlations of the
			// filter's rounding noise, and do not make the seed degenerate.
			c = stats.CrossCorr(nil, nil, MaxLag)
		} else {
			_, cyc := validation.HPFilter(x, HPLambda)
			c = stats.CrossCorr(a.GDPCycle, cyc, MaxLag)
			nanCo = nanCo || math.IsNaN(c[MaxLag])
		}
		peak := math.NaN()
		if lag, ok := PeakLagOf(c); ok {
			peak = float64(lag)
		}
		a.CoMovements, a.PeakLags = append(a.CoMovements, c), append(a.PeakLags, peak)
	}
	if ar, ok := stats.ARFit(a.GDPCycle, AROrder); ok {
		a.AR, a.IRF = ar, stats.IRF(ar.Phi, IRFSteps)
	} else {
		a.AR = stats.AR{Const: math.NaN(), Phi: []float64{math.NaN(), math.NaN()}, R2: math.NaN()}
		a.IRF = make([]float64, IRFSteps)
		for i := range a.IRF {
			a.IRF[i] = math.NaN()
		}
	}
	u, pi, gy := win(d.Unemployment), win(r.Inflation), win(d.GDPGrowth)
	rw, ap := win(d.RealWage), win(d.AvgProductivity)
	for name, x := range map[string][]float64{"unemployment": u, "inflation": pi, "gdp_growth": gy, "real_wage": rw, "productivity": ap} {
		a.Stats[name+"_mean"], a.Stats[name+"_std"] = stats.Mean(x), stats.Std(x)
	}
	a.Stats["phillips"] = stats.Corr(u, win(d.WageInflation))
	fu, fy := stats.IQRFilter(win(d.UnempGrowth), gy)
	a.Stats["okun"] = stats.Corr(fu, fy)
	a.Stats["beveridge"] = stats.Corr(u, win(d.VacancyRate))
	a.Stats["wage_productivity_ratio"] = a.Stats["real_wage_mean"] / a.Stats["productivity_mean"]
	sales, nw := positive(r.FinalProduction), positive(r.NetWorth)
	a.Stats["sales_skewness"], a.Stats["sales_kurtosis"] = stats.Skew(sales), stats.ExKurt(sales)
	a.Stats["net_worth_skewness"], a.Stats["net_worth_kurtosis"] = stats.Skew(nw), stats.ExKurt(nw)
	_, a.Stats["sales_shapiro_p"] = stats.ShapiroWilk(sales[:min(len(sales), SWMaxSize)])
	_, a.Stats["net_worth_shapiro_p"] = stats.ShapiroWilk(nw[:min(len(nw), SWMaxSize)])
	a.Stats["net_worth_tail_index"] = stats.TailIndex(nw)
	a.SizeShape = stats.SizeShape(a.Stats["net_worth_kurtosis"], a.Stats["net_worth_tail_index"])
	switch um := a.Stats["unemployment_mean"]; {
	case !(um >= 0.005 && um <= 0.5):
		a.Degenerate = "unemployment out of [0.005, 0.5]"
	case !(a.Stats["gdp_growth_std"] >= 1e-6):
		a.Degenerate = "flat GDP growth"
	case nanCo:
		a.Degenerate = "NaN co-movements"
	}
	return a
}

// PeakLagOf returns the peak lag of co-movements at lags −MaxLag … MaxLag.
func PeakLagOf(c []float64) (int, bool) { return stats.PeakLag(c, (len(c)-1)/2) }

// positive returns the positive values of x, in order.
func positive(x []float64) []float64 {
	var out []float64
	for _, v := range x {
		if v > 0 {
			out = append(out, v)
		}
	}
	return out
}

// constant reports whether x varies by less than 1e-12 of its magnitude
// (or is empty).
func constant(x []float64) bool {
	if len(x) == 0 {
		return true
	}
	lo, hi := stats.Min(x), stats.Max(x)
	return !(hi-lo > 1e-12*math.Max(math.Abs(lo), math.Abs(hi)))
}
