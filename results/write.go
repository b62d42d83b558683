package results

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// Names of the files of a run folder.
const (
	EconomyFile        = "economy.csv"     // one row per period, the columns of bam.Columns
	FirmsFile          = "firms.csv"       // the last period's firms, FirmColumns
	ManifestFile       = "run.json"        // the Manifest
	CollectCSVFile     = "collect.csv"     // the collected data, long layout
	CollectParquetFile = "collect.parquet" // the same with FormatParquet
	EconomyParquetFile = "economy.parquet" // economy.csv's series, with FormatParquet
	CollectPrefix      = "collect-"        // + panel or variable + ".csv" / ".parquet": PanelFile, WideFile
	CollectWidePrefix  = CollectPrefix     // the prefix of WideFile (the older name)
)

// PanelFile returns the file of panel p in format f: collect-firms.csv,
// collect-households.parquet, collect-economy.csv, ...
func PanelFile(p bam.Panel, f Format) string { return CollectPrefix + string(p) + "." + string(f) }

// WideFile returns the file of the collected variable v (a name of
// bam.Collector.Variables) in the wide layout and format f:
// collect-Producer.production@firms_run_production.csv, ...
func WideFile(v string, f Format) string { return CollectPrefix + v + "." + string(f) }

// FirmColumns is the header of firms.csv.
var FirmColumns = []string{
	"firm", "production", "price", "net_worth", "labor", "wage_offer", "inventory", "debt",
	"total_funds", "desired_production", "vacancies", "wage_bill", "labor_productivity",
}

// Format is the format of a run's collected data.
type Format string

// Formats of the collected data.
const (
	FormatCSV     Format = "csv"
	FormatParquet Format = "parquet" // also writes economy.parquet
)

// Layout is how a run's collected data is laid out in files (see
// docs/results.md).
type Layout string

// Layouts of the collected data.
const (
	// LayoutPanel, the default: one file per agent kind (firms,
	// households, banks) and one for the economy series, a row per period
	// and agent, a column per variable (bam.Collector.WritePanelCSV).
	LayoutPanel Layout = "panel"
	// LayoutLong: one file, a row per period, variable and agent
	// (period, agent, variable, value).
	LayoutLong Layout = "long"
	// LayoutWide: one file per variable, a row per period, a column per
	// agent.
	LayoutWide Layout = "wide"
)

// ParseLayout returns the layout named s (panel, long or wide).
func ParseLayout(s string) (Layout, error) {
	switch l := Layout(strings.ToLower(strings.TrimSpace(s))); l {
	case LayoutPanel, LayoutLong, LayoutWide:
		return l, nil
	}
	return "", fmt.Errorf("layout %q: want panel, long or wide", s)
}

// Option changes what [Run.Write] and [Write] write.
type Option func(*config)

type config struct {
	manifest *Manifest
	listed   []string
	col      *bam.Collector
	format   Format
	layout   Layout
	ids      []string
}

// WithManifest has the run folder's run.json written from m (completed
// with Files, Collected, IDColumns and PeakRSSBytes) instead of
// [NewManifest] of the simulation: for a caller that knows more, such as
// the timings and the start time.
func WithManifest(m *Manifest) Option { return func(c *config) { c.manifest = m } }

// Listed lists files the caller has written into [Run.Dir] itself in the
// manifest, after run.json and before the collected data.
func Listed(names ...string) Option {
	return func(c *config) { c.listed = append(c.listed, names...) }
}

// Collected writes the data of the collector col (see bam.Simulation.Collect)
// in the layout of [WithLayout] (the panel layout unless another is
// chosen) and the format of [WithFormat].
func Collected(col *bam.Collector) Option { return func(c *config) { c.col = col } }

// WithFormat sets the format of the collected data (default FormatCSV);
// FormatParquet also writes economy.parquet, with or without a collector.
func WithFormat(f Format) Option { return func(c *config) { c.format = f } }

// WithLayout sets the layout of the collected data (default LayoutPanel).
func WithLayout(l Layout) Option { return func(c *config) { c.layout = l } }

// Wide is WithLayout(LayoutWide): collect-<variable>.csv (or .parquet), a
// row per period and a column per agent.
func Wide() Option { return WithLayout(LayoutWide) }

// WithIDColumns writes the id columns names (see [ParseIDColumns]:
// "scenario" and parameter names, such as "seed") first in every table of
// the folder: economy.csv, firms.csv, economy.parquet and the collected
// data, with the run's values; run.json lists them (id_columns).
func WithIDColumns(names ...string) Option {
	return func(c *config) { c.ids = append(c.ids, names...) }
}

// Write writes the run folder dir of the simulation sim, all or nothing:
// economy.csv, firms.csv, run.json and, as the options ask, the collected
// data and economy.parquet, exactly as bam run writes them, so that bam
// plot and the reports read it. dir must not exist or be an empty folder
// ([CheckTarget]). It returns the manifest written.
func Write(dir string, sim *bam.Simulation, opts ...Option) (*Manifest, error) {
	r, err := Create(dir)
	if err != nil {
		return nil, err
	}
	defer r.Discard()
	m, err := r.Write(sim, opts...)
	if err != nil {
		return nil, err
	}
	if err := r.Commit(); err != nil {
		return nil, err
	}
	return m, nil
}

// Write writes the files of the finished simulation sim into the run
// folder: economy.csv, firms.csv, then the collected data and
// economy.parquet as the options ask, and last run.json, whose Files list
// them (economy.csv, firms.csv, run.json, the Listed files, the collected
// ones), whose PeakRSSBytes is the process's peak so far and whose
// StartedAt is the current time unless the manifest of [WithManifest]
// sets it. It returns the manifest written. The run folder is not
// committed.
func (r *Run) Write(sim *bam.Simulation, opts ...Option) (*Manifest, error) {
	cfg := config{format: FormatCSV, layout: LayoutPanel}
	for _, o := range opts {
		o(&cfg)
	}
	m := cfg.manifest
	if m == nil {
		m = NewManifest(sim)
	}
	if m.StartedAt == "" {
		m.StartedAt = time.Now().Format(time.RFC3339)
	}
	fail := func(err error) (*Manifest, error) {
		return nil, fmt.Errorf("output folder %s: %w", r.target, err)
	}
	if cfg.format != FormatCSV && cfg.format != FormatParquet {
		return fail(fmt.Errorf("format %q: want csv or parquet", string(cfg.format)))
	}
	if _, err := ParseLayout(string(cfg.layout)); err != nil {
		return fail(err)
	}
	ids, err := IDColumns(m, cfg.ids...)
	if err != nil {
		return fail(err)
	}
	m.IDColumns = slices.Clone(cfg.ids)
	export := []bam.ExportOption{bam.WithIDColumns(ids...), bam.WithMetadata(Metadata(m)...)}
	files := append([]string{EconomyFile, FirmsFile, ManifestFile}, cfg.listed...)
	if err := writeFile(r.tmp, EconomyFile, func(w *bufio.Writer) error {
		return sim.History.WriteCSV(w, export...)
	}); err != nil {
		return fail(err)
	}
	if err := writeFile(r.tmp, FirmsFile, func(w *bufio.Writer) error {
		return WriteFirms(w, sim, ids...)
	}); err != nil {
		return fail(err)
	}
	files, m.Collected, err = cfg.writeCollected(r.tmp, sim, files, export)
	if err != nil {
		return fail(err)
	}
	m.PeakRSSBytes = PeakRSS()
	m.Files = files
	if err := writeFile(r.tmp, ManifestFile, func(w *bufio.Writer) error {
		return WriteManifest(w, m)
	}); err != nil {
		return fail(err)
	}
	return m, nil
}

// writeCollected writes economy.parquet (FormatParquet) and the collected
// data's files into dir, with the export options, and returns files with
// their names appended and the manifest's record of the collected data.
func (cfg *config) writeCollected(dir string, sim *bam.Simulation, files []string, export []bam.ExportOption) ([]string, *CollectRecord, error) {
	if cfg.format == FormatParquet {
		if err := writeFile(dir, EconomyParquetFile, func(w *bufio.Writer) error {
			return sim.History.WriteParquet(w, export...)
		}); err != nil {
			return nil, nil, err
		}
		files = append(files, EconomyParquetFile)
	}
	col := cfg.col
	if col == nil {
		return files, nil, nil
	}
	rec, err := collectedRecord(col, cfg.layout, cfg.format)
	if err != nil {
		return nil, nil, err
	}
	parquet := cfg.format == FormatParquet
	for _, f := range rec.Files {
		var write func(w *bufio.Writer) error
		switch {
		case cfg.layout == LayoutPanel && parquet:
			write = func(w *bufio.Writer) error { return col.WritePanelParquet(w, bam.Panel(f.Panel), export...) }
		case cfg.layout == LayoutPanel:
			write = func(w *bufio.Writer) error { return col.WritePanelCSV(w, bam.Panel(f.Panel), export...) }
		case cfg.layout == LayoutLong && parquet:
			write = func(w *bufio.Writer) error { return col.WriteParquet(w, export...) }
		case cfg.layout == LayoutLong:
			write = func(w *bufio.Writer) error { return col.WriteCSV(w, export...) }
		case parquet:
			write = func(w *bufio.Writer) error { return col.WriteWideParquet(w, f.Columns[0].Variable, export...) }
		default:
			write = func(w *bufio.Writer) error { return col.WriteWideCSV(w, f.Columns[0].Variable, export...) }
		}
		if err := writeFile(dir, f.File, write); err != nil {
			return nil, nil, err
		}
		files = append(files, f.File)
	}
	return files, rec, nil
}

// collectedRecord returns the manifest's record of the files the
// collector's data takes in layout l and format f.
func collectedRecord(col *bam.Collector, l Layout, f Format) (*CollectRecord, error) {
	rec := &CollectRecord{Layout: l, Format: f, FirstPeriod: col.FirstPeriod(), Periods: col.Len()}
	columns := map[string]CollectColumn{}
	for _, p := range col.Panels() {
		pcs, err := col.PanelColumns(p)
		if err != nil {
			return nil, err
		}
		var cs []CollectColumn
		for _, pc := range pcs {
			c := CollectColumn{Name: pc.Name, Variable: pc.Variable, At: pc.At, Panel: string(p), Type: pc.Type.String(), Doc: variableDoc(pc.Variable)}
			columns[pc.Variable] = c
			cs = append(cs, c)
		}
		if l == LayoutPanel {
			rec.Files = append(rec.Files, CollectFile{File: PanelFile(p, f), Panel: string(p), Columns: cs})
		}
	}
	switch l {
	case LayoutLong:
		name := CollectCSVFile
		if f == FormatParquet {
			name = CollectParquetFile
		}
		cf := CollectFile{File: name}
		for _, v := range col.Variables() {
			cf.Columns = append(cf.Columns, columns[v])
		}
		rec.Files = []CollectFile{cf}
	case LayoutWide:
		for _, v := range col.Variables() {
			rec.Files = append(rec.Files, CollectFile{File: WideFile(v, f), Columns: []CollectColumn{columns[v]}})
		}
	}
	return rec, nil
}

// variableDoc returns the description of a collected variable or economy
// series (name with or without @system).
func variableDoc(name string) string {
	base, _, _ := strings.Cut(name, "@")
	if v, ok := ecs.LookupVariable(base); ok {
		return v.Doc
	}
	for _, c := range bam.Columns {
		if c.Name == base {
			return c.Doc
		}
	}
	return ""
}

// appendFloat formats v as the shortest decimal that parses back to v, so
// that equal runs give byte-identical files.
func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }

// WriteEconomy writes economy.csv: the bam.Columns header and one row per
// recorded period, floats in their shortest round-trip form, after the id
// columns ids.
func WriteEconomy(w io.Writer, rows []bam.Row, ids ...bam.IDColumn) error {
	h := &bam.History{Rows: rows}
	return h.WriteCSV(w, bam.WithIDColumns(ids...))
}

// WriteFirms writes firms.csv: one row per firm slot (FirmColumns, after
// the id columns ids) with the final period's output and debt (captured at
// firms_run_production: History.FinalProduction and FinalDebt, 0 when the
// History is disabled) and the end-of-period state of the slot's firm. A
// firm that went bankrupt in the last period has produced and borrowed,
// but its slot holds its entrant at the end of the period, whose state the
// other columns show.
func WriteFirms(w io.Writer, sim *bam.Simulation, ids ...bam.IDColumn) error {
	wd := sim.World
	n := len(wd.Firms.Producer)
	b := make([]byte, 0, 512)
	for _, c := range ids {
		if slices.Contains(FirmColumns, c.Name) {
			return fmt.Errorf("%w %s: firms.csv has a column of that name already", bam.ErrBadIDColumn, c.Name)
		}
		b = append(b, c.Name...)
		b = append(b, ',')
	}
	var idFields []byte
	for _, c := range ids {
		idFields = append(idFields, c.Text()...)
		idFields = append(idFields, ',')
	}
	b = append(b, strings.Join(FirmColumns, ",")...)
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return err
	}
	final := func(xs []float64, i int) float64 {
		if i < len(xs) {
			return xs[i]
		}
		return 0
	}
	for i := range n {
		p, e, br := &wd.Firms.Producer[i], &wd.Firms.Employer[i], &wd.Firms.Borrower[i]
		b = append(b[:0], idFields...)
		b = strconv.AppendInt(b, int64(i), 10)
		for _, x := range []struct {
			f     float64
			isInt bool
		}{
			{final(sim.History.FinalProduction, i), false},
			{p.Price, false},
			{br.NetWorth, false},
			{float64(e.CurrentLabor), true},
			{e.WageOffer, false},
			{p.Inventory, false},
			{final(sim.History.FinalDebt, i), false},
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
