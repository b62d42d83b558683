package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// isTerminal reports whether w is a terminal, for the progress bars.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressEvery is the least time between two updates of the bar.
const progressEvery = 100 * time.Millisecond

// progress is the progress bar of a run on stderr. A nil *progress does
// nothing.
type progress struct {
	mu   sync.Mutex // serialises the bar: updated by the running goroutine, finished by the command's
	bar  *progressbar.ProgressBar
	last time.Time
	done bool
}

// startProgress shows a bar of the n periods sim is about to run on
// e.stderr, labelled with what they are (label, e.g. "baseline, seed 0:
// periods 1–1000"), if stdout and stderr are both terminals (not when the
// output is piped or redirected) and the run is not quiet; else it
// returns nil.
// The bar is updated by an end-of-period observer of sim, at most every
// progressEvery, so the running goroutine drives it between its chunks
// without a per-period allocation; finish clears it.
func startProgress(e *env, sim *bam.Simulation, n int, label string, quiet bool) *progress {
	if quiet || n <= 0 || !e.isTerminal(e.stdout) || !e.isTerminal(e.stderr) {
		return nil
	}
	p := &progress{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(label),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("periods"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(progressEvery),
	)}
	start := sim.Period()
	sim.Pipeline.Observe("", func(w *ecs.World) {
		k := w.Period - start
		if now := time.Now(); k >= n || now.Sub(p.last) >= progressEvery {
			p.last = now
			p.set(min(k, n))
		}
	})
	return p
}

// set moves the bar to k periods.
func (p *progress) set(k int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		_ = p.bar.Set(k)
	}
}

// finish stops the bar and erases it, so that the summary or an error
// message starts on a clean line. Later updates are ignored.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	_ = p.bar.Exit()
	_ = p.bar.Clear()
}

// jobBar is the progress bar of a study's jobs (sweep, compare,
// robustness, calibrate) on a terminal, or nothing when stdout or stderr
// is not one. It counts the jobs this run runs, not those read back from
// the journal, and its label says so.
type jobBar struct {
	bar   *progressbar.ProgressBar
	label string
	// all is the number of jobs of the study (or shard), those in the
	// journal included; 0 if not known.
	all int
}

// newJobBar returns a bar of the jobs still to run, labelled with what
// they are ("configuration × seed jobs to run"); all is the number of
// jobs of the study, journaled ones included (0 if unknown), so that the
// label can add "(120 of 300 from the journal)".
func newJobBar(e *env, label, unit string, all int) *jobBar {
	if !e.isTerminal(e.stdout) || !e.isTerminal(e.stderr) {
		return &jobBar{}
	}
	return &jobBar{label: label, all: all, bar: progressbar.NewOptions(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(progressEvery), progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(label))}
}

// update is the study's callback: done of total jobs of this run finished.
func (b *jobBar) update(done, total int) {
	if b.bar == nil {
		return
	}
	if done == 1 {
		b.bar.ChangeMax(total)
		b.bar.Describe(b.label + journalNote(b.all-total, b.all, "journal"))
	}
	_ = b.bar.Set(done)
}

// journalNote is " (N of M from the journal)" when n > 0 of the m jobs
// of a study come from its journal (or journals), else "".
func journalNote(n, m int, journal string) string {
	if n <= 0 || m <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%d of %d from the %s)", n, m, journal)
}

// journalCounts says what a run of a journaled study did with its jobs,
// ran now and fromJournal read back from the journal (or journals), each
// a unit ("seeds"): "300 seeds run now", or "120 of 300 seeds from the
// journal, 180 run now".
func journalCounts(ran, fromJournal int, unit, journal string) string {
	if fromJournal <= 0 {
		return fmt.Sprintf("%d %s run now", ran, unit)
	}
	return fmt.Sprintf("%d of %d %s from the %s, %d run now", fromJournal, ran+fromJournal, unit, journal, ran)
}

// clear removes the bar.
func (b *jobBar) clear() {
	if b.bar != nil {
		_ = b.bar.Clear()
	}
}
