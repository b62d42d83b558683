package bam_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// panelSpec collects, for every panel, variables of each type, one
// variable at two capture points, and two components' fields of the same
// name.
const panelSpec = "Producer.production@firms_run_production,Producer.production,Employer.current_labor," +
	"Borrower.net_worth,Borrower.debt@firms_run_production,Employer.wage_bill,Borrower.wage_bill," +
	"Worker.employer,Worker.employed@firms_run_production,Consumer.savings," +
	"Lender.equity_base,unemployment_rate,firm_exits"

// TestPanelColumns checks the column names, variables and types of every
// panel, and the order of the panels.
func TestPanelColumns(t *testing.T) {
	sim, c := newCollecting(t, 5, panelSpec)
	sim.Run(5)
	if got := c.Panels(); !slices.Equal(got, []bam.Panel{bam.PanelFirms, bam.PanelHouseholds, bam.PanelBanks, bam.PanelEconomy}) {
		t.Errorf("Panels() = %v", got)
	}
	tests := []struct {
		panel bam.Panel
		want  []bam.PanelColumn
	}{
		{bam.PanelFirms, []bam.PanelColumn{
			{"production_at_firms_run_production", "Producer.production@firms_run_production", "firms_run_production", ecs.FloatValue},
			{"production", "Producer.production", "", ecs.FloatValue},
			{"current_labor", "Employer.current_labor", "", ecs.IntValue},
			{"net_worth", "Borrower.net_worth", "", ecs.FloatValue},
			{"debt", "Borrower.debt@firms_run_production", "firms_run_production", ecs.FloatValue},
			{"employer_wage_bill", "Employer.wage_bill", "", ecs.FloatValue},
			{"borrower_wage_bill", "Borrower.wage_bill", "", ecs.FloatValue},
		}},
		{bam.PanelHouseholds, []bam.PanelColumn{
			{"employer", "Worker.employer", "", ecs.IntValue},
			{"employed", "Worker.employed@firms_run_production", "firms_run_production", ecs.BoolValue},
			{"savings", "Consumer.savings", "", ecs.FloatValue},
		}},
		{bam.PanelBanks, []bam.PanelColumn{{"equity_base", "Lender.equity_base", "", ecs.FloatValue}}},
		{bam.PanelEconomy, []bam.PanelColumn{
			{"unemployment_rate", "unemployment_rate", "", ecs.FloatValue},
			{"firm_exits", "firm_exits", "", ecs.IntValue},
		}},
	}
	for _, tt := range tests {
		got, err := c.PanelColumns(tt.panel)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("PanelColumns(%s) =\n%v, want\n%v", tt.panel, got, tt.want)
		}
	}
}

// readCSV parses CSV text into its header and records.
func readCSV(t *testing.T, b []byte) ([]string, [][]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[0], recs[1:]
}

// TestWritePanelCSV checks every cell of every panel against the
// collector: the keys, the ids (against Collector.IDs and, at the end, the
// simulation's), the variables in their types.
func TestWritePanelCSV(t *testing.T) {
	const T = 60
	sim, c := newCollecting(t, T, panelSpec)
	sim.Run(T)
	exits := 0
	for _, r := range sim.History.Rows {
		exits += r.FirmExits
	}
	if exits == 0 {
		t.Fatal("no firm exited: the ids are not tested")
	}
	for _, p := range c.Panels() {
		var buf bytes.Buffer
		if err := c.WritePanelCSV(&buf, p); err != nil {
			t.Fatal(err)
		}
		header, recs := readCSV(t, buf.Bytes())
		keys := bam.PanelKeys(p)
		vars, _ := c.PanelColumns(p)
		wantHeader := slices.Clone(keys)
		for _, v := range vars {
			wantHeader = append(wantHeader, v.Name)
		}
		if !slices.Equal(header, wantHeader) {
			t.Fatalf("%s: header %v, want %v", p, header, wantHeader)
		}
		agents := 1
		var kind ecs.Kind
		if p != bam.PanelEconomy {
			kind = map[bam.Panel]ecs.Kind{bam.PanelFirms: ecs.Firms, bam.PanelHouseholds: ecs.Households, bam.PanelBanks: ecs.Banks}[p]
			agents = sim.World.Count(kind)
		}
		if len(recs) != T*agents {
			t.Fatalf("%s: %d rows, want %d", p, len(recs), T*agents)
		}
		var id []int64
		var entered []int32
		var exited []bool
		if p != bam.PanelEconomy {
			id, entered, exited = c.IDs(kind)
		}
		for r, rec := range recs {
			tt, i := r/agents, r%agents
			if rec[0] != strconv.Itoa(tt+1) {
				t.Fatalf("%s row %d: period %s, want %d", p, r, rec[0], tt+1)
			}
			j := 1
			if p != bam.PanelEconomy {
				if rec[1] != strconv.Itoa(i) {
					t.Fatalf("%s row %d: slot %s, want %d", p, r, rec[1], i)
				}
				j = 2
			}
			if len(keys) == 5 {
				if rec[2] != strconv.FormatInt(id[r], 10) || rec[3] != strconv.Itoa(int(entered[r])) || rec[4] != strconv.FormatBool(exited[r]) {
					t.Fatalf("%s row %d: id, entered, exited %v, want %d %d %v", p, r, rec[2:5], id[r], entered[r], exited[r])
				}
				j = 5
			}
			for k, v := range vars {
				_, n, data := c.Data(v.Variable)
				want := data[tt*n+i]
				var text string
				switch v.Type {
				case ecs.IntValue:
					text = strconv.FormatInt(int64(want), 10)
				case ecs.BoolValue:
					text = strconv.FormatBool(want != 0)
				default:
					text = strconv.FormatFloat(want, 'g', -1, 64)
				}
				if rec[j+k] != text {
					t.Fatalf("%s row %d %s: %q, want %q", p, r, v.Name, rec[j+k], text)
				}
			}
		}
	}
}

// TestCollectorIDs checks the ids of the panels against the simulation's,
// period by period: the collector reconstructs from the exits what the
// simulation tracks.
func TestCollectorIDs(t *testing.T) {
	for _, k := range []ecs.Kind{ecs.Firms, ecs.Banks} {
		p := ecs.DefaultParams()
		p.Seed, p.NPeriods = 4, 300
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spec := "Producer.price"
		if k == ecs.Banks {
			spec = "Lender.equity_base"
		}
		sim.Run(40) // the collector starts after some exits
		sp, _ := bam.ParseCollect(spec)
		c, err := sim.Collect(sp...)
		if err != nil {
			t.Fatal(err)
		}
		n := sim.World.Count(k)
		var want []int64
		var wantEntered []int32
		var wantExited []bool
		changes := 0
		for range 260 {
			before, be := sim.AgentIDs(k)
			want = append(want, before...)
			wantEntered = append(wantEntered, be...)
			prev := slices.Clone(before)
			sim.Step()
			mask := sim.World.Econ.FirmExiting
			if k == ecs.Banks {
				mask = sim.World.Econ.BankExiting
			}
			wantExited = append(wantExited, mask...)
			after, _ := sim.AgentIDs(k)
			if !slices.Equal(prev, after) {
				changes++
			}
		}
		id, entered, exited := c.IDs(k)
		if len(id) != 260*n {
			t.Fatalf("%v: %d ids, want %d", k, len(id), 260*n)
		}
		if !slices.Equal(id, want) || !slices.Equal(entered, wantEntered) || !slices.Equal(exited, wantExited) {
			t.Errorf("%v: the collector's ids differ from the simulation's", k)
		}
		if changes == 0 {
			t.Errorf("%v: no entrant in 260 periods: the test proves nothing", k)
		}
	}
}

// TestWritePanelParquet checks that the Parquet panels hold what the CSV
// panels hold, in typed columns, with the metadata.
func TestWritePanelParquet(t *testing.T) {
	const T = 30
	sim, c := newCollecting(t, T, panelSpec)
	sim.Run(T)
	for _, p := range c.Panels() {
		var pq, cv bytes.Buffer
		if err := c.WritePanelParquet(&pq, p); err != nil {
			t.Fatal(err)
		}
		if err := c.WritePanelCSV(&cv, p); err != nil {
			t.Fatal(err)
		}
		header, recs := readCSV(t, cv.Bytes())
		cols, rows := readParquet(t, pq.Bytes())
		if !slices.Equal(cols, header) {
			t.Fatalf("%s: columns %v, CSV %v", p, cols, header)
		}
		if len(rows) != len(recs) {
			t.Fatalf("%s: %d rows, CSV %d", p, len(rows), len(recs))
		}
		for r := range rows {
			for j, v := range rows[r] {
				var text string
				switch v.Kind() {
				case parquet.Int32:
					text = strconv.Itoa(int(v.Int32()))
				case parquet.Int64:
					text = strconv.FormatInt(v.Int64(), 10)
				case parquet.Boolean:
					text = strconv.FormatBool(v.Boolean())
				case parquet.Double:
					text = strconv.FormatFloat(v.Double(), 'g', -1, 64)
				default:
					t.Fatalf("%s column %s of kind %v", p, cols[j], v.Kind())
				}
				if text != recs[r][j] {
					t.Fatalf("%s row %d %s: %s, CSV %s", p, r, cols[j], text, recs[r][j])
				}
			}
		}
		r := bytes.NewReader(pq.Bytes())
		f, err := parquet.OpenFile(r, r.Size())
		if err != nil {
			t.Fatal(err)
		}
		vars, _ := c.PanelColumns(p)
		want := map[string]string{"bam.layout": "panel", "bam.panel": string(p), "bam.seed": "1", "bam.periods": strconv.Itoa(T), "bam.first_period": "1"}
		for _, v := range vars {
			want["bam.column."+v.Name] = v.Variable
		}
		for key, val := range want {
			if got, ok := f.Lookup(key); !ok || got != val {
				t.Errorf("%s: metadata %s = %q, want %q", p, key, got, val)
			}
		}
	}
}

// TestIDColumns checks the id columns in every writer, CSV and Parquet,
// and the errors of bad ones.
func TestIDColumns(t *testing.T) {
	sim, c := newCollecting(t, 4, "Producer.price,Lender.equity_base,gdp")
	sim.Run(4)
	ids := bam.WithIDColumns(
		bam.IDColumn{Name: "scenario", Value: "base, line"},
		bam.IDColumn{Name: "seed", Value: int64(1)},
		bam.IDColumn{Name: "beta", Value: 2.5},
		bam.IDColumn{Name: "cap_factor", Value: nil},
	)
	meta := bam.WithMetadata(bam.KeyValue{Key: "bam.seed", Value: "override"}, bam.KeyValue{Key: "x.extra", Value: "y"})
	writers := []struct {
		name    string
		csv, pq func(w *bytes.Buffer) error
	}{
		{"panel", func(w *bytes.Buffer) error { return c.WritePanelCSV(w, bam.PanelFirms, ids) },
			func(w *bytes.Buffer) error { return c.WritePanelParquet(w, bam.PanelFirms, ids, meta) }},
		{"long", func(w *bytes.Buffer) error { return c.WriteCSV(w, ids) },
			func(w *bytes.Buffer) error { return c.WriteParquet(w, ids, meta) }},
		{"wide", func(w *bytes.Buffer) error { return c.WriteWideCSV(w, "Lender.equity_base", ids) },
			func(w *bytes.Buffer) error { return c.WriteWideParquet(w, "Lender.equity_base", ids, meta) }},
		{"economy", func(w *bytes.Buffer) error { return sim.History.WriteCSV(w, ids) },
			func(w *bytes.Buffer) error { return sim.History.WriteParquet(w, ids, meta) }},
	}
	for _, wr := range writers {
		var cv, pq bytes.Buffer
		if err := wr.csv(&cv); err != nil {
			t.Fatalf("%s: %v", wr.name, err)
		}
		if err := wr.pq(&pq); err != nil {
			t.Fatalf("%s: %v", wr.name, err)
		}
		header, recs := readCSV(t, cv.Bytes())
		if !slices.Equal(header[:4], []string{"scenario", "seed", "beta", "cap_factor"}) || len(recs) == 0 {
			t.Fatalf("%s: CSV header %v, %d rows", wr.name, header, len(recs))
		}
		for _, rec := range recs {
			if !slices.Equal(rec[:4], []string{"base, line", "1", "2.5", ""}) {
				t.Fatalf("%s: CSV id fields %q", wr.name, rec[:4])
			}
		}
		cols, rows := readParquet(t, pq.Bytes())
		if !slices.Equal(cols, header) || len(rows) != len(recs) {
			t.Fatalf("%s: Parquet columns %v (%d rows), CSV %v (%d rows)", wr.name, cols, len(rows), header, len(recs))
		}
		for _, row := range rows {
			if string(row[0].ByteArray()) != "base, line" || row[1].Int64() != 1 || row[2].Double() != 2.5 || !row[3].IsNull() {
				t.Fatalf("%s: Parquet id values %v", wr.name, row[:4])
			}
		}
		r := bytes.NewReader(pq.Bytes())
		f, err := parquet.OpenFile(r, r.Size())
		if err != nil {
			t.Fatal(err)
		}
		if wr.name != "economy" {
			if v, _ := f.Lookup("bam.seed"); v != "override" {
				t.Errorf("%s: bam.seed = %q, want the option's value", wr.name, v)
			}
		}
		if v, _ := f.Lookup("x.extra"); v != "y" {
			t.Errorf("%s: x.extra = %q", wr.name, v)
		}
	}

	bad := []struct {
		col  bam.IDColumn
		want string
	}{
		{bam.IDColumn{Name: "Seed", Value: int64(1)}, "want lower-case letters"},
		{bam.IDColumn{Name: "", Value: int64(1)}, "want lower-case letters"},
		{bam.IDColumn{Name: "period", Value: int64(1)}, "has a column of that name"},
		{bam.IDColumn{Name: "seed", Value: 3}, "value of type int"},
	}
	for _, b := range bad {
		for name, write := range map[string]func() error{
			"panel csv":     func() error { return c.WritePanelCSV(&bytes.Buffer{}, bam.PanelFirms, bam.WithIDColumns(b.col)) },
			"panel parquet": func() error { return c.WritePanelParquet(&bytes.Buffer{}, bam.PanelFirms, bam.WithIDColumns(b.col)) },
			"long csv":      func() error { return c.WriteCSV(&bytes.Buffer{}, bam.WithIDColumns(b.col)) },
			"economy csv":   func() error { return sim.History.WriteCSV(&bytes.Buffer{}, bam.WithIDColumns(b.col)) },
		} {
			err := write()
			if !errors.Is(err, bam.ErrBadIDColumn) || !strings.Contains(err.Error(), b.want) {
				t.Errorf("%s with %+v: error %v, want ErrBadIDColumn, %q", name, b.col, err, b.want)
			}
		}
	}
	if err := c.WriteCSV(&bytes.Buffer{}, bam.WithIDColumns(bam.IDColumn{Name: "seed", Value: int64(1)}, bam.IDColumn{Name: "seed", Value: int64(2)})); !errors.Is(err, bam.ErrBadIDColumn) {
		t.Errorf("a repeated id column: error %v", err)
	}
}

// TestWritePanelErrors: a panel with nothing collected, or not a panel.
func TestWritePanelErrors(t *testing.T) {
	sim, c := newCollecting(t, 2, "Producer.price")
	sim.Run(2)
	for _, p := range []bam.Panel{bam.PanelHouseholds, bam.PanelEconomy} {
		if err := c.WritePanelCSV(&bytes.Buffer{}, p); !errors.Is(err, bam.ErrUnknownVariable) {
			t.Errorf("%s: error %v, want ErrUnknownVariable", p, err)
		}
	}
	if err := c.WritePanelParquet(&bytes.Buffer{}, "people"); !errors.Is(err, bam.ErrBadCollect) {
		t.Errorf("panel people: error %v, want ErrBadCollect", err)
	}
	if id, _, _ := c.IDs(ecs.Banks); id != nil {
		t.Errorf("IDs(banks) without a bank variable: %v", id)
	}
}
