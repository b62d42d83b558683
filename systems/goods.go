package systems

import (
	"math"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/ecs/rng"
	"github.com/bam-abm/bam/markets"
)

// ConsumersCalcPropensity sets the propensity to consume (spec §5.25):
//
//	S̄ = max(mean_j savings_j, EPS);  c_j = 1 / (1 + tanh(savings_j / S̄)^β)
//
// after clamping negative savings to 0 (S̄ uses the unclamped values).
type ConsumersCalcPropensity struct {
	pow power
	// beta25 selects propensities25, the twin of propensities for the
	// default β = 2.5.
	beta25 bool
}

// NewConsumersCalcPropensity returns the system for the parameters of w,
// with the specialised form for β = 2.5 when paths allow it.
func NewConsumersCalcPropensity(w *ecs.World, paths Paths) *ConsumersCalcPropensity {
	return &ConsumersCalcPropensity{
		pow:    newPower(w.Params.Beta),
		beta25: paths == Specialised && w.Params.Beta == 2.5,
	}
}

// Name returns "consumers_calc_propensity".
func (*ConsumersCalcPropensity) Name() string { return "consumers_calc_propensity" }

// Update applies the rule to every household.
func (s *ConsumersCalcPropensity) Update(w *ecs.World) {
	cons := w.Households.Consumer
	if len(cons) == 0 {
		return
	}
	sum := 0.0
	for j := range cons {
		sum += cons[j].Savings
	}
	inv := 1 / max(sum/float64(len(cons)), EPS)
	if s.beta25 {
		propensities25(cons, inv)
		return
	}
	propensities(cons, inv, s.pow)
}

// propensities clamps every household's savings at 0 and sets its
// propensity c = 1 / (1 + tanh(savings·inv)^β), with inv = 1/S̄.
func propensities(cons []components.Consumer, inv float64, pow power) {
	for j := range cons {
		c := &cons[j]
		c.Savings = atLeastZero(c.Savings)
		c.Propensity = 1 / (1 + pow.of(math.Tanh(c.Savings*inv)))
	}
}

// propensities25 is propensities for β = 2.5 with x^2.5 written out as
// power.of computes it (x·x·√x, the same operations in the same order).
func propensities25(cons []components.Consumer, inv float64) {
	for j := range cons {
		c := &cons[j]
		c.Savings = atLeastZero(c.Savings)
		t := math.Tanh(c.Savings * inv)
		c.Propensity = 1 / (1 + t*t*math.Sqrt(t))
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
// loyalty pointer then moves to the subset's largest current producer. The
// lists go to the world's [GoodsMarket].
type ConsumersDecideFirmsToVisit struct {
	market *GoodsMarket
	// twoFirms selects chooseTwoFirms, the twin of chooseFirms for
	// two-firm lists.
	twoFirms bool
	loyal    bool
	offers   []offer // every firm's price and output, side by side
	sample   []int32 // one household's list
}

// offer is what a shopper compares firms by: price, and output (for the
// loyalty rule). Kept side by side, one cache line per firm drawn.
type offer struct{ price, output float64 }

// NewConsumersDecideFirmsToVisit returns the system for the agents of w
// and its goods market, with the two-firm form when paths allow it.
func NewConsumersDecideFirmsToVisit(w *ecs.World, paths Paths) *ConsumersDecideFirmsToVisit {
	p := &w.Params
	nf := w.Count(ecs.Firms)
	s := &ConsumersDecideFirmsToVisit{
		market:   GoodsMarketOf(w),
		twoFirms: paths == Specialised && p.MaxZ == 2 && nf >= 4,
		loyal:    p.ConsumerMatching == ecs.MatchingLoyalty,
		offers:   make([]offer, nf),
		sample:   make([]int32, p.MaxZ),
	}
	return s
}

// Name returns "consumers_decide_firms_to_visit".
func (*ConsumersDecideFirmsToVisit) Name() string { return "consumers_decide_firms_to_visit" }

// Update builds the shopping lists.
func (s *ConsumersDecideFirmsToVisit) Update(w *ecs.World) {
	prod, offers := w.Firms.Producer, s.offers
	for i := range prod {
		offers[i] = offer{prod[i].Price, prod[i].Production}
	}
	if s.twoFirms {
		s.twoFirmLists(w)
		return
	}
	consumers := w.Households.Consumer
	for j := range consumers {
		c := &consumers[j]
		if c.IncomeToSpend <= EPS {
			s.market.SetList(int32(j)) // no budget, no shopping
			continue
		}
		s.market.SetList(int32(j), s.chooseFirms(w.Rand, c)...)
	}
}

// chooseFirms draws household c's list — a uniform subset of the firms,
// the loyalty firm forced in — sorts it by price (stable) and moves the
// loyalty pointer to its largest producer.
func (s *ConsumersDecideFirmsToVisit) chooseFirms(r *rng.Rand, c *components.Consumer) []int32 {
	forced := int32(-1)
	if s.loyal {
		forced = c.LargestProdPrev
	}
	list := markets.SampleIndices(r, len(s.offers), len(s.sample), forced, s.sample)
	// Stable insertion sort by price.
	for a := 1; a < len(list); a++ {
		x := list[a]
		b := a
		for b > 0 && s.offers[list[b-1]].price > s.offers[x].price {
			list[b] = list[b-1]
			b--
		}
		list[b] = x
	}
	if s.loyal && len(list) > 0 {
		best := list[0]
		for _, f := range list[1:] {
			if s.offers[f].output > s.offers[best].output {
				best = f
			}
		}
		c.LargestProdPrev = best
	}
	return list
}

// twoFirmLists is the loop of Update for lists of two of at least four
// firms (the default max_Z), with chooseFirms written out for two: the
// same draws as markets.SampleIndices (the loyalty firm, or a first uniform
// draw, then uniform draws until a different firm comes up), the same
// stable price order and the same loyalty update, straight into the
// market's lists.
func (s *ConsumersDecideFirmsToVisit) twoFirmLists(w *ecs.World) {
	r, lists, offers, loyal := w.Rand, s.market.lists, s.offers, s.loyal
	n := int32(len(offers))
	consumers := w.Households.Consumer
	for j := range consumers {
		c := &consumers[j]
		list := lists[2*j : 2*j+2 : 2*j+2]
		if c.IncomeToSpend <= EPS {
			list[0], list[1] = -1, -1 // no budget, no shopping
			continue
		}
		a := c.LargestProdPrev
		if !loyal || a < 0 {
			a = int32(r.IntN(int(n)))
		}
		b := int32(r.IntN(int(n)))
		for b == a {
			b = int32(r.IntN(int(n)))
		}
		cheap, dear := cheaperFirst(a, b, offers[a].price, offers[b].price)
		list[0], list[1] = cheap, dear
		if loyal { // the larger producer; the cheaper one on a tie
			if offers[dear].output > offers[cheap].output {
				cheap = dear
			}
			c.LargestProdPrev = cheap
		}
	}
}

// GoodsMarketRound runs the whole sequential goods market (spec §5.28): the
// buyers, in one fresh random order, each visit their list cheapest first
// and buy min(budget/P_i, S_i) until the budget is spent, moving on when a
// firm is sold out. See [GoodsMarket.Run].
type GoodsMarketRound struct {
	market *GoodsMarket
	// visit serves the buyers: markets.VisitLists, or its unrolled twin
	// markets.VisitPairs for two-firm lists.
	visit markets.Visit
}

// NewGoodsMarketRound returns the goods market round of w, with the
// two-firm visits when paths allow it.
func NewGoodsMarketRound(w *ecs.World, paths Paths) *GoodsMarketRound {
	s := &GoodsMarketRound{market: GoodsMarketOf(w), visit: markets.VisitLists}
	if paths == Specialised && w.Params.MaxZ == 2 {
		s.visit = markets.VisitPairs
	}
	return s
}

// Name returns "goods_market_round".
func (*GoodsMarketRound) Name() string { return "goods_market_round" }

// Update runs the market.
func (s *GoodsMarketRound) Update(w *ecs.World) {
	s.market.Run(w.Rand, s.visit, w.Households.Consumer, w.Firms.Producer)
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
