package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// tinySweep is a small sweep's flags: 2 configurations × 3 seeds of a
// tiny economy.
var tinySweep = []string{"sweep", "--firms", "20", "--households", "100", "--banks", "3", "--periods", "60",
	"--grid", "theta=4,8", "--seeds", "3", "--workers", "2"}

// TestSweepCommand runs a sweep, reruns it (everything from the journal,
// the same tables), and runs it in two shards merged into the same tables.
func TestSweepCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sweep")
	r := bamRun(t, append(tinySweep, "--out", out)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "2 configurations × 3 seeds = 6 jobs: 6 jobs run now") ||
		!strings.Contains(r.stdout, "theta  collapsed  unemployment  inflation") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	tables := func(d string) string {
		var b strings.Builder
		for _, f := range []string{"sweep.csv", "sweep.parquet", "aggregate.csv", "aggregate.parquet"} {
			b.WriteString(readFile(t, filepath.Join(d, f)))
		}
		return b.String()
	}
	want := tables(out)
	if !strings.Contains(readFile(t, filepath.Join(out, "sweep.json")), `"format": "bam-sweep/1"`) {
		t.Error("sweep.json has no format tag")
	}
	r = bamRun(t, append(tinySweep, "--out", out)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "= 6 jobs: 6 of 6 jobs from the journal, 0 run now") || tables(out) != want {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	shards := filepath.Join(dir, "shards")
	for _, s := range []string{"0/2", "1/2"} {
		r := bamRun(t, append(tinySweep, "--shard", s, "--out", shards)...)
		if r.code != exitOK || !strings.Contains(r.stdout, "shard "+s+" done") {
			t.Fatalf("shard %s: exit %d\n%s%s", s, r.code, r.stdout, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(shards, "sweep.csv")); !os.IsNotExist(err) {
		t.Error("a shard wrote the tables")
	}
	merged := filepath.Join(dir, "merged")
	r = bamRun(t, "sweep", "merge", shards, "--out", merged)
	if r.code != exitOK || !strings.Contains(r.stdout, "merged 2 journals: 2 configurations × 3 seeds") {
		t.Fatalf("merge: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if tables(merged) != want {
		t.Error("merged shards gave other tables than one run")
	}

	// bam sweep plot: every format, checked by its magic bytes.
	for _, tt := range []struct{ file, magic string }{{"f.png", "\x89PNG"}, {"f.svg", "<?xml"}, {"f.pdf", "%PDF"}} {
		path := filepath.Join(dir, tt.file)
		r := bamRun(t, "sweep", "plot", out, "--metric", "gdp_mean", "-o", path, "--size", "3.5in,2.6in")
		if r.code != exitOK {
			t.Fatalf("plot %s: exit %d: %s", tt.file, r.code, r.stderr)
		}
		if b := readFile(t, path); !strings.HasPrefix(b, tt.magic) {
			t.Errorf("%s starts with %q, want %q", tt.file, b[:min(len(b), 8)], tt.magic)
		}
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--metric", "nope"}, "--metric nope: not a metric"},
		{[]string{"--x", "beta"}, "--x beta: not a parameter of the sweep (it varies theta)"},
		{[]string{"--y", "theta"}, "--y theta: not another parameter"},
		{[]string{"-o", filepath.Join(dir, "f.gif")}, "want a file name ending in .png, .svg or .pdf"},
		{[]string{"--size", "3in"}, "--size 3in: want W,H"},
	} {
		args := append([]string{"sweep", "plot", out}, tt.args...)
		if !slices.Contains(tt.args, "-o") {
			args = append(args, "-o", filepath.Join(dir, "bad.png"))
		}
		r := bamRun(t, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.png")); !os.IsNotExist(err) {
		t.Error("a refused plot left a file")
	}
}

// TestSweepBadInput checks that bad designs and flags are refused before
// any job runs: exit 2, one line naming the flag or parameter, no journal.
func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	design := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(design, []byte("theta,h_rho\n4,0.1\n8,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no design", []string{"sweep", "--out", out}, "give exactly one design"},
		{"two designs", []string{"sweep", "--grid", "theta=4", "--design", design, "--out", out}, "give exactly one design"},
		{"no out", []string{"sweep", "--grid", "theta=4"}, "--out DIR is required"},
		{"unknown parameter", []string{"sweep", "--grid", "thetta=4", "--out", out}, `unknown parameter "thetta"`},
		{"value out of range", []string{"sweep", "--grid", "h_xi=0.1,2", "--out", out}, "h_xi = 2 is out of range: want [0, 1]"},
		{"empty range", []string{"sweep", "--lhs", "beta=2:1", "--samples", "4", "--out", out}, "an empty range"},
		{"no samples", []string{"sweep", "--lhs", "beta=1:2", "--out", out}, "--samples"},
		{"samples without lhs", []string{"sweep", "--grid", "theta=4", "--samples", "4", "--out", out}, "--samples: only with --lhs"},
		{"design value", []string{"sweep", "--design", design, "--out", out}, "row 3: bad design: h_rho = 3"},
		{"missing design", []string{"sweep", "--design", filepath.Join(dir, "none.csv"), "--out", out}, "--design " + filepath.Join(dir, "none.csv")},
		{"bad seeds", []string{"sweep", "--grid", "theta=4", "--seeds", "0", "--out", out}, "--seeds 0: want an integer >= 1"},
		{"bad shard", []string{"sweep", "--grid", "theta=4", "--shard", "2/2", "--out", out}, "--shard"},
		{"merge nothing", []string{"sweep", "merge", filepath.Join(dir, "nowhere")}, "no such folder"},
		{"id columns without series", []string{"sweep", "--grid", "theta=4", "--id-columns", "seed", "--out", out}, "--id-columns: no series to put them in"},
		{"bad id columns", []string{"sweep", "--grid", "theta=4", "--keep-series", "--id-columns", "config,sed", "--out", out}, `--id-columns: "sed" is neither`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bamRun(t, tt.args...)
			if r.code != exitUsage || len(lines(r.stderr)) != 1 || !strings.Contains(r.stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", r.code, r.stderr, tt.msg)
			}
			if _, err := os.Stat(filepath.Join(out, "sweep.journal.jsonl")); !os.IsNotExist(err) {
				t.Errorf("a refused sweep left a journal (%v)", err)
			}
		})
	}
}

// TestSweepSlurm checks the scripts of bam sweep slurm: the array runs
// this bam sweep with the sweep's flags (repeated ones repeated, the design
// file absolute), --workers and --shard per task and the absolute --out;
// the merge job runs bam sweep merge on --out.
func TestSweepSlurm(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("d.csv", []byte("theta\n4\n8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := bamRun(t, "sweep", "slurm", "--design", "d.csv", "--set", "max_Z=3", "--seeds", "4", "--score",
		"--periods", "50", "--workers", "9", "--shards", "3", "--cpus", "2", "--out", "out")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "out")
	array := readFile(t, filepath.Join(out, "slurm", "sweep-array.sbatch"))
	for _, want := range []string{
		"#SBATCH --array=0-2", " sweep --periods 50 --set max_Z=3 --design " + filepath.Join(dir, "d.csv") + " --seeds 4 --score --out " + out,
		`--workers "${SLURM_CPUS_PER_TASK:-2}"`, `--shard "${SLURM_ARRAY_TASK_ID}/3"`,
	} {
		if !strings.Contains(array, want) {
			t.Errorf("sweep-array.sbatch lacks %q:\n%s", want, array)
		}
	}
	if strings.Contains(array, "--workers 9") || strings.Contains(array, "--shards") {
		t.Errorf("sweep-array.sbatch passes a flag meant for this command:\n%s", array)
	}
	merge := readFile(t, filepath.Join(out, "slurm", "sweep-merge.sbatch"))
	if !strings.Contains(merge, " sweep merge "+out+" --out "+out) {
		t.Errorf("sweep-merge.sbatch:\n%s", merge)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"sweep", "slurm", "--grid", "theta=4", "--out", "o2"}, "--shards N is required"},
		{[]string{"sweep", "slurm", "--grid", "theta=4", "--shards", "2", "--shard", "0/2", "--out", "o2"}, "--shard is set per task"},
		{[]string{"sweep", "slurm", "--grid", "theta=0", "--shards", "2", "--out", "o2"}, "theta = 0"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

// TestStudyProgressBars checks that sweep, compare and robustness show a
// progress bar on a terminal, labelled with what it counts, and none
// otherwise.
func TestStudyProgressBars(t *testing.T) {
	tty := func(w io.Writer) bool { _, ok := w.(*fakeTTY); return ok }
	pop := []string{"--firms", "20", "--households", "100", "--banks", "3", "--periods", "60"}
	for _, tt := range []struct {
		args  []string
		label string
	}{
		{append([]string{"sweep", "--grid", "theta=4,8", "--seeds", "2"}, pop...), "configuration × seed jobs"},
		{append([]string{"compare", "--treat", "theta=2", "--seeds", "2"}, pop...), "seeds of both arms"},
		{append([]string{"robustness", "--seeds", "2", "--burn-in", "30"}, pop...), "seeds"},
	} {
		for _, terminal := range []bool{true, false} {
			var stdout io.Writer = &bytes.Buffer{}
			if terminal {
				stdout = &fakeTTY{}
			}
			var stderr fakeTTY
			args := append(tt.args, "--out", filepath.Join(t.TempDir(), "out"))
			code := runEnv(context.Background(), args, &env{stdout: stdout, stderr: &stderr, now: time.Now, terminal: tty})
			if code != exitOK {
				t.Fatalf("%v: exit %d: %s", tt.args[0], code, stderr.String())
			}
			if got := strings.Contains(stderr.String(), tt.label); got != terminal {
				t.Errorf("%s on a terminal %v: bar %q shown %v", tt.args[0], terminal, tt.label, got)
			}
		}
	}
}
