package extensions

import (
	"math"

	"github.com/bam-abm/bam/ecs"
)

// Parameters of the R&D extension (spec §2.3, §12.2).
const (
	ParamSigmaMin   = "sigma_min"
	ParamSigmaMax   = "sigma_max"
	ParamSigmaDecay = "sigma_decay"
)

// Anchor of the R&D and taxation events: both are inserted directly after it.
const anchorRevenue = "firms_validate_debt_commitments"

// RnDState is the per-firm state of the R&D extension (spec §12.2), added
// to every firm by [RnD] and initialised to 0. All fields are recomputed
// each period before they are used, so an entrant needs no reset; its
// productivity, which lives in Producer.LaborProductivity, is the slot's.
type RnDState struct {
	Sigma                 float64 `doc:"R&D share of net profit σ_i (extension rnd)"`
	Intensity             float64 `bam:"rnd_intensity" doc:"expected productivity gain μ_i (extension rnd)"`
	ProductivityIncrement float64 `doc:"this period's productivity gain z_i (extension rnd)"`
	// Fragility is unrelated to the credit market's
	// Borrower.ProjectedFragility.
	Fragility float64 `doc:"wage bill / net worth ψ_i (extension rnd)"`
}

const rndKey = "extensions.rnd"

// rndView returns the view function of the firms' RnDState, adding the
// component on first use.
func rndView(w *ecs.World) (func() []RnDState, error) {
	if v, ok := w.Resource(rndKey).(func() []RnDState); ok {
		return v, nil
	}
	v, err := ecs.AddComponent[RnDState](w, ecs.Firms)
	if err != nil {
		return nil, err
	}
	w.SetResource(rndKey, v)
	return v, nil
}

// RnDStates returns the firms' R&D state (slot-indexed, aliasing the
// storage), or nil if the R&D state is not attached to w. Call it again
// after any structural change of the world.
func RnDStates(w *ecs.World) []RnDState {
	if v, ok := w.Resource(rndKey).(func() []RnDState); ok {
		return v()
	}
	return nil
}

// FirmsComputeRnDIntensity sets each firm's R&D share and intensity (spec
// §12.2, event 1):
//
//	ψ_i = W_i / A_i if A_i > 0, else 0
//	σ_i = sigma_min + (sigma_max − sigma_min)·exp(sigma_decay·ψ_i);  σ_i = 0 if π_i ≤ 0
//	μ_i = max(σ_i·π_i / (P_i·Y_i), 0) if Y_i > 0, else 0
//
// with W the wage bill, A the (start-of-period) net worth, π the net profit
// just computed by firms_validate_debt_commitments (net of tax when
// firms_tax_profits runs first), and P·Y the value of this period's output
// at the posted price.
type FirmsComputeRnDIntensity struct{ state func() []RnDState }

// NewFirmsComputeRnDIntensity returns the system, adding [RnDState] to the
// firms of w if they do not have it yet.
func NewFirmsComputeRnDIntensity(w *ecs.World) (*FirmsComputeRnDIntensity, error) {
	v, err := rndView(w)
	if err != nil {
		return nil, err
	}
	return &FirmsComputeRnDIntensity{v}, nil
}

// Name returns "firms_compute_rnd_intensity".
func (*FirmsComputeRnDIntensity) Name() string { return "firms_compute_rnd_intensity" }

// Update applies the rule to every firm.
func (s *FirmsComputeRnDIntensity) Update(w *ecs.World) {
	st := s.state()
	lo, hi := w.Params.ExtValue(ParamSigmaMin), w.Params.ExtValue(ParamSigmaMax)
	decay := w.Params.ExtValue(ParamSigmaDecay)
	prod, emp, bor := w.Firms.Producer, w.Firms.Employer, w.Firms.Borrower
	for i := range st {
		b := &bor[i]
		psi := 0.0
		if b.NetWorth > 0 {
			psi = emp[i].WageBill / b.NetWorth
		}
		sigma := 0.0 // σ_i = 0 if π_i ≤ 0
		if b.NetProfit > 0 {
			sigma = lo + (hi-lo)*math.Exp(decay*psi)
		}
		mu := 0.0
		if f := &prod[i]; f.Production > 0 {
			mu = sigma * b.NetProfit / (f.Price * f.Production)
		}
		r := &st[i]
		r.Fragility, r.Sigma, r.Intensity = psi, sigma, max(mu, 0)
	}
}

// FirmsApplyProductivityGrowth draws each firm's productivity gain (spec
// §12.2, event 2): z_i ~ Exponential with mean μ_i for firms with μ_i > 0
// (one w.Rand.Exp draw each, in slot order), z_i = 0 otherwise; then
// α_i ← α_i + z_i.
type FirmsApplyProductivityGrowth struct{ state func() []RnDState }

// NewFirmsApplyProductivityGrowth returns the system, adding [RnDState] to
// the firms of w if they do not have it yet.
func NewFirmsApplyProductivityGrowth(w *ecs.World) (*FirmsApplyProductivityGrowth, error) {
	v, err := rndView(w)
	if err != nil {
		return nil, err
	}
	return &FirmsApplyProductivityGrowth{v}, nil
}

// Name returns "firms_apply_productivity_growth".
func (*FirmsApplyProductivityGrowth) Name() string { return "firms_apply_productivity_growth" }

// Update applies the rule to every firm.
func (s *FirmsApplyProductivityGrowth) Update(w *ecs.World) {
	st := s.state()
	prod := w.Firms.Producer
	for i := range st {
		r := &st[i]
		z := 0.0
		if r.Intensity > 0 {
			z = w.Rand.Exp(r.Intensity)
		}
		r.ProductivityIncrement = z
		prod[i].LaborProductivity += z
	}
}

// FirmsDeductRnDExpenditure removes the R&D outlay from net profit (spec
// §12.2, event 3): π_i ← π_i·(1 − σ_i). Cash is not reduced: the outlay
// leaves the economy, and firms_update_net_worth re-synchronises cash to
// net worth. (bamengine registers this event as
// firms_deduct_rn_d_expenditure.)
type FirmsDeductRnDExpenditure struct{ state func() []RnDState }

// NewFirmsDeductRnDExpenditure returns the system, adding [RnDState] to the
// firms of w if they do not have it yet.
func NewFirmsDeductRnDExpenditure(w *ecs.World) (*FirmsDeductRnDExpenditure, error) {
	v, err := rndView(w)
	if err != nil {
		return nil, err
	}
	return &FirmsDeductRnDExpenditure{v}, nil
}

// Name returns "firms_deduct_rnd_expenditure".
func (*FirmsDeductRnDExpenditure) Name() string { return "firms_deduct_rnd_expenditure" }

// Update applies the rule to every firm.
func (s *FirmsDeductRnDExpenditure) Update(w *ecs.World) {
	st := s.state()
	bor := w.Firms.Borrower
	for i := range st {
		bor[i].NetProfit *= 1 - st[i].Sigma
	}
}

// RnD is the R&D ("Growth+") extension of spec §12.2: firms spend a share
// of their net profit on R&D and draw productivity gains. It adds
// [RnDState] to the firms and inserts, in one batch directly after
// firms_validate_debt_commitments,
//
//	firms_compute_rnd_intensity, firms_apply_productivity_growth, firms_deduct_rnd_expenditure
//
// Parameters: sigma_min = 0, sigma_max = 0.1, sigma_decay = −1.
var RnD = &Extension{
	Name: "rnd",
	Doc:  "R&D / Growth+ (spec §12.2): firms invest a share of net profit in R&D and draw productivity gains",
	Params: []ecs.ParamSpec{
		ecs.ExtFloat(ParamSigmaMin, 0, 0, 1, false, false, "R&D share of net profit as fragility grows large (extension rnd)"),
		ecs.ExtFloat(ParamSigmaMax, 0.1, 0, 1, false, false, "R&D share of net profit at zero fragility (extension rnd)"),
		// sigma_decay <= 0 keeps σ between sigma_min and sigma_max (ψ >= 0,
		// so exp(sigma_decay·ψ) is in (0, 1]): a positive value would make σ
		// grow past sigma_max with fragility, and past 1 (an R&D outlay larger
		// than the profit) or to +Inf, which the spec's "share" excludes.
		ecs.ExtFloat(ParamSigmaDecay, -1, math.Inf(-1), 0, false, false,
			"decay of the R&D share with fragility psi: sigma = sigma_min + (sigma_max - sigma_min) exp(sigma_decay psi) (extension rnd)"),
	},
	Variables: stateVariables("RnD", ecs.Firms, RnDStates),
	Systems: []NamedFactory{
		{"firms_compute_rnd_intensity", func(w *ecs.World) ecs.System { return orNil(NewFirmsComputeRnDIntensity(w)) }},
		{"firms_apply_productivity_growth", func(w *ecs.World) ecs.System { return orNil(NewFirmsApplyProductivityGrowth(w)) }},
		{"firms_deduct_rnd_expenditure", func(w *ecs.World) ecs.System { return orNil(NewFirmsDeductRnDExpenditure(w)) }},
	},
	Attach: func(w *ecs.World, p *ecs.Pipeline) error {
		if err := missing(p, anchorRevenue); err != nil {
			return err
		}
		c, err := NewFirmsComputeRnDIntensity(w)
		if err != nil {
			return err
		}
		a, err := NewFirmsApplyProductivityGrowth(w)
		if err != nil {
			return err
		}
		d, err := NewFirmsDeductRnDExpenditure(w)
		if err != nil {
			return err
		}
		return p.InsertAfter(anchorRevenue, c, a, d)
	},
}

// orNil turns a constructor's result into a factory's: the system, or an
// untyped nil (which the registry reports) on error.
func orNil[S ecs.System](s S, err error) ecs.System {
	if err != nil {
		return nil
	}
	return s
}
