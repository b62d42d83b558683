package bam_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam"
)

const exportSpec = "Producer.production@firms_run_production,Worker.employed@firms_run_production,Lender.equity_base,Worker.employer,unemployment_rate,firm_exits"

// expected returns what the long layout must hold: one entry per period,
// variable and agent, in export order.
func expected(c *bam.Collector) []bam.LongRow {
	var out []bam.LongRow
	T := c.Len()
	for t := range T {
		for _, name := range c.Variables() {
			_, n, v := c.Data(name)
			_, isAgent := c.Kind(name)
			for i := range n {
				agent := int32(i)
				if !isAgent {
					agent = -1
				}
				out = append(out, bam.LongRow{Period: int32(c.FirstPeriod() + t), Agent: agent, Variable: name, Value: v[t*n+i]})
			}
		}
	}
	return out
}

func TestWriteCSVRoundTrip(t *testing.T) {
	sim, c := newCollecting(t, 12, exportSpec)
	sim.Run(12)
	var buf bytes.Buffer
	if err := c.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := recs[0]; len(h) != 4 || h[0] != "period" || h[1] != "agent" || h[2] != "variable" || h[3] != "value" {
		t.Fatalf("header %v", h)
	}
	want := expected(c)
	if len(recs)-1 != len(want) {
		t.Fatalf("%d rows, want %d", len(recs)-1, len(want))
	}
	for k, r := range recs[1:] {
		p, err1 := strconv.Atoi(r[0])
		a, err2 := strconv.Atoi(r[1])
		v, err3 := strconv.ParseFloat(r[3], 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatalf("row %d: %v", k, err)
		}
		got := bam.LongRow{Period: int32(p), Agent: int32(a), Variable: r[2], Value: v}
		if got != want[k] {
			t.Fatalf("row %d = %+v, want %+v", k, got, want[k])
		}
	}
}

func TestWriteWideCSVRoundTrip(t *testing.T) {
	sim, c := newCollecting(t, 7, exportSpec)
	sim.Run(7)
	for _, name := range c.Variables() {
		var buf bytes.Buffer
		if err := c.WriteWideCSV(&buf, name); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		T, n, v := c.Data(name)
		if len(recs) != T+1 || len(recs[0]) != n+1 || recs[0][0] != "period" {
			t.Fatalf("%s: %d rows of %d columns, header %.40v", name, len(recs), len(recs[0]), recs[0])
		}
		if _, isAgent := c.Kind(name); isAgent && (recs[0][1] != "a0" || recs[0][n] != "a"+strconv.Itoa(n-1)) {
			t.Errorf("%s: header %.40v", name, recs[0])
		} else if !isAgent && recs[0][1] != name {
			t.Errorf("%s: header %v", name, recs[0])
		}
		for r := range T {
			if recs[r+1][0] != strconv.Itoa(r+1) {
				t.Fatalf("%s: row %d period %s", name, r, recs[r+1][0])
			}
			for i := range n {
				x, err := strconv.ParseFloat(recs[r+1][i+1], 64)
				if err != nil || x != v[r*n+i] {
					t.Fatalf("%s: period %d agent %d = %s, want %v", name, r+1, i, recs[r+1][i+1], v[r*n+i])
				}
			}
		}
	}
	if err := c.WriteWideCSV(&bytes.Buffer{}, "Consumer.savings"); !errors.Is(err, bam.ErrUnknownVariable) {
		t.Errorf("uncollected variable: %v", err)
	}
}

func TestWriteParquetRoundTrip(t *testing.T) {
	sim, c := newCollecting(t, 15, exportSpec)
	sim.Run(15)
	var buf bytes.Buffer
	if err := c.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(buf.Bytes())
	got, err := parquet.Read[bam.LongRow](r, r.Size())
	if err != nil {
		t.Fatal(err)
	}
	want := expected(c)
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("row %d = %+v, want %+v", k, got[k], want[k])
		}
	}
	// Typed columns, a dictionary-encoded variable column and the metadata.
	f, err := parquet.OpenFile(r, r.Size())
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, col := range f.Schema().Fields() {
		types[col.Name()] = col.Type().Kind().String() + " " + col.Type().String()
	}
	for name, typ := range map[string]string{
		"period": "INT32 INT(32,true)", "agent": "INT32 INT(32,true)",
		"variable": "BYTE_ARRAY STRING", "value": "DOUBLE DOUBLE",
	} {
		if types[name] != typ {
			t.Errorf("column %s has type %q, want %q", name, types[name], typ)
		}
	}
	if v, ok := f.Lookup("bam.first_period"); !ok || v != "1" {
		t.Errorf("bam.first_period = %q, %v", v, ok)
	}
	if v, ok := f.Lookup("bam.seed"); !ok || v != "1" {
		t.Errorf("bam.seed = %q, %v", v, ok)
	}
	dict := false
	for _, rg := range f.RowGroups() {
		for _, cc := range rg.ColumnChunks() {
			if cc.Column() == 2 {
				pages := cc.Pages()
				if pg, err := pages.ReadPage(); err == nil && pg.Dictionary() != nil {
					dict = true
				}
				pages.Close()
			}
		}
	}
	if !dict {
		t.Error("the variable column is not dictionary-encoded")
	}
}

func TestWriteWideParquetRoundTrip(t *testing.T) {
	sim, c := newCollecting(t, 9, exportSpec)
	sim.Run(9)
	for _, name := range []string{"Producer.production@firms_run_production", "Lender.equity_base", "unemployment_rate"} {
		var buf bytes.Buffer
		if err := c.WriteWideParquet(&buf, name); err != nil {
			t.Fatal(err)
		}
		T, n, v := c.Data(name)
		cols, rows := readParquet(t, buf.Bytes())
		if len(rows) != T || len(cols) != n+1 || cols[0] != "period" {
			t.Fatalf("%s: %d rows, columns %.60v", name, len(rows), cols)
		}
		for r, row := range rows {
			if row[0].Int32() != int32(r+1) {
				t.Fatalf("%s: row %d period %v", name, r, row[0])
			}
			for i := range n {
				if x := row[i+1].Double(); x != v[r*n+i] {
					t.Fatalf("%s: period %d agent %d = %v, want %v", name, r+1, i, x, v[r*n+i])
				}
			}
		}
	}
}

func TestHistoryWriteParquetRoundTrip(t *testing.T) {
	sim, _ := newCollecting(t, 30, "gdp")
	sim.Run(30)
	var buf bytes.Buffer
	if err := sim.History.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	cols, rows := readParquet(t, buf.Bytes())
	if len(cols) != len(bam.Columns) || len(rows) != 30 {
		t.Fatalf("%d columns, %d rows", len(cols), len(rows))
	}
	for j, col := range bam.Columns {
		if cols[j] != col.Name {
			t.Fatalf("column %d is %s, want %s", j, cols[j], col.Name)
		}
		wantKind := parquet.Double
		switch {
		case j == 0:
			wantKind = parquet.Int32
		case col.Int:
			wantKind = parquet.Int64
		}
		if k := rows[0][j].Kind(); k != wantKind {
			t.Errorf("column %s has kind %v, want %v", col.Name, k, wantKind)
		}
		for r := range rows {
			want := col.Get(&sim.History.Rows[r])
			var got float64
			switch {
			case j == 0:
				got = float64(rows[r][j].Int32())
			case col.Int:
				got = float64(rows[r][j].Int64())
			default:
				got = rows[r][j].Double()
			}
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("%s period %d = %v, want %v", col.Name, r+1, got, want)
			}
		}
	}
}

// readParquet returns the column names and the rows of a flat Parquet file.
func readParquet(t *testing.T, b []byte) ([]string, []parquet.Row) {
	t.Helper()
	r := bytes.NewReader(b)
	f, err := parquet.OpenFile(r, r.Size())
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, path := range f.Schema().Columns() {
		cols = append(cols, path[0])
	}
	rd := parquet.NewReader(f)
	defer rd.Close()
	var rows []parquet.Row
	buf := make([]parquet.Row, 64)
	for {
		n, err := rd.ReadRows(buf)
		for _, row := range buf[:n] {
			rows = append(rows, row.Clone())
		}
		if err != nil {
			break
		}
	}
	return cols, rows
}
