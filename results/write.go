package results

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/bam-abm/bam"
)

// Names of the files of a run folder.
const (
	EconomyFile        = "economy.csv"     // one row per period, the columns of bam.Columns
	FirmsFile          = "firms.csv"       // the last period's firms, FirmColumns
	ManifestFile       = "run.json"        // the Manifest
	CollectCSVFile     = "collect.csv"     // the collected data, long layout
	CollectParquetFile = "collect.parquet" // the same with FormatParquet
	EconomyParquetFile = "economy.parquet" // economy.csv's series, with FormatParquet
	CollectWidePrefix  = "collect-"        // + variable + ".csv" / ".parquet" with Wide
)

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

// Option changes what [Run.Write] and [Write] write.
type Option func(*config)

type config struct {
	manifest *Manifest
	listed   []string
	col      *bam.Collector
	format   Format
	wide     bool
}

// WithManifest has the run folder's run.json written from m (completed
// with Files and PeakRSSBytes) instead of [NewManifest] of the simulation:
// for a caller that knows more, such as the timings and the start time.
func WithManifest(m *Manifest) Option { return func(c *config) { c.manifest = m } }

// Listed lists files the caller has written into [Run.Dir] itself in the
// manifest, after run.json and before the collected data.
func Listed(names ...string) Option {
	return func(c *config) { c.listed = append(c.listed, names...) }
}

// Collected writes the data of the collector col (see bam.Simulation.Collect):
// collect.csv, or collect.parquet with FormatParquet, or one file per
// variable with [Wide].
func Collected(col *bam.Collector) Option { return func(c *config) { c.col = col } }

// WithFormat sets the format of the collected data (default FormatCSV);
// FormatParquet also writes economy.parquet, with or without a collector.
func WithFormat(f Format) Option { return func(c *config) { c.format = f } }

// Wide writes the collected data in wide layout: collect-<variable>.csv
// (or .parquet), a row per period and a column per agent.
func Wide() Option { return func(c *config) { c.wide = true } }

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
	cfg := config{format: FormatCSV}
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
	files := append([]string{EconomyFile, FirmsFile, ManifestFile}, cfg.listed...)
	if err := writeFile(r.tmp, EconomyFile, func(w *bufio.Writer) error {
		return WriteEconomy(w, sim.History.Rows)
	}); err != nil {
		return fail(err)
	}
	if err := writeFile(r.tmp, FirmsFile, func(w *bufio.Writer) error {
		return WriteFirms(w, sim)
	}); err != nil {
		return fail(err)
	}
	files, err := cfg.writeCollected(r.tmp, sim, files)
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

// writeCollected writes the collected data's files into dir and returns
// files with their names appended.
func (cfg *config) writeCollected(dir string, sim *bam.Simulation, files []string) ([]string, error) {
	if cfg.format != FormatCSV && cfg.format != FormatParquet {
		return nil, fmt.Errorf("format %q: want csv or parquet", string(cfg.format))
	}
	if cfg.format == FormatParquet {
		if err := writeFile(dir, EconomyParquetFile, func(w *bufio.Writer) error {
			return sim.History.WriteParquet(w)
		}); err != nil {
			return nil, err
		}
		files = append(files, EconomyParquetFile)
	}
	col := cfg.col
	if col == nil {
		return files, nil
	}
	if !cfg.wide {
		name, write := CollectCSVFile, col.WriteCSV
		if cfg.format == FormatParquet {
			name, write = CollectParquetFile, col.WriteParquet
		}
		if err := writeFile(dir, name, func(w *bufio.Writer) error { return write(w) }); err != nil {
			return nil, err
		}
		return append(files, name), nil
	}
	for _, v := range col.Variables() {
		name := CollectWidePrefix + v + "." + string(cfg.format)
		if err := writeFile(dir, name, func(w *bufio.Writer) error {
			if cfg.format == FormatParquet {
				return col.WriteWideParquet(w, v)
			}
			return col.WriteWideCSV(w, v)
		}); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}

// appendFloat formats v as the shortest decimal that parses back to v, so
// that equal runs give byte-identical files.
func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }

// WriteEconomy writes economy.csv: the bam.Columns header and one row per
// recorded period, floats in their shortest round-trip form.
func WriteEconomy(w io.Writer, rows []bam.Row) error {
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

// WriteFirms writes firms.csv: one row per firm slot (FirmColumns) with
// the final period's output (captured at production) and the
// end-of-period state.
func WriteFirms(w io.Writer, sim *bam.Simulation) error {
	wd := sim.World
	n := len(wd.Firms.Producer)
	debt := make([]float64, n)
	wd.Loans.SumByBorrower(debt, wd.Loans.Debt)
	b := make([]byte, 0, 512)
	b = append(b, strings.Join(FirmColumns, ",")...)
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
