package markets

import "github.com/bam-abm/bam/ecs/rng"

// LaborRound runs the rounds of the labour market (spec §5.11) over queues
// and cursors that its caller keeps (package systems keeps them in its
// LaborMarket). It owns the work arrays of a round — the matcher and the
// gathered applications — so one LaborRound is created per economy and
// reused by every round.
type LaborRound struct {
	matcher  *Matcher
	worker   []int32
	target   []int32
	accepted []bool
}

// NewLaborRound returns the rounds of a labour market of nHouseholds
// workers and nFirms firms (O(nHouseholds + nFirms) memory).
func NewLaborRound(nHouseholds, nFirms int) *LaborRound {
	return &LaborRound{
		matcher:  NewMatcher(nHouseholds, nFirms),
		worker:   make([]int32, nHouseholds),
		target:   make([]int32, nHouseholds),
		accepted: make([]bool, nHouseholds),
	}
}

// Run runs one synchronous labour-market round (spec §5.11).
//
// seekers are the unemployed workers. Worker j's queue is
// queue[j·m : (j+1)·m] (−1 = empty slot) and cursor[j] its position
// (−1 = exhausted). Each seeker with a valid cursor applies to the firm at
// its cursor; the cursor then advances in every case and becomes −1 when the
// queue is exhausted or the next slot is empty. An application is valid if
// the firm has vacancies[f] > 0 at the start of the round. Each firm accepts
// a uniformly random subset of min(vacancies, valid applicants).
//
// Accepted pairs are written to hiredWorker and hiredFirm (which need room
// for len(seekers) entries); vacancies are reduced and the hired workers'
// cursors set to −1. It returns the number of hires. It does not allocate;
// it panics if seekers holds more workers than the LaborRound was made for.
func (lm *LaborRound) Run(r *rng.Rand, seekers, queue []int32, m int, cursor, vacancies []int32, hiredWorker, hiredFirm []int32) int {
	n := 0
	for _, j := range seekers {
		c := cursor[j]
		if c < 0 {
			continue
		}
		base := int(j) * m
		f := queue[base+int(c)]
		c++
		if int(c) >= m || queue[base+int(c)] < 0 {
			c = -1
		}
		cursor[j] = c
		if f < 0 || vacancies[f] <= 0 {
			continue
		}
		lm.worker[n] = j
		lm.target[n] = f
		n++
	}
	if n == 0 {
		return 0
	}
	acc := lm.accepted[:n]
	lm.matcher.Resolve(r, lm.target[:n], vacancies, acc)
	h := 0
	for a, ok := range acc {
		if ok {
			hiredWorker[h] = lm.worker[a]
			hiredFirm[h] = lm.target[a]
			cursor[lm.worker[a]] = -1
			h++
		}
	}
	return h
}
