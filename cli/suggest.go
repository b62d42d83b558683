package cli

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/internal/textdist"
	"github.com/bam-abm/bam/scenarios"
)

// "Did you mean": the suggestions for an unknown command or flag, as go,
// cargo and gh (cobra) make them: a candidate within an edit distance of 2
// (insertions, deletions, substitutions and transpositions of adjacent
// letters, case-insensitive), or of which the word typed is a prefix.

// isSubsequence reports whether the runes of a appear in b in order.
func isSubsequence(a, b string) bool {
	rb := []rune(b)
	j := 0
	for _, r := range a {
		for j < len(rb) && rb[j] != r {
			j++
		}
		if j == len(rb) {
			return false
		}
		j++
	}
	return true
}

// maxSuggestions is the most candidates a message names.
const maxSuggestions = 3

// suggest returns the candidates closest to word, in the order of
// candidates, at most maxSuggestions of them, or nil if none is close. A
// candidate is close if its edit distance to word is at most 2 and smaller
// than word's length (so that "x" does not suggest "h"), or if word is a
// prefix of it. The nearest win: distance 1, a prefix, then distance 2;
// between equally distant ones, a candidate that holds word's letters in
// order (word missed letters of it, as "sed" those of "seed" but not of
// "set") beats one that does not, and a prefix ranks with distance 1
// (so "per" suggests "periods" rather than "set").
func suggest(word string, candidates []string) []string {
	w := strings.ToLower(word)
	if w == "" {
		return nil
	}
	const prefixRank = 3 // = 2·1 + 1: with a distance of 1 not found by omission
	best := -1
	var out []string
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == w {
			continue
		}
		rank := -1
		if d := textdist.Distance(w, lc); d <= 2 && d < len([]rune(w)) {
			rank = 2 * d
			if !isSubsequence(w, lc) {
				rank++
			}
		}
		if strings.HasPrefix(lc, w) && (rank < 0 || rank > prefixRank) {
			rank = prefixRank
		}
		switch {
		case rank < 0 || slices.Contains(out, c):
		case best < 0 || rank < best:
			best, out = rank, []string{c}
		case rank == best:
			out = append(out, c)
		}
	}
	if len(out) > maxSuggestions {
		out = out[:maxSuggestions]
	}
	return out
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// didYouMean returns "; did you mean X?" for the suggestions of word among
// candidates, each shown by show, or "" without any.
func didYouMean(word string, candidates []string, show func(string) string) string {
	s := suggest(word, candidates)
	if len(s) == 0 {
		return ""
	}
	for i := range s {
		s[i] = show(s[i])
	}
	return "; did you mean " + orList(s) + "?"
}

// dashed returns a flag name as it is typed: --name, or -n for a
// one-letter name.
func dashed(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

// quoted returns s in double quotes.
func quoted(s string) string { return fmt.Sprintf("%q", s) }

// flagNames returns the names and aliases of the visible flags of flags,
// and help's.
func flagNames(flags []cli.Flag) []string {
	names := []string{"help", "h"}
	for _, f := range flags {
		if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		for _, n := range f.Names() {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	return names
}

// Messages of Go's flag package (which urfave/cli parses with) that name
// a flag with one dash: "flag provided but not defined: -x", "flag needs
// an argument: -x", `invalid value "v" for flag -x: ...`, `invalid
// boolean value "v" for -x: ...`.
var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -{1,2}(.+)$`)
	singleDash    = regexp.MustCompile(`(flag needs an argument: |for flag |for )-{1,2}([^\s:=]+)`)
)

// flagError rewrites a flag-parsing error of urfave/cli for the command
// whose flags are flags: flags with the dashes they are typed with, and an
// unknown flag with the nearest known ones ("unknown flag --sed; did you
// mean --seed?").
func flagError(err error, flags []cli.Flag) string {
	msg := err.Error()
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		name, _, _ := strings.Cut(m[1], "=")
		return "unknown flag " + dashed(name) + didYouMean(name, flagNames(flags), dashed)
	}
	return singleDash.ReplaceAllStringFunc(msg, func(s string) string {
		m := singleDash.FindStringSubmatch(s)
		return m[1] + dashed(m[2])
	})
}

// commandNames returns the names and aliases of the visible commands of
// cmds, and help's when withHelp.
func commandNames(cmds []*cli.Command, withHelp bool) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	if withHelp {
		names = append(names, "help")
	}
	return names
}

// visibleNames returns the names (not aliases) of the visible commands.
func visibleNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden && c.Name != "help" {
			names = append(names, c.Name)
		}
	}
	return names
}

// findCommand returns the command of cmds named (or aliased) name, or nil.
func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// unknownCommand is the error of an unknown command word at the level of
// the command path (" calibrate"; "" for the program itself) whose
// commands are cmds.
func unknownCommand(e *env, path, word string, cmds []*cli.Command) error {
	what := "command"
	if path != "" {
		what = "subcommand"
	}
	msg := fmt.Sprintf("unknown %s %q", what, word)
	if s := didYouMean(word, commandNames(cmds, false), quoted); s != "" {
		msg += s
	} else {
		msg += fmt.Sprintf("; %ss: %s", what, strings.Join(visibleNames(cmds), ", "))
	}
	if path == "" {
		return badInput("%s (see %s --help)", msg, e.program())
	}
	name := strings.TrimSpace(path)
	return badInput("%s: %s (see %s %s --help)", name, msg, e.program(), name)
}

// checkCommandPath checks the command words at the start of args (the
// arguments without the program name) against the command tree of app,
// at every level: "bam runn" and "bam calibrate morriss" are bad input
// naming the nearest commands; so are the words after help ("bam help
// runn"). A word after a command that takes arguments (SCENARIO, a file)
// is left to the command unless it is near one of its subcommands and is
// neither a scenario name nor an existing file; after a command that
// takes none it is an error only when near a subcommand, so that the
// command's own message (such as stability's "scenarios are given with
// --scenario") stays for other words. The check stops at the first flag
// or "--".
func checkCommandPath(e *env, app *cli.App, args []string) error {
	var (
		cur  *cli.Command // nil: the program itself
		cmds = app.Commands
		path string
		help bool // the words name the command whose help to show
	)
	for _, a := range args {
		if a == "" || a == "--" || a[0] == '-' {
			return nil
		}
		if !help && (a == "help" || a == "h") && (cur == nil || len(cur.Subcommands) > 0) {
			help = true
			continue
		}
		sub := findCommand(cmds, a)
		if sub == nil {
			if cur == nil || cur.Action == nil || help {
				return unknownCommand(e, path, a, cmds)
			}
			if len(suggest(a, commandNames(cmds, false))) == 0 {
				return nil // the command's own argument
			}
			if cur.ArgsUsage != "" && (slices.Contains(scenarios.Names(), a) || exists(a)) {
				return nil
			}
			return unknownCommand(e, path, a, cmds)
		}
		cur, cmds, path = sub, sub.Subcommands, path+" "+sub.Name
		if len(cmds) == 0 {
			return nil // a leaf: the rest are its arguments
		}
	}
	return nil
}

// exists reports whether path names an existing file or folder.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
