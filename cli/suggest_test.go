package cli

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	commands := []string{"run", "pipeline", "params", "bench", "validate", "stability", "sweep", "compare", "robustness", "calibrate", "plot", "version", "help", "h"}
	runFlags := []string{"help", "h", "seed", "periods", "firms", "households", "banks", "set", "out", "log-level", "quiet", "q", "plot"}
	tests := []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"runn", commands, []string{"run"}},
		{"RUN", commands, nil}, // the same word: nothing to suggest (and case is ignored)
		{"ru", commands, []string{"run"}},
		{"r", commands, []string{"run", "robustness"}}, // prefixes
		{"x", commands, nil},                           // one letter is never a typo of "h"
		{"stabilty", commands, []string{"stability"}},
		{"valdiate", commands, []string{"validate"}},
		{"benhc", commands, []string{"bench"}},
		{"frobnicate", commands, nil},
		{"sed", runFlags, []string{"seed"}}, // "set" is as near, but "sed" misses a letter of "seed"
		{"seeds", runFlags, []string{"seed"}},
		{"per", runFlags, []string{"periods"}}, // a prefix beats a distance of 2 ("set")
		{"s", runFlags, []string{"seed", "set"}},
		{"quite", runFlags, []string{"quiet"}},
		{"firm", runFlags, []string{"firms"}},
		{"bnaks", runFlags, []string{"banks"}},
		{"log", runFlags, []string{"log-level"}},
		{"zzzz", runFlags, nil},
		{"p", []string{"a1", "a2", "pa", "pb", "pc", "pd"}, []string{"pa", "pb", "pc"}}, // at most three
	}
	for _, tt := range tests {
		if got := suggest(tt.word, tt.candidates); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestDidYouMean runs the command line with unknown commands and flags:
// one line on stderr naming what was typed, flags with two dashes, the
// suggestion, exit status 2, nothing on stdout.
func TestDidYouMean(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/merg", []byte("n_periods = 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tests := []struct {
		args []string
		want []string // substrings of the line, in order
		not  []string // substrings it must not have
	}{
		{[]string{"runn"}, []string{`unknown command "runn"`, `did you mean "run"?`, "see bam --help"}, nil},
		{[]string{"valdiate", "baseline"}, []string{`unknown command "valdiate"`, `"validate"`}, nil},
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate"`, "commands: run, pipeline", "version"}, []string{"did you mean"}},
		{[]string{"help", "runn"}, []string{`unknown command "runn"`, `did you mean "run"?`}, nil},
		{[]string{"calibrate", "morriss"}, []string{`calibrate: unknown subcommand "morriss"`, `did you mean "morris"?`, "see bam calibrate --help"}, nil},
		{[]string{"calibrate", "nosuch"}, []string{`unknown subcommand "nosuch"`, "subcommands: morris, oat"}, nil},
		{[]string{"help", "calibrate", "morriss"}, []string{`calibrate: unknown subcommand "morriss"`, `"morris"`}, nil},
		{[]string{"calibrate", "help", "morriss"}, []string{`calibrate: unknown subcommand "morriss"`, `"morris"`}, nil},
		{[]string{"calibrate", "morris", "slrum"}, []string{`calibrate morris: unknown subcommand "slrum"`, `did you mean "slurm"?`}, nil},
		{[]string{"stability", "mrege"}, []string{`stability: unknown subcommand "mrege"`, `did you mean "merge"?`}, nil},
		{[]string{"stability", "baseline"}, []string{"scenarios are given with --scenario"}, []string{"did you mean"}}, // the command's own message
		{[]string{"sweep", "mrege"}, []string{`sweep: unknown subcommand "mrege"`, `"merge"`}, nil},
		{[]string{"sweep", "merg", "--seeds", "1"}, []string{"sweep"}, []string{"unknown subcommand"}}, // an existing file: a scenario
		{[]string{"run", "--sed", "3"}, []string{"run: unknown flag --sed", "did you mean --seed?", "see bam run --help"}, []string{" -sed"}},
		{[]string{"run", "-sed=3"}, []string{"unknown flag --sed", "--seed?"}, nil},
		{[]string{"run", "--per", "3"}, []string{"unknown flag --per", "did you mean --periods?"}, nil},
		{[]string{"run", "--nope"}, []string{"run: unknown flag --nope (see bam run --help)"}, []string{"did you mean"}},
		{[]string{"--verison"}, []string{"unknown flag --verison", "did you mean --version?", "see bam --help"}, nil},
		{[]string{"validate", "--seed-strat", "3"}, []string{"validate: unknown flag --seed-strat", "--seed-start?"}, nil},
		{[]string{"calibrate", "morris", "--trajectoires", "3"}, []string{"calibrate morris: unknown flag --trajectoires", "--trajectories?"}, nil},
		{[]string{"stability", "merge", "--gaet", "1"}, []string{"stability merge: unknown flag --gaet", "--gate?"}, nil},
		{[]string{"run", "--periods"}, []string{"run: flag needs an argument: --periods"}, []string{" -periods"}},
		{[]string{"run", "--checkpoint-every", "x"}, []string{`invalid value "x" for flag --checkpoint-every`}, []string{" -checkpoint"}},
		{[]string{"run", "--quiet=maybe"}, []string{`invalid boolean value "maybe" for --quiet`}, []string{" -quiet"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := bamRun(t, tt.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %q", r.code, exitUsage, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
			l := lines(r.stderr)
			if len(l) != 1 || !strings.HasPrefix(l[0], "bam: ") {
				t.Fatalf("stderr is not one line \"bam: ...\": %q", r.stderr)
			}
			rest := l[0]
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("%q lacks %q (in this order: %q)", l[0], w, tt.want)
					break
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tt.not {
				if strings.Contains(l[0], w) {
					t.Errorf("%q has %q", l[0], w)
				}
			}
		})
	}
}
