package components

// Producer is a firm's production and pricing state (spec §3.1).
type Producer struct {
	// Price is the posted price P_i.
	Price float64
	// Production is the output Y_i of the current period (zeroed at planning).
	Production float64
	// ProductionPrev is the last realised output, the planning signal.
	ProductionPrev float64
	// Inventory is the unsold stock left after the goods market.
	Inventory float64
	// ExpectedDemand equals DesiredProduction (kept for reporting).
	ExpectedDemand float64
	// DesiredProduction is the output target Yd_i.
	DesiredProduction float64
	// LaborProductivity is α_i, output per worker.
	LaborProductivity float64
	// BreakevenPrice is the planning-phase unit-cost floor.
	BreakevenPrice float64
}

// Employer is a firm's labour-market state (spec §3.1).
type Employer struct {
	// CurrentLabor is L_i, the number of employees.
	CurrentLabor int32
	// DesiredLabor is Ld_i.
	DesiredLabor int32
	// NVacancies is V_i.
	NVacancies int32
	_          int32
	// WageOffer is w_i, the wage offered to new hires.
	WageOffer float64
	// WageBill is W_i, the sum of the employees' wages.
	WageBill float64
}

// Borrower is a firm's balance sheet and credit state (spec §3.1).
type Borrower struct {
	// NetWorth is A_i, book equity, fixed during a period.
	NetWorth float64
	// TotalFunds is liquid cash; it moves with every flow during the period.
	TotalFunds float64
	// CreditDemand is B_i, the remaining credit demand.
	CreditDemand float64
	// ProjectedFragility is ℓ_i = B_i / A_i.
	ProjectedFragility float64
	// GrossProfit is revenue minus wage bill.
	GrossProfit float64
	// NetProfit is gross profit minus interest.
	NetProfit float64
	// RetainedProfit is net profit after dividends.
	RetainedProfit float64
}
