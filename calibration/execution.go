package calibration

import (
	"context"
	"fmt"
	"time"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

// Execution is how a phase runs its evaluations: the scoring's burn-in
// (< 1: n_periods/2), the jobs run at once (< 1: one), and the progress
// hooks: OnPhase, if set, is called before each stage of evaluations with
// its name and size, OnJob after each journaled evaluation.
type Execution struct {
	BurnIn  int
	Workers int
	OnPhase func(name string, evaluations int)
	OnJob   func(done, total int)
}

// Counts are what a phase's run did: the evaluations run now and read
// back from the journals, and the wall time.
type Counts struct {
	Ran         int           `json:"-"`
	FromJournal int           `json:"-"`
	Wall        time.Duration `json:"-"`
}

// evaluate announces the stage name, runs the configurations of d on sc
// over the seeds seedStart … seedStart+n−1 in dir (journaled; see
// evaluateGrid) and adds what it did to counts.
func (x *Execution) evaluate(ctx context.Context, name string, sc *scenarios.Scenario, d *experiments.Design, seedStart uint64, n int,
	dir string, counts *Counts) ([][]experiments.Summary, error) {
	if x.OnPhase != nil {
		x.OnPhase(name, d.Len()*n)
	}
	sums, o, err := evaluateGrid(ctx, sc, d, seedStart, n, x.BurnIn, x.Workers, x.OnJob, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	counts.Ran += o.Ran
	counts.FromJournal += o.FromJournal
	return sums, nil
}
