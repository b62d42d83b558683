package components

// Lender is a bank's state (spec §3.3).
type Lender struct {
	EquityBase   float64 `doc:"equity E_k"`
	CreditSupply float64 `doc:"remaining lendable amount this period"`
	InterestRate float64 `doc:"posted rate r̄(1+φ_k), used to rank banks"`
	OpexShock    float64 `doc:"operating-cost shock φ_k drawn this period"`
}
