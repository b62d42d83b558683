package bam

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// Export of collected data. Two layouts (docs/results.md shows how to load
// them in pandas, polars, R and DuckDB):
//
//   - long: one row per period, variable and agent, columns
//     period,agent,variable,value, sorted by period, then variable (request
//     order), then agent; an economy series has agent −1.
//     [Collector.WriteCSV], [Collector.WriteParquet].
//   - wide: one table per variable, one row per period, columns period and
//     a0 … a(N−1) for the N agents of its kind (aI is slot I), or period and
//     the series' name for an economy series. [Collector.WriteWideCSV],
//     [Collector.WriteWideParquet].
//
// The economy series of every period are in [History];
// [History.WriteParquet] writes them with one typed column per series.
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
// period,agent,variable,value and one line per period, variable and agent.
func (c *Collector) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("period,agent,variable,value\n"); err != nil {
		return fmt.Errorf("write collected data: %w", err)
	}
	b := make([]byte, 0, 128)
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
				b = strconv.AppendInt(b[:0], period, 10)
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
// the header period,<name>. It fails for a name that was not collected.
func (c *Collector) WriteWideCSV(w io.Writer, name string) error {
	se := c.lookup(name)
	if se == nil {
		return fmt.Errorf("write %s: %w: not collected; collected: %v", name, ErrUnknownVariable, c.Variables())
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 256)
	b = append(b, "period"...)
	if se.econ != nil {
		b = append(b, ',')
		b = append(b, se.base...)
	} else {
		for i := range se.agents {
			b = append(b, ",a"...)
			b = strconv.AppendInt(b, int64(i), 10)
		}
	}
	b = append(b, '\n')
	T := c.periods()
	for t := range T {
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		b = strconv.AppendInt(b[:0], int64(c.first+t), 10)
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
