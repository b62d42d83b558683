package systems

import (
	"math"

	"github.com/bam-abm/bam/ecs"
)

// FirmsDecideDesiredProduction sets each firm's output target (spec §5.1).
// Production is zeroed, ρ_i ~ U(0, h_rho) is drawn for every firm, and with
// exact comparisons on last period's leftover inventory S_i:
//
//	Yd_i = Y_prev_i·(1+ρ_i)  if S_i == 0 and P_i ≥ P̄   (expand)
//	Yd_i = Y_prev_i·(1−ρ_i)  if S_i > 0 and P_i < P̄    (contract)
//	Yd_i = Y_prev_i          otherwise
type FirmsDecideDesiredProduction struct{}

// Name returns "firms_decide_desired_production".
func (FirmsDecideDesiredProduction) Name() string { return "firms_decide_desired_production" }

// Update applies the rule to every firm.
func (FirmsDecideDesiredProduction) Update(w *ecs.World) {
	pbar, h, r := w.Econ.AvgPrice, w.Params.HRho, w.Rand
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		f.Production = 0
		rho := r.Uniform(h)
		// +1 when sold out at a price ≥ P̄, −1 when stock is left at a
		// price < P̄, else 0 (yd·(1 ± ρ) and yd·1 are the exact products of
		// the two-case rule, computed without its unpredictable branches).
		up := b2i(f.Inventory == 0) & b2i(f.Price >= pbar)
		down := b2i(f.Inventory > 0) & b2i(f.Price < pbar)
		yd := f.ProductionPrev * (1 + rho*float64(up-down))
		f.DesiredProduction = yd
		f.ExpectedDemand = yd
	}
}

// FirmsPlanBreakevenPrice computes the planning-phase unit-cost floor from
// last period's costs and this period's target (spec §5.2):
//
//	breakeven_i = (W_i + Σ interest of i's loan records) / max(Yd_i, EPS)
//
// capped at cap_factor·P_i when cap_factor > 1.
type FirmsPlanBreakevenPrice struct{}

// Name returns "firms_plan_breakeven_price".
func (FirmsPlanBreakevenPrice) Name() string { return "firms_plan_breakeven_price" }

// Update applies the rule to every firm.
func (FirmsPlanBreakevenPrice) Update(w *ecs.World) {
	interest := w.Scratch.FirmF64A
	w.Loans.SumByBorrower(interest, w.Loans.Interest)
	capf := 0.0
	if c := w.Params.CapFactor; c != nil && *c > 1 {
		capf = *c
	}
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		be := (w.Firms.Employer[i].WageBill + interest[i]) / max(f.DesiredProduction, EPS)
		if capf > 0 {
			be = min(be, capf*f.Price)
		}
		f.BreakevenPrice = be
	}
}

// FirmsPlanPrice revises posted prices before the markets open (spec §5.3).
// η_i ~ U(0, h_eta) is drawn for every firm; with exact inventory tests:
//
//	P_i ← max(P_i·(1+η_i), breakeven_i)  if S_i == 0 and P_i < P̄   (raise)
//	P_i ← max(P_i·(1−η_i), breakeven_i)  if S_i > 0 and P_i ≥ P̄    (cut)
//	P_i unchanged (no floor)             otherwise
type FirmsPlanPrice struct{}

// Name returns "firms_plan_price".
func (FirmsPlanPrice) Name() string { return "firms_plan_price" }

// Update applies the rule to every firm.
func (FirmsPlanPrice) Update(w *ecs.World) {
	pbar, h, r := w.Econ.AvgPrice, w.Params.HEta, w.Rand
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		eta := r.Uniform(h)
		// The two-case rule without its unpredictable branches: ±1 picks
		// the case (P·(1 + η·(−1)) is exactly P·(1 − η)); 0 keeps P as is.
		up := b2i(f.Inventory == 0) & b2i(f.Price < pbar)
		down := b2i(f.Inventory > 0) & b2i(f.Price >= pbar)
		p := max(f.Price*(1+eta*float64(up-down)), f.BreakevenPrice)
		f.Price = pick(up|down != 0, p, f.Price)
	}
}

// FirmsDecideDesiredLabor sets labour demand (spec §5.4):
//
//	Ld_i = ceil(Yd_i / α_i)
//
// A non-finite or ≤ EPS productivity is replaced (persistently) by EPS.
type FirmsDecideDesiredLabor struct{}

// Name returns "firms_decide_desired_labor".
func (FirmsDecideDesiredLabor) Name() string { return "firms_decide_desired_labor" }

// Update applies the rule to every firm.
func (FirmsDecideDesiredLabor) Update(w *ecs.World) {
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		a := f.LaborProductivity
		if math.IsNaN(a) || math.IsInf(a, 0) || a <= EPS {
			a = EPS
			f.LaborProductivity = a
		}
		ld := math.Ceil(f.DesiredProduction / a)
		if ld > math.MaxInt32 {
			ld = math.MaxInt32
		}
		w.Firms.Employer[i].DesiredLabor = int32(ld)
	}
}

// FirmsDecideVacancies posts vacancies (spec §5.5): V_i = max(Ld_i − L_i, 0).
type FirmsDecideVacancies struct{}

// Name returns "firms_decide_vacancies".
func (FirmsDecideVacancies) Name() string { return "firms_decide_vacancies" }

// Update applies the rule to every firm.
func (FirmsDecideVacancies) Update(w *ecs.World) {
	employers := w.Firms.Employer
	for i := range employers {
		e := &employers[i]
		e.NVacancies = max(e.DesiredLabor-e.CurrentLabor, 0)
	}
}

// FirmsFireExcessWorkers lays off L_i − Ld_i uniformly chosen employees of
// every firm with more workers than it needs (spec §5.6). Laid-off workers
// are marked fired (not loyal). The wage bill is not touched. Nothing is
// drawn when no firm has excess labour.
type FirmsFireExcessWorkers struct{}

// Name returns "firms_fire_excess_workers".
func (FirmsFireExcessWorkers) Name() string { return "firms_fire_excess_workers" }

// Update applies the rule.
func (FirmsFireExcessWorkers) Update(w *ecs.World) {
	w.Econ.PlanningLayoffs = 0
	emp := w.Firms.Employer
	s := &w.Scratch
	over := s.FirmBool
	any := false
	for i := range emp {
		over[i] = emp[i].CurrentLabor > emp[i].DesiredLabor
		any = any || over[i]
	}
	if !any {
		return
	}
	groupByEmployer(w, over)
	for i := range emp {
		excess := emp[i].CurrentLabor - emp[i].DesiredLabor
		if excess <= 0 {
			continue
		}
		staff := s.Workforce[s.WorkforceStart[i]:s.WorkforceStart[i+1]]
		n := min(int(excess), len(staff))
		for k := 0; k < n; k++ {
			c := k + w.Rand.IntN(len(staff)-k)
			staff[k], staff[c] = staff[c], staff[k]
			layOff(w, staff[k], int32(i))
		}
		emp[i].CurrentLabor -= int32(n)
		w.Econ.PlanningLayoffs += n
	}
}
