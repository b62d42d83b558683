package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
)

// checkpointDir is the folder of the checkpoints inside the output folder.
const checkpointDir = "checkpoints"

// checkpointName returns the file name of the checkpoint after period t.
func checkpointName(t int) string { return fmt.Sprintf("period-%06d.ckpt", t) }

// checkpointCLIFlags returns the checkpoint flags of the run command.
func checkpointCLIFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{
			Name:        "checkpoint-every",
			DefaultText: "0, no checkpoints",
			Usage: "write a checkpoint of the simulation every `K` periods, and after the last one, into " +
				checkpointDir + "/period-NNNNNN.ckpt of the output folder (resume it with --resume)",
		},
		&cli.StringFlag{
			Name: "resume",
			Usage: "continue the checkpoint `FILE` (written by --checkpoint-every) to a total of --periods periods " +
				"(default: its n_periods) and write a new output folder; the checkpoint fixes the scenario, so " +
				"SCENARIO, --set, --seed, --firms, --households and --banks are refused",
		},
	}
}

// resumeRefused are the flags that choose the scenario or its parameters,
// which a checkpoint fixes.
var resumeRefused = []string{"set", "seed", "firms", "households", "banks"}

// checkpointer writes the checkpoints of a run (--checkpoint-every) and
// resumes a checkpoint (--resume). Its zero value, for a run with neither
// flag, does nothing.
type checkpointer struct {
	every int // --checkpoint-every; 0 = no checkpoints

	resume string // --resume FILE, or ""
	data   []byte // the checkpoint read from it
	info   *bam.CheckpointInfo

	// Written by the observer on the simulation's goroutine.
	mu     sync.Mutex
	dir    string // checkpoints folder inside the temporary output folder
	err    error  // first failure to write a checkpoint
	files  []string
	last   int // period of the latest checkpoint written
	cancel context.CancelCauseFunc
}

// newCheckpointer checks the checkpoint flags and, with --resume, reads
// the checkpoint. Every problem is an input error.
func newCheckpointer(c *cli.Context) (*checkpointer, error) {
	ck := &checkpointer{}
	if c.IsSet("checkpoint-every") {
		if ck.every = c.Int("checkpoint-every"); ck.every < 1 {
			return nil, badInput("--checkpoint-every %d: want a number of periods >= 1", ck.every)
		}
	}
	if !c.IsSet("resume") {
		return ck, nil
	}
	ck.resume = c.String("resume")
	for _, f := range resumeRefused {
		if c.IsSet(f) {
			return nil, badInput("--%s cannot be used with --resume: the checkpoint fixes the scenario and its parameters "+
				"(--periods sets the total number of periods)", f)
		}
	}
	if c.NArg() > 0 {
		return nil, badInput("--resume: unexpected SCENARIO %s: the checkpoint fixes the scenario", quoteArgs(c.Args().Slice()))
	}
	// A checkpoint is a regular file; reading a device or a pipe whole
	// (/dev/zero) would never end.
	if fi, err := os.Stat(ck.resume); err == nil && !fi.Mode().IsRegular() {
		return nil, badInput("--resume %s: not a regular file (want a checkpoint written by --checkpoint-every)", ck.resume)
	}
	data, err := os.ReadFile(ck.resume)
	if err != nil {
		return nil, badInput("--resume %s: %v", ck.resume, pathErrCause(err))
	}
	if ck.info, err = bam.ReadCheckpointInfo(bytes.NewReader(data)); err != nil {
		return nil, badInput("--resume %s: %v", ck.resume, err)
	}
	if ck.info.Collapsed {
		return nil, badInput("--resume %s: the economy of this checkpoint collapsed at period %d; there is nothing to continue", ck.resume, ck.info.Period)
	}
	ck.data = data
	return ck, nil
}

// scenario returns the scenario of the run: the checkpoint's with
// --resume, else SCENARIO with its --set overrides.
func (ck *checkpointer) scenario(c *cli.Context) (*scenarios.Scenario, error) {
	if ck.info == nil {
		return loadScenario(c)
	}
	return ck.info.Scenario.Clone(), nil
}

// simulation builds the simulation of sc, or with --resume resumes the
// checkpoint, whose scenario sc is with n_periods possibly changed by
// --periods.
func (ck *checkpointer) simulation(sc *scenarios.Scenario) (*bam.Simulation, error) {
	if ck.info == nil {
		return newSimulation(sc)
	}
	if t := ck.info.Period; sc.Params.NPeriods < t {
		return nil, badInput("--periods %d: the checkpoint %s is at period %d; want a total of at least %d periods",
			sc.Params.NPeriods, ck.resume, t, t)
	}
	sim, err := bam.Resume(bytes.NewReader(ck.data))
	if err != nil {
		return nil, badInput("--resume %s: %v", ck.resume, err)
	}
	ck.data = nil
	sim.World.Params.NPeriods = sc.Params.NPeriods
	sim.Scenario = sc
	return sim, nil
}

// resumedFrom returns the manifest record of --resume, or nil.
func (ck *checkpointer) resumedFrom() *results.ResumedFrom {
	if ck.info == nil {
		return nil
	}
	return &results.ResumedFrom{File: ck.resume, Period: ck.info.Period, Version: ck.info.Version}
}

// logResume logs the checkpoint a run resumes.
func (ck *checkpointer) logResume(log *slog.Logger) {
	if ck.info != nil {
		log.Info("resuming", "checkpoint", ck.resume, "period", ck.info.Period, "written_by", ck.info.Version)
	}
}

// start makes the checkpoints folder inside the temporary output folder
// tmp and has sim write a checkpoint at the end of every K-th period. It
// returns the context to run the simulation with: cancelled when a
// checkpoint cannot be written, so that the run stops.
func (ck *checkpointer) start(ctx context.Context, sim *bam.Simulation, tmp string) (context.Context, error) {
	if ck.every == 0 {
		return ctx, nil
	}
	ck.dir = filepath.Join(tmp, checkpointDir)
	if err := os.Mkdir(ck.dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", checkpointDir, pathErrCause(err))
	}
	ctx, ck.cancel = context.WithCancelCause(ctx)
	// End-of-period observers run after the History's, which completes the
	// period's row: the state is the one between two periods.
	sim.Pipeline.Observe("", func(w *ecs.World) {
		if w.Period%ck.every == 0 {
			ck.write(sim)
		}
	})
	return ctx, nil
}

// write writes the checkpoint of sim's current period, unless an earlier
// one failed; a failure is recorded and stops the run.
func (ck *checkpointer) write(sim *bam.Simulation) {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	if ck.err != nil {
		return
	}
	name, err := writeCheckpointFile(ck.dir, sim)
	if err != nil {
		ck.err = err
		ck.cancel(err)
		return
	}
	ck.files = append(ck.files, filepath.ToSlash(filepath.Join(checkpointDir, name)))
	ck.last = sim.Period()
}

// finish is called when the run is over, with its error: it returns the
// first checkpoint failure, else runErr, else writes the checkpoint of the
// last period if it was not written yet (and the economy did not
// collapse).
func (ck *checkpointer) finish(sim *bam.Simulation, runErr error) error {
	if ck.every == 0 {
		return runErr
	}
	ck.mu.Lock()
	err := ck.err
	ck.mu.Unlock()
	ck.cancel(nil)
	if err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if sim.Period() > 0 && sim.Period() != ck.last && !sim.Collapsed() && sim.Err() == nil {
		ck.write(sim)
		ck.mu.Lock()
		err = ck.err
		ck.mu.Unlock()
	}
	return err
}

// rescue moves the checkpoints written so far out of the temporary output
// folder, which is about to be discarded, to target+".checkpoints" (or the
// first free -2, -3, ... name) beside the target, on the same file system,
// and says where on w. It does nothing when none was written or the run
// was committed.
func (ck *checkpointer) rescue(target string, w io.Writer, program string) {
	ck.mu.Lock()
	n, last := len(ck.files), ck.last
	ck.mu.Unlock()
	if n == 0 || ck.dir == "" {
		return
	}
	if _, err := os.Stat(ck.dir); err != nil {
		return // committed with the output folder, or already gone
	}
	dest, err := results.FreeName(strings.TrimRight(target, string(filepath.Separator)) + ".checkpoints")
	if err == nil {
		err = os.Rename(ck.dir, dest)
	}
	if err != nil {
		fmt.Fprintf(w, "%s: the %d checkpoints written could not be kept: %v\n", program, n, pathErrCause(err))
		return
	}
	fmt.Fprintf(w, "%s: kept the %d checkpoints written in %s; continue with --resume %s\n",
		program, n, dest, filepath.Join(dest, checkpointName(last)))
}

// written returns the output-folder paths of the checkpoints written.
func (ck *checkpointer) written() []string {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	return ck.files
}

// writeCheckpointFile writes the checkpoint of sim's current period into
// dir atomically (a temporary file, synced, then renamed) and returns its
// name.
func writeCheckpointFile(dir string, sim *bam.Simulation) (name string, err error) {
	name = checkpointName(sim.Period())
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("checkpoint at period %d: %w", sim.Period(), pathErrCause(err))
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
			err = fmt.Errorf("checkpoint at period %d: %w", sim.Period(), err)
		}
	}()
	if err = sim.Checkpoint(f); err != nil {
		return "", err
	}
	if err = f.Chmod(0o644); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return "", pathErrCause(err)
	}
	if err = f.Sync(); err != nil {
		return "", pathErrCause(err)
	}
	if err = f.Close(); err != nil {
		return "", pathErrCause(err)
	}
	if err = os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return "", err
	}
	return name, nil
}
