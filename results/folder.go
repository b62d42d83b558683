package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bam-abm/bam/internal/owner"
)

// Errors of [CheckTarget] (and [Create]) for a target that is in the way:
// an existing folder is never overwritten.
var (
	// ErrNotEmpty: the target is a folder that is not empty.
	ErrNotEmpty = errors.New("folder exists and is not empty; refusing to overwrite it")
	// ErrNotFolder: the target exists and is not a folder.
	ErrNotFolder = errors.New("exists and is not a folder; refusing to overwrite it")
)

// CheckTarget returns an error if path cannot become a run folder: an
// error wrapping [ErrNotEmpty] or [ErrNotFolder] if something is in the
// way, or the error of reading it. A path that does not exist or is an
// empty folder is fine. Call it before the work starts, so that a run is
// not wasted on a folder it may not write. A symbolic link is followed
// (a link to an empty folder is fine, the run is written into that folder).
func CheckTarget(path string) error {
	if path == "" {
		return errors.New("want a folder path, got an empty string")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", path, pathErrCause(err))
	case !fi.IsDir():
		return fmt.Errorf("%s: %w", path, ErrNotFolder)
	}
	ents, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, pathErrCause(err))
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s: %w", path, ErrNotEmpty)
	}
	return nil
}

// tempPrefix is the start of the temporary folders of the run folder
// name: ".NAME.tmp-", followed by the owner tag of the process writing it
// (PID@HOST, see [FindStale]) and "-" and random digits.
func tempPrefix(name string) string { return "." + name + ".tmp-" }

// Stale is a temporary run folder left by a process that ended without
// committing or discarding it (kill -9, a crash).
type Stale struct {
	// Dir is the temporary folder.
	Dir string
	// Target is the run folder it was being written for.
	Target string
	// PID is the process that wrote it.
	PID int
}

// FindStale lists the temporary run folders in parent whose process, on
// this host, has ended: what [Run.Discard] would have removed had the
// process not been killed. A folder of a running process, of another host
// (a shared file system), or named in another way is never listed. Call
// it before creating a run folder in parent, rescue what is worth keeping
// from each (bam run keeps the checkpoints) and remove the rest. A parent
// that does not exist has none. O(entries of parent).
func FindStale(parent string) ([]Stale, error) {
	ents, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", parent, pathErrCause(err))
	}
	var stale []Stale
	for _, e := range ents {
		name := e.Name()
		i := strings.LastIndex(name, ".tmp-")
		if !e.IsDir() || !strings.HasPrefix(name, ".") || i < 1 {
			continue
		}
		rest := name[i+len(".tmp-"):]
		j := strings.LastIndexByte(rest, '-')
		if j < 0 {
			continue
		}
		tag := rest[:j]
		pid, _, ok := owner.Parse(tag)
		if !ok || !owner.Ended(tag) {
			continue
		}
		stale = append(stale, Stale{Dir: filepath.Join(parent, name), Target: filepath.Join(parent, name[1:i]), PID: pid})
	}
	return stale, nil
}

// Run is a run folder being written, all or nothing: its files go into a
// temporary folder next to the target (same parent, .NAME.tmp-PID@HOST-XXXX),
// which [Run.Commit] renames to the target; [Run.Discard] removes
// everything the run created unless it was committed. Use it as
//
//	r, err := results.Create(dir)
//	if err != nil { ... }
//	defer r.Discard()
//	if err := r.Write(sim); err != nil { ... }
//	if err := r.Commit(); err != nil { ... }
//
// or call [Write], which does just that.
type Run struct {
	// target is the final folder.
	target string
	// tmp is the temporary folder the files are written to.
	tmp string
	// base is the name the target was derived from by CreateUnique, or "".
	// A derived target that appears during the run is not replaced: Commit
	// takes the next free suffix instead.
	base string
	// created lists the missing parent folders this run made, outermost
	// first, so that Discard can remove them again.
	created []string
	done    bool
	// kept is where a failed Commit kept the results (see keep).
	kept string
}

// Create starts the run folder target: it checks target ([CheckTarget]),
// creates its missing parent folders and the temporary folder.
func Create(target string) (*Run, error) {
	if err := CheckTarget(target); err != nil {
		return nil, err
	}
	// A link to an empty folder: write beside the folder it points to, on
	// its file system, and commit into it.
	if fi, err := os.Lstat(target); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(target)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", target, err)
		}
		target = real
	}
	return create(target, "")
}

// CreateUnique starts a run folder named base, or base-2, base-3, ... if
// that exists (also if another run takes the name before Commit).
func CreateUnique(base string) (*Run, error) {
	target, err := FreeName(base)
	if err != nil {
		return nil, err
	}
	return create(target, base)
}

// Target returns the folder the run is committed to (with CreateUnique,
// the name may still change at Commit).
func (r *Run) Target() string { return r.target }

// Dir returns the temporary folder the files are written to until Commit.
// A caller may add files of its own there (bam run's checkpoints) and
// list them in the manifest ([Listed]).
func (r *Run) Dir() string { return r.tmp }

// WriteFile writes the file name of the run folder with write, through a
// buffer.
func (r *Run) WriteFile(name string, write func(w io.Writer) error) error {
	return writeFile(r.tmp, name, func(w *bufio.Writer) error { return write(w) })
}

// FreeName returns base if nothing exists there, else the first of base-2,
// base-3, ... that does not exist: the name a run folder (or what a failed
// run keeps) takes when base is taken.
func FreeName(base string) (string, error) {
	for k := 1; k < 10000; k++ {
		p := base
		if k > 1 {
			p = fmt.Sprintf("%s-%d", base, k)
		}
		_, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", fmt.Errorf("output folder %s: %w", p, err)
		}
	}
	return "", fmt.Errorf("output folder %s: no free name with a numeric suffix", base)
}

// create makes the temporary folder for target, creating target's missing
// parent folders. If base is not "", target is a name derived from base
// (see [Run.base]).
func create(target, base string) (*Run, error) {
	target = filepath.Clean(target)
	o := &Run{target: target, base: base}
	parent := filepath.Dir(target)
	if err := o.mkdirParents(parent); err != nil {
		o.Discard()
		return nil, fmt.Errorf("creating output folder %s: %w", target, err)
	}
	tmp, err := os.MkdirTemp(parent, tempPrefix(filepath.Base(target))+owner.Tag()+"-*")
	if err != nil {
		o.Discard()
		return nil, fmt.Errorf("creating output folder %s: %w", target, err)
	}
	o.tmp = tmp
	// MkdirTemp makes the folder private (0700); an output folder is an
	// ordinary one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		o.Discard()
		return nil, fmt.Errorf("creating output folder %s: %w", target, err)
	}
	return o, nil
}

// mkdirParents creates dir and its missing ancestors, recording them.
func (r *Run) mkdirParents(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		_, err := os.Lstat(d)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		r.created = append(r.created, missing[i])
	}
	return nil
}

// Commit renames the temporary folder to the target. When the target
// cannot take it (another run committed there first, a file appeared in
// it, it is a busy mount point), the finished results are not lost: they
// are renamed to the first free target-2, target-3, ..., or else kept in
// the temporary folder, and the error (wrapping [ErrKept]) says where.
func (r *Run) Commit() error {
	if r.base == "" {
		// An empty folder in the way was accepted by CheckTarget; remove
		// it first (os.Remove never removes a non-empty folder).
		var err error
		if fi, lerr := os.Lstat(r.target); lerr == nil && fi.IsDir() {
			err = os.Remove(r.target)
		}
		if err == nil {
			err = os.Rename(r.tmp, r.target)
		}
		if err == nil {
			r.done = true
			return nil
		}
		return r.keep(fmt.Errorf("output folder %s: %w", r.target, pathErrCause(err)))
	}
	for range 100 {
		err := os.Rename(r.tmp, r.target)
		if err == nil {
			r.done = true
			return nil
		}
		if _, serr := os.Lstat(r.target); serr != nil {
			return fmt.Errorf("output folder %s: %w", r.target, err)
		}
		// Another run took the name meanwhile: take the next free one.
		if r.target, err = FreeName(r.base); err != nil {
			return err
		}
	}
	return fmt.Errorf("output folder %s: could not find a free name", r.base)
}

// ErrKept is wrapped by the error of a [Run.Commit] that could not put the
// results in place but kept them elsewhere ([Run.Kept] says where).
var ErrKept = errors.New("the results are kept")

// keptError is a commit failure with the place the results were kept.
type keptError struct {
	err   error
	where string
}

func (e *keptError) Error() string {
	return fmt.Sprintf("%v; the finished results are kept in %s", e.err, e.where)
}

func (e *keptError) Unwrap() []error { return []error{e.err, ErrKept} }

// keep puts the finished results of a failed commit somewhere they
// survive: the first free target-2, target-3, ..., or else the temporary
// folder itself. It returns err with that place.
func (r *Run) keep(err error) error {
	r.done = true // Discard must not remove them
	r.kept = r.tmp
	if alt, ferr := FreeName(r.target); ferr == nil && alt != r.target {
		if os.Rename(r.tmp, alt) == nil {
			r.kept = alt
		}
	}
	return &keptError{err: err, where: r.kept}
}

// Kept returns the folder a failed Commit kept the results in, or "".
func (r *Run) Kept() string { return r.kept }

// Discard removes the temporary folder and the parent folders this run
// created (those that are still empty), unless the run was committed. It
// may be called more than once (defer it after Create).
func (r *Run) Discard() {
	if r.done {
		return
	}
	if r.tmp != "" {
		_ = os.RemoveAll(r.tmp)
	}
	for i := len(r.created) - 1; i >= 0; i-- {
		_ = os.Remove(r.created[i])
	}
}

// pathErrCause returns the cause of a *fs.PathError (whose message repeats
// the path), or err itself.
func pathErrCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
