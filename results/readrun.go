package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam"
)

// RunData is a run folder read back by [ReadRun].
type RunData struct {
	// Dir is the folder.
	Dir string
	// Manifest is run.json.
	Manifest *Manifest
	// Economy is economy.csv: one row per period, every series by name.
	Economy *Table
	// Firms is firms.csv: one row per firm slot of the last period.
	Firms *Table
	// Panels holds the collected data by panel (firms, households, banks,
	// economy), read from the panel layout's files or rearranged from the
	// long layout's; nil without collected data or in the wide layout.
	Panels map[bam.Panel]*Panel
}

// Panel is one table of collected data in the panel layout, read back: a
// row per period and agent (sorted by period, then slot; one row per
// period for the economy), the key columns (period, the slot as firm,
// household or bank, and for firms and banks id, entered and exited, as 0
// or 1) and one column per variable, every value as a float64 (ids are
// exact up to 2⁵³). The id columns of the folder (constants, see
// Manifest.IDColumns) are left out. A panel rearranged from the long
// layout has no id, entered and exited columns.
type Panel struct {
	// Panel is the table's name.
	Panel bam.Panel
	// File is the file it was read from.
	File string
	// Table holds the columns by name: Column("production").
	Table
	// Variables describes the variable columns (from run.json), in order.
	Variables []CollectColumn
	// FirstPeriod is the period of the first row; Periods and Agents the
	// numbers of periods and agents (1 for the economy), so that the row
	// of slot i in period t is (t−FirstPeriod)·Agents + i.
	FirstPeriod, Periods, Agents int
}

// Value returns the value of column name for slot i (0 for the economy)
// in period t, and false if the panel has no such column, period or
// slot.
func (p *Panel) Value(name string, t, i int) (float64, bool) {
	col := p.Column(name)
	r := (t-p.FirstPeriod)*p.Agents + i
	if col == nil || t < p.FirstPeriod || t >= p.FirstPeriod+p.Periods || i < 0 || i >= p.Agents || r >= len(col) {
		return 0, false
	}
	return col[r], true
}

// ReadRun reads the run folder dir: run.json, economy.csv, firms.csv and
// the collected data, so that a Go program can use a run's results without
// reading CSV or Parquet itself. The collected data is read from the panel
// layout's files (Parquet or CSV, whichever the run wrote), or from the
// long layout's file and rearranged into panels; the wide layout's files
// are not read (Panels is nil). A missing file is an error wrapping
// fs.ErrNotExist, bad content a [*FormatError].
func ReadRun(dir string) (*RunData, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	rd := &RunData{Dir: dir, Manifest: m}
	if rd.Economy, err = ReadEconomy(dir); err != nil {
		return nil, err
	}
	if rd.Firms, err = ReadFirms(dir); err != nil {
		return nil, err
	}
	rec := m.Collected
	if rec == nil {
		return rd, nil
	}
	switch rec.Layout {
	case LayoutPanel:
		rd.Panels = map[bam.Panel]*Panel{}
		for _, f := range rec.Files {
			p, err := readPanel(dir, f, rec, m.IDColumns)
			if err != nil {
				return nil, err
			}
			rd.Panels[p.Panel] = p
		}
	case LayoutLong:
		if len(rec.Files) != 1 {
			return nil, &FormatError{Path: filepath.Join(dir, ManifestFile), Err: fmt.Errorf("the long layout in %d files, want 1", len(rec.Files))}
		}
		if rd.Panels, err = readLong(dir, rec, m); err != nil {
			return nil, err
		}
	}
	return rd, nil
}

// readPanel reads the panel file f.
func readPanel(dir string, f CollectFile, rec *CollectRecord, skip []string) (*Panel, error) {
	path := filepath.Join(dir, f.File)
	p := &Panel{Panel: bam.Panel(f.Panel), File: f.File, Variables: f.Columns, FirstPeriod: rec.FirstPeriod, Periods: rec.Periods}
	var t *Table
	var err error
	if rec.Format == FormatParquet {
		t, err = readParquetTable(path, skip)
	} else {
		t, err = readTable(path, nil, skip)
	}
	if err != nil {
		return nil, err
	}
	p.Table = *t
	want := bam.PanelKeys(p.Panel)
	for _, c := range f.Columns {
		want = append(want, c.Name)
	}
	if !slices.Equal(t.Names, want) {
		return nil, &FormatError{Path: path, Err: fmt.Errorf("columns %v, run.json says %v", t.Names, want)}
	}
	if p.Periods > 0 && t.Rows()%p.Periods != 0 {
		return nil, &FormatError{Path: path, Err: fmt.Errorf("%d rows for %d periods", t.Rows(), p.Periods)}
	}
	if p.Periods > 0 {
		p.Agents = t.Rows() / p.Periods
	}
	return p, nil
}

// readLong reads the long layout's file and rearranges it into panels.
func readLong(dir string, rec *CollectRecord, m *Manifest) (map[bam.Panel]*Panel, error) {
	f := rec.Files[0]
	path := filepath.Join(dir, f.File)
	var rows *Table
	var err error
	var names []string // the variable of each row
	if rec.Format == FormatParquet {
		rows, names, err = readLongParquet(path)
	} else {
		rows, names, err = readLongCSV(path)
	}
	if err != nil {
		return nil, err
	}
	agents := map[string]int{
		string(bam.PanelFirms): m.Population.Firms, string(bam.PanelHouseholds): m.Population.Households,
		string(bam.PanelBanks): m.Population.Banks, string(bam.PanelEconomy): 1,
	}
	panels := map[bam.Panel]*Panel{}
	where := map[string][]float64{} // variable → its column
	slot := map[string]int{}        // variable → offset of agent −1 (economy)
	for _, c := range f.Columns {
		p := panels[bam.Panel(c.Panel)]
		if p == nil {
			n := agents[c.Panel]
			p = &Panel{Panel: bam.Panel(c.Panel), File: f.File, FirstPeriod: rec.FirstPeriod, Periods: rec.Periods, Agents: n}
			keys := []string{"period"}
			if c.Panel != string(bam.PanelEconomy) {
				keys = append(keys, bam.PanelKeys(p.Panel)[1])
			}
			for k, key := range keys {
				col := make([]float64, rec.Periods*n)
				for r := range col {
					if k == 0 {
						col[r] = float64(rec.FirstPeriod + r/n)
					} else {
						col[r] = float64(r % n)
					}
				}
				p.Names, p.Columns = append(p.Names, key), append(p.Columns, col)
			}
			panels[p.Panel] = p
		}
		col := make([]float64, rec.Periods*p.Agents)
		for r := range col {
			col[r] = math.NaN()
		}
		p.Names, p.Columns = append(p.Names, c.Name), append(p.Columns, col)
		p.Variables = append(p.Variables, c)
		where[c.Variable] = col
		if c.Panel == string(bam.PanelEconomy) {
			slot[c.Variable] = 1
		}
	}
	period, agent, value := rows.Column("period"), rows.Column("agent"), rows.Column("value")
	for r, name := range names {
		col := where[name]
		if col == nil {
			return nil, &FormatError{Path: path, Err: fmt.Errorf("row %d: variable %q, not in run.json", r+1, name)}
		}
		n := len(col) / max(rec.Periods, 1)
		k := (int(period[r])-rec.FirstPeriod)*n + int(agent[r]) + slot[name]
		if k < 0 || k >= len(col) || int(agent[r])+slot[name] >= n {
			return nil, &FormatError{Path: path, Err: fmt.Errorf("row %d: period %v, agent %v out of range", r+1, period[r], agent[r])}
		}
		col[k] = value[r]
	}
	return panels, nil
}

// readLongCSV reads the long layout's CSV file: the columns period, agent
// and value, and the variable of each row (other columns, the id columns,
// are left out).
func readLongCSV(path string) (*Table, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, pathErrCause(err))
	}
	defer f.Close()
	t, names, err := parseLong(f)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, nil, fmt.Errorf("%s: %w", path, pe.Err)
		}
		return nil, nil, &FormatError{Path: path, Err: err}
	}
	return t, names, nil
}

// parseLong parses a long-layout CSV table: period, agent and value as
// floats, variable as strings.
func parseLong(r io.Reader) (*Table, []string, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errors.New("empty file, want a header row")
	}
	if err != nil {
		return nil, nil, err
	}
	want := []string{"period", "agent", "value", "variable"}
	idx := make([]int, len(want))
	for k, name := range want {
		if idx[k] = slices.Index(header, name); idx[k] < 0 {
			return nil, nil, fmt.Errorf("no column %q in the header", name)
		}
	}
	t := &Table{Names: want[:3], Columns: make([][]float64, 3)}
	var names []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		for k := range 3 {
			v, err := strconv.ParseFloat(rec[idx[k]], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("line %d, column %s: not a number: %q", line, want[k], rec[idx[k]])
			}
			t.Columns[k] = append(t.Columns[k], v)
		}
		names = append(names, rec[idx[3]])
	}
	return t, names, nil
}

// readLongParquet reads the long layout's Parquet file.
func readLongParquet(path string) (*Table, []string, error) {
	return readParquet(path, nil, "variable")
}

// readParquetTable reads every numeric column of the flat Parquet file
// path but those of skip, as float64s (booleans as 0 or 1, nulls as NaN).
func readParquetTable(path string, skip []string) (*Table, error) {
	t, _, err := readParquet(path, skip, "")
	return t, err
}

// readParquet reads the flat Parquet file path: every column but those of
// skip and the string columns as float64s, and the string column str ("":
// none) as strings.
func readParquet(path string, skip []string, str string) (*Table, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, pathErrCause(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, pathErrCause(err))
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		return nil, nil, &FormatError{Path: path, Err: err}
	}
	t := &Table{}
	var idx []int
	strIdx := -1
	for j, leaf := range pf.Schema().Fields() {
		name := leaf.Name()
		if name == str {
			strIdx = j
			continue
		}
		if slices.Contains(skip, name) || leaf.Type().Kind() == parquet.ByteArray {
			continue
		}
		idx = append(idx, j)
		t.Names = append(t.Names, name)
	}
	if str != "" && strIdx < 0 {
		return nil, nil, &FormatError{Path: path, Err: fmt.Errorf("no column %q", str)}
	}
	t.Columns = make([][]float64, len(idx))
	var strs []string
	buf := make([]parquet.Row, 256)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				for k, j := range idx {
					t.Columns[k] = append(t.Columns[k], parquetFloat(row[j]))
				}
				if strIdx >= 0 {
					strs = append(strs, string(row[strIdx].ByteArray()))
				}
			}
			if err != nil {
				rows.Close()
				if !errors.Is(err, io.EOF) {
					return nil, nil, &FormatError{Path: path, Err: err}
				}
				break
			}
		}
	}
	return t, strs, nil
}

// parquetFloat returns a value of a numeric or boolean column as a float64,
// a null as NaN.
func parquetFloat(v parquet.Value) float64 {
	switch {
	case v.IsNull():
		return math.NaN()
	case v.Kind() == parquet.Double:
		return v.Double()
	case v.Kind() == parquet.Float:
		return float64(v.Float())
	case v.Kind() == parquet.Int64:
		return float64(v.Int64())
	case v.Kind() == parquet.Int32:
		return float64(v.Int32())
	case v.Kind() == parquet.Boolean:
		if v.Boolean() {
			return 1
		}
		return 0
	}
	return math.NaN()
}
