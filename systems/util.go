package systems

import "github.com/bam-abm/bam/ecs"

// EPS is the model's zero tolerance (spec §0).
const EPS = ecs.EPS

// groupByEmployer fills w.Scratch.Workforce with the employed households
// grouped by employer (in household order within a firm) and
// WorkforceStart with the group offsets: firm i's employees are
// Workforce[WorkforceStart[i]:WorkforceStart[i+1]]. O(NH + NF).
func groupByEmployer(w *ecs.World) {
	s := &w.Scratch
	start := s.WorkforceStart
	clear(start)
	workers := w.Households.Worker
	for j := range workers {
		if e := workers[j].Employer; e >= 0 {
			start[e+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	next := s.FirmI32B
	copy(next, start[:len(start)-1])
	for j := range workers {
		if e := workers[j].Employer; e >= 0 {
			s.Workforce[next[e]] = int32(j)
			next[e]++
		}
	}
}

// sortByKey sorts idx stably by key[idx[·]], ascending or (desc) descending.
// It is an insertion sort: the lists sorted here (job, loan and shopping
// queues) hold at most max_M, max_H or max_Z entries.
func sortByKey(idx []int32, key []float64, desc bool) {
	for a := 1; a < len(idx); a++ {
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
