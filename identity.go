package bam

import (
	"fmt"
	"slices"

	"github.com/bam-abm/bam/ecs"
)

// Persistent agent ids.
//
// An agent's slot keeps its number for the whole run, but when a firm or a
// bank goes bankrupt its slot is re-initialised as an entrant (spec §5.36,
// §5.37; see docs/architecture.md): a slot's series is a sequence of
// agents. Ids tell them apart. The agents of the initial population have
// the ids of their slots, 0 … N−1; every entrant takes the next free id,
// N, N+1, …, in the order of entry (by period, then by slot), and records
// the period it entered. Households never exit: a household's id is its
// slot.
//
// The ids advance in [Simulation.Step], after the whole period (observers
// included) has run, for the slots that the period's bankruptcy phase
// marked (ecs.Economy.FirmExiting, BankExiting), unless every agent of the
// kind exited (the economy collapses, and nobody enters). So during a
// period, and in whatever a period's observers record, the ids are those
// of the agents that were active in the period; in a slot that exits, the
// values of the end of the period (after spawn_replacement_firms) are the
// entrant's. Tracking the ids reads the world and changes nothing.

// agentIDs are the persistent ids of one agent kind.
type agentIDs struct {
	ID      []int64 // the id of the agent in each slot
	Entered []int32 // the period that agent entered: 0 for the initial population, −1 unknown
	Next    int64   // the next free id
}

// newAgentIDs returns the ids of an initial population of n agents.
func newAgentIDs(n int) agentIDs {
	a := agentIDs{ID: make([]int64, n), Entered: make([]int32, n), Next: int64(n)}
	for i := range a.ID {
		a.ID[i] = int64(i)
	}
	return a
}

// clone returns a copy that does not share storage with a.
func (a *agentIDs) clone() agentIDs {
	return agentIDs{ID: slices.Clone(a.ID), Entered: slices.Clone(a.Entered), Next: a.Next}
}

// advance gives every slot marked in exiting (one flag per slot) a new id,
// in slot order, entered in period; it does nothing when every slot is
// marked (a collapse: no agent enters). The same rule serves the
// simulation's ids and the collector's reconstruction of them.
func (a *agentIDs) advance(exiting []bool, period int) {
	n := 0
	for _, x := range exiting {
		if x {
			n++
		}
	}
	if n == 0 || n == len(exiting) {
		return
	}
	for i, x := range exiting {
		if x {
			a.ID[i] = a.Next
			a.Next++
			a.Entered[i] = int32(period)
		}
	}
}

// check checks restored ids of n agents at period t: one id and entry
// period per slot, every id distinct and below Next, every entry period
// in −1 … t.
func (a *agentIDs) check(n, t int) error {
	if len(a.ID) != n || len(a.Entered) != n {
		return fmt.Errorf("%d ids and %d entry periods for %d slots", len(a.ID), len(a.Entered), n)
	}
	seen := make(map[int64]bool, n)
	for i, id := range a.ID {
		switch {
		case id < 0 || id >= a.Next:
			return fmt.Errorf("slot %d: id %d outside 0 … %d", i, id, a.Next-1)
		case seen[id]:
			return fmt.Errorf("slot %d: id %d twice", i, id)
		case a.Entered[i] < -1 || int(a.Entered[i]) > t:
			return fmt.Errorf("slot %d: entered in period %d, at period %d", i, a.Entered[i], t)
		}
		seen[id] = true
	}
	return nil
}

// advanceIDs advances the simulation's ids after a period.
func (s *Simulation) advanceIDs() {
	e, t := &s.World.Econ, s.World.Period
	if len(e.ExitingFirms) > 0 {
		s.firmIDs.advance(e.FirmExiting, t)
	}
	if len(e.ExitingBanks) > 0 {
		s.bankIDs.advance(e.BankExiting, t)
	}
}

// ids returns the ids of kind k, or nil for households.
func (s *Simulation) ids(k ecs.Kind) *agentIDs {
	switch k {
	case ecs.Firms:
		return &s.firmIDs
	case ecs.Banks:
		return &s.bankIDs
	}
	return nil
}

// AgentIDs returns the persistent id of the agent in each slot of kind k
// (ids[i] for slot i) and the period it entered (0 for the initial
// population; −1 when unknown, after resuming a checkpoint written before
// bam had ids). Between periods these are the agents that will be active in
// the next period, entrants included; during a period (in a system or an
// observer), those active in it. The initial agents' ids are their slots;
// an entrant takes the next free id, in the order of entry. Households
// never exit: their ids are their slots.
//
// The slices are the simulation's storage for firms and banks: read them,
// do not modify them; they change at the next Step. For households they
// are fresh.
func (s *Simulation) AgentIDs(k ecs.Kind) (ids []int64, entered []int32) {
	if a := s.ids(k); a != nil {
		return a.ID, a.Entered
	}
	a := newAgentIDs(s.World.Count(k))
	return a.ID, a.Entered
}
