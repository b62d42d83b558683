package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
)

// small is a fast population for tests.
var small = []string{"--firms", "20", "--households", "100", "--banks", "3"}

// result is the outcome of one invocation of the command line.
type result struct {
	code           int
	stdout, stderr string
}

// bamAt runs the command line with args and the clock stopped at now.
func bamAt(t *testing.T, now time.Time, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := runEnv(context.Background(), args, &env{stdout: &out, stderr: &errb, now: func() time.Time { return now }})
	return result{code, out.String(), errb.String()}
}

// bamRun runs the command line with args.
func bamRun(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return result{code, out.String(), errb.String()}
}

// lines splits s into its lines (without the final newline).
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// readFile returns the content of path.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// entries returns the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestRunWritesOutput(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	r := bamRun(t, append([]string{"run", "--periods", "30", "--seed", "3", "--out", out}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("stderr at the default log level: %q", r.stderr)
	}
	if got := entries(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("parent folder holds %v, want only out (no temporary folder left)", got)
	}
	if got := entries(t, out); !slices.Equal(got, []string{"economy.csv", "firms.csv", "run.json"}) {
		t.Errorf("output folder holds %v", got)
	}

	// economy.csv: the bam.Columns header and one row per period.
	eco := lines(readFile(t, filepath.Join(out, "economy.csv")))
	var names []string
	for _, c := range bam.Columns {
		names = append(names, c.Name)
	}
	if eco[0] != strings.Join(names, ",") {
		t.Errorf("economy.csv header %q", eco[0])
	}
	if len(eco) != 31 {
		t.Fatalf("economy.csv has %d lines, want 31", len(eco))
	}
	for i, l := range eco[1:] {
		f := strings.Split(l, ",")
		if len(f) != len(bam.Columns) {
			t.Fatalf("economy.csv row %d has %d fields", i+1, len(f))
		}
		if f[0] != strconv.Itoa(i+1) {
			t.Errorf("economy.csv row %d: period %s", i+1, f[0])
		}
		for j, c := range bam.Columns {
			if c.Int {
				if _, err := strconv.Atoi(f[j]); err != nil {
					t.Errorf("economy.csv row %d: integer column %s = %q", i+1, c.Name, f[j])
				}
			} else if _, err := strconv.ParseFloat(f[j], 64); err != nil {
				t.Errorf("economy.csv row %d: column %s = %q", i+1, c.Name, f[j])
			}
		}
	}

	// firms.csv: one row per firm.
	firms := lines(readFile(t, filepath.Join(out, "firms.csv")))
	if want := strings.Join(firmColumns, ","); firms[0] != want || !strings.HasPrefix(want, "firm,production,price,net_worth,labor,") {
		t.Errorf("firms.csv header %q", firms[0])
	}
	if len(firms) != 21 {
		t.Errorf("firms.csv has %d lines, want 21", len(firms))
	}
	for i, l := range firms[1:] {
		if f := strings.Split(l, ","); len(f) != len(firmColumns) || f[0] != strconv.Itoa(i) {
			t.Errorf("firms.csv row %d: %q", i, l)
		}
	}

	// run.json: the manifest.
	raw := readFile(t, filepath.Join(out, "run.json"))
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("run.json: %v", err)
	}
	for _, k := range []string{"program", "version", "go_version", "scenario", "scenario_source", "parameters",
		"seed", "periods", "periods_run", "collapsed", "population", "pipeline", "timing",
		"peak_rss_bytes", "files", "started_at"} {
		if _, ok := m[k]; !ok {
			t.Errorf("run.json lacks %q", k)
		}
	}
	if m["program"] != "bam" || m["scenario"] != "baseline" || m["scenario_source"] != "embedded:baseline" {
		t.Errorf("run.json program/scenario: %v %v %v", m["program"], m["scenario"], m["scenario_source"])
	}
	if m["seed"] != 3.0 || m["periods"] != 30.0 || m["periods_run"] != 30.0 || m["collapsed"] != false {
		t.Errorf("run.json seed/periods: %v %v %v %v", m["seed"], m["periods"], m["periods_run"], m["collapsed"])
	}
	if p, _ := m["population"].(map[string]any); p["firms"] != 20.0 || p["households"] != 100.0 || p["banks"] != 3.0 {
		t.Errorf("run.json population: %v", m["population"])
	}
	if pl, _ := m["pipeline"].([]any); len(pl) != 41 {
		t.Errorf("run.json pipeline has %d systems, want 41", len(pl))
	}
	if tm, _ := m["timing"].(map[string]any); tm["init_seconds"] == nil || tm["run_seconds"] == nil || tm["per_period_seconds"] == nil {
		t.Errorf("run.json timing: %v", m["timing"])
	}
	if files, _ := m["files"].([]any); len(files) != 3 {
		t.Errorf("run.json files: %v", m["files"])
	}
	if _, err := time.Parse(time.RFC3339, m["started_at"].(string)); err != nil {
		t.Errorf("run.json started_at: %v", err)
	}
	// The parameters object lists every parameter in spec order.
	var keys []string
	var pm struct {
		Parameters json.RawMessage `json:"parameters"`
	}
	if err := json.Unmarshal([]byte(raw), &pm); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(pm.Parameters))
	for depth := 0; ; {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' {
				depth++
			} else if v == '}' {
				depth--
			}
		case string:
			if depth == 1 {
				keys = append(keys, v)
				// Skip the value.
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if !slices.Equal(keys, ecs.ParamNames()) {
		t.Errorf("run.json parameters keys %v, want %v", keys, ecs.ParamNames())
	}
}

func TestRunSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, append([]string{"run", "--periods", "20", "--out", out}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"scenario", "baseline", "seed", "20 firms, 100 households, 3 banks",
		"20 of 20", "unemployment", "periods 11-20", "inflation", "firm exits", "firms per period (",
		"in 20 periods)", "bank exits", "banks per period (", "wall time", "20 periods in ", " ms per period", out} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "collapsed") {
		t.Errorf("summary reports a collapse:\n%s", r.stdout)
	}

	q := bamRun(t, append([]string{"run", "--quiet", "--periods", "5", "--out", out + "2"}, small...)...)
	if q.code != 0 || q.stdout != "" {
		t.Errorf("--quiet: exit %d, stdout %q", q.code, q.stdout)
	}
}

func TestRunCollapse(t *testing.T) {
	// Firms start with no net worth and all go bankrupt in period 1.
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, "run", "--firms", "2", "--households", "10", "--banks", "1", "--periods", "50",
		"--set", "net_worth_ratio=0", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "collapsed at period 1") {
		t.Errorf("summary does not report the collapse:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "economy collapsed") {
		t.Errorf("no warning on stderr: %q", r.stderr)
	}
	var m struct {
		Periods    int  `json:"periods"`
		PeriodsRun int  `json:"periods_run"`
		Collapsed  bool `json:"collapsed"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "run.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Periods != 50 || m.PeriodsRun != 1 || !m.Collapsed {
		t.Errorf("run.json: %+v", m)
	}
	if n := len(lines(readFile(t, filepath.Join(out, "economy.csv")))); n != 2 {
		t.Errorf("economy.csv has %d lines, want 2", n)
	}
}

func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	runSeed := func(name, seed string) (eco, firms string) {
		out := filepath.Join(dir, name)
		r := bamRun(t, append([]string{"run", "--quiet", "--periods", "30", "--seed", seed, "--out", out}, small...)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		return readFile(t, filepath.Join(out, "economy.csv")), readFile(t, filepath.Join(out, "firms.csv"))
	}
	e1, f1 := runSeed("a", "42")
	e2, f2 := runSeed("b", "42")
	e3, _ := runSeed("c", "43")
	if e1 != e2 || f1 != f2 {
		t.Error("the same seed gave different files")
	}
	if e1 == e3 {
		t.Error("different seeds gave the same economy.csv")
	}
}

func TestRunFlagsAfterScenario(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, append([]string{"run", "baseline", "--periods", "4", "-q", "--out=" + out}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if n := len(lines(readFile(t, filepath.Join(out, "economy.csv")))); n != 5 {
		t.Errorf("economy.csv has %d lines, want 5", n)
	}
}

func TestRunSetAndScenarioFile(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "mine.toml")
	doc := "name = \"mine\"\nn_firms = 15\nn_households = 60\nn_banks = 2\nn_periods = 6\ntheta = 4\n" +
		"[[hooks]]\nremove = \"firms_pay_dividends\"\n"
	if err := os.WriteFile(sc, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r := bamRun(t, "run", "-q", "--set", "max_Z=3", "--set", "theta=6", "--set", "n_periods=9", "--periods", "7", "--out", out, sc)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var m struct {
		Scenario       string         `json:"scenario"`
		ScenarioSource string         `json:"scenario_source"`
		Parameters     map[string]any `json:"parameters"`
		PeriodsRun     int            `json:"periods_run"`
		Pipeline       []string       `json:"pipeline"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "run.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Scenario != "mine" || m.ScenarioSource != sc {
		t.Errorf("scenario %q from %q", m.Scenario, m.ScenarioSource)
	}
	// --periods is applied after --set n_periods=9.
	if m.PeriodsRun != 7 || m.Parameters["n_periods"] != 7.0 {
		t.Errorf("periods_run %d, n_periods %v; want 7", m.PeriodsRun, m.Parameters["n_periods"])
	}
	if m.Parameters["max_Z"] != 3.0 || m.Parameters["theta"] != 6.0 || m.Parameters["n_firms"] != 15.0 {
		t.Errorf("parameters %v", m.Parameters)
	}
	if len(m.Pipeline) != 40 || slices.Contains(m.Pipeline, "firms_pay_dividends") {
		t.Errorf("pipeline after the remove hook: %d systems %v", len(m.Pipeline), m.Pipeline)
	}
}

func TestRunDefaultOut(t *testing.T) {
	t.Chdir(t.TempDir())
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.Local)
	for _, want := range []string{"baseline-seed5-20250304-050607", "baseline-seed5-20250304-050607-2"} {
		r := bamAt(t, now, append([]string{"run", "-q", "--periods", "3", "--seed", "5"}, small...)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Join("runs", want, "run.json")); err != nil {
			t.Errorf("default output folder: %v (runs/ holds %v)", err, entries(t, "runs"))
		}
	}
	if got := entries(t, "runs"); len(got) != 2 {
		t.Errorf("runs/ holds %v", got)
	}
}

func TestRunOutExisting(t *testing.T) {
	t.Run("non-empty", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if err := os.MkdirAll(filepath.Join(out, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, "economy.csv"), []byte("precious\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := bamRun(t, "run", "--periods", "3", "--out", out)
		if r.code != 2 {
			t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stderr, "bam: --out "+out+": ") || !strings.Contains(r.stderr, "not empty") {
			t.Errorf("stderr %q", r.stderr)
		}
		if got := entries(t, out); !slices.Equal(got, []string{"economy.csv", "sub"}) {
			t.Errorf("out holds %v", got)
		}
		if got := readFile(t, filepath.Join(out, "economy.csv")); got != "precious\n" {
			t.Errorf("economy.csv changed to %q", got)
		}
		if got := entries(t, filepath.Dir(out)); !slices.Equal(got, []string{"out"}) {
			t.Errorf("parent holds %v", got)
		}
	})
	t.Run("file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if err := os.WriteFile(out, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := bamRun(t, "run", "--periods", "3", "--out", out); r.code != 2 || !strings.Contains(r.stderr, "not a folder") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
	t.Run("empty", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		r := bamRun(t, append([]string{"run", "-q", "--periods", "3", "--out", out}, small...)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if got := entries(t, out); len(got) != 3 {
			t.Errorf("out holds %v", got)
		}
	})
	t.Run("missing parents", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "a", "b", "out")
		if r := bamRun(t, append([]string{"run", "-q", "--periods", "3", "--out", out}, small...)...); r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if got := entries(t, out); len(got) != 3 {
			t.Errorf("out holds %v", got)
		}
	})
}

func TestRunWriteFailure(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := bamRun(t, append([]string{"run", "-q", "--periods", "3", "--out", filepath.Join(blocker, "out")}, small...)...)
	if r.code != exitFailure {
		t.Fatalf("exit %d, want %d; stderr %q", r.code, exitFailure, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "bam: --out "+filepath.Join(blocker, "out")+": not a directory") || len(lines(r.stderr)) != 1 {
		t.Errorf("stderr %q", r.stderr)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"file"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestRunInterrupted(t *testing.T) {
	tests := []struct {
		name  string
		delay time.Duration // < 0: cancelled before the run
	}{
		{"before", -1},
		{"during", 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.delay < 0 {
				cancel()
			} else {
				time.AfterFunc(tt.delay, cancel)
			}
			var so, se bytes.Buffer
			// The baseline population does not collapse within the few
			// hundred periods run before the cancellation.
			code := run(ctx, []string{"run", "--periods", "100000", "--out", out}, &so, &se)
			if code != exitSIGINT {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitSIGINT, se.String())
			}
			if !strings.HasPrefix(se.String(), "bam: run interrupted") {
				t.Errorf("stderr %q", se.String())
			}
			if got := entries(t, dir); len(got) != 0 {
				t.Errorf("folder holds %v after an interrupted run", got)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	files := map[string]string{
		"syntax.toml":   "n_firms = 100\nmax_M = \n",
		"unknown.toml":  "n_firms = 100\nthetta = 4\n",
		"type.toml":     "max_M = \"four\"\n",
		"range.toml":    "h_rho = 1.5\n",
		"system.toml":   "[[hooks]]\nafter = \"firms_run_production\"\nsystems = [\"no_such_system\"]\n",
		"pipeline.toml": "pipeline = [\"firms_decide_desired_production\", \"bogus_round x 2\"]\n",
		"anchor.toml":   "[[hooks]]\nremove = \"not_in_pipeline\"\n",
	}
	tests := []struct {
		name string
		args []string
		want []string // substrings of the message
	}{
		{"missing file", []string{"nothere.toml"}, []string{"nothere.toml", "cannot read"}},
		{"unknown name", []string{"nosuchscenario"}, []string{"nosuchscenario", "baseline"}},
		{"unreadable", []string{"@dir"}, []string{"cannot read"}},
		{"syntax", []string{"@syntax.toml"}, []string{"syntax.toml:2:", "syntax", "max_M"}},
		{"unknown key", []string{"@unknown.toml"}, []string{"unknown.toml:2:", `"thetta"`, `did you mean "theta"`}},
		{"wrong type", []string{"@type.toml"}, []string{"type.toml:1:", `"max_M"`, "integer"}},
		{"out of range", []string{"@range.toml"}, []string{"range.toml:1:", "h_rho", "[0, 1]"}},
		{"unknown hook system", []string{"@system.toml"}, []string{"system.toml", `"no_such_system"`}},
		{"unknown pipeline system", []string{"@pipeline.toml"}, []string{"pipeline.toml", `"bogus_round"`}},
		{"hook anchor", []string{"@anchor.toml"}, []string{"anchor.toml", `"not_in_pipeline"`}},
		{"set syntax", []string{"--set", "max_Z"}, []string{"--set", "name=value"}},
		{"set unknown", []string{"--set", "thetta=3"}, []string{"--set thetta=3", `"thetta"`, `"theta"`}},
		{"set type", []string{"--set", "theta=abc"}, []string{"--set theta=abc", "integer"}},
		{"set range", []string{"--set", "v=0"}, []string{"--set v=0", "(0, 1]"}},
		{"set enum", []string{"--set", "consumer_matching=best"}, []string{"consumer_matching", `"loyalty"`}},
		{"periods range", []string{"--periods", "0"}, []string{"--periods 0", "n_periods", ">= 1"}},
		{"periods type", []string{"--periods", "ten"}, []string{"--periods ten", "integer"}},
		{"seed range", []string{"--seed", "-1"}, []string{"--seed -1", "seed"}},
		{"firms range", []string{"--firms", "0"}, []string{"--firms 0", "n_firms"}},
		{"households range", []string{"--households", "0"}, []string{"--households 0", "n_households"}},
		{"banks range", []string{"--banks", "0"}, []string{"--banks 0", "n_banks"}},
		{"unknown flag", []string{"--bogus"}, []string{"run:", "bogus"}},
		{"log level", []string{"--log-level", "loud"}, []string{"--log-level loud", "debug"}},
		{"too many arguments", []string{"baseline", "extra"}, []string{"too many arguments", `"extra"`}},
		{"empty out", []string{"--out", ""}, []string{"--out"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, doc := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir(filepath.Join(dir, "dir"), 0o755); err != nil {
				t.Fatal(err)
			}
			before := entries(t, dir)
			out := filepath.Join(dir, "out")
			args := []string{"run", "--periods", "3", "--out", out}
			if tt.name == "empty out" {
				args = []string{"run", "--periods", "3"}
			}
			for _, a := range tt.args {
				if name, ok := strings.CutPrefix(a, "@"); ok {
					a = filepath.Join(dir, name)
				}
				args = append(args, a)
			}
			r := bamRun(t, args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
			if l := lines(r.stderr); len(l) != 1 || !strings.HasPrefix(l[0], "bam: ") || strings.HasPrefix(l[0], "bam: bam") {
				t.Errorf("stderr is not one line \"bam: <message>\": %q", r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
			if _, err := os.Lstat(out); err == nil {
				t.Errorf("output folder %s exists after bad input", out)
			}
			if got := entries(t, dir); !slices.Equal(got, before) {
				t.Errorf("folder holds %v, want %v", got, before)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"help", "nosuch"},
		{"--bogus"},
		{"pipeline", "--nope"},
		{"params", "--nope"},
		{"pipeline", "--set", "max_M=0"},
		{"params", "--set", "h_rho=2"},
		{"pipeline", "nosuchscenario"},
	} {
		r := bamRun(t, args...)
		if r.code != 2 || len(lines(r.stderr)) != 1 || !strings.HasPrefix(r.stderr, "bam: ") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestPipeline(t *testing.T) {
	tests := []struct {
		args []string
		n    int
	}{
		{nil, 41},
		{[]string{"baseline"}, 41},
		{[]string{"--set", "max_M=2"}, 39},
		{[]string{"--set", "max_M=2", "--set", "max_H=3"}, 40},
	}
	for _, tt := range tests {
		r := bamRun(t, append([]string{"pipeline"}, tt.args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", tt.args, r.code, r.stderr)
		}
		l := lines(r.stdout)
		if len(l) != tt.n {
			t.Errorf("%v: %d lines, want %d", tt.args, len(l), tt.n)
		}
		if len(l) == 0 || l[0] != "firms_decide_desired_production" || l[len(l)-1] != "spawn_replacement_banks" {
			t.Errorf("%v: pipeline %v", tt.args, l)
		}
	}
}

func TestPipelineHooks(t *testing.T) {
	sc := filepath.Join(t.TempDir(), "h.toml")
	doc := "[[hooks]]\nremove = \"firms_pay_dividends\"\n\n[[hooks]]\nafter = \"spawn_replacement_banks\"\nsystems = [\"calc_inflation_rate\"]\n"
	if err := os.WriteFile(sc, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	r := bamRun(t, "pipeline", sc)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	l := lines(r.stdout)
	if len(l) != 41 || slices.Contains(l, "firms_pay_dividends") || l[40] != "calc_inflation_rate" {
		t.Errorf("pipeline %v", l)
	}
}

func TestParams(t *testing.T) {
	r := bamRun(t, "params", "--set", "max_Z=3", "--set", "cap_factor=2")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	l := lines(r.stdout)
	specs := append(slices.Clone(ecs.ParamSpecs), ecs.ExtParamSpecs()...)
	if len(l) != len(specs)+1 {
		t.Fatalf("%d lines, want %d", len(l), len(specs)+1)
	}
	for i, s := range specs {
		f := strings.Fields(l[i+1])
		if f[0] != s.Name {
			t.Errorf("line %d: %q, want parameter %s", i+1, l[i+1], s.Name)
		}
		if !strings.Contains(l[i+1], s.RangeString()) || !strings.Contains(l[i+1], s.Doc) {
			t.Errorf("line %d lacks range or doc: %q", i+1, l[i+1])
		}
		want := map[string]string{"max_Z": "3", "cap_factor": "2", "theta": "8", "net_worth_init": "absent", "consumer_matching": `"loyalty"`}
		if w, ok := want[s.Name]; ok && f[1] != w {
			t.Errorf("%s = %s, want %s", s.Name, f[1], w)
		}
	}
}

func TestLogLevelDebug(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, append([]string{"run", "-q", "--log-level", "debug", "--periods", "3", "--out", out}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"level=DEBUG", "max_M=4", "level=INFO", "wrote output"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("log lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"baseline":     "baseline",
		"my scenario":  "my_scenario",
		"../x/y":       "_x_y",
		"":             "scenario",
		"growth+_v1.2": "growth__v1.2",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPermuteArgs(t *testing.T) {
	app := newApp(&env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, now: time.Now})
	tests := []struct{ in, want []string }{
		{[]string{"run"}, []string{"run"}},
		{[]string{"run", "x.toml"}, []string{"run", "--", "x.toml"}},
		{[]string{"run", "x.toml", "--periods", "3", "-q"}, []string{"run", "--periods", "3", "-q", "--", "x.toml"}},
		{[]string{"run", "--quiet", "x.toml", "--out=o"}, []string{"run", "--quiet", "--out=o", "--", "x.toml"}},
		{[]string{"run", "--seed", "-1", "x"}, []string{"run", "--seed", "-1", "--", "x"}},
		{[]string{"run", "--", "-odd.toml"}, []string{"run", "--", "-odd.toml"}},
		{[]string{"--version"}, []string{"--version"}},
		{[]string{"other", "a", "--b"}, []string{"other", "a", "--b"}},
	}
	for _, tt := range tests {
		if got := permuteArgs(app, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("permuteArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEmptyPipelineRefused (issue 12, case 13): a pipeline whose entries all
// repeat 0 times is refused when the simulation is built, not run.
func TestEmptyPipelineRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(file, []byte("pipeline = [\"labor_market_round x 0\", \"firms_pay_wages x 0\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "o")
	for _, args := range [][]string{{"pipeline", file}, {"run", "--out", out, file}} {
		r := bamRun(t, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "is empty") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and \"is empty\"", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("run wrote an output folder")
	}
}

// TestRunNonFinite (issue 12, case 7): a run whose state goes NaN or ±Inf
// stops, keeps the periods run in its output folder, and exits 1 naming
// the period and the series.
func TestRunNonFinite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, "run", "--quiet", "--set", "new_firm_price_markup=1e300", "--periods", "300", "--out", out)
	if r.code != exitCheckFailed || !strings.Contains(r.stderr, "mean_savings is NaN") || !strings.Contains(r.stderr, "period ") ||
		!strings.Contains(r.stderr, out) || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want 1 and one line naming the period, the series and the folder", r.code, r.stderr)
	}
	econ, err := results.ReadEconomy(out, "period")
	if err != nil {
		t.Fatal(err)
	}
	if n := econ.Rows(); n == 0 || n >= 300 {
		t.Errorf("%d periods written; want those run before the stop", n)
	}
}
