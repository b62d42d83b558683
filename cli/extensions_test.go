package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRunExtensionScenario runs an embedded extension scenario by name and
// checks that run.json holds the extension parameters (the user's value
// where set, the default otherwise) and the extension systems.
func TestRunExtensionScenario(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := append([]string{"run", "buffer_stock", "--periods", "20", "--out", out, "--set", "sigma_max=0.2"}, small...)
	r := bamRun(t, args...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var m struct {
		Scenario   string         `json:"scenario"`
		Parameters map[string]any `json:"parameters"`
		Pipeline   []string       `json:"pipeline"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "run.json"))), &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"sigma_min": 0, "sigma_max": 0.2, "sigma_decay": -1, "buffer_stock_h": 2}
	for k, v := range want {
		if m.Parameters[k] != v {
			t.Errorf("run.json parameters[%s] = %v, want %v", k, m.Parameters[k], v)
		}
	}
	if _, ok := m.Parameters["profit_tax_rate"]; ok {
		t.Error("run.json lists profit_tax_rate, which the scenario does not use or set")
	}
	for _, s := range []string{"firms_compute_rnd_intensity", "consumers_calc_buffer_stock_propensity"} {
		if !slices.Contains(m.Pipeline, s) {
			t.Errorf("run.json pipeline lacks %s", s)
		}
	}
	if m.Scenario != "buffer_stock" || len(m.Pipeline) != 44 {
		t.Errorf("scenario %q, %d systems", m.Scenario, len(m.Pipeline))
	}
}

func TestPipelineExtensions(t *testing.T) {
	r := bamRun(t, "pipeline", "taxation")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	l := lines(r.stdout)
	i := slices.Index(l, "firms_validate_debt_commitments")
	want := []string{"firms_validate_debt_commitments", "firms_tax_profits", "firms_compute_rnd_intensity",
		"firms_apply_productivity_growth", "firms_deduct_rnd_expenditure", "firms_pay_dividends"}
	if i < 0 || !slices.Equal(l[i:i+len(want)], want) {
		t.Errorf("pipeline %v", l)
	}
}

func TestBadExtensionInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("extensions = [\"rnd\", \"growth\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{bad}, []string{"bad.toml:1:", `unknown extension "growth"`, "known extensions: rnd, buffer_stock, taxation"}},
		{[]string{"growth_plus", "--set", "sigma_max=2"}, []string{"--set sigma_max=2", "[0, 1]"}},
		{[]string{"--set", "buffer_stock_h=0"}, []string{"buffer_stock_h", "> 0"}},
	}
	for _, tt := range tests {
		r := bamRun(t, append([]string{"run", "--periods", "3", "--out", filepath.Join(dir, "out")}, tt.args...)...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr %q", tt.args, r.code, r.stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", tt.args, r.stderr, w)
			}
		}
	}
}
