package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/bam-abm/bam/ecs"
)

// embedded holds the shipped scenario files; every *.toml file of this
// directory is picked up.
//
//go:embed *.toml
var embedded embed.FS

// embeddedPrefix starts the Source of an embedded scenario.
const embeddedPrefix = "embedded:"

// Scenario is a decoded scenario file: the parameters of a run and,
// optionally, edits to its event pipeline.
type Scenario struct {
	// Name is the file's `name` key, else the file name without extension.
	Name string
	// Description is the file's `description` key (may be empty).
	Description string
	// Source is the file path, or "embedded:<name>" for a shipped scenario.
	Source string
	// Params are the model parameters: the defaults of spec §2.1 with the
	// file's values (and any [Scenario.Set] overrides) applied. Params.Ext
	// holds the extension parameters set by the file, plus the defaults of
	// the parameters of the listed Extensions that the file leaves out.
	Params ecs.Params
	// Extensions are the names of the extensions to attach, in order (the
	// file's `extensions` key; see package systems/extensions).
	// bam.NewFromScenario attaches them after building the pipeline and
	// before applying Hooks; each is one batch (spec §12.1).
	Extensions []string
	// Pipeline, if not nil, replaces the whole default pipeline. Entries are
	// "name", "name x COUNT" or "name x PARAM" (see [ecs.ParseEntry]); their
	// syntax is checked, their system names are not.
	Pipeline []string
	// Hooks are edits applied in order to the pipeline (the default one, or
	// Pipeline if given).
	Hooks []Hook
}

// Hook is one pipeline edit of a scenario's [[hooks]] table. Exactly one of
// Before, After, Replace and Remove is set; it names the anchor system.
type Hook struct {
	// Before inserts Systems, in order, directly before the first entry
	// named Before.
	Before string
	// After inserts Systems, in order, directly after the last entry named
	// After.
	After string
	// Replace puts the single system of Systems in place of every entry
	// named Replace.
	Replace string
	// Remove deletes every entry named Remove; Systems is empty.
	Remove string
	// Systems are the system names to insert, or the single replacement.
	Systems []string
}

// Hook operations, as returned by [Hook.Op] (and the key names of a
// [[hooks]] table).
const (
	OpBefore  = "before"
	OpAfter   = "after"
	OpReplace = "replace"
	OpRemove  = "remove"
)

// Op returns the hook's operation (OpBefore, OpAfter, OpReplace or
// OpRemove) and its anchor system, or two empty strings if no anchor is set.
// A hook returned by [Load] or [Parse] has exactly one anchor.
func (h Hook) Op() (op, anchor string) {
	switch {
	case h.Before != "":
		return OpBefore, h.Before
	case h.After != "":
		return OpAfter, h.After
	case h.Replace != "":
		return OpReplace, h.Replace
	case h.Remove != "":
		return OpRemove, h.Remove
	}
	return "", ""
}

// String describes the hook, e.g. `after firms_pay_dividends: [a b]`.
func (h Hook) String() string {
	op, anchor := h.Op()
	if op == OpRemove {
		return op + " " + anchor
	}
	return fmt.Sprintf("%s %s: %v", op, anchor, h.Systems)
}

var baseline = sync.OnceValue(func() *Scenario {
	s, err := loadEmbedded("baseline")
	if err != nil {
		panic(fmt.Sprintf("scenarios: embedded baseline is broken: %v", err))
	}
	return s
})

// Default returns a fresh copy of the embedded baseline scenario. It panics
// only if the embedded file is broken, which the package tests rule out.
func Default() *Scenario { return baseline().Clone() }

// Names returns the names of the embedded scenarios and of those added
// with [Register], sorted.
func Names() []string {
	names := append(embeddedNames(), registeredNames()...)
	slices.Sort(names)
	return names
}

// embeddedNames returns the names of the embedded scenarios, sorted.
func embeddedNames() []string {
	files, err := fs.Glob(embedded, "*.toml")
	if err != nil { // only for a malformed pattern
		panic(err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(f, ".toml")
	}
	slices.Sort(names)
	return names
}

// Load returns the scenario called nameOrPath. A path is anything that
// contains a path separator or ends in ".toml"; any other argument is an
// embedded scenario name, a name added with [Register] (see [Names]) or,
// failing that, an existing file.
// (Write "./baseline" to read a file that shadows an embedded name.)
//
// The error, always an [*Error], names the file and says what is wrong.
func Load(nameOrPath string) (*Scenario, error) {
	isPath := strings.ContainsRune(nameOrPath, '/') ||
		strings.ContainsRune(nameOrPath, filepath.Separator) ||
		strings.HasSuffix(nameOrPath, ".toml")
	if !isPath {
		if slices.Contains(embeddedNames(), nameOrPath) {
			return loadEmbedded(nameOrPath)
		}
		if _, ok := registeredDoc(nameOrPath); ok {
			return loadRegistered(nameOrPath)
		}
		if _, err := os.Stat(nameOrPath); err != nil {
			return nil, &Error{
				Source: quoteIfNeeded(nameOrPath),
				Msg: fmt.Sprintf("no embedded scenario or file of that name%s; embedded scenarios: %s",
					didYouMean(nameOrPath, Names()), strings.Join(Names(), ", ")),
				Err: err,
			}
		}
	}
	data, err := readFile(nameOrPath)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		msg := "cannot read: " + err.Error()
		stem := strings.TrimSuffix(filepath.Base(nameOrPath), ".toml")
		if errors.Is(err, fs.ErrNotExist) && slices.Contains(Names(), stem) && !strings.ContainsRune(nameOrPath, '/') {
			msg += fmt.Sprintf(" (to use the embedded scenario, write %q)", stem)
		}
		return nil, &Error{Source: nameOrPath, Msg: msg, Err: err}
	}
	return Parse(nameOrPath, data)
}

// MaxFileSize is the largest scenario file Load reads, 1 MiB. A scenario
// is a few kilobytes of TOML; the bound turns a wrong argument (a data
// file, /dev/zero) into an error instead of reading it into memory.
const MaxFileSize = 1 << 20

// readFile reads the file at path, or fails with an *Error if it holds
// more than MaxFileSize bytes. It reads through the file rather than
// trusting its size, so that pipes (process substitution) work.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &Error{Source: path, Msg: fmt.Sprintf("larger than %d KiB: not a scenario file (a scenario is a few kilobytes of TOML)", MaxFileSize>>10)}
	}
	return data, nil
}

// loadEmbedded parses the embedded scenario name.
func loadEmbedded(name string) (*Scenario, error) {
	source := embeddedPrefix + name
	data, err := embedded.ReadFile(name + ".toml")
	if err != nil {
		return nil, &Error{Source: source, Msg: "cannot read: " + err.Error(), Err: err}
	}
	return Parse(source, data)
}

// stem returns the scenario name implied by a source: the file name without
// directory and extension, or the name of an embedded source.
func stem(source string) string {
	if name, ok := strings.CutPrefix(source, embeddedPrefix); ok {
		return name
	}
	if name, ok := strings.CutPrefix(source, registeredPrefix); ok {
		return name
	}
	base := path.Base(filepath.ToSlash(source))
	return strings.TrimSuffix(base, path.Ext(base))
}

// Clone returns a deep copy of s: changing the copy's parameters,
// extensions, pipeline or hooks leaves s unchanged.
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Params = s.Params.Clone()
	c.Extensions = slices.Clone(s.Extensions)
	c.Pipeline = slices.Clone(s.Pipeline)
	if s.Hooks != nil {
		c.Hooks = make([]Hook, len(s.Hooks))
		for i, h := range s.Hooks {
			h.Systems = slices.Clone(h.Systems)
			c.Hooks[i] = h
		}
	}
	return &c
}
