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
func parquetOptions(meta []KeyValue) []parquet.WriterOption {
	opts := []parquet.WriterOption{
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.CreatedBy("bam", "", ""),
	}
	for _, kv := range meta {
		opts = append(opts, parquet.KeyValueMetadata(kv.Key, kv.Value))
	}
	return opts
}

// metadata is the key-value metadata of the collector's files: the layout,
// the run (scenario, seed, population) and the rows' first period and
// number of periods.
func (c *Collector) metadata(layout string) []KeyValue {
	w := c.sim.World
	itoa := strconv.Itoa
	m := []KeyValue{
		{"bam.layout", layout},
		{"bam.first_period", itoa(c.first)},
		{"bam.periods", itoa(c.periods())},
		{"bam.seed", strconv.FormatUint(w.Params.Seed, 10)},
		{"bam.n_firms", itoa(len(w.Firms.Producer))},
		{"bam.n_households", itoa(len(w.Households.Worker))},
		{"bam.n_banks", itoa(len(w.Banks.Lender))},
	}
	if sc := c.sim.Scenario; sc != nil {
		m = append(m, KeyValue{"bam.scenario", sc.Name})
	}
	return m
}

// WriteParquet writes the collected data as one Parquet file in the long
// layout of [LongRow] (one row per period, variable and agent, in the
// order of [Collector.WriteCSV]), Snappy-compressed, with the layout
// ("bam.layout" = "long"), the run's seed, population and first period as
// key-value metadata ("bam.seed", ...) and the options' metadata and id
// columns (before period).
func (c *Collector) WriteParquet(w io.Writer, opts ...ExportOption) error {
	cfg := newExportConfig(opts)
	cols := []parquetColumn{
		{name: "period", kind: colInt32}, {name: "agent", kind: colInt32},
		{name: "variable", kind: colString, dict: true}, {name: "value", kind: colDouble},
	}
	names := make([]parquet.Value, len(c.series))
	for k, se := range c.series {
		names[k] = parquet.ByteArrayValue([]byte(se.name))
	}
	T := c.periods()
	n := 0
	for _, se := range c.series {
		n += T * se.agents
	}
	// Rows in order: period, then variable, then agent.
	t, k, i := 0, 0, 0
	err := writeParquetTable(w, cfg, cols, n, c.metadata("long"), func(_ int, row []parquet.Value) {
		se := c.series[k]
		agent := int32(i)
		if se.econ != nil {
			agent = -1
		}
		row[0] = parquet.Int32Value(int32(c.first + t))
		row[1] = parquet.Int32Value(agent)
		row[2] = names[k]
		row[3] = parquet.DoubleValue(se.data[t*se.agents+i])
		if i++; i == se.agents {
			i = 0
			if k++; k == len(c.series) {
				k = 0
				t++
			}
		}
	})
	if err != nil {
		return fmt.Errorf("write collected data: parquet: %w", err)
	}
	return nil
}

// WriteWideParquet writes the variable name (see [Collector.Data]) as one
// Parquet file in the wide layout: one row per period, an INT32 column
// period and one DOUBLE column per agent, a0 … a(N−1) (or a column named
// after an economy series), the options' id columns first. Mind the
// width: a household variable has one column per household.
func (c *Collector) WriteWideParquet(w io.Writer, name string, opts ...ExportOption) error {
	se := c.lookup(name)
	if se == nil {
		return fmt.Errorf("write %s: %w: not collected; collected: %v", name, ErrUnknownVariable, c.Variables())
	}
	cols := make([]parquetColumn, 1, 1+se.agents)
	cols[0] = parquetColumn{name: "period", kind: colInt32}
	if se.econ != nil {
		cols = append(cols, parquetColumn{name: se.base, kind: colDouble})
	} else {
		for i := range se.agents {
			cols = append(cols, parquetColumn{name: "a" + strconv.Itoa(i), kind: colDouble})
		}
	}
	meta := append(c.metadata("wide"), KeyValue{"bam.variable", se.name})
	err := writeParquetTable(w, newExportConfig(opts), cols, c.periods(), meta, func(t int, row []parquet.Value) {
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
// DOUBLE. The options add key-value metadata and id columns (first).
func (h *History) WriteParquet(w io.Writer, opts ...ExportOption) error {
	cols := make([]parquetColumn, len(Columns))
	for i, c := range Columns {
		switch {
		case i == 0:
			cols[i] = parquetColumn{name: c.Name, kind: colInt32}
		case c.Int:
			cols[i] = parquetColumn{name: c.Name, kind: colInt64}
		default:
			cols[i] = parquetColumn{name: c.Name, kind: colDouble}
		}
	}
	err := writeParquetTable(w, newExportConfig(opts), cols, len(h.Rows), nil, func(t int, row []parquet.Value) {
		r := &h.Rows[t]
		for i, c := range Columns {
			row[i] = cols[i].value(c.Get(r))
		}
	})
	if err != nil {
		return fmt.Errorf("write economy series: parquet: %w", err)
	}
	return nil
}

// colKind is the physical type of a Parquet column.
type colKind uint8

const (
	colDouble colKind = iota
	colInt32
	colInt64
	colBool
	colString
)

// parquetColumn is a column of a flat Parquet file.
type parquetColumn struct {
	name     string
	kind     colKind
	optional bool // nullable (a null is parquet.NullValue())
	dict     bool // dictionary-encoded
}

// value returns the float64 v as a value of the column's kind (not for
// strings).
func (col parquetColumn) value(v float64) parquet.Value {
	switch col.kind {
	case colInt32:
		return parquet.Int32Value(int32(v))
	case colInt64:
		return parquet.Int64Value(int64(v))
	case colBool:
		return parquet.BooleanValue(v != 0)
	}
	return parquet.DoubleValue(v)
}

// goType returns the Go type of the column's struct field.
func (col parquetColumn) goType() reflect.Type {
	var t reflect.Type
	switch col.kind {
	case colInt32:
		t = reflect.TypeFor[int32]()
	case colInt64:
		t = reflect.TypeFor[int64]()
	case colBool:
		t = reflect.TypeFor[bool]()
	case colString:
		t = reflect.TypeFor[string]()
	default:
		t = reflect.TypeFor[float64]()
	}
	if col.optional {
		t = reflect.PointerTo(t)
	}
	return t
}

// writeParquetTable writes a flat table of n rows: the id columns of cfg,
// then cols, in that order. fill sets the values of row t for cols
// (row[j] for column j; a null for an optional column is
// parquet.NullValue()); it is called for t = 0, 1, …, n−1 in order. The
// key-value metadata is meta, then cfg's. The schema is built from a struct
// type made with reflect.StructOf, which keeps the columns in order (a
// parquet.Group would sort them by name).
func writeParquetTable(w io.Writer, cfg *exportConfig, cols []parquetColumn, n int, meta []KeyValue, fill func(t int, row []parquet.Value)) error {
	own := make([]string, len(cols))
	for j, col := range cols {
		own[j] = col.name
	}
	if err := cfg.checkIDColumns(own); err != nil {
		return err
	}
	idCols, idVals := cfg.idParquetColumns()
	all := append(idCols, cols...)
	fields := make([]reflect.StructField, len(all))
	for j, col := range all {
		tag := col.name
		if col.optional {
			tag += ",optional"
		}
		if col.dict {
			tag += ",dict"
		}
		fields[j] = reflect.StructField{
			Name: "F" + strconv.Itoa(j),
			Type: col.goType(),
			Tag:  reflect.StructTag(`parquet:"` + tag + `"`),
		}
	}
	schema := parquet.SchemaOf(reflect.New(reflect.StructOf(fields)).Elem().Interface())
	pw := parquet.NewWriter(w, append(parquetOptions(mergeMetadata(meta, cfg.meta)), schema)...)
	const batch = 256
	width, ni := len(all), len(idCols)
	rows := make([]parquet.Row, 0, batch)
	values := make([]parquet.Value, batch*width)
	for t := range n {
		row := values[len(rows)*width : (len(rows)+1)*width]
		copy(row, idVals)
		fill(t, row[ni:])
		for j := range row {
			def := 0
			if all[j].optional && !row[j].IsNull() {
				def = 1
			}
			row[j] = row[j].Level(0, def, j)
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
