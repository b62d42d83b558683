package bam

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/internal/buildinfo"
	"github.com/bam-abm/bam/internal/checkpoint"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

// A checkpoint is the complete state of a [Simulation] between two
// periods, written by [Simulation.Checkpoint] and read back by [Resume]:
// resuming a checkpoint written after period t and running it to period T
// gives exactly the run that was not interrupted (the same History rows,
// components, loan book, economy state and random stream).
//
// # Format
//
// The container (header, tagged sections, CRC-32C checksum) and the
// encoding of values are those of package internal/checkpoint; the
// header's version is the bam version that wrote the file. The sections,
// in this order:
//
//	META    JSON: program, version, go_version, scenario (name, source,
//	        parameters, extensions, pipeline list, hooks), params (the
//	        world's parameters), extensions (attached, in order),
//	        pipeline (name and Go type of every execution), period,
//	        collapsed
//	RAND    the random stream's state (rng.Rand.MarshalBinary)
//	ECON    the fields of ecs.Economy, as a record
//	LOAN    the fields of loans.Book, as a record
//	COMP    ×3, one per kind (firms, households, banks): the kind's name,
//	        the number of components (uint32) and the components, each its
//	        Go type's full name (package path and name), then a value:
//	        every component of the kind, built-in and added by extensions
//	HIST    History.Rows and History.FinalProduction, each its name, then
//	        a value
//	AGNT    the facade's per-agent records, each its name, then a value:
//	        FinalDebt (History.FinalDebt), FirmID, FirmEntered, FirmNext,
//	        BankID, BankEntered, BankNext (the persistent agent ids of
//	        [Simulation.AgentIDs] and the next free id of each kind)
//
// AGNT was added after format 1 was released, as a last section that the
// readers before it skip: they resume such a checkpoint without ids. A
// checkpoint without it resumes with FinalDebt summed from the loan book
// (the debt of the latest period's loans of the firms that did not exit),
// every agent's id its slot, its entry period −1 (unknown) and the next id
// above every id given so far (the slots plus every exit in the History).
//
// CheckpointFormat is the version of the checkpoint format written and
// read by this package. It changes whenever the layout does.
const CheckpointFormat = checkpoint.Format

// Errors of [Resume] and [ReadCheckpointInfo], for errors.Is.
var (
	// ErrNotCheckpoint reports a file that does not start with the
	// checkpoint magic string.
	ErrNotCheckpoint = checkpoint.ErrNotCheckpoint
	// ErrCheckpointFormat reports a checkpoint of another format version
	// (the message names both versions).
	ErrCheckpointFormat = checkpoint.ErrFormat
	// ErrCorruptCheckpoint reports a checkpoint that is damaged or
	// truncated (checksum mismatch) or malformed.
	ErrCorruptCheckpoint = checkpoint.ErrCorrupt
)

// corrupt returns an ErrCorruptCheckpoint error with a formatted detail.
func corrupt(format string, args ...any) error { return checkpoint.Corrupt(format, args...) }

// CheckpointInfo describes a checkpoint (see [ReadCheckpointInfo]).
type CheckpointInfo struct {
	// Format is the checkpoint format version.
	Format int
	// Version and GoVersion are the bam and Go versions that wrote it.
	Version, GoVersion string
	// Scenario is the scenario the simulation was built from.
	Scenario *scenarios.Scenario
	// Params are the world's parameters at the checkpoint.
	Params ecs.Params
	// Extensions are the attached extensions, in order.
	Extensions []string
	// Pipeline lists the pipeline's executions by system name.
	Pipeline []string
	// Period is the number of periods simulated before the checkpoint.
	Period int
	// Collapsed reports whether the economy had collapsed.
	Collapsed bool
}

// checkpointMeta is the META section.
type checkpointMeta struct {
	Program    string              `json:"program"`
	Version    string              `json:"version"`
	GoVersion  string              `json:"go_version"`
	Scenario   *scenarios.Scenario `json:"scenario"`
	Params     ecs.Params          `json:"params"`
	Extensions []string            `json:"extensions"`
	Pipeline   []pipelineEntry     `json:"pipeline"`
	Period     int                 `json:"period"`
	Collapsed  bool                `json:"collapsed"`
}

// pipelineEntry is one execution of the pipeline: the system's name and
// its Go type, so that a system replaced from Go by another of the same
// name is noticed on resume.
type pipelineEntry struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// kinds are the agent kinds in the order of the COMP sections.
var kinds = [...]ecs.Kind{ecs.Firms, ecs.Households, ecs.Banks}

// Checkpoint writes the complete state of the simulation to w (see the
// format above): the scenario and parameters, the pipeline, every agent
// component (including those added by extensions), the loan book, the
// economy state, the random stream, the period counter and the recorded
// History. Call it between periods, never from a system or an observer
// other than an end-of-period one.
//
// Not part of a checkpoint, and to be set up again after [Resume]:
// observers added with Pipeline.Observe, collectors, and user resources
// (World.SetResource); see [Resume] for how the pipeline is rebuilt.
// Checkpoint does not change the simulation.
func (s *Simulation) Checkpoint(w io.Writer) error {
	if err := s.checkpoint(w); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

func (s *Simulation) checkpoint(out io.Writer) error {
	if s.Scenario == nil {
		return errors.New("the simulation has no scenario (build it with bam.New or bam.NewFromScenario)")
	}
	if s.err != nil {
		return fmt.Errorf("the simulation's state is no longer finite (%w); a checkpoint of it could not be resumed", s.err)
	}
	if s.History.off {
		return errors.New("the simulation's history is disabled (DisableHistory); a checkpoint needs it")
	}
	if s.History.cur != (Row{}) {
		return errors.New("a period is in progress (checkpoint between periods or at the end of one)")
	}
	w := s.World
	meta := checkpointMeta{
		Program:    "bam",
		Version:    programVersion(),
		GoVersion:  runtime.Version(),
		Scenario:   s.Scenario,
		Params:     w.Params,
		Extensions: s.Extensions(),
		Period:     w.Period,
		Collapsed:  w.Econ.Collapsed,
	}
	for _, sys := range s.Pipeline.Systems() {
		meta.Pipeline = append(meta.Pipeline, pipelineEntry{sys.Name(), checkpoint.TypeName(reflect.TypeOf(sys))})
	}
	metaJSON, err := json.Marshal(&meta)
	if err != nil {
		return fmt.Errorf("encoding the scenario and parameters: %w", err)
	}
	rnd, err := w.RandState()
	if err != nil {
		return fmt.Errorf("random stream: %w", err)
	}

	e := checkpoint.NewEncoder(out)
	e.Header(meta.Version)

	e.Begin("META")
	e.Raw(metaJSON)
	e.End()

	e.Begin("RAND")
	e.Raw(rnd)
	e.End()

	e.Begin("ECON")
	if err := e.Record(reflect.ValueOf(&w.Econ).Elem()); err != nil {
		return fmt.Errorf("economy state: %w", err)
	}
	e.End()

	e.Begin("LOAN")
	if err := e.Record(reflect.ValueOf(w.Loans).Elem()); err != nil {
		return fmt.Errorf("loan book: %w", err)
	}
	e.End()

	for _, k := range kinds {
		cols, err := w.Columns(k)
		if err != nil {
			return err
		}
		e.Begin("COMP")
		e.Str(k.String())
		e.U32(uint32(len(cols)))
		for _, c := range cols {
			l, err := checkpoint.LayoutOf(c.Type)
			if err != nil {
				return fmt.Errorf("component %s of %s: %w", checkpoint.TypeName(c.Type), k, err)
			}
			e.Str(checkpoint.TypeName(c.Type))
			e.Column(l, w.Count(k), c.Bytes)
		}
		e.End()
	}

	e.Begin("HIST")
	for _, f := range historyFields(s.History) {
		e.Str(f.name)
		if err := e.Value(f.v); err != nil {
			return fmt.Errorf("history %s: %w", f.name, err)
		}
	}
	e.End()

	e.Begin("AGNT")
	for _, f := range agentFields(s) {
		e.Str(f.name)
		if err := e.Value(f.v); err != nil {
			return fmt.Errorf("agent records %s: %w", f.name, err)
		}
	}
	e.End()

	return e.Finish()
}

// namedValue is a stored field of a section of named values.
type namedValue struct {
	name string
	v    reflect.Value
}

// agentFields are the stored fields of the AGNT section, by name.
func agentFields(s *Simulation) []namedValue {
	return []namedValue{
		{"FinalDebt", reflect.ValueOf(&s.History.FinalDebt).Elem()},
		{"FirmID", reflect.ValueOf(&s.firmIDs.ID).Elem()},
		{"FirmEntered", reflect.ValueOf(&s.firmIDs.Entered).Elem()},
		{"FirmNext", reflect.ValueOf(&s.firmIDs.Next).Elem()},
		{"BankID", reflect.ValueOf(&s.bankIDs.ID).Elem()},
		{"BankEntered", reflect.ValueOf(&s.bankIDs.Entered).Elem()},
		{"BankNext", reflect.ValueOf(&s.bankIDs.Next).Elem()},
	}
}

// restoreAgents reads the AGNT section if the checkpoint has one, and
// otherwise derives the records from what it has (see the format above).
func (s *Simulation) restoreAgents(d *checkpoint.Decoder) error {
	if !d.More() {
		w := s.World
		w.Loans.SumByBorrower(s.History.FinalDebt, w.Loans.Debt)
		exits := [2]int64{}
		for i := range s.History.Rows {
			exits[0] += int64(s.History.Rows[i].FirmExits)
			exits[1] += int64(s.History.Rows[i].BankExits)
		}
		for j, a := range []*agentIDs{&s.firmIDs, &s.bankIDs} {
			a.Next += exits[j]
			for i := range a.Entered {
				a.Entered[i] = -1
			}
		}
		return nil
	}
	sd, err := d.Section("AGNT")
	if err != nil {
		return err
	}
	for _, f := range agentFields(s) {
		if err := sd.Field(f.name, f.v); err != nil {
			return fmt.Errorf("agent records: %w", err)
		}
	}
	return sd.Done()
}

// historyFields are the stored fields of a History, by name.
func historyFields(h *History) []namedValue {
	return []namedValue{
		{"Rows", reflect.ValueOf(&h.Rows).Elem()},
		{"FinalProduction", reflect.ValueOf(&h.FinalProduction).Elem()},
	}
}

// ReadCheckpointInfo reads a checkpoint and describes it, without building
// the simulation. It fails like [Resume] on a file that is not a
// checkpoint, is of another format or is damaged.
func ReadCheckpointInfo(r io.Reader) (*CheckpointInfo, error) {
	_, meta, err := openCheckpoint(r)
	if err != nil {
		return nil, err
	}
	info := &CheckpointInfo{
		Format: CheckpointFormat, Version: meta.Version, GoVersion: meta.GoVersion,
		Scenario: meta.Scenario, Params: meta.Params, Extensions: meta.Extensions,
		Period: meta.Period, Collapsed: meta.Collapsed,
	}
	for _, p := range meta.Pipeline {
		info.Pipeline = append(info.Pipeline, p.Name)
	}
	return info, nil
}

// Resume reads a checkpoint written by [Simulation.Checkpoint] and returns
// the simulation in the state it was in, ready to continue with Step or
// Run: stepping it m periods gives what stepping the original m more
// periods would have given.
//
// The pipeline is code, so it is rebuilt rather than read: from the
// checkpoint's scenario ([NewFromScenario]), then the extensions attached
// after it with [Simulation.Use]. If that does not give the checkpointed
// pipeline (systems inserted or replaced from Go), the pipeline is built
// from the checkpointed list of system names with [Registry]; a system that
// is neither placed by the scenario nor registered (with [RegisterSystem],
// in the resuming program too), or is registered with another Go type,
// is an error. Observers, collectors and user resources are not restored.
//
// Errors: [ErrNotCheckpoint] for a file that is not a checkpoint,
// [ErrCheckpointFormat] for one of another format version,
// [ErrCorruptCheckpoint] for a damaged one, and errors naming the cause
// when the scenario, an extension or a system cannot be rebuilt or a
// component's definition has changed.
func Resume(r io.Reader) (*Simulation, error) {
	sim, err := resume(r)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	return sim, nil
}

// openCheckpoint reads a checkpoint and its META section; the decoder is
// positioned after it.
func openCheckpoint(r io.Reader) (*checkpoint.Decoder, *checkpointMeta, error) {
	d, _, err := checkpoint.Open(r)
	if err != nil {
		return nil, nil, err
	}
	meta, err := readMeta(d)
	if err != nil {
		return nil, nil, err
	}
	return d, meta, nil
}

func resume(r io.Reader) (*Simulation, error) {
	d, meta, err := openCheckpoint(r)
	if err != nil {
		return nil, err
	}
	sim, err := rebuild(meta)
	if err != nil {
		return nil, err
	}
	if err := sim.restore(d, meta); err != nil {
		return nil, err
	}
	if err := sim.checkContinuable(meta); err != nil {
		return nil, err
	}
	return sim, nil
}

// checkContinuable checks that the restored state is one a run can
// continue: the period (from META) and the history agree (one row per
// period, numbered 1 … t), the collapse flags of META and of the
// economy agree (a collapsed economy resumes collapsed) and the agent ids
// are distinct and entered no later than t. A checkpoint edited and
// re-signed with a valid checksum but inconsistent contents is refused
// here rather than writing repeated periods.
func (s *Simulation) checkContinuable(meta *checkpointMeta) error {
	t := s.World.Period
	if n := len(s.History.Rows); n != t {
		return corrupt("inconsistent: the world is at period %d but the history has %d rows", t, n)
	}
	for i := range s.History.Rows {
		if p := s.History.Rows[i].Period; p != i+1 {
			return corrupt("inconsistent: history row %d is period %d", i+1, p)
		}
	}
	if meta.Collapsed != s.World.Econ.Collapsed {
		return corrupt("inconsistent: META says collapsed %t, the economy %t", meta.Collapsed, s.World.Econ.Collapsed)
	}
	for _, a := range []struct {
		kind string
		ids  *agentIDs
		n    int
	}{{"firm", &s.firmIDs, s.World.Count(ecs.Firms)}, {"bank", &s.bankIDs, s.World.Count(ecs.Banks)}} {
		if err := a.ids.check(a.n, t); err != nil {
			return corrupt("%s ids: %v", a.kind, err)
		}
	}
	return nil
}

// rebuild builds the simulation of a checkpoint in its initial state.
func rebuild(m *checkpointMeta) (*Simulation, error) {
	sc := m.Scenario
	sim, err := NewFromScenario(sc)
	if err != nil {
		return nil, fmt.Errorf("rebuilding the checkpoint's scenario: %w", err)
	}
	have := sim.Extensions()
	if len(have) > len(m.Extensions) || !slices.Equal(have, m.Extensions[:len(have)]) {
		return nil, fmt.Errorf("scenario %s attaches the extensions [%s], the checkpoint has [%s]",
			sc.Name, strings.Join(have, ", "), strings.Join(m.Extensions, ", "))
	}
	for _, name := range m.Extensions[len(have):] {
		e, ok := extensions.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("extension %q of the checkpoint is not registered; known extensions: %s",
				name, strings.Join(extensions.Names(), ", "))
		}
		if err := sim.Use(e); err != nil {
			return nil, err
		}
	}
	if err := sim.matchPipeline(m.Pipeline); err != nil {
		return nil, err
	}
	return sim, nil
}

// matchPipeline makes the simulation's pipeline the checkpointed one: the
// one built from the scenario if it matches, else one built by name from
// the registry.
func (s *Simulation) matchPipeline(want []pipelineEntry) error {
	same := s.Pipeline.Len() == len(want)
	if same {
		for i, sys := range s.Pipeline.Systems() {
			if sys.Name() != want[i].Name || !sameSystemType(checkpoint.TypeName(reflect.TypeOf(sys)), want[i].Type) {
				same = false
				break
			}
		}
	}
	if same {
		return nil
	}
	reg := Registry()
	pl := ecs.NewPipeline()
	for i, en := range want {
		if !reg.Has(en.Name) {
			return fmt.Errorf("system %q (%s) at position %d of the checkpointed pipeline is neither placed by scenario %s nor registered; "+
				"a system added from Go must be registered with bam.RegisterSystem, in the resuming program too",
				en.Name, en.Type, i+1, s.Scenario.Name)
		}
		sys, err := reg.New(s.World, en.Name)
		if err != nil {
			return fmt.Errorf("system %q at position %d of the checkpointed pipeline: %w", en.Name, i+1, err)
		}
		if t := checkpoint.TypeName(reflect.TypeOf(sys)); !sameSystemType(t, en.Type) {
			return fmt.Errorf("system %q at position %d of the checkpointed pipeline was a %s; the system registered under that name is a %s",
				en.Name, i+1, en.Type, t)
		}
		pl.Append(sys)
	}
	s.Pipeline = pl
	s.History = newHistory(s.World, pl)
	return nil
}

// sameSystemType reports whether the Go type names a and b (as written
// in a checkpoint's pipeline list) name the same system: the same named
// type, as a value or a pointer, so that a checkpoint stays resumable
// when a system becomes a pointer type (the stateful systems did).
func sameSystemType(a, b string) bool {
	return strings.TrimPrefix(a, "*") == strings.TrimPrefix(b, "*")
}

// restore reads the state sections into the rebuilt simulation.
func (s *Simulation) restore(d *checkpoint.Decoder, m *checkpointMeta) error {
	w := s.World
	if err := m.Params.Validate(); err != nil {
		return corrupt("parameters: %v", err)
	}
	for _, k := range kinds {
		if n := count(&m.Params, k); n != w.Count(k) {
			return corrupt("parameters give %d %s, the scenario %d", n, k, w.Count(k))
		}
	}
	if m.Period < 0 {
		return corrupt("period %d", m.Period)
	}

	sd, err := d.Section("RAND")
	if err != nil {
		return err
	}
	if err := w.SetRandState(sd.Rest()); err != nil {
		return corrupt("random stream: %v", err)
	}

	if sd, err = d.Section("ECON"); err != nil {
		return err
	}
	if err := sd.Record(reflect.ValueOf(&w.Econ).Elem()); err != nil {
		return fmt.Errorf("economy state: %w", err)
	}
	if err := sd.Done(); err != nil {
		return err
	}
	if sd, err = d.Section("LOAN"); err != nil {
		return err
	}
	if err := sd.Record(reflect.ValueOf(w.Loans).Elem()); err != nil {
		return fmt.Errorf("loan book: %w", err)
	}
	if err := sd.Done(); err != nil {
		return err
	}
	for _, k := range kinds {
		if sd, err = d.Section("COMP"); err != nil {
			return err
		}
		if err := restoreKind(sd, w, k); err != nil {
			return err
		}
	}
	if sd, err = d.Section("HIST"); err != nil {
		return err
	}
	for _, f := range historyFields(s.History) {
		if err := sd.Field(f.name, f.v); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	if err := sd.Done(); err != nil {
		return err
	}
	if err := s.restoreAgents(d); err != nil {
		return err
	}
	if err := s.checkRestored(); err != nil {
		return corrupt("%v", err)
	}
	w.Params = m.Params
	w.Period = m.Period
	return nil
}

// checkRestored checks the slot numbers of the restored economy and loan
// book against the populations, and the sizes of the per-slot arrays, so
// that a malformed checkpoint is reported rather than crashing a system.
func (s *Simulation) checkRestored() error {
	w := s.World
	nf, nb := int32(w.Count(ecs.Firms)), int32(w.Count(ecs.Banks))
	e := &w.Econ
	switch {
	case len(e.FirmExiting) != int(nf) || len(e.BankExiting) != int(nb):
		return errors.New("exit masks do not match the populations")
	case len(s.History.FinalProduction) != int(nf):
		return errors.New("final production does not match the firms")
	case len(e.AvgPriceHistory) == 0 || len(e.InflationHistory) == 0:
		return errors.New("empty economy histories")
	case len(s.History.FinalDebt) != int(nf):
		return errors.New("final debt does not match the firms")
	}

	for _, i := range e.ExitingFirms {
		if i < 0 || i >= nf {
			return fmt.Errorf("exiting firm %d out of range", i)
		}
	}
	for _, k := range e.ExitingBanks {
		if k < 0 || k >= nb {
			return fmt.Errorf("exiting bank %d out of range", k)
		}
	}
	b := w.Loans
	n := b.Len()
	if len(b.Lender) != n || len(b.Principal) != n || len(b.Rate) != n || len(b.Interest) != n || len(b.Debt) != n {
		return errors.New("loan book columns of different lengths")
	}
	for r := range n {
		if b.Borrower[r] < 0 || b.Borrower[r] >= nf || b.Lender[r] < 0 || b.Lender[r] >= nb {
			return fmt.Errorf("loan %d between firm %d and bank %d out of range", r, b.Borrower[r], b.Lender[r])
		}
	}
	return nil
}

// count returns the population of kind k in p.
func count(p *ecs.Params, k ecs.Kind) int {
	switch k {
	case ecs.Firms:
		return p.NFirms
	case ecs.Households:
		return p.NHouseholds
	}
	return p.NBanks
}

// restoreKind reads one COMP section into the components of kind k.
func restoreKind(d *checkpoint.Decoder, w *ecs.World, k ecs.Kind) error {
	kind, err := d.Str()
	if err != nil {
		return err
	}
	if kind != k.String() {
		return corrupt("components of %s where %s were expected", kind, k)
	}
	cols, err := w.Columns(k)
	if err != nil {
		return err
	}
	byName := make(map[string]ecs.Column, len(cols))
	for _, c := range cols {
		byName[checkpoint.TypeName(c.Type)] = c
	}
	nc, err := d.U32()
	if err != nil {
		return err
	}
	// nc comes from the file: it sizes nothing (a damaged count would
	// allocate without bound), and a count beyond the data fails at Str.
	seen := make(map[string]bool, len(cols))
	for range nc {
		name, err := d.Str()
		if err != nil {
			return err
		}
		c, ok := byName[name]
		if !ok {
			return fmt.Errorf("the checkpoint's %s have component %s, the rebuilt simulation's do not (an extension or a system that adds it is missing)", k, name)
		}
		if seen[name] {
			return corrupt("component %s of %s twice", name, k)
		}
		seen[name] = true
		l, err := checkpoint.LayoutOf(c.Type)
		if err != nil {
			return fmt.Errorf("component %s of %s: %w", name, k, err)
		}
		if err := d.Column(l, w.Count(k), c.Bytes); err != nil {
			return fmt.Errorf("component %s of %s: %w", name, k, err)
		}
	}
	for name := range byName {
		if !seen[name] {
			return fmt.Errorf("the rebuilt simulation's %s have component %s, the checkpoint's do not", k, name)
		}
	}
	return d.Done()
}

// readMeta reads and decodes the META section.
func readMeta(d *checkpoint.Decoder) (*checkpointMeta, error) {
	sd, err := d.Section("META")
	if err != nil {
		return nil, err
	}
	var m checkpointMeta
	if err := json.Unmarshal(sd.Rest(), &m); err != nil {
		return nil, corrupt("metadata: %v", err)
	}
	if m.Program != "bam" || m.Scenario == nil {
		return nil, corrupt("metadata without program or scenario")
	}
	return &m, nil
}

// programVersion returns the version of the module github.com/bam-abm/bam
// in this binary, with the commit when bam is the main module ("devel"
// when neither stamped nor recorded by the go command; see package
// internal/buildinfo, which bam version and run.json read too).
func programVersion() string {
	return buildinfo.Read().String()
}
