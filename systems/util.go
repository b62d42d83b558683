package systems

import (
	"math"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

// EPS is the model's zero tolerance (spec §0).
const EPS = ecs.EPS

// generalPaths disables the specialised fast paths for the default
// parameters (two-firm shopping lists, job queues drawn straight into their
// rows, the labour rounds' seekers list, the inlined x^2.5 of the
// propensity), so that tests can check that both give the same economy.
var generalPaths = false

// groupByEmployer fills w.Scratch.Workforce with the employees of the
// firms i with only[i] set (every firm when only is nil), grouped by
// employer in household order, and WorkforceStart with the group offsets:
// such a firm's employees are Workforce[WorkforceStart[i]:WorkforceStart[i+1]]
// (the groups of the other firms are empty).
//
// The group sizes are taken from the firms' L_i, so one pass over the
// households places everybody; if a size disagrees with the households
// (a custom system broke the invariant), they are counted and the
// households placed again. O(NH + NF).
func groupByEmployer(w *ecs.World, only []bool) {
	s := &w.Scratch
	emp := w.Firms.Employer
	size := s.FirmI32A
	for i := range emp {
		size[i] = 0
		if only == nil || only[i] {
			size[i] = max(emp[i].CurrentLabor, 0)
		}
	}
	if placeWorkforce(w, only, size) {
		return
	}
	clear(size)
	for _, h := range w.Households.Worker {
		if e := h.Employer; e >= 0 && (only == nil || only[e]) {
			size[e]++
		}
	}
	placeWorkforce(w, only, size)
}

// placeWorkforce lays out groups of the given sizes and places the
// employees of the selected firms in household order; it reports whether
// every group received exactly its size (writes beyond a group are
// dropped).
func placeWorkforce(w *ecs.World, only []bool, size []int32) bool {
	s := &w.Scratch
	start, next := s.WorkforceStart, s.FirmI32B
	nf := len(w.Firms.Employer)
	off := int32(0)
	for i := range nf {
		start[i], next[i] = off, off
		off += size[i]
	}
	start[nf] = off
	if int(off) > len(s.Workforce) {
		return false
	}
	for j, h := range w.Households.Worker {
		if e := h.Employer; e >= 0 && (only == nil || only[e]) {
			if next[e] < start[e+1] {
				s.Workforce[next[e]] = int32(j)
			}
			next[e]++
		}
	}
	for i := range nf {
		if next[i] != start[i+1] {
			return false
		}
	}
	return true
}

// sortByKey sorts idx stably by key[idx[·]], ascending or (desc) descending.
// The lists sorted here (job, loan and shopping queues) hold at most max_M,
// max_H or max_Z entries; up to 8 entries are placed by their ranks,
// counted with branch-free comparisons of every pair (the comparisons of a
// sort of random keys are unpredictable, so branches cost more than the
// extra comparisons), longer lists and keys that do not order strictly
// (NaN) by insertion sort.
func sortByKey(idx []int32, key []float64, desc bool) {
	n := len(idx)
	if n < 2 {
		return
	}
	if n == 4 && rankSort4(idx, key, desc) {
		return
	}
	if n <= 8 && rankSort(idx, key, desc) {
		return
	}
	for a := 1; a < n; a++ {
		x := idx[a]
		kx := key[x]
		b := a
		for b > 0 && (!desc && key[idx[b-1]] > kx || desc && key[idx[b-1]] < kx) {
			idx[b] = idx[b-1]
			b--
		}
		idx[b] = x
	}
}

// rankSort is sortByKey for 2 ≤ len(idx) ≤ 8. Entry a's place is the
// number of entries that precede it: those with a smaller key (a larger one
// when desc) and, on equal keys, those before it. It reports false, leaving
// idx unchanged, when a key is NaN.
func rankSort(idx []int32, key []float64, desc bool) bool {
	var ks [8]float64
	var xs [8]int32
	var rank [8]int
	n := len(idx)
	nan := false
	for a, x := range idx {
		xs[a] = x
		ks[a] = key[x]
		if desc {
			ks[a] = -ks[a]
		}
		nan = nan || ks[a] != ks[a]
	}
	if nan {
		return false
	}
	for a := 1; a < n; a++ {
		for b := 0; b < a; b++ {
			c := b2i(ks[b] <= ks[a]) // b (earlier) precedes a
			rank[a] += c
			rank[b] += 1 - c
		}
	}
	for a := range n {
		idx[rank[a]] = xs[a]
	}
	return true
}

// rankSort4 is rankSort unrolled for four entries (the default max_M), with
// the keys and places in registers.
func rankSort4(idx []int32, key []float64, desc bool) bool {
	idx = idx[:4]
	x0, x1, x2, x3 := idx[0], idx[1], idx[2], idx[3]
	k0, k1, k2, k3 := key[x0], key[x1], key[x2], key[x3]
	if desc {
		k0, k1, k2, k3 = -k0, -k1, -k2, -k3
	}
	if k0 != k0 || k1 != k1 || k2 != k2 || k3 != k3 {
		return false
	}
	c01, c02, c03 := b2i(k0 <= k1), b2i(k0 <= k2), b2i(k0 <= k3)
	c12, c13, c23 := b2i(k1 <= k2), b2i(k1 <= k3), b2i(k2 <= k3)
	r0 := 3 - c01 - c02 - c03
	r1 := c01 + 2 - c12 - c13
	r2 := c02 + c12 + 1 - c23
	r3 := c03 + c13 + c23
	idx[r0&3], idx[r1&3], idx[r2&3], idx[r3&3] = x0, x1, x2, x3
	return true
}

// b2i is 1 for true and 0 for false (compiled without a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pick is a when c holds and b otherwise, chosen without a branch (the
// compiler does not turn float selections into conditional moves). Used
// where c is a coin toss for the branch predictor.
func pick(c bool, a, b float64) float64 {
	m := -uint64(b2i(c))
	x, y := math.Float64bits(a), math.Float64bits(b)
	return math.Float64frombits(y ^ (x^y)&m)
}

// atLeastZero is max(x, 0) to the bit (NaN stays NaN, −0 becomes +0) in
// three instructions: Go's float max spends about eleven on its NaN and
// signed-zero rules, which matters once per household and period.
func atLeastZero(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x
}

// layOff ends household j's contract with firm i as a layoff (spec §5.6,
// §5.19): the worker remembers the firm but is not loyal to it.
func layOff(wk *ecs.World, j int32, i int32) {
	h := &wk.Households.Worker[j]
	h.Employer = -1
	h.EmployerPrev = i
	h.Wage = 0
	h.PeriodsLeft = 0
	h.ContractExpired = false
	h.Fired = true
}

// fill sets every element of s to v (by doubling copies, which run as
// block moves).
func fill(s []int32, v int32) {
	if len(s) == 0 {
		return
	}
	s[0] = v
	for i := 1; i < len(s); i *= 2 {
		copy(s[i:], s[:i])
	}
}

// unemployedOf writes the slots of the households without an employer, in
// household order, to out (len(out) ≥ len(ws)) and returns them. It is a
// branch-free compaction, kept out of line so that its loop gets registers
// of its own (inlined into a large system, its counters were spilled).
//
//go:noinline
func unemployedOf(ws []components.Worker, out []int32) []int32 {
	out = out[:len(ws)]
	n := 0
	for j := range ws {
		out[n] = int32(j)
		n += int(uint32(ws[j].Employer) >> 31) // 1 when employer < 0
	}
	return out[:n]
}
