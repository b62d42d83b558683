package bam

import (
	"fmt"
	"sync"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems"
	"github.com/bam-abm/bam/systems/extensions"
)

// Simulation is one BAM economy: the world of agents, the pipeline of
// systems run each period, and the recorded economy series.
type Simulation struct {
	// World holds the agents' components and the resources.
	World *ecs.World
	// Pipeline is the ordered list of systems run each period. Edit it
	// (InsertBefore, InsertAfter, Replace, Remove) before the first Step.
	Pipeline *ecs.Pipeline
	// History holds the economy series recorded so far (one row per period).
	History *History
	// Scenario is the scenario the simulation was built from ([New] makes
	// one named "custom" with source "go").
	Scenario *scenarios.Scenario

	collectors []*Collector // see Collect; extended by Reserve
	err        error        // see Err: the state went non-finite

	// firmIDs and bankIDs are the persistent agent ids (identity.go).
	firmIDs, bankIDs agentIDs
}

var (
	registryMu sync.Mutex
	// userSystems are the systems registered with RegisterSystem.
	userSystems = ecs.NewRegistry()
)

// RegisterSystem registers a system factory under name, so that scenario
// files can place it in the pipeline (as a hook or in a pipeline list).
// Built-in systems are pre-registered under their event names, and the
// systems of registered extensions under theirs. It fails if the name is
// already taken.
func RegisterSystem(name string, f ecs.Factory) error {
	if f == nil {
		return fmt.Errorf("register system %q: nil factory", name)
	}
	if systems.Builtins().Has(name) {
		return fmt.Errorf("system %q is already registered", name)
	}
	if extensions.Systems().Has(name) {
		return fmt.Errorf("system %q is already registered (by an extension)", name)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	return userSystems.Register(name, f)
}

// Registry returns a copy of the registry of known systems: built-ins,
// those added with [RegisterSystem], then the systems of the registered
// extensions (package systems/extensions).
func Registry() *ecs.Registry { return registryWith(systems.Specialised) }

// registryWith is [Registry] with the built-in systems built with paths.
func registryWith(paths systems.Paths) *ecs.Registry {
	r := systems.BuiltinsWith(paths)
	registryMu.Lock()
	for _, name := range userSystems.Names() {
		f := userSystems.Factory(name)
		_ = r.Register(name, f) // RegisterSystem refused the names of built-ins
	}
	registryMu.Unlock()
	ext := extensions.Systems()
	for _, name := range ext.Names() {
		if !r.Has(name) { // taken by RegisterSystem before the extension was registered
			_ = r.Register(name, func(w *ecs.World) ecs.System {
				s, err := ext.New(w, name)
				if err != nil {
					return nil
				}
				return s
			})
		}
	}
	return r
}

// Option changes how [New] and [NewFromScenario] build a simulation.
type Option func(*options)

type options struct {
	paths systems.Paths
}

// WithPaths builds the built-in systems with the given paths:
// systems.Specialised (the default) or systems.Plain, the plain form of
// every system, which gives the same economy bit for bit (see
// systems.Paths).
func WithPaths(p systems.Paths) Option { return func(o *options) { o.paths = p } }

// New creates a simulation with parameters p and the default pipeline.
func New(p ecs.Params, opts ...Option) (*Simulation, error) {
	sc := scenarios.Default().Clone()
	sc.Name = "custom"
	sc.Source = "go"
	sc.Params = p
	return NewFromScenario(sc, opts...)
}

// NewFromScenario creates a simulation from a scenario: its parameters, its
// pipeline (the default one unless the scenario lists one), its extensions
// (attached in order, see [Simulation.Use]) and then its hooks. Unknown
// system or extension names are an error listing the known ones.
func NewFromScenario(sc *scenarios.Scenario, opts ...Option) (*Simulation, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	w, err := ecs.NewWorld(sc.Params)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	reg := registryWith(o.paths)
	entries := systems.DefaultPipeline
	if len(sc.Pipeline) > 0 {
		entries = sc.Pipeline
	}
	pl, err := reg.Build(w, entries)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: pipeline: %w", sc.Name, err)
	}
	if err := useNamed(w, pl, sc.Extensions); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	for _, h := range sc.Hooks {
		if err := applyHook(w, reg, pl, h); err != nil {
			return nil, fmt.Errorf("scenario %s: hook: %w", sc.Name, err)
		}
	}
	sim := &Simulation{World: w, Pipeline: pl, Scenario: sc,
		firmIDs: newAgentIDs(w.Count(ecs.Firms)), bankIDs: newAgentIDs(w.Count(ecs.Banks))}
	sim.History = newHistory(w, pl)
	return sim, nil
}

func applyHook(w *ecs.World, reg *ecs.Registry, pl *ecs.Pipeline, h scenarios.Hook) error {
	build := func() ([]ecs.System, error) {
		out := make([]ecs.System, 0, len(h.Systems))
		for _, n := range h.Systems {
			s, err := reg.New(w, n)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	switch {
	case h.Remove != "":
		return pl.Remove(h.Remove)
	case h.Replace != "":
		ss, err := build()
		if err != nil {
			return err
		}
		if len(ss) != 1 {
			return fmt.Errorf("replace %q: want exactly one system, got %d", h.Replace, len(ss))
		}
		return pl.Replace(h.Replace, ss[0])
	case h.Before != "":
		ss, err := build()
		if err != nil {
			return err
		}
		return pl.InsertBefore(h.Before, ss...)
	case h.After != "":
		ss, err := build()
		if err != nil {
			return err
		}
		return pl.InsertAfter(h.After, ss...)
	}
	return fmt.Errorf("hook names no anchor (before, after, replace or remove)")
}

// Period returns the number of periods simulated so far.
func (s *Simulation) Period() int { return s.World.Period }

// Collapsed reports whether every firm or every bank has exited; no further
// period is run then (spec §8).
func (s *Simulation) Collapsed() bool { return s.World.Econ.Collapsed }

// Step runs one period, then gives the period's entrants their ids
// ([Simulation.AgentIDs]). It returns false, without running anything, if
// the economy has collapsed or its state is no longer finite
// ([Simulation.Err]).
func (s *Simulation) Step() bool {
	if s.World.Econ.Collapsed || s.err != nil {
		return false
	}
	s.Pipeline.Step(s.World)
	s.advanceIDs()
	if !s.History.off {
		if err := s.History.nonFinite(); err != nil {
			s.err = err
		}
	}
	return true
}

// Err returns a *[NonFiniteError] once a period ended with a NaN or
// infinite economy series (checked on the History's row of every period,
// unless the History is disabled), nil otherwise. No period is run after
// it: the period that went non-finite is the last row of the History.
func (s *Simulation) Err() error { return s.err }

// Run runs n periods, stopping early if the economy collapses or its state
// is no longer finite ([Simulation.Err]), and returns the number of
// periods run.
func (s *Simulation) Run(n int) int {
	s.Reserve(n)
	for k := range n {
		if !s.Step() {
			return k
		}
	}
	return n
}

// DisableHistory switches off the recording of the economy series: from
// then on [Simulation.History] stays empty (no rows, no firm-size and debt
// cross-sections) and its per-period reductions are not computed. It is for
// callers that record what they need themselves, such as the validation
// recorder of package validation, where the History is about 4 %
// of a run. A simulation without History cannot be checkpointed, and
// [Simulation.Collect] refuses its economy series. It fails once a period
// has been run.
func (s *Simulation) DisableHistory() error {
	if s.World.Period != 0 {
		return fmt.Errorf("disable history: the simulation is at period %d; disable it before the first period", s.World.Period)
	}
	s.History.off = true
	s.History.Rows = nil
	s.History.FinalProduction = nil
	s.History.FinalDebt = nil
	return nil
}

// Reserve makes room for n more periods in the recorded series, so that the
// next n steps allocate nothing.
func (s *Simulation) Reserve(n int) {
	s.World.Econ.Reserve(n)
	s.History.reserve(n)
	for _, c := range s.collectors {
		c.Reserve(n)
	}
}
