package markets

import "github.com/bam-abm/bam/ecs/rng"

// GoodsMarket runs the sequential goods market of spec §5.28.
//
// buyers are the households with a budget (> EPS); they are shuffled in
// place (one fresh uniform permutation) and served one by one. Buyer j's
// shopping list is queue[j·z : (j+1)·z], cheapest first, −1 = empty slot.
// budget is indexed by household, price and inventory by firm. Each buyer
// spends at each firm of its list in turn, buying min(budget/price,
// inventory) divisible units, skipping sold-out firms, until its budget is
// ≤ eps. budget and inventory are updated in place.
//
// Nothing happens (and nothing is drawn) if there is no buyer or the total
// inventory is ≤ eps.
func GoodsMarket(r *rng.Rand, buyers, queue []int32, z int, budget, price, inventory []float64, eps float64) {
	if len(buyers) == 0 {
		return
	}
	total := 0.0
	for _, q := range inventory {
		total += q
	}
	if total <= eps {
		return
	}
	r.Shuffle(buyers)
	for _, j := range buyers {
		b := budget[j]
		for _, f := range queue[int(j)*z : int(j+1)*z] {
			if b <= eps || f < 0 {
				break
			}
			inv := inventory[f]
			if inv <= eps {
				continue
			}
			p := price[f]
			q := b / p
			if q > inv {
				q = inv
			}
			b -= q * p
			inventory[f] = inv - q
		}
		budget[j] = b
	}
}
