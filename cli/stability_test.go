package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	studyengine "github.com/bam-abm/bam/study"
)

// smallStudy is a fast study: baseline, 6 seeds of 100 periods.
var smallStudy = []string{"--scenario", "baseline", "--seeds", "6", "--seed-start", "3", "--periods", "100", "--gate", "0"}

// stab runs bam stability with the small study, args and --out dir.
func stab(t *testing.T, dir string, args ...string) result {
	t.Helper()
	all := append(append([]string{"stability"}, smallStudy...), "--out", dir)
	return bamRun(t, append(all, args...)...)
}

// bodyOf returns a result file without its metadata (everything from the
// "scenario" member on).
func bodyOf(t *testing.T, path string) string {
	t.Helper()
	b := readFile(t, path)
	i := strings.Index(b, "\n  \"scenario\": ")
	if i < 0 || !strings.HasPrefix(b, "{\n  \"metadata\": {") {
		t.Fatalf("%s: not a result file:\n%.300s", path, b)
	}
	return b[i:]
}

// sameBody fails unless the result files a and b agree apart from metadata.
func sameBody(t *testing.T, a, b string) {
	t.Helper()
	ba, bb := bodyOf(t, a), bodyOf(t, b)
	if ba != bb {
		t.Fatalf("%s and %s differ apart from metadata:\n%s", a, b, firstDiff(ba, bb))
	}
	r := bamRun(t, "stability", "compare", "--exact", a, b)
	if r.code != exitOK {
		t.Fatalf("compare --exact: exit %d: %s", r.code, r.stderr)
	}
}

// firstDiff shows where two strings start to differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return "…" + a[lo:min(len(a), i+80)] + "\n versus\n…" + b[lo:min(len(b), i+80)]
}

// reference runs the small study once, uninterrupted, and returns its
// result file.
func reference(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ref")
	if r := stab(t, dir, args...); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	return filepath.Join(dir, "baseline.json")
}

func TestStabilityWritesResultFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := stab(t, dir, "--workers", "2")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"scenario", "pass rate", "score mean ± std", "failing seeds", "wall time", "baseline"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}
	var doc struct {
		Metadata map[string]json.RawMessage `json:"metadata"`
		Scenario string                     `json:"scenario"`
		Summary  map[string]any             `json:"summary"`
		Metrics  map[string]map[string]any  `json:"metrics"`
		Groups   map[string]string          `json:"group_display_names"`
		Failing  []struct {
			Seed   uint64   `json:"seed"`
			Failed []string `json:"failed_metrics"`
		} `json:"failing_seeds"`
		Seeds []struct {
			Seed    uint64                    `json:"seed"`
			Passed  bool                      `json:"passed"`
			Score   float64                   `json:"score"`
			Metrics map[string]map[string]any `json:"metrics"`
		} `json:"seeds"`
	}
	b := readFile(t, filepath.Join(dir, "baseline.json"))
	if err := json.Unmarshal([]byte(b), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Scenario != "baseline" || len(doc.Metrics) != 25 || len(doc.Groups) != 6 {
		t.Errorf("scenario %q, %d metrics, %d groups", doc.Scenario, len(doc.Metrics), len(doc.Groups))
	}
	for _, k := range []string{"n_passed", "pass_rate", "mean_score", "std_score", "min_score", "max_score"} {
		if _, ok := doc.Summary[k]; !ok {
			t.Errorf("summary lacks %s", k)
		}
	}
	for _, k := range []string{"commit", "commit_short", "dirty", "go_version", "timestamp", "n_seeds", "n_periods",
		"n_workers", "elapsed_seconds", "machine", "timings", "params_hash"} {
		if _, ok := doc.Metadata[k]; !ok {
			t.Errorf("metadata lacks %s", k)
		}
	}
	if len(doc.Seeds) != 6 || doc.Seeds[0].Seed != 3 || doc.Seeds[5].Seed != 8 {
		t.Fatalf("seeds: %+v", doc.Seeds)
	}
	for _, s := range doc.Seeds {
		if len(s.Metrics) != 25 {
			t.Errorf("seed %d: %d metrics", s.Seed, len(s.Metrics))
		}
		for name, m := range s.Metrics {
			for _, k := range []string{"value", "status", "score"} {
				if _, ok := m[k]; !ok {
					t.Errorf("seed %d %s lacks %s", s.Seed, name, k)
				}
			}
		}
	}
	// Metric keys in suite order.
	if !strings.Contains(b, "\"metrics\": {\n    \"unemployment_rate_mean\": {") {
		t.Error("metrics do not start with unemployment_rate_mean")
	}
	// Rerunning finds every seed in the journal and rewrites the same file.
	r = stab(t, dir)
	if r.code != exitOK {
		t.Fatalf("rerun: exit %d: %s", r.code, r.stderr)
	}
	var meta struct {
		Metadata struct {
			Timings struct {
				SeedsRun    int `json:"seeds_run"`
				FromJournal int `json:"seeds_from_journal"`
			} `json:"timings"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "baseline.json"))), &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Metadata.Timings.SeedsRun != 0 || meta.Metadata.Timings.FromJournal != 6 {
		t.Errorf("rerun timings %+v: want 0 run, 6 from the journal", meta.Metadata.Timings)
	}
}

// The result file does not depend on the number of workers.
func TestStabilityWorkersIndependent(t *testing.T) {
	a := reference(t, "--workers", "1")
	b := reference(t, "--workers", "3")
	sameBody(t, a, b)
}

// A study interrupted after k seeds leaves a valid journal; running the
// command again finishes it with the same result file as a run never
// interrupted.
func TestStabilityResume(t *testing.T) {
	ref := reference(t, "--workers", "2")
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	stop := func() {
		if n.Add(1) == 2 {
			cancel()
		}
	}
	var out, errb bytes.Buffer
	args := append(append([]string{"stability"}, smallStudy...), "--out", dir, "--workers", "2")
	code := runEnv(ctx, args, &env{stdout: &out, stderr: &errb, now: time.Now, afterRecord: stop})
	if code != exitSIGINT {
		t.Fatalf("interrupted run: exit %d, want %d: %s", code, exitSIGINT, errb.String())
	}
	if !strings.Contains(errb.String(), "run the same command again to resume") {
		t.Errorf("message: %s", errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "baseline.json")); err == nil {
		t.Fatal("an interrupted study wrote its result file")
	}
	journal := filepath.Join(dir, "baseline.journal.jsonl")
	ls := lines(readFile(t, journal))
	if len(ls) < 3 || len(ls) > 7 {
		t.Fatalf("journal has %d lines after 2 seeds", len(ls))
	}
	for i, l := range ls {
		if !json.Valid([]byte(l)) {
			t.Fatalf("journal line %d is not JSON: %s", i+1, l)
		}
	}
	r := stab(t, dir, "--workers", "1")
	if r.code != exitOK {
		t.Fatalf("resumed run: exit %d: %s", r.code, r.stderr)
	}
	sameBody(t, ref, filepath.Join(dir, "baseline.json"))
}

// A torn last line (kill -9 in the middle of a write) is ignored: the seed
// is run again and the result is unchanged.
func TestStabilityTornJournal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if r := stab(t, dir); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ref := filepath.Join(t.TempDir(), "ref.json")
	if err := os.WriteFile(ref, []byte(readFile(t, filepath.Join(dir, "baseline.json"))), 0o644); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, "baseline.journal.jsonl")
	b := readFile(t, journal)
	torn := b[:len(b)-40] // the last record loses its end and its newline
	if err := os.WriteFile(journal, []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	r := stab(t, dir)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	sameBody(t, ref, filepath.Join(dir, "baseline.json"))
	ls := lines(readFile(t, journal))
	if len(ls) != 7 {
		t.Fatalf("journal has %d lines, want the header and 6 seeds", len(ls))
	}
	for i, l := range ls {
		if !json.Valid([]byte(l)) {
			t.Fatalf("journal line %d is not JSON: %s", i+1, l)
		}
	}
	var meta struct {
		Metadata struct {
			Timings struct {
				SeedsRun int `json:"seeds_run"`
			} `json:"timings"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "baseline.json"))), &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Metadata.Timings.SeedsRun != 1 {
		t.Errorf("%d seeds run again, want 1", meta.Metadata.Timings.SeedsRun)
	}
}

// Shards run apart and merged give the file of one run of all the seeds;
// a missing shard or a seed in two journals is refused.
func TestStabilityShardMerge(t *testing.T) {
	ref := reference(t)
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	for i, dir := range []string{a, a, b} {
		r := stab(t, dir, "--shard", []string{"0/3", "1/3", "2/3"}[i], "--workers", "2")
		if r.code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "shard") {
			t.Errorf("shard output: %s", r.stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(a, "baseline.json")); err == nil {
		t.Fatal("a shard wrote a result file")
	}
	for _, f := range []string{"baseline.shard-0-of-3.journal.jsonl", "baseline.shard-0-of-3.done.json", "baseline.shard-1-of-3.done.json"} {
		if _, err := os.Stat(filepath.Join(a, f)); err != nil {
			t.Errorf("shard output: %v", err)
		}
	}
	merged := filepath.Join(root, "merged")
	r := bamRun(t, "stability", "merge", a, b, "--out", merged, "--gate", "0")
	if r.code != exitOK {
		t.Fatalf("merge: exit %d: %s", r.code, r.stderr)
	}
	sameBody(t, ref, filepath.Join(merged, "baseline.json"))

	// A missing shard.
	r = bamRun(t, "stability", "merge", a, "--out", merged, "--gate", "0")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no journal of shard 2/3") {
		t.Errorf("merge without shard 2: exit %d: %s", r.code, r.stderr)
	}
	// An unfinished shard: drop the last seed of shard 2.
	j := filepath.Join(b, "baseline.shard-2-of-3.journal.jsonl")
	ls := lines(readFile(t, j))
	if err := os.WriteFile(j, []byte(strings.Join(ls[:len(ls)-1], "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = bamRun(t, "stability", "merge", a, b, "--out", merged, "--gate", "0")
	if r.code != exitUsage || !strings.Contains(r.stderr, "lacks 1 of its 2 seeds") {
		t.Errorf("merge with an unfinished shard: exit %d: %s", r.code, r.stderr)
	}
	// Seeds in two journals: a whole run next to the shards.
	if r := stab(t, b); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	r = bamRun(t, "stability", "merge", a, b, "--out", merged, "--gate", "0")
	if r.code != exitUsage || !strings.Contains(r.stderr, "is in two journals") {
		t.Errorf("merge with duplicates: exit %d: %s", r.code, r.stderr)
	}
}

// buffer_stock reusing the growth_plus runs of the same command gives the
// same file as buffer_stock alone, which runs its Growth+ companion.
func TestStabilityBufferStockReusesGrowthPlus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Growth+ and buffer-stock economies")
	}
	root := t.TempDir()
	common := []string{"stability", "--seeds", "3", "--periods", "100", "--gate", "0", "--workers", "2"}
	both, alone := filepath.Join(root, "both"), filepath.Join(root, "alone")
	r := bamRun(t, append(common, "--scenario", "buffer_stock,growth_plus", "--out", both)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	r = bamRun(t, append(common, "--scenario", "buffer_stock", "--out", alone)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	sameBody(t, filepath.Join(both, "buffer_stock.json"), filepath.Join(alone, "buffer_stock.json"))
	if !strings.Contains(readFile(t, filepath.Join(both, "buffer_stock.json")), `"growth_plus_reused": 3`) {
		t.Error("buffer_stock did not reuse the growth_plus results")
	}
	if strings.Contains(readFile(t, filepath.Join(alone, "buffer_stock.json")), `"growth_plus_reused"`) {
		t.Error("buffer_stock alone claims to have reused growth_plus results")
	}
}

func TestStabilityBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--seeds", "0"},
		{"--seeds", "x"},
		{"--seed-start", "-1"},
		{"--workers", "0"},
		{"--gate", "1.5"},
		{"--shard", "3/3"},
		{"--shard", "1"},
		{"--scenario", "nope"},
		{"--scenario", "baseline,,growth_plus"},
		{"--scenario", "baseline,baseline"},
		{"--set", "theta=-1"},
		{"--periods", "0"},
		{"--out", ""},
		{"extra-argument"},
	} {
		r := bamRun(t, append([]string{"stability", "--out", filepath.Join(dir, "x")}, args...)...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2: %s", args, r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stderr, "bam: ") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: message %q", args, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"stability", "merge"},
		{"stability", "compare", "a.json"},
		{"stability", "compare", filepath.Join(dir, "none.json"), filepath.Join(dir, "none.json")},
		{"stability", "slurm", "--seeds", "4"},
		{"stability", "slurm", "--shards", "0"},
		{"stability", "slurm", "--shards", "2", "--shard", "0/2"},
	} {
		r := bamRun(t, args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want 2: %s", args, r.code, r.stderr)
		}
	}
}

// A journal of another study is refused with exit 2 and a message naming
// the difference; nothing is run or changed.
func TestStabilityJournalMismatch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if r := stab(t, dir); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	journal := filepath.Join(dir, "baseline.journal.jsonl")
	before := readFile(t, journal)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--periods", "120"}, "n_periods is 100 there, 120 here"},
		{[]string{"--set", "theta=6"}, "params_hash"},
		{[]string{"--burn-in", "30"}, "burn_in is 50 there, 30 here"},
		{[]string{"--firms", "50"}, "n_firms"},
	} {
		r := stab(t, dir, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "belongs to another study") || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d: %s", c.args, r.code, r.stderr)
		}
	}
	if readFile(t, journal) != before {
		t.Error("a refused run changed the journal")
	}
	// More seeds of the same study reuse the journal.
	r := bamRun(t, "stability", "--scenario", "baseline", "--seeds", "8", "--seed-start", "3", "--periods", "100",
		"--gate", "0", "--out", dir)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "baseline.json")), `"seeds_from_journal": 6`) {
		t.Error("the longer study did not reuse the 6 journaled seeds")
	}
}

func TestStabilitySlurmScripts(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "study")
	r := bamRun(t, "stability", "slurm", "--scenario", "baseline,growth_plus", "--seeds", "16", "--periods", "200",
		"--shards", "4", "--cpus", "2", "--partition", "short", "--time", "0:30:00", "--set", "theta=6", "--out", out)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	arr := readFile(t, filepath.Join(out, "slurm", "stability-array.sbatch"))
	merge := readFile(t, filepath.Join(out, "slurm", "stability-merge.sbatch"))
	exe, _ := os.Executable()
	for _, want := range []string{
		"#!/bin/bash\n", "#SBATCH --array=0-3\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --partition=short\n",
		"#SBATCH --time=0:30:00\n", "#SBATCH --chdir=" + out + "\n", "#SBATCH --output=" + filepath.Join(out, "slurm", "logs", "shard-%A_%a.out"),
		studyengine.ShellQuote(exe) + " stability --scenario baseline,growth_plus --seeds 16 --seed-start 0",
		"--periods 200", "--set theta=6", "--out " + studyengine.ShellQuote(out),
		`--workers "${SLURM_CPUS_PER_TASK:-2}"`, `--shard "${SLURM_ARRAY_TASK_ID}/4"`,
	} {
		if !strings.Contains(arr, want) {
			t.Errorf("array script lacks %q:\n%s", want, arr)
		}
	}
	for _, want := range []string{"#SBATCH --partition=short\n", "stability merge " + studyengine.ShellQuote(out) + " --out " + studyengine.ShellQuote(out) + " --gate 0.962"} {
		if !strings.Contains(merge, want) {
			t.Errorf("merge script lacks %q:\n%s", want, merge)
		}
	}
	if !strings.Contains(r.stdout, "sbatch --dependency=afterok:${jid%%;*} ") || !strings.Contains(r.stdout, "jid=$(sbatch --parsable ") {
		t.Errorf("printed commands:\n%s", r.stdout)
	}
	if fi, err := os.Stat(filepath.Join(out, "slurm", "logs")); err != nil || !fi.IsDir() {
		t.Error("no log folder")
	}

	// --submit with a stand-in sbatch that logs its arguments.
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(root, "sbatch.log")
	fake := "#!/bin/sh\necho \"$@\" >> " + log + "\nn=$(wc -l < " + log + ")\necho \"$((100 + n));cluster\"\n"
	if err := os.WriteFile(filepath.Join(bin, "sbatch"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	r = bamRun(t, "stability", "slurm", "--scenario", "baseline", "--seeds", "8", "--shards", "2", "--submit", "--out", out)
	if r.code != exitOK {
		t.Fatalf("--submit: exit %d: %s", r.code, r.stderr)
	}
	calls := lines(readFile(t, log))
	if len(calls) != 2 || calls[0] != "--parsable "+filepath.Join(out, "slurm", "stability-array.sbatch") ||
		calls[1] != "--parsable --dependency=afterok:101 --kill-on-invalid-dep=yes "+filepath.Join(out, "slurm", "stability-merge.sbatch") {
		t.Errorf("sbatch calls:\n%s", strings.Join(calls, "\n"))
	}
	if !strings.Contains(r.stdout, "array job: 101 (2 tasks)") || !strings.Contains(r.stdout, "merge job: 102") {
		t.Errorf("output:\n%s", r.stdout)
	}
}

func TestStabilityCompare(t *testing.T) {
	a := reference(t)
	b := reference(t, "--set", "theta=6")
	r := bamRun(t, "stability", "compare", a, b)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"pass rate", "mean score", "failing seeds", "unemployment_rate_mean", "Δ mean", "pts"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("comparison lacks %q:\n%s", want, r.stdout)
		}
	}
	r = bamRun(t, "stability", "compare", "--exact", a, b)
	if r.code != exitCheckFailed || !strings.Contains(r.stderr, "differ") {
		t.Errorf("--exact on different files: exit %d: %s", r.code, r.stderr)
	}
}

// TestStabilityCompareExactValues (issue 12, case 10): --exact compares
// values, not bytes: the same document with other whitespace is identical;
// a changed value is named by its path.
func TestStabilityCompareExactValues(t *testing.T) {
	a := reference(t)
	dir := t.TempDir()
	var doc map[string]any
	if err := json.Unmarshal([]byte(readFile(t, a)), &doc); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(doc) // other whitespace, keys sorted
	b := filepath.Join(dir, "b.json")
	if err := os.WriteFile(b, compact, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := bamRun(t, "stability", "compare", "--exact", a, b); r.code != exitOK {
		t.Errorf("same values, other whitespace: exit %d, %s", r.code, r.stderr)
	}
	seeds := doc["seeds"].([]any)
	seeds[2].(map[string]any)["score"] = 0.123
	changed, _ := json.Marshal(doc)
	c := filepath.Join(dir, "c.json")
	if err := os.WriteFile(c, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	r := bamRun(t, "stability", "compare", "--exact", a, c)
	if r.code != exitCheckFailed || !strings.Contains(r.stderr, "seeds[2].score: ") || !strings.Contains(r.stderr, "versus 0.123") {
		t.Errorf("a changed value: exit %d, stderr %q; want 1 naming seeds[2].score", r.code, r.stderr)
	}
}

// TestStabilitySlurmTime (issue 12, case 13): a --time that sbatch would
// not take is bad input, and no script is written.
func TestStabilitySlurmTime(t *testing.T) {
	out := filepath.Join(t.TempDir(), "study")
	r := bamRun(t, "stability", "slurm", "--shards", "2", "--seeds", "4", "--time", "garbage", "--out", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--time garbage: want a Slurm time limit") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("--out was created")
	}
	if r := bamRun(t, "stability", "slurm", "--shards", "2", "--seeds", "4", "--time", "1-12:00", "--out", out); r.code != exitOK {
		t.Errorf("--time 1-12:00: exit %d, %s", r.code, r.stderr)
	}
}

// TestStabilitySlurmOutError (issue 12, case 13): a --out where the
// scripts cannot be written is a failure naming the folder.
func TestStabilitySlurmOutError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := bamRun(t, "stability", "slurm", "--shards", "2", "--seeds", "4", "--out", filepath.Join(file, "study"))
	if r.code == exitOK || !strings.Contains(r.stderr, filepath.Join(file, "study", "slurm")) {
		t.Errorf("exit %d, stderr %q; want a failure naming the folder", r.code, r.stderr)
	}
}

// TestJournaledIn checks the end of the message of an interrupted
// --commits study: the journals that exist, or that none had finished
// (the folder was never made, or holds no journal yet).
func TestJournaledIn(t *testing.T) {
	dir := t.TempDir()
	with := filepath.Join(dir, "with")
	if err := os.MkdirAll(with, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"baseline.journal.jsonl", "growth_plus.journal.jsonl", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(with, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ dir, want string }{
		{with, "the finished seeds are journaled in " + filepath.Join(with, "baseline.journal.jsonl") + ", " + filepath.Join(with, "growth_plus.journal.jsonl")},
		{empty, "no seed of it had finished"},
		{filepath.Join(dir, "never-made"), "no seed of it had finished"},
	} {
		if got := journaledIn(tt.dir); got != tt.want {
			t.Errorf("journaledIn(%s) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}

// TestStabilityKeepsOtherResults checks two ways a result used to be
// replaced without a word (issue 12, case 13): a study of fewer seeds over
// the journal of a longer one, and a merge into a folder holding the
// journal of another study. Both are refused with exit 2, the files as
// they were; a longer study and a merge into the shards' folder still work.
func TestStabilityKeepsOtherResults(t *testing.T) {
	dir := t.TempDir()
	study := []string{"stability", "--scenario", "baseline", "--periods", "60", "--gate", "0"}
	a := filepath.Join(dir, "a")
	if r := bamRun(t, append(study, "--seeds", "4", "--out", a)...); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	result := readFile(t, filepath.Join(a, "baseline.json"))
	r := bamRun(t, append(study, "--seeds", "2", "--out", a)...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "holds a study of seeds 0…3 (4); seeds 0…1 (2) here would replace its result") {
		t.Errorf("fewer seeds: exit %d, stderr %q", r.code, r.stderr)
	}
	if readFile(t, filepath.Join(a, "baseline.json")) != result {
		t.Error("the refused study changed the result")
	}
	if r := bamRun(t, append(study, "--seeds", "5", "--out", a)...); r.code != exitOK {
		t.Errorf("a longer study: exit %d: %s", r.code, r.stderr)
	}

	b, c := filepath.Join(dir, "b"), filepath.Join(dir, "c")
	for _, s := range []string{"0/2", "1/2"} {
		if r := bamRun(t, append(study, "--seeds", "2", "--shard", s, "--out", b)...); r.code != exitOK {
			t.Fatalf("shard %s: exit %d: %s", s, r.code, r.stderr)
		}
	}
	if r := bamRun(t, "stability", "--scenario", "baseline", "--periods", "80", "--gate", "0", "--seeds", "2", "--out", c); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	other := readFile(t, filepath.Join(c, "baseline.json"))
	r = bamRun(t, "stability", "merge", b, "--out", c, "--gate", "0")
	if r.code != exitUsage || !strings.Contains(r.stderr, "holds the journal "+filepath.Join(c, "baseline.journal.jsonl")+" of another study (baseline, 80 periods") ||
		!strings.Contains(r.stderr, "(baseline, 60 periods") {
		t.Errorf("merge over another study: exit %d, stderr %q", r.code, r.stderr)
	}
	if readFile(t, filepath.Join(c, "baseline.json")) != other {
		t.Error("the refused merge changed the other study's result")
	}
	if r := bamRun(t, "stability", "merge", b, "--out", b, "--gate", "0"); r.code != exitOK {
		t.Errorf("merge into the shards' folder: exit %d: %s", r.code, r.stderr)
	}
}
