package systems

import "github.com/bam-abm/bam/ecs"

// FirmsCollectRevenue books sales (spec §5.30):
//
//	revenue_i = P_i·(Y_i − S_i);  cash_i += revenue_i;  gross_profit_i = revenue_i − W_i
type FirmsCollectRevenue struct{}

// Name returns "firms_collect_revenue".
func (FirmsCollectRevenue) Name() string { return "firms_collect_revenue" }

// Update applies the rule to every firm.
func (FirmsCollectRevenue) Update(w *ecs.World) {
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		b := &w.Firms.Borrower[i]
		rev := f.Price * (f.Production - f.Inventory)
		b.TotalFunds += rev
		b.GrossProfit = rev - w.Firms.Employer[i].WageBill
	}
}

// FirmsValidateDebtCommitments settles this period's loans (spec §5.31).
// With debt_i = Σ p(1+r), interest_i = Σ p·r and principal_i = Σ p over
// firm i's loans:
//
//   - a firm with cash_i − debt_i ≥ −EPS repays: cash_i −= debt_i, and each
//     lender's equity grows by its loan's interest;
//   - otherwise it defaults: cash_i ← 0 and each lender loses
//     p − clamp(p/principal_i · A_i, 0, p);
//   - every firm: net_profit_i = gross_profit_i − interest_i.
//
// Loan records are kept (next period's breakeven price reads them).
type FirmsValidateDebtCommitments struct {
	// every firm's Σ p(1+r), Σ p·r and Σ p over its loans, and whether
	// it repays them
	debt, interest, principal []float64
	repays                    []bool
}

// NewFirmsValidateDebtCommitments returns the system for the firms of w.
func NewFirmsValidateDebtCommitments(w *ecs.World) *FirmsValidateDebtCommitments {
	nf := w.Count(ecs.Firms)
	return &FirmsValidateDebtCommitments{
		debt: make([]float64, nf), interest: make([]float64, nf), principal: make([]float64, nf),
		repays: make([]bool, nf),
	}
}

// Name returns "firms_validate_debt_commitments".
func (*FirmsValidateDebtCommitments) Name() string { return "firms_validate_debt_commitments" }

// Update settles every loan.
func (s *FirmsValidateDebtCommitments) Update(w *ecs.World) {
	bor := w.Firms.Borrower
	lb := w.Loans
	debt, interest, principal := s.debt, s.interest, s.principal
	lb.SumByBorrower(debt, lb.Debt)
	lb.SumByBorrower(interest, lb.Interest)
	lb.SumByBorrower(principal, lb.Principal)
	repays := s.repays
	for i := range bor {
		repays[i] = bor[i].TotalFunds-debt[i] >= -EPS
	}
	banks := w.Banks.Lender
	for r, i := range lb.Borrower {
		if debt[i] <= EPS {
			continue
		}
		k := lb.Lender[r]
		if repays[i] {
			banks[k].EquityBase += lb.Interest[r]
		} else {
			p := lb.Principal[r]
			rec := min(max(p/max(principal[i], EPS)*bor[i].NetWorth, 0), p)
			banks[k].EquityBase -= p - rec
		}
	}
	for i := range bor {
		b := &bor[i]
		if debt[i] > EPS {
			if repays[i] {
				b.TotalFunds -= debt[i]
			} else {
				b.TotalFunds = 0
			}
		}
		b.NetProfit = b.GrossProfit - interest[i]
	}
}

// FirmsPayDividends pays δ of positive net profit to the households, shared
// equally into their savings (spec §5.32):
//
//	retained_i = (1−δ)·π_i if π_i > 0, else π_i;  div_i = π_i − retained_i
type FirmsPayDividends struct{}

// Name returns "firms_pay_dividends".
func (FirmsPayDividends) Name() string { return "firms_pay_dividends" }

// Update applies the rule.
func (FirmsPayDividends) Update(w *ecs.World) {
	delta := w.Params.Delta
	total := 0.0
	borrowers := w.Firms.Borrower
	for i := range borrowers {
		b := &borrowers[i]
		ret := pick(b.NetProfit > 0, b.NetProfit*(1-delta), b.NetProfit)
		b.RetainedProfit = ret
		div := b.NetProfit - ret
		b.TotalFunds -= div
		total += div
	}
	hh := w.Households
	if len(hh.Consumer) == 0 {
		return
	}
	per := total / float64(len(hh.Consumer))
	for j := range hh.Consumer {
		hh.Consumer[j].Savings += per
		hh.Shareholder[j].Dividends = per
	}
}
