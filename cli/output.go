package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bam-abm/bam"
)

// Names of the files written into the output folder, in writing order.
const (
	economyFile  = "economy.csv"
	firmsFile    = "firms.csv"
	manifestFile = "run.json"
)

// firmColumns is the header of firms.csv.
var firmColumns = []string{
	"firm", "production", "price", "net_worth", "labor", "wage_offer", "inventory", "debt",
	"total_funds", "desired_production", "vacancies", "wage_bill", "labor_productivity",
}

// outDir is an output folder being written. Files go into a temporary
// folder next to the target (same parent), which commit renames to the
// target; discard removes everything this run created unless committed.
type outDir struct {
	// target is the final folder.
	target string
	// tmp is the temporary folder the files are written to.
	tmp string
	// base is the default name the target was derived from, or "" when the
	// target was given with --out. A default target that appears during the
	// run is not replaced: commit takes the next free suffix instead.
	base string
	// created lists the missing parent folders this run made, outermost
	// first, so that discard can remove them again.
	created []string
	done    bool
}

// checkOutTarget returns an input error if path exists and is not an empty
// folder: an existing non-empty folder is never overwritten.
func checkOutTarget(path string) error {
	if path == "" {
		return badInput("--out: want a folder path, got an empty string")
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("--out %s: %w", path, pathErrCause(err))
	case !fi.IsDir():
		return badInput("--out %s: exists and is not a folder; refusing to overwrite it", path)
	}
	ents, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, pathErrCause(err))
	}
	if len(ents) > 0 {
		return badInput("--out %s: folder exists and is not empty; refusing to overwrite it (choose another --out)", path)
	}
	return nil
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

// nextFree returns base if nothing exists there, else the first of base-2,
// base-3, ... that does not exist.
func nextFree(base string) (string, error) {
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

// createOutDir makes the temporary folder for target, creating target's
// missing parent folders. If base is not "", target is a default name
// derived from base (see [outDir.base]).
func createOutDir(target, base string) (*outDir, error) {
	target = filepath.Clean(target)
	o := &outDir{target: target, base: base}
	parent := filepath.Dir(target)
	if err := o.mkdirParents(parent); err != nil {
		o.discard()
		return nil, fmt.Errorf("creating output folder %s: %w", target, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		o.discard()
		return nil, fmt.Errorf("creating output folder %s: %w", target, err)
	}
	o.tmp = tmp
	// MkdirTemp makes the folder private (0700); an output folder is an
	// ordinary one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		o.discard()
		return nil, fmt.Errorf("creating output folder %s: %w", target, err)
	}
	return o, nil
}

// mkdirParents creates dir and its missing ancestors, recording them.
func (o *outDir) mkdirParents(dir string) error {
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
		o.created = append(o.created, missing[i])
	}
	return nil
}

// commit renames the temporary folder to the target.
func (o *outDir) commit() error {
	if o.base == "" {
		// An empty folder in the way was accepted by checkOutTarget; remove
		// it first (os.Remove never removes a non-empty folder).
		if fi, err := os.Lstat(o.target); err == nil && fi.IsDir() {
			if err := os.Remove(o.target); err != nil {
				return fmt.Errorf("output folder %s: %w", o.target, err)
			}
		}
		if err := os.Rename(o.tmp, o.target); err != nil {
			return fmt.Errorf("output folder %s: %w", o.target, err)
		}
		o.done = true
		return nil
	}
	for range 100 {
		err := os.Rename(o.tmp, o.target)
		if err == nil {
			o.done = true
			return nil
		}
		if _, serr := os.Lstat(o.target); serr != nil {
			return fmt.Errorf("output folder %s: %w", o.target, err)
		}
		// Another run took the name meanwhile: take the next free one.
		if o.target, err = nextFree(o.base); err != nil {
			return err
		}
	}
	return fmt.Errorf("output folder %s: could not find a free name", o.base)
}

// discard removes the temporary folder and the parent folders this run
// created (those that are still empty), unless the folder was committed.
func (o *outDir) discard() {
	if o.done {
		return
	}
	if o.tmp != "" {
		_ = os.RemoveAll(o.tmp)
	}
	for i := len(o.created) - 1; i >= 0; i-- {
		_ = os.Remove(o.created[i])
	}
}

// writeFile creates dir/name and writes it with write through a buffer.
func writeFile(dir, name string, write func(w *bufio.Writer) error) error {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, pathErrCause(err))
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, pathErrCause(err))
	}
	return nil
}

// appendFloat formats v as the shortest decimal that parses back to v, so
// that equal runs give byte-identical files.
func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }

// writeEconomy writes economy.csv: the bam.Columns header and one row per
// recorded period.
func writeEconomy(w *bufio.Writer, rows []bam.Row) error {
	b := make([]byte, 0, 1024)
	for i, c := range bam.Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.Name...)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return err
	}
	for t := range rows {
		b = b[:0]
		for i, c := range bam.Columns {
			if i > 0 {
				b = append(b, ',')
			}
			v := c.Get(&rows[t])
			if c.Int {
				b = strconv.AppendInt(b, int64(v), 10)
			} else {
				b = appendFloat(b, v)
			}
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// writeFirms writes firms.csv: one row per firm slot with the final
// period's output (captured at production) and the end-of-period state.
func writeFirms(w *bufio.Writer, sim *bam.Simulation) error {
	wd := sim.World
	n := len(wd.Firms.Producer)
	debt := make([]float64, n)
	wd.Loans.SumByBorrower(debt, wd.Loans.Debt)
	b := make([]byte, 0, 512)
	b = append(b, strings.Join(firmColumns, ",")...)
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return err
	}
	for i := range n {
		p, e, br := &wd.Firms.Producer[i], &wd.Firms.Employer[i], &wd.Firms.Borrower[i]
		production := 0.0
		if i < len(sim.History.FinalProduction) {
			production = sim.History.FinalProduction[i]
		}
		b = b[:0]
		b = strconv.AppendInt(b, int64(i), 10)
		for _, x := range []struct {
			f     float64
			isInt bool
		}{
			{production, false},
			{p.Price, false},
			{br.NetWorth, false},
			{float64(e.CurrentLabor), true},
			{e.WageOffer, false},
			{p.Inventory, false},
			{debt[i], false},
			{br.TotalFunds, false},
			{p.DesiredProduction, false},
			{float64(e.NVacancies), true},
			{e.WageBill, false},
			{p.LaborProductivity, false},
		} {
			b = append(b, ',')
			if x.isInt {
				b = strconv.AppendInt(b, int64(x.f), 10)
			} else {
				b = appendFloat(b, x.f)
			}
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
