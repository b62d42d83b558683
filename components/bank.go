package components

// Lender is a bank's state (spec §3.3).
type Lender struct {
	// EquityBase is E_k.
	EquityBase float64
	// CreditSupply is the remaining lendable amount this period.
	CreditSupply float64
	// InterestRate is the posted rate r̄(1+φ_k), used only to rank banks.
	InterestRate float64
	// OpexShock is φ_k drawn this period, used in the loan-rate formula.
	OpexShock float64
}
