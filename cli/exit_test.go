package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bam-abm/bam/validation/stability"
)

// TestExitStatusScheme checks the one exit-status scheme of every command
// (docs/reliability.md): 0 success, 1 a check failed after the work,
// 2 bad input (flags, values, unusable input files or output targets),
// 3 an I/O or internal failure. Each row is a way a command ends; the
// message is one line that names the cause.
func TestExitStatusScheme(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder whose journal is damaged (its first line is no header).
	damaged := filepath.Join(dir, "damaged")
	if err := os.MkdirAll(damaged, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(damaged, "baseline.journal.jsonl"), []byte("garbage\n{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Two studies of different lengths, to be merged.
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if r := stab(t, a, "--seeds", "1"); r.code != exitOK {
		t.Fatalf("study a: exit %d: %s", r.code, r.stderr)
	}
	if r := bamRun(t, "stability", "--scenario", "baseline", "--seeds", "1", "--seed-start", "9", "--periods", "60", "--gate", "0", "--out", b); r.code != exitOK {
		t.Fatalf("study b: exit %d: %s", r.code, r.stderr)
	}
	// A journal locked by another study in progress.
	locked := filepath.Join(dir, "locked")
	if err := os.MkdirAll(locked, 0o755); err != nil {
		t.Fatal(err)
	}
	j, _, err := stability.Open(filepath.Join(locked, "baseline.journal.jsonl"), stability.Header{Scenario: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	emptyRun := filepath.Join(dir, "empty")
	if err := os.MkdirAll(emptyRun, 0o755); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"params", []string{"params"}, exitOK, ""},
		{"gate failed", []string{"validate", "--periods", "30", "--seeds", "2"}, exitCheckFailed, "below the gate"},
		{"non-finite state", []string{"run", "-q", "--set", "new_firm_price_markup=1e300", "--periods", "300", "--out", filepath.Join(dir, "nan")}, exitCheckFailed, "is NaN"},
		{"results differ", []string{"stability", "compare", "--exact", filepath.Join(a, "baseline.json"), filepath.Join(b, "baseline.json")}, exitCheckFailed, "differ"},
		{"unknown flag", []string{"run", "--sed", "1"}, exitUsage, "unknown flag --sed; did you mean --seed?"},
		{"value out of range", []string{"run", "--seed", "-1"}, exitUsage, "--seed"},
		{"unknown command", []string{"runn"}, exitUsage, "unknown command"},
		{"merge of a missing folder", []string{"stability", "merge", filepath.Join(dir, "nowhere")}, exitUsage, "no such folder"},
		{"merge of different studies", []string{"stability", "merge", "--out", filepath.Join(dir, "m"), a, b}, exitUsage, "different studies"},
		{"damaged journal", append(append([]string{"stability"}, smallStudy...), "--out", damaged), exitUsage, "not a bam stability journal"},
		{"plot of a folder that is no run", []string{"plot", emptyRun}, exitUsage, emptyRun},
		{"output under a file", append([]string{"run", "-q", "--periods", "3", "--out", filepath.Join(blocker, "out")}, small...), exitFailure, "not a directory"},
		{"locked journal", append(append([]string{"stability"}, smallStudy...), "--out", locked), exitFailure, "in use by another process"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bamRun(t, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			if tt.code == exitOK {
				return
			}
			if !strings.Contains(r.stderr, tt.msg) || len(lines(r.stderr)) != 1 {
				t.Errorf("stderr %q; want one line containing %q", r.stderr, tt.msg)
			}
		})
	}
}

// TestSignalExitStatus checks that a command stopped by SIGINT exits with
// 130 and one stopped by SIGTERM (a Slurm time limit) with 143, as a shell
// reports a process killed by the signal. The signal is sent to this very
// process, whose handler (the one Main installs) catches it.
func TestSignalExitStatus(t *testing.T) {
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, exitSIGINT}, {syscall.SIGTERM, exitSIGTERM}, {syscall.SIGHUP, exitSIGHUP}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			ctx, stop := notifySignals(context.Background())
			defer stop()
			var so, se bytes.Buffer
			done := make(chan int, 1)
			out := filepath.Join(t.TempDir(), "out")
			go func() {
				done <- runEnv(ctx, []string{"stability", "--scenario", "baseline", "--seeds", "100000", "--gate", "0", "--out", out},
					&env{stdout: &so, stderr: &se, now: time.Now})
			}()
			time.Sleep(200 * time.Millisecond)
			if err := syscall.Kill(os.Getpid(), tt.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case code := <-done:
				if code != tt.code || !strings.Contains(se.String(), "interrupted") {
					t.Errorf("exit %d, want %d; stderr %q", code, tt.code, se.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the run did not stop on the signal")
			}
		})
	}
}

// TestHelpListsExitStatus checks that bam --help lists every exit status.
func TestHelpListsExitStatus(t *testing.T) {
	r := bamRun(t, "--help")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, code := range []int{exitOK, exitCheckFailed, exitUsage, exitFailure, exitSIGINT, exitSIGTERM, exitSIGHUP} {
		listed := strings.Contains(r.stdout, "; "+strconv.Itoa(code)+" by")
		for _, l := range lines(r.stdout) {
			if f := strings.Fields(l); len(f) > 1 && f[0] == strconv.Itoa(code) {
				listed = true
			}
		}
		if !listed {
			t.Errorf("bam --help does not list exit status %d", code)
		}
	}
}
