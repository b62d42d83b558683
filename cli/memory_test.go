package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMemoryRefusals checks that the inputs that used to exhaust memory
// (issue 12, case 6) are refused before anything is built or written: exit
// 2, one line on stderr that names what to lower and the estimate, and no
// output folder.
func TestMemoryRefusals(t *testing.T) {
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	limit := []string{"--max-memory", "16GiB"}
	tests := []struct {
		name string
		args []string
		msg  []string // every one in the line
		out  string   // the folder that must not exist afterwards ("" none)
	}{
		{"firms", append([]string{"run", "--firms", "2147483647", "--out", out("f")}, limit...),
			[]string{"the run needs about", "TiB, mostly the agents (n_firms, n_households, n_banks)", "more than the 16 GiB available (--max-memory)"}, out("f")},
		{"households by default", []string{"run", "--households", "2147483647", "--out", out("h")},
			[]string{"the run needs about", "mostly the agents", "available", "--max-memory (0 turns the check off)"}, out("h")},
		{"periods", append([]string{"run", "--periods", "2147483647", "--out", out("p")}, limit...),
			[]string{"about 544 GiB, mostly the economy series (n_periods rows)"}, out("p")},
		{"queues", append([]string{"run", "--households", "10000000", "--set", "max_M=1000", "--out", out("q")}, limit...),
			[]string{"mostly the application queues (n_households × max_M"}, out("q")},
		{"collection", append([]string{"run", "--households", "2000000", "--periods", "2000", "--collect", "Worker.wage", "--out", out("c")}, limit...),
			[]string{"mostly the collected variables"}, out("c")},
		{"a tight limit", []string{"run", "--max-memory", "1KiB", "--out", out("k")},
			[]string{"embedded:baseline: the run needs about", "more than the 1.0 KiB available (--max-memory)"}, out("k")},
		// One such simulation (about 220 MiB) fits; four at once do not.
		{"workers multiply", []string{"validate", "--firms", "100000", "--households", "500000", "--periods", "2", "--seeds", "8", "--workers", "4", "--max-memory", "300MiB"},
			[]string{"4 simulations at once (--workers) need about"}, ""},
		{"stability", []string{"stability", "--scenario", "baseline", "--seeds", "2", "--workers", "2", "--firms", "2147483647", "--out", out("s")},
			[]string{"2 simulations at once (--workers) need"}, out("s")},
		{"pipeline", []string{"pipeline", "--set", "n_firms=2147483647", "--max-memory", "16GiB"},
			[]string{"the run needs about"}, ""},
		{"bad size", []string{"run", "--max-memory", "lots", "--out", out("b")},
			[]string{`--max-memory lots: want a size such as 8GiB or 500MB, or 0 (off)`}, out("b")},
		{"max_M", []string{"run", "--set", "max_M=100000000", "--out", out("m")},
			[]string{"max_M = 100000000 is out of range: want integer in [1, 1000]"}, out("m")},
		{"max_Z", []string{"run", "--set", "max_Z=1001", "--out", out("z")},
			[]string{"max_Z = 1001 is out of range: want integer in [1, 1000]"}, out("z")},
		{"repeat count", []string{"pipeline", writeScenario(t, dir, "rep.toml", "pipeline = [\"labor_market_round x 1000000000\"]\n")},
			[]string{"repeat count must be in [0, 1000]"}, ""},
		{"endless scenario file", []string{"run", "/dev/zero", "--out", out("z0")},
			[]string{"/dev/zero: larger than 1024 KiB: not a scenario file"}, out("z0")},
		{"resume of a device", []string{"run", "--resume", "/dev/zero", "--out", out("r0")},
			[]string{"--resume /dev/zero: not a regular file"}, out("r0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.HasPrefix(strings.Join(tt.args, " "), "run /dev/zero") || strings.Contains(strings.Join(tt.args, " "), "--resume /dev/zero") {
				if _, err := os.Stat("/dev/zero"); err != nil {
					t.Skip("no /dev/zero on this system")
				}
			}
			r := bamRun(t, tt.args...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, exitUsage, r.stderr)
			}
			if l := lines(r.stderr); len(l) != 1 {
				t.Fatalf("stderr has %d lines, want 1:\n%s", len(l), r.stderr)
			}
			for _, m := range tt.msg {
				if !strings.Contains(r.stderr, m) {
					t.Errorf("stderr %q does not contain %q", r.stderr, m)
				}
			}
			if tt.out != "" {
				if _, err := os.Stat(tt.out); !os.IsNotExist(err) {
					t.Errorf("%s exists after a refused run (%v)", tt.out, err)
				}
			}
		})
	}
}

// TestMemoryCheckOff checks that --max-memory 0 (and off) turn the check
// off and that a run within the limit runs.
func TestMemoryCheckOff(t *testing.T) {
	for _, limit := range []string{"0", "off", "2GiB", "2 GB"} {
		t.Run(limit, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			r := bamRun(t, append([]string{"run", "-q", "--periods", "5", "--max-memory", limit, "--out", out}, small...)...)
			if r.code != exitOK {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if _, err := os.Stat(filepath.Join(out, "economy.csv")); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// writeScenario writes a scenario file into dir and returns its path.
func writeScenario(t *testing.T, dir, name, doc string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
