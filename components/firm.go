package components

// Producer is a firm's production and pricing state (spec §3.1).
type Producer struct {
	Price             float64 `doc:"posted price P_i"`
	Production        float64 `doc:"output Y_i of the current period (zeroed at planning, set by firms_run_production)"`
	ProductionPrev    float64 `doc:"last realised output, the planning signal"`
	Inventory         float64 `doc:"unsold stock after the goods market"`
	ExpectedDemand    float64 `doc:"expected demand (equals desired_production)"`
	DesiredProduction float64 `doc:"output target Yd_i"`
	LaborProductivity float64 `doc:"labour productivity α_i, output per worker"`
	BreakevenPrice    float64 `doc:"planning-phase unit-cost floor"`
}

// Employer is a firm's labour-market state (spec §3.1).
type Employer struct {
	CurrentLabor int32 `doc:"number of employees L_i"`
	DesiredLabor int32 `doc:"desired labour Ld_i"`
	NVacancies   int32 `doc:"open vacancies V_i"`
	_            int32
	WageOffer    float64 `doc:"wage offered to new hires w_i"`
	WageBill     float64 `doc:"sum of the employees' wages W_i"`
}

// Borrower is a firm's balance sheet and credit state (spec §3.1).
type Borrower struct {
	NetWorth           float64 `doc:"book equity A_i, fixed during a period"`
	TotalFunds         float64 `doc:"liquid cash; moves with every flow during the period"`
	CreditDemand       float64 `doc:"remaining credit demand B_i"`
	ProjectedFragility float64 `doc:"projected fragility ℓ_i = B_i / A_i"`
	GrossProfit        float64 `doc:"revenue minus wage bill"`
	NetProfit          float64 `doc:"gross profit minus interest"`
	RetainedProfit     float64 `doc:"net profit after dividends"`
}
