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
	if z == 2 && !generalGoods {
		visitTwo(buyers, queue, budget, price, inventory, eps)
		return
	}
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
			b, inventory[f] = buy(b, price[f], inv)
		}
		budget[j] = b
	}
}

// buy is one purchase: a buyer with budget b takes min(b/p, inv) units
// from a firm selling at p with stock inv; it returns the budget and the
// stock left.
func buy(b, p, inv float64) (float64, float64) {
	q := b / p
	if q > inv {
		q = inv
	}
	return b - q*p, inv - q
}

// generalGoods makes GoodsMarket take its general loop for every list
// length (tests compare the two).
var generalGoods = false

// visitTwo is the loop of GoodsMarket for two-firm lists (the default
// max_Z = 2), unrolled: the same visits, purchases and stops, without the
// loop control whose exits the branch predictor cannot foresee.
func visitTwo(buyers, queue []int32, budget, price, inventory []float64, eps float64) {
	for _, j := range buyers {
		b := budget[j]
		f := queue[2*int(j)]
		if b <= eps || f < 0 {
			continue
		}
		if inv := inventory[f]; inv > eps {
			b, inventory[f] = buy(b, price[f], inv)
			if b <= eps {
				budget[j] = b
				continue
			}
		}
		if f = queue[2*int(j)+1]; f >= 0 {
			if inv := inventory[f]; inv > eps {
				b, inventory[f] = buy(b, price[f], inv)
			}
		}
		budget[j] = b
	}
}
