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
// (spec §5.17). The applications go to the world's [CreditMarket].
type FirmsPrepareLoanApplications struct {
	market  *CreditMarket
	lenders []int32   // the banks with positive supply
	rate    []float64 // every bank's posted rate, the queues' sort key
	sample  []int32   // one firm's applications
}

// NewFirmsPrepareLoanApplications returns the system for the agents of w
// and its credit market.
func NewFirmsPrepareLoanApplications(w *ecs.World) *FirmsPrepareLoanApplications {
	nb := w.Count(ecs.Banks)
	return &FirmsPrepareLoanApplications{
		market:  CreditMarketOf(w),
		lenders: make([]int32, 0, nb),
		rate:    make([]float64, nb),
		sample:  make([]int32, w.Params.MaxH),
	}
}

// Name returns "firms_prepare_loan_applications".
func (*FirmsPrepareLoanApplications) Name() string { return "firms_prepare_loan_applications" }

// Update builds the queues.
func (s *FirmsPrepareLoanApplications) Update(w *ecs.World) {
	w.Loans.Purge()
	s.market.Reset()
	banks := w.Banks.Lender
	lenders := s.lenders[:0]
	for k := range banks {
		if banks[k].CreditSupply > 0 {
			lenders = append(lenders, int32(k))
		}
	}
	if len(lenders) == 0 {
		return
	}
	rate := s.rate
	for k := range banks {
		rate[k] = banks[k].InterestRate
	}
	borrowers := w.Firms.Borrower
	for i := range borrowers {
		if borrowers[i].CreditDemand <= 0 {
			continue
		}
		queue := markets.SampleIndices(w.Rand, len(lenders), len(s.sample), -1, s.sample)
		for a, x := range queue {
			queue[a] = lenders[x]
		}
		sortByKey(queue, rate, false)
		s.market.Apply(int32(i), queue)
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
// boundary, and nothing after (see [CreditMarket.Round]). A loan is booked
// at the rate
//
//	r = r̄·(1 + φ_k·min(ℓ_i, max_leverage))
//
// and moves cash to the firm; B_i falls by the grant.
type CreditMarketRound struct {
	market  *CreditMarket
	request func(i int) float64 // req_i of the firms of the world it was built for
}

// NewCreditMarketRound returns a round of the credit market of w.
func NewCreditMarketRound(w *ecs.World) *CreditMarketRound {
	s := &CreditMarketRound{market: CreditMarketOf(w)}
	s.request = func(i int) float64 {
		b := &w.Firms.Borrower[i]
		req := b.CreditDemand
		if limit := w.Params.MaxLoanToNetWorth; limit > 0 {
			req = min(req, limit*b.NetWorth)
		}
		return req
	}
	return s
}

// Name returns "credit_market_round".
func (*CreditMarketRound) Name() string { return "credit_market_round" }

// Update runs the round and books the loans.
func (s *CreditMarketRound) Update(w *ecs.World) {
	p := &w.Params
	banks := w.Banks.Lender
	for _, a := range s.market.Round(w.Firms.Borrower, banks, s.request) {
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
type FirmsFireWorkers struct {
	staff *workforce
	short []bool // firms whose cash falls short of the wage bill
}

// NewFirmsFireWorkers returns the system for the agents of w.
func NewFirmsFireWorkers(w *ecs.World) *FirmsFireWorkers {
	nf := w.Count(ecs.Firms)
	return &FirmsFireWorkers{staff: newWorkforce(w.Count(ecs.Households), nf), short: make([]bool, nf)}
}

// Name returns "firms_fire_workers".
func (*FirmsFireWorkers) Name() string { return "firms_fire_workers" }

// Update applies the rule.
func (s *FirmsFireWorkers) Update(w *ecs.World) {
	w.Econ.CreditLayoffs = 0
	emp := w.Firms.Employer
	bor := w.Firms.Borrower
	short := s.short
	anyShort := false
	for i := range emp {
		short[i] = emp[i].WageBill-bor[i].TotalFunds > EPS
		anyShort = anyShort || short[i]
	}
	if !anyShort {
		return
	}
	s.staff.group(w.Households.Worker, emp, short)
	workers := w.Households.Worker
	for i := range emp {
		if !short[i] {
			continue
		}
		gap := emp[i].WageBill - bor[i].TotalFunds
		staff := s.staff.of(i)
		fired := 0.0
		n := 0
		for n < len(staff) && fired < gap {
			h := &workers[drawNext(w.Rand, staff, n)]
			fired += h.Wage
			layOff(h, int32(i))
			n++
		}
		emp[i].CurrentLabor -= int32(n)
		emp[i].WageBill -= fired
		w.Econ.CreditLayoffs += n
	}
}
