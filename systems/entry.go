package systems

import (
	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

// SpawnReplacementFirms re-initialises every exiting firm's slot as an
// entrant (spec §5.36). With 5 %-trimmed means over the survivors,
//
//	A = cash = new_firm_size_factor·mean(net worth)
//	Y = Y_prev = new_firm_production_factor·mean(output)
//	P = new_firm_price_markup·P̄
//	w = max(new_firm_wage_factor·mean(wage of employed households), ŵ)
//
// and every other state variable is zeroed; labour productivity stays with
// the slot. If every firm exits the economy collapses.
type SpawnReplacementFirms struct{}

// Name returns "spawn_replacement_firms".
func (SpawnReplacementFirms) Name() string { return "spawn_replacement_firms" }

// Update spawns the entrants.
func (SpawnReplacementFirms) Update(w *ecs.World) {
	e := &w.Econ
	nf := len(w.Firms.Producer)
	if len(e.ExitingFirms) == 0 {
		return
	}
	if len(e.ExitingFirms) == nf {
		e.Collapsed = true
		return
	}
	s := &w.Scratch
	nw, prod := s.FirmF64A[:0], s.FirmF64B[:0]
	for i := 0; i < nf; i++ {
		if !e.FirmExiting[i] {
			nw = append(nw, w.Firms.Borrower[i].NetWorth)
			prod = append(prod, w.Firms.Producer[i].Production)
		}
	}
	// The wages of the employed, in household order (a branch-free
	// compaction: each wage is written, the count moves on when employed).
	all := s.HouseholdF64
	ne := 0
	workers := w.Households.Worker
	for j := range workers {
		h := &workers[j]
		all[ne] = h.Wage
		ne += int(^uint32(h.Employer) >> 31) // 1 when employer ≥ 0
	}
	wages := all[:ne]
	p := &w.Params
	net := trimMean(nw, s.Bytes) * p.NewFirmSizeFactor
	y := trimMean(prod, s.Bytes) * p.NewFirmProductionFactor
	wage := max(trimMean(wages, s.Bytes)*p.NewFirmWageFactor, e.MinWage)
	price := e.AvgPrice * p.NewFirmPriceMarkup
	for _, i := range e.ExitingFirms {
		f := &w.Firms.Producer[i]
		*f = components.Producer{
			Price:             price,
			Production:        y,
			ProductionPrev:    y,
			LaborProductivity: f.LaborProductivity,
			BreakevenPrice:    f.BreakevenPrice,
		}
		w.Firms.Employer[i] = components.Employer{WageOffer: wage}
		w.Firms.Borrower[i] = components.Borrower{NetWorth: net, TotalFunds: net}
	}
}

// SpawnReplacementBanks gives every exiting bank the equity of a surviving
// bank drawn uniformly with replacement (spec §5.37). If every bank exits
// the economy collapses.
type SpawnReplacementBanks struct{}

// Name returns "spawn_replacement_banks".
func (SpawnReplacementBanks) Name() string { return "spawn_replacement_banks" }

// Update spawns the entrants.
func (SpawnReplacementBanks) Update(w *ecs.World) {
	e := &w.Econ
	banks := w.Banks.Lender
	if len(e.ExitingBanks) == 0 {
		return
	}
	if len(e.ExitingBanks) == len(banks) {
		e.Collapsed = true
		return
	}
	surv := w.Scratch.BankI32[:0]
	for k := range banks {
		if !e.BankExiting[k] {
			surv = append(surv, int32(k))
		}
	}
	for _, k := range e.ExitingBanks {
		src := surv[w.Rand.IntN(len(surv))]
		banks[k].EquityBase = banks[src].EquityBase
		banks[k].CreditSupply = 0
		banks[k].InterestRate = 0
	}
}
