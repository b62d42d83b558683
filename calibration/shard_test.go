package calibration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// shardedPhase is a phase that can run sharded (Execution) and write its
// result.
type shardedPhase interface {
	StageCount() int
	exec() *Execution
	run(ctx context.Context, dir string) (writer, error)
}

type writer interface{ Write(dir string) error }

type searchPhase struct{ *Search }

func (p searchPhase) exec() *Execution { return &p.Execution }
func (p searchPhase) run(ctx context.Context, dir string) (writer, error) {
	r, err := p.Run(ctx, dir)
	return r, err
}

type crossPhase struct{ *CrossEval }

func (p crossPhase) exec() *Execution { return &p.Execution }
func (p crossPhase) run(ctx context.Context, dir string) (writer, error) {
	r, err := p.Run(ctx, dir)
	return r, err
}

// runSharded runs p as a Slurm pipeline would: shards 0/n … n−1/n once
// per stage, then unsharded, which writes the result into dir. A shard
// stops with an IncompleteError while its stage waits for other shards (a
// shard that completes a stage goes on with its share of the next, so a
// later run may find its stage complete); the first shard of the first
// stage must stop so, and the last run of the last stage must complete.
func runSharded(t *testing.T, p shardedPhase, n int, dir string) {
	t.Helper()
	x := p.exec()
	for stage := 0; stage < p.StageCount(); stage++ {
		for i := range n {
			x.Shard = &stability.Shard{Index: i, Count: n}
			_, err := p.run(context.Background(), dir)
			switch {
			case stage == 0 && i == 0 && !errors.Is(err, ErrIncomplete):
				t.Fatalf("the first shard alone: %v, want ErrIncomplete", err)
			case stage == p.StageCount()-1 && i == n-1 && err != nil:
				t.Fatalf("the last shard of the last stage: %v", err)
			case err != nil && !errors.Is(err, ErrIncomplete):
				t.Fatalf("stage %d, shard %d/%d: %v", stage, i, n, err)
			}
		}
	}
	x.Shard = nil
	r, err := p.run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var c Counts
	switch r := r.(type) {
	case *SearchResult:
		c = r.Counts
	case *CrossResult:
		c = r.Counts
	}
	if c.Ran != 0 || c.FromJournal == 0 {
		t.Errorf("the unsharded run after the shards ran %d evaluations, read %d", c.Ran, c.FromJournal)
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
}

// TestShardedPhases runs a search (three stages) and a cross-evaluation
// (one stage over two scenarios) sharded three ways and unsharded, and
// checks the sharded results are the unsharded ones byte for byte, and
// that a rerun over the shards' journals runs nothing.
func TestShardedPhases(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallBaseline(t)
	sp, err := NewSpace([]Param{{Name: "beta", Values: []string{"1", "2.5", "5"}}, {Name: "max_M", Values: []string{"2", "4"}}})
	if err != nil {
		t.Fatal(err)
	}
	tiers, _ := ParseTiers("4:3, 2:5")
	gp, err := scenarios.Load("growth_plus")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=2", "n_periods=80"} {
		if err := gp.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		make func() shardedPhase
		file string
	}{
		{"search", func() shardedPhase {
			return searchPhase{&Search{Scenario: sc, Space: sp, Tiers: tiers, Execution: Execution{Workers: 2}}}
		}, SearchJSON},
		{"cross", func() shardedPhase {
			return crossPhase{&CrossEval{Scenarios: []*scenarios.Scenario{sc, gp}, Params: []string{"beta"},
				Configs: [][]string{{"1"}, {"5"}}, NSeeds: 3, Rule: RankBalanced, Execution: Execution{Workers: 2}}}
		}, CrossJSON},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plain, sharded := t.TempDir(), t.TempDir()
			p := tc.make()
			r, err := p.run(context.Background(), plain)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Write(plain); err != nil {
				t.Fatal(err)
			}
			runSharded(t, tc.make(), 3, sharded)
			a, _ := os.ReadFile(filepath.Join(plain, tc.file))
			b, err := os.ReadFile(filepath.Join(sharded, tc.file))
			if err != nil || len(a) == 0 || string(a) != string(b) {
				t.Errorf("the sharded %s differs from the unsharded one (%v)", tc.file, err)
			}
		})
	}
}

// TestShardedStageIncomplete checks that an unsharded run over a stage
// whose shards did not all finish is refused, naming the missing count,
// instead of running the stage again beside the shards' journals.
func TestShardedStageIncomplete(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallBaseline(t)
	sp, err := NewSpace([]Param{{Name: "beta", Values: []string{"1", "5"}}})
	if err != nil {
		t.Fatal(err)
	}
	m := &Morris{Scenario: sc, Space: sp, Trajectories: 2, NSeeds: 2,
		Execution: Execution{Workers: 1, Shard: &stability.Shard{Index: 0, Count: 2}}}
	dir := t.TempDir()
	_, err = m.Run(context.Background(), dir)
	var inc *IncompleteError
	if !errors.As(err, &inc) || inc.Stage != "morris" || inc.Missing == 0 || inc.Missing >= inc.Total {
		t.Fatalf("shard 0/2 alone: %v", err)
	}
	m.Shard = nil
	if _, err := m.Run(context.Background(), dir); err == nil || errors.Is(err, ErrIncomplete) {
		t.Errorf("an unsharded run over incomplete shards: %v", err)
	}
}
