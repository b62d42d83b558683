package extensions

import "github.com/bam-abm/bam/ecs"

// ParamBufferStockH is the buffer-stock extension's parameter: the target
// savings-to-income ratio h (spec §2.3, §12.3).
const ParamBufferStockH = "buffer_stock_h"

// The baseline events the buffer-stock extension replaces.
const (
	anchorPropensity = "consumers_calc_propensity"
	anchorSpending   = "consumers_decide_income_to_spend"
)

// BufferStockState is the per-household state of the buffer-stock
// extension (spec §12.3), added to every household by [BufferStock] and
// initialised to 0.
type BufferStockState struct {
	// PrevIncome is W_{t−1}.
	PrevIncome float64 `doc:"previous period's wage income (extension buffer_stock)"`
	// Propensity can exceed 1. The baseline Consumer.Propensity is no
	// longer updated.
	Propensity float64 `doc:"buffer-stock propensity to consume (extension buffer_stock)"`
}

const bufferStockKey = "extensions.buffer_stock"

// bufferStockView returns the view function of the households'
// BufferStockState, adding the component on first use.
func bufferStockView(w *ecs.World) (func() []BufferStockState, error) {
	if v, ok := w.Resource(bufferStockKey).(func() []BufferStockState); ok {
		return v, nil
	}
	v, err := ecs.AddComponent[BufferStockState](w, ecs.Households)
	if err != nil {
		return nil, err
	}
	w.SetResource(bufferStockKey, v)
	return v, nil
}

// BufferStockStates returns the households' buffer-stock state
// (slot-indexed, aliasing the storage), or nil if it is not attached to w.
// Call it again after any structural change of the world.
func BufferStockStates(w *ecs.World) []BufferStockState {
	if v, ok := w.Resource(bufferStockKey).(func() []BufferStockState); ok {
		return v()
	}
	return nil
}

// ConsumersCalcBufferStockPropensity sets the buffer-stock propensity to
// consume (spec §12.3, event 1; it replaces consumers_calc_propensity).
// With W = this period's wage income, W' = the previous one, S = savings
// and h = buffer_stock_h:
//
//	W > 0, W' > 0:  g = max(W/W' − 1, −0.99);  c = 1 + (S/W' − h − h·g) / (1 + g)   (book eq. 3.20)
//	W > 0, W' ≤ 0:  c = 1 − h + S/W        (just re-employed)
//	W ≤ 0:          c = 1/h                 (unemployed)
//	c = max(c, 0)
type ConsumersCalcBufferStockPropensity struct {
	state func() []BufferStockState
}

// NewConsumersCalcBufferStockPropensity returns the system, adding
// [BufferStockState] to the households of w if they do not have it yet.
func NewConsumersCalcBufferStockPropensity(w *ecs.World) (*ConsumersCalcBufferStockPropensity, error) {
	v, err := bufferStockView(w)
	if err != nil {
		return nil, err
	}
	return &ConsumersCalcBufferStockPropensity{v}, nil
}

// Name returns "consumers_calc_buffer_stock_propensity".
func (*ConsumersCalcBufferStockPropensity) Name() string {
	return "consumers_calc_buffer_stock_propensity"
}

// Update applies the rule to every household.
func (s *ConsumersCalcBufferStockPropensity) Update(w *ecs.World) {
	st := s.state()
	h := w.Params.ExtValue(ParamBufferStockH)
	cons := w.Households.Consumer
	for j := range st {
		inc, prev, sav := cons[j].Income, st[j].PrevIncome, cons[j].Savings
		var c float64
		switch {
		case inc > 0 && prev > 0:
			g := max(inc/prev-1, -0.99)
			d := sav/prev - h
			c = 1 + (d-h*g)/(1+g)
		case inc > 0:
			c = 1 - h + sav/inc
		default:
			c = 1 / h
		}
		st[j].Propensity = max(c, 0)
	}
}

// ConsumersDecideBufferStockSpending sets the budget from the buffer-stock
// propensity (spec §12.3, event 2; it replaces
// consumers_decide_income_to_spend):
//
//	budget = c·W if W > 0, else c·S;  budget = max(min(budget, S + W), 0)
//	prev_income ← W;  income_to_spend ← budget;  savings ← max(S + W − budget, 0);  income ← 0
type ConsumersDecideBufferStockSpending struct {
	state func() []BufferStockState
}

// NewConsumersDecideBufferStockSpending returns the system, adding
// [BufferStockState] to the households of w if they do not have it yet.
func NewConsumersDecideBufferStockSpending(w *ecs.World) (*ConsumersDecideBufferStockSpending, error) {
	v, err := bufferStockView(w)
	if err != nil {
		return nil, err
	}
	return &ConsumersDecideBufferStockSpending{v}, nil
}

// Name returns "consumers_decide_buffer_stock_spending".
func (*ConsumersDecideBufferStockSpending) Name() string {
	return "consumers_decide_buffer_stock_spending"
}

// Update applies the rule to every household.
func (s *ConsumersDecideBufferStockSpending) Update(w *ecs.World) {
	st := s.state()
	cons := w.Households.Consumer
	for j := range st {
		c := &cons[j]
		inc, sav := c.Income, c.Savings
		budget := st[j].Propensity * sav
		if inc > 0 {
			budget = st[j].Propensity * inc
		}
		budget = max(min(budget, sav+inc), 0)
		st[j].PrevIncome = inc
		c.IncomeToSpend = budget
		c.Savings = max(sav+inc-budget, 0)
		c.Income = 0
	}
}

// BufferStock is the buffer-stock consumption extension of spec §12.3: each
// household targets savings of h times its income. It adds
// [BufferStockState] to the households and replaces
//
//	consumers_calc_propensity        → consumers_calc_buffer_stock_propensity
//	consumers_decide_income_to_spend → consumers_decide_buffer_stock_spending
//
// Parameter: buffer_stock_h = 2. The validation scenario buffer_stock
// attaches it together with [RnD].
var BufferStock = &Extension{
	Name: "buffer_stock",
	Doc:  "buffer-stock consumption (spec §12.3): households target savings of buffer_stock_h times their income",
	Params: []ecs.ParamSpec{
		ecs.ExtFloat(ParamBufferStockH, 2, 0, inf, true, false, "target savings-to-income ratio h (extension buffer_stock)"),
	},
	Variables: stateVariables("BufferStock", ecs.Households, BufferStockStates),
	Systems: []NamedFactory{
		{"consumers_calc_buffer_stock_propensity", func(w *ecs.World) ecs.System {
			return orNil(NewConsumersCalcBufferStockPropensity(w))
		}},
		{"consumers_decide_buffer_stock_spending", func(w *ecs.World) ecs.System {
			return orNil(NewConsumersDecideBufferStockSpending(w))
		}},
	},
	Attach: func(w *ecs.World, p *ecs.Pipeline) error {
		if err := missing(p, anchorPropensity, anchorSpending); err != nil {
			return err
		}
		c, err := NewConsumersCalcBufferStockPropensity(w)
		if err != nil {
			return err
		}
		d, err := NewConsumersDecideBufferStockSpending(w)
		if err != nil {
			return err
		}
		if err := p.Replace(anchorPropensity, c); err != nil {
			return err
		}
		return p.Replace(anchorSpending, d)
	},
}
