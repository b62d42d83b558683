package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam"
)

func TestRunCollectCSV(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := bamRun(t, append([]string{"run", "-q", "--periods", "12", "--seed", "2", "--out", out, "--layout", "long",
		"--collect", "Producer.production@firms_run_production,Worker.employed@firms_run_production,Lender.equity_base,gdp"}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := entries(t, out); !slices.Equal(got, []string{"collect.csv", "economy.csv", "firms.csv", "run.json"}) {
		t.Errorf("output folder holds %v", got)
	}
	ls := lines(readFile(t, filepath.Join(out, "collect.csv")))
	if ls[0] != "period,agent,variable,value" {
		t.Errorf("header %q", ls[0])
	}
	if want := 1 + 12*(20+100+3+1); len(ls) != want {
		t.Errorf("%d lines, want %d", len(ls), want)
	}
	if ls[1] != "1,0,Producer.production@firms_run_production,"+strings.Split(ls[1], ",")[3] || !strings.HasPrefix(ls[len(ls)-1], "12,-1,gdp,") {
		t.Errorf("first/last lines %q, %q", ls[1], ls[len(ls)-1])
	}
	var m manifest
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "run.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(m.Files, "collect.csv") {
		t.Errorf("manifest files %v lack collect.csv", m.Files)
	}
}

// TestRunCollectPanel checks the default layout: one file per agent kind
// and one for the economy series, with the headers, rows and run.json
// record of the panel layout, in CSV and in Parquet.
func TestRunCollectPanel(t *testing.T) {
	spec := "Producer.production@firms_run_production,Producer.production,Worker.employed@firms_run_production,Lender.equity_base,gdp"
	for _, format := range []string{"csv", "parquet"} {
		out := filepath.Join(t.TempDir(), "out")
		r := bamRun(t, append([]string{"run", "-q", "--periods", "12", "--seed", "2", "--out", out, "--format", format, "--collect", spec}, small...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		want := []string{"collect-banks." + format, "collect-economy." + format, "collect-firms." + format, "collect-households." + format, "economy.csv"}
		if format == "parquet" {
			want = append(want, "economy.parquet")
		}
		want = append(want, "firms.csv", "run.json")
		if got := entries(t, out); !slices.Equal(got, want) {
			t.Errorf("%s: output folder holds %v, want %v", format, got, want)
		}
		var m manifest
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "run.json"))), &m); err != nil {
			t.Fatal(err)
		}
		if m.Collected == nil || m.Collected.Layout != "panel" || len(m.Collected.Files) != 4 || m.Collected.Files[0].File != "collect-firms."+format ||
			m.Collected.Files[0].Columns[0].Name != "production_at_firms_run_production" {
			t.Errorf("%s: run.json's collected %+v", format, m.Collected)
		}
		if format == "csv" {
			ls := lines(readFile(t, filepath.Join(out, "collect-firms.csv")))
			if ls[0] != "period,firm,id,entered,exited,production_at_firms_run_production,production" || len(ls) != 1+12*20 {
				t.Errorf("collect-firms.csv: header %q, %d lines", ls[0], len(ls))
			}
			ls = lines(readFile(t, filepath.Join(out, "collect-households.csv")))
			if ls[0] != "period,household,employed" || len(ls) != 1+12*100 || !strings.HasPrefix(ls[1], "1,0,") {
				t.Errorf("collect-households.csv: header %q, first %q, %d lines", ls[0], ls[1], len(ls))
			}
			continue
		}
		cols, rows := readParquetFile(t, filepath.Join(out, "collect-banks.parquet"))
		if !slices.Equal(cols, []string{"period", "bank", "id", "entered", "exited", "equity_base"}) || len(rows) != 12*3 {
			t.Errorf("collect-banks.parquet: columns %v, %d rows", cols, len(rows))
		}
	}
}

// TestRunIDColumns: --id-columns starts every table with the constants.
func TestRunIDColumns(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, append([]string{"run", "-q", "--periods", "5", "--seed", "7", "--out", out, "--format", "parquet",
		"--id-columns", "scenario,seed,beta", "--collect", "Producer.price,gdp"}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, f := range []string{"economy.csv", "firms.csv"} {
		ls := lines(readFile(t, filepath.Join(out, f)))
		if !strings.HasPrefix(ls[0], "scenario,seed,beta,") || !strings.HasPrefix(ls[1], "baseline,7,2.5,") {
			t.Errorf("%s: %q, %q", f, ls[0], ls[1])
		}
	}
	for _, f := range []string{"economy.parquet", "collect-firms.parquet", "collect-economy.parquet"} {
		cols, rows := readParquetFile(t, filepath.Join(out, f))
		if !slices.Equal(cols[:3], []string{"scenario", "seed", "beta"}) || string(rows[0][0].ByteArray()) != "baseline" || rows[0][1].Int64() != 7 {
			t.Errorf("%s: columns %v, first row %v", f, cols, rows[0][:3])
		}
	}
	var m manifest
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "run.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.IDColumns, []string{"scenario", "seed", "beta"}) {
		t.Errorf("run.json id_columns %v", m.IDColumns)
	}
	// The figures read such a folder.
	if r := bamRun(t, "plot", out, "-o", filepath.Join(t.TempDir(), "f.png")); r.code != 0 {
		t.Errorf("bam plot of a folder with id columns: exit %d, %s", r.code, r.stderr)
	}
}

// readParquetFile returns the column names and rows of a flat Parquet file.
func readParquetFile(t *testing.T, path string) ([]string, []parquet.Row) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range pf.Schema().Columns() {
		cols = append(cols, c[0])
	}
	var rows []parquet.Row
	rd := parquet.NewReader(pf)
	defer rd.Close()
	buf := make([]parquet.Row, 64)
	for {
		n, err := rd.ReadRows(buf)
		for _, r := range buf[:n] {
			rows = append(rows, r.Clone())
		}
		if err != nil {
			break
		}
	}
	return cols, rows
}

// TestRunCollectNoEffect checks that economy.csv is the same with and
// without collection.
func TestRunCollectNoEffect(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"run", "-q", "--periods", "40", "--seed", "5"}, small...)
	a := bamRun(t, append(args, "--out", filepath.Join(dir, "a"))...)
	b := bamRun(t, append(args, "--out", filepath.Join(dir, "b"), "--format", "parquet",
		"--collect", "Producer,Employer,Borrower@firms_run_production,Worker@workers_receive_wage,Worker.employed,Consumer,Shareholder,Lender@credit_market_round")...)
	if a.code != 0 || b.code != 0 {
		t.Fatalf("exit %d, %d: %s %s", a.code, b.code, a.stderr, b.stderr)
	}
	for _, f := range []string{"economy.csv", "firms.csv"} {
		if readFile(t, filepath.Join(dir, "a", f)) != readFile(t, filepath.Join(dir, "b", f)) {
			t.Errorf("%s differs with collection on", f)
		}
	}
}

func TestRunCollectParquet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, append([]string{"run", "-q", "--periods", "10", "--out", out, "--format", "parquet", "--layout", "long",
		"--collect", "Worker.wage@workers_receive_wage,unemployment_rate"}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := entries(t, out); !slices.Equal(got, []string{"collect.parquet", "economy.csv", "economy.parquet", "firms.csv", "run.json"}) {
		t.Errorf("output folder holds %v", got)
	}
	rows, err := parquet.ReadFile[bam.LongRow](filepath.Join(out, "collect.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10*(100+1) || rows[0].Variable != "Worker.wage@workers_receive_wage" || rows[len(rows)-1].Agent != -1 {
		t.Errorf("%d rows, first %+v, last %+v", len(rows), rows[0], rows[len(rows)-1])
	}
	type eco struct {
		Period int32   `parquet:"period"`
		U      float64 `parquet:"unemployment_rate"`
		Exits  int64   `parquet:"firm_exits"`
	}
	e, err := parquet.ReadFile[eco](filepath.Join(out, "economy.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(e) != 10 || e[9].Period != 10 || e[9].U != rows[len(rows)-1].Value {
		t.Errorf("economy.parquet: %d rows, last %+v; collected u %v", len(e), e[len(e)-1], rows[len(rows)-1].Value)
	}

	// --format parquet alone writes economy.parquet.
	out2 := filepath.Join(t.TempDir(), "out")
	if r := bamRun(t, append([]string{"run", "-q", "--periods", "3", "--out", out2, "--format", "parquet"}, small...)...); r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := entries(t, out2); !slices.Equal(got, []string{"economy.csv", "economy.parquet", "firms.csv", "run.json"}) {
		t.Errorf("output folder holds %v", got)
	}
}

func TestRunCollectWide(t *testing.T) {
	for _, format := range []string{"csv", "parquet"} {
		out := filepath.Join(t.TempDir(), "out")
		r := bamRun(t, append([]string{"run", "-q", "--periods", "4", "--out", out, "--format", format, "--wide",
			"--collect", "Lender.equity_base,Producer.price@firms_plan_price,gdp"}, small...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		want := []string{"collect-Lender.equity_base." + format, "collect-Producer.price@firms_plan_price." + format, "collect-gdp." + format, "economy.csv"}
		if format == "parquet" {
			want = append(want, "economy.parquet")
		}
		want = append(want, "firms.csv", "run.json")
		if got := entries(t, out); !slices.Equal(got, want) {
			t.Errorf("%s: output folder holds %v, want %v", format, got, want)
		}
		if format == "csv" {
			ls := lines(readFile(t, filepath.Join(out, "collect-Lender.equity_base.csv")))
			if len(ls) != 5 || ls[0] != "period,a0,a1,a2" {
				t.Errorf("wide csv: %q", ls)
			}
		}
	}
}

// TestRunCollectBadInput checks that a bad request exits 2 and writes
// nothing.
func TestRunCollectBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--collect", "Producer.prodution"}, `--collect: unknown variable "Producer.prodution": Producer has no variable "prodution"; it has: price, production,`},
		{[]string{"--collect", "Worker.wage@no_such_event"}, `system "no_such_event" is not in the pipeline; it has: firms_decide_desired_production,`},
		{[]string{"--collect", "RnD.sigma"}, "no RnD component"},
		{[]string{"--collect", "gdp@firms_run_production"}, "fixed capture points"},
		{[]string{"--collect", ""}, "empty request"},
		{[]string{"--format", "xlsx"}, "--format xlsx: want csv or parquet"},
		{[]string{"--wide"}, "--wide: nothing to lay out"},
		{[]string{"--layout", "long"}, "--layout: nothing to lay out"},
		{[]string{"--collect", "gdp", "--layout", "tall"}, "--layout tall: want panel, long or wide"},
		{[]string{"--collect", "gdp", "--layout", "long", "--wide"}, "--wide is --layout wide; it contradicts --layout long"},
		{[]string{"--id-columns", "seed,sed"}, `--id-columns: "sed" is neither scenario nor a parameter`},
		{[]string{"--id-columns", ""}, "--id-columns: empty list"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		out := filepath.Join(dir, "out")
		r := bamRun(t, append(append([]string{"run", "--periods", "3", "--out", out}, tt.args...), small...)...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2", tt.args, r.code)
		}
		if !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: stderr %q, want one line containing %q", tt.args, r.stderr, tt.want)
		}
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("%v: wrote %v", tt.args, got)
		}
	}
	// With the R&D extension attached, its variables can be collected.
	out := filepath.Join(t.TempDir(), "out")
	if r := bamRun(t, append([]string{"run", "-q", "growth_plus", "--periods", "3", "--out", out, "--collect", "RnD.sigma"}, small...)...); r.code != 0 {
		t.Errorf("growth_plus --collect RnD.sigma: exit %d, %s", r.code, r.stderr)
	}
}

// fakeTTY is a writer the progress bar takes for a terminal.
type fakeTTY struct{ bytes.Buffer }

func TestRunProgressBar(t *testing.T) {
	tty := func(w io.Writer) bool { _, ok := w.(*fakeTTY); return ok }

	run := func(stdout io.Writer, extra ...string) (int, string) {
		var stderr fakeTTY
		out := filepath.Join(t.TempDir(), "out")
		args := append(append([]string{"run", "--periods", "300", "--out", out}, extra...), small...)
		code := runEnv(context.Background(), args, &env{stdout: stdout, stderr: &stderr, now: time.Now, terminal: tty})
		return code, stderr.String()
	}
	code, stderr := run(&fakeTTY{})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "baseline, seed 0: periods 1–300") || !strings.Contains(stderr, "/300") {
		t.Errorf("no progress bar on a terminal: %q", stderr)
	}
	if !strings.HasSuffix(stderr, "\r") {
		t.Errorf("the bar is not cleared at the end: %q", stderr[max(0, len(stderr)-40):])
	}
	if _, stderr := run(&bytes.Buffer{}); stderr != "" { // stdout piped
		t.Errorf("progress bar with stdout piped: %q", stderr)
	}
	if _, stderr := run(&fakeTTY{}, "--quiet"); stderr != "" {
		t.Errorf("progress bar with --quiet: %q", stderr)
	}
}
