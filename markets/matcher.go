package markets

import "github.com/bam-abm/bam/ecs/rng"

// Matcher resolves conflicts between applications that compete for a
// limited capacity (spec §4.2). It owns the scratch buffers of the
// resolution, so a Matcher is created once and reused every round.
type Matcher struct {
	start []int32 // per-target bucket offsets (counting sort)
	order []int32 // application indices grouped by target
}

// NewMatcher returns a matcher for up to maxApps applications per round and
// targets numbered 0 … nTargets−1.
func NewMatcher(maxApps, nTargets int) *Matcher {
	return &Matcher{start: make([]int32, nTargets+1), order: make([]int32, maxApps)}
}

// Resolve accepts, for every target t, a uniformly random subset of
// min(capacity[t], n_t) of the n_t applications naming t, independently
// across targets, and rejects the rest. This has the same distribution as
// bamengine's "random priority per application, sort by (target, priority),
// accept the first capacity[t]".
//
// target[a] is the target of application a (every target must be valid).
// On return accepted[a] tells whether a was accepted and capacity[t] is
// reduced by the number accepted at t. Random draws are made only for
// targets with more applicants than capacity.
func (m *Matcher) Resolve(r *rng.Rand, target []int32, capacity []int32, accepted []bool) {
	start := m.start
	clear(start)
	for _, t := range target {
		start[t+1]++
	}
	for t := 1; t < len(start); t++ {
		start[t] += start[t-1]
	}
	// Place applications; afterwards start[t] is the end of bucket t, so
	// bucket t spans [start[t-1] (or 0), start[t]).
	order := m.order[:len(target)]
	for a, t := range target {
		order[start[t]] = int32(a)
		start[t]++
	}
	lo := int32(0)
	for t := 0; t < len(start)-1; t++ {
		hi := start[t]
		n := hi - lo
		if n == 0 {
			continue
		}
		c := capacity[t]
		if c < 0 {
			c = 0
		}
		if n <= c {
			for _, a := range order[lo:hi] {
				accepted[a] = true
			}
			capacity[t] -= n
		} else {
			seg := order[lo:hi]
			// Partial Fisher–Yates: the first c entries become a uniform
			// random c-subset of the bucket.
			for i := int32(0); i < c; i++ {
				j := i + int32(r.IntN(int(n-i)))
				seg[i], seg[j] = seg[j], seg[i]
				accepted[seg[i]] = true
			}
			for _, a := range seg[c:] {
				accepted[a] = false
			}
			capacity[t] -= c
		}
		lo = hi
	}
}
