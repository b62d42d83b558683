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
		expand := both(f.Inventory == 0, f.Price >= pbar)
		contract := both(f.Inventory > 0, f.Price < pbar)
		yd := f.ProductionPrev * (1 + direction(expand, contract)*rho) // Y(1+ρ), Y(1−ρ) or Y, exactly
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
type FirmsPlanBreakevenPrice struct {
	interest []float64 // every firm's interest, Σ over its loan records
}

// NewFirmsPlanBreakevenPrice returns the system for the firms of w.
func NewFirmsPlanBreakevenPrice(w *ecs.World) *FirmsPlanBreakevenPrice {
	return &FirmsPlanBreakevenPrice{interest: make([]float64, w.Count(ecs.Firms))}
}

// Name returns "firms_plan_breakeven_price".
func (*FirmsPlanBreakevenPrice) Name() string { return "firms_plan_breakeven_price" }

// Update applies the rule to every firm.
func (s *FirmsPlanBreakevenPrice) Update(w *ecs.World) {
	interest := s.interest
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
		raise := both(f.Inventory == 0, f.Price < pbar)
		cut := both(f.Inventory > 0, f.Price >= pbar)
		revised := max(f.Price*(1+direction(raise, cut)*eta), f.BreakevenPrice) // P(1±η), floored
		f.Price = pick(raise || cut, revised, f.Price)
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
type FirmsFireExcessWorkers struct {
	staff *workforce
	over  []bool // firms with L_i > Ld_i
}

// NewFirmsFireExcessWorkers returns the system for the agents of w.
func NewFirmsFireExcessWorkers(w *ecs.World) *FirmsFireExcessWorkers {
	nf := w.Count(ecs.Firms)
	return &FirmsFireExcessWorkers{staff: newWorkforce(w.Count(ecs.Households), nf), over: make([]bool, nf)}
}

// Name returns "firms_fire_excess_workers".
func (*FirmsFireExcessWorkers) Name() string { return "firms_fire_excess_workers" }

// Update applies the rule.
func (s *FirmsFireExcessWorkers) Update(w *ecs.World) {
	w.Econ.PlanningLayoffs = 0
	emp, over := w.Firms.Employer, s.over
	anyOver := false
	for i := range emp {
		over[i] = emp[i].CurrentLabor > emp[i].DesiredLabor
		anyOver = anyOver || over[i]
	}
	if !anyOver {
		return
	}
	s.staff.group(w.Households.Worker, emp, over)
	for i := range emp {
		if !over[i] {
			continue
		}
		staff := s.staff.of(i)
		n := min(int(emp[i].CurrentLabor-emp[i].DesiredLabor), len(staff))
		for k := range n {
			layOff(&w.Households.Worker[drawNext(w.Rand, staff, k)], int32(i))
		}
		emp[i].CurrentLabor -= int32(n)
		w.Econ.PlanningLayoffs += n
	}
}
