package ecs

// EPS is the tolerance of every "is it (non-)zero" test of the model (spec §0).
const EPS = 1e-9

// Economy is the economy-level state of spec §3.4.
type Economy struct {
	// AvgPrice is P̄, the production-weighted average price (spec §4.5).
	AvgPrice float64
	// AvgPriceHistory holds P̄_0 … P̄_t: the initial value, then one per period.
	AvgPriceHistory []float64
	// InflationHistory holds π_0 = 0, then one value per period (spec §5.7).
	InflationHistory []float64
	// MinWage is the statutory minimum wage ŵ.
	MinWage float64
	// ExitingFirms and ExitingBanks are the slots marked bankrupt this period.
	ExitingFirms []int32
	ExitingBanks []int32
	// FirmExiting and BankExiting mark the same slots as masks indexed by slot.
	FirmExiting []bool
	BankExiting []bool
	// Collapsed is set when every firm or every bank exited (spec §8).
	Collapsed bool
	// Layoffs counts the workers laid off this period by
	// firms_fire_excess_workers and firms_fire_workers (for reporting).
	PlanningLayoffs, CreditLayoffs int
}

// Inflation returns the latest inflation rate π_t (0 before the first period).
func (e *Economy) Inflation() float64 {
	if n := len(e.InflationHistory); n > 0 {
		return e.InflationHistory[n-1]
	}
	return 0
}

// Reserve grows the history slices so that n more periods append without
// allocating.
func (e *Economy) Reserve(n int) {
	e.AvgPriceHistory = reserve(e.AvgPriceHistory, n)
	e.InflationHistory = reserve(e.InflationHistory, n)
}

func reserve(s []float64, n int) []float64 {
	if cap(s)-len(s) >= n {
		return s
	}
	t := make([]float64, len(s), len(s)+n)
	copy(t, s)
	return t
}
