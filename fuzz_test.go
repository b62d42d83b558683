package bam_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	ckpt "github.com/bam-abm/bam/internal/checkpoint"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

// fuzzMaxInput bounds the inputs of the fuzz targets. ParseCollect is
// linear, but an accepted request is also collected on two small
// simulations (a series per item), and ReadCheckpointInfo checksums and
// decodes the whole file several times per execution; a checkpoint of the
// small simulations below is about 12 kB, so 64 KiB is plenty.
const fuzzMaxInput = 64 << 10

// FuzzParseCollect feeds arbitrary requests to ParseCollect and checks what
// it promises:
//
//   - it returns exactly one of specs and an error; the error is one
//     non-empty line, of the class ErrBadCollect or ErrUnknownVariable (the
//     names are checked, the capture systems are not);
//   - the accepted specs are the request's comma-separated items in order,
//     each NAME or NAME@SYSTEM with the spaces around them dropped: a
//     non-empty name that is a registered variable, a component or an
//     economy series (then without a capture system), and a capture system
//     without "@";
//   - rendering the specs back with CollectSpec.String, joined by commas,
//     parses to the same specs;
//   - Simulation.Collect takes the specs, or refuses them only for what
//     ParseCollect leaves to it (an unknown capture system, a variable of
//     an extension that is not attached), and then collects every name.
func FuzzParseCollect(f *testing.F) {
	for _, s := range []string{
		// Valid requests, from the tests, the examples and the docs.
		"Producer.production@firms_run_production,Worker.wage,Lender.equity_base",
		"Producer.production@firms_run_production, Worker.wage, unemployment_rate",
		"Producer.production@firms_run_production,Worker.employed@firms_run_production,Lender.equity_base",
		"Worker@firms_run_production,Worker.employed,Employer.total_funds,Borrower.wage_bill",
		"RnD,BufferStock.propensity,Producer.labor_productivity",
		"RnD.sigma", "Producer", "gdp", "period", "unsold_share",
		" Producer.price @ firms_run_production , Consumer.savings ",
		"Producer.price@no_such_system", "Worker.wage,Worker.wage,Worker",
		"Shareholder.dividends@\u00e9t\u00e9", "Lender.opex_shock@a b",
		"\tgdp\n,\u00a0employed\u2028",
		// Errors of the package's tests.
		"", " ", ",", "Worker.wage,,Producer.price", "Worker.wage@", "Worker.wage@a@b", "@x",
		"Producer.prodution", "Prodcer.production", "unemployment", "Lender.equity",
		"gdp@firms_run_production", "Producer.production@firms_run_prod",
		"TestWealth,TestWealth.double,TestWealth.total",
		"Producer.", ".production", "Producer..price", "Producer.price.x", "producer.price",
		"Worker.wage,", ",Worker.wage", "gdp@ ", "\xff\xfe", "Worker.wage@\x00",
		strings.Repeat("gdp,", 200) + "gdp",
		strings.Repeat("x", 2000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		specs, err := bam.ParseCollect(s)
		if err != nil {
			if specs != nil {
				t.Fatalf("ParseCollect(%q) returned both specs and the error %v", s, err)
			}
			checkOneLine(t, err)
			if !errors.Is(err, bam.ErrBadCollect) && !errors.Is(err, bam.ErrUnknownVariable) {
				t.Fatalf("ParseCollect(%q): error %v is neither ErrBadCollect nor ErrUnknownVariable", s, err)
			}
			if strings.TrimSpace(s) == "" && !errors.Is(err, bam.ErrBadCollect) {
				t.Fatalf("ParseCollect(%q), an empty request: %v is not ErrBadCollect", s, err)
			}
			return
		}
		if specs == nil {
			t.Fatalf("ParseCollect(%q) returned neither specs nor an error", s)
		}
		items := strings.Split(s, ",")
		if len(specs) != len(items) {
			t.Fatalf("ParseCollect(%q): %d specs for %d items", s, len(specs), len(items))
		}
		for i, sp := range specs {
			name, at, hasAt := strings.Cut(strings.TrimSpace(items[i]), "@")
			if sp.Name != strings.TrimSpace(name) || sp.At != strings.TrimSpace(at) {
				t.Fatalf("ParseCollect(%q): item %d %q gave %+v", s, i+1, items[i], sp)
			}
			if hasAt && sp.At == "" {
				t.Fatalf("ParseCollect(%q): item %d %q has an empty capture system", s, i+1, items[i])
			}
			checkCollectSpec(t, sp)
		}
		// Round trip through the text form.
		parts := make([]string, len(specs))
		for i, sp := range specs {
			parts[i] = sp.String()
		}
		for _, sep := range []string{",", " , "} {
			text := strings.Join(parts, sep)
			back, err := bam.ParseCollect(text)
			if err != nil {
				t.Fatalf("ParseCollect(%q) gave %q, which ParseCollect refuses: %v", s, text, err)
			}
			if !slices.Equal(back, specs) {
				t.Fatalf("ParseCollect(%q) gave %v; its text %q parses to %v", s, specs, text, back)
			}
		}
		checkCollect(t, s, specs)
	})
}

// checkCollectSpec checks an accepted spec against the documented forms of
// CollectSpec.Name and At.
func checkCollectSpec(t *testing.T, sp bam.CollectSpec) {
	t.Helper()
	if sp.Name == "" || strings.TrimSpace(sp.Name) != sp.Name || strings.ContainsAny(sp.Name, ",@") {
		t.Fatalf("accepted the name %q", sp.Name)
	}
	if strings.TrimSpace(sp.At) != sp.At || strings.ContainsAny(sp.At, ",@") {
		t.Fatalf("accepted the capture system %q", sp.At)
	}
	economy := slices.ContainsFunc(bam.Columns, func(c bam.Column) bool { return c.Name == sp.Name })
	_, variable := ecs.LookupVariable(sp.Name)
	component := !strings.Contains(sp.Name, ".") && len(ecs.VariablesOf(sp.Name)) > 0
	switch {
	case economy && sp.At != "":
		t.Fatalf("accepted the economy series %s with a capture system", sp)
	case !economy && !variable && !component:
		t.Fatalf("accepted %s, neither a variable, a component nor an economy series", sp)
	}
}

// collectParams are the parameters of the simulations Collect is tried on:
// small, and short, as Collect reserves storage for the whole run.
func collectParams() ecs.Params {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks, p.NPeriods = 5, 20, 2, 2
	return p
}

// checkCollect tries the accepted specs on a fresh small simulation, with
// and without the R&D and buffer-stock extensions.
func checkCollect(t *testing.T, s string, specs []bam.CollectSpec) {
	t.Helper()
	for _, exts := range [][]*extensions.Extension{nil, {extensions.RnD, extensions.BufferStock}} {
		sim, err := bam.New(collectParams())
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Use(exts...); err != nil {
			t.Fatal(err)
		}
		c, err := sim.Collect(specs...)
		if err != nil {
			if !errors.Is(err, bam.ErrUnknownSystem) && !errors.Is(err, bam.ErrUnavailable) {
				t.Fatalf("Collect(ParseCollect(%q)): %v; ParseCollect should have refused it", s, err)
			}
			// With every built-in extension attached, only a component
			// registered by a test (TestWealth of collect_test.go, which
			// no simulation here has) can be missing.
			if errors.Is(err, bam.ErrUnavailable) && len(exts) > 0 && builtinOnly(specs) {
				t.Fatalf("Collect(ParseCollect(%q)) with every extension attached: %v", s, err)
			}
			continue
		}
		got := c.Variables()
		for _, sp := range specs {
			var want []string
			if _, ok := ecs.LookupVariable(sp.Name); ok || strings.Contains(sp.Name, ".") {
				want = []string{sp.String()}
			} else if vs := ecs.VariablesOf(sp.Name); len(vs) > 0 {
				for _, v := range vs {
					if !v.Explicit {
						want = append(want, bam.CollectSpec{Name: v.Name, At: sp.At}.String())
					}
				}
			} else {
				want = []string{sp.String()} // an economy series
			}
			for _, w := range want {
				if !slices.Contains(got, w) {
					t.Fatalf("Collect(ParseCollect(%q)) collects %v, without %s", s, got, w)
				}
			}
		}
		sim.Step()
		if c.Len() != 1 {
			t.Fatalf("Collect(ParseCollect(%q)): %d periods recorded after one step", s, c.Len())
		}
	}
}

// checkOneLine checks that err has a message of one non-empty line.
func checkOneLine(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if strings.TrimSpace(msg) == "" {
		t.Fatalf("error without a message: %#v", err)
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error message is not one line: %q", msg)
	}
}

// fuzzCheckpoint is a checkpoint of a small simulation and what
// ReadCheckpointInfo must say about it.
type fuzzCheckpoint struct {
	data []byte
	want *bam.CheckpointInfo
}

// fuzzCheckpoints makes checkpoints of small simulations: the baseline
// after a few periods, Growth+ and buffer-stock before the first one and
// after one, and a default simulation with extensions attached from Go.
func fuzzCheckpoints(f *testing.F) []fuzzCheckpoint {
	f.Helper()
	var out []fuzzCheckpoint
	add := func(sim *bam.Simulation) {
		var b bytes.Buffer
		if err := sim.Checkpoint(&b); err != nil {
			f.Fatal(err)
		}
		if _, err := bam.Resume(bytes.NewReader(b.Bytes())); err != nil {
			f.Fatalf("the checkpoint does not resume: %v", err)
		}
		if b.Len() > fuzzMaxInput {
			f.Fatalf("a checkpoint of %d bytes exceeds fuzzMaxInput", b.Len())
		}
		out = append(out, fuzzCheckpoint{b.Bytes(), &bam.CheckpointInfo{
			Format: bam.CheckpointFormat, Scenario: sim.Scenario, Params: sim.World.Params,
			Extensions: sim.Extensions(), Pipeline: sim.Pipeline.Names(), Period: sim.World.Period,
			Collapsed: sim.World.Econ.Collapsed,
		}})
	}
	for _, tc := range []struct {
		name    string
		periods []int
	}{{"baseline", []int{4}}, {"growth_plus", []int{0, 1}}, {"buffer_stock", []int{0, 1}}} {
		for _, n := range tc.periods {
			sc, err := scenarios.Load(tc.name)
			if err != nil {
				f.Fatal(err)
			}
			for _, s := range []string{"n_firms=5", "n_households=20", "n_banks=2", "seed=3", "n_periods=10"} {
				if err := sc.Set(s); err != nil {
					f.Fatal(err)
				}
			}
			sim, err := bam.NewFromScenario(sc)
			if err != nil {
				f.Fatal(err)
			}
			sim.Run(n)
			add(sim)
		}
	}
	sim, err := bam.New(collectParams())
	if err != nil {
		f.Fatal(err)
	}
	if err := sim.Use(extensions.Taxation, extensions.RnD); err != nil {
		f.Fatal(err)
	}
	sim.Run(2)
	add(sim)
	return out
}

// fuzzCastagnoli is the table of the checkpoints' CRC-32C.
var fuzzCastagnoli = crc32.MakeTable(crc32.Castagnoli)

// fuzzReseal returns a copy of b with a valid checksum, when b ends with a
// SUM. section, and false otherwise.
func fuzzReseal(b []byte) ([]byte, bool) {
	const trailer = 16
	if len(b) < trailer || string(b[len(b)-trailer:][:4]) != "SUM." || binary.LittleEndian.Uint64(b[len(b)-12:]) != 4 {
		return nil, false
	}
	c := bytes.Clone(b)
	binary.LittleEndian.PutUint32(c[len(c)-4:], crc32.Checksum(c[:len(c)-trailer], fuzzCastagnoli))
	return c, true
}

// FuzzReadCheckpointInfo feeds arbitrary files, and the same files with a
// valid checksum written over them (so that the metadata itself is
// fuzzed), to ReadCheckpointInfo and checks what it promises:
//
//   - it returns exactly one of a description and an error, and the error
//     is exactly one of ErrNotCheckpoint, ErrCheckpointFormat and
//     ErrCorruptCheckpoint: the container's error when checkpoint.Open
//     refuses the file, ErrCorruptCheckpoint when only the metadata is bad;
//   - an accepted file is of CheckpointFormat with a scenario, and its
//     description is what its META section says;
//   - the checkpoints of real simulations are described as they were;
//   - flipping one bit of an accepted file makes it refused (the checksum
//     covers everything but the magic string and the format, whose damage
//     is reported as such).
func FuzzReadCheckpointInfo(f *testing.F) {
	cks := fuzzCheckpoints(f)
	wants := map[string]*bam.CheckpointInfo{}
	for _, c := range cks {
		wants[string(c.data)] = c.want
		d := c.data
		f.Add(d)
		// Torn and bit-flipped copies, plain and resealed.
		f.Add(d[:len(d)/2])
		f.Add(d[:len(d)-1])
		f.Add(d[:12])
		f.Add(d[:5])
		flipped := bytes.Clone(d)
		flipped[len(flipped)/3] ^= 0x20
		f.Add(flipped)
		other := bytes.Clone(d)
		binary.LittleEndian.PutUint32(other[8:], bam.CheckpointFormat+1)
		f.Add(other)
		// Edited metadata behind a valid checksum.
		for _, edit := range [][2]string{
			{`"program":"bam"`, `"program":"mab"`},
			{`"scenario":{`, `"scenario":null,"x":{`},
			{`"period":`, `"period":-`},
			{`"collapsed":false`, `"collapsed":"no!"`},
			{`"pipeline":[`, `"pipeline":[1,`},
			{`"extensions":`, `"extensions":{},"y":`},
			{`"n_firms":5`, `"n_firms":5e9`},
		} {
			if i := bytes.Index(d, []byte(edit[0])); i >= 0 {
				e := slices.Concat(d[:i], []byte(edit[1]), d[i+len(edit[0]):])
				body := d[:len(d)-16]
				// Keep the META length right: it is the uint64 after the tag.
				if j := bytes.Index(body, []byte("META")); j >= 0 {
					n := binary.LittleEndian.Uint64(e[j+4:])
					binary.LittleEndian.PutUint64(e[j+4:], n+uint64(len(edit[1])-len(edit[0])))
				}
				if r, ok := fuzzReseal(e); ok {
					f.Add(r)
				}
			}
		}
	}
	for _, s := range []string{"", "period,unemployment_rate\n1,0.05\n", ckpt.Magic, ckpt.Magic + "\x01\x00\x00\x00\xff\xff\xff\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		checkCheckpointInfo(t, data, wants[string(data)])
		if r, ok := fuzzReseal(data); ok && !bytes.Equal(r, data) {
			checkCheckpointInfo(t, r, wants[string(r)])
		}
	})
}

// checkpointErrs are the error classes of ReadCheckpointInfo.
var checkpointErrs = []error{bam.ErrNotCheckpoint, bam.ErrCheckpointFormat, bam.ErrCorruptCheckpoint}

// checkpointClass returns the one error class of err, failing if there is
// not exactly one.
func checkpointClass(t *testing.T, err error) error {
	t.Helper()
	var class error
	for _, c := range checkpointErrs {
		if errors.Is(err, c) {
			if class != nil {
				t.Fatalf("error %v is both %v and %v", err, class, c)
			}
			class = c
		}
	}
	if class == nil {
		t.Fatalf("error %v (%T) is none of ErrNotCheckpoint, ErrCheckpointFormat, ErrCorruptCheckpoint", err, err)
	}
	if strings.TrimSpace(err.Error()) == "" {
		t.Fatalf("error without a message: %#v", err)
	}
	return class
}

// checkCheckpointInfo checks ReadCheckpointInfo on data; want, if not nil,
// is the description data must have.
func checkCheckpointInfo(t *testing.T, data []byte, want *bam.CheckpointInfo) {
	t.Helper()
	info, err := bam.ReadCheckpointInfo(bytes.NewReader(data))
	d, _, oerr := ckpt.Open(bytes.NewReader(data))
	if err != nil {
		if info != nil {
			t.Fatalf("ReadCheckpointInfo returned both a description and the error %v", err)
		}
		if want != nil {
			t.Fatalf("a real checkpoint is refused: %v", err)
		}
		class := checkpointClass(t, err)
		if oerr != nil {
			if oclass := checkpointClass(t, oerr); class != oclass {
				t.Fatalf("ReadCheckpointInfo: %v; checkpoint.Open: %v", err, oerr)
			}
		} else if class != bam.ErrCorruptCheckpoint {
			t.Fatalf("the container is sound but ReadCheckpointInfo says %v", err)
		}
		return
	}
	if info == nil {
		t.Fatal("ReadCheckpointInfo returned neither a description nor an error")
	}
	if oerr != nil {
		t.Fatalf("ReadCheckpointInfo accepted a file checkpoint.Open refuses: %v", oerr)
	}
	if info.Format != bam.CheckpointFormat || info.Scenario == nil {
		t.Fatalf("accepted format %d, scenario %v", info.Format, info.Scenario)
	}
	// The description is the META section's.
	sd, err := d.Section("META")
	if err != nil {
		t.Fatalf("accepted a checkpoint without META: %v", err)
	}
	var meta struct {
		Program    string   `json:"program"`
		Version    string   `json:"version"`
		GoVersion  string   `json:"go_version"`
		Extensions []string `json:"extensions"`
		Pipeline   []struct {
			Name string `json:"name"`
		} `json:"pipeline"`
		Period    int  `json:"period"`
		Collapsed bool `json:"collapsed"`
	}
	if err := json.Unmarshal(sd.Rest(), &meta); err != nil {
		t.Fatalf("accepted a checkpoint whose META does not decode: %v", err)
	}
	var names []string
	for _, p := range meta.Pipeline {
		names = append(names, p.Name)
	}
	if meta.Program != "bam" || info.Version != meta.Version || info.GoVersion != meta.GoVersion ||
		!slices.Equal(info.Extensions, meta.Extensions) || !slices.Equal(info.Pipeline, names) ||
		info.Period != meta.Period || info.Collapsed != meta.Collapsed {
		t.Fatalf("description %+v differs from META %+v", info, meta)
	}
	if want != nil {
		checkWantInfo(t, info, want)
	}
	// One flipped bit is noticed: in the magic string as not a checkpoint,
	// in the format as another format, anywhere else as damage.
	for _, i := range []int{len(data) / 2, len(data) - 1, int(crc32.ChecksumIEEE(data) % uint32(len(data)))} {
		b := bytes.Clone(data)
		b[i] ^= 1 << (i % 8)
		_, err := bam.ReadCheckpointInfo(bytes.NewReader(b))
		want := bam.ErrCorruptCheckpoint
		switch {
		case i < len(ckpt.Magic):
			want = bam.ErrNotCheckpoint
		case i < len(ckpt.Magic)+4:
			want = bam.ErrCheckpointFormat
		}
		if err == nil {
			t.Fatalf("byte %d of %d flipped: accepted", i, len(data))
		}
		if class := checkpointClass(t, err); class != want {
			t.Fatalf("byte %d of %d flipped: %v, want %v", i, len(data), err, want)
		}
	}
}

// checkWantInfo compares the description of a real checkpoint with the
// simulation's state.
func checkWantInfo(t *testing.T, info, want *bam.CheckpointInfo) {
	t.Helper()
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if info.Period != want.Period || info.Collapsed != want.Collapsed || !slices.Equal(info.Extensions, want.Extensions) ||
		!slices.Equal(info.Pipeline, want.Pipeline) || js(info.Params) != js(want.Params) ||
		js(info.Scenario) != js(want.Scenario) || info.Version == "" || info.GoVersion == "" {
		t.Fatalf("description of a real checkpoint:\n got %+v\nwant %+v", info, want)
	}
}

// builtinOnly reports whether every spec names a variable of the core
// components or of the built-in extensions (or an economy series).
func builtinOnly(specs []bam.CollectSpec) bool {
	builtin := []string{"Producer", "Employer", "Borrower", "Worker", "Consumer", "Shareholder", "Lender", "RnD", "BufferStock"}
	for _, sp := range specs {
		comp, _, dotted := strings.Cut(sp.Name, ".")
		if (dotted || len(ecs.VariablesOf(comp)) > 0) && !slices.Contains(builtin, comp) {
			return false
		}
	}
	return true
}
