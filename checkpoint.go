package bam

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"unsafe"

	"github.com/bam-abm/bam/ecs"
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
// A checkpoint is a binary file, little-endian throughout:
//
//	header    "BAMCKPT\n"              8 bytes, the magic string
//	          format                   uint32, CheckpointFormat
//	          version                  string: the bam version that wrote it
//	sections  tag (4 bytes), length (uint64), payload, in this order:
//	  META    JSON: program, version, go_version, scenario (name, source,
//	          parameters, extensions, pipeline list, hooks), params (the
//	          world's parameters), extensions (attached, in order),
//	          pipeline (name and Go type of every execution), period,
//	          collapsed
//	  RAND    the random stream's state (rng.Rand.MarshalBinary)
//	  ECON    the fields of ecs.Economy
//	  LOAN    the fields of loans.Book
//	  COMP    ×3, one per kind (firms, households, banks): every component
//	          of the kind, built-in and added by extensions
//	  HIST    History.Rows and History.FinalProduction
//	  SUM.    CRC-32C (Castagnoli) of every byte before this section
//
// A string is a uint32 length and its bytes. ECON and LOAN are the number
// of fields (uint32) and the fields, HIST the fields Rows and
// FinalProduction; a field is its name, then a value. A COMP section is
// the kind's name, the number of components (uint32) and the components; a
// component is its Go type's full name (package path and name), then a
// value. A value is the layout signature of
// its element type (field names and kinds, e.g.
// "{Price:f64;Production:f64}"), the number of elements (uint64; 1 for a
// scalar) and the elements, each the concatenation of its leaf fields in
// declaration order (bool and 8-bit integers 1 byte, int and uint 8 bytes,
// others their size; blank "_" padding fields are not stored). The
// signature is checked on reading, so a component whose definition changed
// since the checkpoint was written is reported instead of misread.
//
// The header layout (magic, format, version) is fixed for every format, so
// that a file of another format is reported with the version that wrote
// it.
const (
	checkpointMagic = "BAMCKPT\n"
	// CheckpointFormat is the version of the checkpoint format written and
	// read by this package. It changes whenever the layout does.
	CheckpointFormat = 1
)

// Errors of [Resume] and [ReadCheckpointInfo], for errors.Is.
var (
	// ErrNotCheckpoint reports a file that does not start with the
	// checkpoint magic string.
	ErrNotCheckpoint = errors.New("not a bam checkpoint")
	// ErrCheckpointFormat reports a checkpoint of another format version
	// (the message names both versions).
	ErrCheckpointFormat = errors.New("unsupported checkpoint format")
	// ErrCorruptCheckpoint reports a checkpoint that is damaged or
	// truncated (checksum mismatch) or malformed.
	ErrCorruptCheckpoint = errors.New("corrupt checkpoint")
)

// formatError is the error for a checkpoint of another format.
type formatError struct {
	got     uint32
	version string
}

func (e *formatError) Error() string {
	return fmt.Sprintf("checkpoint format %d (written by bam %s), this bam reads %d", e.got, e.version, CheckpointFormat)
}

func (e *formatError) Is(target error) bool { return target == ErrCheckpointFormat }

// corrupt returns an ErrCorruptCheckpoint error with a formatted detail.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorruptCheckpoint, fmt.Sprintf(format, args...))
}

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
		meta.Pipeline = append(meta.Pipeline, pipelineEntry{sys.Name(), typeName(reflect.TypeOf(sys))})
	}
	metaJSON, err := json.Marshal(&meta)
	if err != nil {
		return fmt.Errorf("encoding the scenario and parameters: %w", err)
	}
	rnd, err := w.RandState()
	if err != nil {
		return fmt.Errorf("random stream: %w", err)
	}

	e := newEncoder(out)
	e.header(meta.Version)

	e.begin("META")
	e.buf = append(e.buf, metaJSON...)
	e.end()

	e.begin("RAND")
	e.buf = append(e.buf, rnd...)
	e.end()

	e.begin("ECON")
	if err := e.record(reflect.ValueOf(&w.Econ).Elem()); err != nil {
		return fmt.Errorf("economy state: %w", err)
	}
	e.end()

	e.begin("LOAN")
	if err := e.record(reflect.ValueOf(w.Loans).Elem()); err != nil {
		return fmt.Errorf("loan book: %w", err)
	}
	e.end()

	for _, k := range kinds {
		cols, err := w.Columns(k)
		if err != nil {
			return err
		}
		e.begin("COMP")
		e.str(k.String())
		e.u32(uint32(len(cols)))
		for _, c := range cols {
			l, err := layoutOf(c.Type)
			if err != nil {
				return fmt.Errorf("component %s of %s: %w", typeName(c.Type), k, err)
			}
			e.str(typeName(c.Type))
			e.column(l.sig, l, w.Count(k), c.Bytes)
		}
		e.end()
	}

	e.begin("HIST")
	for _, f := range historyFields(s.History) {
		e.str(f.name)
		if err := e.value(f.v); err != nil {
			return fmt.Errorf("history %s: %w", f.name, err)
		}
	}
	e.end()

	return e.finish()
}

// historyFields are the stored fields of a History, by name.
func historyFields(h *History) []struct {
	name string
	v    reflect.Value
} {
	return []struct {
		name string
		v    reflect.Value
	}{
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
func openCheckpoint(r io.Reader) (*decoder, *checkpointMeta, error) {
	data, err := readCheckpoint(r)
	if err != nil {
		return nil, nil, err
	}
	d := &decoder{b: data, off: headerLen(data)}
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
	return sim, nil
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
			if sys.Name() != want[i].Name || typeName(reflect.TypeOf(sys)) != want[i].Type {
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
		if t := typeName(reflect.TypeOf(sys)); t != en.Type {
			return fmt.Errorf("system %q at position %d of the checkpointed pipeline was a %s; the system registered under that name is a %s",
				en.Name, i+1, en.Type, t)
		}
		pl.Append(sys)
	}
	s.Pipeline = pl
	s.History = newHistory(s.World, pl)
	return nil
}

// restore reads the state sections into the rebuilt simulation.
func (s *Simulation) restore(d *decoder, m *checkpointMeta) error {
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

	sd, err := d.section("RAND")
	if err != nil {
		return err
	}
	if err := w.SetRandState(sd.rest()); err != nil {
		return corrupt("random stream: %v", err)
	}

	if sd, err = d.section("ECON"); err != nil {
		return err
	}
	if err := sd.record(reflect.ValueOf(&w.Econ).Elem()); err != nil {
		return fmt.Errorf("economy state: %w", err)
	}
	if err := sd.done(); err != nil {
		return err
	}
	if sd, err = d.section("LOAN"); err != nil {
		return err
	}
	if err := sd.record(reflect.ValueOf(w.Loans).Elem()); err != nil {
		return fmt.Errorf("loan book: %w", err)
	}
	if err := sd.done(); err != nil {
		return err
	}
	for _, k := range kinds {
		if sd, err = d.section("COMP"); err != nil {
			return err
		}
		if err := restoreKind(sd, w, k); err != nil {
			return err
		}
	}
	if sd, err = d.section("HIST"); err != nil {
		return err
	}
	for _, f := range historyFields(s.History) {
		if err := sd.field(f.name, f.v); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	if err := sd.done(); err != nil {
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
func restoreKind(d *decoder, w *ecs.World, k ecs.Kind) error {
	kind, err := d.str()
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
		byName[typeName(c.Type)] = c
	}
	nc, err := d.u32()
	if err != nil {
		return err
	}
	seen := make(map[string]bool, nc)
	for range nc {
		name, err := d.str()
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
		l, err := layoutOf(c.Type)
		if err != nil {
			return fmt.Errorf("component %s of %s: %w", name, k, err)
		}
		if err := d.column(l, w.Count(k), c.Bytes); err != nil {
			return fmt.Errorf("component %s of %s: %w", name, k, err)
		}
	}
	for name := range byName {
		if !seen[name] {
			return fmt.Errorf("the rebuilt simulation's %s have component %s, the checkpoint's do not", k, name)
		}
	}
	return d.done()
}

// readMeta reads and decodes the META section.
func readMeta(d *decoder) (*checkpointMeta, error) {
	sd, err := d.section("META")
	if err != nil {
		return nil, err
	}
	var m checkpointMeta
	if err := json.Unmarshal(sd.rest(), &m); err != nil {
		return nil, corrupt("metadata: %v", err)
	}
	if m.Program != "bam" || m.Scenario == nil {
		return nil, corrupt("metadata without program or scenario")
	}
	return &m, nil
}

// programVersion returns the version of the module github.com/bam-abm/bam
// in this binary ("devel" when built from a work tree, with the VCS
// revision when the go command recorded it).
func programVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	const path = "github.com/bam-abm/bam"
	mod := &bi.Main
	if mod.Path != path {
		for _, dep := range bi.Deps {
			if dep.Path == path {
				mod = dep
			}
		}
	}
	v := mod.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	if mod == &bi.Main {
		var rev string
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "-dirty"
			}
			v += " (commit " + rev + ")"
		}
	}
	return v
}

// typeName returns the full name of t: package path and name, with a
// leading "*" for a pointer to a named type.
func typeName(t reflect.Type) string {
	if t == nil {
		return "<nil>"
	}
	if t.Kind() == reflect.Pointer && t.Name() == "" {
		return "*" + typeName(t.Elem())
	}
	if t.Name() == "" || t.PkgPath() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// --- the plain-data codec ---

// leaf is one scalar field of a plain-data type.
type leaf struct {
	off  uintptr
	size uintptr // in memory
	kind reflect.Kind
}

// layout is how the values of a plain-data type are stored.
type layout struct {
	sig    string  // field names and kinds
	size   uintptr // bytes per value in memory
	wire   int     // bytes per value in the checkpoint
	leaves []leaf
}

// layoutOf returns the layout of t, which must be plain data: booleans,
// integers, floats, and arrays and structs of those.
func layoutOf(t reflect.Type) (*layout, error) {
	l := &layout{size: t.Size()}
	var sig strings.Builder
	if err := l.add(t, 0, &sig, t.String()); err != nil {
		return nil, err
	}
	l.sig = sig.String()
	return l, nil
}

// kindSig is the signature of each scalar kind a checkpoint stores.
var kindSig = map[reflect.Kind]string{
	reflect.Bool: "bool", reflect.Int: "int", reflect.Int8: "i8", reflect.Int16: "i16",
	reflect.Int32: "i32", reflect.Int64: "i64", reflect.Uint: "uint", reflect.Uint8: "u8",
	reflect.Uint16: "u16", reflect.Uint32: "u32", reflect.Uint64: "u64",
	reflect.Float32: "f32", reflect.Float64: "f64",
}

func (l *layout) add(t reflect.Type, off uintptr, sig *strings.Builder, path string) error {
	switch k := t.Kind(); k {
	case reflect.Array:
		fmt.Fprintf(sig, "[%d]", t.Len())
		if t.Len() == 0 {
			sig.WriteString(t.Elem().Kind().String())
			return nil
		}
		for i := range t.Len() {
			s := sig
			if i > 0 {
				s = &strings.Builder{} // the element signature is written once
			}
			if err := l.add(t.Elem(), off+uintptr(i)*t.Elem().Size(), s, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
		sig.WriteByte('{')
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Name == "_" {
				continue
			}
			sig.WriteString(f.Name)
			sig.WriteByte(':')
			if err := l.add(f.Type, off+f.Offset, sig, path+"."+f.Name); err != nil {
				return err
			}
			sig.WriteByte(';')
		}
		sig.WriteByte('}')
		return nil
	default:
		s, ok := kindSig[k]
		if !ok {
			return fmt.Errorf("%s is a %s; only plain data (booleans, numbers, and arrays and structs of them) can be checkpointed", path, k)
		}
		sig.WriteString(s)
		lf := leaf{off: off, size: t.Size(), kind: k}
		l.leaves = append(l.leaves, lf)
		l.wire += lf.wireSize()
		return nil
	}
}

// wireSize returns the number of bytes of the leaf in a checkpoint.
func (lf leaf) wireSize() int {
	if lf.kind == reflect.Int || lf.kind == reflect.Uint {
		return 8
	}
	return int(lf.size)
}

var le = binary.LittleEndian

// appendValues appends the n values of raw (n·l.size bytes) in wire form.
func (l *layout) appendValues(out, raw []byte, n int) []byte {
	ne := binary.NativeEndian
	for i := range n {
		v := raw[uintptr(i)*l.size:]
		for _, lf := range l.leaves {
			p := v[lf.off : lf.off+lf.size]
			switch {
			case lf.size == 1:
				out = append(out, p[0])
			case lf.size == 2:
				out = le.AppendUint16(out, ne.Uint16(p))
			case lf.size == 4 && lf.kind == reflect.Int:
				out = le.AppendUint64(out, uint64(int64(int32(ne.Uint32(p)))))
			case lf.size == 4 && lf.kind == reflect.Uint:
				out = le.AppendUint64(out, uint64(ne.Uint32(p)))
			case lf.size == 4:
				out = le.AppendUint32(out, ne.Uint32(p))
			default:
				out = le.AppendUint64(out, ne.Uint64(p))
			}
		}
	}
	return out
}

// readValues decodes n values in wire form from src into raw.
func (l *layout) readValues(raw, src []byte, n int) error {
	ne := binary.NativeEndian
	for i := range n {
		v := raw[uintptr(i)*l.size:]
		for _, lf := range l.leaves {
			p := v[lf.off : lf.off+lf.size]
			switch {
			case lf.kind == reflect.Bool:
				if src[0] > 1 {
					return fmt.Errorf("boolean byte %d", src[0])
				}
				p[0] = src[0]
			case lf.size == 1:
				p[0] = src[0]
			case lf.size == 2:
				ne.PutUint16(p, le.Uint16(src))
			case lf.size == 4 && lf.kind == reflect.Int:
				x := int64(le.Uint64(src))
				if int64(int32(x)) != x {
					return fmt.Errorf("int %d overflows this platform's int", x)
				}
				ne.PutUint32(p, uint32(int32(x)))
			case lf.size == 4 && lf.kind == reflect.Uint:
				x := le.Uint64(src)
				if uint64(uint32(x)) != x {
					return fmt.Errorf("uint %d overflows this platform's uint", x)
				}
				ne.PutUint32(p, uint32(x))
			case lf.size == 4:
				ne.PutUint32(p, le.Uint32(src))
			default:
				ne.PutUint64(p, le.Uint64(src))
			}
			src = src[lf.wireSize():]
		}
	}
	return nil
}

// rawBytes returns the n bytes at p.
func rawBytes(p unsafe.Pointer, n uintptr) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)
}

// --- encoder ---

// encoder writes a checkpoint section by section, computing the checksum.
type encoder struct {
	w   *bufio.Writer
	crc uint32
	err error
	tag string
	buf []byte // payload of the current section
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func newEncoder(w io.Writer) *encoder { return &encoder{w: bufio.NewWriterSize(w, 64<<10)} }

// write writes b to the output and the checksum.
func (e *encoder) write(b []byte) {
	if e.err != nil {
		return
	}
	e.crc = crc32.Update(e.crc, castagnoli, b)
	_, e.err = e.w.Write(b)
}

func (e *encoder) header(version string) {
	h := append([]byte(checkpointMagic), 0, 0, 0, 0)
	le.PutUint32(h[len(checkpointMagic):], CheckpointFormat)
	h = le.AppendUint32(h, uint32(len(version)))
	h = append(h, version...)
	e.write(h)
}

func (e *encoder) begin(tag string) { e.tag, e.buf = tag, e.buf[:0] }

func (e *encoder) end() {
	var h [12]byte
	copy(h[:4], e.tag)
	le.PutUint64(h[4:], uint64(len(e.buf)))
	e.write(h[:])
	e.write(e.buf)
}

func (e *encoder) u32(x uint32) { e.buf = le.AppendUint32(e.buf, x) }
func (e *encoder) u64(x uint64) { e.buf = le.AppendUint64(e.buf, x) }

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.buf = append(e.buf, s...)
}

// column appends a value of signature sig: n elements of layout l stored
// in raw.
func (e *encoder) column(sig string, l *layout, n int, raw []byte) {
	e.str(sig)
	e.u64(uint64(n))
	e.buf = l.appendValues(e.buf, raw, n)
}

// value appends v, a plain-data scalar or a slice of plain data.
func (e *encoder) value(v reflect.Value) error {
	t := v.Type()
	if t.Kind() == reflect.Slice {
		l, err := layoutOf(t.Elem())
		if err != nil {
			return err
		}
		e.column("[]"+l.sig, l, v.Len(), rawBytes(v.UnsafePointer(), uintptr(v.Len())*l.size))
		return nil
	}
	l, err := layoutOf(t)
	if err != nil {
		return err
	}
	e.column(l.sig, l, 1, rawBytes(v.Addr().UnsafePointer(), l.size))
	return nil
}

// record appends every field of the struct v: its name, then its value.
func (e *encoder) record(v reflect.Value) error {
	t := v.Type()
	e.u32(uint32(t.NumField()))
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			return fmt.Errorf("field %s is unexported and cannot be checkpointed", f.Name)
		}
		e.str(f.Name)
		if err := e.value(v.Field(i)); err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
	}
	return nil
}

// finish writes the checksum section and flushes.
func (e *encoder) finish() error {
	var sum [4]byte
	le.PutUint32(sum[:], e.crc)
	e.begin("SUM.")
	e.buf = append(e.buf, sum[:]...)
	e.end()
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// --- decoder ---

// readCheckpoint reads a whole checkpoint, checking its magic string,
// format version and checksum.
func readCheckpoint(r io.Reader) ([]byte, error) {
	head := make([]byte, len(checkpointMagic)+8)
	n, err := io.ReadFull(r, head)
	if n < len(checkpointMagic) || string(head[:len(checkpointMagic)]) != checkpointMagic {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		return nil, ErrNotCheckpoint
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, corrupt("truncated header")
		}
		return nil, err
	}
	format := le.Uint32(head[len(checkpointMagic):])
	vlen := le.Uint32(head[len(checkpointMagic)+4:])
	if vlen > 1<<10 {
		return nil, corrupt("header: version string of %d bytes", vlen)
	}
	ver := make([]byte, vlen)
	if _, err := io.ReadFull(r, ver); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, corrupt("truncated header")
		}
		return nil, err
	}
	if format != CheckpointFormat {
		return nil, &formatError{format, string(ver)}
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data := append(append(head, ver...), rest...)
	const trailer = 4 + 8 + 4
	if len(data) < len(head)+len(ver)+trailer || string(data[len(data)-trailer:][:4]) != "SUM." ||
		le.Uint64(data[len(data)-trailer+4:]) != 4 ||
		crc32.Checksum(data[:len(data)-trailer], castagnoli) != le.Uint32(data[len(data)-4:]) {
		return nil, corrupt("checksum mismatch (the file is damaged or truncated)")
	}
	return data[:len(data)-trailer], nil
}

// headerLen returns the length of the header of a checkpoint that
// readCheckpoint accepted.
func headerLen(data []byte) int {
	return len(checkpointMagic) + 8 + int(le.Uint32(data[len(checkpointMagic)+4:]))
}

// decoder reads sections and values; every error is ErrCorruptCheckpoint.
type decoder struct {
	b   []byte
	off int
	tag string
}

func (d *decoder) need(n uint64) ([]byte, error) {
	if n > uint64(len(d.b)-d.off) {
		where := "checkpoint"
		if d.tag != "" {
			where = "section " + d.tag
		}
		return nil, corrupt("%s: truncated", where)
	}
	p := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return p, nil
}

func (d *decoder) u32() (uint32, error) {
	p, err := d.need(4)
	if err != nil {
		return 0, err
	}
	return le.Uint32(p), nil
}

func (d *decoder) u64() (uint64, error) {
	p, err := d.need(8)
	if err != nil {
		return 0, err
	}
	return le.Uint64(p), nil
}

func (d *decoder) str() (string, error) {
	n, err := d.u32()
	if err != nil {
		return "", err
	}
	p, err := d.need(uint64(n))
	return string(p), err
}

// rest returns the unread bytes.
func (d *decoder) rest() []byte {
	p := d.b[d.off:]
	d.off = len(d.b)
	return p
}

// done checks that the section was read to its end.
func (d *decoder) done() error {
	if d.off != len(d.b) {
		return corrupt("section %s: %d bytes left over", d.tag, len(d.b)-d.off)
	}
	return nil
}

// section reads the next section, which must have the given tag, and
// returns a decoder over its payload.
func (d *decoder) section(tag string) (*decoder, error) {
	h, err := d.need(4)
	if err != nil {
		return nil, corrupt("section %s missing", tag)
	}
	if string(h) != tag {
		return nil, corrupt("section %q where %s was expected", h, tag)
	}
	n, err := d.u64()
	if err != nil {
		return nil, err
	}
	p, err := d.need(n)
	if err != nil {
		return nil, corrupt("section %s: truncated", tag)
	}
	return &decoder{b: p, tag: tag}, nil
}

// column reads a value of exactly n elements of layout l into raw.
func (d *decoder) column(l *layout, n int, raw []byte) error {
	sig, err := d.str()
	if err != nil {
		return err
	}
	if sig != l.sig {
		return fmt.Errorf("its definition changed since the checkpoint was written: %s there, %s here", sig, l.sig)
	}
	got, err := d.u64()
	if err != nil {
		return err
	}
	if got != uint64(n) {
		return corrupt("%d values where %d were expected", got, n)
	}
	return d.values(l, n, raw)
}

// values reads n elements of layout l into raw.
func (d *decoder) values(l *layout, n int, raw []byte) error {
	p, err := d.need(uint64(n) * uint64(l.wire))
	if err != nil {
		return err
	}
	if err := l.readValues(raw, p, n); err != nil {
		return corrupt("%v", err)
	}
	return nil
}

// value reads into v, a plain-data scalar or a slice of plain data. A
// slice keeps its backing array when it has the capacity.
func (d *decoder) value(v reflect.Value) error {
	t := v.Type()
	if t.Kind() != reflect.Slice {
		l, err := layoutOf(t)
		if err != nil {
			return err
		}
		return d.column(l, 1, rawBytes(v.Addr().UnsafePointer(), l.size))
	}
	l, err := layoutOf(t.Elem())
	if err != nil {
		return err
	}
	sig, err := d.str()
	if err != nil {
		return err
	}
	if want := "[]" + l.sig; sig != want {
		return fmt.Errorf("its definition changed since the checkpoint was written: %s there, %s here", sig, want)
	}
	n64, err := d.u64()
	if err != nil {
		return err
	}
	if (l.wire > 0 && n64 > uint64(len(d.b)-d.off)/uint64(l.wire)) || (l.wire == 0 && n64 > 1<<20) {
		return corrupt("section %s: truncated", d.tag)
	}
	n := int(n64)
	if v.Cap() >= n {
		v.Set(v.Slice(0, n))
	} else {
		v.Set(reflect.MakeSlice(t, n, n))
	}
	return d.values(l, n, rawBytes(v.UnsafePointer(), uintptr(n)*l.size))
}

// field reads a field that must be called name into v.
func (d *decoder) field(name string, v reflect.Value) error {
	got, err := d.str()
	if err != nil {
		return err
	}
	if got != name {
		return corrupt("section %s: field %s where %s was expected", d.tag, got, name)
	}
	if err := d.value(v); err != nil {
		return fmt.Errorf("field %s: %w", name, err)
	}
	return nil
}

// record reads every field of the struct v, which must be those of the
// checkpoint, in order.
func (d *decoder) record(v reflect.Value) error {
	t := v.Type()
	n, err := d.u32()
	if err != nil {
		return err
	}
	if int(n) != t.NumField() {
		return fmt.Errorf("%d fields in the checkpoint, %d in this bam's %s", n, t.NumField(), t)
	}
	for i := range t.NumField() {
		if err := d.field(t.Field(i).Name, v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}
