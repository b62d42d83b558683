package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMain lets `bam bench` re-execute this test binary as it re-executes
// the bam binary: a child started with BAM_BENCH_CHILD=1 runs the command
// line with its arguments instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv(benchChildEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// readJSON decodes the JSON file at path into a generic map.
func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(readFile(t, path)), &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// rows returns the rows of the table key of report m.
func rows(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	tbl, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("report lacks %q: %v", key, m)
	}
	raw, _ := tbl["rows"].([]any)
	var out []map[string]any
	for _, r := range raw {
		out = append(out, r.(map[string]any))
	}
	return out
}

// checkKeys reports the keys of want that obj lacks, and numbers that are
// not positive among them.
func checkKeys(t *testing.T, what string, obj map[string]any, want ...string) {
	t.Helper()
	for _, k := range want {
		v, ok := obj[k]
		if !ok {
			t.Errorf("%s lacks %q: %v", what, k, obj)
			continue
		}
		if f, isNum := v.(float64); isNum && !(f > 0) {
			t.Errorf("%s: %s = %v, want > 0", what, k, f)
		}
	}
}

func TestBenchQuickJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.json")
	r := bamRun(t, "bench", "--quick", "--json", path)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"bam bench:", "Seed table", "small", "medium", "large", "Scaling", "610", "1220", "3050", "peak RSS"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	m := readJSON(t, path)
	for _, k := range []string{"machine", "started_at", "quick", "seed_table", "scaling"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	if _, ok := m["parallel"]; ok {
		t.Error("report has a parallel table without --seeds")
	}
	if m["quick"] != true {
		t.Errorf("quick = %v", m["quick"])
	}
	machine, _ := m["machine"].(map[string]any)
	checkKeys(t, "machine", machine, "cpu", "cores", "gomaxprocs", "os", "arch", "go_version", "bam_version")

	seed := rows(t, m, "seed_table")
	var configs []string
	for _, r := range seed {
		checkKeys(t, "seed row", r, "config", "firms", "households", "banks", "init_seconds", "seconds", "periods_per_second")
		configs = append(configs, r["config"].(string))
	}
	if !slices.Equal(configs, []string{"small", "medium", "large"}) {
		t.Errorf("seed table configs %v", configs)
	}
	if p := m["seed_table"].(map[string]any)["periods"]; p != float64(quickBench.seedPeriods) {
		t.Errorf("seed table periods %v", p)
	}

	scaling := rows(t, m, "scaling")
	var agents []float64
	for _, r := range scaling {
		checkKeys(t, "scaling row", r, "agents", "firms", "households", "banks", "init_seconds", "periods",
			"seconds", "ms_per_period", "agent_steps_per_second", "peak_rss_bytes")
		agents = append(agents, r["agents"].(float64))
		if r["periods"].(float64) < float64(quickBench.minPeriods) {
			t.Errorf("scaling row timed %v periods, want >= %d", r["periods"], quickBench.minPeriods)
		}
		if f := r["firms"].(float64); r["households"] != 5*f || r["agents"] != f+5*f+max(1, float64(int(f)/10)) {
			t.Errorf("scaling row population %v", r)
		}
	}
	if !slices.Equal(agents, []float64{610, 1220, 3050}) {
		t.Errorf("scaling agents %v", agents)
	}
}

func TestBenchSeeds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seeds.json")
	r := bamRun(t, "bench", "--quick", "--seeds", "4", "--workers", "2", "--json", path)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Parallel seeds") || strings.Contains(r.stdout, "Seed table") {
		t.Errorf("output:\n%s", r.stdout)
	}
	m := readJSON(t, path)
	if _, ok := m["seed_table"]; ok {
		t.Error("--seeds report has a seed table")
	}
	par := m["parallel"].(map[string]any)
	checkKeys(t, "parallel", par, "seeds", "periods", "firms", "households", "banks", "efficiency")
	if par["seeds"] != 4.0 {
		t.Errorf("seeds %v", par["seeds"])
	}
	rs := rows(t, m, "parallel")
	if len(rs) != 2 || rs[0]["workers"] != 1.0 || rs[1]["workers"] != 2.0 {
		t.Fatalf("parallel rows %v", rs)
	}
	for _, r := range rs {
		checkKeys(t, "parallel row", r, "workers", "seconds", "seeds_per_second", "periods_per_second", "efficiency")
	}
	if rs[0]["efficiency"] != 1.0 {
		t.Errorf("efficiency with 1 worker %v, want 1", rs[0]["efficiency"])
	}
}

func TestBenchOne(t *testing.T) {
	r := bamRun(t, "bench", "--one", "20", "--warmup", "2", "--min-periods", "3", "--min-time", "0s")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var row scalingRow
	if err := json.Unmarshal([]byte(r.stdout), &row); err != nil {
		t.Fatalf("output %q: %v", r.stdout, err)
	}
	if row.Firms != 20 || row.Households != 100 || row.Banks != 2 || row.Agents != 122 || row.Periods != 3 {
		t.Errorf("row %+v", row)
	}
}

func TestBenchBadInput(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"bench", "--seeds", "0"}, 2, "--seeds 0"},
		{[]string{"bench", "--seeds", "2", "--workers", "0"}, 2, "--workers 0"},
		{[]string{"bench", "--workers", "2"}, 2, "--workers needs --seeds"},
		{[]string{"bench", "extra"}, 2, "unexpected argument"},
		{[]string{"bench", "--large", "--seeds", "2"}, 2, "--large adds a row"},
		{[]string{"bench", "--one", "0"}, 2, "want firms >= 1"},
		{[]string{"bench", "--quick", "--json", ""}, 2, "--json: want a file path"},
		{[]string{"bench", "--quick", "--json", filepath.Join(blocker, "x.json")}, exitFailure, "--json " + filepath.Join(blocker, "x.json") + ": not a directory"},
	}
	for _, tt := range tests {
		r := bamRun(t, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) || len(lines(r.stderr)) != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, r.code, r.stderr, tt.code, tt.msg)
		}
		if r.stdout != "" {
			t.Errorf("%v: stdout %q", tt.args, r.stdout)
		}
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"file"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestBenchInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "bench.json")
	var so, se strings.Builder
	if code := run(ctx, []string{"bench", "--quick", "--json", path}, &so, &se); code != exitSIGINT {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitSIGINT, se.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("--json file left behind after an interrupted bench: %v", err)
	}
}
