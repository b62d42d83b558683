package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/systems/extensions"
)

// bamWith runs the command line with options opts and arguments args.
func bamWith(t *testing.T, opts []Option, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := runWith(context.Background(), args, &env{stdout: &out, stderr: &errb, now: time.Now}, opts)
	return result{code, out.String(), errb.String()}
}

// optWage is the per-test minimum-wage policy of the options tests: it
// multiplies ŵ by the parameter param in period 5.
func optWage(name, param string) ecs.Factory {
	return func(*ecs.World) ecs.System {
		return ecs.Func{ID: name, Fn: func(w *ecs.World) {
			if w.Period == 5 {
				w.Econ.MinWage *= w.Params.ExtValue(param)
			}
		}}
	}
}

// TestOptionsModel registers a system, its parameter and a scenario and
// checks that pipeline, params, run (run.json, the program name) and plot
// see them.
func TestOptionsModel(t *testing.T) {
	param := ecs.ExtFloat("opt_test_factor", 1.5, 1, 4, false, false, "test factor of the options test")
	doc := []byte("n_periods = 30\nopt_test_factor = 3\n\n[[hooks]]\nafter = \"adjust_minimum_wage\"\nsystems = [\"opt_test_raise\"]\n")
	opts := []Option{
		Name("mymodel"),
		Param(param),
		System("opt_test_raise", optWage("opt_test_raise", "opt_test_factor")),
		Scenario("opt_test_scenario", doc),
	}
	r := bamWith(t, opts, "pipeline", "opt_test_scenario")
	if r.code != 0 {
		t.Fatalf("pipeline: exit %d, stderr %q", r.code, r.stderr)
	}
	names := lines(r.stdout)
	if i := slices.Index(names, "adjust_minimum_wage"); i < 0 || i+1 >= len(names) || names[i+1] != "opt_test_raise" {
		t.Errorf("pipeline: opt_test_raise not after adjust_minimum_wage: %v", names)
	}

	// Registered already: the commands below run without options (the
	// registrations are process-wide), but with the name.
	named := []Option{Name("mymodel")}
	r = bamWith(t, named, "params", "opt_test_scenario")
	if r.code != 0 || !strings.Contains(r.stdout, "opt_test_factor") || !strings.Contains(r.stdout, "test factor of the options test") {
		t.Errorf("params: exit %d, the parameter not listed:\n%s", r.code, r.stdout)
	}
	out := filepath.Join(t.TempDir(), "run")
	r = bamWith(t, named, append([]string{"run", "--quiet", "--out", out, "opt_test_scenario"}, small...)...)
	if r.code != 0 {
		t.Fatalf("run: exit %d, stderr %q", r.code, r.stderr)
	}
	m, err := results.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Program != "mymodel" || m.Scenario != "opt_test_scenario" || m.ScenarioSource != "registered:opt_test_scenario" ||
		m.Parameters.ExtValue("opt_test_factor") != 3 || !slices.Contains(m.Pipeline, "opt_test_raise") {
		t.Errorf("run.json: program %q scenario %q source %q factor %g pipeline has the system: %v",
			m.Program, m.Scenario, m.ScenarioSource, m.Parameters.ExtValue("opt_test_factor"), slices.Contains(m.Pipeline, "opt_test_raise"))
	}
	econ, err := results.ReadEconomy(out, "min_wage")
	if err != nil {
		t.Fatal(err)
	}
	if w := econ.Column("min_wage"); len(w) < 6 || w[4] != 3*w[3] {
		t.Errorf("min_wage %v: want period 5 three times period 4", w[:min(6, len(w))])
	}
	r = bamWith(t, named, "plot", "--panel", "unemployment", "-o", filepath.Join(t.TempDir(), "u.svg"), out)
	if r.code != 0 {
		t.Errorf("plot: exit %d, stderr %q", r.code, r.stderr)
	}
	// The name is in the messages.
	r = bamWith(t, named, "run", "--no-such-flag")
	if r.code != 2 || !strings.HasPrefix(r.stderr, "mymodel: ") || !strings.Contains(r.stderr, "see mymodel run --help") {
		t.Errorf("bad flag: exit %d, stderr %q; want 2 and the program name", r.code, r.stderr)
	}
	r = bamWith(t, named, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "mymodel version ") {
		t.Errorf("--version: exit %d, stdout %q", r.code, r.stdout)
	}
}

// TestOptionErrors: a bad option is one line naming it, exit status 2.
func TestOptionErrors(t *testing.T) {
	if err := extensions.Register(&extensions.Extension{Name: "opt_test_ext", Attach: func(*ecs.World, *ecs.Pipeline) error { return nil }}); err != nil {
		t.Fatal(err)
	}
	noop := func(*ecs.World) ecs.System { return ecs.Func{ID: "opt_test_dup", Fn: func(*ecs.World) {}} }
	if r := bamWith(t, []Option{System("opt_test_dup", noop)}, "pipeline"); r.code != 0 {
		t.Fatalf("first registration: exit %d, %q", r.code, r.stderr)
	}
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"duplicate system", []Option{System("opt_test_dup", noop)}, `bam: option System("opt_test_dup"): system "opt_test_dup" is already registered`},
		{"built-in system", []Option{System("firms_pay_wages", noop)}, `option System("firms_pay_wages"): system "firms_pay_wages" is already registered`},
		{"duplicate extension", []Option{Extension(&extensions.Extension{Name: "opt_test_ext", Attach: func(*ecs.World, *ecs.Pipeline) error { return nil }})},
			`option Extension("opt_test_ext"): register extension "opt_test_ext": an extension of that name is already registered`},
		{"nil extension", []Option{Extension(nil)}, `option Extension(""): register extension: nil extension`},
		{"core parameter", []Option{Param(ecs.ExtFloat("theta", 1, 0, 2, false, false, "x"))}, `option Param("theta"): register parameter "theta": a core parameter has that name`},
		{"embedded scenario", []Option{Scenario("baseline", []byte("seed = 1\n"))}, `option Scenario("baseline"): register scenario "baseline": an embedded scenario has that name`},
		{"bad scenario", []Option{Scenario("opt_test_bad", []byte("thetta = 1\n"))}, `option Scenario("opt_test_bad"): registered:opt_test_bad:1: unknown key "thetta"`},
		{"bad variable", []Option{Variable("not a name", ecs.Firms, func(*ecs.World, []float64) {})}, `option Variable("not a name"): `},
		{"bad name", []Option{Name("two words")}, `bam: option Name("two words"): want a non-empty name without white space`},
		{"named program", []Option{Name("mine"), System("opt_test_dup", noop)}, `mine: option System("opt_test_dup"): `},
		{"zero option", []Option{{}}, `option: the zero Option`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bamWith(t, tc.opts, "pipeline")
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2, one line containing %q", r.code, r.stderr, r.stdout, tc.want)
			}
		})
	}
}
