package bam_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

// simState gathers everything a resumed simulation must reproduce, by
// name: the recorded history, every component column of every kind (the
// built-in ones as typed slices, and every column, extension state
// included, as bytes), the agent ids, the economy, the loan book, the
// random stream, the period, the parameters and the pipeline.
func simState(t *testing.T, sim *bam.Simulation) map[string]any {
	t.Helper()
	w := sim.World
	rnd, err := w.RandState()
	if err != nil {
		t.Fatal(err)
	}
	params, err := json.Marshal(w.Params)
	if err != nil {
		t.Fatal(err)
	}
	st := map[string]any{
		"History.Rows":            sim.History.Rows,
		"History.FinalProduction": sim.History.FinalProduction,
		"History.FinalDebt":       sim.History.FinalDebt,
		"Producer":                w.Firms.Producer,
		"Employer":                w.Firms.Employer,
		"Borrower":                w.Firms.Borrower,
		"Worker":                  w.Households.Worker,
		"Consumer":                w.Households.Consumer,
		"Shareholder":             w.Households.Shareholder,
		"Lender":                  w.Banks.Lender,
		"Econ":                    w.Econ,
		"Loans":                   *w.Loans,
		"Rand":                    rnd,
		"Period":                  w.Period,
		"Params":                  string(params),
		"Pipeline":                sim.Pipeline.Names(),
		"Extensions":              sim.Extensions(),
		"Collapsed":               sim.Collapsed(),
		"RnDState":                extensions.RnDStates(w),
		"BufferStockState":        extensions.BufferStockStates(w),
	}
	for _, k := range []ecs.Kind{ecs.Firms, ecs.Households, ecs.Banks} {
		ids, entered := sim.AgentIDs(k)
		st["AgentIDs/"+k.String()] = [2]any{slices.Clone(ids), slices.Clone(entered)}
		cols, err := w.Columns(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			st[fmt.Sprintf("%s/%v", k, c.Type)] = slices.Clone(c.Bytes)
		}
	}
	return st
}

// sameState reports every difference between two states.
func sameState(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok || !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s differs", what, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected %s", what, k)
		}
	}
}

func checkpoint(t *testing.T, sim *bam.Simulation) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sim.Checkpoint(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func resume(t *testing.T, data []byte) *bam.Simulation {
	t.Helper()
	sim, err := bam.Resume(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// small returns the scenario name with a small population, seed and run
// length, after --set style assignments.
func small(t *testing.T, name string, seed uint64, sets ...string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		if err := sc.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	sc.Params.Seed = seed
	return sc
}

// TestCheckpointResume is the acceptance test from Go: Step n, Checkpoint,
// Resume, Step m equals Step n+m, for the baseline, each extension
// scenario, the non-default matching rules, extensions attached with Use,
// and a checkpoint taken before the first period.
func TestCheckpointResume(t *testing.T) {
	type build func(t *testing.T) *bam.Simulation
	fromScenario := func(name string, seed uint64, sets ...string) build {
		return func(t *testing.T) *bam.Simulation {
			sim, err := bam.NewFromScenario(small(t, name, seed, sets...))
			if err != nil {
				t.Fatal(err)
			}
			return sim
		}
	}
	withUse := func(t *testing.T) *bam.Simulation {
		p := ecs.DefaultParams()
		p.Seed = 11
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Use(extensions.Taxation, extensions.RnD); err != nil {
			t.Fatal(err)
		}
		return sim
	}
	tests := []struct {
		name string
		new  build
		n, m int
	}{
		{"baseline", fromScenario("baseline", 1), 70, 60},
		{"baseline at period 0", fromScenario("baseline", 2), 0, 40},
		{"baseline seed 7", fromScenario("baseline", 7, "n_firms=40", "n_households=200", "n_banks=4"), 33, 50},
		{"growth_plus", fromScenario("growth_plus", 3), 60, 60},
		{"buffer_stock", fromScenario("buffer_stock", 4), 50, 50},
		{"taxation", fromScenario("taxation", 5, "profit_tax_rate=0.3"), 40, 40},
		{"vacancies_only random", fromScenario("baseline", 6, `job_search_method="vacancies_only"`, `consumer_matching="random"`, "cap_factor=2", "max_Z=3"), 45, 45},
		{"Use after New", withUse, 50, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			whole := tt.new(t)
			whole.Run(tt.n + tt.m)

			first := tt.new(t)
			first.Run(tt.n)
			data := checkpoint(t, first)
			resumed := resume(t, data)
			sameState(t, "resumed", simState(t, resumed), simState(t, first))
			if again := checkpoint(t, resumed); !bytes.Equal(again, data) {
				t.Error("the checkpoint of the resumed simulation differs from the one it was resumed from")
			}
			if got := resumed.Run(tt.m); got != tt.m {
				t.Fatalf("resumed Run(%d) = %d", tt.m, got)
			}
			sameState(t, "resumed then run", simState(t, resumed), simState(t, whole))

			// Checkpointing did not disturb the simulation it was taken of.
			first.Run(tt.m)
			sameState(t, "checkpointed then run", simState(t, first), simState(t, whole))
			if len(whole.History.Rows) != tt.n+tt.m {
				t.Errorf("%d rows, want %d", len(whole.History.Rows), tt.n+tt.m)
			}
		})
	}
}

// TestCheckpointScenario checks that the scenario (name, source, hooks,
// extensions, parameters) and the world's parameters come back.
func TestCheckpointScenario(t *testing.T) {
	sc, err := scenarios.Parse("hooks.toml", []byte(`name = "hooked"
extensions = ["rnd"]
sigma_max = 0.2
theta = 6

[[hooks]]
remove = "firms_fire_excess_workers"
`))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(20)
	sim.World.Params.Theta = 4 // a policy change during the run
	data := checkpoint(t, sim)
	r := resume(t, data)
	if !reflect.DeepEqual(r.Scenario, sim.Scenario) {
		t.Errorf("scenario\n%+v\nwant\n%+v", r.Scenario, sim.Scenario)
	}
	if r.World.Params.Theta != 4 || r.Scenario.Params.Theta != 6 {
		t.Errorf("theta: world %d, scenario %d; want 4 and 6", r.World.Params.Theta, r.Scenario.Params.Theta)
	}
	if r.Pipeline.Has("firms_fire_excess_workers") {
		t.Error("the hook was not applied")
	}
	info, err := bam.ReadCheckpointInfo(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != bam.CheckpointFormat || info.Period != 20 || info.Scenario.Name != "hooked" ||
		!slices.Equal(info.Extensions, []string{"rnd"}) || !slices.Equal(info.Pipeline, sim.Pipeline.Names()) ||
		info.Params.Theta != 4 || info.Version == "" || info.Collapsed {
		t.Errorf("info = %+v", info)
	}
}

// TestCheckpointCollapsed checks that a collapsed economy stays collapsed.
func TestCheckpointCollapsed(t *testing.T) {
	p := ecs.DefaultParams()
	zero := 0.0
	p.NetWorthInit = &zero
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(5)
	r := resume(t, checkpoint(t, sim))
	if !r.Collapsed() || r.Step() || r.Period() != 1 {
		t.Errorf("resumed: collapsed %v, period %d", r.Collapsed(), r.Period())
	}
}

// TestResumedStepAllocatesNothing checks that resuming keeps the
// pre-allocated buffers: a resumed period allocates nothing.
func TestResumedStepAllocatesNothing(t *testing.T) {
	sim, err := bam.NewFromScenario(small(t, "growth_plus", 1))
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(50)
	r := resume(t, checkpoint(t, sim))
	r.Run(10)
	r.Reserve(100)
	if a := testing.AllocsPerRun(20, func() { r.Step() }); a != 0 {
		t.Errorf("%v allocations per resumed step", a)
	}
}

// TestCheckpointCustomSystems checks the pipeline rebuild: a registered
// system inserted from Go is rebuilt by name; an unregistered one, or one
// replaced by another type under a built-in name, is a clear error.
func TestCheckpointCustomSystems(t *testing.T) {
	counter := func(w *ecs.World) { w.Econ.MinWage *= 1.0001 }
	if err := bam.RegisterSystem("ckpt_test_min_wage_drift", func(*ecs.World) ecs.System {
		return ecs.Func{ID: "ckpt_test_min_wage_drift", Fn: counter}
	}); err != nil {
		t.Fatal(err)
	}
	t.Run("registered", func(t *testing.T) {
		mk := func() *bam.Simulation {
			sim, err := bam.New(ecs.DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			if err := sim.Pipeline.InsertAfter("adjust_minimum_wage", ecs.Func{ID: "ckpt_test_min_wage_drift", Fn: counter}); err != nil {
				t.Fatal(err)
			}
			return sim
		}
		whole := mk()
		whole.Run(60)
		first := mk()
		first.Run(30)
		r := resume(t, checkpoint(t, first))
		if !r.Pipeline.Has("ckpt_test_min_wage_drift") {
			t.Fatal("the registered system was not rebuilt")
		}
		r.Run(30)
		sameState(t, "resumed", simState(t, r), simState(t, whole))
	})
	t.Run("unregistered", func(t *testing.T) {
		sim, err := bam.New(ecs.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Pipeline.InsertAfter("adjust_minimum_wage", ecs.Func{ID: "my_unregistered", Fn: counter}); err != nil {
			t.Fatal(err)
		}
		sim.Run(3)
		_, err = bam.Resume(bytes.NewReader(checkpoint(t, sim)))
		want := `resume: system "my_unregistered" (github.com/bam-abm/bam/ecs.Func) at position 9 of the checkpointed pipeline is neither placed by scenario custom nor registered`
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Resume = %v\nwant prefix %s", err, want)
		}
	})
	t.Run("replaced", func(t *testing.T) {
		sim, err := bam.New(ecs.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.Pipeline.Replace("firms_plan_price", ecs.Func{ID: "firms_plan_price", Fn: func(*ecs.World) {}}); err != nil {
			t.Fatal(err)
		}
		sim.Run(3)
		_, err = bam.Resume(bytes.NewReader(checkpoint(t, sim)))
		want := `resume: system "firms_plan_price" at position 3 of the checkpointed pipeline was a github.com/bam-abm/bam/ecs.Func; the system registered under that name is a github.com/bam-abm/bam/systems.FirmsPlanPrice`
		if err == nil || err.Error() != want {
			t.Errorf("Resume = %v\nwant %s", err, want)
		}
	})
}

// TestCheckpointRejects checks the errors for files that are not
// checkpoints, of another format, damaged or truncated.
func TestCheckpointRejects(t *testing.T) {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(5)
	good := checkpoint(t, sim)

	otherFormat := slices.Clone(good)
	binary.LittleEndian.PutUint32(otherFormat[8:], bam.CheckpointFormat+1)
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x40

	tests := []struct {
		name string
		data []byte
		is   error
		msg  string
	}{
		{"empty", nil, bam.ErrNotCheckpoint, "resume: not a bam checkpoint"},
		{"csv", []byte("period,unemployment_rate\n1,0.05\n"), bam.ErrNotCheckpoint, "resume: not a bam checkpoint"},
		{"magic prefix", good[:5], bam.ErrNotCheckpoint, "resume: not a bam checkpoint"},
		{"other format", otherFormat, bam.ErrCheckpointFormat,
			fmt.Sprintf("resume: checkpoint format %d (written by bam ", bam.CheckpointFormat+1)},
		{"flipped byte", flipped, bam.ErrCorruptCheckpoint, "resume: corrupt checkpoint: checksum mismatch (the file is damaged or truncated)"},
		{"truncated", good[:len(good)-100], bam.ErrCorruptCheckpoint, "resume: corrupt checkpoint: checksum mismatch"},
		{"header only", good[:12], bam.ErrCorruptCheckpoint, "resume: corrupt checkpoint: truncated header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bam.Resume(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.is) || !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("Resume = %v, want %v starting %q", err, tt.is, tt.msg)
			}
			if _, err := bam.ReadCheckpointInfo(bytes.NewReader(tt.data)); !errors.Is(err, tt.is) {
				t.Errorf("ReadCheckpointInfo = %v, want %v", err, tt.is)
			}
		})
	}
	if _, err := bam.Resume(bytes.NewReader(otherFormat)); !strings.HasSuffix(err.Error(), fmt.Sprintf("this bam reads %d", bam.CheckpointFormat)) {
		t.Errorf("other format: %v", err)
	}

	// Every truncation is an error.
	for n := range len(good) {
		if n%97 != 0 && n < len(good)-64 {
			continue
		}
		if _, err := bam.Resume(bytes.NewReader(good[:n])); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(good))
		}
	}
}

// TestCheckpointMalformed damages a checkpoint behind a valid checksum:
// whatever the damage, Resume returns an error or a simulation, and never
// panics.
func TestCheckpointMalformed(t *testing.T) {
	sim, err := bam.NewFromScenario(small(t, "growth_plus", 2, "n_firms=10", "n_households=50", "n_banks=3"))
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(12)
	good := checkpoint(t, sim)
	body := len(good) - 16
	errs := 0
	for i := 12; i < body; i += 1 + i/64 {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b := slices.Clone(good)
			b[i] ^= x
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("byte %d ^ %#x: panic %v", i, x, r)
					}
				}()
				if _, err := bam.Resume(bytes.NewReader(reseal(b))); err != nil {
					errs++
				}
			}()
		}
	}
	if errs == 0 {
		t.Error("no damage was detected")
	}
}

// TestCheckpointMidPeriod checks that a checkpoint taken by an observer
// in the middle of a period is refused.
func TestCheckpointMidPeriod(t *testing.T) {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	var got error
	sim.Pipeline.Observe("firms_run_production", func(*ecs.World) {
		got = sim.Checkpoint(&bytes.Buffer{})
	})
	sim.Step()
	if got == nil || !strings.Contains(got.Error(), "a period is in progress") {
		t.Errorf("Checkpoint mid-period = %v", got)
	}
}

// opaqueState is an extension component that cannot be checkpointed.
type opaqueState struct {
	Weights []float64
}

func TestCheckpointUnsupportedComponent(t *testing.T) {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.AddComponent[opaqueState](sim.World, ecs.Banks); err != nil {
		t.Fatal(err)
	}
	err = sim.Checkpoint(&bytes.Buffer{})
	want := "checkpoint: component github.com/bam-abm/bam_test.opaqueState of banks: bam_test.opaqueState.Weights is a slice; only plain data"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Checkpoint = %v\nwant prefix %s", err, want)
	}
}

// TestCheckpointMissingComponent checks that a component in the checkpoint
// that the rebuilt simulation lacks (added from Go, not by an extension)
// is named.
func TestCheckpointMissingComponent(t *testing.T) {
	type tag struct{ N int64 }
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.AddComponent[tag](sim.World, ecs.Firms); err != nil {
		t.Fatal(err)
	}
	_, err = bam.Resume(bytes.NewReader(checkpoint(t, sim)))
	want := "resume: the checkpoint's firms have component github.com/bam-abm/bam_test.tag, the rebuilt simulation's do not"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Resume = %v\nwant prefix %s", err, want)
	}
}

// TestCheckpointInconsistentResealed (issue 12, case 9): a checkpoint whose
// META was edited (its period, its collapse flag) and re-signed with a
// valid checksum is refused as corrupt instead of resuming into repeated
// periods or ignoring the flag.
func TestCheckpointInconsistentResealed(t *testing.T) {
	sim, err := bam.NewFromScenario(small(t, "baseline", 2, "n_firms=10", "n_households=50", "n_banks=3"))
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(12)
	good := checkpoint(t, sim)
	for _, tc := range []struct{ from, to, want string }{
		{`"period":12`, `"period":11`, "history has 12 rows"},
		{`"collapsed":false`, `"collapsed":true `, "META says collapsed true"},
	} {
		i := bytes.Index(good, []byte(tc.from))
		if i < 0 {
			t.Fatalf("%s not in the checkpoint", tc.from)
		}
		b := slices.Clone(good)
		copy(b[i:], tc.to)
		_, err := bam.Resume(bytes.NewReader(reseal(b)))
		if !errors.Is(err, bam.ErrCorruptCheckpoint) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s: error %v; want a corrupt checkpoint, %q", tc.from, tc.to, err, tc.want)
		}
	}
}

// reseal writes a valid checksum over the checkpoint b after its bytes
// were changed (the last 16 bytes are the SUM. section, whose last 4 are
// the CRC-32C of everything before the section).
func reseal(b []byte) []byte {
	body := len(b) - 16
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:body], crc32.MakeTable(crc32.Castagnoli)))
	return b
}
