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
	if r.code != exitOK || !strings.Contains(r.stdout, "vs treatment embedded:baseline with theta=2: 3 seeds each (6 jobs run now)") ||
		!strings.Contains(r.stdout, "series             baseline  treatment  difference  95 % interval") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	table := readFile(t, filepath.Join(out, "compare.csv"))
	if b := readFile(t, filepath.Join(out, compareFigure)); !strings.HasPrefix(b, "\x89PNG") {
		t.Error("compare.png is not a PNG")
	}
	r = bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "(6 of 6 jobs from the journal, 0 run now)") || readFile(t, filepath.Join(out, "compare.csv")) != table {
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

// TestCompareShards runs a comparison in two shards, merges them into the
// same compare.csv as one run, and checks the Slurm scripts.
func TestCompareShards(t *testing.T) {
	dir := t.TempDir()
	args := []string{"compare", "--firms", "20", "--households", "100", "--banks", "3", "--periods", "60",
		"--treat", "theta=2", "--seeds", "3", "--series", "unemployment_rate,gdp"}
	one := filepath.Join(dir, "one")
	if r := bamRun(t, append(args, "--out", one)...); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	sh := filepath.Join(dir, "shards")
	for _, s := range []string{"0/2", "1/2"} {
		if r := bamRun(t, append(args, "--shard", s, "--out", sh)...); r.code != exitOK || !strings.Contains(r.stdout, "shard "+s+":") {
			t.Fatalf("shard %s: exit %d\n%s%s", s, r.code, r.stdout, r.stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	if r := bamRun(t, "compare", "merge", sh, "--out", merged, "--series", "unemployment_rate,gdp"); r.code != exitOK || !strings.Contains(r.stdout, "merged 2 journals: 3 seeds per arm") {
		t.Fatalf("merge: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range []string{"compare.csv", "compare_periods.csv", "sweep.csv"} {
		if readFile(t, filepath.Join(one, f)) != readFile(t, filepath.Join(merged, f)) {
			t.Errorf("%s of the merged shards differs from one run's", f)
		}
	}
	sweep := filepath.Join(dir, "sweep")
	if r := bamRun(t, "sweep", "--firms", "20", "--households", "100", "--banks", "3", "--periods", "30", "--grid", "theta=4", "--seeds", "1", "--out", sweep); r.code != exitOK {
		t.Fatal(r.stderr)
	}
	if r := bamRun(t, "compare", "merge", sweep); r.code != exitUsage || !strings.Contains(r.stderr, "holds a sweep, not a comparison") {
		t.Errorf("compare merge of a sweep: exit %d, %s", r.code, r.stderr)
	}
	slurm := filepath.Join(dir, "slurm")
	if r := bamRun(t, append(append([]string{"compare", "slurm"}, args[1:]...), "--shards", "2", "--out", slurm)...); r.code != exitOK {
		t.Fatalf("slurm: exit %d: %s", r.code, r.stderr)
	}
	array := readFile(t, filepath.Join(slurm, "slurm", "compare-array.sbatch"))
	if !strings.Contains(array, " compare --periods 60 --firms 20 --households 100 --banks 3 --treat theta=2 --series unemployment_rate,gdp --seeds 3 --out "+slurm) {
		t.Errorf("compare-array.sbatch:\n%s", array)
	}
	if m := readFile(t, filepath.Join(slurm, "slurm", "compare-merge.sbatch")); !strings.Contains(m, " compare merge "+slurm+" --out "+slurm+" --series unemployment_rate,gdp") {
		t.Errorf("compare-merge.sbatch:\n%s", m)
	}
}
