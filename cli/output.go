package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
)

// Names of the files written into the output folder (package results).
const (
	economyFile  = results.EconomyFile
	firmsFile    = results.FirmsFile
	manifestFile = results.ManifestFile
)

// firmColumns is the header of firms.csv.
var firmColumns = results.FirmColumns

// manifest is the content of run.json.
type manifest = results.Manifest

// checkOutTarget returns an input error if path exists and is not an empty
// folder: an existing non-empty folder is never overwritten.
func checkOutTarget(path string) error {
	if path == "" {
		return badInput("--out: want a folder path, got an empty string")
	}
	err := results.CheckTarget(path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, results.ErrNotEmpty):
		return badInput("--out %v (choose another --out)", err)
	case errors.Is(err, results.ErrNotFolder):
		return badInput("--out %v", err)
	}
	return fmt.Errorf("--out %w", err)
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

// defaultOutBase returns the default output folder of a run,
// runs/<scenario>-seed<N>-<YYYYMMDD-HHMMSS>.
func defaultOutBase(scenario string, seed uint64, started time.Time) string {
	return filepath.Join("runs", fmt.Sprintf("%s-seed%d-%s", safeName(scenario), seed, started.Format("20060102-150405")))
}

// safeName replaces every character of a scenario name that is not a
// letter, digit, '.', '-' or '_' by '_', for use in a folder name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
	s = strings.TrimLeft(s, ".")
	if s == "" {
		s = "scenario"
	}
	return s
}

// checkOutputFile checks, before any work, that the file path of flag can
// be written: it is not a folder (bad input) and its folder exists and
// takes a new file (a failure otherwise, as when the file itself could not
// be written). Nothing is left behind.
func checkOutputFile(flag, path string) error {
	if path == "" {
		return badInput("--%s: want a file name", flag)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return badInput("--%s %s: is a folder; want a file name", flag, path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".bam-check-*")
	if err != nil {
		return fmt.Errorf("--%s: creating %s: %w", flag, path, pathErrCause(err))
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// sameFile reports whether the paths a and b name the same file: the same
// absolute path, or the same existing file (os.SameFile, through links).
func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == ab {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// parseSeedStart parses the first seed of n seeds given with flag: an
// integer such that every seed lies in [0, ecs.MaxSeed], the range of
// bam run --seed and of scenario files.
func parseSeedStart(flag, text string, n int) (uint64, error) {
	start, err := strconv.ParseUint(text, 10, 64)
	if err != nil || start > ecs.MaxSeed {
		return 0, badInput("--%s %s: want an integer in [0, %d]", flag, quoteArg(text), uint64(ecs.MaxSeed))
	}
	if start > ecs.MaxSeed-uint64(n-1) {
		return 0, badInput("--%s %d with --seeds %d: the last seed %d would pass the largest seed %d", flag, start, n, start+uint64(n-1), uint64(ecs.MaxSeed))
	}
	return start, nil
}
