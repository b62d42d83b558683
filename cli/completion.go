package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/scenarios"
)

// Shell completion. The app has urfave/cli's completion on
// (EnableBashCompletion): given the words typed so far followed by
// --generate-bash-completion, the program prints the candidates for the
// word being typed, from the same command tree it runs, so that the
// completion of a program of the user's (cli.Main with options) is its
// own. The scripts that `bam completion SHELL` prints ask the program in
// that way, in bash, zsh and fish alike, always passing the word being
// typed (possibly empty) last. The candidates (complete, below) are the
// command's flags for a word that starts with a dash, else its
// subcommands and, for a command that takes a SCENARIO, the scenario
// names; nothing after a flag that takes a value. With no candidate the
// shells complete file names (SCENARIO files, run folders, --out DIR).

// completionFlag is the flag the completion scripts append to the words
// typed so far (urfave/cli's protocol).
const completionFlag = "--generate-bash-completion"

// completing reports whether args (without the program name) ask for
// completions.
func completing(args []string) bool {
	return len(args) > 0 && args[len(args)-1] == completionFlag
}

// shells are the shells `bam completion` writes a script for, with how to
// install it ({{p}} stands for the program's name).
var shells = []struct {
	name, install string
	script        func(prog, fn string) string
}{
	{"bash", "source <({{p}} completion bash) in ~/.bashrc, or once:\n" +
		"  mkdir -p ~/.local/share/bash-completion/completions\n" +
		"  {{p}} completion bash > ~/.local/share/bash-completion/completions/{{p}}", bashScript},
	{"zsh", "source <({{p}} completion zsh) in ~/.zshrc (after compinit), or once, into a\n" +
		"folder of $fpath:\n" +
		"  {{p}} completion zsh > \"${fpath[1]}/_{{p}}\"", zshScript},
	{"fish", "once:\n" +
		"  {{p}} completion fish > ~/.config/fish/completions/{{p}}.fish", fishScript},
}

// completionCommand is `bam completion bash|zsh|fish`.
func completionCommand(e *env) *cli.Command {
	prog := e.program()
	var subs []*cli.Command
	var names []string
	for _, sh := range shells {
		names = append(names, sh.name)
		subs = append(subs, &cli.Command{
			Name:  sh.name,
			Usage: "print the " + sh.name + " completion script",
			Description: "Prints the " + sh.name + " script that completes " + prog + "'s commands and flags. Install it with\n" +
				strings.ReplaceAll(sh.install, "{{p}}", prog),
			Action: func(c *cli.Context) error {
				if c.NArg() > 0 {
					return badInput("completion %s: unexpected argument %s; usage: %s completion %s", sh.name, quoteArgs(c.Args().Slice()), prog, sh.name)
				}
				if _, err := fmt.Fprint(e.stdout, sh.script(prog, funcName(prog))); err != nil {
					return fmt.Errorf("writing the %s completion script: %w", sh.name, err)
				}
				return nil
			},
		})
	}
	var install strings.Builder
	for _, sh := range shells {
		fmt.Fprintf(&install, "%s: %s\n", sh.name, strings.ReplaceAll(sh.install, "{{p}}", prog))
	}
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for " + strings.Join(names, ", ") + " (commands and flags)",
		ArgsUsage: strings.Join(names, "|"),
		Description: "Prints a script that completes " + prog + "'s commands, subcommands and flags in the shell;\n" +
			"the program itself lists the candidates, so the completion follows its commands.\n" +
			strings.TrimSuffix(install.String(), "\n"),
		Subcommands: subs,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return unknownCommand(e, " completion", c.Args().First(), c.Command.Subcommands)
			}
			return badInput("completion: name the shell: %s completion %s", prog, strings.Join(names, "|"))
		},
	}
}

// funcName returns a shell function name for the program prog: "_" and
// prog with every character that is not a letter, digit or '_' made '_'.
func funcName(prog string) string {
	return "_" + strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, prog)
}

// setCompletion gives every command of cmds, and their subcommands, the
// completion of complete.
func setCompletion(e *env, cmds []*cli.Command) {
	for _, c := range cmds {
		c.BashComplete = e.complete(func() []cli.Flag { return c.Flags }, c.Subcommands, c.ArgsUsage)
		setCompletion(e, c.Subcommands)
	}
}

// complete returns the completion of a command with the flags flags, the
// subcommands subs and the arguments argsUsage: it prints the candidates
// for the last of e.words, the word being typed, one a line.
func (e *env) complete(flags func() []cli.Flag, subs []*cli.Command, argsUsage string) cli.BashCompleteFunc {
	return func(c *cli.Context) {
		var cur, prev string
		if n := len(e.words); n > 0 {
			cur = e.words[n-1]
			if n > 1 {
				prev = e.words[n-2]
			}
		}
		if takesValue(prev, flags()) {
			return // the flag's value: the shell completes file names
		}
		var out []string
		add := func(w string) {
			if strings.HasPrefix(w, cur) && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
		if strings.HasPrefix(cur, "-") {
			for _, n := range flagNames(flags()) {
				add(dashed(n))
			}
		} else {
			for _, n := range visibleNames(subs) {
				add(n)
			}
			if strings.Contains(argsUsage, "SCENARIO") {
				for _, n := range scenarios.Names() {
					add(n)
				}
			}
		}
		for _, w := range out {
			fmt.Fprintln(e.stdout, w)
		}
	}
}

// takesValue reports whether word is a flag of flags that takes a value
// in the next word (not a boolean, not written --name=value).
func takesValue(word string, flags []cli.Flag) bool {
	if !strings.HasPrefix(word, "-") || strings.Contains(word, "=") {
		return false
	}
	name := strings.TrimLeft(word, "-")
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			df, ok := f.(cli.DocGenerationFlag)
			return ok && df.TakesValue()
		}
	}
	return false
}

// bashScript is the bash completion of prog, in the function fn: the words
// before the cursor and the one being typed are passed back to prog with
// --generate-bash-completion; no candidate falls back to file names (-o
// default).
func bashScript(prog, fn string) string {
	return strings.NewReplacer("{{p}}", prog, "{{fn}}", fn, "{{flag}}", completionFlag).Replace(`# bash completion for {{p}}: {{p}} completion bash
# (urfave/cli's protocol: {{p}} WORDS... {{flag}} prints the candidates)
{{fn}}_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$("${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" {{flag}} 2>/dev/null)" -- "$cur"))
}
complete -o bashdefault -o default -F {{fn}}_complete {{p}}
`)
}

// zshScript is the zsh completion of prog (a #compdef file, or sourced):
// file names when prog has no candidate.
func zshScript(prog, fn string) string {
	return strings.NewReplacer("{{p}}", prog, "{{fn}}", fn, "{{flag}}", completionFlag).Replace(`#compdef {{p}}
# zsh completion for {{p}}: {{p}} completion zsh
# (urfave/cli's protocol: {{p}} WORDS... {{flag}} prints the candidates)
{{fn}}() {
  local -a opts
  opts=("${(@f)$(${words[1,CURRENT-1]} "${words[CURRENT]}" {{flag}} 2>/dev/null)}")
  if [[ -n "${opts[1]}" ]]; then
    compadd -a opts
  else
    _files
  fi
}
if [[ "${funcstack[1]}" == "{{fn}}" ]]; then
  {{fn}} "$@"
else
  compdef {{fn}} {{p}}
fi
`)
}

// fishScript is the fish completion of prog: file names when prog has no
// candidate.
func fishScript(prog, fn string) string {
	return strings.NewReplacer("{{p}}", prog, "{{fn}}", fn, "{{flag}}", completionFlag).Replace(`# fish completion for {{p}}: {{p}} completion fish
# (urfave/cli's protocol: {{p}} WORDS... {{flag}} prints the candidates)
function _{{fn}}_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($words $cur {{flag}} 2>/dev/null)
    if test (count $out) -gt 0
        printf '%s\n' $out
    else
        __fish_complete_path $cur
    end
end
complete -c {{p}} -f -a '(_{{fn}}_complete)'
`)
}
