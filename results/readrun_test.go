package results_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
)

// readRunSpec collects something of every panel.
const readRunSpec = "Producer.production@firms_run_production,Borrower.net_worth,Borrower.debt@firms_run_production," +
	"Worker.employed@firms_run_production,Worker.employer,Lender.equity_base,unemployment_rate,firm_exits"

// collectedRun runs the baseline (seed 4, 60 periods, 30 firms) collecting
// readRunSpec and writes it to a new folder with opts.
func collectedRun(t *testing.T, opts ...results.Option) (*bam.Simulation, *bam.Collector, *results.Manifest, string) {
	t.Helper()
	sc := scenarios.Default()
	sc.Params.Seed, sc.Params.NPeriods = 4, 60
	sc.Params.NFirms, sc.Params.NHouseholds, sc.Params.NBanks = 30, 150, 4
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := bam.ParseCollect(readRunSpec)
	if err != nil {
		t.Fatal(err)
	}
	col, err := sim.Collect(spec...)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(60)
	dir := filepath.Join(t.TempDir(), "run")
	m, err := results.Write(dir, sim, append([]results.Option{results.Collected(col)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return sim, col, m, dir
}

// TestReadRun writes runs in every layout and format that ReadRun reads,
// with and without id columns, and checks that it gives back what the
// simulation produced: the manifest, every economy series, firms.csv and
// every cell of every panel (values and, in the panel layout, ids).
func TestReadRun(t *testing.T) {
	tests := []struct {
		name   string
		opts   []results.Option
		ids    bool // the panels have id, entered and exited
		idCols []string
	}{
		{"panel csv", nil, true, nil},
		{"panel parquet", []results.Option{results.WithFormat(results.FormatParquet)}, true, nil},
		{"panel csv with id columns", []results.Option{results.WithIDColumns("scenario", "seed", "beta", "cap_factor")}, true,
			[]string{"scenario", "seed", "beta", "cap_factor"}},
		{"panel parquet with id columns", []results.Option{results.WithFormat(results.FormatParquet), results.WithIDColumns("seed", "scenario")}, true,
			[]string{"seed", "scenario"}},
		{"long csv", []results.Option{results.WithLayout(results.LayoutLong)}, false, nil},
		{"long parquet", []results.Option{results.WithLayout(results.LayoutLong), results.WithFormat(results.FormatParquet),
			results.WithIDColumns("seed")}, false, []string{"seed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, col, m, dir := collectedRun(t, tt.opts...)
			rd, err := results.ReadRun(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rd.Manifest, m) {
				t.Errorf("manifest %+v, want %+v", rd.Manifest, m)
			}
			if !slices.Equal(m.IDColumns, tt.idCols) {
				t.Errorf("id columns %v, want %v", m.IDColumns, tt.idCols)
			}
			if !slices.Equal(rd.Economy.Names, columnNames()) {
				t.Errorf("economy columns %v", rd.Economy.Names)
			}
			for _, c := range bam.Columns {
				if !sameFloats(rd.Economy.Column(c.Name), sim.History.Series(c.Name)) {
					t.Errorf("economy %s differs from the history's", c.Name)
				}
			}
			if !sameFloats(rd.Firms.Column("debt"), sim.History.FinalDebt) || !sameFloats(rd.Firms.Column("production"), sim.History.FinalProduction) {
				t.Error("firms.csv debt or production differ from the history's")
			}
			panels := col.Panels()
			if len(rd.Panels) != len(panels) {
				t.Fatalf("%d panels, want %d", len(rd.Panels), len(panels))
			}
			for _, p := range panels {
				got := rd.Panels[p]
				if got == nil {
					t.Fatalf("no panel %s", p)
				}
				keys := bam.PanelKeys(p)
				if !tt.ids && len(keys) > 2 {
					keys = keys[:2]
				}
				vars, _ := col.PanelColumns(p)
				want := slices.Clone(keys)
				for _, v := range vars {
					want = append(want, v.Name)
				}
				if !slices.Equal(got.Names, want) || len(got.Variables) != len(vars) {
					t.Fatalf("%s: columns %v (%d described), want %v", p, got.Names, len(got.Variables), want)
				}
				agents := 1
				if p != bam.PanelEconomy {
					agents = sim.World.Count(kindOf(p))
				}
				if got.FirstPeriod != 1 || got.Periods != 60 || got.Agents != agents || got.Rows() != 60*agents {
					t.Fatalf("%s: first %d, %d periods × %d agents, %d rows", p, got.FirstPeriod, got.Periods, got.Agents, got.Rows())
				}
				for k, v := range vars {
					if got.Variables[k].Variable != v.Variable || got.Variables[k].Name != v.Name {
						t.Errorf("%s: variable %d is %+v, want %+v", p, k, got.Variables[k], v)
					}
					_, _, data := col.Data(v.Variable)
					if !sameFloats(got.Column(v.Name), data) {
						t.Errorf("%s %s differs from the collected %s", p, v.Name, v.Variable)
					}
				}
				period := got.Column("period")
				for r := range period {
					if period[r] != float64(1+r/agents) {
						t.Fatalf("%s row %d: period %v", p, r, period[r])
					}
				}
				if p == bam.PanelEconomy {
					continue
				}
				slot := got.Column(keys[1])
				for r := range slot {
					if slot[r] != float64(r%agents) {
						t.Fatalf("%s row %d: slot %v", p, r, slot[r])
					}
				}
				if !tt.ids || p == bam.PanelHouseholds {
					continue
				}
				id, entered, exited := col.IDs(kindOf(p))
				for r := range id {
					ex := 0.0
					if exited[r] {
						ex = 1
					}
					if got.Column("id")[r] != float64(id[r]) || got.Column("entered")[r] != float64(entered[r]) || got.Column("exited")[r] != ex {
						t.Fatalf("%s row %d: id, entered, exited differ", p, r)
					}
				}
				if v, ok := got.Value("id", 60, agents-1); !ok || v != float64(id[len(id)-1]) {
					t.Errorf("%s: Value(id, 60, last) = %v, %v", p, v, ok)
				}
				if _, ok := got.Value("id", 61, 0); ok {
					t.Errorf("%s: Value of period 61 found", p)
				}
			}
		})
	}
}

func columnNames() []string {
	var out []string
	for _, c := range bam.Columns {
		out = append(out, c.Name)
	}
	return out
}

func kindOf(p bam.Panel) ecs.Kind {
	return map[bam.Panel]ecs.Kind{bam.PanelFirms: ecs.Firms, bam.PanelHouseholds: ecs.Households, bam.PanelBanks: ecs.Banks}[p]
}

// TestReadRunExits: the panels tell an entrant from the firm it replaced.
func TestReadRunExits(t *testing.T) {
	sim, _, _, dir := collectedRun(t, results.WithFormat(results.FormatParquet))
	rd, err := results.ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := rd.Panels[bam.PanelFirms]
	exits := 0
	for tt := 1; tt < 60; tt++ {
		for i := range f.Agents {
			ex, _ := f.Value("exited", tt, i)
			id, _ := f.Value("id", tt, i)
			next, _ := f.Value("id", tt+1, i)
			entered, _ := f.Value("entered", tt+1, i)
			switch {
			case ex == 1 && (next == id || entered != float64(tt)):
				t.Fatalf("firm slot %d exited in period %d: id %v → %v, entered %v", i, tt, id, next, entered)
			case ex == 0 && next != id:
				t.Fatalf("firm slot %d did not exit in period %d but its id went %v → %v", i, tt, id, next)
			}
			if ex == 1 {
				exits++
			}
		}
	}
	want := 0
	for _, r := range sim.History.Rows[:59] {
		want += r.FirmExits
	}
	if exits != want || exits == 0 {
		t.Errorf("%d exits in the panel, %d in economy.csv", exits, want)
	}
}

// TestReadRunWithout: a folder without collected data, and one in the wide
// layout, read without panels; a missing or altered panel file is an
// error.
func TestReadRunWithout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := results.Write(dir, shortRun(t, 2, 10)); err != nil {
		t.Fatal(err)
	}
	rd, err := results.ReadRun(dir)
	if err != nil || rd.Panels != nil || rd.Economy.Rows() != 10 || rd.Firms.Rows() != 100 {
		t.Fatalf("ReadRun without collection: %+v, %v", rd, err)
	}
	_, _, _, wide := collectedRun(t, results.Wide())
	if rd, err := results.ReadRun(wide); err != nil || rd.Panels != nil {
		t.Errorf("ReadRun of the wide layout: panels %v, %v", rd.Panels, err)
	}

	_, _, _, gone := collectedRun(t)
	if err := os.Remove(filepath.Join(gone, "collect-banks.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := results.ReadRun(gone); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing panel file: %v, want fs.ErrNotExist", err)
	}
	_, _, _, bad := collectedRun(t)
	path := filepath.Join(bad, "collect-economy.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte("firm_exits"), []byte("exits"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	var fe *results.FormatError
	if _, err := results.ReadRun(bad); !errors.As(err, &fe) {
		t.Errorf("a panel with another header: %v, want a FormatError", err)
	}
}

// TestParquetMetadata checks that every Parquet file of a run carries the
// run's provenance: scenario, seed, population, every parameter, program
// version.
func TestParquetMetadata(t *testing.T) {
	for _, layout := range []results.Layout{results.LayoutPanel, results.LayoutLong, results.LayoutWide} {
		_, _, m, dir := collectedRun(t, results.WithFormat(results.FormatParquet), results.WithLayout(layout))
		want := map[string]string{}
		for _, kv := range results.Metadata(m) {
			want[kv.Key] = kv.Value
		}
		for _, k := range []string{"bam.scenario", "bam.seed", "bam.n_firms", "bam.version", "bam.go_version", "bam.param.beta", "bam.param.n_periods", "bam.param.cap_factor"} {
			if _, ok := want[k]; !ok {
				t.Fatalf("Metadata lacks %s", k)
			}
		}
		if want["bam.seed"] != "4" || want["bam.n_firms"] != "30" || want["bam.param.cap_factor"] != "absent" || want["bam.scenario"] != "baseline" {
			t.Errorf("Metadata: %v", want)
		}
		n := 0
		for _, name := range m.Files {
			if filepath.Ext(name) != ".parquet" {
				continue
			}
			n++
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := f.Stat()
			pf, err := parquet.OpenFile(f, fi.Size())
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				if got, ok := pf.Lookup(k); !ok || got != v {
					t.Errorf("%s %s: %s = %q, want %q", layout, name, k, got, v)
				}
			}
			if got, _ := pf.Lookup("bam.layout"); name != "economy.parquet" && got != string(layout) {
				t.Errorf("%s: bam.layout = %q", name, got)
			}
			f.Close()
		}
		if n < 2 {
			t.Errorf("%s: %d Parquet files", layout, n)
		}
	}
}

func TestParseIDColumns(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"seed", []string{"seed"}, ""},
		{" scenario , seed,beta ", []string{"scenario", "seed", "beta"}, ""},
		{"n_firms,cap_factor", []string{"n_firms", "cap_factor"}, ""},
		{"", nil, "empty list"},
		{"seed,,beta", nil, "item 2 is empty"},
		{"seed,seed", nil, "seed twice"},
		{"sed", nil, `"sed" is neither scenario nor a parameter; parameters: n_firms, n_households,`},
	}
	for _, tt := range tests {
		got, err := results.ParseIDColumns(tt.in)
		if tt.err != "" {
			if !errors.Is(err, results.ErrIDColumns) || !bytes.Contains([]byte(err.Error()), []byte(tt.err)) {
				t.Errorf("ParseIDColumns(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseIDColumns(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestIDColumnsValues(t *testing.T) {
	m := results.NewManifest(shortRun(t, 9, 2))
	cols, err := results.IDColumns(m, "scenario", "seed", "n_firms", "beta", "cap_factor", "sigma_decay")
	if err != nil {
		t.Fatal(err)
	}
	want := []bam.IDColumn{{Name: "scenario", Value: "baseline"}, {Name: "seed", Value: int64(9)}, {Name: "n_firms", Value: int64(100)},
		{Name: "beta", Value: m.Parameters.Beta}, {Name: "cap_factor", Value: nil}, {Name: "sigma_decay", Value: nil}}
	if !reflect.DeepEqual(cols, want) {
		t.Errorf("IDColumns = %v, want %v", cols, want)
	}
	if _, err := results.IDColumns(m, "nope"); !errors.Is(err, results.ErrIDColumns) {
		t.Errorf("an unknown name: %v", err)
	}
}
