package scenarios_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

// fuzzMaxInput bounds the inputs of the fuzz targets. The TOML decoder and
// the line finder of Parse are linear, but the "did you mean" suggestion is
// a Levenshtein distance (quadratic in the key's length) against every key,
// so a megabyte-long unknown key would make a single execution take seconds
// and starve the fuzzer without testing anything new.
const fuzzMaxInput = 64 << 10

// fuzzSource is the source name of the fuzzed documents.
const fuzzSource = "fuzz/doc.toml"

// FuzzParse feeds arbitrary documents to Parse and checks what it promises:
//
//   - it returns exactly one of a scenario and an error, and the error is a
//     one-line *Error naming the source, with a line inside the document;
//   - an accepted scenario satisfies the invariants of its doc comments
//     (parameters valid, Name non-empty, pipeline entries that ParseEntry
//     accepts, hooks with exactly one anchor and the right systems,
//     registered extensions listed once whose parameters are all set);
//   - rendering the scenario back to TOML, with ParamSpec.Text for the
//     parameters, and parsing that gives the same scenario.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("*.toml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no embedded scenario files: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		// Torn and bit-flipped copies of the real files.
		f.Add(data[:len(data)/2])
		f.Add(data[:len(data)-1])
		flipped := bytes.Clone(data)
		flipped[len(flipped)/3] ^= 0x20
		f.Add(flipped)
	}
	for _, doc := range []string{
		// Valid documents.
		"",
		"theta = 3\n",
		"name = \"x\"\ndescription = \"d\"\nn_firms = 10\nseed = 9223372036854775807\n",
		"extensions = [\"rnd\", \"buffer_stock\", \"taxation\"]\nsigma_max = 0.3\nprofit_tax_rate = 1\n",
		"sigma_decay = -1e308\nbuffer_stock_h = 1e308\n",
		"net_worth_init = 10.0\ncap_factor = 2\n",
		"n_firms = 2147483647\nmax_M = 1e3\ntheta = 4.0\n",
		"h_rho = -0.0\ndelta = 5e-324\nbeta = 1e308\n",
		"job_search_method = \"vacancies_only\"\nconsumer_matching = 'random'\n",
		"max_M = 7\npipeline = [\"a\", \"b x 2\", \"c x max_M\", \"d x 0\", \"e x 1000\", \" f  x  +3 \"]\n",
		"[[hooks]]\nafter = \"a\"\nsystems = [\"b\", \"c\"]\n\n[[hooks]]\nbefore = \"d\"\nsystems = [\"e\"]\n" +
			"[[hooks]]\nreplace = \"f\"\nsystems = [\"g\"]\n[[hooks]]\nremove = \"h\"\n",
		"hooks = [{remove = \"a\"}, {after = \"b\", systems = [\"c\"]}]\n",
		"hooks = []\nextensions = []\n",
		"description = \"\"\"\nmulti\nline = 3\n\"\"\"\ntheta = 5\n",
		"\"theta\" = 6\n'max_Z' = 3\n",
		"name = \"ünïcödé ∑\"\ndescription = \"\\u0000\\t\\\"\"\n",
		// Errors of the package tests.
		"n_firms = 100\n\ntheta = \n",
		"name = \"x\nv = 0.1\n",
		"theta = 8\ntheta = 9\n",
		"# c\nthetta = 3\n",
		"theta = 8\n[extensions]\nrnd = true\n",
		"firm.theta = 8\n",
		"[theta]\nx = 1\n",
		"r_bar = 2024-01-01\n",
		"r_bar = 07:32:00\n",
		"r_bar = 1979-05-27T07:32:00\n",
		"h_rho = nan\n",
		"beta = inf\n",
		"savings_init = -inf\n",
		"theta = +inf\n",
		"theta = 4.5\n",
		"theta = 1e300\n",
		"seed = -1\n",
		"seed = 9223372036854775808\n",
		"seed = 9.3e18\n",
		"n_firms = 2147483648\n",
		"n_firms = -9223372036854775808\n",
		"v = 0.0\n",
		"h_rho = 1e308\n",
		"pipeline = [\"labor_market_round x 1000000000\"]\n",
		"pipeline = [\"b x -1\"]\n",
		"pipeline = [\"b x beta\"]\n",
		"pipeline = [\"\"]\n",
		"pipeline = [\"b x 2147483647\"]\n",
		"pipeline = [\"b x 9223372036854775808\"]\n",
		"[[hooks]]\nbefore = \"a\"\nafter = \"b\"\nsystems = [\"c\"]\n",
		"[[hooks]]\nreplace = \"a\"\nsystems = [\"b\", \"c\"]\n",
		"[[hooks]]\nafter = \"a\"\nsystems = [\"b c\"]\n",
		"[[hooks]]\nafter = \"a\"\nsytems = [\"b\"]\n",
		"theta = 8\n\n[[hooks]]\nafter = \"a\"\nsystems = [\"b\"]\n\n[[hooks]] # two\nbefor = \"c\"\n",
		"extensions = [\"rnd\", \"rnd\"]\n",
		"extensions = [\"rdn\"]\n",
		"sigma_maxx = 0.1\n",
		"name = \"  \"\n",
		"\xff\xfe\x00",
		"θ = 1\n",
		strings.Repeat("[", 1000),
		strings.Repeat("a", 5000) + " = 1\n",
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		s, err := scenarios.Parse(fuzzSource, data)
		if err != nil {
			if s != nil {
				t.Fatalf("Parse returned both a scenario and the error %v", err)
			}
			checkFuzzError(t, err, fuzzSource)
			var e *scenarios.Error
			errors.As(err, &e)
			if e.Line < 0 || e.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error line %d outside the document of %d lines: %v", e.Line, bytes.Count(data, []byte("\n"))+1, err)
			}
			return
		}
		if s == nil {
			t.Fatal("Parse returned neither a scenario nor an error")
		}
		checkScenario(t, s, fuzzSource)
		checkRoundTrip(t, s)
	})
}

// FuzzSet applies arbitrary `--set` assignments to the baseline and the
// Growth+ scenarios, and checks Set's promises:
//
//   - on error the scenario is unchanged and the error is a one-line
//     *Error whose Source is "--set ...";
//   - on success only the named parameter changed, the parameters are
//     valid, the value is the one the assignment names, setting it again
//     from its ParamSpec.Text gives the same parameters, and the scenario
//     still round-trips through a TOML document.
func FuzzSet(f *testing.F) {
	for _, a := range []string{
		// From the tests and docs.
		"theta=3", "max_Z=3", "h_rho=1.5", "profit_tax_rate=0.7", "profit_tax_rate=0.2",
		"sigma_max=0.3", "sigma_maxx=0.3", "min_wage_factor=1", "name=value",
		"consumer_matching=random", `consumer_matching="random"`, "consumer_matching='loyalty'",
		" job_search_method = vacancies_only ", "seed=42", "cap_factor=2", "net_worth_init=0",
		// Integral floats and other spellings.
		"theta=4.0", "max_M=1e3", "n_firms=+5", "n_firms=0x1p4", "beta=1_0", "delta=.5", "delta=5.",
		// Bounds and huge numbers.
		"n_firms=2147483647", "n_firms=2147483648", "n_firms=0", "n_firms=-1",
		"seed=9223372036854775807", "seed=9223372036854775808", "seed=9.223372036854775807e18",
		"seed=-0", "seed=-1", "seed=1e19", "theta=1e308", "theta=-1e308", "theta=9223372036854775808",
		"beta=1e308", "beta=1e309", "beta=5e-324", "h_rho=-0", "delta=1", "v=0", "v=1",
		"sigma_decay=-1e308", "buffer_stock_h=0",
		// NaN and infinities.
		"beta=NaN", "beta=nan", "beta=Inf", "beta=+Inf", "beta=-inf", "theta=NaN", "theta=inf", "seed=inf",
		// Malformed.
		"", "=", "=3", "theta", "theta=", "theta==3", "theta=3=4", "theta=abc", "theta=3 4",
		"theta x 1000000000", "θ=1", "theta=١", "consumer_matching=\"random", "consumer_matching=RANDOM",
		"n_firms=\x00", "theta=\n3", "\"theta\"=3", "theta\u2028=3",
	} {
		f.Add(a)
	}
	bases := []*scenarios.Scenario{scenarios.Default()}
	if g, err := scenarios.Load("growth_plus"); err == nil {
		bases = append(bases, g)
	} else {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, assignment string) {
		if len(assignment) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		for _, base := range bases {
			s := base.Clone()
			err := s.Set(assignment)
			if err != nil {
				if !reflect.DeepEqual(s, base) {
					t.Fatalf("Set(%q) failed (%v) but changed the scenario", assignment, err)
				}
				checkFuzzError(t, err, "")
				var e *scenarios.Error
				errors.As(err, &e)
				if !strings.HasPrefix(e.Source, "--set ") {
					t.Fatalf("Set(%q): error source %q does not start with --set", assignment, e.Source)
				}
				continue
			}
			name, value, _ := strings.Cut(assignment, "=")
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			spec, ok := ecs.LookupParam(name)
			if !ok {
				t.Fatalf("Set(%q) accepted an unknown parameter", assignment)
			}
			if err := s.Params.Validate(); err != nil {
				t.Fatalf("Set(%q) left invalid parameters: %v", assignment, err)
			}
			// Nothing but the named parameter changed.
			for _, n := range ecs.AllParamNames() {
				if n == name {
					continue
				}
				o, _ := ecs.LookupParam(n)
				if o.Text(&s.Params) != o.Text(&base.Params) {
					t.Fatalf("Set(%q) changed %s from %s to %s", assignment, n, o.Text(&base.Params), o.Text(&s.Params))
				}
			}
			if s.Name != base.Name || s.Source != base.Source || !slices.Equal(s.Extensions, base.Extensions) ||
				!slices.Equal(s.Pipeline, base.Pipeline) || !reflect.DeepEqual(s.Hooks, base.Hooks) {
				t.Fatalf("Set(%q) changed more than the parameters", assignment)
			}
			checkSetValue(t, spec, &s.Params, value)
			// Setting it again from its text is exact.
			text := spec.Text(&s.Params)
			again := base.Clone()
			if err := again.Set(name + "=" + text); err != nil {
				t.Fatalf("Set(%q) gave %s = %s, which Set refuses: %v", assignment, name, text, err)
			}
			if !reflect.DeepEqual(again.Params, s.Params) || spec.Text(&again.Params) != text {
				t.Fatalf("Set(%q) then Set(%s=%s): parameters differ", assignment, name, text)
			}
			checkRoundTrip(t, s)
		}
	})
}

// checkSetValue checks that the parameter spec holds the value written in
// value (already trimmed), as Set documents it.
func checkSetValue(t *testing.T, spec *ecs.ParamSpec, p *ecs.Params, value string) {
	t.Helper()
	got := spec.Get(p)
	switch spec.Kind {
	case ecs.KindEnum:
		if got != strings.Trim(value, `"'`) || !slices.Contains(spec.Choices, got.(string)) {
			t.Fatalf("--set %s=%s stored %q", spec.Name, value, got)
		}
	case ecs.KindInt, ecs.KindSeed:
		var want float64
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			want = float64(n)
		} else if x, err := strconv.ParseFloat(value, 64); err == nil && x == math.Trunc(x) {
			want = x
		} else {
			t.Fatalf("--set %s=%s was accepted for an integer parameter", spec.Name, value)
		}
		var have float64
		switch v := got.(type) {
		case int:
			have = float64(v)
			if v < 1 || v > math.MaxInt32 {
				t.Fatalf("--set %s=%s stored %d, outside [1, MaxInt32]", spec.Name, value, v)
			}
		case uint64:
			have = float64(v)
			if v > ecs.MaxSeed {
				t.Fatalf("--set %s=%s stored seed %d > MaxSeed", spec.Name, value, v)
			}
		}
		if have != want {
			t.Fatalf("--set %s=%s stored %v", spec.Name, value, got)
		}
	case ecs.KindFloat, ecs.KindOptFloat:
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("--set %s=%s was accepted for a float parameter: %v", spec.Name, value, err)
		}
		if got != x || math.IsNaN(x) || math.IsInf(x, 0) {
			t.Fatalf("--set %s=%s stored %v", spec.Name, value, got)
		}
	}
}

// checkFuzzError checks that err is a one-line *Error with a message, and
// with the given source unless source is "".
func checkFuzzError(t *testing.T, err error, source string) {
	t.Helper()
	var e *scenarios.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *scenarios.Error", err, err)
	}
	msg := err.Error()
	if e.Msg == "" || strings.TrimSpace(msg) == "" {
		t.Fatalf("error without a message: %+v", e)
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error message is not one line: %q", msg)
	}
	if source != "" && e.Source != source {
		t.Fatalf("error source %q, want %q: %v", e.Source, source, err)
	}
}

// isSystemName reports whether name can be a system name: non-empty,
// without white space.
func isSystemName(name string) bool {
	return name != "" && strings.IndexFunc(name, unicode.IsSpace) < 0
}

// checkScenario checks the documented invariants of a parsed scenario.
func checkScenario(t *testing.T, s *scenarios.Scenario, source string) {
	t.Helper()
	if s.Source != source {
		t.Fatalf("Source %q, want %q", s.Source, source)
	}
	if strings.TrimSpace(s.Name) == "" {
		t.Fatalf("empty scenario name %q", s.Name)
	}
	if err := s.Params.Validate(); err != nil {
		t.Fatalf("accepted invalid parameters: %v", err)
	}
	if s.Pipeline != nil && len(s.Pipeline) == 0 {
		t.Fatal("accepted an empty pipeline")
	}
	for _, e := range s.Pipeline {
		name, n, err := ecs.ParseEntry(e, &s.Params)
		if err != nil {
			t.Fatalf("accepted pipeline entry %q that ParseEntry refuses: %v", e, err)
		}
		if !isSystemName(name) || n < 0 {
			t.Fatalf("pipeline entry %q: name %q, repeat %d", e, name, n)
		}
	}
	for i, h := range s.Hooks {
		anchors := 0
		for _, a := range []string{h.Before, h.After, h.Replace, h.Remove} {
			if a != "" {
				anchors++
				if !isSystemName(a) {
					t.Fatalf("hook %d: anchor %q is not a system name", i+1, a)
				}
			}
		}
		op, anchor := h.Op()
		if anchors != 1 || op == "" || anchor == "" {
			t.Fatalf("hook %d has %d anchors: %+v", i+1, anchors, h)
		}
		for _, sys := range h.Systems {
			if !isSystemName(sys) {
				t.Fatalf("hook %d: system %q is not a system name", i+1, sys)
			}
		}
		switch op {
		case scenarios.OpBefore, scenarios.OpAfter:
			if len(h.Systems) == 0 {
				t.Fatalf("hook %d (%s) inserts nothing", i+1, h)
			}
		case scenarios.OpReplace:
			if len(h.Systems) != 1 {
				t.Fatalf("hook %d (%s) replaces by %d systems", i+1, h, len(h.Systems))
			}
		case scenarios.OpRemove:
			if h.Systems != nil {
				t.Fatalf("hook %d (%s) has systems", i+1, h)
			}
		}
	}
	for i, name := range s.Extensions {
		e, ok := extensions.Lookup(name)
		if !ok {
			t.Fatalf("accepted unknown extension %q", name)
		}
		if slices.Contains(s.Extensions[:i], name) {
			t.Fatalf("accepted extension %q twice", name)
		}
		for _, p := range e.Params {
			if _, set := s.Params.Ext[p.Name]; !set {
				t.Fatalf("extension %q is listed but its parameter %s is not set", name, p.Name)
			}
		}
	}
	for name := range s.Params.Ext {
		spec, ok := ecs.LookupParam(name)
		if !ok || !spec.IsExtension() {
			t.Fatalf("Params.Ext holds %q, which is not an extension parameter", name)
		}
	}
}

// checkRoundTrip renders s as a scenario document and checks that parsing
// it gives s back.
func checkRoundTrip(t *testing.T, s *scenarios.Scenario) {
	t.Helper()
	doc, ok := render(s)
	if !ok {
		return
	}
	back, err := scenarios.Parse(s.Source, doc)
	if err != nil {
		t.Fatalf("the rendered scenario does not parse: %v\n%s", err, doc)
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip through a rendered document differs:\n got %+v\nwant %+v\n%s", back, s, doc)
	}
	for _, n := range ecs.AllParamNames() {
		spec, _ := ecs.LookupParam(n)
		if a, b := spec.Text(&back.Params), spec.Text(&s.Params); a != b && !(a == "0" && b == "-0") {
			t.Fatalf("parameter %s: Text %s after the round trip, %s before", n, a, b)
		}
	}
}

// render writes s as a TOML scenario document: every core parameter (but
// absent optional ones) and every set extension parameter with
// ParamSpec.Text, the meta keys, the pipeline and the hooks. It reports
// false if s holds a string that TOML cannot represent (invalid UTF-8).
func render(s *scenarios.Scenario) ([]byte, bool) {
	var b bytes.Buffer
	str := func(v string) string {
		var q strings.Builder
		q.WriteByte('"')
		for _, r := range v {
			switch {
			case r == '"' || r == '\\':
				q.WriteByte('\\')
				q.WriteRune(r)
			case r < 0x20 || r == 0x7f:
				fmt.Fprintf(&q, `\u%04X`, r)
			default:
				q.WriteRune(r)
			}
		}
		q.WriteByte('"')
		return q.String()
	}
	list := func(vs []string) string {
		q := make([]string, len(vs))
		for i, v := range vs {
			q[i] = str(v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	strs := append([]string{s.Name, s.Description}, s.Extensions...)
	strs = append(strs, s.Pipeline...)
	for _, h := range s.Hooks {
		strs = append(strs, h.Before, h.After, h.Replace, h.Remove)
		strs = append(strs, h.Systems...)
	}
	for _, v := range strs {
		if !utf8.ValidString(v) {
			return nil, false
		}
	}
	fmt.Fprintf(&b, "name = %s\ndescription = %s\n", str(s.Name), str(s.Description))
	for i := range ecs.ParamSpecs {
		spec := &ecs.ParamSpecs[i]
		if text := spec.Text(&s.Params); text != "absent" {
			fmt.Fprintf(&b, "%s = %s\n", spec.Name, text)
		}
	}
	for _, spec := range ecs.ExtParamSpecs() {
		if _, set := s.Params.Ext[spec.Name]; set {
			fmt.Fprintf(&b, "%s = %s\n", spec.Name, spec.Text(&s.Params))
		}
	}
	if s.Extensions != nil {
		fmt.Fprintf(&b, "extensions = %s\n", list(s.Extensions))
	}
	if s.Pipeline != nil {
		fmt.Fprintf(&b, "pipeline = %s\n", list(s.Pipeline))
	}
	for _, h := range s.Hooks {
		op, anchor := h.Op()
		fmt.Fprintf(&b, "\n[[hooks]]\n%s = %s\n", op, str(anchor))
		if h.Systems != nil {
			fmt.Fprintf(&b, "systems = %s\n", list(h.Systems))
		}
	}
	return b.Bytes(), true
}
