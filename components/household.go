package components

// Worker is a household's labour-market state (spec §3.2).
type Worker struct {
	Employer        int32 `doc:"employing firm's slot, −1 when unemployed"`
	EmployerPrev    int32 `doc:"last employer's slot (loyalty rule), −1 if none"`
	PeriodsLeft     int32 `doc:"remaining contract periods"`
	ContractExpired bool  `doc:"1 if the contract ended at the end of last period"`
	Fired           bool  `doc:"1 if laid off (not a natural expiry)"`
	_               [2]byte
	Wage            float64 `doc:"contractual wage (0 when unemployed)"`
}

// Employed reports whether the household has an employer.
func (w *Worker) Employed() bool { return w.Employer >= 0 }

// Consumer is a household's income, wealth and shopping state (spec §3.2).
type Consumer struct {
	Income          float64 `doc:"wage income of the current period"`
	Savings         float64 `doc:"accumulated wealth"`
	IncomeToSpend   float64 `doc:"budget of the current goods market"`
	Propensity      float64 `doc:"propensity to consume c_j"`
	LargestProdPrev int32   `doc:"loyalty firm's slot, −1 if none"`
	_               int32
}

// Shareholder holds the dividend a household received this period (spec §3.2).
type Shareholder struct {
	Dividends float64 `doc:"this period's dividend"`
}
