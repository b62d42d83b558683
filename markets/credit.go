package markets

import (
	"cmp"
	"math"
	"slices"
)

// CreditApp is one loan application of a credit round.
type CreditApp struct {
	Firm, Bank int32
	// Fragility is the applicant's projected fragility ℓ (spec §5.16), the
	// bank's ranking key (ascending; ties by ascending firm slot).
	Fragility float64
	// Request is the amount asked for: the remaining credit demand, capped
	// per loan at max_loan_to_net_worth × net worth (spec §5.18 step 5).
	Request float64
	// Grant is set by [CreditRound]: the amount lent (0 if none).
	Grant float64
}

// CreditRound allocates one credit round (spec §5.18 steps 4–6): each bank
// serves its applicants in ascending fragility, granting each request in
// full while the running total of requests stays within its supply, a
// partial loan to the applicant that crosses the boundary, and nothing to
// the rest. supply is indexed by bank slot and is reduced by the grants.
// apps is reordered (grouped by bank). Requests ≤ 0 are treated as "no loan".
// The allocation is deterministic.
func CreditRound(apps []CreditApp, supply []float64) {
	slices.SortFunc(apps, func(a, b CreditApp) int {
		if c := cmp.Compare(a.Bank, b.Bank); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Fragility, b.Fragility); c != 0 {
			return c
		}
		return cmp.Compare(a.Firm, b.Firm)
	})
	for lo := 0; lo < len(apps); {
		k := apps[lo].Bank
		hi := lo
		for hi < len(apps) && apps[hi].Bank == k {
			hi++
		}
		s0 := supply[k]
		run := 0.0
		lent := 0.0
		for i := lo; i < hi; i++ {
			a := &apps[i]
			a.Grant = 0
			if a.Request <= 0 {
				continue
			}
			before := run
			run += a.Request
			if run <= s0 {
				a.Grant = a.Request
			} else {
				// Partial loan at the boundary (zero after it); guard against
				// the rounding of s0 − before pushing the total one ulp above
				// the supply.
				g := max(s0-before, 0)
				for g > 0 && lent+g > s0 {
					g = math.Nextafter(g, 0)
				}
				a.Grant = g
			}
			lent += a.Grant
		}
		supply[k] = max(s0-lent, 0)
		lo = hi
	}
}
