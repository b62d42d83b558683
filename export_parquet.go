package bam

import (
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// LongRow is one row of the long Parquet layout written by
// [Collector.WriteParquet]: typed columns period (INT32), agent (INT32, −1
// for an economy series), variable (STRING, dictionary-encoded) and value
// (DOUBLE). Read a file back in Go with
//
//	rows, err := parquet.ReadFile[bam.LongRow]("collect.parquet")
type LongRow struct {
	Period   int32   `parquet:"period"`
	Agent    int32   `parquet:"agent"`
	Variable string  `parquet:"variable,dict"`
	Value    float64 `parquet:"value"`
}

// parquetRowGroup bounds the rows of one row group, and so the memory the
// writer buffers.
const parquetRowGroup = 1 << 20

// parquetOptions returns the writer options shared by every file: Snappy
// compression (read by pandas/pyarrow, polars, R arrow and DuckDB alike),
// bounded row groups and the key-value metadata meta.
func parquetOptions(meta [][2]string) []parquet.WriterOption {
	opts := []parquet.WriterOption{
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.CreatedBy("bam", "", ""),
	}
	for _, kv := range meta {
		opts = append(opts, parquet.KeyValueMetadata(kv[0], kv[1]))
	}
	return opts
}

// metadata is the key-value metadata of the collector's files: the run
// (scenario, seed, population) and the rows' first period.
func (c *Collector) metadata() [][2]string {
	w := c.sim.World
	itoa := strconv.Itoa
	m := [][2]string{
		{"bam.first_period", itoa(c.first)},
		{"bam.periods", itoa(c.periods())},
		{"bam.seed", strconv.FormatUint(w.Params.Seed, 10)},
		{"bam.n_firms", itoa(len(w.Firms.Producer))},
		{"bam.n_households", itoa(len(w.Households.Worker))},
		{"bam.n_banks", itoa(len(w.Banks.Lender))},
	}
	if sc := c.sim.Scenario; sc != nil {
		m = append(m, [2]string{"bam.scenario", sc.Name})
	}
	return m
}

// WriteParquet writes the collected data as one Parquet file in the long
// layout of [LongRow] (one row per period, variable and agent, in the
// order of [Collector.WriteCSV]), Snappy-compressed, with the run's seed,
// population and first period as key-value metadata ("bam.seed", ...).
func (c *Collector) WriteParquet(w io.Writer) error {
	pw := parquet.NewGenericWriter[LongRow](w, parquetOptions(c.metadata())...)
	buf := make([]LongRow, 0, 4096)
	flush := func() error {
		if _, err := pw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
		return nil
	}
	T := c.periods()
	for t := range T {
		period := int32(c.first + t)
		for _, se := range c.series {
			for i, v := range se.data[t*se.agents : (t+1)*se.agents] {
				agent := int32(i)
				if se.econ != nil {
					agent = -1
				}
				buf = append(buf, LongRow{Period: period, Agent: agent, Variable: se.name, Value: v})
				if len(buf) == cap(buf) {
					if err := flush(); err != nil {
						return fmt.Errorf("write collected data: parquet: %w", err)
					}
				}
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("write collected data: parquet: %w", err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("write collected data: parquet: %w", err)
	}
	return nil
}

// WriteWideParquet writes the variable name (see [Collector.Data]) as one
// Parquet file in the wide layout: one row per period, an INT32 column
// period and one DOUBLE column per agent, a0 … a(N−1) (or a column named
// after an economy series). Mind the width: a household variable has one
// column per household.
func (c *Collector) WriteWideParquet(w io.Writer, name string) error {
	se := c.lookup(name)
	if se == nil {
		return fmt.Errorf("write %s: %w: not collected; collected: %v", name, ErrUnknownVariable, c.Variables())
	}
	cols := make([]parquetColumn, 1, 1+se.agents)
	cols[0] = parquetColumn{"period", reflect.Int32}
	if se.econ != nil {
		cols = append(cols, parquetColumn{se.base, reflect.Float64})
	} else {
		for i := range se.agents {
			cols = append(cols, parquetColumn{"a" + strconv.Itoa(i), reflect.Float64})
		}
	}
	meta := append(c.metadata(), [2]string{"bam.variable", se.name})
	err := writeParquetColumns(w, cols, c.periods(), meta, func(t int, row []parquet.Value) {
		row[0] = parquet.Int32Value(int32(c.first + t))
		for i, v := range se.data[t*se.agents : (t+1)*se.agents] {
			row[1+i] = parquet.DoubleValue(v)
		}
	})
	if err != nil {
		return fmt.Errorf("write %s: parquet: %w", name, err)
	}
	return nil
}

// WriteParquet writes the economy series as one Parquet file: one row per
// recorded period, one typed column per series of [Columns], in that
// order, named like the economy.csv columns; period is INT32, the other
// integer series (employed, vacancies, firm_exits, ...) INT64 and the rest
// DOUBLE.
func (h *History) WriteParquet(w io.Writer) error {
	cols := make([]parquetColumn, len(Columns))
	for i, c := range Columns {
		switch {
		case i == 0:
			cols[i] = parquetColumn{c.Name, reflect.Int32}
		case c.Int:
			cols[i] = parquetColumn{c.Name, reflect.Int64}
		default:
			cols[i] = parquetColumn{c.Name, reflect.Float64}
		}
	}
	err := writeParquetColumns(w, cols, len(h.Rows), nil, func(t int, row []parquet.Value) {
		r := &h.Rows[t]
		for i, c := range Columns {
			v := c.Get(r)
			switch cols[i].kind {
			case reflect.Int32:
				row[i] = parquet.Int32Value(int32(v))
			case reflect.Int64:
				row[i] = parquet.Int64Value(int64(v))
			default:
				row[i] = parquet.DoubleValue(v)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("write economy series: parquet: %w", err)
	}
	return nil
}

// parquetColumn is a required column of a flat Parquet file.
type parquetColumn struct {
	name string
	kind reflect.Kind // Int32, Int64 or Float64
}

// writeParquetColumns writes a flat file of required columns cols, in that
// order, with n rows; fill sets the values of row t (row[j] for column j).
// The schema is built from a struct type made with reflect.StructOf, which
// keeps the columns in order (a parquet.Group would sort them by name).
func writeParquetColumns(w io.Writer, cols []parquetColumn, n int, meta [][2]string, fill func(t int, row []parquet.Value)) error {
	fields := make([]reflect.StructField, len(cols))
	for j, col := range cols {
		var typ reflect.Type
		switch col.kind {
		case reflect.Int32:
			typ = reflect.TypeFor[int32]()
		case reflect.Int64:
			typ = reflect.TypeFor[int64]()
		default:
			typ = reflect.TypeFor[float64]()
		}
		fields[j] = reflect.StructField{
			Name: "F" + strconv.Itoa(j),
			Type: typ,
			Tag:  reflect.StructTag(`parquet:"` + col.name + `"`),
		}
	}
	schema := parquet.SchemaOf(reflect.New(reflect.StructOf(fields)).Elem().Interface())
	pw := parquet.NewWriter(w, append(parquetOptions(meta), schema)...)
	const batch = 256
	rows := make([]parquet.Row, 0, batch)
	values := make([]parquet.Value, batch*len(cols))
	for t := range n {
		row := values[len(rows)*len(cols) : (len(rows)+1)*len(cols)]
		fill(t, row)
		for j := range row {
			row[j] = row[j].Level(0, 0, j)
		}
		rows = append(rows, row)
		if len(rows) == batch {
			if _, err := pw.WriteRows(rows); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	if _, err := pw.WriteRows(rows); err != nil {
		return err
	}
	return pw.Close()
}
