package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bam-abm/bam/validation/stability"

	"github.com/bam-abm/bam/validation"
)

func TestValidateOneSeed(t *testing.T) {
	r := bamRun(t, "validate", "--periods", "300")
	if r.code != exitOK && r.code != exitCheckFailed {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, m := range validation.BaselineMetrics {
		if !strings.Contains(r.stdout, m.Name) {
			t.Errorf("table lacks %s:\n%s", m.Name, r.stdout)
		}
	}
	for _, want := range []string{"seed 0: 300 periods run", "burn-in 150", "metric", "target", "status", "verdict: ",
		"note: okun_* correlate growth rates", "correlates differences"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\r") {
		t.Error("a progress bar was drawn into a non-terminal")
	}
}

// The --json document is identical whatever the number of workers, holds
// the §8.2 summary fields at the top level, the metrics keyed by name in
// suite order and every seed's result.
func TestValidateJSONWorkersIndependent(t *testing.T) {
	dir := t.TempDir()
	var docs [][]byte
	for _, w := range []string{"1", "3"} {
		path := filepath.Join(dir, "v"+w+".json")
		r := bamRun(t, "validate", "baseline", "--seeds", "4", "--seed-start", "5", "--periods", "250",
			"--workers", w, "--json", path, "--gate", "0")
		if r.code != exitOK {
			t.Fatalf("workers %s: exit %d: %s", w, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "pass rate") || !strings.Contains(r.stdout, "seeds 5–8 (4)") || !strings.Contains(r.stdout, "note: okun_* correlate growth rates") {
			t.Errorf("summary:\n%s", r.stdout)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	if !bytes.Equal(docs[0], docs[1]) {
		t.Fatal("--json differs between --workers 1 and --workers 3")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(docs[0], &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"pass_rate", "mean_score", "std_score", "min_score", "max_score", "metrics", "failing_seeds", "seed_results", "group_display_names"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q at the top level", k)
		}
	}
	// Metric keys in suite order, each with the §8.2 fields.
	dec := json.NewDecoder(bytes.NewReader(doc["metrics"]))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for i := 0; dec.More(); i++ {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if k != validation.BaselineMetrics[i].Name {
			t.Fatalf("metric %d is %v, want %s", i, k, validation.BaselineMetrics[i].Name)
		}
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"mean_value", "std_value", "mean_score", "std_score", "pass_rate", "weight", "group"} {
			if _, ok := m[f]; !ok {
				t.Errorf("%s lacks %s", k, f)
			}
		}
	}
	var seeds []struct {
		Seed          uint64 `json:"seed"`
		MetricResults []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"metric_results"`
	}
	if err := json.Unmarshal(doc["seed_results"], &seeds); err != nil {
		t.Fatal(err)
	}
	if len(seeds) != 4 || seeds[0].Seed != 5 || seeds[3].Seed != 8 || len(seeds[0].MetricResults) != 25 {
		t.Errorf("seed results: %+v", seeds)
	}
}

// A short run fails the gate: exit status 1 with a message naming the
// pass rate and the gate.
func TestValidateGateFailure(t *testing.T) {
	r := bamRun(t, "validate", "--periods", "30", "--seeds", "2")
	if r.code != exitCheckFailed {
		t.Fatalf("exit %d, want %d: %s\n%s", r.code, exitCheckFailed, r.stderr, r.stdout)
	}
	if !strings.Contains(r.stderr, "below the gate 96.2%") || !strings.Contains(r.stdout, "failing seeds (") {
		t.Errorf("stderr %q\nstdout:\n%s", r.stderr, r.stdout)
	}
	if r := bamRun(t, "validate", "--periods", "30", "--seeds", "2", "--gate", "0"); r.code != exitOK {
		t.Errorf("--gate 0: exit %d: %s", r.code, r.stderr)
	}
}

func TestValidateBadInput(t *testing.T) {
	dir := t.TempDir()
	named := filepath.Join(dir, "growth_plus.toml")
	if err := os.WriteFile(named, []byte("name = \"growth_plus\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"--seeds", "0"}, "--seeds 0: want an integer >= 1"},
		{[]string{"--seeds", "x"}, "--seeds x"},
		{[]string{"--seed-start", "-1"}, "--seed-start -1"},
		{[]string{"--workers", "0"}, "--workers 0"},
		{[]string{"--gate", "1.5"}, "--gate 1.5: want a number in [0, 1]"},
		{[]string{"--burn-in", "abc"}, "--burn-in abc"},
		{[]string{"--periods", "0"}, "--periods 0"},
		{[]string{"--set", "thetta=3"}, "unknown parameter \"thetta\""},
		{[]string{"no_such_scenario"}, "no_such_scenario"},
		{[]string{named}, "its pipeline has the extensions of baseline, not of growth_plus"},
		{[]string{"--bogus"}, "unknown flag --bogus"},
	}
	for _, tt := range tests {
		r := bamRun(t, append([]string{"validate"}, tt.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
		if r.stdout != "" {
			t.Errorf("%v: output on bad input: %q", tt.args, r.stdout)
		}
	}
}

func TestValidateInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"validate", "--seeds", "3"}, &out, &errb)
	if code != exitSIGINT {
		t.Errorf("exit %d, want %d: %s", code, exitSIGINT, errb.String())
	}
}

func TestJFloat(t *testing.T) {
	b, err := json.Marshal([]stability.DocFloat{1.5, stability.DocFloat(math.NaN()), 0.1, 1e-20})
	if err != nil || string(b) != "[1.5,null,0.1,1e-20]" {
		t.Errorf("got %s, %v", b, err)
	}
}

// The extension scenarios choose their suites: growth_plus scores 66
// metrics, buffer_stock its 8 unique ones (after a Growth+ run per seed).
func TestValidateExtensionScenarios(t *testing.T) {
	tests := []struct {
		scenario, suite string
		metrics         []validation.Metric
	}{
		{"growth_plus", "growth_plus", validation.GrowthPlusMetrics},
		{"buffer_stock", "buffer_stock", validation.BufferStockMetrics},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "v.json")
		r := bamRun(t, "validate", tt.scenario, "--periods", "200", "--gate", "0", "--json", path)
		if r.code != exitOK {
			t.Fatalf("%s: exit %d: %s", tt.scenario, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "(suite "+tt.suite+")") {
			t.Errorf("%s: output:\n%s", tt.scenario, r.stdout)
		}
		for _, m := range tt.metrics {
			if !strings.Contains(r.stdout, m.Name) {
				t.Errorf("%s: table lacks %s", tt.scenario, m.Name)
			}
		}
		var doc struct {
			Suite       string `json:"suite"`
			SeedResults []struct {
				MetricResults []any `json:"metric_results"`
			} `json:"seed_results"`
		}
		if err := json.Unmarshal([]byte(readFile(t, path)), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Suite != tt.suite || len(doc.SeedResults) != 1 || len(doc.SeedResults[0].MetricResults) != len(tt.metrics) {
			t.Errorf("%s: JSON suite %s, %d seeds", tt.scenario, doc.Suite, len(doc.SeedResults))
		}
	}
}

func TestValidateSeedAlias(t *testing.T) {
	r := bamRun(t, "validate", "--seed", "3", "--periods", "120", "--gate", "0")
	if r.code != exitOK || !strings.Contains(r.stdout, "seed 3: 120 periods run") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

func TestSeedProgress(t *testing.T) {
	var b bytes.Buffer
	p := newSeedProgress(&b, 4)
	p.update(2, 4)
	p.clear()
	out := b.String()
	if !strings.HasPrefix(out, "\r["+strings.Repeat(".", 30)+"] 0/4 seeds") {
		t.Errorf("initial bar: %q", out)
	}
	if !strings.Contains(out, "\r["+strings.Repeat("#", 15)+strings.Repeat(".", 15)+"] 2/4 seeds") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("bar: %q", out)
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isCharDevice(f) || isCharDevice(&b) {
		t.Error("a file or a buffer is not a terminal")
	}
}

// TestValidateChecksJSONFirst (issue 12, case 4): a --json path that cannot
// be written fails before any seed runs, with nothing printed or written;
// one that is a folder is bad input.
func TestValidateChecksJSONFirst(t *testing.T) {
	dir := t.TempDir()
	r := bamRun(t, "validate", "--seeds", "2", "--periods", "60", "--json", filepath.Join(dir, "no", "such", "x.json"))
	if r.code != exitFailure || r.stdout != "" || !strings.Contains(r.stderr, "--json") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unwritable --json: exit %d, stdout %q, stderr %q; want 1 before the work", r.code, r.stdout, r.stderr)
	}
	r = bamRun(t, "validate", "--seeds", "2", "--periods", "60", "--json", dir)
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "is a folder") {
		t.Errorf("--json folder: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left behind: %v", ents)
	}
	// A good path gets the file, written atomically, after the table.
	out := filepath.Join(dir, "v.json")
	r = bamRun(t, "validate", "--seeds", "2", "--periods", "60", "--gate", "0", "--json", out)
	if r.code != exitOK || !strings.Contains(r.stdout, "pass rate") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

// TestSeedRange (issue 12, case 8): one seed range, [0, 2⁶³ − 1], for
// bam run --seed, --set seed and the seeds of validate and stability, with
// the true limit in every message.
func TestSeedRange(t *testing.T) {
	const limit = "9223372036854775807"
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", "--seed", "9223372036854775808", "--out", filepath.Join(dir, "a")},
		{"run", "--set", "seed=1e19", "--out", filepath.Join(dir, "b")},
		{"run", "--seed", "-1", "--out", filepath.Join(dir, "c")},
		{"validate", "--seed-start", "9223372036854775808"},
		{"validate", "--seed-start", limit, "--seeds", "2"},
		{"stability", "--seed-start", "9223372036854775807", "--seeds", "3", "--out", filepath.Join(dir, "d")},
		{"stability", "--seed-start", "18446744073709551615", "--out", filepath.Join(dir, "e")},
	} {
		r := bamRun(t, append(args, "--periods", "5")...)
		if r.code != exitUsage || !strings.Contains(r.stderr, limit) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the limit %s", args, r.code, r.stderr, limit)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("written: %v", ents)
	}
	// The largest seed itself runs.
	if r := bamRun(t, "validate", "--seed-start", limit, "--periods", "40", "--gate", "0"); r.code != exitOK || !strings.Contains(r.stdout, "seed "+limit) {
		t.Errorf("validate the largest seed: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}
