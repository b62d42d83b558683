package cli

import (
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
// e.stderr, if stdout and stderr are both terminals (not when the output
// is piped or redirected) and the run is not quiet; else it returns nil.
// The bar is updated by an end-of-period observer of sim, at most every
// progressEvery, so the running goroutine drives it between its chunks
// without a per-period allocation; finish clears it.
func startProgress(e *env, sim *bam.Simulation, n int, quiet bool) *progress {
	if quiet || n <= 0 || !e.isTerminal(e.stdout) || !e.isTerminal(e.stderr) {
		return nil
	}
	p := &progress{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription("running"),
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
// robustness) on a terminal, or nothing when stdout or stderr is not one.
type jobBar struct{ bar *progressbar.ProgressBar }

// newJobBar returns a bar of the jobs still to run, labelled with what
// they are ("configuration × seed jobs", "seeds of theta=8").
func newJobBar(e *env, label, unit string) *jobBar {
	if !e.isTerminal(e.stdout) || !e.isTerminal(e.stderr) {
		return &jobBar{}
	}
	return &jobBar{bar: progressbar.NewOptions(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetWidth(30),
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
	}
	_ = b.bar.Set(done)
}

// clear removes the bar.
func (b *jobBar) clear() {
	if b.bar != nil {
		_ = b.bar.Clear()
	}
}
