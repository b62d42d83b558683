package study

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/internal/owner"
)

func TestParseJobID(t *testing.T) {
	for in, want := range map[string]string{"123\n": "123", "45;cluster\n": "45", "": "", "Submitted batch job 7": "", "-3": ""} {
		if got := ParseJobID(in); got != want {
			t.Errorf("ParseJobID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain/path-1.2": "plain/path-1.2", "": "''", "a b": "'a b'", "it's": `'it'\''s'`, "$HOME": "'$HOME'",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// testPlan is a plan with every field set.
func testPlan(dir string) *SlurmPlan {
	return &SlurmPlan{
		Program: "minwage", Command: "stability", What: "a seed-stability study", JobName: "bam-stability",
		Out: dir, LogDir: filepath.Join(dir, "slurm", "logs"),
		ArrayPath: filepath.Join(dir, "slurm", "a.sbatch"), MergePath: filepath.Join(dir, "slurm", "m.sbatch"),
		Shards: 4, CPUs: 2, Partition: "short", Time: "1:00:00",
		Task:  []string{"/opt/my bin/minwage", "stability", "--seeds", "100", "--out", dir},
		Merge: []string{"/opt/my bin/minwage", "stability", "merge", dir, "--out", dir},
	}
}

func TestSlurmScripts(t *testing.T) {
	dir := t.TempDir()
	p := testPlan(dir)
	if err := p.Write(); err != nil {
		t.Fatal(err)
	}
	arr, err := os.ReadFile(p.ArrayPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#!/bin/bash\n", "# minwage stability: shard $SLURM_ARRAY_TASK_ID of 4 of a seed-stability study.\n",
		"#SBATCH --job-name=bam-stability\n", "#SBATCH --array=0-3\n", "#SBATCH --cpus-per-task=2\n",
		"#SBATCH --partition=short\n", "#SBATCH --time=1:00:00\n", "#SBATCH --chdir=" + dir + "\n",
		"#SBATCH --output=" + filepath.Join(dir, "slurm", "logs", "shard-%A_%a.out") + "\n",
		"exec '/opt/my bin/minwage' stability --seeds 100 --out " + ShellQuote(dir) + ` --workers "${SLURM_CPUS_PER_TASK:-2}" --shard "${SLURM_ARRAY_TASK_ID}/4"` + "\n",
	} {
		if !strings.Contains(string(arr), want) {
			t.Errorf("array script lacks %q:\n%s", want, arr)
		}
	}
	merge, err := os.ReadFile(p.MergePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#SBATCH --job-name=bam-stability-merge\n", "#SBATCH --cpus-per-task=1\n",
		"exec '/opt/my bin/minwage' stability merge " + ShellQuote(dir) + " --out " + ShellQuote(dir) + "\n"} {
		if !strings.Contains(string(merge), want) {
			t.Errorf("merge script lacks %q:\n%s", want, merge)
		}
	}
	if fi, err := os.Stat(p.ArrayPath); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("array script not executable: %v", err)
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		for _, f := range []string{p.ArrayPath, p.MergePath} {
			if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
				t.Errorf("bash -n %s: %v: %s", f, err, out)
			}
		}
	}
}

func TestSlurmPlanCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*SlurmPlan)
		want string
	}{
		{"no shards", func(p *SlurmPlan) { p.Shards = 0 }, "shards 0"},
		{"no cpus", func(p *SlurmPlan) { p.CPUs = 0 }, "cpus 0"},
		{"partition", func(p *SlurmPlan) { p.Partition = "a b" }, "partition"},
		{"time", func(p *SlurmPlan) { p.Time = "$(x)" }, "time"},
		{"time garbage", func(p *SlurmPlan) { p.Time = "garbage" }, "want a Slurm time limit"},
		{"no task", func(p *SlurmPlan) { p.Task = nil }, "no task"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPlan(t.TempDir())
			tc.edit(p)
			if err := p.Write(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if _, err := os.Stat(p.ArrayPath); err == nil {
				t.Error("a script was written for a bad plan")
			}
		})
	}
}

func TestSubmitWithoutSbatch(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	p := testPlan(t.TempDir())
	if _, _, err := p.Submit(context.Background()); err != ErrNoSbatch {
		t.Errorf("error %v, want ErrNoSbatch", err)
	}
}

// TestBuildAt builds a tiny module at its first commit in a worktree.
func TestBuildAt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module with the go command")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on the PATH")
	}
	ctx := context.Background()
	repo := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/hello\n\ngo 1.21\n")
	write("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"first\") }\n")
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "first"}} {
		if _, err := Git(ctx, repo, args...); err != nil {
			t.Fatal(err)
		}
	}
	first, err := Git(ctx, repo, "rev-parse", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	write("main.go", "package main\n\nfunc main() { this does not compile }\n")
	bin, cleanup, err := BuildAt(ctx, repo, first, ".")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin).Output()
	cleanup()
	if err != nil || string(out) != "first\n" {
		t.Errorf("the binary of the first commit printed %q (%v)", out, err)
	}
	if _, err := os.Stat(bin); err == nil {
		t.Error("cleanup left the binary")
	}
	if _, err := Git(ctx, repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "broken"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := BuildAt(ctx, repo, "HEAD", "."); err == nil || !strings.Contains(err.Error(), "does not build") {
		t.Errorf("broken commit: error %v", err)
	}
	if _, _, err := BuildAt(ctx, repo, "no-such-commit", "."); err == nil {
		t.Error("an unknown commit was built")
	}
}

// TestPruneStale checks that PruneStale removes the worktrees BuildAt made
// for a process of this host that ended (kill -9), with their folders, and
// leaves those of a running process and the user's own.
func TestPruneStale(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on the PATH")
	}
	ctx := context.Background()
	repo := t.TempDir()
	if err := os.WriteFile(filepath.Join(repo, "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "first"}} {
		if _, err := Git(ctx, repo, args...); err != nil {
			t.Fatal(err)
		}
	}
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skipf("cannot run a child process to get an ended PID: %v", err)
	}
	running := exec.Command("sleep", "30")
	if err := running.Start(); err != nil {
		t.Skipf("cannot start a child process: %v", err)
	}
	defer func() { _ = running.Process.Kill(); _ = running.Wait() }()
	_, host, _ := owner.Parse(owner.Tag())
	base := t.TempDir()
	add := func(name string, lock ...string) string {
		tmp := filepath.Join(base, name)
		if err := os.Mkdir(tmp, 0o755); err != nil {
			t.Fatal(err)
		}
		wt := filepath.Join(tmp, "worktree")
		args := append([]string{"worktree", "add", "--detach", "--quiet"}, lock...)
		if _, err := Git(ctx, repo, append(args, wt, "HEAD")...); err != nil {
			t.Fatal(err)
		}
		return wt
	}
	stale := add("bam-history-1", "--lock", "--reason", fmt.Sprintf("%s%d@%s", worktreeReason, ended.Process.Pid, host))
	gone := add("bam-history-2", "--lock", "--reason", fmt.Sprintf("%s%d@%s", worktreeReason, ended.Process.Pid, host))
	if err := os.RemoveAll(filepath.Dir(gone)); err != nil { // a stale worktree whose folder /tmp lost
		t.Fatal(err)
	}
	live := add("bam-history-3", "--lock", "--reason", fmt.Sprintf("%s%d@%s", worktreeReason, running.Process.Pid, host))
	user := add("mine")
	userLocked := add("mine-locked", "--lock", "--reason", "my own")

	removed, err := PruneStale(ctx, repo)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if want := []string{stale, gone}; !slices.Equal(removed, want) {
		t.Errorf("PruneStale removed %v, want %v", removed, want)
	}
	if _, err := os.Stat(filepath.Dir(stale)); !os.IsNotExist(err) {
		t.Errorf("the stale worktree's folder is still there (%v)", err)
	}
	list, err := Git(ctx, repo, "worktree", "list", "--porcelain")
	if err != nil {
		t.Fatal(err)
	}
	for _, wt := range []string{live, user, userLocked} {
		if !strings.Contains(list, "worktree "+wt+"\n") {
			t.Errorf("worktree %s was removed:\n%s", wt, list)
		}
	}
	for _, wt := range []string{stale, gone} {
		if strings.Contains(list, wt) {
			t.Errorf("worktree %s is still registered:\n%s", wt, list)
		}
	}
}

func TestValidTime(t *testing.T) {
	for s, want := range map[string]bool{
		"30": true, "30:00": true, "1:00:00": true, "2-0": true, "2-12:30": true, "2-12:30:00": true, "UNLIMITED": true, "infinite": true,
		"": false, "garbage": false, "1h": false, "1:00:00:00": false, "-1": false, "1-": false, "1:2:3 ": false, "$(x)": false,
	} {
		if got := ValidTime(s); got != want {
			t.Errorf("ValidTime(%q) = %v, want %v", s, got, want)
		}
	}
}
