package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareCommand runs a small comparison, reruns it from its journal,
// and checks the refusals.
func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cmp")
	args := []string{"compare", "--firms", "20", "--households", "100", "--banks", "3", "--periods", "60",
		"--treat", "theta=2", "--seeds", "3", "--series", "unemployment_rate,gdp", "--out", out}
	r := bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "vs treatment embedded:baseline with theta=2: 3 seeds each (6 jobs run now, 0 from the journal)") ||
		!strings.Contains(r.stdout, "series             baseline  treatment  difference  95 % interval") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	table := readFile(t, filepath.Join(out, "compare.csv"))
	if b := readFile(t, filepath.Join(out, compareFigure)); !strings.HasPrefix(b, "\x89PNG") {
		t.Error("compare.png is not a PNG")
	}
	r = bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "(0 jobs run now, 6 from the journal)") || readFile(t, filepath.Join(out, "compare.csv")) != table {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"compare", "--out", out}, "the treatment is the baseline"},
		{[]string{"compare", "--treat", "theta=2"}, "--out DIR is required"},
		{[]string{"compare", "--treat", "theta=2", "--seeds", "1", "--out", out}, "--seeds 1: want an integer >= 2"},
		{[]string{"compare", "--treat", "theta=2", "--series", "gpd", "--out", out}, "--series gpd: not an economy series"},
		{[]string{"compare", "--treat", "thetta=2", "--out", out}, `unknown parameter "thetta"`},
		{[]string{"compare", "--treatment", "nosuch", "--out", out}, "nosuch: no embedded scenario"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}
