package markets_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/markets"
)

// reportPerAgent reports the time per agent (application, household, …) of
// one benchmark iteration. Call it after the b.Loop loop.
func reportPerAgent(b *testing.B, agents int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(agents), "ns/agent")
}

func BenchmarkSampleIndices(b *testing.B) {
	for _, bc := range []struct {
		n, k   int
		forced int32
	}{{100, 2, -1}, {100, 4, -1}, {100, 2, 17}, {10, 4, -1}, {10, 8, -1}, {10, 8, 3}} {
		b.Run(fmt.Sprintf("n=%d,k=%d,forced=%v", bc.n, bc.k, bc.forced >= 0), func(b *testing.B) {
			r := rng.New(1, 2)
			dst := make([]int32, bc.k)
			b.ReportAllocs()
			for b.Loop() {
				markets.SampleIndices(r, bc.n, bc.k, bc.forced, dst)
			}
			reportPerAgent(b, 1)
		})
	}
}

func BenchmarkResolve(b *testing.B) {
	for _, apps := range []int{500, 5000, 50000} {
		b.Run(fmt.Sprintf("apps=%d", apps), func(b *testing.B) {
			nt := apps / 5
			r := rng.New(1, 2)
			target := make([]int32, apps)
			for a := range target {
				target[a] = int32(r.IntN(nt))
			}
			cap0 := make([]int32, nt)
			for t := range cap0 {
				cap0[t] = int32(r.IntN(4))
			}
			capacity := make([]int32, nt)
			acc := make([]bool, apps)
			m := markets.NewMatcher(apps, nt)
			b.ReportAllocs()
			for b.Loop() {
				copy(capacity, cap0)
				m.Resolve(r, target, capacity, acc)
			}
			reportPerAgent(b, apps)
		})
	}
}

func BenchmarkLaborRound(b *testing.B) {
	const m = 4 // max_M default
	for _, nh := range []int{500, 5000, 50000} {
		b.Run(fmt.Sprintf("households=%d", nh), func(b *testing.B) {
			nf := nh / 5
			r := rng.New(1, 2)
			queue := make([]int32, nh*m)
			dst := make([]int32, m)
			seekers := make([]int32, nh)
			for j := range nh {
				seekers[j] = int32(j)
				copy(queue[j*m:], markets.SampleIndices(r, nf, m, -1, dst))
			}
			vac0 := make([]int32, nf)
			for f := range vac0 {
				vac0[f] = int32(r.IntN(6)) // ≈ 2.5 per firm: about half the seekers can be hired
			}
			cursor, vac := make([]int32, nh), make([]int32, nf)
			hw, hf := make([]int32, nh), make([]int32, nh)
			lm := markets.NewLaborRound(nh, nf)
			b.ReportAllocs()
			for b.Loop() {
				clear(cursor)
				copy(vac, vac0)
				lm.Run(r, seekers, queue, m, cursor, vac, hw, hf)
			}
			reportPerAgent(b, nh)
		})
	}
}

func BenchmarkGoodsMarket(b *testing.B) {
	const z = 2 // max_Z default
	for _, nh := range []int{500, 5000, 50000} {
		b.Run(fmt.Sprintf("households=%d", nh), func(b *testing.B) {
			nf := nh / 5
			r := rng.New(1, 2)
			price, inv0 := make([]float64, nf), make([]float64, nf)
			for f := range nf {
				price[f] = 1 + 0.1*r.Float64()
				inv0[f] = 4 * r.Float64() // supply ≈ demand
			}
			queue := make([]int32, nh*z)
			dst := make([]int32, z)
			buyers0 := make([]int32, nh)
			bud0 := make([]float64, nh)
			for j := range nh {
				buyers0[j] = int32(j)
				bud0[j] = 2 * r.Float64()
				s := markets.SampleIndices(r, nf, z, -1, dst)
				slices.SortFunc(s, func(a, b int32) int { return cmp.Compare(price[a], price[b]) })
				copy(queue[j*z:], s)
			}
			buyers, budget, inv := make([]int32, nh), make([]float64, nh), make([]float64, nf)
			b.ReportAllocs()
			for b.Loop() {
				copy(buyers, buyers0)
				copy(budget, bud0)
				copy(inv, inv0)
				markets.GoodsRound(r, markets.VisitPairs, buyers, queue, z, budget, price, inv, goodsEPS)
			}
			reportPerAgent(b, nh)
		})
	}
}

func BenchmarkCreditRound(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			r := rng.New(1, 2)
			apps0, sup0 := randomCredit(r, n, max(n/10, 1))
			apps, supply := slices.Clone(apps0), slices.Clone(sup0)
			b.ReportAllocs()
			for b.Loop() {
				copy(apps, apps0)
				copy(supply, sup0)
				markets.CreditRound(apps, supply)
			}
			reportPerAgent(b, n)
		})
	}
}
