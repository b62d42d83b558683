package markets_test

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

const goodsEPS = 1e-9

// goodsState is the input of one goods market.
type goodsState struct {
	buyers    []int32
	queue     []int32
	z         int
	budget    []float64
	price     []float64
	inventory []float64
}

// visitFor is the Visit the engine uses for lists of z firms: the unrolled
// VisitPairs for two, VisitLists otherwise (TestVisitPairsMatchesLists
// checks that the two agree).
func visitFor(z int) markets.Visit {
	if z == 2 {
		return markets.VisitPairs
	}
	return markets.VisitLists
}

func (g *goodsState) clone() *goodsState {
	return &goodsState{
		buyers:    slices.Clone(g.buyers),
		queue:     slices.Clone(g.queue),
		z:         g.z,
		budget:    slices.Clone(g.budget),
		price:     slices.Clone(g.price),
		inventory: slices.Clone(g.inventory),
	}
}

func (g *goodsState) run(r *rng.Rand) {
	markets.GoodsRound(r, visitFor(g.z), g.buyers, g.queue, g.z, g.budget, g.price, g.inventory, goodsEPS)
}

// checkGoods asserts the invariants of spec §5.28 / §15 between the state
// before and after a market: money and goods conservation
// (Σ spent = Σ price × (inv_before − inv_after)), 0 ≤ inventory ≤ initial,
// budgets only of buyers and only decreasing, buyers a permutation of the
// input, and every buyer left with budget > eps has only sold-out firms in
// its list.
func checkGoods(t tb, before, after *goodsState) {
	t.Helper()
	if !slices.Equal(slices.Sorted(slices.Values(after.buyers)), slices.Sorted(slices.Values(before.buyers))) {
		t.Fatalf("buyers %v are not a permutation of %v", after.buyers, before.buyers)
	}
	isBuyer := make([]bool, len(before.budget))
	for _, j := range before.buyers {
		isBuyer[j] = true
	}
	spent, scale := 0.0, 0.0
	for j := range before.budget {
		b0, b1 := before.budget[j], after.budget[j]
		if !isBuyer[j] && b1 != b0 {
			t.Fatalf("household %d is not a buyer but its budget changed %v → %v", j, b0, b1)
		}
		if b1 > b0 {
			t.Fatalf("household %d: budget rose %v → %v", j, b0, b1)
		}
		if b1 < -1e-12*max(1, b0) {
			t.Fatalf("household %d: budget %v < 0", j, b1)
		}
		spent += b0 - b1
		scale += abs(b0)
	}
	revenue := 0.0
	for f := range before.inventory {
		q0, q1 := before.inventory[f], after.inventory[f]
		if q1 < 0 || q1 > q0 {
			t.Fatalf("firm %d: inventory %v → %v, want within [0, %v]", f, q0, q1, q0)
		}
		revenue += before.price[f] * (q0 - q1)
		scale += before.price[f] * q0
	}
	if d := abs(spent - revenue); d > 1e-12*max(1, scale) {
		t.Fatalf("Σ spent %v ≠ Σ price×sold %v (diff %g)", spent, revenue, d)
	}
	for _, j := range before.buyers {
		if after.budget[j] <= goodsEPS {
			continue
		}
		for _, f := range before.queue[int(j)*before.z : int(j+1)*before.z] {
			if f < 0 {
				break
			}
			if after.inventory[f] > goodsEPS {
				t.Fatalf("buyer %d kept %v although firm %d in its list still has %v", j, after.budget[j], f, after.inventory[f])
			}
		}
	}
}

func TestGoodsMarket(t *testing.T) {
	tests := []struct {
		name    string
		in      goodsState
		wantBud []float64
		wantInv []float64
	}{
		{
			name:    "rationed buyer spends the remainder at the next firm",
			in:      goodsState{buyers: []int32{0}, queue: []int32{0, 1}, z: 2, budget: []float64{10}, price: []float64{2, 1}, inventory: []float64{3, 100}},
			wantBud: []float64{0},
			wantInv: []float64{0, 96},
		},
		{
			name:    "sold-out firm is skipped",
			in:      goodsState{buyers: []int32{0}, queue: []int32{0, 1}, z: 2, budget: []float64{10}, price: []float64{2, 1}, inventory: []float64{0, 100}},
			wantBud: []float64{0},
			wantInv: []float64{0, 90},
		},
		{
			name:    "inventory ≤ eps counts as sold out",
			in:      goodsState{buyers: []int32{0}, queue: []int32{0, 1}, z: 2, budget: []float64{10}, price: []float64{2, 1}, inventory: []float64{1e-12, 100}},
			wantBud: []float64{0},
			wantInv: []float64{1e-12, 90},
		},
		{
			name:    "buyer stops at an empty slot",
			in:      goodsState{buyers: []int32{0}, queue: []int32{0, -1, 1}, z: 3, budget: []float64{10}, price: []float64{2, 1}, inventory: []float64{3, 100}},
			wantBud: []float64{4},
			wantInv: []float64{0, 100},
		},
		{
			name:    "budget ≤ eps buys nothing",
			in:      goodsState{buyers: []int32{0}, queue: []int32{0}, z: 1, budget: []float64{1e-12}, price: []float64{1}, inventory: []float64{5}},
			wantBud: []float64{1e-12},
			wantInv: []float64{5},
		},
		{
			name:    "every firm sold out: the budget is kept",
			in:      goodsState{buyers: []int32{0}, queue: []int32{0, 1}, z: 2, budget: []float64{7}, price: []float64{1, 1, 1}, inventory: []float64{0, 0, 4}},
			wantBud: []float64{7},
			wantInv: []float64{0, 0, 4},
		},
		{
			name:    "buyer stops once its budget is spent",
			in:      goodsState{buyers: []int32{0}, queue: []int32{1, 0}, z: 2, budget: []float64{3}, price: []float64{2, 0.5}, inventory: []float64{10, 10}},
			wantBud: []float64{0},
			wantInv: []float64{10, 4},
		},
		{
			name: "only listed buyers shop",
			in: goodsState{
				buyers: []int32{2, 0}, queue: []int32{0, 1, 1, 0, 1, -1}, z: 2,
				budget: []float64{2, 50, 3}, price: []float64{1, 1}, inventory: []float64{1, 100},
			},
			wantBud: []float64{0, 50, 0},
			wantInv: []float64{0, 96},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.in.clone()
			g := tt.in.clone()
			g.run(rng.New(1, 2))
			checkGoods(t, before, g)
			if !slices.Equal(g.budget, tt.wantBud) {
				t.Errorf("budgets %v, want %v", g.budget, tt.wantBud)
			}
			if !slices.Equal(g.inventory, tt.wantInv) {
				t.Errorf("inventories %v, want %v", g.inventory, tt.wantInv)
			}
		})
	}
}

// TestGoodsMarketSequential checks that buyers are served one after the
// other in the (shuffled) order left in buyers: with one unit at one firm,
// only the first buyer gets it, and inventory changes are seen by later
// buyers.
func TestGoodsMarketSequential(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			g := &goodsState{
				buyers: []int32{0, 1, 2}, queue: []int32{0, 0, 0}, z: 1,
				budget: []float64{1, 1, 1}, price: []float64{1}, inventory: []float64{1.5},
			}
			before := g.clone()
			g.run(rng.New(seed, 1))
			checkGoods(t, before, g)
			first, second, third := g.buyers[0], g.buyers[1], g.buyers[2]
			if g.budget[first] != 0 || g.budget[second] != 0.5 || g.budget[third] != 1 {
				t.Fatalf("order %v: budgets %v, want first 0, second 0.5, third 1", g.buyers, g.budget)
			}
			if g.inventory[0] != 0 {
				t.Fatalf("inventory %v, want 0", g.inventory[0])
			}
		})
	}
}

// TestGoodsMarketShuffleUniform checks that the service order is a uniform
// permutation of the buyers.
func TestGoodsMarketShuffleUniform(t *testing.T) {
	const draws = 60000
	r := rng.New(7, 7)
	counts := map[[3]int32]int{}
	budget := make([]float64, 3)
	inv := make([]float64, 1)
	for range draws {
		buyers := []int32{0, 1, 2}
		copy(budget, []float64{1, 1, 1})
		inv[0] = 10
		markets.GoodsRound(r, markets.VisitLists, buyers, []int32{0, 0, 0}, 1, budget, []float64{1}, inv, goodsEPS)
		counts[[3]int32(buyers)]++
	}
	if len(counts) != 6 {
		t.Fatalf("%d distinct orders, want 6: %v", len(counts), counts)
	}
	c := make([]int, 0, 6)
	for _, n := range counts {
		c = append(c, n)
	}
	if chi, crit := chiSquare(c, draws), chiSquareCritical(5, 3.29); chi > crit {
		t.Errorf("chi-square %.1f > %.1f: orders not uniform: %v", chi, crit, counts)
	}
}

// TestGoodsMarketNoDraw checks that nothing happens and nothing is drawn
// when there is no buyer or the total inventory is ≤ eps.
func TestGoodsMarketNoDraw(t *testing.T) {
	tests := []struct {
		name string
		in   goodsState
	}{
		{"no buyer", goodsState{buyers: nil, queue: []int32{0, 1}, z: 1, budget: []float64{5, 5}, price: []float64{1, 1}, inventory: []float64{3, 3}}},
		{"empty buyers slice", goodsState{buyers: []int32{}, queue: []int32{0}, z: 1, budget: []float64{5}, price: []float64{1}, inventory: []float64{3}}},
		{"no inventory", goodsState{buyers: []int32{0, 1}, queue: []int32{0, 1}, z: 1, budget: []float64{5, 5}, price: []float64{1, 1}, inventory: []float64{0, 0}}},
		{"total inventory ≤ eps", goodsState{buyers: []int32{0, 1}, queue: []int32{0, 1}, z: 1, budget: []float64{5, 5}, price: []float64{1, 1}, inventory: []float64{4e-10, 5e-10}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rng.New(21, 22)
			ref := rng.New(21, 22)
			g := tt.in.clone()
			g.run(r)
			if r.Uint64() != ref.Uint64() {
				t.Error("GoodsMarket drew from the RNG")
			}
			if !slices.Equal(g.buyers, tt.in.buyers) || !slices.Equal(g.budget, tt.in.budget) || !slices.Equal(g.inventory, tt.in.inventory) {
				t.Errorf("state changed: buyers %v budgets %v inventory %v", g.buyers, g.budget, g.inventory)
			}
		})
	}
	// Control: with a buyer and stock, the shuffle does draw.
	r := rng.New(21, 22)
	ref := rng.New(21, 22)
	g := &goodsState{buyers: []int32{0, 1}, queue: []int32{0, 0}, z: 1, budget: []float64{1, 1}, price: []float64{1}, inventory: []float64{1}}
	g.run(r)
	if r.Uint64() == ref.Uint64() {
		t.Error("control: a market with buyers and stock did not draw")
	}
}

func TestGoodsMarketRandom(t *testing.T) {
	r := rng.New(5, 6)
	for range 200 {
		g := randomGoods(r, 1+r.IntN(50), 1+r.IntN(10), 1+r.IntN(4))
		before := g.clone()
		g.run(r)
		checkGoods(t, before, g)
	}
}

// randomGoods draws a market as in spec §5.27: each household with a budget
// > eps is a buyer with a cheapest-first list of min(z, nf) distinct firms.
func randomGoods(r *rng.Rand, nh, nf, z int) *goodsState {
	g := &goodsState{z: z, queue: make([]int32, nh*z), budget: make([]float64, nh), price: make([]float64, nf), inventory: make([]float64, nf)}
	for f := range nf {
		g.price[f] = 0.5 + r.Float64()
		if r.IntN(4) != 0 {
			g.inventory[f] = r.Float64() * 20
		}
	}
	for i := range g.queue {
		g.queue[i] = -1
	}
	dst := make([]int32, z)
	for j := range nh {
		if r.IntN(5) != 0 {
			g.budget[j] = r.Float64() * 10
		}
		if g.budget[j] <= goodsEPS {
			continue
		}
		g.buyers = append(g.buyers, int32(j))
		s := markets.SampleIndices(r, nf, min(z, nf), -1, dst)
		slices.SortStableFunc(s, func(a, b int32) int { return cmp.Compare(g.price[a], g.price[b]) })
		copy(g.queue[j*z:], s)
	}
	return g
}

func TestGoodsMarketNoAlloc(t *testing.T) {
	r := rng.New(1, 2)
	g := randomGoods(r, 200, 20, 3)
	budget, inv := slices.Clone(g.budget), slices.Clone(g.inventory)
	if a := testing.AllocsPerRun(50, func() {
		copy(budget, g.budget)
		copy(inv, g.inventory)
		markets.GoodsRound(r, visitFor(g.z), g.buyers, g.queue, g.z, budget, g.price, inv, goodsEPS)
	}); a != 0 {
		t.Errorf("GoodsRound: %v allocs per call", a)
	}
}

// TestVisitPairsMatchesLists checks that the unrolled two-firm visits
// leave every budget and inventory bit-for-bit as the plain loop does, on random markets that include empty slots (also a filled slot
// after an empty one), sold-out firms, budgets at and below eps and
// budgets that a single firm exhausts exactly.
func TestVisitPairsMatchesLists(t *testing.T) {
	gen := rng.New(7, 11)
	for trial := range 400 {
		nh, nf := 1+gen.IntN(60), 1+gen.IntN(8)
		g := &goodsState{z: 2, queue: make([]int32, 2*nh), budget: make([]float64, nh),
			price: make([]float64, nf), inventory: make([]float64, nf)}
		for i := range nf {
			g.price[i] = 0.5 + gen.Float64()
			switch gen.IntN(4) {
			case 0:
				g.inventory[i] = 0
			case 1:
				g.inventory[i] = goodsEPS / 2
			default:
				g.inventory[i] = 3 * gen.Float64()
			}
		}
		for j := range nh {
			g.buyers = append(g.buyers, int32(j))
			for k := range 2 {
				g.queue[2*j+k] = int32(gen.IntN(nf+1)) - 1 // −1 = empty slot
			}
			switch gen.IntN(5) {
			case 0:
				g.budget[j] = goodsEPS
			case 1:
				g.budget[j] = g.price[max(g.queue[2*j], 0)] * 0.25 // a quarter unit
			default:
				g.budget[j] = 2 * gen.Float64()
			}
		}
		fast, general := g.clone(), g.clone()
		markets.GoodsRound(rng.New(uint64(trial), 1), markets.VisitPairs, fast.buyers, fast.queue, 2, fast.budget, fast.price, fast.inventory, goodsEPS)
		markets.GoodsRound(rng.New(uint64(trial), 1), markets.VisitLists, general.buyers, general.queue, 2, general.budget, general.price, general.inventory, goodsEPS)
		for j := range nh {
			if math.Float64bits(fast.budget[j]) != math.Float64bits(general.budget[j]) {
				t.Fatalf("trial %d: buyer %d budget %v (unrolled) vs %v (general)", trial, j, fast.budget[j], general.budget[j])
			}
		}
		for i := range nf {
			if math.Float64bits(fast.inventory[i]) != math.Float64bits(general.inventory[i]) {
				t.Fatalf("trial %d: firm %d inventory %v (unrolled) vs %v (general)", trial, i, fast.inventory[i], general.inventory[i])
			}
		}
	}
}
