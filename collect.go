package bam

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bam-abm/bam/ecs"
)

// Errors of a collection request, for errors.Is. The messages that wrap
// them name the offending item and list what exists.
var (
	// ErrUnknownVariable reports a per-agent variable, component or economy
	// series that is not registered.
	ErrUnknownVariable = errors.New("unknown variable")
	// ErrUnknownSystem reports a capture point naming a system that is not
	// in the simulation's pipeline.
	ErrUnknownSystem = errors.New("unknown capture point")
	// ErrUnavailable reports a registered variable whose component the
	// simulation does not have (an extension that is not attached), or an
	// economy series of a simulation whose History is disabled.
	ErrUnavailable = errors.New("variable not available")
	// ErrBadCollect reports a malformed or inconsistent collection request.
	ErrBadCollect = errors.New("bad collection request")
)

// economyColumn returns the economy series called name.
func economyColumn(name string) (Column, bool) {
	for _, c := range Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

func economyNames() []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.Name
	}
	return out
}

// CollectSpec is one item of a collection request: what to collect and
// when. Its text form, parsed by [ParseCollect], is NAME or NAME@SYSTEM.
type CollectSpec struct {
	// Name is one of
	//   - a per-agent variable "Component.field" (e.g. "Producer.production",
	//     see [Variables]);
	//   - a component alone ("Producer"): each of its variables, except
	//     those marked Explicit (Worker.employed);
	//   - an economy series, a name of [Columns] (e.g. "unemployment_rate"),
	//     recorded once per period at its own capture points (spec §9.2).
	Name string
	// At is the system after whose first execution in each period the
	// variable is captured (e.g. "firms_run_production"); "" means the end
	// of the period. It must be "" for an economy series.
	At string
}

// String returns the text form NAME or NAME@SYSTEM.
func (s CollectSpec) String() string {
	if s.At == "" {
		return s.Name
	}
	return s.Name + "@" + s.At
}

// ParseCollect parses a comma-separated collection request such as
//
//	Producer.production@firms_run_production,Worker.wage,Lender.equity_base
//
// Each item is NAME or NAME@SYSTEM (see [CollectSpec]); spaces around items
// are ignored. It checks the names against the registered variables and
// economy series; capture systems are checked by [Simulation.Collect],
// against the simulation's pipeline. Errors name the item and list what
// exists.
func ParseCollect(s string) ([]CollectSpec, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w: empty request; want NAME[@SYSTEM],... such as Producer.production@firms_run_production", ErrBadCollect)
	}
	var out []CollectSpec
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("%w: item %d is empty (in %q)", ErrBadCollect, i+1, s)
		}
		name, at, hasAt := strings.Cut(item, "@")
		name, at = strings.TrimSpace(name), strings.TrimSpace(at)
		if hasAt && (at == "" || strings.Contains(at, "@")) {
			return nil, fmt.Errorf("%w: %q: want NAME@SYSTEM with one system name", ErrBadCollect, item)
		}
		sp := CollectSpec{Name: name, At: at}
		if _, err := resolveName(sp); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// resolveName checks sp.Name and returns the variables it stands for (one,
// or a component's), or a single zero Variable with an empty name for an
// economy series.
func resolveName(sp CollectSpec) ([]ecs.Variable, error) {
	name := sp.Name
	comp, field, dotted := strings.Cut(name, ".")
	if !dotted {
		if _, ok := economyColumn(name); ok {
			if sp.At != "" {
				return nil, fmt.Errorf("%w: %q: economy series have fixed capture points (spec §9.2); drop %q or collect a per-agent variable", ErrBadCollect, sp.String(), "@"+sp.At)
			}
			return []ecs.Variable{{}}, nil
		}
		if vs := ecs.VariablesOf(name); len(vs) > 0 {
			return vs, nil
		}
		return nil, fmt.Errorf("%w %q: not an economy series nor a component; economy series: %s; components: %s (per-agent variables are Component.field, e.g. Producer.production)",
			ErrUnknownVariable, name, strings.Join(economyNames(), ", "), strings.Join(ecs.VariableComponents(), ", "))
	}
	if v, ok := ecs.LookupVariable(name); ok {
		return []ecs.Variable{v}, nil
	}
	vs := ecs.VariablesOf(comp)
	if len(vs) == 0 {
		return nil, fmt.Errorf("%w %q: no component %q; components: %s", ErrUnknownVariable, name, comp, strings.Join(ecs.VariableComponents(), ", "))
	}
	fields := make([]string, len(vs))
	for i := range vs {
		fields[i] = vs[i].Field()
	}
	return nil, fmt.Errorf("%w %q: %s has no variable %q; it has: %s", ErrUnknownVariable, name, comp, field, strings.Join(fields, ", "))
}

// Collectable returns every name the simulation can collect: the economy
// series ([Columns]) and then the per-agent variables of the components it
// has (extension components only when attached), as "Component.field".
func (s *Simulation) Collectable() []string {
	out := economyNames()
	for _, v := range ecs.Variables() {
		if v.Available == nil || v.Available(s.World) {
			out = append(out, v.Name)
		}
	}
	return out
}

// Collector records the variables of a collection request, one row of
// values per period, from the period after [Simulation.Collect] on. It is
// filled by pipeline observers; read it between steps.
//
// A per-agent variable holds one value per agent of its kind per period; an
// economy series one value per period. Values are float64: integer fields
// (Worker.employer, Employer.current_labor) are exact, bools are 0 or 1.
type Collector struct {
	sim    *Simulation
	first  int // period number of the first row
	n      int // periods recorded
	series []*series
	byName map[string]*series
	// ids[k] records the agent ids of kind k (firms and banks) for the
	// panel layout, when a variable of the kind is collected.
	ids [3]*panelIDs
}

// panelIDs is what gives every row of a firm or bank panel its agent's id:
// the ids at the first recorded period and, per period, the slots the
// bankruptcy phase marked (the same rule as the simulation's, see
// agentIDs.advance, replays them).
type panelIDs struct {
	kind   ecs.Kind
	start  agentIDs
	exited []bool // periods × agents, row-major
}

// capture appends one period's exit flags.
func (p *panelIDs) capture(w *ecs.World) {
	mask := w.Econ.FirmExiting
	if p.kind == ecs.Banks {
		mask = w.Econ.BankExiting
	}
	n := len(p.start.ID)
	if len(mask) != n {
		mask = nil // no bankruptcy state of this size: nobody exits
	}
	if cap(p.exited)-len(p.exited) < n {
		p.exited = slices.Grow(p.exited, max(n, len(p.exited)))
	}
	l := len(p.exited)
	p.exited = p.exited[:l+n]
	if mask == nil {
		clear(p.exited[l:])
	} else {
		copy(p.exited[l:], mask)
	}
}

// series is one collected variable.
type series struct {
	name   string // the request item: "Producer.production@firms_run_production"
	base   string // "Producer.production", or the economy series name
	at     string // capture system, "" = end of period
	kind   ecs.Kind
	typ    ecs.ValueType // the values' type, for the panel layout
	agents int
	get    ecs.Accessor       // per-agent variable
	econ   func(*Row) float64 // economy series
	hist   *History
	data   []float64 // periods × agents, row-major
}

// Collect starts recording the variables of specs (see [ParseCollect] for
// the text form) and returns the collector that holds them. Call it before
// the first [Simulation.Step] to record every period; called later, the
// first recorded period is the next one. Attach extensions ([Simulation.Use])
// before, so that their variables are available.
//
// Storage for the remaining periods of the run (n_periods minus the
// periods already run) is allocated here, periods × agents float64 values
// per variable (8 bytes each: 100 firms × 1000 periods is 800 kB), so that
// recording allocates nothing; [Simulation.Reserve] and [Simulation.Run]
// extend it like the economy series.
//
// It fails, changing nothing, if an item names an unknown variable,
// component or economy series (the error lists those that exist), an
// extension's variable that is not attached, or a capture system that is
// not in the pipeline (the error lists the pipeline's systems). A variable
// requested twice at the same point (alone and with its component) is
// collected once. A capture system removed from the pipeline afterwards
// falls back to the end of the period (spec §9.2).
func (s *Simulation) Collect(specs ...CollectSpec) (*Collector, error) {
	if len(specs) == 0 {
		return nil, fmt.Errorf("collect: %w: nothing requested", ErrBadCollect)
	}
	c := &Collector{sim: s, first: s.World.Period + 1, byName: map[string]*series{}}
	for _, sp := range specs {
		vs, err := resolveName(sp)
		if err != nil {
			return nil, fmt.Errorf("collect: %w", err)
		}
		if sp.At != "" && !s.Pipeline.Has(sp.At) {
			return nil, fmt.Errorf("collect: %s: %w: system %q is not in the pipeline; it has: %s",
				sp, ErrUnknownSystem, sp.At, strings.Join(uniqNames(s.Pipeline.Names()), ", "))
		}
		for _, v := range vs {
			if v.Name != "" && v.Explicit && v.Name != sp.Name {
				continue // a derived variable of a whole-component request
			}
			se := &series{at: sp.At, hist: s.History}
			if v.Name == "" { // economy series
				if s.History.off {
					return nil, fmt.Errorf("collect: %s: %w: the simulation's history is disabled (DisableHistory)", sp, ErrUnavailable)
				}
				col, _ := economyColumn(sp.Name)
				se.base, se.agents, se.econ = col.Name, 1, col.Get
				se.kind = -1
				if col.Int {
					se.typ = ecs.IntValue
				}
			} else {
				if v.Available != nil && !v.Available(s.World) {
					return nil, fmt.Errorf("collect: %s: %w: this simulation's %s have no %s component (attach its extension before Collect)",
						sp, ErrUnavailable, v.Kind, v.Component())
				}
				se.base, se.kind, se.agents, se.get, se.typ = v.Name, v.Kind, s.World.Count(v.Kind), v.Get, v.Type
			}
			se.name = CollectSpec{Name: se.base, At: se.at}.String()
			if _, dup := c.byName[se.name]; dup {
				continue // requested twice (e.g. alone and with its component): collected once
			}
			c.byName[se.name] = se
			c.series = append(c.series, se)
		}
	}
	for _, se := range c.series {
		if a := s.ids(se.kind); a != nil && se.econ == nil && c.ids[se.kind] == nil {
			c.ids[se.kind] = &panelIDs{kind: se.kind, start: a.clone()}
		}
	}
	c.Reserve(max(0, s.World.Params.NPeriods-s.World.Period))

	// One observer per capture point, in request order; economy series and
	// end-of-period variables in one end-of-period observer, registered
	// after the history's, so that the period's row is complete.
	var points []string
	for _, se := range c.series {
		if se.at != "" && !slices.Contains(points, se.at) {
			points = append(points, se.at)
		}
	}
	for _, at := range points {
		var group []*series
		for _, se := range c.series {
			if se.at == at {
				group = append(group, se)
			}
		}
		s.Pipeline.Observe(at, func(w *ecs.World) {
			for _, se := range group {
				se.capture(w)
			}
		})
	}
	var end []*series
	for _, se := range c.series {
		if se.at == "" {
			end = append(end, se)
		}
	}
	var ids []*panelIDs
	for _, p := range c.ids {
		if p != nil {
			ids = append(ids, p)
		}
	}
	s.Pipeline.Observe("", func(w *ecs.World) {
		for _, se := range end {
			se.capture(w)
		}
		for _, p := range ids {
			p.capture(w)
		}
		c.n++
	})
	s.collectors = append(s.collectors, c)
	return c, nil
}

func uniqNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// capture appends one period of values.
func (se *series) capture(w *ecs.World) {
	n := len(se.data)
	if cap(se.data)-n < se.agents {
		se.data = slices.Grow(se.data, max(se.agents, n)) // not reserved: grow geometrically
	}
	dst := se.data[n : n+se.agents]
	if se.econ != nil {
		rows := se.hist.Rows
		dst[0] = se.econ(&rows[len(rows)-1])
	} else {
		se.get(w, dst)
	}
	se.data = se.data[:n+se.agents]
}

// Reserve makes room for n more periods, so that recording them allocates
// nothing. [Simulation.Reserve] and [Simulation.Run] call it for every
// collector of the simulation.
func (c *Collector) Reserve(n int) {
	for _, se := range c.series {
		if need := n * se.agents; cap(se.data)-len(se.data) < need {
			d := make([]float64, len(se.data), len(se.data)+need)
			copy(d, se.data)
			se.data = d
		}
	}
	for _, p := range c.ids {
		if p == nil {
			continue
		}
		if need := n * len(p.start.ID); cap(p.exited)-len(p.exited) < need {
			p.exited = slices.Grow(p.exited, need)
		}
	}
}

// Variables returns the names of the collected variables, in request order,
// a component request expanded to its variables: "Component.field" for a
// variable captured at the end of the period, "Component.field@system" for
// one captured after a system, and the name of an economy series.
func (c *Collector) Variables() []string {
	out := make([]string, len(c.series))
	for i, se := range c.series {
		out[i] = se.name
	}
	return out
}

// Len returns the number of periods recorded.
func (c *Collector) Len() int { return c.n }

// FirstPeriod returns the period number t of the first recorded row (1
// when Collect was called before the first step).
func (c *Collector) FirstPeriod() int { return c.first }

// lookup returns the series called name: a name of [Collector.Variables],
// or a variable name without its @system when that is unambiguous.
func (c *Collector) lookup(name string) *series {
	if se, ok := c.byName[name]; ok {
		return se
	}
	var found *series
	for _, se := range c.series {
		if se.base == name {
			if found != nil {
				return nil
			}
			found = se
		}
	}
	return found
}

// Data returns the values recorded for the variable name (a name of
// [Collector.Variables], or the variable without its "@system" when only
// one capture point of it is collected): periods rows of agents values,
// row-major, so values[t*agents+i] is agent i (slot i of its kind) in
// period FirstPeriod()+t. An economy series has agents == 1. The slice is
// the collector's storage: do not modify it; it stays valid, and unchanged,
// while later periods are recorded. For an unknown name Data returns 0, 0,
// nil.
func (c *Collector) Data(name string) (periods, agents int, values []float64) {
	se := c.lookup(name)
	if se == nil {
		return 0, 0, nil
	}
	periods = len(se.data) / se.agents
	return periods, se.agents, se.data[: periods*se.agents : periods*se.agents]
}

// Kind returns the agent kind of the variable name and true, or false for
// an economy series or an unknown name.
func (c *Collector) Kind(name string) (ecs.Kind, bool) {
	se := c.lookup(name)
	if se == nil || se.econ != nil {
		return 0, false
	}
	return se.kind, true
}
