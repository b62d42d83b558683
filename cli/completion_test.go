package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCompletionScripts checks that bam completion writes a script for
// each shell that names the program (its own name under cli.Name) and
// asks it for candidates, and that the shell, where installed, parses it.
func TestCompletionScripts(t *testing.T) {
	for _, prog := range []string{"bam", "min-wage"} {
		for _, sh := range []string{"bash", "zsh", "fish"} {
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, now: time.Now}
			if prog != "bam" {
				e.name = prog
			}
			if code := runEnv(context.Background(), []string{"completion", sh}, e); code != exitOK {
				t.Fatalf("%s completion %s: exit %d, %s", prog, sh, code, errb.String())
			}
			script := out.String()
			for _, want := range []string{"completion for " + prog + ": " + prog + " completion " + sh, completionFlag, funcName(prog)} {
				if !strings.Contains(script, want) {
					t.Errorf("%s completion %s lacks %q:\n%s", prog, sh, want, script)
				}
			}
			var registers string
			switch sh {
			case "bash":
				registers = "complete -o bashdefault -o default -F " + funcName(prog) + "_complete " + prog + "\n"
			case "zsh":
				registers = "#compdef " + prog + "\n"
			case "fish":
				registers = "complete -c " + prog + " -f -a "
			}
			if !strings.Contains(script, registers) {
				t.Errorf("%s completion %s does not register the program (%q):\n%s", prog, sh, registers, script)
			}
			if _, err := exec.LookPath(sh); err != nil {
				continue
			}
			f := filepath.Join(t.TempDir(), "script")
			if err := os.WriteFile(f, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command(sh, "-n", f).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v: %s", sh, err, b)
			}
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "bsh"}, {"completion", "powershell"}, {"completion", "bash", "extra"}} {
		if r := bamRun(t, args...); r.code != exitUsage || len(lines(r.stderr)) != 1 {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestCompletionCandidates asks the program for candidates as the scripts
// do: the words typed, the one being typed last, then the completion flag.
func TestCompletionCandidates(t *testing.T) {
	tests := []struct {
		words []string
		want  []string // exactly these, in this order
		has   []string // at least these
	}{
		{[]string{"ru"}, []string{"run"}, nil},
		{[]string{"r"}, []string{"run", "robustness"}, nil},
		{[]string{""}, nil, []string{"run", "validate", "calibrate", "version", "completion"}},
		{[]string{"calibrate", "mo"}, []string{"morris"}, nil},
		{[]string{"calibrate", "morris", "sl"}, []string{"slurm"}, nil},
		{[]string{"stability", "m"}, []string{"merge"}, nil},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil},
		{[]string{"run", "--pe"}, []string{"--periods"}, nil},
		{[]string{"run", "--s"}, []string{"--seed", "--set"}, nil},
		{[]string{"run", "-"}, nil, []string{"--seed", "--periods", "--quiet", "-q", "--help", "-h"}},
		{[]string{"run", "--periods", ""}, []string{}, nil}, // a value: the shell's file names
		{[]string{"run", "--quiet", "b"}, []string{"baseline", "buffer_stock"}, nil},
		{[]string{"run", "g"}, []string{"growth_plus"}, nil},
		{[]string{"sweep", ""}, []string{"merge", "slurm", "plot", "baseline", "buffer_stock", "growth_plus", "taxation"}, nil},
		{[]string{"plot", ""}, []string{}, nil}, // RUN_DIR: file names
		{[]string{"--v"}, []string{"--version"}, nil},
		{[]string{"validate", "--seed-s"}, []string{"--seed-start"}, nil},
	}
	for _, tt := range tests {
		r := bamRun(t, append(slices.Clone(tt.words), completionFlag)...)
		if r.code != exitOK {
			t.Errorf("%q: exit %d, stderr %q", tt.words, r.code, r.stderr)
			continue
		}
		got := lines(r.stdout)
		if tt.want != nil && !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%q: candidates %q, want %q", tt.words, got, tt.want)
		}
		for _, w := range tt.has {
			if !slices.Contains(got, w) {
				t.Errorf("%q: candidates %q lack %q", tt.words, got, w)
			}
		}
	}
}

// TestCompletionInShells sources each script in its shell (where
// installed) and completes words with this test binary standing in for
// bam.
func TestCompletionInShells(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n" + benchChildEnv + "=1 exec '" + exe + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "bam"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")
	// Each shell completes "bam calibrate mo", "bam run --pe" and "bam ru"
	// and prints the candidates on one line each.
	drivers := map[string]string{
		"bash": `source <(bam completion bash)
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _bam_complete; echo "${COMPREPLY[*]}"; }
t bam calibrate mo; t bam run --pe; t bam ru`,
		"zsh": `autoload -U compinit && compinit -u -d "$ZDOTDIR/.zcompdump"
source <(bam completion zsh)
compadd() { [[ $1 == -a ]] && print -- "${(@P)2}" }
t() { words=("$@"); CURRENT=${#words}; _bam }
t bam calibrate mo; t bam run --pe; t bam ru`,
		"fish": `bam completion fish | source
for w in "bam calibrate mo" "bam run --pe" "bam ru"; echo (complete -C"$w"); end`,
	}
	want := []string{"morris", "--periods", "run"}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			if _, err := exec.LookPath(sh); err != nil {
				t.Skipf("%s is not installed", sh)
			}
			args := []string{"-c", drivers[sh]}
			if sh == "zsh" {
				args = append([]string{"-f"}, args...)
			}
			cmd := exec.Command(sh, args...)
			home := t.TempDir()
			cmd.Env = append(os.Environ(), "PATH="+path, "HOME="+home, "ZDOTDIR="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home)
			b, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s", err, b)
			}
			if got := lines(string(b)); !slices.Equal(got, want) {
				t.Errorf("candidates %q, want %q", got, want)
			}
		})
	}
}
