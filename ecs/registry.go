package ecs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Factory creates a system for a world. It is called once per pipeline
// entry, when the pipeline is built.
type Factory func(w *World) System

// Registry maps system names to factories, so that a pipeline can be written
// as data (a list of names) in a scenario file. The zero value is not usable;
// create one with [NewRegistry].
type Registry struct {
	factories map[string]Factory
	names     []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{factories: map[string]Factory{}} }

// Register adds a factory under name. It fails if the name is empty, contains
// white space, or is already registered.
func (r *Registry) Register(name string, f Factory) error {
	if name == "" || strings.ContainsAny(name, " \t\n") {
		return fmt.Errorf("invalid system name %q: want a non-empty name without spaces", name)
	}
	if _, ok := r.factories[name]; ok {
		return fmt.Errorf("system %q is already registered", name)
	}
	r.factories[name] = f
	r.names = append(r.names, name)
	return nil
}

// MustRegister is like Register but panics on error (for init-time use).
func (r *Registry) MustRegister(name string, f Factory) {
	if err := r.Register(name, f); err != nil {
		panic(err)
	}
}

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool { _, ok := r.factories[name]; return ok }

// Factory returns the factory registered under name, or nil.
func (r *Registry) Factory(name string) Factory { return r.factories[name] }

// Names returns the registered names in registration order.
func (r *Registry) Names() []string { return slices.Clone(r.names) }

// Clone returns an independent copy of the registry.
func (r *Registry) Clone() *Registry {
	c := NewRegistry()
	for _, n := range r.names {
		c.factories[n] = r.factories[n]
	}
	c.names = slices.Clone(r.names)
	return c
}

// New creates the system registered under name, or returns an error that
// lists the known names.
func (r *Registry) New(w *World, name string) (System, error) {
	f, ok := r.factories[name]
	if !ok {
		return nil, fmt.Errorf("unknown system %q; known systems: %s", name, strings.Join(r.names, ", "))
	}
	s := f(w)
	if s == nil {
		return nil, fmt.Errorf("factory for system %q returned nil", name)
	}
	if s.Name() != name {
		return nil, fmt.Errorf("factory for system %q returned a system named %q; a system's Name must match its registered name", name, s.Name())
	}
	return s, nil
}

// MaxRepeat is the largest literal repeat count of a pipeline entry
// ("name x N"): no event of the model is meaningfully repeated more often
// in one period, and a larger count would only exhaust memory.
const MaxRepeat = 1000

// ParseEntry splits a pipeline entry of the form "name", "name x N"
// (0 ≤ N ≤ [MaxRepeat]) or "name x param" (param an integer parameter
// such as max_M) into the name and repeat count.
func ParseEntry(entry string, p *Params) (name string, repeat int, err error) {
	fields := strings.Fields(entry)
	switch {
	case len(fields) == 1:
		return fields[0], 1, nil
	case len(fields) == 3 && fields[1] == "x":
		if n, err := strconv.Atoi(fields[2]); err == nil {
			if n < 0 || n > MaxRepeat {
				return "", 0, fmt.Errorf("pipeline entry %q: repeat count must be in [0, %d]", entry, MaxRepeat)
			}
			return fields[0], n, nil
		}
		spec, ok := LookupParam(fields[2])
		if !ok || spec.Kind != KindInt {
			return "", 0, fmt.Errorf("pipeline entry %q: repeat count %q is neither an integer nor an integer parameter (such as max_M, max_H)", entry, fields[2])
		}
		return fields[0], spec.Get(p).(int), nil
	}
	return "", 0, fmt.Errorf("pipeline entry %q: want \"name\" or \"name x COUNT\"", entry)
}

// Build creates a pipeline from entries (see [ParseEntry]).
func (r *Registry) Build(w *World, entries []string) (*Pipeline, error) {
	p := NewPipeline()
	for _, e := range entries {
		name, n, err := ParseEntry(e, &w.Params)
		if err != nil {
			return nil, err
		}
		for range n {
			s, err := r.New(w, name)
			if err != nil {
				return nil, err
			}
			p.systems = append(p.systems, s)
		}
	}
	if len(p.systems) == 0 && len(entries) > 0 {
		return nil, fmt.Errorf("the pipeline %q is empty: every entry repeats 0 times", entries)
	}
	return p, nil
}
