package markets

import "github.com/bam-abm/bam/ecs/rng"

// GoodsRound runs the sequential goods market of spec §5.28.
//
// buyers are the households with a budget (> EPS); they are shuffled in
// place (one fresh uniform permutation) and then served one by one by
// visit (see [Visit]: [VisitLists] for lists of any length, or its
// unrolled twin [VisitPairs] for two-firm lists). Buyer j's shopping list
// is queue[j·z : (j+1)·z], cheapest first, −1 = empty slot. budget is
// indexed by household, price and inventory by firm; budget and inventory
// are updated in place.
//
// Nothing happens (and nothing is drawn) if there is no buyer or the total
// inventory is ≤ eps. It does not allocate.
func GoodsRound(r *rng.Rand, visit Visit, buyers, queue []int32, z int, budget, price, inventory []float64, eps float64) {
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
	visit(buyers, queue, z, budget, price, inventory, eps)
}

// Visit serves the buyers of a goods market in their order (spec §5.28
// step 3): each buyer spends at each firm of its shopping list in turn,
// buying min(budget/price, inventory) divisible units, skipping sold-out
// firms (inventory ≤ eps), until its budget is ≤ eps or the list ends. The
// arguments are those of [GoodsRound].
type Visit func(buyers, queue []int32, z int, budget, price, inventory []float64, eps float64)

// VisitLists is the plain [Visit], for shopping lists of any length z.
func VisitLists(buyers, queue []int32, z int, budget, price, inventory []float64, eps float64) {
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

// VisitPairs is [VisitLists] unrolled for two-firm lists (z = 2, the
// default max_Z): the same visits, purchases and stops, bit for bit
// (TestVisitPairsMatchesLists), without the loop control whose exits the
// branch predictor cannot foresee. It panics if z is not 2.
func VisitPairs(buyers, queue []int32, z int, budget, price, inventory []float64, eps float64) {
	if z != 2 {
		panic("markets: VisitPairs needs two-firm shopping lists (z = 2)")
	}
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
