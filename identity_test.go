package bam_test

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// TestAgentIDs checks the ids against the rule, period by period: a slot
// marked exiting gets a new id (the next free one, in slot order) and
// enters in that period, every other slot keeps its id, ids are never
// reused, and the simulation runs as without them.
func TestAgentIDs(t *testing.T) {
	tests := []struct {
		scenario string
		seed     uint64
		sets     []string
	}{
		{"baseline", 3, []string{"n_firms=30", "n_households=150", "n_banks=4"}},
		{"growth_plus", 1, []string{"n_firms=40", "n_households=200", "n_banks=3"}},
		{"baseline", 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			sim, err := bam.NewFromScenario(small(t, tt.scenario, tt.seed, tt.sets...))
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []ecs.Kind{ecs.Firms, ecs.Households, ecs.Banks} {
				ids, entered := sim.AgentIDs(k)
				if len(ids) != sim.World.Count(k) || len(entered) != len(ids) {
					t.Fatalf("%v: %d ids, %d entry periods for %d agents", k, len(ids), len(entered), sim.World.Count(k))
				}
				for i := range ids {
					if ids[i] != int64(i) || entered[i] != 0 {
						t.Fatalf("%v slot %d: initial id %d entered %d, want %d, 0", k, i, ids[i], entered[i], i)
					}
				}
			}
			seen := map[ecs.Kind]map[int64]bool{ecs.Firms: {}, ecs.Banks: {}}
			next := map[ecs.Kind]int64{ecs.Firms: int64(sim.World.Count(ecs.Firms)), ecs.Banks: int64(sim.World.Count(ecs.Banks))}
			exits := 0
			for p := 1; p <= 200 && !sim.Collapsed(); p++ {
				before := map[ecs.Kind][]int64{}
				for _, k := range []ecs.Kind{ecs.Firms, ecs.Banks} {
					ids, _ := sim.AgentIDs(k)
					before[k] = slices.Clone(ids)
					for _, id := range ids {
						seen[k][id] = true
					}
				}
				sim.Step()
				e := &sim.World.Econ
				for _, k := range []ecs.Kind{ecs.Firms, ecs.Banks} {
					exiting := e.FirmExiting
					if k == ecs.Banks {
						exiting = e.BankExiting
					}
					ids, entered := sim.AgentIDs(k)
					for i, x := range exiting {
						switch {
						case !x && ids[i] != before[k][i]:
							t.Fatalf("period %d: %v slot %d did not exit but its id went %d → %d", p, k, i, before[k][i], ids[i])
						case x && ids[i] != next[k]:
							t.Fatalf("period %d: %v slot %d exited: id %d, want the next free id %d", p, k, i, ids[i], next[k])
						case x && entered[i] != int32(p):
							t.Fatalf("period %d: %v slot %d's entrant entered in %d", p, k, i, entered[i])
						case x && seen[k][ids[i]]:
							t.Fatalf("period %d: %v id %d reused", p, k, ids[i])
						}
						if x {
							next[k]++
							if k == ecs.Firms {
								exits++
							}
						}
					}
				}
			}
			if exits == 0 {
				t.Fatal("no firm exited: the test proves nothing")
			}
		})
	}
}

// TestAgentIDsCollapse: when every firm exits nobody enters, and the ids
// stay.
func TestAgentIDsCollapse(t *testing.T) {
	sim, err := bam.NewFromScenario(small(t, "baseline", 1, "n_firms=5", "n_households=20", "n_banks=2"))
	if err != nil {
		t.Fatal(err)
	}
	sim.Step()
	before, _ := sim.AgentIDs(ecs.Firms)
	before = slices.Clone(before)
	// Make every firm bankrupt: the next bankruptcy phase marks them all.
	for i := range sim.World.Firms.Borrower {
		sim.World.Firms.Borrower[i].NetWorth = -1
	}
	sim.Step()
	if !sim.Collapsed() || len(sim.World.Econ.ExitingFirms) != 5 {
		t.Fatalf("collapsed %v with %d exits: the test proves nothing", sim.Collapsed(), len(sim.World.Econ.ExitingFirms))
	}
	if ids, _ := sim.AgentIDs(ecs.Firms); !slices.Equal(ids, before) {
		t.Errorf("after a collapse the firm ids went %v → %v", before, ids)
	}
}

// TestAgentIDsOldCheckpoint: a checkpoint without the AGNT section (as
// written before bam had ids) resumes with each agent's id its slot, its
// entry period unknown (−1) and the next id above every id given so far;
// the run goes on as it would have.
func TestAgentIDsOldCheckpoint(t *testing.T) {
	sim, err := bam.NewFromScenario(small(t, "baseline", 3, "n_firms=30", "n_households=150", "n_banks=4"))
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(60)
	data := checkpoint(t, sim)
	old := stripLastSection(t, data, "AGNT")
	back := resume(t, old)
	exits := 0
	for _, r := range sim.History.Rows {
		exits += r.FirmExits
	}
	if exits == 0 {
		t.Fatal("no firm exited: the test proves nothing")
	}
	ids, entered := back.AgentIDs(ecs.Firms)
	for i := range ids {
		if ids[i] != int64(i) || entered[i] != -1 {
			t.Fatalf("slot %d: id %d entered %d, want %d, -1", i, ids[i], entered[i], i)
		}
	}
	want := slices.Clone(sim.History.FinalDebt)
	if got := back.History.FinalDebt; len(got) != len(want) {
		t.Fatalf("final debt of %d firms, want %d", len(got), len(want))
	}
	// Run on: entrants take ids from 30 + exits so far on, and the economy is the same.
	sim.Run(40)
	back.Run(40)
	if !slices.Equal(sim.History.Rows, back.History.Rows) {
		t.Error("the economy resumed from the old checkpoint differs")
	}
	ids, entered = back.AgentIDs(ecs.Firms)
	for i := range ids {
		if entered[i] > 60 && ids[i] < int64(30+exits) {
			t.Errorf("slot %d: entrant of period %d has id %d, below %d", i, entered[i], ids[i], 30+exits)
		}
	}
}

// stripLastSection returns the checkpoint data without its last section
// before the checksum, which must be tag, resealed.
func stripLastSection(t *testing.T, data []byte, tag string) []byte {
	t.Helper()
	const sum = 16 // SUM. tag, length, CRC-32C
	body := data[:len(data)-sum]
	i := bytes.LastIndex(body, []byte(tag))
	if i < 0 || binary.LittleEndian.Uint64(body[i+4:]) != uint64(len(body)-i-12) {
		t.Fatalf("the checkpoint's last section is not %s", tag)
	}
	out := append(slices.Clone(body[:i]), data[len(data)-sum:]...)
	return reseal(out)
}

// TestFinalDebt: the History's debt cross-section is that of the loans at
// firms_run_production of the last period, the Borrower.debt variable
// captured there.
func TestFinalDebt(t *testing.T) {
	sim, c := newCollecting(t, 80, "Borrower.debt@firms_run_production,Borrower.debt")
	sim.Run(80)
	last := row(t, c, "Borrower.debt@firms_run_production", 79)
	if !slices.Equal(sim.History.FinalDebt, last) {
		t.Errorf("FinalDebt %v, Borrower.debt@firms_run_production %v", sim.History.FinalDebt, last)
	}
	total := 0.0
	for p := range 80 {
		total += sum(row(t, c, "Borrower.debt@firms_run_production", p))
	}
	if total == 0 {
		t.Fatal("no debt in 80 periods: the test proves nothing")
	}
	// Loans the period's bankrupt firms owed are gone by the end of it.
	for p := range 80 {
		at, end := row(t, c, "Borrower.debt@firms_run_production", p), row(t, c, "Borrower.debt", p)
		for i := range at {
			if end[i] != 0 && end[i] != at[i] {
				t.Fatalf("period %d firm %d: debt %v at production, %v at the end", p, i, at[i], end[i])
			}
		}
	}
}
