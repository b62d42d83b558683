package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/internal/owner"
)

// manifestWithout reads a run.json and drops the keys that may differ
// between an uninterrupted and a resumed run.
func manifestWithout(t *testing.T, path string, keys ...string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(readFile(t, path)), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		delete(m, k)
	}
	return m
}

// TestCheckpointAcceptance runs seed S for T periods uninterrupted (A),
// and for T1 < T periods with --checkpoint-every K followed by a resume of
// the checkpoint at T1 to T (B): economy.csv and firms.csv are identical,
// and run.json differs only in timing and the resume record.
func TestCheckpointAcceptance(t *testing.T) {
	tests := []struct {
		name     string
		args     []string // scenario and population
		t1, k, T int
	}{
		{"baseline", nil, 60, 20, 150},                   // the default population
		{"baseline final checkpoint", small, 50, 20, 90}, // 50 is not a multiple of 20
		{"growth_plus", append([]string{"growth_plus"}, small...), 40, 40, 100},
		{"buffer_stock", []string{"buffer_stock", "--set", "n_firms=30"}, 30, 10, 70},
		{"taxation", append([]string{"taxation", "--set", "profit_tax_rate=0.2"}, small...), 25, 5, 60},
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b1, b := filepath.Join(dir, "A"), filepath.Join(dir, "B1"), filepath.Join(dir, "B")
			base := append(slices.Clone(tt.args), "-q", "--seed", "17")
			r := bamAt(t, now, append([]string{"run", "--periods", strconv.Itoa(tt.T), "--out", a}, base...)...)
			if r.code != 0 {
				t.Fatalf("A: exit %d, stderr %q", r.code, r.stderr)
			}
			r = bamAt(t, now, append([]string{"run", "--periods", strconv.Itoa(tt.t1), "--checkpoint-every", strconv.Itoa(tt.k), "--out", b1}, base...)...)
			if r.code != 0 {
				t.Fatalf("B1: exit %d, stderr %q", r.code, r.stderr)
			}
			var want []string
			for p := tt.k; p <= tt.t1; p += tt.k {
				want = append(want, checkpointName(p))
			}
			if tt.t1%tt.k != 0 {
				want = append(want, checkpointName(tt.t1))
			}
			if got := entries(t, filepath.Join(b1, checkpointDir)); !slices.Equal(got, want) {
				t.Errorf("checkpoints %v, want %v", got, want)
			}
			var m manifest
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(b1, manifestFile))), &m); err != nil {
				t.Fatal(err)
			}
			for _, f := range want {
				if !slices.Contains(m.Files, checkpointDir+"/"+f) {
					t.Errorf("run.json files %v lack %s", m.Files, f)
				}
			}

			ckpt := filepath.Join(b1, checkpointDir, checkpointName(tt.t1))
			r = bamAt(t, now, "run", "--resume", ckpt, "--periods", strconv.Itoa(tt.T), "--out", b, "-q")
			if r.code != 0 {
				t.Fatalf("B: exit %d, stderr %q", r.code, r.stderr)
			}
			for _, f := range []string{economyFile, firmsFile} {
				if readFile(t, filepath.Join(a, f)) != readFile(t, filepath.Join(b, f)) {
					t.Errorf("%s differs between the uninterrupted and the resumed run", f)
				}
			}
			if got := entries(t, b); !slices.Equal(got, entries(t, a)) {
				t.Errorf("resumed run wrote %v, uninterrupted %v", got, entries(t, a))
			}
			drop := []string{"timing", "peak_rss_bytes"}
			ma, mb := manifestWithout(t, filepath.Join(a, manifestFile), drop...), manifestWithout(t, filepath.Join(b, manifestFile), drop...)
			res, _ := mb["resumed_from"].(map[string]any)
			if res["file"] != ckpt || res["period"] != float64(tt.t1) {
				t.Errorf("resumed_from = %v", mb["resumed_from"])
			}
			delete(mb, "resumed_from")
			if !reflect.DeepEqual(ma, mb) {
				t.Errorf("run.json differs beyond timing:\n%v\n%v", ma, mb)
			}
		})
	}
}

// TestResumeDefaultPeriods checks that without --periods a resumed run
// continues to the checkpoint's n_periods, and that a resumed run can
// write checkpoints itself.
func TestResumeDefaultPeriods(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first"), filepath.Join(dir, "second")
	r := bamRun(t, append([]string{"run", "-q", "--seed", "4", "--periods", "40", "--checkpoint-every", "15", "--out", first}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = bamRun(t, "run", "-q", "--resume", filepath.Join(first, checkpointDir, checkpointName(15)), "--checkpoint-every", "10", "--out", second)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if readFile(t, filepath.Join(first, economyFile)) != readFile(t, filepath.Join(second, economyFile)) {
		t.Error("economy.csv differs")
	}
	if got, want := entries(t, filepath.Join(second, checkpointDir)), []string{checkpointName(20), checkpointName(30), checkpointName(40)}; !slices.Equal(got, want) {
		t.Errorf("checkpoints of the resumed run %v, want %v", got, want)
	}
	if readFile(t, filepath.Join(first, checkpointDir, checkpointName(40))) != readFile(t, filepath.Join(second, checkpointDir, checkpointName(40))) {
		t.Error("the final checkpoints differ")
	}
}

// TestResumeBadInput checks that refused flags and bad checkpoint files
// are input errors (exit 2) that leave no output folder.
func TestResumeBadInput(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	r := bamRun(t, append([]string{"run", "-q", "--periods", "10", "--checkpoint-every", "5", "--out", src}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	good := filepath.Join(src, checkpointDir, checkpointName(10))
	data := []byte(readFile(t, good))
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := slices.Clone(data)
	binary.LittleEndian.PutUint32(old[8:], bam.CheckpointFormat+1)
	oldFile := write("old.ckpt", old)
	truncFile := write("trunc.ckpt", data[:len(data)/2])
	csv := filepath.Join(src, economyFile)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"seed", []string{"--resume", good, "--seed", "3"}, "bam: --seed cannot be used with --resume: the checkpoint fixes the scenario and its parameters"},
		{"set", []string{"--resume", good, "--set", "theta=4"}, "bam: --set cannot be used with --resume"},
		{"households", []string{"--resume", good, "--households", "30"}, "bam: --households cannot be used with --resume"},
		{"scenario", []string{"--resume", good, "growth_plus"}, `bam: --resume: unexpected SCENARIO "growth_plus": the checkpoint fixes the scenario`},
		{"periods too few", []string{"--resume", good, "--periods", "9"}, "bam: --periods 9: the checkpoint " + good + " is at period 10; want a total of at least 10 periods"},
		{"periods 0", []string{"--resume", good, "--periods", "0"}, "bam: --periods 0: n_periods = 0 is out of range"},
		{"csv", []string{"--resume", csv}, "bam: --resume " + csv + ": not a bam checkpoint"},
		{"other format", []string{"--resume", oldFile}, fmt.Sprintf("bam: --resume %s: checkpoint format %d (written by bam ", oldFile, bam.CheckpointFormat+1)},
		{"truncated", []string{"--resume", truncFile}, "bam: --resume " + truncFile + ": corrupt checkpoint: checksum mismatch (the file is damaged or truncated)"},
		{"missing", []string{"--resume", filepath.Join(dir, "missing.ckpt")}, "bam: --resume " + filepath.Join(dir, "missing.ckpt") + ": no such file or directory"},
		{"every 0", []string{"--checkpoint-every", "0"}, "bam: --checkpoint-every 0: want a number of periods >= 1"},
		{"every -3", []string{"--checkpoint-every", "-3"}, "bam: --checkpoint-every -3: want a number of periods >= 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out")
			r := bamRun(t, append([]string{"run", "-q", "--out", out}, tt.args...)...)
			if r.code != exitUsage || !strings.HasPrefix(r.stderr, tt.want) || len(lines(r.stderr)) != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output folder was written")
			}
		})
	}
}

// TestCheckpointWriteFailure checks that a checkpoint that cannot be
// written stops the run with the error.
func TestCheckpointWriteFailure(t *testing.T) {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = 20, 100, 3
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	ck := &checkpointer{every: 2}
	ctx, err := ck.start(context.Background(), sim, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(tmp, checkpointDir)); err != nil {
		t.Fatal(err)
	}
	_, _, runErr := runSimulation(ctx, sim, 1000)
	err = ck.finish(sim, runErr)
	if err == nil || !strings.HasPrefix(err.Error(), "checkpoint at period 2: ") || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("finish = %v", err)
	}
	if exitCode(err) != exitFailure {
		t.Errorf("exit %d, want %d", exitCode(err), exitFailure)
	}
	if sim.Period() >= 1000 {
		t.Error("the run did not stop")
	}
}

// TestWriteCheckpointFile checks the atomic write: no temporary file is
// left, and the file resumes.
func TestWriteCheckpointFile(t *testing.T) {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(3)
	dir := t.TempDir()
	name, err := writeCheckpointFile(dir, sim)
	if err != nil || name != "period-000003.ckpt" {
		t.Fatalf("writeCheckpointFile = %q, %v", name, err)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{name}) {
		t.Errorf("folder holds %v", got)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := bam.Resume(f)
	if err != nil || r.Period() != 3 {
		t.Errorf("Resume: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
}

// TestCheckpointsSurviveInterruption (issue 12, case 1): a run stopped
// (Ctrl-C or SIGTERM cancel its context) after writing checkpoints keeps
// them beside the target, says where on stderr, and --resume continues
// the latest of them.
func TestCheckpointsSurviveInterruption(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if m, _ := filepath.Glob(filepath.Join(dir, ".*", checkpointDir, "period-*.ckpt")); len(m) >= 2 {
				cancel()
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
		cancel()
	}()
	var so, se bytes.Buffer
	code := run(ctx, []string{"run", "--periods", "1000000", "--checkpoint-every", "5", "--out", out}, &so, &se)
	if code != exitSIGINT {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitSIGINT, se.String())
	}
	kept := out + ".checkpoints"
	files, _ := filepath.Glob(filepath.Join(kept, "period-*.ckpt"))
	if len(files) < 2 {
		t.Fatalf("%d checkpoints kept in %s; stderr %q", len(files), kept, se.String())
	}
	if !strings.Contains(se.String(), "kept the") || !strings.Contains(se.String(), kept) {
		t.Errorf("stderr does not say where the checkpoints are: %q", se.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the interrupted run's output folder exists")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary folders left: %v", left)
	}
	latest := files[len(files)-1]
	info := readCheckpointPeriod(t, latest)
	r := bamRun(t, "run", "--quiet", "--resume", latest, "--periods", fmt.Sprint(info+10), "--out", filepath.Join(dir, "resumed"))
	if r.code != exitOK {
		t.Errorf("--resume %s: exit %d, %s", latest, r.code, r.stderr)
	}
}

// readCheckpointPeriod returns the period of the checkpoint file path.
func readCheckpointPeriod(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := bam.ReadCheckpointInfo(f)
	if err != nil {
		t.Fatal(err)
	}
	return info.Period
}

// TestResumeCollapsedRefused (issue 12, case 9): --resume of a checkpoint
// whose economy collapsed is bad input, not an empty run.
func TestResumeCollapsedRefused(t *testing.T) {
	p := ecs.DefaultParams()
	zero := 0.0
	p.NetWorthInit = &zero
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(5)
	if !sim.Collapsed() {
		t.Fatal("the economy did not collapse")
	}
	dir := t.TempDir()
	name, err := writeCheckpointFile(dir, sim)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r := bamRun(t, "run", "--resume", filepath.Join(dir, name), "--out", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "collapsed at period") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output folder was written")
	}
}

// TestStaleTempCleaned checks the cleanup of a run killed with kill -9
// (issue 12, case 12): its temporary folder, tagged with a process that
// ended, is removed by the next run in the same folder, with a line saying
// so; its checkpoints are kept in NAME.checkpoints first, and --resume of
// the latest continues to the same result as an uninterrupted run.
func TestStaleTempCleaned(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"run", "-q", "--seed", "2", "--periods", "30"}, small...)
	// The checkpoints a run would have left: those of a finished run.
	src := filepath.Join(dir, "src")
	if r := bamRun(t, append(args, "--checkpoint-every", "10", "--out", src)...); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skipf("cannot run a child process to get an ended PID: %v", err)
	}
	_, host, _ := owner.Parse(owner.Tag())
	stale := filepath.Join(dir, fmt.Sprintf(".killed.tmp-%d@%s-42", ended.Process.Pid, host))
	if err := os.MkdirAll(filepath.Join(stale, checkpointDir), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"period-000010.ckpt", "period-000020.ckpt"} {
		b, err := os.ReadFile(filepath.Join(src, checkpointDir, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stale, checkpointDir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(stale, "economy.csv"), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A stale folder without checkpoints is removed too.
	empty := filepath.Join(dir, fmt.Sprintf(".other.tmp-%d@%s-7", ended.Process.Pid, host))
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}

	r := bamRun(t, append(args, "--out", filepath.Join(dir, "next"))...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	kept := filepath.Join(dir, "killed.checkpoints")
	latest := filepath.Join(kept, "period-000020.ckpt")
	for _, want := range []string{
		fmt.Sprintf("removed %s, the unfinished output of process %d, which ended; kept its checkpoints in %s (continue with --resume %s)", stale, ended.Process.Pid, kept, latest),
		fmt.Sprintf("removed %s, the unfinished output of process %d, which ended\n", empty, ended.Process.Pid),
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr %q does not contain %q", r.stderr, want)
		}
	}
	for _, gone := range []string{stale, empty} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", gone, err)
		}
	}
	resumed := filepath.Join(dir, "resumed")
	if r := bamRun(t, "run", "-q", "--resume", latest, "--out", resumed); r.code != exitOK {
		t.Fatalf("resume: exit %d: %s", r.code, r.stderr)
	}
	a, _ := os.ReadFile(filepath.Join(src, "economy.csv"))
	b, _ := os.ReadFile(filepath.Join(resumed, "economy.csv"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the run resumed from the kept checkpoint differs from the uninterrupted run")
	}
}
