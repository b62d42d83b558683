package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bam-abm/bam/results"
)

// cleanStale removes the temporary run folders in the folder of target
// that bam processes of this host left when they ended without cleaning
// up (kill -9, a crash; see results.FindStale), with one line on w for
// each. Checkpoints are never lost: those of a stale folder are first
// moved to NAME.checkpoints beside it, as an interrupted run keeps them,
// and a folder whose checkpoints cannot be moved is left in place. A
// folder that cannot be read is left to the run's own checks.
func cleanStale(target string, w io.Writer, program string) {
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real
	}
	stale, err := results.FindStale(filepath.Dir(filepath.Clean(target)))
	if err != nil {
		return
	}
	for _, s := range stale {
		msg := fmt.Sprintf("%s: removed %s, the unfinished output of process %d, which ended", program, s.Dir, s.PID)
		kept, err := keepStaleCheckpoints(s)
		if err != nil {
			fmt.Fprintf(w, "%s: left %s, the unfinished output of process %d, which ended: its checkpoints could not be moved out: %v\n",
				program, s.Dir, s.PID, pathErrCause(err))
			continue
		}
		if kept != "" {
			msg += "; kept its checkpoints in " + kept
		}
		if err := os.RemoveAll(s.Dir); err != nil {
			msg = fmt.Sprintf("%s: could not remove %s, the unfinished output of process %d, which ended: %v", program, s.Dir, s.PID, pathErrCause(err))
		}
		fmt.Fprintln(w, msg)
	}
}

// keepStaleCheckpoints moves the checkpoints of the stale folder s to the
// first free s.Target+".checkpoints" name and returns it and the --resume
// hint, or "" when s holds none.
func keepStaleCheckpoints(s results.Stale) (string, error) {
	dir := filepath.Join(s.Dir, checkpointDir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", nil // no checkpoint folder: nothing to keep
	}
	var names []string
	for _, e := range ents {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, "period-") && strings.HasSuffix(n, ".ckpt") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	dest, err := results.FreeName(s.Target + ".checkpoints")
	if err != nil {
		return "", err
	}
	if err := os.Rename(dir, dest); err != nil {
		return "", err
	}
	slices.Sort(names)
	return fmt.Sprintf("%s (continue with --resume %s)", dest, filepath.Join(dest, names[len(names)-1])), nil
}
