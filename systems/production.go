package systems

import "github.com/bam-abm/bam/ecs"

// FirmsPayWages takes the wage bill out of cash: cash_i −= W_i (spec §5.20).
type FirmsPayWages struct{}

// Name returns "firms_pay_wages".
func (FirmsPayWages) Name() string { return "firms_pay_wages" }

// Update applies the rule to every firm.
func (FirmsPayWages) Update(w *ecs.World) {
	for i := range w.Firms.Borrower {
		w.Firms.Borrower[i].TotalFunds -= w.Firms.Employer[i].WageBill
	}
}

// WorkersReceiveWage credits each employed household's wage to its income
// (spec §5.21).
type WorkersReceiveWage struct{}

// Name returns "workers_receive_wage".
func (WorkersReceiveWage) Name() string { return "workers_receive_wage" }

// Update applies the rule to every household.
func (WorkersReceiveWage) Update(w *ecs.World) {
	workers, consumers := w.Households.Worker, w.Households.Consumer
	for j := range workers {
		if h := &workers[j]; h.Employed() {
			consumers[j].Income += h.Wage
		}
	}
}

// FirmsRunProduction produces Y_i = α_i·L_i (spec §5.22); the output also
// becomes next period's planning signal and overwrites the inventory (unsold
// goods perish).
type FirmsRunProduction struct{}

// Name returns "firms_run_production".
func (FirmsRunProduction) Name() string { return "firms_run_production" }

// Update applies the rule to every firm.
func (FirmsRunProduction) Update(w *ecs.World) {
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		y := f.LaborProductivity * float64(w.Firms.Employer[i].CurrentLabor)
		f.Production = y
		f.ProductionPrev = y
		f.Inventory = y
	}
}

// UpdateAvgMktPrice sets P̄ to the output-weighted mean price over firms with
// output ≥ 1e−3 (spec §4.5, §5.23), keeping the previous P̄ when nothing was
// produced, and appends it to the price history.
type UpdateAvgMktPrice struct{}

// Name returns "update_avg_mkt_price".
func (UpdateAvgMktPrice) Name() string { return "update_avg_mkt_price" }

// Update computes P̄.
func (UpdateAvgMktPrice) Update(w *ecs.World) {
	num, den := 0.0, 0.0
	producers := w.Firms.Producer
	for i := range producers {
		f := &producers[i]
		if f.Production >= 1e-3 {
			num += f.Price * f.Production
			den += f.Production
		}
	}
	c := 0.0
	if den > 0 {
		c = num / den
	}
	if c <= 0 && w.Econ.AvgPrice > 0 {
		c = w.Econ.AvgPrice
	}
	w.Econ.AvgPrice = c
	w.Econ.AvgPriceHistory = append(w.Econ.AvgPriceHistory, c)
}

// WorkersUpdateContracts counts down every contract (spec §5.24); a contract
// reaching 0 expires: the worker becomes unemployed, remembers the employer
// (it will apply there first) and the firm's L_i falls by one. The wage bill
// is not reduced.
type WorkersUpdateContracts struct{}

// Name returns "workers_update_contracts".
func (WorkersUpdateContracts) Name() string { return "workers_update_contracts" }

// Update applies the rule to every employed household.
func (WorkersUpdateContracts) Update(w *ecs.World) {
	emp := w.Firms.Employer
	workers := w.Households.Worker
	for j := range workers {
		h := &workers[j]
		if !h.Employed() {
			continue
		}
		if h.PeriodsLeft == 0 {
			h.PeriodsLeft = 1
		}
		h.PeriodsLeft--
		if h.PeriodsLeft == 0 {
			emp[h.Employer].CurrentLabor--
			h.EmployerPrev = h.Employer
			h.Employer = -1
			h.Wage = 0
			h.ContractExpired = true
			h.Fired = false
		}
	}
}
