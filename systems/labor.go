package systems

import (
	"github.com/bam-abm/bam/ecs"
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
		if h.Employer >= 0 && h.Wage < mw {
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
		xi := r.Uniform(h)
		xi = pick(e.NVacancies == 0, 0, xi)
		e.WageOffer = max(mw, e.WageOffer*(1+xi))
	}
}

// WorkersDecideFirmsToApply builds every unemployed worker's job queue
// (spec §5.10): a uniform min(max_M, |pool|)-subset of the pool (all firms,
// or those with vacancies under job_search_method = "vacancies_only"),
// sorted by wage offer descending. A worker whose contract expired naturally
// (not fired) puts its former employer first, dropping the lowest-wage entry
// if the employer was not drawn. The expiry and layoff flags of every
// unemployed worker are then reset.
type WorkersDecideFirmsToApply struct{}

// Name returns "workers_decide_firms_to_apply".
func (WorkersDecideFirmsToApply) Name() string { return "workers_decide_firms_to_apply" }

// Update builds the queues.
func (WorkersDecideFirmsToApply) Update(w *ecs.World) {
	s := &w.Scratch
	m := w.Params.MaxM
	fill(s.JobCursor, -1)
	s.JobSeekers = s.JobSeekers[:0]
	s.JobSeekersPeriod = w.Period
	emp := w.Firms.Employer
	nf := len(emp)
	// pool: nil means every firm.
	var pool []int32
	if w.Params.JobSearchMethod == ecs.JobSearchVacanciesOnly {
		pool = s.Pool[:0]
		for i := range emp {
			if emp[i].NVacancies > 0 {
				pool = append(pool, int32(i))
			}
		}
		if len(pool) == 0 {
			return
		}
		nf = len(pool)
	}
	inPool := func(f int32) bool { return pool == nil || emp[f].NVacancies > 0 }
	k := min(m, nf)
	wage := s.FirmF64A
	for i := range emp {
		wage[i] = emp[i].WageOffer
	}
	r := w.Rand
	// The default case (all firms, max_M ≤ NF/2) draws into the queue rows.
	inRow := pool == nil && 2*k <= nf && k == m && !generalPaths
	// The unemployed, in household order (a branch-free compaction).
	for _, j := range unemployedOf(w.Households.Worker, s.HouseholdI32A) {
		h := &w.Households.Worker[j]
		var sample []int32
		row := s.JobQueue[int(j)*m : int(j+1)*m]
		if inRow && k == 4 {
			// The same rejection draws as below, unrolled for four firms:
			// a draw equal to an earlier one is drawn again.
			sample = row[:4]
			c0 := int32(r.IntN(nf))
			c1 := int32(r.IntN(nf))
			for c1 == c0 {
				c1 = int32(r.IntN(nf))
			}
			c2 := int32(r.IntN(nf))
			for b2i(c2 == c0)|b2i(c2 == c1) != 0 {
				c2 = int32(r.IntN(nf))
			}
			c3 := int32(r.IntN(nf))
			for b2i(c3 == c0)|b2i(c3 == c1)|b2i(c3 == c2) != 0 {
				c3 = int32(r.IntN(nf))
			}
			sample[0], sample[1], sample[2], sample[3] = c0, c1, c2, c3
		} else if inRow {
			// SampleIndices' rejection draws, straight into the queue row.
			sample = row
			for a := 0; a < k; {
				c := int32(r.IntN(nf))
				dup := false
				for _, d := range sample[:a] {
					dup = dup || d == c
				}
				if !dup {
					sample[a] = c
					a++
				}
			}
		} else {
			sample = markets.SampleIndices(r, nf, k, -1, s.Sample)
			if pool != nil {
				for a, x := range sample {
					sample[a] = pool[x]
				}
			}
		}
		sortByKey(sample, wage, true)
		if f := h.EmployerPrev; h.ContractExpired && !h.Fired && f >= 0 && inPool(f) && len(sample) > 0 {
			pos := len(sample) - 1 // drop the last one if f was not drawn
			for a, x := range sample {
				if x == f {
					pos = a
					break
				}
			}
			copy(sample[1:pos+1], sample[:pos])
			sample[0] = f
		}
		n := len(sample)
		if !inRow {
			copy(row, sample)
		}
		for a := n; a < m; a++ {
			row[a] = -1
		}
		if n > 0 {
			s.JobCursor[j] = 0
			s.JobSeekers = append(s.JobSeekers, j)
		}
		h.ContractExpired = false
		h.Fired = false
	}
}

// LaborMarketRound is one synchronous round of job matching (spec §5.11),
// run max_M times. Every unemployed worker with applications left applies to
// the next firm of its queue; each firm with vacancies V_i > 0 (as of the
// start of the round) hires a uniformly random subset of min(V_i, #valid
// applicants). A hired worker gets
//
//	employer ← i; wage ← w_i; periods_left ← θ
//
// and L_i += 1, V_i −= 1. Rejected workers try their next firm next round.
type LaborMarketRound struct{}

// Name returns "labor_market_round".
func (LaborMarketRound) Name() string { return "labor_market_round" }

// Update runs the round: gather vacancies and seekers, match, scatter hires.
func (LaborMarketRound) Update(w *ecs.World) {
	s := &w.Scratch
	var seekers []int32
	if s.JobSeekersPeriod == w.Period && !generalPaths {
		// The unemployed with applications left, compacted in place from
		// the list the queues were built for (and kept for the next round).
		// (Branch-free: written at n ≤ the slot being read.)
		list, cursor, workers := s.JobSeekers, s.JobCursor, w.Households.Worker
		n := 0
		for _, j := range list {
			list[n] = j
			n += int(^uint32(cursor[j])>>31) & int(uint32(workers[j].Employer)>>31)
		}
		seekers = list[:n]
		s.JobSeekers = seekers
	} else {
		// Households with applications left (a branch-free compaction of
		// the cursors), then those among them still unemployed.
		cand := s.HouseholdI32A
		nc := 0
		for j, c := range s.JobCursor {
			cand[nc] = int32(j)
			nc += int(^uint32(c) >> 31) // 1 when c ≥ 0
		}
		seekers = cand[:0]
		for _, j := range cand[:nc] {
			if w.Households.Worker[j].Employer < 0 {
				seekers = append(seekers, j)
			}
		}
	}
	if len(seekers) == 0 {
		return
	}
	emp := w.Firms.Employer
	vac := s.FirmI32A
	for i := range emp {
		vac[i] = emp[i].NVacancies
	}
	n := s.Labor.Round(w.Rand, seekers, s.JobQueue, w.Params.MaxM, s.JobCursor, vac, s.HiredWorker, s.HiredFirm)
	theta := int32(w.Params.Theta)
	for a := 0; a < n; a++ {
		j, i := s.HiredWorker[a], s.HiredFirm[a]
		h := &w.Households.Worker[j]
		h.Employer = i
		h.Wage = emp[i].WageOffer
		h.PeriodsLeft = theta
		h.ContractExpired = false
		h.Fired = false
		emp[i].CurrentLabor++
		emp[i].NVacancies = vac[i] // only hiring firms' vacancies change
	}
}

// FirmsCalcWageBill sets W_i = Σ wage_j over firm i's employees (spec §5.12).
type FirmsCalcWageBill struct{}

// Name returns "firms_calc_wage_bill".
func (FirmsCalcWageBill) Name() string { return "firms_calc_wage_bill" }

// Update recomputes every wage bill.
func (FirmsCalcWageBill) Update(w *ecs.World) {
	// Summed in household order into FirmSums (slot 0 collects the
	// unemployed, so there is no branch on employment), then copied: the
	// same additions in the same order as summing into WageBill directly.
	emp := w.Firms.Employer
	bill := w.Scratch.FirmSums[:len(emp)+1]
	clear(bill)
	workers := w.Households.Worker
	for j := range workers {
		h := &workers[j]
		e := h.Employer
		bill[(e|e>>31)+1] += h.Wage // any negative employer → slot 0
	}
	for i := range emp {
		emp[i].WageBill = bill[i+1]
	}
}
