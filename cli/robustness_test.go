package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRobustnessCommand runs a small internal-validity study of Growth+
// (the default scenario), reruns it from its journal, and checks the
// refusals.
func TestRobustnessCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rob")
	args := []string{"robustness", "--firms", "30", "--households", "150", "--banks", "3", "--periods", "200",
		"--burn-in", "100", "--seeds", "3", "--out", out}
	r := bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "internal validity of growth_plus: seeds 0–2, 200 periods, burn-in 100") ||
		!strings.Contains(r.stdout, "real_interest_rate") || !strings.Contains(r.stdout, "AR(1) of the mean cycle") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	doc := readFile(t, filepath.Join(out, "internal.json"))
	if !strings.Contains(doc, `"format": "bam-robustness-internal/2"`) || readFile(t, filepath.Join(out, "internal.txt")) == "" ||
		!strings.HasPrefix(readFile(t, filepath.Join(out, "internal.png")), "\x89PNG") {
		t.Error("internal.json, internal.txt or internal.png missing or not what they say")
	}
	if h := readFile(t, filepath.Join(out, "robustness.html")); !strings.Contains(h, "<svg") || !strings.Contains(h, "Co-movements with the GDP cycle") ||
		strings.Contains(h, "<script") || strings.Contains(h, "src=") {
		t.Error("robustness.html is not a self-contained report with its figure")
	}
	r = bamRun(t, args...)
	if r.code != exitOK || !strings.Contains(r.stdout, "3 of 3 seeds from the journal, 0 run now") || readFile(t, filepath.Join(out, "internal.json")) != doc {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"robustness"}, "--out DIR is required"},
		{[]string{"robustness", "--seeds", "0", "--out", out}, "--seeds 0"},
		{[]string{"robustness", "--firms", "30", "--households", "150", "--banks", "3", "--periods", "200", "--burn-in", "90", "--seeds", "3", "--out", out},
			"belongs to another study"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
	// More seeds extend the study over its journal.
	more := append(append([]string{}, args[:len(args)-4]...), "--seeds", "4", "--out", out)
	if r := bamRun(t, more...); r.code != exitOK || !strings.Contains(r.stdout, "3 of 4 seeds from the journal, 1 run now") ||
		!strings.Contains(r.stdout, "seeds 0–3") {
		t.Errorf("extended to 4 seeds: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestRobustnessExperiments runs a small sensitivity experiment of the
// command line's own parameter and value list, and the entry-neutrality
// experiment (on the taxation scenario, with the study's population), and
// checks the refusals.
func TestRobustnessExperiments(t *testing.T) {
	dir := t.TempDir()
	small := []string{"--firms", "30", "--households", "150", "--banks", "3", "--periods", "150", "--burn-in", "75", "--seeds", "2"}
	r := bamRun(t, append(append([]string{"robustness", "sensitivity"}, small...), "--param", "theta", "--values", "4,8", "--out", dir)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "theta=4 ") || !strings.Contains(r.stdout, "theta=8 ") {
		t.Fatalf("sensitivity: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if doc := readFile(t, filepath.Join(dir, "sensitivity.json")); !strings.Contains(doc, `"format": "bam-robustness-sensitivity/1"`) ||
		!strings.Contains(doc, `"label": "theta=8"`) {
		t.Errorf("sensitivity.json:\n%.300s", doc)
	}
	r = bamRun(t, append(append([]string{"robustness", "structural"}, small...), "--experiment", "entry_neutrality", "--out", dir)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "entry_neutrality (book baseline profit_tax_rate=0)") || !strings.Contains(r.stdout, "profit_tax_rate=0.9") {
		t.Fatalf("structural: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range []string{"sensitivity-theta.png", "structural-entry_neutrality.png"} {
		if !strings.HasPrefix(readFile(t, filepath.Join(dir, f)), "\x89PNG") {
			t.Errorf("%s is not a PNG", f)
		}
	}
	for _, tt := range []struct{ file, want string }{{"sensitivity.html", "theta=8"}, {"structural.html", "profit_tax_rate=0 <span class=\"pill green\">book baseline"}} {
		h := readFile(t, filepath.Join(dir, tt.file))
		if !strings.Contains(h, "<svg") || !strings.Contains(h, tt.want) ||
			strings.Contains(h, "<script") || strings.Contains(h, "src=") {
			t.Errorf("%s is not a self-contained report of its values and figures", tt.file)
		}
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"robustness", "sensitivity", "--experiment", "nope", "--out", dir}, "--experiment nope: want one of credit_market"},
		{[]string{"robustness", "sensitivity", "--param", "theta", "--out", dir}, "--param and --values go together"},
		{[]string{"robustness", "sensitivity", "--param", "theta", "--values", "0", "--out", dir}, "theta = 0"},
		{[]string{"robustness", "structural", "--experiment", "credit_market", "--out", dir}, "want one of preferential_attachment"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

// TestRobustnessShards runs a study in two shards and merges them into the
// same internal.json as one run; and checks the Slurm scripts.
func TestRobustnessShards(t *testing.T) {
	dir := t.TempDir()
	args := []string{"robustness", "--firms", "30", "--households", "150", "--banks", "3", "--periods", "150", "--burn-in", "75", "--seeds", "3"}
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
	if r := bamRun(t, "robustness", "merge", sh, "--out", merged); r.code != exitOK || !strings.Contains(r.stdout, "merged 2 journals") {
		t.Fatalf("merge: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if readFile(t, filepath.Join(one, "internal.json")) != readFile(t, filepath.Join(merged, "internal.json")) {
		t.Error("the merged shards' internal.json differs from one run's")
	}
	if r := bamRun(t, "robustness", "merge", one+"-nowhere"); r.code != exitUsage {
		t.Errorf("merge of a missing folder: exit %d", r.code)
	}
	slurm := filepath.Join(dir, "slurm")
	if r := bamRun(t, append(append([]string{"robustness", "slurm"}, args[1:]...), "--shards", "2", "--out", slurm)...); r.code != exitOK {
		t.Fatalf("slurm: exit %d: %s", r.code, r.stderr)
	}
	array := readFile(t, filepath.Join(slurm, "slurm", "robustness-array.sbatch"))
	if !strings.Contains(array, " robustness --periods 150 --firms 30 --households 150 --banks 3 --seeds 3 --burn-in 75 --out "+slurm) ||
		!strings.Contains(array, `--shard "${SLURM_ARRAY_TASK_ID}/2"`) {
		t.Errorf("robustness-array.sbatch:\n%s", array)
	}
	if m := readFile(t, filepath.Join(slurm, "slurm", "robustness-merge.sbatch")); !strings.Contains(m, " robustness merge "+slurm+" --out "+slurm) {
		t.Errorf("robustness-merge.sbatch:\n%s", m)
	}
}
