package bam

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// Export of collected data. Three layouts (docs/results.md shows how to
// load them in pandas, polars, R and DuckDB):
//
//   - panel (export_panel.go): one table per agent kind (firms, households,
//     banks) and one for the economy series, one row per period and agent,
//     one typed column per variable with a short safe name; the firm and
//     bank tables carry the agents' persistent ids. [Collector.Panels],
//     [Collector.WritePanelCSV], [Collector.WritePanelParquet].
//   - long: one row per period, variable and agent, columns
//     period,agent,variable,value, sorted by period, then variable (request
//     order), then agent; an economy series has agent −1.
//     [Collector.WriteCSV], [Collector.WriteParquet].
//   - wide: one table per variable, one row per period, columns period and
//     a0 … a(N−1) for the N agents of its kind (aI is slot I), or period and
//     the series' name for an economy series. [Collector.WriteWideCSV],
//     [Collector.WriteWideParquet].
//
// The economy series of every period are in [History]; [History.WriteCSV]
// and [History.WriteParquet] write them with one column per series.
// Every writer takes [ExportOption]s: [WithIDColumns] (constant columns
// such as the seed, first in every row) and [WithMetadata] (Parquet
// key-value metadata).
//
// CSV floats are written in their shortest round-trip form ('g', −1), so
// equal runs give identical bytes and every value parses back exactly;
// integer-valued variables print without a decimal point.

// periods returns the number of periods every collected series has.
func (c *Collector) periods() int {
	if len(c.series) == 0 {
		return 0
	}
	t := len(c.series[0].data) / c.series[0].agents
	for _, se := range c.series[1:] {
		t = min(t, len(se.data)/se.agents)
	}
	return t
}

// WriteCSV writes the collected data in long format: the header
// period,agent,variable,value and one line per period, variable and agent,
// the options' id columns first.
func (c *Collector) WriteCSV(w io.Writer, opts ...ExportOption) error {
	cfg := newExportConfig(opts)
	if err := cfg.checkIDColumns([]string{"period", "agent", "variable", "value"}); err != nil {
		return fmt.Errorf("write collected data: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	ids := cfg.appendIDFields(nil)
	b := cfg.appendIDHeader(make([]byte, 0, 128))
	b = append(b, "period,agent,variable,value\n"...)
	if _, err := bw.Write(b); err != nil {
		return fmt.Errorf("write collected data: %w", err)
	}
	T := c.periods()
	for t := range T {
		period := int64(c.first + t)
		for _, se := range c.series {
			row := se.data[t*se.agents : (t+1)*se.agents]
			for i, v := range row {
				agent := int64(i)
				if se.econ != nil {
					agent = -1
				}
				b = append(b[:0], ids...)
				b = strconv.AppendInt(b, period, 10)
				b = append(b, ',')
				b = strconv.AppendInt(b, agent, 10)
				b = append(b, ',')
				b = append(b, se.name...)
				b = append(b, ',')
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
				b = append(b, '\n')
				if _, err := bw.Write(b); err != nil {
					return fmt.Errorf("write collected data: %w", err)
				}
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write collected data: %w", err)
	}
	return nil
}

// WriteWideCSV writes the variable name (see [Collector.Data] for the
// names accepted) in wide format: the header period,a0,a1,… (one column
// per agent, aI for slot I) and one line per period; an economy series has
// the header period,<name>. The options' id columns come first. It fails
// for a name that was not collected.
func (c *Collector) WriteWideCSV(w io.Writer, name string, opts ...ExportOption) error {
	se := c.lookup(name)
	if se == nil {
		return fmt.Errorf("write %s: %w: not collected; collected: %v", name, ErrUnknownVariable, c.Variables())
	}
	cfg := newExportConfig(opts)
	own := []string{"period"}
	if se.econ != nil {
		own = append(own, se.base)
	} else {
		for i := range se.agents {
			own = append(own, "a"+strconv.Itoa(i))
		}
	}
	if err := cfg.checkIDColumns(own); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	ids := cfg.appendIDFields(nil)
	b := cfg.appendIDHeader(make([]byte, 0, 256))
	for k, col := range own {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, col...)
	}
	b = append(b, '\n')
	T := c.periods()
	for t := range T {
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		b = append(b[:0], ids...)
		b = strconv.AppendInt(b, int64(c.first+t), 10)
		for _, v := range se.data[t*se.agents : (t+1)*se.agents] {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
		b = append(b, '\n')
	}
	if _, err := bw.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// WriteCSV writes the economy series as economy.csv holds them: the header
// of [Columns] and one line per recorded period, the integer series in
// decimal and the others in shortest round-trip form; the options' id
// columns come first.
func (h *History) WriteCSV(w io.Writer, opts ...ExportOption) error {
	cfg := newExportConfig(opts)
	if err := cfg.checkIDColumns(economyNames()); err != nil {
		return fmt.Errorf("write economy series: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	ids := cfg.appendIDFields(nil)
	b := cfg.appendIDHeader(make([]byte, 0, 1024))
	for i, c := range Columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.Name...)
	}
	b = append(b, '\n')
	if _, err := bw.Write(b); err != nil {
		return fmt.Errorf("write economy series: %w", err)
	}
	for t := range h.Rows {
		b = append(b[:0], ids...)
		for i, c := range Columns {
			if i > 0 {
				b = append(b, ',')
			}
			v := c.Get(&h.Rows[t])
			if c.Int {
				b = strconv.AppendInt(b, int64(v), 10)
			} else {
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
			}
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("write economy series: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write economy series: %w", err)
	}
	return nil
}
