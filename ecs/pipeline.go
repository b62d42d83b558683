package ecs

import (
	"fmt"
	"slices"
	"strings"
)

// System is one simulation event. A period runs the systems of a [Pipeline]
// one after another; Update reads and writes the world's components and
// resources.
//
// Name is the event name of the spec (e.g. "firms_decide_desired_production");
// it identifies the system in the pipeline, in scenario files and in capture
// points. Systems are usually small structs whose exported fields configure
// them.
type System interface {
	Name() string
	Update(w *World)
}

// Func adapts a function to a [System].
type Func struct {
	// ID is the system's name.
	ID string
	// Fn is called once per execution.
	Fn func(w *World)
}

// Name returns f.ID.
func (f Func) Name() string { return f.ID }

// Update calls f.Fn.
func (f Func) Update(w *World) { f.Fn(w) }

// Observer is called after a named system has run (see [Pipeline.Observe]).
type Observer func(w *World)

type observer struct {
	after string
	fn    Observer
}

// Pipeline is the ordered list of systems run once per period. A repeated
// event (a market round) appears once per execution.
//
// Editing methods refer to systems by name. When several entries share a
// name (the rounds of a market), InsertBefore anchors at the first of them,
// InsertAfter at the last, and Replace and Remove act on all of them.
type Pipeline struct {
	systems   []System
	observers []observer
	// at[i] lists the observers to call after entry i; end lists those whose
	// system is not in the pipeline (called at the end of the period).
	at    [][]Observer
	end   []Observer
	dirty bool
}

// NewPipeline returns a pipeline running systems in the given order.
func NewPipeline(systems ...System) *Pipeline {
	return &Pipeline{systems: slices.Clone(systems), dirty: true}
}

// Len returns the number of executions per period.
func (p *Pipeline) Len() int { return len(p.systems) }

// Systems returns the systems in execution order (a copy).
func (p *Pipeline) Systems() []System { return slices.Clone(p.systems) }

// Names returns the system names in execution order.
func (p *Pipeline) Names() []string {
	names := make([]string, len(p.systems))
	for i, s := range p.systems {
		names[i] = s.Name()
	}
	return names
}

// Has reports whether a system of that name is in the pipeline.
func (p *Pipeline) Has(name string) bool { return p.first(name) >= 0 }

func (p *Pipeline) first(name string) int {
	for i, s := range p.systems {
		if s.Name() == name {
			return i
		}
	}
	return -1
}

func (p *Pipeline) last(name string) int {
	for i := len(p.systems) - 1; i >= 0; i-- {
		if p.systems[i].Name() == name {
			return i
		}
	}
	return -1
}

func (p *Pipeline) notFound(name string) error {
	return fmt.Errorf("system %q is not in the pipeline; it has: %s", name, strings.Join(uniq(p.Names()), ", "))
}

// InsertBefore inserts systems, in the given order, directly before the
// first entry named anchor.
func (p *Pipeline) InsertBefore(anchor string, systems ...System) error {
	i := p.first(anchor)
	if i < 0 {
		return p.notFound(anchor)
	}
	p.systems = slices.Insert(p.systems, i, systems...)
	p.dirty = true
	return nil
}

// InsertAfter inserts systems, in the given order, directly after the last
// entry named anchor. A later call with the same anchor places its systems
// directly after the anchor, i.e. before those of the earlier call (the
// batch rule of spec §12.1).
func (p *Pipeline) InsertAfter(anchor string, systems ...System) error {
	i := p.last(anchor)
	if i < 0 {
		return p.notFound(anchor)
	}
	p.systems = slices.Insert(p.systems, i+1, systems...)
	p.dirty = true
	return nil
}

// Replace puts s in place of every entry named name.
func (p *Pipeline) Replace(name string, s System) error {
	found := false
	for i := range p.systems {
		if p.systems[i].Name() == name {
			p.systems[i] = s
			found = true
		}
	}
	if !found {
		return p.notFound(name)
	}
	p.dirty = true
	return nil
}

// Remove deletes every entry named name.
func (p *Pipeline) Remove(name string) error {
	n := len(p.systems)
	p.systems = slices.DeleteFunc(p.systems, func(s System) bool { return s.Name() == name })
	if len(p.systems) == n {
		return p.notFound(name)
	}
	p.dirty = true
	return nil
}

// Append adds systems at the end of the pipeline.
func (p *Pipeline) Append(systems ...System) {
	p.systems = append(p.systems, systems...)
	p.dirty = true
}

// Observe registers fn to be called right after the first execution of the
// system named after in each period (the capture rule of spec §9.2: a
// repeated round is observed after its first execution). If no such system
// is in the pipeline, fn is called at the end of the period; an empty name
// means the end of the period.
func (p *Pipeline) Observe(after string, fn Observer) {
	p.observers = append(p.observers, observer{after, fn})
	p.dirty = true
}

func (p *Pipeline) resolve() {
	p.at = make([][]Observer, len(p.systems))
	p.end = p.end[:0]
	for _, o := range p.observers {
		i := -1
		if o.after != "" {
			i = p.first(o.after)
		}
		if i < 0 {
			p.end = append(p.end, o.fn)
		} else {
			p.at[i] = append(p.at[i], o.fn)
		}
	}
	p.dirty = false
}

// Step advances the period counter and runs every system once, in order,
// calling observers at their capture points.
func (p *Pipeline) Step(w *World) {
	if p.dirty {
		p.resolve()
	}
	w.Period++
	for i, s := range p.systems {
		s.Update(w)
		for _, fn := range p.at[i] {
			fn(w)
		}
	}
	for _, fn := range p.end {
		fn(w)
	}
}

// String returns the pipeline one system per line.
func (p *Pipeline) String() string { return strings.Join(p.Names(), "\n") }

func uniq(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
