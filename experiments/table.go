package experiments

import (
	"bufio"
	"encoding/csv"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// colKind is the type of a table column.
type colKind int

const (
	kFloat colKind = iota
	kInt
	kBool
	kString
)

// column is one column of a table; the slice of its kind holds the values.
type column struct {
	name string
	kind colKind
	f    []float64
	i    []int64
	b    []bool
	s    []string
}

// table is a table of typed columns, written as CSV or Parquet.
type table struct {
	cols []*column
	n    int
}

func (t *table) add(name string, kind colKind) *column {
	c := &column{name: name, kind: kind}
	t.cols = append(t.cols, c)
	return c
}

// text returns the CSV text of row r of c: floats in their shortest exact
// form ("NaN", "+Inf" as strconv writes them).
func (c *column) text(r int) string {
	switch c.kind {
	case kFloat:
		return strconv.FormatFloat(c.f[r], 'g', -1, 64)
	case kInt:
		return strconv.FormatInt(c.i[r], 10)
	case kBool:
		return strconv.FormatBool(c.b[r])
	}
	return c.s[r]
}

// writeCSV writes the table with a header row.
func (t *table) writeCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	rec := make([]string, len(t.cols))
	for j, c := range t.cols {
		rec[j] = c.name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for r := range t.n {
		for j, c := range t.cols {
			rec[j] = c.text(r)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeParquet writes the table as Parquet (Snappy) with the key-value
// metadata meta. The schema is a struct type made with reflect.StructOf,
// which keeps the columns in order (a parquet.Group sorts them by name).
func (t *table) writeParquet(w io.Writer, meta [][2]string) error {
	fields := make([]reflect.StructField, len(t.cols))
	for j, c := range t.cols {
		typ := map[colKind]reflect.Type{
			kFloat: reflect.TypeFor[float64](), kInt: reflect.TypeFor[int64](),
			kBool: reflect.TypeFor[bool](), kString: reflect.TypeFor[string](),
		}[c.kind]
		fields[j] = reflect.StructField{Name: "F" + strconv.Itoa(j), Type: typ, Tag: reflect.StructTag(`parquet:"` + c.name + `"`)}
	}
	schema := parquet.SchemaOf(reflect.New(reflect.StructOf(fields)).Elem().Interface())
	opts := []parquet.WriterOption{schema, parquet.Compression(&parquet.Snappy), parquet.CreatedBy("bam", "", "")}
	for _, kv := range meta {
		opts = append(opts, parquet.KeyValueMetadata(kv[0], kv[1]))
	}
	pw := parquet.NewWriter(w, opts...)
	row := make(parquet.Row, len(t.cols))
	for r := range t.n {
		for j, c := range t.cols {
			var v parquet.Value
			switch c.kind {
			case kFloat:
				v = parquet.DoubleValue(c.f[r])
			case kInt:
				v = parquet.Int64Value(c.i[r])
			case kBool:
				v = parquet.BooleanValue(c.b[r])
			default:
				v = parquet.ByteArrayValue([]byte(c.s[r]))
			}
			row[j] = v.Level(0, 0, j)
		}
		if _, err := pw.WriteRows([]parquet.Row{row}); err != nil {
			return err
		}
	}
	return pw.Close()
}
