package validation

import (
	"fmt"
	"math"

	"github.com/bam-abm/bam/stats"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems/extensions"
)

// Capture points (event names) of spec §3.
const (
	AtVacancies          = "firms_decide_vacancies"
	AtFirstCreditRound   = "credit_market_round" // observed after its first execution
	AtWages              = "workers_receive_wage"
	AtProduction         = "firms_run_production"
	AtIncomeToSpend      = "consumers_decide_income_to_spend"
	AtBufferStockSpend   = "consumers_decide_buffer_stock_spending"
	AtBufferStockPropens = "consumers_calc_buffer_stock_propensity"
	AtFinalizePurchases  = "consumers_finalize_purchases"
	AtCollectRevenue     = "firms_collect_revenue"
	AtProductivityGrowth = "firms_apply_productivity_growth"
	EndOfPeriod          = ""
)

// Plan says which per-agent variables a scenario records and right after
// which event (spec §3); EndOfPeriod ("") means after every event. An event
// that is not in the pipeline also falls back to the end of the period, and
// a repeated event is observed after its first execution (the capture rule
// of [ecs.Pipeline.Observe]).
type Plan struct {
	// Recorded by every scenario (§3.1).
	Production, Employed, Wage, Productivity, Vacancies string

	// Growth records the Growth+ variables (§6.1).
	Growth                                                bool
	Price, Inventory, NetWorth, TotalFunds, IncomeToSpend string
	Loans                                                 string

	// BufferStock records the buffer-stock cross-section (§7.2).
	BufferStock                    bool
	Savings, Propensity, Dividends string
}

// BaselinePlan is the capture plan of scenario baseline (§3).
func BaselinePlan() Plan {
	return Plan{
		Production: AtProduction, Employed: AtProduction, Wage: AtWages,
		Productivity: EndOfPeriod, Vacancies: AtVacancies,
	}
}

// GrowthPlusPlan is the capture plan of scenario growth_plus (§3). Prices
// are recorded at the end of the period: the reference keys them to an
// event that does not exist, so its capture falls back there.
func GrowthPlusPlan() Plan {
	return Plan{
		Production: AtProduction, Employed: AtProduction, Wage: AtProduction,
		Productivity: AtProductivityGrowth, Vacancies: AtVacancies,
		Growth: true, Price: EndOfPeriod, Inventory: AtFinalizePurchases,
		NetWorth: AtProduction, TotalFunds: AtCollectRevenue,
		IncomeToSpend: AtIncomeToSpend, Loans: AtFirstCreditRound,
	}
}

// BufferStockPlan is the capture plan of scenario buffer_stock (§3): the
// Growth+ plan with income to spend taken after the buffer-stock spending
// event, plus savings, the buffer-stock propensity and dividends.
func BufferStockPlan() Plan {
	p := GrowthPlusPlan()
	p.IncomeToSpend = AtBufferStockSpend
	p.BufferStock = true
	p.Savings = EndOfPeriod
	p.Propensity = AtBufferStockPropens
	p.Dividends = AtBufferStockPropens
	return p
}

// PropensityFunc copies the buffer-stock propensity c
// (BufferStock.propensity, spec §12.3) of every household slot into dst
// (len(dst) = number of households). It is how the recorder reads the
// buffer-stock extension's state without depending on its package.
type PropensityFunc func(w *ecs.World, dst []float64)

// Recorder records a [Record] from a running simulation. It observes the
// capture points of its [Plan], copies the per-agent variables into buffers
// sized once, and at the end of every period reduces them to the
// per-period values of the Record. After a warm-up of [Recorder.Reserve]d
// periods it allocates nothing.
type Recorder struct {
	plan       Plan
	rec        Record
	propensity PropensityFunc

	// Per-firm snapshots.
	q, a, p, inv, nw, tf, debt, interest []float64
	nwLast, nwPrev                       []float64
	// Per-household snapshots.
	emp                       []bool
	wage, its, sav, prop, div []float64
	// Σ vacancies at their capture point.
	vacancies float64
	// Loans after the first credit round.
	loanRate, loanPrincipal float64
	loanCount               int
	// Scratch.
	fa, fb []float64
	ha     []float64
	la, lb []float64
}

// NewRecorder attaches a recorder for plan to sim's pipeline. Attach it
// before the first Step. propensity reads the buffer-stock propensity when
// plan.BufferStock is set (nil means [DefaultPropensity]).
func NewRecorder(sim *bam.Simulation, plan Plan, propensity PropensityFunc) (*Recorder, error) {
	w := sim.World
	if plan.BufferStock && propensity == nil {
		propensity = DefaultPropensity
	}
	if sim.Period() != 0 {
		return nil, fmt.Errorf("recorder: attach before the first period (the simulation is at period %d)", sim.Period())
	}
	nf, nh := w.Count(ecs.Firms), w.Count(ecs.Households)
	np := w.Params.NPeriods
	series := func() []float64 { return make([]float64, 0, np) }
	r := &Recorder{plan: plan, propensity: propensity}
	r.rec = Record{
		NPeriods: np, NFirms: nf, NHouseholds: nh, RBar: w.Params.RBar,
		AvgPrice: series(), Inflation: series(), FirmBankruptcies: series(), BankBankruptcies: series(),
		Employed: series(), WageEmployedSum: series(), Production: series(),
		ProductivityWeighted: series(), Vacancies: series(),
	}
	fbuf := func() []float64 { return make([]float64, nf) }
	hbuf := func() []float64 { return make([]float64, nh) }
	r.q, r.a, r.fa, r.fb = fbuf(), fbuf(), fbuf(), fbuf()
	r.emp, r.wage, r.ha = make([]bool, nh), hbuf(), hbuf()
	if plan.Growth {
		r.rec.NominalRate, r.rec.NetWorthSum, r.rec.IncomeToSpendSum = series(), series(), series()
		r.rec.PriceDispersion, r.rec.EquityDispersion, r.rec.SalesDispersion = series(), series(), series()
		r.rec.MinskyHedge, r.rec.MinskySpec, r.rec.MinskyPonzi = series(), series(), series()
		r.p, r.inv, r.nw, r.tf, r.debt, r.interest = fbuf(), fbuf(), fbuf(), fbuf(), fbuf(), fbuf()
		r.nwLast, r.nwPrev = fbuf(), fbuf()
		r.its = hbuf()
		c := cap(w.Loans.Principal)
		r.la, r.lb = make([]float64, c), make([]float64, c)
	}
	if plan.BufferStock {
		r.sav, r.prop, r.div = hbuf(), hbuf(), hbuf()
	}

	// Group the captures by point; one observer per point, in order of
	// first appearance, then the end-of-period reduction (registered last,
	// so it runs after every end-of-period capture, including those whose
	// event is not in the pipeline).
	var points []string
	byPoint := map[string][]func(*ecs.World){}
	add := func(at string, fn func(*ecs.World)) {
		if _, ok := byPoint[at]; !ok {
			points = append(points, at)
		}
		byPoint[at] = append(byPoint[at], fn)
	}
	add(plan.Vacancies, r.captureVacancies)
	add(plan.Production, r.captureProduction)
	if plan.Employed == plan.Wage { // one pass over the households
		add(plan.Employed, r.captureEmployedWage)
	} else {
		add(plan.Employed, r.captureEmployed)
		add(plan.Wage, r.captureWage)
	}
	add(plan.Productivity, r.captureProductivity)
	if plan.Growth {
		add(plan.Loans, r.captureLoans)
		add(plan.NetWorth, copyVariable("Borrower.net_worth", r.nw))
		add(plan.IncomeToSpend, copyVariable("Consumer.income_to_spend", r.its))
		add(plan.Inventory, copyVariable("Producer.inventory", r.inv))
		add(plan.TotalFunds, copyVariable("Borrower.total_funds", r.tf))
		add(plan.Price, copyVariable("Producer.price", r.p))
	}
	if plan.BufferStock {
		add(plan.Propensity, r.capturePropensity)
		add(plan.Dividends, copyVariable("Shareholder.dividends", r.div))
		add(plan.Savings, copyVariable("Consumer.savings", r.sav))
	}
	for _, at := range points {
		fns := byPoint[at]
		sim.Pipeline.Observe(at, func(w *ecs.World) {
			for _, fn := range fns {
				fn(w)
			}
		})
	}
	sim.Pipeline.Observe(EndOfPeriod, r.endOfPeriod)
	return r, nil
}

// Reserve makes room for n more periods, so that they record without
// allocating.
func (r *Recorder) Reserve(n int) {
	for _, s := range r.seriesPtrs() {
		if *s != nil && cap(*s)-len(*s) < n {
			t := make([]float64, len(*s), len(*s)+n)
			copy(t, *s)
			*s = t
		}
	}
}

func (r *Recorder) seriesPtrs() []*[]float64 {
	x := &r.rec
	return []*[]float64{
		&x.AvgPrice, &x.Inflation, &x.FirmBankruptcies, &x.BankBankruptcies,
		&x.Employed, &x.WageEmployedSum, &x.Production, &x.ProductivityWeighted, &x.Vacancies,
		&x.NominalRate, &x.NetWorthSum, &x.IncomeToSpendSum,
		&x.PriceDispersion, &x.EquityDispersion, &x.SalesDispersion,
		&x.MinskyHedge, &x.MinskySpec, &x.MinskyPonzi,
	}
}

// Record returns the record so far. The per-period series alias the
// recorder's storage (they stay valid, and grow, as the simulation goes
// on); the cross-sections are copies of the latest period's.
func (r *Recorder) Record() *Record {
	out := r.rec
	clone := func(x []float64) []float64 {
		if x == nil {
			return nil
		}
		return append([]float64(nil), x...)
	}
	out.FinalProduction = clone(r.q)
	if r.plan.Growth {
		out.NetWorth = clone(r.nwLast)
		out.NetWorthPrev = clone(r.nwPrev)
	}
	if r.plan.BufferStock {
		out.FinalEmployed = append([]bool(nil), r.emp...)
		out.FinalWage = clone(r.wage)
		out.FinalSavings = clone(r.sav)
		out.FinalPropensity = clone(r.prop)
		out.FinalDividends = clone(r.div)
	}
	return &out
}

func (r *Recorder) captureVacancies(w *ecs.World) {
	v := 0
	for i := range w.Firms.Employer {
		v += int(w.Firms.Employer[i].NVacancies)
	}
	r.vacancies = float64(v)
}

func (r *Recorder) captureProduction(w *ecs.World) {
	for i := range w.Firms.Producer {
		r.q[i] = w.Firms.Producer[i].Production
	}
}

func (r *Recorder) captureEmployed(w *ecs.World) {
	ws := w.Households.Worker
	emp := r.emp[:len(ws)]
	for j := range ws {
		emp[j] = ws[j].Employer >= 0
	}
}

func (r *Recorder) captureWage(w *ecs.World) {
	ws := w.Households.Worker
	wage := r.wage[:len(ws)]
	for j := range ws {
		wage[j] = ws[j].Wage
	}
}

func (r *Recorder) captureEmployedWage(w *ecs.World) {
	ws := w.Households.Worker
	emp, wage := r.emp[:len(ws)], r.wage[:len(ws)]
	for j := range ws {
		emp[j] = ws[j].Employer >= 0
		wage[j] = ws[j].Wage
	}
}

func (r *Recorder) captureProductivity(w *ecs.World) {
	for i := range w.Firms.Producer {
		r.a[i] = w.Firms.Producer[i].LaborProductivity
	}
}

func (r *Recorder) captureLoans(w *ecs.World) {
	b := w.Loans
	n := b.Len()
	r.loanCount = n
	if n > len(r.la) { // cannot happen with the engine's book capacity
		r.la, r.lb = make([]float64, n), make([]float64, n)
	}
	pr, p := r.la[:n], r.lb[:n]
	for k := range n {
		p[k] = b.Principal[k]
		pr[k] = b.Principal[k] * b.Rate[k]
	}
	r.loanRate, r.loanPrincipal = stats.Sum(pr), stats.Sum(p)
	clear(r.debt)
	clear(r.interest)
	for k := range n {
		f := b.Borrower[k]
		r.debt[f] += b.Principal[k] * (1 + b.Rate[k])
		r.interest[f] += b.Principal[k] * b.Rate[k]
	}
}

// copyVariable returns a capture that copies the registered per-agent
// variable name (see [ecs.LookupVariable]) into dst.
func copyVariable(name string, dst []float64) func(*ecs.World) {
	v, ok := ecs.LookupVariable(name)
	if !ok {
		panic("validation: variable " + name + " is not registered")
	}
	return func(w *ecs.World) { v.Get(w, dst) }
}

func (r *Recorder) capturePropensity(w *ecs.World) { r.propensity(w, r.prop) }

// endOfPeriod records the economy series and reduces the period's
// snapshots to the per-period values of the Record.
func (r *Recorder) endOfPeriod(w *ecs.World) {
	x := &r.rec
	x.AvgPrice = append(x.AvgPrice, w.Econ.AvgPrice)
	x.Inflation = append(x.Inflation, w.Econ.Inflation())
	x.FirmBankruptcies = append(x.FirmBankruptcies, float64(len(w.Econ.ExitingFirms)))
	x.BankBankruptcies = append(x.BankBankruptcies, float64(len(w.Econ.ExitingBanks)))
	x.Vacancies = append(x.Vacancies, r.vacancies)

	// Employed households' wages, 0 for the others, selected without a
	// branch (employment is a coin toss for the predictor).
	emp := 0
	ew := r.ha[:len(r.emp)]
	wage := r.wage[:len(r.emp)]
	for j, e := range r.emp {
		m := -uint64(b2i(e))
		emp += b2i(e)
		ew[j] = math.Float64frombits(math.Float64bits(wage[j]) & m)
	}
	wageSum := stats.Sum(ew)
	x.Employed = append(x.Employed, float64(emp))
	x.WageEmployedSum = append(x.WageEmployedSum, wageSum)
	y := stats.Sum(r.q)
	x.Production = append(x.Production, y)
	for i := range r.q {
		r.fa[i] = r.a[i] * r.q[i]
	}
	x.ProductivityWeighted = append(x.ProductivityWeighted, stats.Sum(r.fa))
	if !r.plan.Growth {
		return
	}

	nominal := r.rec.RBar
	if r.loanCount > 0 && r.loanPrincipal > 0 {
		nominal = r.loanRate / r.loanPrincipal
	}
	x.NominalRate = append(x.NominalRate, nominal)
	x.NetWorthSum = append(x.NetWorthSum, stats.Sum(r.nw))
	x.IncomeToSpendSum = append(x.IncomeToSpendSum, stats.Sum(r.its))
	x.PriceDispersion = append(x.PriceDispersion, r.priceDispersion())
	x.EquityDispersion = append(x.EquityDispersion, r.dispersion(r.nw))
	for i := range r.fb {
		r.fb[i] = r.p[i] * (r.q[i] - r.inv[i])
	}
	x.SalesDispersion = append(x.SalesDispersion, r.dispersion(r.fb))
	hedge, ponzi := 0, 0
	for i, tf := range r.tf {
		switch {
		case tf >= r.debt[i]:
			hedge++
		case tf < r.interest[i]:
			ponzi++
		}
	}
	nf := float64(len(r.tf))
	x.MinskyHedge = append(x.MinskyHedge, float64(hedge)/nf)
	x.MinskyPonzi = append(x.MinskyPonzi, float64(ponzi)/nf)
	x.MinskySpec = append(x.MinskySpec, float64(len(r.tf)-hedge-ponzi)/nf)
	copy(r.nwPrev, r.nwLast)
	copy(r.nwLast, r.nw)
}

// priceDispersion is pd_t of §6.1: the production-weighted coefficient of
// variation of prices.
func (r *Recorder) priceDispersion() float64 {
	s := r.fa
	for i, q := range r.q {
		s[i] = max(q, 0)
	}
	sigma := atLeastEps(stats.Sum(s))
	wt := r.fb
	for i := range s {
		wt[i] = s[i] / sigma
		s[i] = wt[i] * r.p[i]
	}
	mu := stats.Sum(s)
	for i := range s {
		d := r.p[i] - mu
		s[i] = wt[i] * (d * d)
	}
	v := stats.Sum(s)
	return sqrtNonNeg(v) / atLeastEps(mu)
}

// dispersion is std(x) / A with A = |mean x| if > 1e−9, else 1e−9 (the
// equity and sales dispersion of §6.1), computed without allocating.
func (r *Recorder) dispersion(x []float64) float64 {
	n := float64(len(x))
	m := stats.Sum(x) / n
	d := r.fa
	for i, v := range x {
		d[i] = (v - m) * (v - m)
	}
	return sqrtNonNeg(stats.Sum(d)/n) / atLeastEps(abs(m))
}

// sqrtNonNeg returns √max(v, 0).
func sqrtNonNeg(v float64) float64 { return math.Sqrt(max(v, 0)) }

// abs returns |v|.
func abs(v float64) float64 { return math.Abs(v) }

// DefaultPropensity is the [PropensityFunc] of this module's buffer-stock
// extension (package systems/extensions): it copies each household's
// BufferStockState.Propensity, or NaN when the extension is not attached.
var DefaultPropensity PropensityFunc = func(w *ecs.World, dst []float64) {
	st := extensions.BufferStockStates(w)
	for j := range dst {
		if j < len(st) {
			dst[j] = st[j].Propensity
		} else {
			dst[j] = math.NaN()
		}
	}
}

// b2i is 1 for true and 0 for false (compiled without a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
