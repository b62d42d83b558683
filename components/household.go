package components

// Worker is a household's labour-market state (spec §3.2).
type Worker struct {
	// Employer is the employing firm's slot, −1 when unemployed.
	Employer int32
	// EmployerPrev is the last employer (for the loyalty rule), −1 if none.
	EmployerPrev int32
	// PeriodsLeft counts the remaining contract periods.
	PeriodsLeft int32
	// ContractExpired is set when the contract ended at the end of last period.
	ContractExpired bool
	// Fired is set when the worker was laid off (not a natural expiry).
	Fired bool
	_     [2]byte
	// Wage is the contractual wage (0 when unemployed).
	Wage float64
}

// Employed reports whether the household has an employer.
func (w *Worker) Employed() bool { return w.Employer >= 0 }

// Consumer is a household's income, wealth and shopping state (spec §3.2).
type Consumer struct {
	// Income is the wage income of the current period.
	Income float64
	// Savings is accumulated wealth.
	Savings float64
	// IncomeToSpend is the budget of the current goods market.
	IncomeToSpend float64
	// Propensity is the propensity to consume c_j.
	Propensity float64
	// LargestProdPrev is the loyalty firm: the largest producer of the last
	// consideration set, −1 if none.
	LargestProdPrev int32
	_               int32
}

// Shareholder holds the dividend a household received this period (spec §3.2).
type Shareholder struct {
	// Dividends is this period's dividend (overwritten each period).
	Dividends float64
}
