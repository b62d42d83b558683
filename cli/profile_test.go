package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRunProfiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cpu, mem, tr := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof"), filepath.Join(dir, "trace.out")
	r := bamRun(t, append([]string{"run", "-q", "--periods", "30", "--out", out,
		"--cpuprofile", cpu, "--memprofile", mem, "--trace", tr}, small...)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := entries(t, out); !slices.Equal(got, []string{"economy.csv", "firms.csv", "run.json"}) {
		t.Errorf("output folder holds %v (profiles belong outside it)", got)
	}
	// pprof profiles are gzip-compressed protocol buffers; a trace starts
	// with its version header.
	for _, p := range []string{cpu, mem} {
		if b := []byte(readFile(t, p)); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: not a gzip-compressed profile (%d bytes)", filepath.Base(p), len(b))
		}
	}
	if b := readFile(t, tr); !strings.HasPrefix(b, "go 1.") || !strings.Contains(b[:16], "trace") {
		t.Errorf("trace.out: header %q", b[:min(len(b), 16)])
	}
}

func TestRunProfileErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	prof := filepath.Join(dir, "cpu.prof")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unwritable", []string{"--cpuprofile", filepath.Join(blocker, "cpu.prof")}, exitFailure,
			"--cpuprofile " + filepath.Join(blocker, "cpu.prof") + ": not a directory"},
		{"unwritable trace", []string{"--trace", filepath.Join(dir, "missing", "t.out"), "--cpuprofile", prof}, exitFailure,
			"--trace " + filepath.Join(dir, "missing", "t.out") + ": no such file or directory"},
		{"empty", []string{"--memprofile", ""}, 2, "--memprofile: want a file path"},
		{"same file", []string{"--cpuprofile", prof, "--memprofile", prof}, 2, "same file as --cpuprofile"},
		{"inside out", []string{"--cpuprofile", filepath.Join(out, "cpu.prof")}, 2, "inside the output folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "-q", "--periods", "3", "--out", out}, small...)
			r := bamRun(t, append(args, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) || len(lines(r.stderr)) != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.msg)
			}
			// Nothing is left behind: no output folder, no profile.
			if got := entries(t, dir); !slices.Equal(got, []string{"file"}) {
				t.Errorf("folder holds %v", got)
			}
		})
	}
}

func TestRunProfilesRemovedOnInterrupt(t *testing.T) {
	// An interrupted run leaves neither an output folder nor profiles.
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(50*time.Millisecond, cancel)
	var so, se bytes.Buffer
	code := run(ctx, []string{"run", "--periods", "100000", "--out", filepath.Join(dir, "out"),
		"--cpuprofile", filepath.Join(dir, "cpu.prof"), "--memprofile", filepath.Join(dir, "mem.prof"),
		"--trace", filepath.Join(dir, "trace.out")}, &so, &se)
	if code != exitSIGINT {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitSIGINT, se.String())
	}
	if got := entries(t, dir); len(got) != 0 {
		t.Errorf("folder holds %v after an interrupted run", got)
	}
}
