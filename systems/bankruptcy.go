package systems

import (
	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

// FirmsUpdateNetWorth books retained profit and re-synchronises cash with
// equity (spec §5.33): A_i += retained_i;  cash_i = max(A_i, 0).
type FirmsUpdateNetWorth struct{}

// Name returns "firms_update_net_worth".
func (FirmsUpdateNetWorth) Name() string { return "firms_update_net_worth" }

// Update applies the rule to every firm.
func (FirmsUpdateNetWorth) Update(w *ecs.World) {
	borrowers := w.Firms.Borrower
	for i := range borrowers {
		b := &borrowers[i]
		b.NetWorth += b.RetainedProfit
		b.TotalFunds = max(b.NetWorth, 0)
	}
}

// MarkBankruptFirms marks the firms that exit (spec §5.34): net worth < EPS
// or no output this period. Their employees are laid off without a loyalty
// link, L_i and W_i are zeroed, and their loan records are deleted.
// Workers whose contract with the firm already expired, and consumers whose
// loyalty firm it was, keep their links (to the entrant in the slot).
type MarkBankruptFirms struct{}

// Name returns "mark_bankrupt_firms".
func (MarkBankruptFirms) Name() string { return "mark_bankrupt_firms" }

// Update marks the exits.
func (MarkBankruptFirms) Update(w *ecs.World) {
	e := &w.Econ
	e.ExitingFirms = e.ExitingFirms[:0]
	clear(e.FirmExiting)
	for i := range w.Firms.Borrower {
		if w.Firms.Borrower[i].NetWorth < EPS || w.Firms.Producer[i].ProductionPrev <= EPS {
			e.ExitingFirms = append(e.ExitingFirms, int32(i))
			e.FirmExiting[i] = true
		}
	}
	if len(e.ExitingFirms) == 0 {
		return
	}
	// The exiting firms' workers lose their job without a loyalty link.
	workers, exiting := w.Households.Worker, e.FirmExiting
	for j := range workers {
		if h := &workers[j]; atExitingFirm(h, exiting) {
			*h = components.Worker{Employer: -1, EmployerPrev: -1}
		}
	}
	for _, i := range e.ExitingFirms {
		w.Firms.Employer[i].CurrentLabor = 0
		w.Firms.Employer[i].WageBill = 0
	}
	w.Loans.RemoveBorrowers(e.FirmExiting)
}

// MarkBankruptBanks marks the banks with equity < EPS as exiting and deletes
// their loan records (spec §5.35).
type MarkBankruptBanks struct{}

// Name returns "mark_bankrupt_banks".
func (MarkBankruptBanks) Name() string { return "mark_bankrupt_banks" }

// Update marks the exits.
func (MarkBankruptBanks) Update(w *ecs.World) {
	e := &w.Econ
	e.ExitingBanks = e.ExitingBanks[:0]
	clear(e.BankExiting)
	for k := range w.Banks.Lender {
		if w.Banks.Lender[k].EquityBase < EPS {
			e.ExitingBanks = append(e.ExitingBanks, int32(k))
			e.BankExiting[k] = true
		}
	}
	if len(e.ExitingBanks) > 0 {
		w.Loans.RemoveLenders(e.BankExiting)
	}
}
