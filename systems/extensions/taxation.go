package extensions

import (
	"math"

	"github.com/bam-abm/bam/ecs"
)

// ParamProfitTaxRate is the taxation extension's parameter (spec §2.3,
// §12.4).
const ParamProfitTaxRate = "profit_tax_rate"

var inf = math.Inf(1)

// FirmsTaxProfits taxes positive net profit (spec §12.4); it does nothing
// when profit_tax_rate ≤ 0. With τ = profit_tax_rate:
//
//	tax_i = τ·max(π_i, 0);  π_i −= tax_i;  cash_i −= tax_i
//
// The revenue leaves the economy (no government spending or transfers).
type FirmsTaxProfits struct{}

// Name returns "firms_tax_profits".
func (FirmsTaxProfits) Name() string { return "firms_tax_profits" }

// Update applies the rule to every firm.
func (FirmsTaxProfits) Update(w *ecs.World) {
	rate := w.Params.ExtValue(ParamProfitTaxRate)
	if rate <= 0 {
		return
	}
	bor := w.Firms.Borrower
	for i := range bor {
		b := &bor[i]
		tax := rate * max(b.NetProfit, 0)
		b.NetProfit -= tax
		b.TotalFunds -= tax
	}
}

// Taxation is the profit-tax extension of spec §12.4 (the entry-neutrality
// experiment of book §3.10.2). It inserts firms_tax_profits directly after
// firms_validate_debt_commitments; attached after [RnD] (a later batch) it
// therefore runs before the R&D events, as in spec §12.6. Parameter:
// profit_tax_rate = 0 (no tax).
var Taxation = &Extension{
	Name: "taxation",
	Doc:  "profit taxation (spec §12.4): a share profit_tax_rate of positive net profit is taxed away",
	Params: []ecs.ParamSpec{
		ecs.ExtFloat(ParamProfitTaxRate, 0, 0, 1, false, false, "tax rate on positive net profit; the revenue disappears (extension taxation)"),
	},
	Systems: []NamedFactory{
		{"firms_tax_profits", func(*ecs.World) ecs.System { return FirmsTaxProfits{} }},
	},
	Attach: func(w *ecs.World, p *ecs.Pipeline) error {
		if err := missing(p, anchorRevenue); err != nil {
			return err
		}
		return p.InsertAfter(anchorRevenue, FirmsTaxProfits{})
	},
}
