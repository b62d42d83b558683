package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"

	"github.com/urfave/cli/v2"
)

// profileFlags are the profiling flags of `bam run`.
var profileFlags = []struct {
	name, usage string
}{
	{"cpuprofile", "write a CPU profile of the run's periods to `FILE` (go tool pprof FILE)"},
	{"memprofile", "write an allocation profile to `FILE` at the end of the run (go tool pprof FILE)"},
	{"trace", "write an execution trace of the run's periods to `FILE` (go tool trace FILE)"},
}

// profileCLIFlags returns the profiling flags for the run command.
func profileCLIFlags() []cli.Flag {
	var flags []cli.Flag
	for _, f := range profileFlags {
		flags = append(flags, &cli.StringFlag{Name: f.name, Usage: f.usage})
	}
	return flags
}

// profiler writes the profiles a run asked for. Its files are created
// before the run (so that an unwritable path fails before any work), the
// CPU profile and the trace cover the periods only, and the allocation
// profile is written when they stop. Unless keep is called, close removes
// every file it created: a failed or interrupted run leaves no profile.
type profiler struct {
	files   map[string]*os.File // by flag name
	order   []string            // flag names in profileFlags order
	started bool
	kept    bool
}

// checkProfileFlags returns an input error for a profiling flag given an
// empty path, two flags given the same path, or a path inside the --out
// folder (the output folder must be empty and is written whole).
func checkProfileFlags(c *cli.Context) error {
	seen := map[string]string{}
	for _, f := range profileFlags {
		if !c.IsSet(f.name) {
			continue
		}
		p := c.String(f.name)
		if p == "" {
			return badInput("--%s: want a file path, got an empty string", f.name)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("--%s %s: %w", f.name, p, err)
		}
		if other, dup := seen[abs]; dup {
			return badInput("--%s %s: same file as --%s", f.name, p, other)
		}
		seen[abs] = f.name
		if c.IsSet("out") {
			out, err := filepath.Abs(c.String("out"))
			if err != nil {
				return fmt.Errorf("--out %s: %w", c.String("out"), err)
			}
			if rel, err := filepath.Rel(out, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return badInput("--%s %s: inside the output folder --out %s; write profiles elsewhere", f.name, p, c.String("out"))
			}
		}
	}
	return nil
}

// createProfiles creates the files of the profiling flags that are set. A
// path that cannot be written is an I/O failure (exit status 3), like an
// output folder that cannot be written; nothing is left behind then.
func createProfiles(c *cli.Context) (*profiler, error) {
	pr := &profiler{files: map[string]*os.File{}}
	for _, f := range profileFlags {
		if !c.IsSet(f.name) {
			continue
		}
		p := c.String(f.name)
		fh, err := os.Create(p)
		if err != nil {
			pr.close()
			return nil, fmt.Errorf("--%s %s: %w", f.name, p, pathErrCause(err))
		}
		pr.files[f.name] = fh
		pr.order = append(pr.order, f.name)
	}
	return pr, nil
}

// start starts the CPU profile and the trace.
func (pr *profiler) start() error {
	if f := pr.files["cpuprofile"]; f != nil {
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile %s: %w", f.Name(), err)
		}
	}
	if f := pr.files["trace"]; f != nil {
		if err := trace.Start(f); err != nil {
			if pr.files["cpuprofile"] != nil {
				pprof.StopCPUProfile()
			}
			return fmt.Errorf("--trace %s: %w", f.Name(), err)
		}
	}
	pr.started = true
	return nil
}

// stop stops the CPU profile and the trace, writes the allocation profile
// (after a garbage collection, so that its in-use figures are current) and
// closes every file. It is safe to call more than once.
func (pr *profiler) stop() error {
	if !pr.started {
		return nil
	}
	pr.started = false
	if pr.files["cpuprofile"] != nil {
		pprof.StopCPUProfile()
	}
	if pr.files["trace"] != nil {
		trace.Stop()
	}
	var errs []error
	if f := pr.files["memprofile"]; f != nil {
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			errs = append(errs, fmt.Errorf("--memprofile %s: %w", f.Name(), err))
		}
	}
	for _, name := range pr.order {
		f := pr.files[name]
		if err := f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
			errs = append(errs, fmt.Errorf("--%s %s: %w", name, f.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// keep marks the profiles as wanted: close will not remove them.
func (pr *profiler) keep() { pr.kept = true }

// close stops profiling if it is running and, unless keep was called,
// removes the files.
func (pr *profiler) close() {
	if pr.started {
		_ = pr.stop()
	}
	for _, name := range pr.order {
		f := pr.files[name]
		_ = f.Close()
		if !pr.kept {
			_ = os.Remove(f.Name())
		}
	}
}
