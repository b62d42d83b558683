package systems_test

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"

	bam "github.com/bam-abm/bam"
	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

// The invariants of spec §15 (and the per-event rules of §5 that can be
// checked from state alone) are checked after EVERY execution of every event
// of the default pipeline, over many periods and seeds. Each system of the
// pipeline is wrapped in a probe that snapshots what it needs before the
// real system runs and checks the outcome afterwards (pipeline observers
// fire only after the first execution of a repeated round, so rounds are
// wrapped too). A pipeline observer registered after every event name checks
// that it is called once per period, after the event's first execution, and
// an end-of-period observer checks the invariants that hold after entry.

// probe wraps a system with the checker's before/after hooks.
type probe struct {
	inner ecs.System
	c     *checker
}

func (p probe) Name() string { return p.inner.Name() }

func (p probe) Update(w *ecs.World) {
	p.c.before(p.inner.Name(), w)
	p.inner.Update(w)
	p.c.after(p.inner.Name(), w)
}

// coverage counts how often the interesting branches were exercised, so
// that a configuration can assert its checks were not vacuous.
type coverage struct {
	periods, loans, partialLoans, cappedLoans, round2Loans int
	repaid, defaults, creditLayoffs, planningLayoffs       int
	firmExits, bankExits, loyalSearches, hires             int
	revisions, shoppers, propensityHalf                    int
}

type checker struct {
	t     *testing.T
	label string
	errs  int
	cov   coverage

	// phase flags
	wageBillExact bool // between firms_calc_wage_bill and workers_update_contracts
	loanCap       bool // between the first credit round and firms_update_net_worth
	round         int  // credit round index within the period

	// snapshots taken before an event
	firmF   [4][]float64 // 0: offer or demand, 1: cash, 2: net worth, 3: scratch
	bankF   [2][]float64
	hhF     [1][]float64
	firmI   [2][]int32
	hhI     []int32
	hhB     []bool
	hhEmp   []int32 // employer before every event
	hhPL    []int32 // periods_left before every event
	book    []loanRec
	bookLen int
	minWage float64

	defaulted []bool // firms that defaulted in 5.31 this period

	// executions of each event and calls of its pipeline observer this period
	execs, observed map[string]int
}

func newChecker(t *testing.T, label string, p ecs.Params) *checker {
	c := &checker{t: t, label: label}
	for a := range c.firmF {
		c.firmF[a] = make([]float64, p.NFirms)
	}
	for a := range c.bankF {
		c.bankF[a] = make([]float64, p.NBanks)
	}
	for a := range c.hhF {
		c.hhF[a] = make([]float64, p.NHouseholds)
	}
	for a := range c.firmI {
		c.firmI[a] = make([]int32, p.NFirms)
	}
	c.hhI = make([]int32, p.NHouseholds)
	c.hhB = make([]bool, p.NHouseholds)
	c.hhEmp = make([]int32, p.NHouseholds)
	c.hhPL = make([]int32, p.NHouseholds)
	c.defaulted = make([]bool, p.NFirms)
	c.execs, c.observed = map[string]int{}, map[string]int{}
	return c
}

// failf reports a violation with its context and stops the run after a few.
func (c *checker) failf(w *ecs.World, event, format string, args ...any) {
	c.t.Helper()
	c.errs++
	c.t.Errorf("%s t=%d after %s: %s", c.label, w.Period, event, fmt.Sprintf(format, args...))
	if c.errs >= 15 {
		c.t.FailNow()
	}
}

// tol is the absolute tolerance for comparing values of magnitude scale
// that were summed in different orders.
func tol(scale float64) float64 { return 1e-9 * math.Max(1, math.Abs(scale)) }

func (c *checker) before(name string, w *ecs.World) {
	f, h, b := w.Firms, w.Households, w.Banks
	c.execs[name]++
	for j, wk := range h.Worker {
		c.hhEmp[j], c.hhPL[j] = wk.Employer, wk.PeriodsLeft
	}
	switch name {
	case "firms_decide_desired_production":
		c.round = 0
		clear(c.defaulted)
	case "adjust_minimum_wage":
		c.minWage = w.Econ.MinWage
	case "firms_decide_wage_offer":
		for i := range f.Employer {
			c.firmF[0][i] = f.Employer[i].WageOffer
		}
	case "workers_decide_firms_to_apply":
		// expected first firm of a loyal worker, −1 otherwise
		for j, wk := range h.Worker {
			c.hhI[j] = -1
			if wk.Employer < 0 && wk.ContractExpired && !wk.Fired && wk.EmployerPrev >= 0 &&
				(w.Params.JobSearchMethod == ecs.JobSearchAllFirms || f.Employer[wk.EmployerPrev].NVacancies > 0) {
				c.hhI[j] = wk.EmployerPrev
			}
		}
	case "labor_market_round":
		for i := range f.Employer {
			c.firmI[0][i] = f.Employer[i].NVacancies
			c.firmI[1][i] = f.Employer[i].CurrentLabor
		}
		for j, wk := range h.Worker {
			c.hhB[j] = wk.Employer < 0
		}
	case "credit_market_round":
		c.round++
		for i := range f.Borrower {
			c.firmF[0][i] = f.Borrower[i].CreditDemand
			c.firmF[1][i] = f.Borrower[i].TotalFunds
			c.firmI[0][i] = -1 // the bank the firm applies to next
			if q := loanApps(w, i); len(q) > 0 {
				c.firmI[0][i] = q[0]
			}
		}
		for k := range b.Lender {
			c.bankF[0][k] = b.Lender[k].CreditSupply
		}
		c.bookLen = w.Loans.Len()
	case "firms_pay_wages", "firms_collect_revenue":
		for i := range f.Borrower {
			c.firmF[1][i] = f.Borrower[i].TotalFunds
		}
	case "workers_receive_wage":
		for j := range h.Consumer {
			c.hhF[0][j] = h.Consumer[j].Income
		}
	case "consumers_decide_income_to_spend":
		for j := range h.Consumer {
			c.hhF[0][j] = h.Consumer[j].Savings + h.Consumer[j].Income
		}
	case "consumers_decide_firms_to_visit":
		for j := range h.Consumer {
			c.hhI[j] = h.Consumer[j].LargestProdPrev
		}
	case "goods_market_round":
		for j := range h.Consumer {
			c.hhF[0][j] = h.Consumer[j].IncomeToSpend
		}
	case "firms_validate_debt_commitments":
		for i := range f.Borrower {
			c.firmF[1][i] = f.Borrower[i].TotalFunds
		}
		for k := range b.Lender {
			c.bankF[1][k] = b.Lender[k].EquityBase
		}
		c.book = bookRecords(w)
	case "firms_pay_dividends":
		for i := range f.Borrower {
			c.firmF[1][i] = f.Borrower[i].TotalFunds
		}
		for j := range h.Consumer {
			c.hhF[0][j] = h.Consumer[j].Savings
		}
	case "firms_update_net_worth":
		c.loanCap = false // net worth changes now; the cap referred to the old value
		for i := range f.Borrower {
			c.firmF[2][i] = f.Borrower[i].NetWorth
		}
	case "workers_update_contracts":
		c.wageBillExact = false
	}
}

func (c *checker) after(name string, w *ecs.World) {
	c.t.Helper()
	p := &w.Params
	f, h, b := w.Firms, w.Households, w.Banks
	nf := len(f.Producer)

	// After every event: labour counts and contract state are consistent.
	count := make([]int32, nf)
	for j, wk := range h.Worker {
		switch {
		case wk.Employer >= int32(nf):
			c.failf(w, name, "household %d has employer %d ≥ NF", j, wk.Employer)
		case wk.Employer >= 0:
			count[wk.Employer]++
			if wk.PeriodsLeft < 1 {
				c.failf(w, name, "employed household %d has periods_left %d", j, wk.PeriodsLeft)
			}
			if wk.Wage <= 0 {
				c.failf(w, name, "employed household %d has wage %v", j, wk.Wage)
			}
		default:
			if wk.Wage != 0 || wk.PeriodsLeft != 0 {
				c.failf(w, name, "unemployed household %d has wage %v, periods_left %d", j, wk.Wage, wk.PeriodsLeft)
			}
		}
	}
	for i := range f.Employer {
		if f.Employer[i].CurrentLabor != count[i] {
			c.failf(w, name, "firm %d: current_labor %d, but %d households employed there", i, f.Employer[i].CurrentLabor, count[i])
		}
		if f.Employer[i].NVacancies < 0 {
			c.failf(w, name, "firm %d: %d vacancies", i, f.Employer[i].NVacancies)
		}
	}
	c.checkEmploymentChanges(w, name)
	if c.wageBillExact {
		c.checkWageBill(w, name)
	}
	if c.loanCap {
		lb := w.Loans
		for r := range lb.Borrower {
			if p.MaxLoanToNetWorth > 0 && lb.Principal[r] > p.MaxLoanToNetWorth*f.Borrower[lb.Borrower[r]].NetWorth+tol(lb.Principal[r]) {
				c.failf(w, name, "loan of %v to firm %d exceeds %v × net worth %v", lb.Principal[r], lb.Borrower[r], p.MaxLoanToNetWorth, f.Borrower[lb.Borrower[r]].NetWorth)
			}
		}
	}

	switch name {
	case "firms_decide_desired_production":
		for i := range f.Producer {
			if f.Producer[i].Production != 0 {
				c.failf(w, name, "firm %d: production %v not zeroed", i, f.Producer[i].Production)
			}
		}
	case "firms_decide_vacancies":
		for i, e := range f.Employer {
			if e.NVacancies != max(e.DesiredLabor-e.CurrentLabor, 0) {
				c.failf(w, name, "firm %d: V=%d Ld=%d L=%d", i, e.NVacancies, e.DesiredLabor, e.CurrentLabor)
			}
		}
	case "firms_fire_excess_workers":
		c.cov.planningLayoffs += w.Econ.PlanningLayoffs
		for i, e := range f.Employer {
			if e.CurrentLabor > e.DesiredLabor {
				c.failf(w, name, "firm %d still has L=%d > Ld=%d", i, e.CurrentLabor, e.DesiredLabor)
			}
		}
	case "calc_inflation_rate":
		if n, m := len(w.Econ.InflationHistory), len(w.Econ.AvgPriceHistory); n != w.Period+1 || m != w.Period {
			c.failf(w, name, "histories have %d inflation and %d price entries, want %d and %d", n, m, w.Period+1, w.Period)
		}
	case "adjust_minimum_wage":
		m := p.MinWageRevPeriod
		revise := w.Period > m && (w.Period-1)%m == 0
		switch {
		case revise:
			c.cov.revisions++
			if want := c.minWage * (1 + w.Econ.Inflation()); w.Econ.MinWage != want {
				c.failf(w, name, "revised ŵ = %v, want %v", w.Econ.MinWage, want)
			}
			for j, wk := range h.Worker {
				if wk.Employer >= 0 && wk.Wage < w.Econ.MinWage {
					c.failf(w, name, "employed household %d earns %v < ŵ %v after a revision", j, wk.Wage, w.Econ.MinWage)
				}
			}
		case w.Econ.MinWage != c.minWage:
			c.failf(w, name, "ŵ changed from %v to %v outside a revision period", c.minWage, w.Econ.MinWage)
		}
	case "firms_decide_wage_offer":
		for i, e := range f.Employer {
			old := c.firmF[0][i]
			if e.WageOffer < w.Econ.MinWage {
				c.failf(w, name, "firm %d: wage offer %v < ŵ %v", i, e.WageOffer, w.Econ.MinWage)
			}
			if e.NVacancies == 0 && e.WageOffer != max(old, w.Econ.MinWage) {
				c.failf(w, name, "firm %d without vacancies: offer %v → %v", i, old, e.WageOffer)
			}
			if e.NVacancies > 0 && (e.WageOffer < old || e.WageOffer > max(old*(1+p.HXi), w.Econ.MinWage)) {
				c.failf(w, name, "firm %d with vacancies: offer %v → %v", i, old, e.WageOffer)
			}
		}
	case "workers_decide_firms_to_apply":
		c.checkJobQueues(w, name)
	case "labor_market_round":
		hires := make([]int32, nf)
		for j, wk := range h.Worker {
			if !c.hhB[j] || wk.Employer < 0 {
				continue
			}
			c.cov.hires++
			hires[wk.Employer]++
			if wk.Wage != f.Employer[wk.Employer].WageOffer || wk.PeriodsLeft != int32(p.Theta) {
				c.failf(w, name, "hire %d: wage %v (offer %v), periods_left %d", j, wk.Wage, f.Employer[wk.Employer].WageOffer, wk.PeriodsLeft)
			}
		}
		for i, e := range f.Employer {
			if hires[i] > c.firmI[0][i] || e.NVacancies != c.firmI[0][i]-hires[i] {
				c.failf(w, name, "firm %d: %d hires with %d vacancies, now %d", i, hires[i], c.firmI[0][i], e.NVacancies)
			}
		}
	case "firms_calc_wage_bill":
		c.wageBillExact = true
		c.checkWageBill(w, name)
	case "banks_decide_credit_supply":
		for k, l := range b.Lender {
			if l.CreditSupply != max(l.EquityBase/p.V, 0) {
				c.failf(w, name, "bank %d: supply %v with equity %v", k, l.CreditSupply, l.EquityBase)
			}
		}
	case "firms_decide_credit_demand":
		for i, bo := range f.Borrower {
			if bo.TotalFunds != bo.NetWorth {
				c.failf(w, name, "firm %d: cash %v ≠ net worth %v", i, bo.TotalFunds, bo.NetWorth)
			}
			if bo.CreditDemand != max(f.Employer[i].WageBill-bo.TotalFunds, 0) {
				c.failf(w, name, "firm %d: credit demand %v", i, bo.CreditDemand)
			}
		}
	case "firms_prepare_loan_applications":
		if w.Loans.Len() != 0 {
			c.failf(w, name, "loan book not purged: %d records", w.Loans.Len())
		}
		c.loanCap = true
	case "credit_market_round":
		c.checkCreditRound(w, name)
	case "firms_fire_workers":
		c.cov.creditLayoffs += w.Econ.CreditLayoffs
		for i, e := range f.Employer {
			if e.WageBill > f.Borrower[i].TotalFunds+eps {
				c.failf(w, name, "firm %d: wage bill %v > cash %v after layoffs", i, e.WageBill, f.Borrower[i].TotalFunds)
			}
		}
	case "firms_pay_wages":
		for i, bo := range f.Borrower {
			if !near(bo.TotalFunds, c.firmF[1][i]-f.Employer[i].WageBill) {
				c.failf(w, name, "firm %d: cash %v → %v with wage bill %v", i, c.firmF[1][i], bo.TotalFunds, f.Employer[i].WageBill)
			}
		}
	case "workers_receive_wage":
		for j, wk := range h.Worker {
			want := c.hhF[0][j]
			if wk.Employer >= 0 {
				want += wk.Wage
			}
			if h.Consumer[j].Income != want {
				c.failf(w, name, "household %d: income %v, want %v", j, h.Consumer[j].Income, want)
			}
		}
	case "firms_run_production":
		gdp, employed := 0.0, 0
		for i, pr := range f.Producer {
			gdp += pr.Production
			employed += int(f.Employer[i].CurrentLabor)
			if pr.LaborProductivity != p.LaborProductivity {
				c.failf(w, name, "firm %d: productivity %v in the baseline", i, pr.LaborProductivity)
			}
			if pr.Production != pr.LaborProductivity*float64(f.Employer[i].CurrentLabor) || pr.Inventory != pr.Production || pr.ProductionPrev != pr.Production {
				c.failf(w, name, "firm %d: Y %v Y_prev %v S %v with α %v L %d", i, pr.Production, pr.ProductionPrev, pr.Inventory, pr.LaborProductivity, f.Employer[i].CurrentLabor)
			}
		}
		if want := p.LaborProductivity * float64(employed); math.Abs(gdp-want) > tol(want) {
			c.failf(w, name, "real GDP %v ≠ α × employed = %v", gdp, want)
		}
	case "update_avg_mkt_price":
		hist := w.Econ.AvgPriceHistory
		if len(hist) != w.Period+1 || hist[len(hist)-1] != w.Econ.AvgPrice || !(w.Econ.AvgPrice > 0) {
			c.failf(w, name, "P̄ %v, history length %d", w.Econ.AvgPrice, len(hist))
		}
	case "consumers_calc_propensity":
		for j, cs := range h.Consumer {
			if !(cs.Propensity >= 0.5 && cs.Propensity <= 1) || cs.Savings < 0 {
				c.failf(w, name, "household %d: propensity %v, savings %v", j, cs.Propensity, cs.Savings)
			}
			if cs.Propensity == 0.5 {
				c.cov.propensityHalf++
			}
		}
	case "consumers_decide_income_to_spend":
		for j, cs := range h.Consumer {
			if math.Abs(cs.Savings+cs.IncomeToSpend-c.hhF[0][j]) > tol(c.hhF[0][j]) || cs.Income != 0 || cs.IncomeToSpend < 0 {
				c.failf(w, name, "household %d: savings %v + budget %v ≠ wealth %v (income %v)", j, cs.Savings, cs.IncomeToSpend, c.hhF[0][j], cs.Income)
			}
		}
	case "consumers_decide_firms_to_visit":
		c.checkShopQueues(w, name)
	case "goods_market_round":
		spent, sold := 0.0, 0.0
		for j, cs := range h.Consumer {
			if cs.IncomeToSpend < -eps || cs.IncomeToSpend > c.hhF[0][j] {
				c.failf(w, name, "household %d: budget %v → %v", j, c.hhF[0][j], cs.IncomeToSpend)
			}
			spent += c.hhF[0][j] - cs.IncomeToSpend
		}
		for i, pr := range f.Producer {
			if pr.Inventory < 0 || pr.Inventory > pr.Production {
				c.failf(w, name, "firm %d: inventory %v outside [0, production %v]", i, pr.Inventory, pr.Production)
			}
			sold += pr.Price * (pr.Production - pr.Inventory)
		}
		if math.Abs(spent-sold) > tol(spent) {
			c.failf(w, name, "households spent %v but firms sold %v", spent, sold)
		}
	case "consumers_finalize_purchases":
		for j, cs := range h.Consumer {
			if cs.IncomeToSpend != 0 || cs.Savings < -eps {
				c.failf(w, name, "household %d: budget %v savings %v", j, cs.IncomeToSpend, cs.Savings)
			}
		}
	case "firms_collect_revenue":
		for i, bo := range f.Borrower {
			pr := f.Producer[i]
			rev := pr.Price * (pr.Production - pr.Inventory)
			if !near(bo.TotalFunds, c.firmF[1][i]+rev) || !near(bo.GrossProfit, rev-f.Employer[i].WageBill) {
				c.failf(w, name, "firm %d: cash %v → %v, gross profit %v, revenue %v", i, c.firmF[1][i], bo.TotalFunds, bo.GrossProfit, rev)
			}
		}
	case "firms_validate_debt_commitments":
		c.checkSettlement(w, name)
	case "firms_pay_dividends":
		paid, received := 0.0, 0.0
		for i, bo := range f.Borrower {
			paid += c.firmF[1][i] - bo.TotalFunds
			want := bo.NetProfit
			if bo.NetProfit > 0 {
				want = bo.NetProfit * (1 - p.Delta)
			}
			if bo.RetainedProfit != want {
				c.failf(w, name, "firm %d: retained %v from net profit %v", i, bo.RetainedProfit, bo.NetProfit)
			}
		}
		d0 := h.Shareholder[0].Dividends
		for j, cs := range h.Consumer {
			d := h.Shareholder[j].Dividends
			received += d
			if d != d0 || math.Abs(cs.Savings-c.hhF[0][j]-d) > tol(cs.Savings) {
				c.failf(w, name, "household %d: dividend %v (household 0: %v), savings %v → %v", j, d, d0, c.hhF[0][j], cs.Savings)
			}
		}
		if math.Abs(paid-received) > tol(paid) {
			c.failf(w, name, "dividends paid %v ≠ received %v", paid, received)
		}
	case "firms_update_net_worth":
		for i, bo := range f.Borrower {
			if bo.NetWorth != c.firmF[2][i]+bo.RetainedProfit || bo.TotalFunds != max(bo.NetWorth, 0) {
				c.failf(w, name, "firm %d: net worth %v → %v (retained %v), cash %v", i, c.firmF[2][i], bo.NetWorth, bo.RetainedProfit, bo.TotalFunds)
			}
		}
	case "mark_bankrupt_firms":
		c.cov.firmExits += len(w.Econ.ExitingFirms)
		var want []int32
		for i := range f.Borrower {
			if f.Borrower[i].NetWorth < eps || f.Producer[i].ProductionPrev <= eps {
				want = append(want, int32(i))
			} else if c.defaulted[i] {
				c.failf(w, name, "firm %d defaulted in 5.31 but survives (net worth %v)", i, f.Borrower[i].NetWorth)
			}
		}
		if !slices.Equal(w.Econ.ExitingFirms, want) {
			c.failf(w, name, "exiting firms %v, want %v", w.Econ.ExitingFirms, want)
		}
		for _, i := range want {
			if !w.Econ.FirmExiting[i] || f.Employer[i].CurrentLabor != 0 || f.Employer[i].WageBill != 0 {
				c.failf(w, name, "exiting firm %d: mask %v, L %d, W %v", i, w.Econ.FirmExiting[i], f.Employer[i].CurrentLabor, f.Employer[i].WageBill)
			}
		}
		for _, i := range w.Loans.Borrower {
			if w.Econ.FirmExiting[i] {
				c.failf(w, name, "loan record of exiting firm %d kept", i)
			}
		}
	case "mark_bankrupt_banks":
		c.cov.bankExits += len(w.Econ.ExitingBanks)
		var want []int32
		for k := range b.Lender {
			if b.Lender[k].EquityBase < eps {
				want = append(want, int32(k))
			}
		}
		if !slices.Equal(w.Econ.ExitingBanks, want) {
			c.failf(w, name, "exiting banks %v, want %v", w.Econ.ExitingBanks, want)
		}
		for _, k := range w.Loans.Lender {
			if w.Econ.BankExiting[k] {
				c.failf(w, name, "loan record of exiting bank %d kept", k)
			}
		}
	case "spawn_replacement_firms":
		ex := w.Econ.ExitingFirms
		for _, i := range ex {
			a := ex[0]
			// labour productivity and the stale breakeven price stay with the slot
			pi, pa := f.Producer[i], f.Producer[a]
			pi.LaborProductivity, pi.BreakevenPrice = pa.LaborProductivity, pa.BreakevenPrice
			if pi != pa || f.Employer[i] != f.Employer[a] || f.Borrower[i] != f.Borrower[a] {
				c.failf(w, name, "entrants %d and %d differ", a, i)
			}
			pr, e, bo := f.Producer[i], f.Employer[i], f.Borrower[i]
			if pr.Price != w.Econ.AvgPrice*p.NewFirmPriceMarkup || pr.Inventory != 0 || pr.Production != pr.ProductionPrev ||
				e.WageOffer < w.Econ.MinWage || e.CurrentLabor != 0 || e.WageBill != 0 || bo.TotalFunds != bo.NetWorth {
				c.failf(w, name, "entrant %d: %+v %+v %+v (P̄ %v, ŵ %v)", i, pr, e, bo, w.Econ.AvgPrice, w.Econ.MinWage)
			}
		}
	}
}

// checkEmploymentChanges checks who may gain or lose an employer in an
// event, and how: hiring only in labour rounds (§5.11); layoffs in 5.6 and
// 5.19 mark the worker fired with employer_prev set; contracts tick down by
// one and expire at zero in 5.24; bankruptcy (5.34) clears every link.
func (c *checker) checkEmploymentChanges(w *ecs.World, name string) {
	for j, wk := range w.Households.Worker {
		old, pl := c.hhEmp[j], c.hhPL[j]
		switch {
		case name == "workers_update_contracts" && old >= 0:
			expired := components.Worker{Employer: -1, EmployerPrev: old, ContractExpired: true}
			if pl <= 1 && wk != expired {
				c.failf(w, name, "household %d: periods_left %d, now %+v, want expiry %+v", j, pl, wk, expired)
			}
			if pl > 1 && (wk.Employer != old || wk.PeriodsLeft != pl-1) {
				c.failf(w, name, "household %d: employer %d periods_left %d → %d %d", j, old, pl, wk.Employer, wk.PeriodsLeft)
			}
		case old == wk.Employer:
			if old >= 0 && wk.PeriodsLeft != pl {
				c.failf(w, name, "household %d: periods_left %d → %d", j, pl, wk.PeriodsLeft)
			}
		case old < 0:
			if name != "labor_market_round" {
				c.failf(w, name, "household %d hired by firm %d outside the labour market", j, wk.Employer)
			}
		case wk.Employer >= 0:
			c.failf(w, name, "household %d moved from firm %d to firm %d", j, old, wk.Employer)
		case name == "firms_fire_excess_workers" || name == "firms_fire_workers":
			if want := (components.Worker{Employer: -1, EmployerPrev: old, Fired: true}); wk != want {
				c.failf(w, name, "laid-off household %d: %+v, want %+v", j, wk, want)
			}
		case name == "mark_bankrupt_firms":
			if want := (components.Worker{Employer: -1, EmployerPrev: -1}); wk != want || !w.Econ.FirmExiting[old] {
				c.failf(w, name, "household %d of firm %d (exiting %v): %+v, want %+v", j, old, w.Econ.FirmExiting[old], wk, want)
			}
		default:
			c.failf(w, name, "household %d lost its employer %d", j, old)
		}
	}
}

func (c *checker) checkWageBill(w *ecs.World, name string) {
	f := w.Firms
	sum := c.firmF[3]
	clear(sum)
	for _, wk := range w.Households.Worker {
		if wk.Employer >= 0 {
			sum[wk.Employer] += wk.Wage
		}
	}
	for i, e := range f.Employer {
		if math.Abs(e.WageBill-sum[i]) > tol(sum[i]) {
			c.failf(w, name, "firm %d: wage bill %v ≠ Σ employee wages %v", i, e.WageBill, sum[i])
		}
	}
}

// checkJobQueues checks the queues built by workers_decide_firms_to_apply.
func (c *checker) checkJobQueues(w *ecs.World, name string) {
	p := &w.Params
	emp := w.Firms.Employer
	pool := 0
	for i := range emp {
		if p.JobSearchMethod == ecs.JobSearchAllFirms || emp[i].NVacancies > 0 {
			pool++
		}
	}
	for j, wk := range w.Households.Worker {
		q := jobApps(w, j)
		if wk.Employer >= 0 {
			if len(q) != 0 {
				c.failf(w, name, "employed household %d has job applications %v", j, q)
			}
			continue
		}
		if pool == 0 {
			if len(q) != 0 {
				c.failf(w, name, "household %d has job applications %v with an empty pool", j, q)
			}
			continue
		}
		if wk.ContractExpired || wk.Fired {
			c.failf(w, name, "household %d: flags not reset", j)
		}
		if len(q) != min(p.MaxM, pool) {
			c.failf(w, name, "household %d: job applications %v, want %d firms", j, q, min(p.MaxM, pool))
			continue
		}
		rest := q
		if f := c.hhI[j]; f >= 0 {
			c.cov.loyalSearches++
			if q[0] != f {
				c.failf(w, name, "loyal household %d: queue %v does not start with former employer %d", j, q, f)
			}
			rest = q[1:]
		}
		for a, x := range q {
			if slices.Contains(q[:a], x) || (p.JobSearchMethod == ecs.JobSearchVacanciesOnly && emp[x].NVacancies == 0) {
				c.failf(w, name, "household %d: queue %v has a duplicate or a firm outside the pool", j, q)
			}
		}
		for a := 1; a < len(rest); a++ {
			if emp[rest[a-1]].WageOffer < emp[rest[a]].WageOffer {
				c.failf(w, name, "household %d: queue %v not sorted by wage offer", j, q)
			}
		}
	}
}

// checkShopQueues checks the lists built by consumers_decide_firms_to_visit.
func (c *checker) checkShopQueues(w *ecs.World, name string) {
	p := &w.Params
	prod := w.Firms.Producer
	loyal := p.ConsumerMatching == ecs.MatchingLoyalty
	for j, cs := range w.Households.Consumer {
		q := shopList(w, j)
		if cs.IncomeToSpend <= eps {
			if len(q) != 0 || cs.LargestProdPrev != c.hhI[j] {
				c.failf(w, name, "household %d without budget: list %v, pointer %d → %d", j, q, c.hhI[j], cs.LargestProdPrev)
			}
			continue
		}
		c.cov.shoppers++
		if len(q) != min(p.MaxZ, len(prod)) {
			c.failf(w, name, "household %d: list %v, want %d firms", j, q, min(p.MaxZ, len(prod)))
			continue
		}
		best := q[0]
		for a, x := range q {
			if slices.Contains(q[:a], x) || (a > 0 && prod[q[a-1]].Price > prod[x].Price) {
				c.failf(w, name, "household %d: list %v has duplicates or is not sorted by price", j, q)
			}
			if prod[x].Production > prod[best].Production {
				best = x
			}
		}
		if !loyal {
			if cs.LargestProdPrev != c.hhI[j] {
				c.failf(w, name, "household %d: pointer moved under random matching", j)
			}
			continue
		}
		if old := c.hhI[j]; old >= 0 && !slices.Contains(q, old) {
			c.failf(w, name, "household %d: list %v lacks the loyalty firm %d", j, q, old)
		}
		if cs.LargestProdPrev != best {
			c.failf(w, name, "household %d: pointer %d, want largest producer %d of %v", j, cs.LargestProdPrev, best, q)
		}
	}
}

// checkCreditRound recomputes the round of spec §5.18 from the state before
// it and compares the loans, supplies, demands and cash.
func (c *checker) checkCreditRound(w *ecs.World, name string) {
	p := &w.Params
	f, banks := w.Firms, w.Banks.Lender
	type app struct {
		firm int32
		frag float64
		req  float64
	}
	byBank := make([][]app, len(banks))
	for i := range f.Borrower {
		k := c.firmI[0][i]
		if c.firmF[0][i] <= 0 || k < 0 || c.bankF[0][k] <= eps {
			continue
		}
		req := c.firmF[0][i]
		if p.MaxLoanToNetWorth > 0 {
			req = min(req, p.MaxLoanToNetWorth*f.Borrower[i].NetWorth)
		}
		byBank[k] = append(byBank[k], app{int32(i), f.Borrower[i].ProjectedFragility, req})
	}
	var want []loanRec
	grant := make([]float64, len(f.Borrower))
	for k, apps := range byBank {
		slices.SortFunc(apps, func(a, b app) int {
			return cmp.Or(cmp.Compare(a.frag, b.frag), cmp.Compare(a.firm, b.firm))
		})
		s0, run, lent := c.bankF[0][k], 0.0, 0.0
		for _, a := range apps {
			if a.req <= 0 {
				continue
			}
			before := run
			run += a.req
			g := a.req
			if run > s0 {
				g = max(s0-before, 0)
			}
			lent += g
			if g > eps {
				l := a.frag
				if p.MaxLeverage > 0 {
					l = min(l, p.MaxLeverage)
				}
				want = append(want, loanRec{a.firm, int32(k), g, p.RBar * (1 + banks[k].OpexShock*l)})
				grant[a.firm] = g
				c.cov.loans++
				if g < a.req {
					c.cov.partialLoans++
				}
				if a.req < c.firmF[0][a.firm] {
					c.cov.cappedLoans++
				}
				if c.round > 1 {
					c.cov.round2Loans++
				}
			}
		}
		if s := banks[k].CreditSupply; math.Abs(s-(s0-lent)) > tol(s0) {
			c.failf(w, name, "bank %d: supply %v → %v after lending %v", k, s0, s, lent)
		}
		if lent > s0+tol(s0) {
			c.failf(w, name, "bank %d lent %v > supply %v", k, lent, s0)
		}
	}
	// the round's new records, in any order
	lb := w.Loans
	var got []loanRec
	for r := c.bookLen; r < lb.Len(); r++ {
		got = append(got, loanRec{lb.Borrower[r], lb.Lender[r], lb.Principal[r], lb.Rate[r]})
	}
	sortRecs := func(x []loanRec) {
		slices.SortFunc(x, func(a, b loanRec) int { return cmp.Or(cmp.Compare(a.firm, b.firm), cmp.Compare(a.bank, b.bank)) })
	}
	sortRecs(got)
	sortRecs(want)
	if !sameRecords(got, want) {
		r := 0
		for r < min(len(got), len(want)) && sameRecords(got[r:r+1], want[r:r+1]) {
			r++
		}
		var g, x any = "none", "none"
		if r < len(got) {
			g = got[r]
		}
		if r < len(want) {
			x = want[r]
		}
		c.failf(w, name, "round %d: %d loans, want %d; first difference: %+v, want %+v", c.round, len(got), len(want), g, x)
	}
	for _, g := range got {
		if g.principal > c.firmF[0][g.firm]+tol(g.principal) {
			c.failf(w, name, "loan %v to firm %d exceeds its demand %v", g.principal, g.firm, c.firmF[0][g.firm])
		}
	}
	for i, bo := range f.Borrower {
		if !near(bo.TotalFunds, c.firmF[1][i]+grant[i]) || math.Abs(bo.CreditDemand-max(c.firmF[0][i]-grant[i], 0)) > tol(c.firmF[0][i]) {
			c.failf(w, name, "firm %d: cash %v → %v, demand %v → %v, grant %v", i, c.firmF[1][i], bo.TotalFunds, c.firmF[0][i], bo.CreditDemand, grant[i])
		}
	}
	// at most one loan per bank and firm per period
	all := bookRecords(w)
	for r := 1; r < len(all); r++ {
		if all[r].firm == all[r-1].firm && all[r].bank == all[r-1].bank {
			c.failf(w, name, "firm %d holds two loans from bank %d", all[r].firm, all[r].bank)
		}
	}
}

// checkSettlement recomputes spec §5.31 from the state before it.
func (c *checker) checkSettlement(w *ecs.World, name string) {
	f, banks := w.Firms, w.Banks.Lender
	nf := len(f.Borrower)
	debt, interest, principal := make([]float64, nf), make([]float64, nf), make([]float64, nf)
	for _, l := range c.book {
		debt[l.firm] += l.principal * (1 + l.rate)
		interest[l.firm] += l.principal * l.rate
		principal[l.firm] += l.principal
	}
	equity := slices.Clone(c.bankF[1])
	for _, l := range c.book {
		i := l.firm
		if debt[i] <= eps {
			continue
		}
		if c.firmF[1][i]-debt[i] >= -eps {
			equity[l.bank] += l.principal * l.rate
		} else {
			rec := min(max(l.principal/max(principal[i], eps)*f.Borrower[i].NetWorth, 0), l.principal)
			equity[l.bank] -= l.principal - rec
		}
	}
	for k := range banks {
		if math.Abs(banks[k].EquityBase-equity[k]) > tol(equity[k]) {
			c.failf(w, name, "bank %d: equity %v → %v, want %v", k, c.bankF[1][k], banks[k].EquityBase, equity[k])
		}
	}
	for i, bo := range f.Borrower {
		want := c.firmF[1][i]
		if debt[i] > eps {
			if c.firmF[1][i]-debt[i] >= -eps {
				want -= debt[i]
				c.cov.repaid++
			} else {
				want = 0
				c.cov.defaults++
				c.defaulted[i] = true
			}
		}
		if math.Abs(bo.TotalFunds-want) > tol(want) {
			c.failf(w, name, "firm %d: cash %v → %v, want %v (debt %v)", i, c.firmF[1][i], bo.TotalFunds, want, debt[i])
		}
		if math.Abs(bo.NetProfit-(bo.GrossProfit-interest[i])) > tol(bo.GrossProfit) {
			c.failf(w, name, "firm %d: net profit %v, gross %v, interest %v", i, bo.NetProfit, bo.GrossProfit, interest[i])
		}
	}
	if w.Loans.Len() != len(c.book) {
		c.failf(w, name, "loan records removed in settlement: %d → %d", len(c.book), w.Loans.Len())
	}
}

// observer returns a pipeline observer for event name: it must be called
// once per period, right after the first execution of the event.
func (c *checker) observer(name string) ecs.Observer {
	return func(w *ecs.World) {
		c.observed[name]++
		if c.execs[name] != 1 || c.observed[name] != 1 {
			c.failf(w, name, "observer called after execution %d (call %d), want once after the first", c.execs[name], c.observed[name])
		}
	}
}

// endOfPeriod checks the invariants that hold after entry (spec §15).
func (c *checker) endOfPeriod(sim *bam.Simulation) ecs.Observer {
	return func(w *ecs.World) {
		const name = "end of period"
		c.cov.periods++
		for n, k := range c.execs {
			if c.observed[n] != 1 {
				c.failf(w, name, "observer of %s called %d times (%d executions)", n, c.observed[n], k)
			}
		}
		clear(c.execs)
		clear(c.observed)
		if w.Econ.Collapsed {
			return
		}
		f := w.Firms
		for i, bo := range f.Borrower {
			entrant := w.Econ.FirmExiting[i]
			if bo.NetWorth < eps && !entrant {
				c.failf(w, name, "incumbent firm %d has net worth %v", i, bo.NetWorth)
			}
			if entrant && !(bo.NetWorth > 0) {
				c.failf(w, name, "entrant %d has net worth %v", i, bo.NetWorth)
			}
			if bo.TotalFunds != bo.NetWorth {
				c.failf(w, name, "firm %d: cash %v ≠ net worth %v", i, bo.TotalFunds, bo.NetWorth)
			}
		}
		for k, l := range w.Banks.Lender {
			if l.EquityBase < eps {
				c.failf(w, name, "bank %d has equity %v", k, l.EquityBase)
			}
		}
		rows := sim.History.Rows
		if len(rows) != w.Period {
			c.failf(w, name, "history has %d rows", len(rows))
			return
		}
		r := rows[len(rows)-1]
		if want := w.Params.LaborProductivity * float64(r.Employed); math.Abs(r.GDP-want) > tol(want) {
			c.failf(w, name, "recorded real GDP %v ≠ α × employed %v", r.GDP, want)
		}
	}
}

// runChecked runs a simulation with every system wrapped in a probe.
func runChecked(t *testing.T, label string, p ecs.Params, periods int) coverage {
	t.Helper()
	p.NPeriods = periods
	sim, err := bam.New(p)
	if err != nil {
		t.Fatalf("bam.New: %v", err)
	}
	c := newChecker(t, label, p)
	ss := sim.Pipeline.Systems()
	done := map[string]bool{}
	for _, s := range ss {
		if done[s.Name()] {
			continue
		}
		done[s.Name()] = true
		if err := sim.Pipeline.Replace(s.Name(), probe{s, c}); err != nil {
			t.Fatal(err)
		}
		sim.Pipeline.Observe(s.Name(), c.observer(s.Name()))
	}
	if got := sim.Pipeline.Len(); got != len(ss) {
		t.Fatalf("wrapped pipeline has %d entries, want %d", got, len(ss))
	}
	sim.Pipeline.Observe("", c.endOfPeriod(sim))
	for range periods {
		if !sim.Step() {
			t.Logf("%s: collapsed at t=%d", label, sim.Period())
			break
		}
	}
	return c.cov
}

// TestInvariants runs the default pipeline over several configurations and
// seeds and checks the §15 invariants after every event.
func TestInvariants(t *testing.T) {
	small := func(p *ecs.Params) { p.NFirms, p.NHouseholds, p.NBanks = 10, 50, 3 }
	nonDefault := func(p *ecs.Params) { p.MaxM, p.MaxH, p.MaxZ, p.Theta = 2, 3, 3, 4 }
	// Poor firms and banks: firms borrow every period, banks run dry, loans
	// are capped and partial, firms default.
	credit := func(p *ecs.Params) {
		p.NetWorthRatio, p.NewFirmSizeFactor, p.Delta, p.EquityBaseInit = 0.2, 0.05, 0.9, 0.3
	}
	// The other switches of §2: vacancies-only search, random matching,
	// breakeven cap.
	variants := func(p *ecs.Params) {
		capf := 1.3
		p.JobSearchMethod, p.ConsumerMatching, p.CapFactor = ecs.JobSearchVacanciesOnly, ecs.MatchingRandom, &capf
		p.NetWorthRatio, p.Delta = 0.5, 0.5
	}
	type config struct {
		name    string
		mod     func(*ecs.Params)
		seeds   []uint64
		periods int
		// minimum coverage expected over all seeds
		want func(cv coverage) error
	}
	need := func(checks ...any) func(cv coverage) error {
		return func(cv coverage) error {
			for a := 0; a < len(checks); a += 2 {
				if checks[a+1].(int) <= 0 {
					return fmt.Errorf("no %s exercised", checks[a])
				}
			}
			return nil
		}
	}
	configs := []config{
		{"default", nil, []uint64{1, 2, 3, 4, 5}, 300, func(cv coverage) error {
			return need("loan", cv.loans, "credit layoff", cv.creditLayoffs, "firm exit", cv.firmExits,
				"loyal search", cv.loyalSearches, "revision", cv.revisions)(cv)
		}},
		{"default, long run", nil, []uint64{6}, 1000, func(cv coverage) error {
			return need("loan", cv.loans, "default", cv.defaults, "credit layoff", cv.creditLayoffs, "bank exit", cv.bankExits)(cv)
		}},
		{"small economy", small, []uint64{11, 12, 13}, 300, func(cv coverage) error {
			return need("loan", cv.loans, "firm exit", cv.firmExits, "loyal search", cv.loyalSearches)(cv)
		}},
		{"max_M=2 max_H=3 max_Z=3 theta=4", nonDefault, []uint64{21, 22}, 300, func(cv coverage) error {
			return need("loan", cv.loans, "firm exit", cv.firmExits, "loyal search", cv.loyalSearches)(cv)
		}},
		{"credit stress", credit, []uint64{31, 32}, 300, func(cv coverage) error {
			return need("loan", cv.loans, "partial loan", cv.partialLoans, "capped loan", cv.cappedLoans,
				"later-round loan", cv.round2Loans, "default", cv.defaults, "repayment", cv.repaid,
				"credit layoff", cv.creditLayoffs, "bank exit", cv.bankExits)(cv)
		}},
		{"vacancies_only, random matching, cap_factor", variants, []uint64{41, 42}, 300, func(cv coverage) error {
			return need("loan", cv.loans, "firm exit", cv.firmExits)(cv)
		}},
	}
	for _, cf := range configs {
		t.Run(cf.name, func(t *testing.T) {
			t.Parallel()
			seeds, periods := cf.seeds, cf.periods
			if testing.Short() {
				seeds, periods = seeds[:1], min(periods, 100)
			}
			var total coverage
			for _, seed := range seeds {
				p := ecs.DefaultParams()
				if cf.mod != nil {
					cf.mod(&p)
				}
				p.Seed = seed
				cv := runChecked(t, fmt.Sprintf("%s seed %d", cf.name, seed), p, periods)
				if t.Failed() {
					return
				}
				total = addCoverage(total, cv)
			}
			t.Logf("%s coverage: %+v", cf.name, total)
			if total.periods != len(seeds)*periods {
				t.Errorf("ran %d periods, want %d", total.periods, len(seeds)*periods)
			}
			if !testing.Short() {
				if err := cf.want(total); err != nil {
					t.Errorf("checks were vacuous: %v", err)
				}
			}
		})
	}
}

func addCoverage(a, b coverage) coverage {
	a.periods += b.periods
	a.loans += b.loans
	a.partialLoans += b.partialLoans
	a.cappedLoans += b.cappedLoans
	a.round2Loans += b.round2Loans
	a.repaid += b.repaid
	a.defaults += b.defaults
	a.creditLayoffs += b.creditLayoffs
	a.planningLayoffs += b.planningLayoffs
	a.firmExits += b.firmExits
	a.bankExits += b.bankExits
	a.loyalSearches += b.loyalSearches
	a.hires += b.hires
	a.revisions += b.revisions
	a.shoppers += b.shoppers
	a.propensityHalf += b.propensityHalf
	return a
}
