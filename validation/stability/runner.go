package stability

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation"
)

// RunConfig configures [Run].
type RunConfig struct {
	// Scenario is validated with Suite and Options (as for
	// validation.RunSeed) once per seed of Seeds.
	Scenario *scenarios.Scenario
	Suite    *validation.Suite
	Options  validation.Options
	Seeds    []uint64
	// Workers is the number of seeds run at once (≤ 0: the number of CPUs).
	Workers int
	// Journal receives each finished seed's record.
	Journal *Journal
	// GrowthPlus, for the buffer_stock suite, returns the Growth+ result of
	// the companion scenario for a seed, or nil; a seed that has one does
	// not run the companion again (validation.RunBufferStockSeed).
	GrowthPlus func(seed uint64) *validation.Result
	// OnRecord, if set, is called from Run's goroutine after each record
	// has been journaled, with whether it reused a Growth+ result.
	OnRecord func(r Record, reused bool)
}

// Run validates the seeds of cfg on cfg.Workers goroutines and appends
// each finished seed to the journal as soon as it is done (in completion
// order; the journal's order does not matter). When ctx is cancelled the
// seeds in flight are dropped (those that still finish are journaled),
// the journal stays valid, and Run returns
// ctx's error once the workers have stopped. The first other error (a
// seed that cannot be run, a journal that cannot be written) stops the
// run the same way.
func Run(ctx context.Context, cfg RunConfig) error {
	if len(cfg.Seeds) == 0 {
		return nil
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(cfg.Seeds))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	type done struct {
		res    *validation.Result
		secs   float64
		reused bool
		err    error
	}
	jobs := make(chan uint64)
	dones := make(chan done, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seed := range jobs {
				t0 := time.Now()
				var d done
				var gp *validation.Result
				if cfg.Suite == validation.BufferStock && cfg.GrowthPlus != nil {
					gp = cfg.GrowthPlus(seed)
				}
				if gp != nil {
					d.res, d.err = validation.RunBufferStockSeed(runCtx, cfg.Scenario, seed, cfg.Options, gp)
					d.reused = true
				} else {
					d.res, d.err = validation.RunSeed(runCtx, cfg.Scenario, cfg.Suite, seed, cfg.Options)
				}
				d.secs = time.Since(t0).Seconds()
				dones <- d
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, s := range cfg.Seeds {
			select {
			case jobs <- s:
			case <-runCtx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(dones)
	}()
	var firstErr error
	for d := range dones {
		if firstErr != nil {
			continue // stopping: drop what is still in flight
		}
		if d.err != nil {
			if !errors.Is(d.err, context.Canceled) {
				firstErr = d.err
			}
			cancel()
			continue
		}
		rec := NewRecord(d.res, d.secs)
		if err := cfg.Journal.Append(rec); err != nil {
			firstErr = err
			cancel()
			continue
		}
		if cfg.OnRecord != nil {
			cfg.OnRecord(rec, d.reused)
		}
	}
	if firstErr != nil {
		return fmt.Errorf("%s: %w", cfg.Scenario.Name, firstErr)
	}
	return ctx.Err()
}
