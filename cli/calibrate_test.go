package cli

import (
	"os"
	"path/filepath"
	"strconv"
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
		!strings.Contains(r.stdout, "10 evaluations run now") {
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
	if r.code != exitOK || !strings.Contains(r.stdout, "evaluations from the journals, 0 run now") || readFile(t, filepath.Join(out, "morris.json")) != doc {
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
	if r := bamRun(t, args...); r.code != exitOK || !strings.Contains(r.stdout, "evaluations from the journals, 0 run now") || readFile(t, filepath.Join(out, "search.json")) != doc {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// beta > max_M keeps (2.5, 2), (5, 2) and (5, 4) of the 6.
	if r := bamRun(t, "calibrate", "search", "--grid", grid, "--constraint", "beta > max_M", "--dry-run"); r.code != exitOK ||
		!strings.Contains(r.stdout, "screen        3 configurations") {
		t.Errorf("search with a constraint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
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
		{[]string{"calibrate", "search", "--grid", grid, "--constraint", "beta >> 2", "--dry-run"}, "--constraint"},
		{[]string{"calibrate", "search", "--grid", grid, "--constraint", "beta < theta", "--dry-run"}, "theta is neither a parameter of the grid nor a number"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

// execArgs returns the arguments of the exec line of an sbatch script
// written by bam (after the program), with the array task's variables
// replaced by workers 1 and shard task.
func execArgs(t *testing.T, script string, task string) []string {
	t.Helper()
	i := strings.LastIndex(script, "\nexec ")
	if i < 0 {
		t.Fatalf("no exec line in\n%s", script)
	}
	line := strings.TrimSpace(script[i+len("\nexec "):])
	var args []string
	for _, a := range shellWords(line)[1:] {
		a = strings.ReplaceAll(a, "${SLURM_CPUS_PER_TASK:-1}", "1")
		a = strings.ReplaceAll(a, "${SLURM_ARRAY_TASK_ID}", task)
		args = append(args, a)
	}
	return args
}

// shellWords splits a POSIX shell line of plain, single-quoted and
// double-quoted words (as study.ShellQuote writes them; no escapes in
// double quotes).
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// slurmLocally writes `bam calibrate PHASE slurm` with flags and
// --shards n into dir/sl, checks it submits the array once per stage,
// runs the array's tasks once per stage and then the merge job as Slurm
// would, by the scripts' own command lines, runs the same phase on one
// machine into dir/local, and checks the files are the same byte for
// byte.
func slurmLocally(t *testing.T, dir, phase string, flags []string, n, stages int, files ...string) {
	t.Helper()
	sl := filepath.Join(dir, "sl")
	r := bamRun(t, append(append([]string{"calibrate", phase, "slurm"}, flags...), "--shards", strconv.Itoa(n), "--out", sl)...)
	if r.code != exitOK || strings.Count(r.stdout, phase+"-array.sbatch") != stages+1 {
		t.Fatalf("%s slurm: exit %d\n%s%s", phase, r.code, r.stdout, r.stderr)
	}
	array := readFile(t, filepath.Join(sl, "slurm", phase+"-array.sbatch"))
	merge := readFile(t, filepath.Join(sl, "slurm", phase+"-merge.sbatch"))
	if !strings.Contains(array, "submitted "+strconv.Itoa(stages)+" times") {
		t.Errorf("the array script does not say it runs once per stage:\n%s", array)
	}
	for stage := range stages {
		for i := range n {
			if r := bamRun(t, execArgs(t, array, strconv.Itoa(i))...); r.code != exitOK || !strings.Contains(r.stdout, "shard "+strconv.Itoa(i)+"/"+strconv.Itoa(n)) {
				t.Fatalf("stage %d, task %d: exit %d\n%s%s", stage, i, r.code, r.stdout, r.stderr)
			}
		}
	}
	if r := bamRun(t, execArgs(t, merge, "")...); r.code != exitOK || !strings.Contains(r.stdout, "evaluations from the journals, 0 run now") {
		t.Fatalf("merge: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	local := filepath.Join(dir, "local")
	if r := bamRun(t, append(append([]string{"calibrate", phase}, flags...), "--workers", "2", "--out", local)...); r.code != exitOK {
		t.Fatalf("local: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range files {
		if a, b := readFile(t, filepath.Join(local, f)), readFile(t, filepath.Join(sl, f)); a == "" || a != b {
			t.Errorf("%s: the Slurm run's differs from one machine's", f)
		}
	}
}

// TestCalibrateSlurm runs a search (three stages: the screening and two
// tiers) and a whole pipeline (five: the screening, the search's three,
// the cross-evaluation) as Slurm job arrays, locally, and checks them
// against one machine; and the refusals of the slurm subcommand.
func TestCalibrateSlurm(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"beta": [1, 2.5, 5], "max_M": [2, 4]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	small := []string{"--firms", "20", "--households", "100", "--banks", "2", "--periods", "80"}
	flags := append(append([]string{}, small...), "--grid", grid, "--tiers", "4:3, 2:4")
	slurmLocally(t, filepath.Join(dir, "search"), "search", flags, 2, 3, "search.json", "search.txt", "winner.toml")
	flags = append(flags, "--trajectories", "2", "--seeds", "1", "--scenarios", "baseline,growth_plus", "--cross-top", "2", "--cross-seeds", "2")
	slurmLocally(t, filepath.Join(dir, "pipeline"), "pipeline", flags, 3, 5, "morris/morris.json", "search/search.json", "search/search.txt",
		"cross/cross.json", "cross/cross.txt", "winner.toml", "report.html")
	sl := filepath.Join(dir, "sl")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{append([]string{"calibrate", "search", "slurm", "--grid", grid, "--shards", "2", "--shard", "0/2"}, "--out", sl), "--shard is set per task"},
		{[]string{"calibrate", "search", "slurm", "--grid", grid, "--shards", "2"}, "--out DIR is required"},
		{[]string{"calibrate", "search", "slurm", "--grid", grid, "--tiers", "x", "--shards", "2", "--out", sl}, "--tiers"},
		{[]string{"calibrate", "search", "slurm", "--grid", grid, "--out", sl}, "--shards N is required"},
		{[]string{"calibrate", "morris", "--shard", "2/2", "--dry-run"}, "--shard"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

// TestCalibrateRescreen rescreens one group of a small screening and
// checks the refusals.
func TestCalibrateRescreen(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.toml")
	if err := os.WriteFile(grid, []byte("beta = [1, 5]\nmax_M = [2, 4]\nmax_leverage = [0, 10]\n[groups]\nbeta = \"behavioral\"\nmax_M = \"behavioral\"\nmax_leverage = \"credit\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	small := []string{"--firms", "20", "--households", "100", "--banks", "2", "--periods", "80"}
	mo := filepath.Join(dir, "mo")
	if r := bamRun(t, append(append([]string{"calibrate", "morris"}, small...), "--grid", grid, "--trajectories", "2", "--seeds", "1", "--out", mo)...); r.code != exitOK {
		t.Fatalf("morris: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(dir, "re")
	r := bamRun(t, append(append([]string{"calibrate", "rescreen"}, small...), "--morris", mo, "--group", "behavioral", "--trajectories", "2", "--seeds", "1", "--out", out)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "rescreen of the behavioral group of baseline: 2 parameters") ||
		!strings.Contains(r.stdout, "sensitivity collapse") || !strings.Contains(readFile(t, filepath.Join(out, "rescreen.json")), `"format": "bam-calibrate-rescreen/1"`) {
		t.Errorf("rescreen: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"calibrate", "rescreen", "--group", "entry", "--dry-run"}, "--morris DIR"},
		{[]string{"calibrate", "rescreen", "--morris", mo, "--dry-run"}, "--group G is required"},
		{[]string{"calibrate", "rescreen", "--morris", mo, "--group", "entry", "--dry-run"}, `group "entry": the first screening's space has the groups behavioral, credit`},
		{[]string{"calibrate", "rescreen", "--morris", dir, "--group", "credit", "--dry-run"}, "--morris"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

// TestCalibrateStaged runs a small staged sweep with a cross-check and
// checks its plan, its files, the winner under bam validate, and the
// refusals.
func TestCalibrateStaged(t *testing.T) {
	dir := t.TempDir()
	small := []string{"--firms", "20", "--households", "100", "--banks", "2", "--periods", "80"}
	out := filepath.Join(dir, "st")
	r := bamRun(t, append(append([]string{"calibrate", "staged"}, small...), "--stage", "A:beta=1,5", "--stage", "B:max_M=2,4",
		"--tiers", "2:2", "--cross-check", "growth_plus", "--cross-seeds", "2", "--out", out)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "B/cross ") || !strings.Contains(r.stdout, "running best: beta=") ||
		!strings.Contains(readFile(t, filepath.Join(out, "staged.json")), `"format": "bam-calibrate-staged/1"`) {
		t.Fatalf("staged: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := bamRun(t, "validate", filepath.Join(out, "winner.toml"), "--seed", "0"); r.code != exitOK && r.code != 1 {
		t.Errorf("bam validate winner.toml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"calibrate", "staged", "--dry-run"}, "needs a --stage"},
		{[]string{"calibrate", "staged", "--stage", "beta=1,2", "--dry-run"}, "want NAME:PARAM"},
		{[]string{"calibrate", "staged", "--stage", "A:beta=1,2", "--stage", "A:max_M=2,4", "--dry-run"}, `two stages named "A"`},
		{[]string{"calibrate", "staged", "--stage", "A:beta=1,2", "--cross-check", "growth_plus", "--cross-seeds", "0", "--dry-run"}, "--cross-seeds 0"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

// TestCalibratePipeline runs a small pipeline without the
// cross-evaluation, reruns it from its journals, and checks the dry run
// of the default pipeline and the refusals.
func TestCalibratePipeline(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"beta": [1, 5], "max_M": [2, 4]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "p")
	args := []string{"calibrate", "pipeline", "--firms", "20", "--households", "100", "--banks", "2", "--periods", "80", "--grid", grid,
		"--trajectories", "2", "--seeds", "1", "--tiers", "4:2", "--scenarios", "none", "--out", out}
	r := bamRun(t, args...)
	if r.code != exitOK || strings.Contains(r.stdout, "  cross ") || !strings.Contains(r.stdout, "calibration pipeline of baseline, 3 stages") ||
		!strings.Contains(r.stdout, "Morris screening of baseline") || !strings.Contains(r.stdout, "winner: ") {
		t.Fatalf("pipeline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range []string{"morris/morris.json", "search/search.json", "winner.toml", "report.html"} {
		if readFile(t, filepath.Join(out, f)) == "" {
			t.Errorf("no %s", f)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "cross")); err == nil {
		t.Error("--scenarios none ran a cross-evaluation")
	}
	if r := bamRun(t, args...); r.code != exitOK || !strings.Contains(r.stdout, "evaluations from the journals, 0 run now") {
		t.Errorf("rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = bamRun(t, "calibrate", "pipeline", "--dry-run")
	if r.code != exitOK || !strings.Contains(r.stdout, "6 stages") || !strings.Contains(r.stdout, "= 480 evaluations") ||
		!strings.Contains(r.stdout, "at most 2200 evaluations after the grid screening") || !strings.Contains(r.stdout, "10 configurations × 3 scenarios × 100 seeds = 3000") {
		t.Errorf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"calibrate", "pipeline"}, "--out DIR is required"},
		{[]string{"calibrate", "pipeline", "--cross-rank", "best", "--dry-run"}, "--cross-rank"},
		{[]string{"calibrate", "pipeline", "--cross-top", "0", "--dry-run"}, "--cross-top 0"},
		{[]string{"calibrate", "pipeline", "--prune", "x", "--dry-run"}, "--prune x"},
		{[]string{"calibrate", "pipeline", "--scenarios", "nope", "--dry-run"}, "nope"},
	} {
		if r := bamRun(t, tt.args...); r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}
