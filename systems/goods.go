package systems

import (
	"math"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/markets"
)

// ConsumersCalcPropensity sets the propensity to consume (spec §5.25):
//
//	S̄ = max(mean_j savings_j, EPS);  c_j = 1 / (1 + tanh(savings_j / S̄)^β)
//
// after clamping negative savings to 0 (S̄ uses the unclamped values).
type ConsumersCalcPropensity struct{}

// Name returns "consumers_calc_propensity".
func (ConsumersCalcPropensity) Name() string { return "consumers_calc_propensity" }

// Update applies the rule to every household.
func (ConsumersCalcPropensity) Update(w *ecs.World) {
	cons := w.Households.Consumer
	if len(cons) == 0 {
		return
	}
	sum := 0.0
	for j := range cons {
		sum += cons[j].Savings
	}
	inv := 1 / max(sum/float64(len(cons)), EPS)
	if w.Params.Beta == 2.5 && !generalPaths { // the default, inlined: the same value as power.of
		for j := range cons {
			c := &cons[j]
			c.Savings = atLeastZero(c.Savings)
			t := math.Tanh(c.Savings * inv)
			c.Propensity = 1 / (1 + t*t*math.Sqrt(t))
		}
		return
	}
	pw := newPower(w.Params.Beta)
	for j := range cons {
		c := &cons[j]
		c.Savings = atLeastZero(c.Savings)
		c.Propensity = 1 / (1 + pw.of(math.Tanh(c.Savings*inv)))
	}
}

// power computes x^beta for x ≥ 0 by multiplications (and a square root for
// half-integer exponents such as the default β = 2.5) when possible, which
// is several times faster than math.Pow and agrees with it to within a few
// ulps; other exponents fall back to math.Pow.
type power struct {
	beta float64
	n    int  // integer part, when fast
	half bool // beta − n == 0.5
	fast bool
}

func newPower(beta float64) power {
	n := math.Floor(beta)
	frac := beta - n
	return power{beta: beta, n: int(n), half: frac == 0.5, fast: n <= 16 && (frac == 0 || frac == 0.5)}
}

func (p power) of(x float64) float64 {
	if !p.fast {
		return math.Pow(x, p.beta)
	}
	r := 1.0
	for range p.n {
		r *= x
	}
	if p.half {
		r *= math.Sqrt(x)
	}
	return r
}

// ConsumersDecideIncomeToSpend sets the budget as a share of wealth
// (spec §5.26):
//
//	wealth = savings + income;  budget = c·wealth;  savings = wealth − budget;  income = 0
type ConsumersDecideIncomeToSpend struct{}

// Name returns "consumers_decide_income_to_spend".
func (ConsumersDecideIncomeToSpend) Name() string { return "consumers_decide_income_to_spend" }

// Update applies the rule to every household.
func (ConsumersDecideIncomeToSpend) Update(w *ecs.World) {
	consumers := w.Households.Consumer
	for j := range consumers {
		c := &consumers[j]
		wealth := c.Savings + c.Income
		c.IncomeToSpend = c.Propensity * wealth
		c.Savings = wealth - c.IncomeToSpend
		c.Income = 0
	}
}

// ConsumersDecideFirmsToVisit gives every household with a budget a shopping
// list (spec §5.27): a uniform min(max_Z, NF)-subset of all firms — with the
// loyalty firm forced in under consumer_matching = "loyalty" — sorted by
// price ascending (stable: on a tie the loyalty firm comes first). The
// loyalty pointer then moves to the subset's largest current producer.
type ConsumersDecideFirmsToVisit struct{}

// Name returns "consumers_decide_firms_to_visit".
func (ConsumersDecideFirmsToVisit) Name() string { return "consumers_decide_firms_to_visit" }

// Update builds the shopping lists.
func (ConsumersDecideFirmsToVisit) Update(w *ecs.World) {
	s := &w.Scratch
	z := w.Params.MaxZ
	prod := w.Firms.Producer
	nf := len(prod)
	k := min(z, nf)
	// Gather price and output side by side: one cache line per random firm.
	pq := s.FirmPair
	for i := range prod {
		pq[i] = [2]float64{prod[i].Price, prod[i].Production}
	}
	loyal := w.Params.ConsumerMatching == ecs.MatchingLoyalty
	if z == 2 && k == 2 && nf >= 4 && !generalPaths {
		visitPairs(w, pq, loyal)
		return
	}
	consumers := w.Households.Consumer
	for j := range consumers {
		c := &consumers[j]
		list := s.ShopQueue[j*z : (j+1)*z]
		if c.IncomeToSpend <= EPS {
			for a := range list {
				list[a] = -1
			}
			continue
		}
		forced := int32(-1)
		if loyal {
			forced = c.LargestProdPrev
		}
		sample := markets.SampleIndices(w.Rand, nf, k, forced, s.Sample)
		// Stable insertion sort by price (sortByKey over the pairs).
		for a := 1; a < len(sample); a++ {
			x := sample[a]
			px := pq[x][0]
			b := a
			for b > 0 && pq[sample[b-1]][0] > px {
				sample[b] = sample[b-1]
				b--
			}
			sample[b] = x
		}
		for a := copy(list, sample); a < len(list); a++ {
			list[a] = -1
		}
		if loyal && len(sample) > 0 {
			best := sample[0]
			for _, f := range sample[1:] {
				if pq[f][1] > pq[best][1] {
					best = f
				}
			}
			c.LargestProdPrev = best
		}
	}
}

// visitPairs is ConsumersDecideFirmsToVisit for the default max_Z = 2 (with
// at least 4 firms): the same draws as markets.SampleIndices (the loyalty
// firm, or a first uniform draw, then uniform draws until a different firm
// comes up), the same stable price order and the same loyalty update,
// written straight into the shopping lists.
func visitPairs(w *ecs.World, pq [][2]float64, loyal bool) {
	r := w.Rand
	n := len(pq)
	queue := w.Scratch.ShopQueue
	cons := w.Households.Consumer
	for j := range cons {
		c := &cons[j]
		list := queue[2*j : 2*j+2 : 2*j+2]
		if c.IncomeToSpend <= EPS {
			list[0], list[1] = -1, -1
			continue
		}
		a := c.LargestProdPrev
		if !loyal || a < 0 {
			a = int32(r.IntN(n))
		}
		b := int32(r.IntN(n))
		for b == a {
			b = int32(r.IntN(n))
		}
		// Stable price order (a stays first on a tie), without a branch:
		// which firm is cheaper is a coin toss for the predictor.
		swap := -int32(b2i(pq[b][0] < pq[a][0])) // all ones when b is cheaper
		d := (a ^ b) & swap
		lo, hi := a^d, b^d
		list[0], list[1] = lo, hi
		if loyal { // the larger producer; the cheaper one on a tie
			if pq[hi][1] > pq[lo][1] {
				lo = hi
			}
			c.LargestProdPrev = lo
		}
	}
}

// GoodsMarketRound runs the whole sequential goods market (spec §5.28): the
// buyers, in one fresh random order, each visit their list cheapest first
// and buy min(budget/P_i, S_i) until the budget is spent, moving on when a
// firm is sold out. See [markets.GoodsMarket].
type GoodsMarketRound struct{}

// Name returns "goods_market_round".
func (GoodsMarketRound) Name() string { return "goods_market_round" }

// Update gathers budgets, prices and stocks, runs the market and scatters.
func (GoodsMarketRound) Update(w *ecs.World) {
	s := &w.Scratch
	cons := w.Households.Consumer
	// Budgets, and the buyers (budget > EPS) by a branch-free compaction.
	all := s.HouseholdI32A[:len(cons)]
	budget := s.HouseholdF64[:len(cons)]
	nb := 0
	for j := range cons {
		b := cons[j].IncomeToSpend
		budget[j] = b
		all[nb] = int32(j)
		nb += b2i(b > EPS)
	}
	buyers := all[:nb]
	prod := w.Firms.Producer
	price, inv := s.FirmF64A, s.FirmF64B
	for i := range prod {
		price[i] = prod[i].Price
		inv[i] = prod[i].Inventory
	}
	markets.GoodsMarket(w.Rand, buyers, s.ShopQueue, w.Params.MaxZ, budget, price, inv, EPS)
	for i := range prod {
		prod[i].Inventory = inv[i]
	}
	// Every budget back in household order (the others are unchanged).
	for j := range cons {
		cons[j].IncomeToSpend = budget[j]
	}
}

// ConsumersFinalizePurchases saves the unspent budget (spec §5.29).
type ConsumersFinalizePurchases struct{}

// Name returns "consumers_finalize_purchases".
func (ConsumersFinalizePurchases) Name() string { return "consumers_finalize_purchases" }

// Update applies the rule to every household.
func (ConsumersFinalizePurchases) Update(w *ecs.World) {
	consumers := w.Households.Consumer
	for j := range consumers {
		c := &consumers[j]
		c.Savings += c.IncomeToSpend
		c.IncomeToSpend = 0
	}
}
