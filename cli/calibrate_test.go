package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateMorris runs a small Morris screening from the command line,
// reruns it from its journal, and checks the dry run and the refusals.
func TestCalibrateMorris(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"beta": [1, 2.5, 5], "max_M": [2, 4], "theta": [8]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "morris")
	args := []string{"calibrate", "morris", "--firms", "20", "--households", "100", "--banks", "2", "--periods", "80",
		"--grid", grid, "--trajectories", "2", "--seeds", "2", "--out", out}
	r := bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "2 parameters, 2 trajectories → ") || !strings.Contains(r.stdout, "INCLUDE:") ||
		!strings.Contains(r.stdout, "from the journal") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	doc := readFile(t, filepath.Join(out, "morris.json"))
	if !strings.Contains(doc, `"name": "beta"`) || strings.Contains(doc, `"name": "theta"`) || readFile(t, filepath.Join(out, "sweep.csv")) == "" {
		t.Errorf("morris.json screens beta and max_M, not the fixed theta:\n%.400s", doc)
	}
	r = bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "0 evaluations run now") || readFile(t, filepath.Join(out, "morris.json")) != doc {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = bamRun(t, "calibrate", "morris", "--dry-run")
	if r.code != exitOK || !strings.Contains(r.stdout, "15 parameters, 10 trajectories") || !strings.Contains(r.stdout, "× 3 seeds = ") {
		t.Errorf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"calibrate", "morris"}, "--out DIR is required"},
		{[]string{"calibrate", "morris", "--trajectories", "0", "--dry-run"}, "--trajectories 0"},
		{[]string{"calibrate", "morris", "--threshold", "-1", "--dry-run"}, "--threshold -1"},
		{[]string{"calibrate", "morris", "--fixed", "nope=1", "--dry-run"}, `unknown parameter "nope"`},
		{[]string{"calibrate", "morris", "--grid", filepath.Join(dir, "none.json"), "--dry-run"}, "--grid"},
		{[]string{"calibrate", "morris", "--fixed", "beta=-3", "--dry-run"}, "beta = -3"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}
