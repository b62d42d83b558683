package systems

import (
	"github.com/bam-abm/bam/ecs/rng"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

// EPS is the model's zero tolerance (spec §0).
const EPS = ecs.EPS

// workforce groups households by employer, for the systems that lay
// workers off: the employees of the selected firms in household order.
// Each such system owns one (O(NH + NF) memory).
type workforce struct {
	members []int32 // households grouped by employer
	start   []int32 // firm i's employees are members[start[i]:start[i+1]]
	size    []int32 // group sizes (work array)
	next    []int32 // next free place of each group (work array)
}

func newWorkforce(households, firms int) *workforce {
	return &workforce{
		members: make([]int32, households),
		start:   make([]int32, firms+1),
		size:    make([]int32, firms),
		next:    make([]int32, firms),
	}
}

// of returns firm i's employees as grouped by the last group call (empty
// for a firm that was not selected). The slice is the workforce's; callers
// may reorder it.
func (wf *workforce) of(i int) []int32 { return wf.members[wf.start[i]:wf.start[i+1]] }

// group groups the employees of the firms i with only[i] set. The group
// sizes are taken from the firms' L_i, so one pass over the households
// places everybody; if a size disagrees with the households (a custom
// system changed Worker.Employer without Employer.CurrentLabor), they are
// counted and placed again. O(NH + NF).
func (wf *workforce) group(workers []components.Worker, employers []components.Employer, only []bool) {
	for i := range employers {
		wf.size[i] = 0
		if only[i] {
			wf.size[i] = max(employers[i].CurrentLabor, 0)
		}
	}
	if wf.place(workers, only) {
		return
	}
	clear(wf.size)
	for j := range workers {
		if h := &workers[j]; h.Employed() && only[h.Employer] {
			wf.size[h.Employer]++
		}
	}
	wf.place(workers, only)
}

// place lays out groups of the sizes in wf.size and places the employees of
// the selected firms in household order; it reports whether every group
// received exactly its size (writes beyond a group are dropped).
func (wf *workforce) place(workers []components.Worker, only []bool) bool {
	nf := len(wf.size)
	off := int32(0)
	for i := range nf {
		wf.start[i], wf.next[i] = off, off
		off += wf.size[i]
	}
	wf.start[nf] = off
	if int(off) > len(wf.members) {
		return false
	}
	for j := range workers {
		h := &workers[j]
		if !h.Employed() || !only[h.Employer] {
			continue
		}
		if e := h.Employer; wf.next[e] < wf.start[e+1] {
			wf.members[wf.next[e]] = int32(j)
		}
		wf.next[h.Employer]++
	}
	for i := range nf {
		if wf.next[i] != wf.start[i+1] {
			return false
		}
	}
	return true
}

// drawNext moves a uniformly random one of staff[k:] to staff[k] and
// returns it: called for k = 0, 1, …, it draws employees without
// replacement in uniformly random order (one IntN each).
func drawNext(r *rng.Rand, staff []int32, k int) int32 {
	c := k + r.IntN(len(staff)-k)
	staff[k], staff[c] = staff[c], staff[k]
	return staff[k]
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

// layOff ends household h's contract with firm i as a layoff (spec §5.6,
// §5.19): the worker remembers the firm but is not loyal to it. The firm's
// counters are the caller's.
func layOff(h *components.Worker, i int32) {
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
