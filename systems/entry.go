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
type SpawnReplacementFirms struct {
	netWorth, output []float64 // the survivors' net worth and output
	wages            []float64 // the wages of the employed households
	work             []uint8   // trimMean's work array
}

// NewSpawnReplacementFirms returns the system for the agents of w.
func NewSpawnReplacementFirms(w *ecs.World) *SpawnReplacementFirms {
	nf, nh := w.Count(ecs.Firms), w.Count(ecs.Households)
	return &SpawnReplacementFirms{
		netWorth: make([]float64, 0, nf), output: make([]float64, 0, nf),
		wages: make([]float64, nh), work: make([]uint8, max(nf, nh)),
	}
}

// Name returns "spawn_replacement_firms".
func (*SpawnReplacementFirms) Name() string { return "spawn_replacement_firms" }

// Update spawns the entrants.
func (s *SpawnReplacementFirms) Update(w *ecs.World) {
	e := &w.Econ
	nf := len(w.Firms.Producer)
	if len(e.ExitingFirms) == 0 {
		return
	}
	if len(e.ExitingFirms) == nf {
		e.Collapsed = true
		return
	}
	nw, prod := s.netWorth[:0], s.output[:0]
	for i := 0; i < nf; i++ {
		if !e.FirmExiting[i] {
			nw = append(nw, w.Firms.Borrower[i].NetWorth)
			prod = append(prod, w.Firms.Producer[i].Production)
		}
	}
	wages := employedWages(w.Households.Worker, s.wages)
	p := &w.Params
	net := trimMean(nw, s.work) * p.NewFirmSizeFactor
	y := trimMean(prod, s.work) * p.NewFirmProductionFactor
	wage := max(trimMean(wages, s.work)*p.NewFirmWageFactor, e.MinWage)
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
type SpawnReplacementBanks struct {
	survivors []int32 // the banks that do not exit
}

// NewSpawnReplacementBanks returns the system for the banks of w.
func NewSpawnReplacementBanks(w *ecs.World) *SpawnReplacementBanks {
	return &SpawnReplacementBanks{survivors: make([]int32, 0, w.Count(ecs.Banks))}
}

// Name returns "spawn_replacement_banks".
func (*SpawnReplacementBanks) Name() string { return "spawn_replacement_banks" }

// Update spawns the entrants.
func (s *SpawnReplacementBanks) Update(w *ecs.World) {
	e := &w.Econ
	banks := w.Banks.Lender
	if len(e.ExitingBanks) == 0 {
		return
	}
	if len(e.ExitingBanks) == len(banks) {
		e.Collapsed = true
		return
	}
	surv := s.survivors[:0]
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
