package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bam-abm/bam/calibration"
)

// TestCalibrateOATAndPairs runs a small OAT sensitivity and the pairwise
// analysis on it from the command line, reruns both from their journals,
// runs the pairs of a small Morris screening's dry run, and checks the
// sensitivity baselines and the refusals.
func TestCalibrateOATAndPairs(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"beta": [1, 2.5, 5], "max_M": [2, 4], "theta": [8]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	small := []string{"--firms", "20", "--households", "100", "--banks", "2", "--periods", "80", "--seeds", "2"}
	oat := filepath.Join(dir, "oat")
	// A tiny threshold, so that both parameters are INCLUDE for the pairs.
	args := append(append([]string{"calibrate", "oat"}, small...), "--grid", grid, "--threshold", "1e-9", "--out", oat)
	r := bamRun(t, args...)
	// The baseline (beta 2.5, max_M 4), beta 1 and 5, max_M 2.
	if r.code != exitOK || !strings.Contains(r.stdout, "2 parameters, 5 values → 4 unique configurations (the baseline and each value alone) × 2 seeds = 8 evaluations") ||
		!strings.Contains(r.stdout, "INCLUDE: beta, max_M") || !strings.Contains(r.stdout, "8 evaluations run now") {
		t.Fatalf("oat: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	doc := readFile(t, filepath.Join(oat, calibration.OATJSON))
	res, err := calibration.ReadOAT(oat)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, `"format": "bam-calibrate-oat/1"`) || len(res.Parameters) != 2 || res.Space.Index("theta") != 2 ||
		res.Baseline == nil || res.Baseline.Values[2] != "8" || readFile(t, filepath.Join(oat, "sweep.csv")) == "" {
		t.Errorf("oat.json varies beta and max_M, with the fixed theta set: %+v", res.Parameters)
	}
	if r := bamRun(t, args...); r.code != exitOK || !strings.Contains(r.stdout, "evaluations from the journals, 0 run now") || readFile(t, filepath.Join(oat, calibration.OATJSON)) != doc {
		t.Errorf("oat rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	pairs := filepath.Join(dir, "pairs")
	args = append(append([]string{"calibrate", "pairs"}, small...), "--oat", oat, "--out", pairs)
	r = bamRun(t, args...)
	// The base, 2 + 1 single changes and 2 × 1 combinations.
	if r.code != exitOK || !strings.Contains(r.stdout, "INCLUDE beta, max_M → 1 pairs; the base, 3 single changes and 2 combinations = 6 unique configurations × 2 seeds = 12 evaluations") ||
		!strings.Contains(r.stdout, "beta × max_M") || !strings.Contains(r.stdout, "synergies: ") || !strings.Contains(r.stdout, "conflicts: ") {
		t.Fatalf("pairs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	pdoc := readFile(t, filepath.Join(pairs, calibration.PairsJSON))
	pres, err := calibration.ReadPairs(pairs)
	if err != nil || !strings.Contains(pdoc, `"format": "bam-calibrate-pairs/1"`) || len(pres.Pairs) != 1 || len(pres.Synergies)+len(pres.Conflicts) > 2 {
		t.Errorf("pairs.json (%v):\n%.300s", err, pdoc)
	}
	if r := bamRun(t, args...); r.code != exitOK || !strings.Contains(r.stdout, "evaluations from the journals, 0 run now") || readFile(t, filepath.Join(pairs, calibration.PairsJSON)) != pdoc {
		t.Errorf("pairs rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The pairs of a Morris screening (μ* above its tiny threshold).
	mo := filepath.Join(dir, "mo")
	if r := bamRun(t, append(append([]string{"calibrate", "morris"}, small...), "--grid", grid, "--trajectories", "2", "--threshold", "1e-9", "--out", mo)...); r.code != exitOK {
		t.Fatalf("morris: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := bamRun(t, "calibrate", "pairs", "--morris", mo, "--dry-run"); r.code != exitOK || !strings.Contains(r.stdout, "pairwise interactions of baseline: INCLUDE beta, max_M → 1 pairs") ||
		!strings.Contains(r.stdout, "× 3 seeds = ") {
		t.Errorf("pairs --morris --dry-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The sensitivity baselines: Growth+'s three, a --set value winning.
	r = bamRun(t, "calibrate", "oat", "growth_plus", "--dry-run")
	if r.code != exitOK || !strings.Contains(r.stdout, "sensitivity baseline of growth_plus (spec §10): new_firm_price_markup=1.15 sigma_decay=-1.0 sigma_max=0.1\n") ||
		!strings.Contains(r.stdout, "16 parameters, 64 values → 50 unique configurations") {
		t.Errorf("growth_plus dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = bamRun(t, "calibrate", "oat", "growth_plus", "--set", "new_firm_price_markup=1.25", "--dry-run")
	if r.code != exitOK || !strings.Contains(r.stdout, "(spec §10): sigma_decay=-1.0 sigma_max=0.1\n") || !strings.Contains(r.stdout, "→ 49 unique configurations") {
		t.Errorf("growth_plus --set markup: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := bamRun(t, "calibrate", "oat", "--dry-run"); r.code != exitOK || strings.Contains(r.stdout, "sensitivity baseline") ||
		!strings.Contains(r.stdout, "15 parameters, 60 values → 47 unique configurations (the baseline and each value alone) × 3 seeds = 141 evaluations") {
		t.Errorf("baseline dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A result with one INCLUDE parameter.
	one := filepath.Join(dir, "one")
	_ = os.Mkdir(one, 0o755)
	res.Parameters[1].Class = calibration.Fix
	if err := res.Write(one); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"calibrate", "pairs", "--dry-run"}, "give exactly one of --oat DIR"},
		{[]string{"calibrate", "pairs", "--oat", oat, "--morris", mo, "--dry-run"}, "give exactly one of --oat DIR"},
		{[]string{"calibrate", "pairs", "--oat", mo, "--dry-run"}, "--oat"},
		{[]string{"calibrate", "pairs", "--morris", oat, "--dry-run"}, "--morris"},
		{[]string{"calibrate", "pairs", "--oat", one, "--dry-run"}, "two INCLUDE parameters at least"},
		{[]string{"calibrate", "pairs", "growth_plus", "--oat", oat, "--dry-run"}, "is of scenario baseline, not growth_plus"},
		{[]string{"calibrate", "pairs", "--oat", oat, "--prune", "-1", "--dry-run"}, "--prune -1"},
		{[]string{"calibrate", "pairs", "--oat", oat, "--seeds", "0", "--dry-run"}, "--seeds 0"},
		{[]string{"calibrate", "pairs", "--oat", oat}, "--out DIR is required"},
		{[]string{"calibrate", "oat"}, "--out DIR is required"},
		{[]string{"calibrate", "oat", "--seeds", "0", "--dry-run"}, "--seeds 0"},
		{[]string{"calibrate", "oat", "--threshold", "-1", "--dry-run"}, "--threshold -1"},
		{[]string{"calibrate", "oat", "--fixed", "nope=1", "--dry-run"}, `unknown parameter "nope"`},
		{[]string{"calibrate", "oat", "--grid", grid, "--fixed", "beta=1", "--fixed", "max_M=2", "--dry-run"}, "no parameter of the space has two values"},
	} {
		r := bamRun(t, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}
