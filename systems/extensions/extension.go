package extensions

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
)

// Extension is a named bundle of model changes (spec §12.1): parameters,
// per-agent state and systems. The built-ins are [RnD], [BufferStock] and
// [Taxation]; a user extension is declared the same way and registered
// with [Register] so that scenario files can name it.
type Extension struct {
	// Name identifies the extension in scenario files
	// (`extensions = ["rnd"]`); non-empty, without white space.
	Name string
	// Doc is a one-line description.
	Doc string
	// Params are the extension's parameters, declared with [ecs.ExtFloat].
	// [Register] registers them with [ecs.RegisterParam]; attaching the
	// extension fills in the defaults of those not set by the user (spec
	// §2.3), so its systems always find them in w.Params.Ext.
	Params []ecs.ParamSpec
	// Variables are the per-agent variables of the extension's state
	// components, collectable (bam run --collect) once it is attached;
	// [Register] registers them with [ecs.RegisterVariables]. Build them
	// with [ecs.FieldVariables], which documents each from its field's
	// `doc` tag.
	Variables []ecs.Variable
	// Systems are the extension's systems by name, so that scenario
	// pipelines and hooks can place them (bam.Registry includes them). A
	// factory must return a system whose Name is the registered name, or
	// nil if it cannot be built.
	Systems []NamedFactory
	// Attach adds the extension to a world and pipeline that have not run
	// yet: its per-agent state ([ecs.AddComponent]) and its systems, with
	// one pipeline call per batch (Replace, or InsertAfter an anchor, per
	// spec §12.1). Check the anchors before changing anything, so that a
	// failed Attach leaves the pipeline as it was.
	Attach func(w *ecs.World, p *ecs.Pipeline) error
}

// NamedFactory is a system factory with the name it is registered under.
type NamedFactory struct {
	Name string
	New  ecs.Factory
}

var registry struct {
	sync.RWMutex
	exts    []*Extension
	systems *ecs.Registry
}

func init() {
	registry.systems = ecs.NewRegistry()
	for _, e := range []*Extension{RnD, BufferStock, Taxation} {
		if err := Register(e); err != nil {
			panic(err)
		}
	}
}

// Register makes e known by name: scenario files can list it under
// `extensions`, its parameters become valid keys (scenario files, `--set`)
// and its systems can be placed by name. It fails if e has no name or no
// Attach function, if an extension of that name is registered, if a
// parameter cannot be registered ([ecs.RegisterParam]), or if a system name
// is taken by a built-in system or another extension. Register in an init
// function, before scenarios are loaded.
func Register(e *Extension) error {
	if e == nil {
		return errors.New("register extension: nil extension")
	}
	if e.Name == "" || strings.IndexFunc(e.Name, unicode.IsSpace) >= 0 {
		return fmt.Errorf("register extension %q: want a non-empty name without white space", e.Name)
	}
	if e.Attach == nil {
		return fmt.Errorf("register extension %q: nil Attach", e.Name)
	}
	registry.Lock()
	defer registry.Unlock()
	if slices.ContainsFunc(registry.exts, func(o *Extension) bool { return o.Name == e.Name }) {
		return fmt.Errorf("register extension %q: an extension of that name is already registered", e.Name)
	}
	builtins := systems.Builtins()
	for i, f := range e.Systems {
		switch {
		case f.New == nil:
			return fmt.Errorf("register extension %q: system %q has a nil factory", e.Name, f.Name)
		case builtins.Has(f.Name):
			return fmt.Errorf("register extension %q: system %q is a built-in system", e.Name, f.Name)
		case registry.systems.Has(f.Name) || slices.ContainsFunc(e.Systems[:i], func(o NamedFactory) bool { return o.Name == f.Name }):
			return fmt.Errorf("register extension %q: system %q is already registered", e.Name, f.Name)
		}
	}
	if err := ecs.RegisterVariables(e.Variables...); err != nil {
		return fmt.Errorf("register extension %q: %w", e.Name, err)
	}
	for _, s := range e.Params {
		if err := ecs.RegisterParam(s); err != nil {
			return fmt.Errorf("register extension %q: %w", e.Name, err)
		}
	}
	for _, f := range e.Systems {
		if err := registry.systems.Register(f.Name, f.New); err != nil {
			return fmt.Errorf("register extension %q: %w", e.Name, err)
		}
	}
	registry.exts = append(registry.exts, e)
	return nil
}

// stateVariables returns the variables of an extension's state component
// T, named component.field, for the Variables of its definition. It panics
// if T is not a struct: a mistake in a definition, found when the package
// is initialised.
func stateVariables[T any](component string, k ecs.Kind, view func(w *ecs.World) []T) []ecs.Variable {
	vs, err := ecs.FieldVariables(component, k, view)
	if err != nil {
		panic(err)
	}
	return vs
}

// Lookup returns the registered extension called name.
func Lookup(name string) (*Extension, bool) {
	registry.RLock()
	defer registry.RUnlock()
	for _, e := range registry.exts {
		if e.Name == name {
			return e, true
		}
	}
	return nil, false
}

// Names returns the names of the registered extensions in registration
// order (the built-ins first: rnd, buffer_stock, taxation).
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, len(registry.exts))
	for i, e := range registry.exts {
		names[i] = e.Name
	}
	return names
}

// Systems returns a copy of the registry of the registered extensions'
// systems.
func Systems() *ecs.Registry {
	registry.RLock()
	defer registry.RUnlock()
	return registry.systems.Clone()
}

// attachedKey is the world resource listing the attached extensions.
const attachedKey = "extensions.attached"

// Attach attaches exts, in order, to a world and its pipeline before the
// first step. For each extension it first sets, in w.Params, the default of
// every parameter of the extension that is not set yet (a value set by the
// user is kept: the precedence rule of spec §2.3), then calls its Attach.
// Each extension is one batch, so extensions inserting after the same
// anchor end up in reverse order of attachment (spec §12.1).
//
// It fails after the first step, for an extension already attached to w,
// and when an extension's Attach fails (an anchor missing from a custom
// pipeline, say); the error names the extension. After an error the
// simulation should be discarded.
func Attach(w *ecs.World, p *ecs.Pipeline, exts ...*Extension) error {
	for _, e := range exts {
		if e == nil {
			return errors.New("attach extension: nil extension")
		}
		if w.Period > 0 {
			return fmt.Errorf("extension %s: attach before the first step (the simulation is at period %d)", e.Name, w.Period)
		}
		done := Attached(w)
		if slices.Contains(done, e.Name) {
			return fmt.Errorf("extension %s: already attached", e.Name)
		}
		if e.Attach == nil {
			return fmt.Errorf("extension %s: nil Attach", e.Name)
		}
		for i := range e.Params {
			s := &e.Params[i]
			if _, set := w.Params.Ext[s.Name]; set || !s.IsExtension() {
				continue
			}
			if err := s.SetFloat(&w.Params, s.DefaultFloat()); err != nil {
				return fmt.Errorf("extension %s: %w", e.Name, err)
			}
		}
		if err := e.Attach(w, p); err != nil {
			return fmt.Errorf("extension %s: %w", e.Name, err)
		}
		w.SetResource(attachedKey, append(done, e.Name))
	}
	return nil
}

// Attached returns the names of the extensions attached to w, in order.
func Attached(w *ecs.World) []string {
	names, _ := w.Resource(attachedKey).([]string)
	return slices.Clone(names)
}

// missing returns an error naming the first of anchors that is not in p.
func missing(p *ecs.Pipeline, anchors ...string) error {
	for _, a := range anchors {
		if !p.Has(a) {
			return fmt.Errorf("system %q is not in the pipeline; it has: %s", a, strings.Join(slices.Compact(p.Names()), ", "))
		}
	}
	return nil
}
