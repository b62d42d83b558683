package systems

import (
	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/ecs/rng"
	"github.com/bam-abm/bam/markets"
)

// CalcInflationRate appends this period's inflation rate (spec §5.7). With
// hist = P̄_0 … P̄_{t−1}:
//
//	π_t = (P̄_{t−1} − P̄_{t−5}) / P̄_{t−5}   for t ≥ 5 and P̄_{t−5} > 0
//	π_t = 0                               otherwise
//
// (computed in this difference-over-base form, as the reference does).
type CalcInflationRate struct{}

// Name returns "calc_inflation_rate".
func (CalcInflationRate) Name() string { return "calc_inflation_rate" }

// Update appends π_t to the inflation history.
func (CalcInflationRate) Update(w *ecs.World) {
	h := w.Econ.AvgPriceHistory
	n := len(h)
	pi := 0.0
	if n > 4 && h[n-5] > 0 {
		pi = (h[n-1] - h[n-5]) / h[n-5]
	}
	w.Econ.InflationHistory = append(w.Econ.InflationHistory, pi)
}

// AdjustMinimumWage revises the minimum wage every min_wage_rev_period
// periods (spec §5.8): when n = len(P̄ history) > m and (n−1) mod m = 0,
//
//	ŵ ← ŵ·(1 + π_t)
//
// and every employed household paid less than ŵ is raised to ŵ.
type AdjustMinimumWage struct{}

// Name returns "adjust_minimum_wage".
func (AdjustMinimumWage) Name() string { return "adjust_minimum_wage" }

// Update applies the revision when due.
func (AdjustMinimumWage) Update(w *ecs.World) {
	m := w.Params.MinWageRevPeriod
	n := len(w.Econ.AvgPriceHistory)
	if n <= m || (n-1)%m != 0 {
		return
	}
	w.Econ.MinWage *= 1 + w.Econ.Inflation()
	mw := w.Econ.MinWage
	workers := w.Households.Worker
	for j := range workers {
		h := &workers[j]
		if h.Employed() && h.Wage < mw {
			h.Wage = mw
		}
	}
}

// FirmsDecideWageOffer revises wage offers (spec §5.9): ξ_i ~ U(0, h_xi) is
// drawn for every firm and zeroed where V_i = 0, then
//
//	w_i ← max(ŵ, w_i·(1 + ξ_i))
type FirmsDecideWageOffer struct{}

// Name returns "firms_decide_wage_offer".
func (FirmsDecideWageOffer) Name() string { return "firms_decide_wage_offer" }

// Update applies the rule to every firm.
func (FirmsDecideWageOffer) Update(w *ecs.World) {
	mw, h, r := w.Econ.MinWage, w.Params.HXi, w.Rand
	employers := w.Firms.Employer
	for i := range employers {
		e := &employers[i]
		xi := pick(e.NVacancies == 0, 0, r.Uniform(h)) // drawn for every firm
		e.WageOffer = max(mw, e.WageOffer*(1+xi))
	}
}

// WorkersDecideFirmsToApply builds every unemployed worker's job
// applications (spec §5.10): a uniform min(max_M, |pool|)-subset of the
// pool (all firms, or those with vacancies under job_search_method =
// "vacancies_only"), sorted by wage offer descending. A worker whose
// contract expired naturally (not fired) puts its former employer first,
// dropping the lowest-wage entry if the employer was not drawn. The expiry
// and layoff flags of every unemployed worker are then reset. The
// applications go to the world's [LaborMarket].
type WorkersDecideFirmsToApply struct {
	market *LaborMarket
	// draw is the sampling of a household's firms: sampleFirms, or its
	// unrolled twin sampleFourFirms for max_M = 4 over all firms.
	draw       func(r *rng.Rand, n int, dst []int32) []int32
	wage       []float64 // every firm's wage offer, the queues' sort key
	pool       []int32   // the firms with vacancies (vacancies_only)
	unemployed []int32   // the households without an employer
}

// NewWorkersDecideFirmsToApply returns the system for the agents of w and
// its labour market, with the specialised sampling when paths allow it.
func NewWorkersDecideFirmsToApply(w *ecs.World, paths Paths) *WorkersDecideFirmsToApply {
	p := &w.Params
	nf := w.Count(ecs.Firms)
	s := &WorkersDecideFirmsToApply{
		market:     LaborMarketOf(w),
		draw:       sampleFirms,
		wage:       make([]float64, nf),
		pool:       make([]int32, 0, nf),
		unemployed: make([]int32, w.Count(ecs.Households)),
	}
	if paths == Specialised && p.MaxM == 4 && p.JobSearchMethod == ecs.JobSearchAllFirms && 2*4 <= nf {
		s.draw = sampleFourFirms
	}
	return s
}

// Name returns "workers_decide_firms_to_apply".
func (*WorkersDecideFirmsToApply) Name() string { return "workers_decide_firms_to_apply" }

// Update builds the applications.
func (s *WorkersDecideFirmsToApply) Update(w *ecs.World) {
	s.market.Reset()
	emp := w.Firms.Employer
	pool, every := s.searchPool(w)
	n := len(emp)
	if !every {
		if len(pool) == 0 {
			return // nobody searches (flags are kept)
		}
		n = len(pool)
	}
	inPool := func(f int32) bool { return every || emp[f].NVacancies > 0 }
	wage := s.wage
	for i := range emp {
		wage[i] = emp[i].WageOffer
	}
	workers := w.Households.Worker
	for _, j := range unemployedOf(workers, s.unemployed) {
		h := &workers[j]
		firms := s.draw(w.Rand, n, s.market.draft(j)) // drawn into the market's row
		if !every {
			for a, x := range firms {
				firms[a] = pool[x]
			}
		}
		sortByKey(firms, wage, true)
		if prev := h.EmployerPrev; loyal(h) && inPool(prev) {
			firms = putFirst(firms, prev)
		}
		s.market.commit(j, len(firms))
		h.ContractExpired = false
		h.Fired = false
	}
}

// searchPool returns the firms the unemployed sample from (spec §5.10):
// every firm (every is true) or, under job_search_method =
// "vacancies_only", those with vacancies (maybe none).
func (s *WorkersDecideFirmsToApply) searchPool(w *ecs.World) (pool []int32, every bool) {
	if w.Params.JobSearchMethod != ecs.JobSearchVacanciesOnly {
		return nil, true
	}
	pool = s.pool[:0]
	for i, e := range w.Firms.Employer {
		if e.NVacancies > 0 {
			pool = append(pool, int32(i))
		}
	}
	return pool, false
}

// loyal reports whether a household applies to its former employer first:
// its contract expired naturally (it was not fired) and it had an
// employer (spec §5.10).
func loyal(h *components.Worker) bool {
	return h.ContractExpired && !h.Fired && h.EmployerPrev >= 0
}

// putFirst moves firm f to the front of the queue q, keeping the order of
// the others; if f is not in q, it takes the place of the last (the
// lowest-wage) entry. An empty q stays empty.
func putFirst(q []int32, f int32) []int32 {
	if len(q) == 0 {
		return q
	}
	pos := len(q) - 1
	for a, x := range q {
		if x == f {
			pos = a
			break
		}
	}
	copy(q[1:pos+1], q[:pos])
	q[0] = f
	return q
}

// sampleFirms draws a uniform min(len(dst), n)-subset of the firms
// 0 … n−1 into dst (spec §4.1, [markets.SampleIndices]).
func sampleFirms(r *rng.Rand, n int, dst []int32) []int32 {
	return markets.SampleIndices(r, n, len(dst), -1, dst)
}

// sampleFourFirms is sampleFirms for four of n ≥ 8 firms (the default
// max_M), unrolled: the same rejection draws as markets.SampleIndices — a
// firm equal to one already drawn is drawn again — in the same order, so
// the same subset bit for bit.
func sampleFourFirms(r *rng.Rand, n int, dst []int32) []int32 {
	c0 := int32(r.IntN(n))
	c1 := int32(r.IntN(n))
	for c1 == c0 {
		c1 = int32(r.IntN(n))
	}
	c2 := int32(r.IntN(n))
	for c2 == c0 || c2 == c1 {
		c2 = int32(r.IntN(n))
	}
	c3 := int32(r.IntN(n))
	for c3 == c0 || c3 == c1 || c3 == c2 {
		c3 = int32(r.IntN(n))
	}
	dst = dst[:4]
	dst[0], dst[1], dst[2], dst[3] = c0, c1, c2, c3
	return dst
}

// LaborMarketRound is one synchronous round of job matching (spec §5.11),
// run max_M times. Every unemployed worker with applications left applies
// to the next firm of its queue; each firm with vacancies V_i > 0 (as of
// the start of the round) hires a uniformly random subset of min(V_i,
// #valid applicants) (see [LaborMarket.Round]). A hired worker gets
//
//	employer ← i; wage ← w_i; periods_left ← θ
//
// and L_i += 1, V_i −= 1 ([Hire]). Rejected workers try their next firm
// next round.
type LaborMarketRound struct{ market *LaborMarket }

// NewLaborMarketRound returns a round of the labour market of w. With
// Plain paths the market finds its seekers by scanning every household
// instead of keeping their list (for the whole world: its rounds share the
// market).
func NewLaborMarketRound(w *ecs.World, paths Paths) *LaborMarketRound {
	m := LaborMarketOf(w)
	if paths == Plain {
		m.scan = true
	}
	return &LaborMarketRound{market: m}
}

// Name returns "labor_market_round".
func (*LaborMarketRound) Name() string { return "labor_market_round" }

// Update runs the round and writes the contracts of the hires.
func (s *LaborMarketRound) Update(w *ecs.World) {
	workers, firms := s.market.Round(w.Rand, w.Households.Worker, w.Firms.Employer)
	for a := range workers {
		Hire(w, workers[a], firms[a])
	}
}

// Hire makes household j an employee of firm i, as a labour-market round
// does (spec §5.11): on the firm's wage offer w_i for a contract of θ
// periods (the parameter theta),
//
//	employer ← i; wage ← w_i; periods_left ← θ;  L_i += 1, V_i −= 1
//
// The household should be unemployed. Its remaining applications, if
// any, stay in the labour market until it withdraws them
// ([LaborMarket.Withdraw]); rounds skip employed households.
func Hire(w *ecs.World, j, i int32) {
	e := &w.Firms.Employer[i]
	h := &w.Households.Worker[j]
	h.Employer = i
	h.Wage = e.WageOffer
	h.PeriodsLeft = int32(w.Params.Theta)
	h.ContractExpired = false
	h.Fired = false
	e.CurrentLabor++
	e.NVacancies--
}

// FirmsCalcWageBill sets W_i = Σ wage_j over firm i's employees (spec §5.12).
type FirmsCalcWageBill struct {
	bills []float64 // see wagesByEmployer
}

// NewFirmsCalcWageBill returns the system for the firms of w.
func NewFirmsCalcWageBill(w *ecs.World) *FirmsCalcWageBill {
	return &FirmsCalcWageBill{bills: make([]float64, w.Count(ecs.Firms)+1)}
}

// Name returns "firms_calc_wage_bill".
func (*FirmsCalcWageBill) Name() string { return "firms_calc_wage_bill" }

// Update recomputes every wage bill.
func (s *FirmsCalcWageBill) Update(w *ecs.World) {
	emp := w.Firms.Employer
	bills := wagesByEmployer(w.Households.Worker, s.bills)
	for i := range emp {
		emp[i].WageBill = bills[i]
	}
}
