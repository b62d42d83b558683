package calibration

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// Execution is how a phase runs its evaluations: the scoring's burn-in
// (< 1: n_periods/2), the jobs run at once (< 1: one), the shard of the
// evaluations this process runs (nil: all of them), and the progress
// hooks: OnPhase, if set, is called before each stage of evaluations with
// its name and size, OnJob after each journaled evaluation.
//
// A phase is a chain of stages, each a set of evaluations that depends on
// the scores of the stages before it (a search's screening, then each
// tier). With a Shard, a stage runs only the shard's evaluations (job k
// of the stage when k mod Count = Index), journaled in the stage's folder
// beside the other shards' journals; when every shard's journal of the
// stage is complete, the stage's scores are read from all of them and the
// phase goes on to its next stage, else the phase stops with an
// *IncompleteError. N processes with the shards 0/N … N−1/N, run once per
// stage (one Slurm job array per stage, each after the one before), and
// then once without a shard, which finds every evaluation journaled and
// writes the results, give the results of one unsharded run byte for
// byte.
type Execution struct {
	BurnIn  int
	Workers int
	Shard   *stability.Shard
	OnPhase func(name string, evaluations int)
	OnJob   func(done, total int)
}

// ErrIncomplete is the class of *IncompleteError.
var ErrIncomplete = errors.New("a sharded stage is not complete")

// IncompleteError says a sharded phase stopped at a stage whose other
// shards have not finished: this process's evaluations of it are
// journaled in Dir, Missing of the stage's Total are not yet in any
// shard's journal.
type IncompleteError struct {
	Stage          string
	Dir            string
	Missing, Total int
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("stage %s: %d of its %d evaluations are in no shard's journal of %s yet", e.Stage, e.Missing, e.Total, e.Dir)
}

// Unwrap makes an *IncompleteError an ErrIncomplete.
func (e *IncompleteError) Unwrap() error { return ErrIncomplete }

// Counts are what a phase's run did: the evaluations run now and read
// back from the journals, and the wall time.
type Counts struct {
	Ran         int           `json:"-"`
	FromJournal int           `json:"-"`
	Wall        time.Duration `json:"-"`
}

// Outcome returns the counts; promoted to every result that embeds
// Counts, it lets a caller read them from any phase's result.
func (c Counts) Outcome() Counts { return c }

// evaluate announces the stage name, runs the configurations of d on sc
// over the seeds seedStart … seedStart+n−1 in dir (journaled; see
// evaluateGrid) and adds what it did to counts.
func (x *Execution) evaluate(ctx context.Context, name string, sc *scenarios.Scenario, d *experiments.Design, seedStart uint64, n int,
	dir string, counts *Counts) ([][]experiments.Summary, error) {
	if x.OnPhase != nil {
		x.OnPhase(name, d.Len()*n)
	}
	sums, o, err := evaluateGrid(ctx, sc, d, seedStart, n, x.BurnIn, x.Workers, x.Shard, x.OnJob, dir)
	if err != nil {
		var inc *IncompleteError
		if errors.As(err, &inc) {
			inc.Stage, inc.Dir = name, dir
			return nil, inc
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	counts.Ran += o.Ran
	counts.FromJournal += o.FromJournal
	return sums, nil
}

// hasShardJournals reports whether dir holds a shard's sweep journal.
func hasShardJournals(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "sweep.shard-*.journal.jsonl"))
	return len(m) > 0
}
