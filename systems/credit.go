package systems

import (
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/markets"
)

// BanksDecideCreditSupply sets each bank's lendable amount (spec §5.13):
// credit_supply_k = max(E_k / v, 0).
type BanksDecideCreditSupply struct{}

// Name returns "banks_decide_credit_supply".
func (BanksDecideCreditSupply) Name() string { return "banks_decide_credit_supply" }

// Update applies the rule to every bank.
func (BanksDecideCreditSupply) Update(w *ecs.World) {
	v := w.Params.V
	lenders := w.Banks.Lender
	for k := range lenders {
		b := &lenders[k]
		b.CreditSupply = max(b.EquityBase/v, 0)
	}
}

// BanksDecideInterestRate draws each bank's cost shock φ_k ~ U(0, h_phi) and
// posts r_k = r̄·(1 + φ_k), which firms use only to rank banks (spec §5.14).
type BanksDecideInterestRate struct{}

// Name returns "banks_decide_interest_rate".
func (BanksDecideInterestRate) Name() string { return "banks_decide_interest_rate" }

// Update applies the rule to every bank.
func (BanksDecideInterestRate) Update(w *ecs.World) {
	rbar, h, r := w.Params.RBar, w.Params.HPhi, w.Rand
	lenders := w.Banks.Lender
	for k := range lenders {
		b := &lenders[k]
		b.OpexShock = r.Uniform(h)
		b.InterestRate = rbar * (1 + b.OpexShock)
	}
}

// FirmsDecideCreditDemand sets B_i = max(W_i − cash_i, 0) (spec §5.15).
type FirmsDecideCreditDemand struct{}

// Name returns "firms_decide_credit_demand".
func (FirmsDecideCreditDemand) Name() string { return "firms_decide_credit_demand" }

// Update applies the rule to every firm.
func (FirmsDecideCreditDemand) Update(w *ecs.World) {
	borrowers := w.Firms.Borrower
	for i := range borrowers {
		b := &borrowers[i]
		b.CreditDemand = max(w.Firms.Employer[i].WageBill-b.TotalFunds, 0)
	}
}

// FirmsCalcFinancialFragility sets ℓ_i = B_i / A_i, or max_leverage when
// A_i ≤ 0 (spec §5.16). No cap is applied here.
type FirmsCalcFinancialFragility struct{}

// Name returns "firms_calc_financial_fragility".
func (FirmsCalcFinancialFragility) Name() string { return "firms_calc_financial_fragility" }

// Update applies the rule to every firm.
func (FirmsCalcFinancialFragility) Update(w *ecs.World) {
	lev := w.Params.MaxLeverage
	borrowers := w.Firms.Borrower
	for i := range borrowers {
		b := &borrowers[i]
		if b.NetWorth > 0 {
			b.ProjectedFragility = b.CreditDemand / b.NetWorth
		} else {
			b.ProjectedFragility = lev
		}
	}
}

// FirmsPrepareLoanApplications purges the loan book and gives every firm
// with credit demand a queue of min(max_H, #lenders) distinct banks with
// positive supply, drawn uniformly and sorted by posted rate ascending
// (spec §5.17).
type FirmsPrepareLoanApplications struct{}

// Name returns "firms_prepare_loan_applications".
func (FirmsPrepareLoanApplications) Name() string { return "firms_prepare_loan_applications" }

// Update builds the queues.
func (FirmsPrepareLoanApplications) Update(w *ecs.World) {
	w.Loans.Purge()
	s := &w.Scratch
	for i := range s.LoanCursor {
		s.LoanCursor[i] = -1
	}
	banks := w.Banks.Lender
	lenders := s.BankI32[:0]
	for k := range banks {
		if banks[k].CreditSupply > 0 {
			lenders = append(lenders, int32(k))
		}
	}
	if len(lenders) == 0 {
		return
	}
	rate := s.BankF64
	for k := range banks {
		rate[k] = banks[k].InterestRate
	}
	m := w.Params.MaxH
	k := min(m, len(lenders))
	for i := range w.Firms.Borrower {
		if w.Firms.Borrower[i].CreditDemand <= 0 {
			continue
		}
		sample := markets.SampleIndices(w.Rand, len(lenders), k, -1, s.Sample)
		for a, x := range sample {
			sample[a] = lenders[x]
		}
		sortByKey(sample, rate, false)
		row := s.LoanQueue[i*m : (i+1)*m]
		n := copy(row, sample)
		for a := n; a < m; a++ {
			row[a] = -1
		}
		s.LoanCursor[i] = 0
	}
}

// CreditMarketRound is one synchronous credit round (spec §5.18), run max_H
// times. Every firm with remaining demand applies to the next bank of its
// queue; each bank with supply > EPS serves its applicants in ascending
// projected fragility (ties by firm slot), lending each its request
//
//	req_i = min(B_i, max_loan_to_net_worth·A_i)
//
// while the running total stays within its supply, a partial loan at the
// boundary, and nothing after. A loan is booked at the rate
//
//	r = r̄·(1 + φ_k·min(ℓ_i, max_leverage))
//
// and moves cash to the firm; B_i falls by the grant.
type CreditMarketRound struct{}

// Name returns "credit_market_round".
func (CreditMarketRound) Name() string { return "credit_market_round" }

// Update runs the round: gather applications, allocate, scatter loans.
func (CreditMarketRound) Update(w *ecs.World) {
	s := &w.Scratch
	p := &w.Params
	m := p.MaxH
	banks := w.Banks.Lender
	apps := s.CreditApps[:0]
	borrowers := w.Firms.Borrower
	for i := range borrowers {
		b := &borrowers[i]
		c := s.LoanCursor[i]
		if b.CreditDemand <= 0 || c < 0 {
			continue
		}
		row := s.LoanQueue[i*m : (i+1)*m]
		k := row[c]
		c++
		if int(c) >= m || row[c] < 0 {
			c = -1
		}
		s.LoanCursor[i] = c
		if k < 0 || banks[k].CreditSupply <= EPS {
			continue
		}
		req := b.CreditDemand
		if p.MaxLoanToNetWorth > 0 {
			req = min(req, p.MaxLoanToNetWorth*b.NetWorth)
		}
		apps = append(apps, markets.CreditApp{Firm: int32(i), Bank: k, Fragility: b.ProjectedFragility, Request: req})
	}
	s.CreditApps = apps
	if len(apps) == 0 {
		return
	}
	supply := s.BankF64
	for k := range banks {
		supply[k] = banks[k].CreditSupply
	}
	markets.CreditRound(apps, supply)
	for k := range banks {
		banks[k].CreditSupply = supply[k]
	}
	for _, a := range apps {
		if a.Grant <= EPS {
			continue
		}
		b := &w.Firms.Borrower[a.Firm]
		l := b.ProjectedFragility
		if p.MaxLeverage > 0 {
			l = min(l, p.MaxLeverage)
		}
		w.Loans.Append(a.Firm, a.Bank, a.Grant, p.RBar*(1+banks[a.Bank].OpexShock*l))
		b.TotalFunds += a.Grant
		b.CreditDemand = max(b.CreditDemand-a.Grant, 0)
	}
}

// FirmsFireWorkers lays off workers of firms whose cash after borrowing
// does not cover the wage bill (spec §5.19): for a gap W_i − cash_i > EPS,
// employees are taken in uniformly random order until their wages cover the
// gap (everybody if they never do). L_i and W_i fall accordingly.
type FirmsFireWorkers struct{}

// Name returns "firms_fire_workers".
func (FirmsFireWorkers) Name() string { return "firms_fire_workers" }

// Update applies the rule.
func (FirmsFireWorkers) Update(w *ecs.World) {
	w.Econ.CreditLayoffs = 0
	emp := w.Firms.Employer
	bor := w.Firms.Borrower
	s := &w.Scratch
	short := s.FirmBool
	any := false
	for i := range emp {
		short[i] = emp[i].WageBill-bor[i].TotalFunds > EPS
		any = any || short[i]
	}
	if !any {
		return
	}
	groupByEmployer(w, short)
	hh := w.Households.Worker
	for i := range emp {
		gap := emp[i].WageBill - bor[i].TotalFunds
		if gap <= EPS {
			continue
		}
		staff := s.Workforce[s.WorkforceStart[i]:s.WorkforceStart[i+1]]
		fired := 0.0
		n := 0
		for n < len(staff) && fired < gap {
			c := n + w.Rand.IntN(len(staff)-n)
			staff[n], staff[c] = staff[c], staff[n]
			fired += hh[staff[n]].Wage
			layOff(w, staff[n], int32(i))
			n++
		}
		emp[i].CurrentLabor -= int32(n)
		emp[i].WageBill -= fired
		w.Econ.CreditLayoffs += n
	}
}
