package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// FormatError reports a file of a run folder whose content is not what
// bam run writes (malformed JSON or CSV, a missing column or key, a field
// that is not a number). Errors opening or reading a file are not
// FormatErrors.
type FormatError struct {
	Path string // the file
	Err  error  // what is wrong
}

// Error returns "PATH: what is wrong".
func (e *FormatError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns what is wrong.
func (e *FormatError) Unwrap() error { return e.Err }

// Table is a CSV file of a run folder read by column name: Names[k] is
// the header of column Columns[k], which holds one value per data row.
type Table struct {
	Names   []string
	Columns [][]float64
}

// Column returns the column name, or nil if the table has none of that
// name.
func (t *Table) Column(name string) []float64 {
	if k := slices.Index(t.Names, name); k >= 0 {
		return t.Columns[k]
	}
	return nil
}

// Rows returns the number of data rows.
func (t *Table) Rows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return len(t.Columns[0])
}

// ReadEconomy reads economy.csv of the run folder dir: the columns named
// (in that order), or every column if none is named, except the id
// columns that run.json lists (constants, and maybe strings). Columns are
// found by name, so their position and any other columns do not matter; a
// named column that is missing is a [*FormatError], as is a field that is
// not a number (true and false read as 1 and 0); a missing file is an
// error wrapping fs.ErrNotExist.
func ReadEconomy(dir string, columns ...string) (*Table, error) {
	return readTable(filepath.Join(dir, EconomyFile), columns, idColumnsOf(dir, columns))
}

// ReadFirms reads firms.csv of the run folder dir, as [ReadEconomy] reads
// economy.csv.
func ReadFirms(dir string, columns ...string) (*Table, error) {
	return readTable(filepath.Join(dir, FirmsFile), columns, idColumnsOf(dir, columns))
}

// idColumnsOf returns the id columns of the run folder dir (run.json's
// id_columns) when every column is to be read, so that they are left out:
// they are constants, and may be strings.
func idColumnsOf(dir string, columns []string) []string {
	if len(columns) > 0 {
		return nil
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return nil
	}
	return m.IDColumns
}

// readTable reads the CSV file path: the columns named, or every column
// but those of skip.
func readTable(path string, columns, skip []string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, pathErrCause(err))
	}
	defer f.Close()
	t, err := parseTable(f, columns, skip...)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", path, pe.Err) // an I/O error, not bad content
		}
		return nil, &FormatError{Path: path, Err: err}
	}
	return t, nil
}

// parseTable reads a CSV table with a header row from r and returns the
// columns named by names (every column but those of skip if names is
// empty) as floats; true and false read as 1 and 0. Every row must have as
// many fields as the header.
func parseTable(r io.Reader, names []string, skip ...string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty file, want a header row")
	}
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		for _, h := range header {
			if !slices.Contains(skip, h) {
				names = append(names, h)
			}
		}
	}
	idx := make([]int, len(names))
	for k, name := range names {
		idx[k] = slices.Index(header, name)
		if idx[k] < 0 {
			return nil, fmt.Errorf("no column %q in the header", name)
		}
	}
	t := &Table{Names: slices.Clone(names), Columns: make([][]float64, len(names))}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		for k, i := range idx {
			v, err := parseValue(rec[i])
			if err != nil {
				return nil, fmt.Errorf("line %d, column %s: not a number: %q", line, names[k], rec[i])
			}
			t.Columns[k] = append(t.Columns[k], v)
		}
	}
	return t, nil
}

// parseValue reads a CSV field of a run folder's table: a number, or true
// or false (the panel layout's booleans) as 1 or 0.
func parseValue(s string) (float64, error) {
	switch s {
	case "true":
		return 1, nil
	case "false":
		return 0, nil
	}
	return strconv.ParseFloat(s, 64)
}
