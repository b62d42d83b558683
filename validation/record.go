package validation

import "math"

// Record is what a validation run keeps of a simulation: the per-period
// reductions of the per-agent captures of spec §3 (one value per recorded
// period t = 0 … T−1) and the cross-sections of the last recorded periods.
// A [Recorder] fills it while the simulation runs; the metric layer reads
// only a Record, so a Record built from the reference's fixture data (§5.4)
// goes through exactly the same computations as one from a Go run.
//
// Sums over agents are NumPy pairwise sums (A.1) of the per-agent values
// captured at the points of §3. Series a scenario does not record are nil.
type Record struct {
	// NPeriods is the number of periods requested (the burn-in rule of §2
	// uses it, not the number recorded).
	NPeriods int
	// NFirms and NHouseholds are the population sizes N_F and N_H.
	NFirms, NHouseholds int
	// RBar is the policy rate r̄, the nominal rate of a period without
	// recorded loans (§6.1).
	RBar float64

	// Economy series, end of period.
	AvgPrice         []float64 // P_t
	Inflation        []float64 // π_t
	FirmBankruptcies []float64 // firms marked bankrupt in period t
	BankBankruptcies []float64 // banks marked bankrupt in period t

	// Reductions shared by every scenario (§3.1; the fixture columns of
	// §5.4).
	Employed             []float64 // Σ_h e_t[h]
	WageEmployedSum      []float64 // Σ_h e_t[h]·w_t[h]
	Production           []float64 // Y_t = Σ_f q_t[f]
	ProductivityWeighted []float64 // Σ_f a_t[f]·q_t[f]
	Vacancies            []float64 // Σ_f v_t[f]

	// Growth+ reductions (§6.1); nil for the baseline.
	NominalRate      []float64 // Σp·r / Σp of the loans after the first credit round, r̄ if none
	NetWorthSum      []float64 // Σ_f NW_t[f]
	IncomeToSpendSum []float64 // D_t = Σ_h income_to_spend_t[h]
	PriceDispersion  []float64 // pd_t, production-weighted CV of prices
	EquityDispersion []float64 // ed_t = std_f(NW) / |mean_f NW|
	SalesDispersion  []float64 // sd_t = std_f(sales) / |mean_f sales|
	MinskyHedge      []float64 // share of all firms that are hedge-financed
	MinskySpec       []float64 // share that are speculative
	MinskyPonzi      []float64 // share that are Ponzi-financed

	// Cross-sections of the last recorded period T−1 (and T−2 for net
	// worth), by agent slot.
	FinalProduction []float64 // q_{T−1}
	NetWorth        []float64 // NW_{T−1} (Growth+)
	NetWorthPrev    []float64 // NW_{T−2} (Growth+; valid when T ≥ 2)
	FinalEmployed   []bool    // e_{T−1} (buffer-stock)
	FinalWage       []float64 // w_{T−1} (buffer-stock)
	FinalSavings    []float64 // savings at the end of T−1 (buffer-stock)
	FinalPropensity []float64 // BufferStock.propensity of T−1 (buffer-stock)
	FinalDividends  []float64 // Shareholder.dividends of T−1 (buffer-stock)
}

// Periods returns T, the number of recorded periods.
func (r *Record) Periods() int { return len(r.AvgPrice) }

// Derived holds the derived per-period series of spec §3.1 and §6.1, each
// of length T; growth series are NaN at t = 0.
type Derived struct {
	Unemployment    []float64 // u_t
	LogGDP          []float64 // ℓ_t = ln Y_t
	AvgProductivity []float64 // ā_t = Σ a·q / safe(Y_t)
	AvgEmployedWage []float64 // W̄_t
	RealWage        []float64 // ω_t = W̄_t / safe(P_t)
	VacancyRate     []float64 // vac_t
	WageInflation   []float64 // gw_t
	GDPGrowth       []float64 // gY_t
	UnempGrowth     []float64 // gu_t

	// Growth+ (nil when the record has no Growth+ reductions).
	RealRate   []float64 // r_t = nominal − π_t
	Fragility  []float64 // φ_t
	PriceRatio []float64 // pr_t
}

// Derive computes the derived series of r (spec §3.1, §6.1).
func Derive(r *Record) *Derived {
	T := r.Periods()
	nh := float64(r.NHouseholds)
	d := &Derived{
		Unemployment: make([]float64, T), LogGDP: make([]float64, T),
		AvgProductivity: make([]float64, T), AvgEmployedWage: make([]float64, T),
		RealWage: make([]float64, T), VacancyRate: make([]float64, T),
		WageInflation: make([]float64, T), GDPGrowth: make([]float64, T), UnempGrowth: make([]float64, T),
	}
	for t := range T {
		y := r.Production[t]
		d.Unemployment[t] = 1 - r.Employed[t]/nh
		d.LogGDP[t] = math.Log(y)
		d.AvgProductivity[t] = r.ProductivityWeighted[t] / safeDiv(y)
		if r.Employed[t] > 0 {
			d.AvgEmployedWage[t] = r.WageEmployedSum[t] / r.Employed[t]
		}
		d.RealWage[t] = d.AvgEmployedWage[t] / safeDiv(r.AvgPrice[t])
		d.VacancyRate[t] = r.Vacancies[t] / nh
		if t == 0 {
			d.WageInflation[t], d.GDPGrowth[t], d.UnempGrowth[t] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		wp := d.AvgEmployedWage[t-1]
		if !(wp > 0) {
			wp = 1
		}
		d.WageInflation[t] = (d.AvgEmployedWage[t] - d.AvgEmployedWage[t-1]) / wp
		d.GDPGrowth[t] = (y - r.Production[t-1]) / safeDiv(r.Production[t-1])
		up := d.Unemployment[t-1]
		if !(up > 0) {
			up = 1
		}
		d.UnempGrowth[t] = (d.Unemployment[t] - d.Unemployment[t-1]) / up
	}
	if r.NominalRate == nil {
		return d
	}
	d.RealRate, d.Fragility, d.PriceRatio = make([]float64, T), make([]float64, T), make([]float64, T)
	for t := range T {
		d.RealRate[t] = r.NominalRate[t] - r.Inflation[t]
		d.Fragility[t] = r.WageEmployedSum[t] / atLeastEps(r.NetWorthSum[t])
		d.PriceRatio[t] = r.AvgPrice[t] / safeDiv(r.IncomeToSpendSum[t]/atLeastEps(r.Production[t]))
	}
	return d
}

// BurnIn returns the burn-in B actually used for a requested burn-in and
// n_periods (spec §2): the requested value, or max(1, nPeriods/2) when it is
// < 1 or ≥ nPeriods.
func BurnIn(requested, nPeriods int) int {
	if requested < 1 || requested >= nPeriods {
		return max(1, nPeriods/2)
	}
	return requested
}

// DefaultBurnIn is the burn-in of every scenario (spec §1).
const DefaultBurnIn = 500

// window returns x[b:] (empty when b ≥ len(x)).
func window(x []float64, b int) []float64 {
	if b >= len(x) {
		return nil
	}
	return x[b:]
}

// InflationFromPrices recomputes the recorded inflation series from the
// recorded average prices (spec §3): π_t = (P_{t−1} − P_{t−5}) / P_{t−5},
// with P_{−1} = initial, 0 for t < 4 and whenever P_{t−5} ≤ 0. It serves to
// check a record's consistency.
func InflationFromPrices(initial float64, avgPrice []float64) []float64 {
	p := func(s int) float64 { // P_s, s ≥ −1
		if s < 0 {
			return initial
		}
		return avgPrice[s]
	}
	out := make([]float64, len(avgPrice))
	for t := range out {
		if t < 4 {
			continue
		}
		if base := p(t - 5); base > 0 {
			out[t] = (p(t-1) - base) / base
		}
	}
	return out
}
