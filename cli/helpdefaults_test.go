package cli

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// commandPaths returns the path of every visible command of cmds and
// their subcommands ("calibrate morris slurm").
func commandPaths(prefix string, cmds []*cli.Command) [][]string {
	var out [][]string
	for _, c := range cmds {
		if c.Hidden {
			continue
		}
		p := append(append([]string(nil), strings.Fields(prefix)...), c.Name)
		out = append(out, p)
		out = append(out, commandPaths(strings.Join(p, " "), c.Subcommands)...)
	}
	return out
}

// TestHelpDefaults reads the help of every command: numeric defaults are
// numbers, not quoted strings; booleans that are off show no default.
func TestHelpDefaults(t *testing.T) {
	app := newApp(&env{stdout: io.Discard, stderr: io.Discard, now: time.Now})
	quotedNumber := regexp.MustCompile(`\(default: "[-+]?[0-9.]+(e[-+]?[0-9]+)?"\)`)
	paths := append([][]string{nil}, commandPaths("", app.Commands)...)
	for _, p := range paths {
		r := bamRun(t, append(p, "--help")...)
		if r.code != 0 {
			t.Fatalf("%v --help: exit %d, stderr %q", p, r.code, r.stderr)
		}
		if m := quotedNumber.FindString(r.stdout); m != "" {
			t.Errorf("bam %s --help shows a number as a string: %s", strings.Join(p, " "), m)
		}
		if strings.Contains(r.stdout, "(default: false)") {
			t.Errorf("bam %s --help shows (default: false)", strings.Join(p, " "))
		}
	}
}

// TestHelpDefaultValues checks what the help says of flags whose default
// depends on the scenario or the run length.
func TestHelpDefaultValues(t *testing.T) {
	tests := []struct {
		cmd  []string
		flag string // the flag's help line starts with it
		want string // its default
	}{
		{[]string{"run"}, "--periods N", "(default: the scenario's n_periods, 1000 for baseline)"},
		{[]string{"run"}, "--seed SEED", "(default: the scenario's seed, 0 for baseline)"},
		{[]string{"run"}, "--firms N", "(default: the scenario's n_firms, 100 for baseline)"},
		{[]string{"run"}, "--checkpoint-every K", "(default: 0, no checkpoints)"},
		{[]string{"validate"}, "--seeds N", "(default: 1)"},
		{[]string{"validate"}, "--gate RATE", "(default: 0.962)"},
		{[]string{"validate"}, "--burn-in B", "(default: 500; n_periods/2 if n_periods ≤ 500)"},
		{[]string{"stability"}, "--burn-in B", "(default: 500; n_periods/2 if n_periods ≤ 500)"},
		{[]string{"stability"}, "--seeds N", "(default: 1000)"},
		{[]string{"robustness"}, "--burn-in B", "(default: 500; n_periods/2 if n_periods ≤ 500)"},
		{[]string{"sweep"}, "--burn-in B", "(default: n_periods/2, 500 for baseline)"},
		{[]string{"compare"}, "--burn-in B", "(default: n_periods/2, 500 for baseline)"},
		{[]string{"calibrate", "morris"}, "--burn-in B", "(default: n_periods/2, 500 for baseline)"},
		{[]string{"calibrate", "morris"}, "--threshold X", "(default: 0.02)"},
		{[]string{"sweep"}, "--workers W", "(default: the number of CPUs, "},
		{[]string{"bench"}, "--workers W", "(default: the number of CPUs, "},
		{[]string{"run"}, "--log-level LEVEL", `(default: "warn")`}, // a word stays a quoted string
	}
	for _, tt := range tests {
		r := bamRun(t, append(tt.cmd, "--help")...)
		var line string
		for _, l := range lines(r.stdout) {
			if strings.HasPrefix(strings.TrimSpace(l), tt.flag+" ") {
				line = l
			}
		}
		if line == "" {
			t.Errorf("bam %s --help has no line for %s", strings.Join(tt.cmd, " "), tt.flag)
			continue
		}
		if !strings.Contains(line, tt.want) {
			t.Errorf("bam %s --help: %s\nwant %s", strings.Join(tt.cmd, " "), strings.TrimSpace(line), tt.want)
		}
	}
}

func TestIsNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "1000": true, "0.962": true, "-1": true, "1e3": true,
		"": false, "auto": false, "all": false, "0x10": false, "1_000": false, "inf": false, "NaN": false, "100:10": false,
	} {
		if got := isNumber(s); got != want {
			t.Errorf("isNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
