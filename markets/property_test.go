package markets_test

import (
	"cmp"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
	"pgregory.net/rapid"
)

// Property tests of the market invariants (spec §15) over random sizes and
// inputs. Each property reuses the checker of the corresponding unit test.

func TestPropSampleIndices(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		k := rapid.IntRange(0, 45).Draw(t, "k")
		forced := int32(-1)
		if n > 0 && rapid.Bool().Draw(t, "hasForced") {
			forced = rapid.Int32Range(0, int32(n-1)).Draw(t, "forced")
		}
		r := rng.New(rapid.Uint64().Draw(t, "seed"), 0)
		got := markets.SampleIndices(r, n, k, forced, make([]int32, max(k, 1)))
		checkSample(t, n, k, forced, got)
		if k >= n {
			for i, x := range got {
				if x != int32(i) {
					t.Fatalf("k ≥ n: got %v, want 0..n−1 in order", got)
				}
			}
		}
	})
}

func TestPropResolve(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nt := rapid.IntRange(1, 20).Draw(t, "targets")
		target := rapid.SliceOfN(rapid.Int32Range(0, int32(nt-1)), 0, 200).Draw(t, "target")
		capacity := rapid.SliceOfN(rapid.Int32Range(-2, 8), nt, nt).Draw(t, "capacity")
		r := rng.New(rapid.Uint64().Draw(t, "seed"), 0)
		m := markets.NewMatcher(len(target)+rapid.IntRange(0, 5).Draw(t, "spare"), nt)
		acc := make([]bool, len(target))
		c := slices.Clone(capacity)
		m.Resolve(r, target, c, acc)
		checkResolve(t, target, capacity, c, acc)
	})
}

// TestPropLaborNoOverHiring plays max_M rounds of the labour market on
// random queues (uniform subsets of the firms, as in spec §5.10) and random
// vacancies, checking every round with checkedRound: no over-hiring, exactly
// min(V, valid applicants) hires per firm, cursor rules, hired cursors −1.
func TestPropLaborNoOverHiring(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nh := rapid.IntRange(1, 60).Draw(t, "households")
		nf := rapid.IntRange(1, 15).Draw(t, "firms")
		m := rapid.IntRange(1, 6).Draw(t, "maxM")
		s := &laborState{m: m, queue: make([]int32, nh*m), cursor: make([]int32, nh)}
		for i := range s.queue {
			s.queue[i] = -1
		}
		for j := range nh {
			s.cursor[j] = -1
			if !rapid.Bool().Draw(t, "unemployed") {
				continue
			}
			row := rapid.SliceOfNDistinct(rapid.Int32Range(0, int32(nf-1)), 0, min(m, nf), rapid.ID[int32]).Draw(t, "queue")
			copy(s.queue[j*m:], row)
			if len(row) > 0 {
				s.cursor[j] = 0
			}
			s.seekers = append(s.seekers, int32(j))
		}
		s.vacancies = rapid.SliceOfN(rapid.Int32Range(-1, 6), nf, nf).Draw(t, "vacancies")
		vac0 := slices.Clone(s.vacancies)
		r := rng.New(rapid.Uint64().Draw(t, "seed"), 0)
		lm := markets.NewLaborRound(nh, nf)
		hiredBy := make([]int32, nf)
		for range m {
			hw, hf := checkedRound(t, lm, r, s)
			for _, f := range hf {
				hiredBy[f]++
			}
			s.seekers = removeHired(s.seekers, hw)
		}
		for f := range nf {
			if hiredBy[f] > max(vac0[f], 0) {
				t.Fatalf("firm %d hired %d with %d vacancies", f, hiredBy[f], vac0[f])
			}
		}
	})
}

// TestPropGoodsConservation checks money and goods conservation and
// 0 ≤ inventory ≤ initial on random goods markets.
func TestPropGoodsConservation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nh := rapid.IntRange(0, 40).Draw(t, "households")
		nf := rapid.IntRange(1, 12).Draw(t, "firms")
		z := rapid.IntRange(1, 4).Draw(t, "maxZ")
		g := &goodsState{z: z, queue: make([]int32, nh*z)}
		g.price = rapid.SliceOfN(rapid.Float64Range(0.01, 10), nf, nf).Draw(t, "price")
		g.inventory = rapid.SliceOfN(rapid.OneOf(rapid.Just(0.0), rapid.Float64Range(0, 50)), nf, nf).Draw(t, "inventory")
		g.budget = rapid.SliceOfN(rapid.OneOf(rapid.Just(0.0), rapid.Float64Range(0, 100)), nh, nh).Draw(t, "budget")
		for i := range g.queue {
			g.queue[i] = -1
		}
		for j := range nh {
			if g.budget[j] <= goodsEPS {
				continue
			}
			g.buyers = append(g.buyers, int32(j))
			row := rapid.SliceOfNDistinct(rapid.Int32Range(0, int32(nf-1)), 1, min(z, nf), rapid.ID[int32]).Draw(t, "queue")
			slices.SortStableFunc(row, func(a, b int32) int { return cmp.Compare(g.price[a], g.price[b]) })
			copy(g.queue[j*z:], row)
		}
		before := g.clone()
		g.run(rng.New(rapid.Uint64().Draw(t, "seed"), 0))
		checkGoods(t, before, g)
	})
}

// TestPropCreditWithinSupply checks that in a credit round every grant is in
// [0, request], each bank lends at most its supply at the start, supply is
// reduced by the grants, and banks serve in ascending (fragility, firm).
func TestPropCreditWithinSupply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nb := rapid.IntRange(1, 6).Draw(t, "banks")
		nfirms := rapid.IntRange(0, 60).Draw(t, "firms")
		apps := make([]markets.CreditApp, nfirms)
		frag := rapid.OneOf(rapid.SampledFrom([]float64{0, 0.25, 0.5, 1}), rapid.Float64Range(0, 5))
		req := rapid.OneOf(rapid.Just(0.0), rapid.Float64Range(-5, 0), rapid.Float64Range(0, 40))
		for i := range apps {
			apps[i] = markets.CreditApp{
				Firm:      int32(i),
				Bank:      rapid.Int32Range(0, int32(nb-1)).Draw(t, "bank"),
				Fragility: frag.Draw(t, "fragility"),
				Request:   req.Draw(t, "request"),
			}
		}
		supply := rapid.SliceOfN(rapid.OneOf(rapid.Just(0.0), rapid.Float64Range(0, 100)), nb, nb).Draw(t, "supply")
		a, s := slices.Clone(apps), slices.Clone(supply)
		markets.CreditRound(a, s)
		checkCredit(t, apps, a, supply, s)
	})
}
