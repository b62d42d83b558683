package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bam-abm/bam/calibration"
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
	res, err := calibration.ReadMorris(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Effects) != 2 || res.Effects[0].Name != "beta" || res.Effects[1].Name != "max_M" || res.Space.Index("theta") != 2 ||
		readFile(t, filepath.Join(out, "sweep.csv")) == "" {
		t.Errorf("morris.json screens beta and max_M, not the fixed theta: %+v", res.Effects)
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

// TestCalibrateSearch screens the focused grid of a small Morris
// screening, runs two tiers, checks that the exported winner runs with bam
// validate, and checks the refusals.
func TestCalibrateSearch(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"beta": [1, 2.5, 5], "max_M": [2, 4]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	small := []string{"--firms", "20", "--households", "100", "--banks", "2", "--periods", "80"}
	mo := filepath.Join(dir, "mo")
	if r := bamRun(t, append(append([]string{"calibrate", "morris"}, small...), "--grid", grid, "--trajectories", "2", "--seeds", "2", "--out", mo)...); r.code != exitOK {
		t.Fatalf("morris: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(dir, "search")
	args := append(append([]string{"calibrate", "search"}, small...), "--morris", mo, "--prune", "off", "--tiers", "4:3, 2:4", "--out", out)
	r := bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "screen ") || !strings.Contains(r.stdout, "tier-2 ") || !strings.Contains(r.stdout, "winner: beta=") {
		t.Fatalf("search: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	doc := readFile(t, filepath.Join(out, "search.json"))
	winner := filepath.Join(out, "winner.toml")
	if !strings.Contains(doc, `"format": "bam-calibrate-search/1"`) || !strings.HasPrefix(readFile(t, winner), "# The winner of bam calibrate search on baseline") {
		t.Errorf("search.json or winner.toml:\n%.300s", doc)
	}
	if r := bamRun(t, "validate", winner, "--seed", "0"); r.code != exitOK && r.code != 1 {
		t.Errorf("bam validate winner.toml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := bamRun(t, args...); r.code != exitOK || !strings.Contains(r.stdout, "0 evaluations run now") || readFile(t, filepath.Join(out, "search.json")) != doc {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	cx := filepath.Join(dir, "cross")
	r = bamRun(t, append(append([]string{"calibrate", "cross"}, small...), "--search", out, "--top", "2", "--scenarios", "baseline,growth_plus",
		"--seeds", "2", "--out", cx)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "2 configurations × 2 scenarios × 2 seeds = 8 evaluations") ||
		!strings.Contains(r.stdout, "scenario tension") || !strings.Contains(readFile(t, filepath.Join(cx, "cross.json")), `"format": "bam-calibrate-cross/1"`) {
		t.Errorf("cross: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	co := filepath.Join(dir, "cost")
	r = bamRun(t, append(append([]string{"calibrate", "cost", winner}, small...), "--swap", "beta=2.5", "--swap", "max_M=4", "--seeds", "2", "--combo", "--out", co)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "Cost analysis of baseline") || !strings.Contains(readFile(t, filepath.Join(co, "cost.json")), `"format": "bam-calibrate-cost/1"`) {
		t.Errorf("cost: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"calibrate", "cost", "--dry-run"}, "has the shipped value of every spec §10 parameter"},
		{[]string{"calibrate", "cost", "--swap", "beta", "--dry-run"}, "--swap beta: want NAME=VALUE"},
		{[]string{"calibrate", "cost", "--swap", "beta=-1", "--dry-run"}, "beta"},
		{[]string{"calibrate", "cross", "--dry-run"}, "give exactly one of --search DIR"},
		{[]string{"calibrate", "cross", "--search", out, "--rank", "best", "--dry-run"}, `ranking "best"`},
		{[]string{"calibrate", "cross", "--search", out, "--scenarios", "nope", "--dry-run"}, "nope"},
		{[]string{"calibrate", "search", "--dry-run"}, "give exactly one of --morris DIR"},
		{[]string{"calibrate", "search", "--grid", grid, "--tiers", "10:5, 20:10", "--dry-run"}, "--tiers"},
		{[]string{"calibrate", "search", "--grid", grid, "--rank", "best", "--dry-run"}, `ranking "best"`},
		{[]string{"calibrate", "search", "--morris", dir, "--dry-run"}, "--morris"},
		{[]string{"calibrate", "search", "--morris", mo, "--prune", "-1", "--dry-run"}, "--prune -1"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}
