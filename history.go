package bam

import (
	"fmt"
	"math"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

// Capture points of the recorded series (spec §9.2).
const (
	CaptureVacancies  = "firms_decide_vacancies"
	CaptureWages      = "workers_receive_wage"
	CaptureProduction = "firms_run_production"
	CaptureLoans      = "firms_collect_revenue"
)

// Row is one period of the economy series. Fields are captured at the
// points of spec §9.2 (see the Column table for each one's definition).
type Row struct {
	Period           int
	Unemployment     float64
	Inflation        float64
	AvgPrice         float64
	MinWage          float64
	AvgWage          float64
	RealWage         float64
	WageInflation    float64
	GDP              float64
	LogGDP           float64
	GDPGrowth        float64
	UnempGrowth      float64
	VacancyRate      float64
	AvgProductivity  float64
	Employed         int
	Vacancies        int
	FirmExits        int
	BankExits        int
	Loans            int
	LoanPrincipal    float64
	PlanningLayoffs  int
	CreditLayoffs    int
	MeanNetWorth     float64
	MeanBankEquity   float64
	MeanSavings      float64
	TotalInventory   float64
	WageSum          float64
	ProductivityDot  float64 // Σ α_i·Y_i
	wageCount        int
	productionCaught bool
}

// Column describes one column of economy.csv.
type Column struct {
	Name string
	Doc  string
	Get  func(r *Row) float64
	Int  bool
}

// Columns lists the columns of economy.csv in order.
var Columns = []Column{
	{"period", "period t = 1 … T", func(r *Row) float64 { return float64(r.Period) }, true},
	{"unemployment_rate", "share of households without an employer, right after firms_run_production", func(r *Row) float64 { return r.Unemployment }, false},
	{"inflation", "π_t = P̄_{t−1}/P̄_{t−5} − 1 from calc_inflation_rate (spec §5.7)", func(r *Row) float64 { return r.Inflation }, false},
	{"avg_price", "P̄_t as set by update_avg_mkt_price", func(r *Row) float64 { return r.AvgPrice }, false},
	{"min_wage", "minimum wage ŵ at the end of the period", func(r *Row) float64 { return r.MinWage }, false},
	{"avg_wage", "mean contractual wage of the households employed at production", func(r *Row) float64 { return r.AvgWage }, false},
	{"real_wage", "avg_wage / avg_price", func(r *Row) float64 { return r.RealWage }, false},
	{"wage_inflation", "avg_wage_t / avg_wage_{t−1} − 1 (0 at t = 1 or when the previous value is 0)", func(r *Row) float64 { return r.WageInflation }, false},
	{"gdp", "real output: total production at firms_run_production", func(r *Row) float64 { return r.GDP }, false},
	{"log_gdp", "ln(gdp)", func(r *Row) float64 { return r.LogGDP }, false},
	{"gdp_growth", "gdp_t / gdp_{t−1} − 1 (0 at t = 1)", func(r *Row) float64 { return r.GDPGrowth }, false},
	{"unemployment_growth", "(u_t − u_{t−1}) / u_{t−1}, denominator 1 when u_{t−1} = 0 (0 at t = 1)", func(r *Row) float64 { return r.UnempGrowth }, false},
	{"vacancy_rate", "vacancies posted in firms_decide_vacancies / number of households", func(r *Row) float64 { return r.VacancyRate }, false},
	{"avg_productivity", "output-weighted mean labour productivity Σ α_i Y_i / Σ Y_i", func(r *Row) float64 { return r.AvgProductivity }, false},
	{"employed", "households employed at production", func(r *Row) float64 { return float64(r.Employed) }, true},
	{"vacancies", "vacancies posted in firms_decide_vacancies", func(r *Row) float64 { return float64(r.Vacancies) }, true},
	{"firm_exits", "firms marked bankrupt in mark_bankrupt_firms", func(r *Row) float64 { return float64(r.FirmExits) }, true},
	{"bank_exits", "banks marked bankrupt in mark_bankrupt_banks", func(r *Row) float64 { return float64(r.BankExits) }, true},
	{"loans", "loans granted in this period's credit market (all rounds)", func(r *Row) float64 { return float64(r.Loans) }, true},
	{"total_loans", "principal lent in this period's credit market (all rounds)", func(r *Row) float64 { return r.LoanPrincipal }, false},
	{"planning_layoffs", "workers laid off in firms_fire_excess_workers", func(r *Row) float64 { return float64(r.PlanningLayoffs) }, true},
	{"credit_layoffs", "workers laid off in firms_fire_workers", func(r *Row) float64 { return float64(r.CreditLayoffs) }, true},
	{"mean_net_worth", "mean firm net worth at the end of the period (entrants included)", func(r *Row) float64 { return r.MeanNetWorth }, false},
	{"mean_bank_equity", "mean bank equity at the end of the period", func(r *Row) float64 { return r.MeanBankEquity }, false},
	{"mean_savings", "mean household savings at the end of the period", func(r *Row) float64 { return r.MeanSavings }, false},
	{"unsold_share", "share of this period's output left unsold", func(r *Row) float64 {
		if r.GDP <= 0 {
			return 0
		}
		return r.TotalInventory / r.GDP
	}, false},
}

// History records one [Row] per period and the firms' output of the last
// period. Recording is done by pipeline observers at the capture points of
// spec §9.2 and allocates nothing once space is reserved.
type History struct {
	// Rows holds one row per simulated period, Rows[t−1] for period t.
	Rows []Row
	// FinalProduction is every firm's output at firms_run_production of the
	// latest period (the firm-size cross-section).
	FinalProduction []float64
	// FinalDebt is every firm's debt at firms_run_production of the latest
	// period: principal plus interest due on the loans it took in that
	// period's credit market (0 without a loan). Loans are settled later in
	// the period (firms_validate_debt_commitments) and a bankrupt firm's are
	// deleted, so this is where debt means something.
	FinalDebt []float64
	cur       Row
	off       bool // see Simulation.DisableHistory
}

func newHistory(w *ecs.World, pl *ecs.Pipeline) *History {
	h := &History{
		Rows:            make([]Row, 0, w.Params.NPeriods),
		FinalProduction: make([]float64, w.Params.NFirms),
		FinalDebt:       make([]float64, w.Params.NFirms),
	}
	on := func(f ecs.Observer) ecs.Observer {
		return func(w *ecs.World) {
			if !h.off {
				f(w)
			}
		}
	}
	pl.Observe(CaptureVacancies, on(h.captureVacancies))
	pl.Observe(CaptureWages, on(h.captureWages))
	pl.Observe(CaptureProduction, on(h.captureProduction))
	pl.Observe(CaptureLoans, on(h.captureLoans))
	pl.Observe("", on(h.endOfPeriod))
	return h
}

// Disabled reports whether recording was switched off with
// [Simulation.DisableHistory].
func (h *History) Disabled() bool { return h.off }

func (h *History) reserve(n int) {
	if h.off {
		return
	}
	if cap(h.Rows)-len(h.Rows) < n {
		r := make([]Row, len(h.Rows), len(h.Rows)+n)
		copy(r, h.Rows)
		h.Rows = r
	}
}

func (h *History) captureVacancies(w *ecs.World) {
	v := 0
	for i := range w.Firms.Employer {
		v += int(w.Firms.Employer[i].NVacancies)
	}
	h.cur.Vacancies = v
}

func (h *History) captureWages(w *ecs.World) {
	s, n := 0.0, 0
	for j := range w.Households.Worker {
		if wk := &w.Households.Worker[j]; wk.Employer >= 0 {
			s += wk.Wage
			n++
		}
	}
	h.cur.WageSum, h.cur.wageCount = s, n
}

func (h *History) captureProduction(w *ecs.World) {
	n := 0
	for j := range w.Households.Worker {
		if w.Households.Worker[j].Employer >= 0 {
			n++
		}
	}
	h.cur.Employed = n
	y, ay := 0.0, 0.0
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		y += f.Production
		ay += f.LaborProductivity * f.Production
		h.FinalProduction[i] = f.Production
	}
	h.cur.GDP, h.cur.ProductivityDot = y, ay
	h.cur.productionCaught = true
	if len(h.FinalDebt) == len(producers) {
		w.Loans.SumByBorrower(h.FinalDebt, w.Loans.Debt)
	}
}

func (h *History) captureLoans(w *ecs.World) {
	h.cur.Loans = w.Loans.Len()
	s := 0.0
	for _, p := range w.Loans.Principal {
		s += p
	}
	h.cur.LoanPrincipal = s
	inv := 0.0
	for i := range w.Firms.Producer {
		inv += w.Firms.Producer[i].Inventory
	}
	h.cur.TotalInventory = inv
}

func (h *History) endOfPeriod(w *ecs.World) {
	r := &h.cur
	if !r.productionCaught {
		// No production system in the pipeline: fall back to end-of-period values.
		h.captureProduction(w)
	}
	e := &w.Econ
	nh := float64(len(w.Households.Worker))
	r.Period = w.Period
	r.Unemployment = 1 - float64(r.Employed)/nh
	r.Inflation = e.Inflation()
	r.AvgPrice = e.AvgPrice
	r.MinWage = e.MinWage
	r.AvgWage = 0
	if r.wageCount > 0 {
		r.AvgWage = r.WageSum / float64(r.wageCount)
	}
	r.RealWage = r.AvgWage / safe(r.AvgPrice)
	r.LogGDP = math.Log(r.GDP)
	r.AvgProductivity = r.ProductivityDot / safe(r.GDP)
	r.VacancyRate = float64(r.Vacancies) / nh
	r.FirmExits = len(e.ExitingFirms)
	r.BankExits = len(e.ExitingBanks)
	r.PlanningLayoffs = e.PlanningLayoffs
	r.CreditLayoffs = e.CreditLayoffs
	if n := len(h.Rows); n > 0 {
		p := &h.Rows[n-1]
		if p.AvgWage > 0 {
			r.WageInflation = (r.AvgWage - p.AvgWage) / p.AvgWage
		}
		r.GDPGrowth = (r.GDP - p.GDP) / safe(p.GDP)
		den := p.Unemployment
		if den <= 0 {
			den = 1
		}
		r.UnempGrowth = (r.Unemployment - p.Unemployment) / den
	}
	r.MeanNetWorth = meanOf(w.Firms.Borrower, func(b *components.Borrower) float64 { return b.NetWorth })
	r.MeanBankEquity = meanOf(w.Banks.Lender, func(b *components.Lender) float64 { return b.EquityBase })
	r.MeanSavings = meanOf(w.Households.Consumer, func(c *components.Consumer) float64 { return c.Savings })
	h.Rows = append(h.Rows, *r)
	h.cur = Row{}
}

// NonFiniteError says that the economy's state stopped being finite: in
// period Period the economy series Series (the first in the order of
// [Columns]) was Value, NaN or ±Inf. Parameters far outside the model's
// scale (new_firm_price_markup = 1e300, labor_productivity = 1e160) do
// that.
type NonFiniteError struct {
	Period int
	Series string
	Value  float64
}

// Error names the period, the series and the value.
func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("period %d: %s is %v: the economy's state is no longer finite (parameters far outside the model's scale?)",
		e.Period, e.Series, e.Value)
}

// nonFinite returns the error for the last row if one of its series is NaN
// or infinite, nil otherwise. log_gdp is left out: it is −Inf whenever GDP
// is 0, as after a collapse; gdp itself is checked.
func (h *History) nonFinite() *NonFiniteError {
	n := len(h.Rows)
	if n == 0 {
		return nil
	}
	r := &h.Rows[n-1]
	for i := range Columns {
		c := &Columns[i]
		if v := c.Get(r); (math.IsNaN(v) || math.IsInf(v, 0)) && c.Name != "log_gdp" {
			return &NonFiniteError{Period: r.Period, Series: c.Name, Value: v}
		}
	}
	return nil
}

func meanOf[T any](xs []T, f func(*T) float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for i := range xs {
		s += f(&xs[i])
	}
	return s / float64(len(xs))
}

// safe is the reference's denominator guard: z unless it is exactly 0.
func safe(z float64) float64 {
	if z == 0 {
		return 1e-10
	}
	return z
}

// Series returns column name's values over all recorded periods, or nil if
// there is no such column.
func (h *History) Series(name string) []float64 {
	for _, c := range Columns {
		if c.Name == name {
			out := make([]float64, len(h.Rows))
			for t := range h.Rows {
				out[t] = c.Get(&h.Rows[t])
			}
			return out
		}
	}
	return nil
}
