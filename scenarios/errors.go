package scenarios

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/bam-abm/bam/internal/textdist"
)

// Error reports bad scenario input: an unreadable or malformed file, an
// unknown key, a value of the wrong type or out of range, a malformed
// pipeline or hook, or a bad `--set` override. Every error returned by
// [Load], [Parse] and [Scenario.Set] has this type, so callers can recognise
// input errors with [errors.As].
//
// Its message is one line:
//
//	SOURCE[:LINE]: MSG
type Error struct {
	// Source is the file path, "embedded:<name>", or `--set <assignment>`.
	Source string
	// Key is the offending key ("max_M", "hooks.systems"), or "" when the
	// error concerns no single key.
	Key string
	// Line is the 1-based line of the key in the file, or 0 if unknown.
	Line int
	// Msg says what is wrong and what was expected.
	Msg string
	// Err is the underlying cause, if any (returned by Unwrap).
	Err error
}

// Error returns "SOURCE[:LINE]: MSG".
func (e *Error) Error() string {
	// A message may quote the input (a value, a TOML error's excerpt):
	// its line breaks are escaped, so that the error stays one line.
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", lineBreaks.Replace(e.Source), e.Line, lineBreaks.Replace(e.Msg))
	}
	return lineBreaks.Replace(e.Source) + ": " + lineBreaks.Replace(e.Msg)
}

// Unwrap returns the underlying cause, or nil.
func (e *Error) Unwrap() error { return e.Err }

// didYouMean returns ` (did you mean "x"?)` naming the candidate closest to
// name, or "" if none is reasonably close.
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// suggest returns the candidate nearest to name by case-insensitive
// Levenshtein distance, or "" if none is reasonably close: the distance
// must be at most a third of the longer word's length (rounded up) and
// smaller than the shorter word's length, so that short names are not
// matched with unrelated ones. Ties go to the earlier candidate.
func suggest(name string, candidates []string) string {
	lname := strings.ToLower(name)
	best, bestD := "", -1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := textdist.Distance(lname, lc)
		la, lb := len([]rune(lname)), len([]rune(lc))
		if d > (max(la, lb)+2)/3 || d >= min(la, lb) {
			continue
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// quoteIfNeeded returns s unchanged if it is a plain word (such as a file
// path or a "name=value" assignment without spaces), otherwise quoted.
func quoteIfNeeded(s string) string {
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || !unicode.IsPrint(r)
	}) >= 0 {
		return fmt.Sprintf("%q", s)
	}
	return s
}
