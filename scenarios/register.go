package scenarios

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// registeredPrefix starts the Source of a scenario added with [Register].
const registeredPrefix = "registered:"

// registered holds the scenarios added with [Register], by name, in
// registration order.
var registered struct {
	sync.RWMutex
	names []string
	docs  map[string][]byte
}

// Register makes the scenario document toml known under name, as if it
// were embedded: [Load] and [Names] then know it, so a program that
// registers its scenarios (before it calls cli.Main, for instance) can run
// them by name with every command. The document is parsed once now and
// again by every Load, so that each caller gets a fresh copy; its Source
// is "registered:<name>", and its Name is the document's `name` key, else
// name.
//
// It fails if name is empty, holds white space or a path separator, ends
// in ".toml", is the name of an embedded or an already registered
// scenario, or if the document does not parse (the error is then the
// [*Error] of [Parse]). Register the extensions and parameters a document
// uses before the document.
func Register(name string, toml []byte) error {
	switch {
	case name == "" || strings.IndexFunc(name, unicode.IsSpace) >= 0:
		return fmt.Errorf("register scenario %q: want a non-empty name without white space", name)
	case strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) || strings.HasSuffix(name, ".toml"):
		return fmt.Errorf("register scenario %q: a name must not be a path (no separator, no .toml suffix)", name)
	case slices.Contains(embeddedNames(), name):
		return fmt.Errorf("register scenario %q: an embedded scenario has that name", name)
	}
	if _, err := Parse(registeredPrefix+name, toml); err != nil {
		return err
	}
	registered.Lock()
	defer registered.Unlock()
	if _, ok := registered.docs[name]; ok {
		return fmt.Errorf("register scenario %q: a scenario of that name is already registered", name)
	}
	if registered.docs == nil {
		registered.docs = map[string][]byte{}
	}
	registered.docs[name] = slices.Clone(toml)
	registered.names = append(registered.names, name)
	return nil
}

// registeredDoc returns the document registered under name.
func registeredDoc(name string) ([]byte, bool) {
	registered.RLock()
	defer registered.RUnlock()
	doc, ok := registered.docs[name]
	return doc, ok
}

// registeredNames returns the names of the registered scenarios.
func registeredNames() []string {
	registered.RLock()
	defer registered.RUnlock()
	return slices.Clone(registered.names)
}

// loadRegistered parses the registered scenario name.
func loadRegistered(name string) (*Scenario, error) {
	doc, ok := registeredDoc(name)
	if !ok {
		return nil, &Error{Source: registeredPrefix + name, Msg: "no registered scenario of that name"}
	}
	return Parse(registeredPrefix+name, doc)
}
