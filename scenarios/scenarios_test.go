package scenarios_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
)

// optional lists the parameters of spec §2.2 that baseline.toml shows only
// as commented-out lines.
var optional = []string{"net_worth_init", "cap_factor"}

func TestDefaultIsSpecDefaults(t *testing.T) {
	s := scenarios.Default()
	if !reflect.DeepEqual(s.Params, ecs.DefaultParams()) {
		t.Errorf("Default().Params =\n%+v\nwant ecs.DefaultParams() =\n%+v", s.Params, ecs.DefaultParams())
	}
	if s.Name != "baseline" || s.Source != "embedded:baseline" {
		t.Errorf("Name, Source = %q, %q; want baseline, embedded:baseline", s.Name, s.Source)
	}
	if s.Description == "" {
		t.Error("baseline has no description")
	}
	if s.Pipeline != nil || s.Hooks != nil {
		t.Errorf("baseline edits the pipeline: %v, %v", s.Pipeline, s.Hooks)
	}
	// The file on disk is the embedded one and decodes the same way.
	f, err := scenarios.Load("baseline.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.Params, ecs.DefaultParams()) {
		t.Errorf("baseline.toml decodes to\n%+v\nwant\n%+v", f.Params, ecs.DefaultParams())
	}
}

// TestBaselineDocumentsEveryParam checks that baseline.toml sets every
// parameter of ecs.ParamSpecs exactly once, to its spec default as written
// in the table, with a comment giving its range; optional parameters appear
// as commented-out lines.
func TestBaselineDocumentsEveryParam(t *testing.T) {
	data, err := os.ReadFile("baseline.toml")
	if err != nil {
		t.Fatal(err)
	}
	set := regexp.MustCompile(`^(\w+)\s*=\s*([^#]*?)\s*#\s*(.+)$`)
	commented := regexp.MustCompile(`^#\s*(\w+)\s*=\s*\S+\s*#\s*(.+)$`)
	values, comments, seen := map[string]string{}, map[string]string{}, map[string]int{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if m := set.FindStringSubmatch(line); m != nil {
			values[m[1]], comments[m[1]] = m[2], m[3]
			seen[m[1]]++
		} else if m := commented.FindStringSubmatch(line); m != nil && slices.Contains(optional, m[1]) {
			comments[m[1]] = m[2]
			seen[m[1]]++
		}
	}
	for i := range ecs.ParamSpecs {
		spec := &ecs.ParamSpecs[i]
		t.Run(spec.Name, func(t *testing.T) {
			if seen[spec.Name] != 1 {
				t.Fatalf("%s appears %d times in baseline.toml, want once", spec.Name, seen[spec.Name])
			}
			if slices.Contains(optional, spec.Name) {
				if _, ok := values[spec.Name]; ok {
					t.Errorf("optional %s is set; want a commented-out line", spec.Name)
				}
			} else if values[spec.Name] != spec.Default {
				t.Errorf("%s = %s in baseline.toml, want the table default %s", spec.Name, values[spec.Name], spec.Default)
			}
			if !strings.Contains(comments[spec.Name], spec.RangeString()) {
				t.Errorf("comment of %s = %q does not give its range %q", spec.Name, comments[spec.Name], spec.RangeString())
			}
		})
	}
	for name := range values {
		if _, ok := ecs.LookupParam(name); !ok && name != "name" && name != "description" {
			t.Errorf("baseline.toml sets %q, which is not a parameter", name)
		}
	}
}

func TestNames(t *testing.T) {
	names := scenarios.Names()
	if !slices.Contains(names, "baseline") || !slices.IsSorted(names) {
		t.Fatalf("Names() = %v; want a sorted list containing baseline", names)
	}
	for _, n := range names {
		s, err := scenarios.Load(n)
		if err != nil {
			t.Errorf("embedded scenario %s: %v", n, err)
			continue
		}
		if s.Source != "embedded:"+n && s.Source != "registered:"+n { // TestRegister adds some
			t.Errorf("Load(%q).Source = %q", n, s.Source)
		}
	}
}

func TestDefaultReturnsFreshCopies(t *testing.T) {
	a := scenarios.Default()
	a.Params.MaxM = 9
	a.Name = "changed"
	if b := scenarios.Default(); b.Params.MaxM != 4 || b.Name != "baseline" {
		t.Errorf("changing one Default() changed the next: %+v", b)
	}
}

// writeFile writes a scenario file in a fresh temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	t.Run("path", func(t *testing.T) {
		p := writeFile(t, "tight_credit.toml", "max_H = 1\nv = 0.2\n")
		s, err := scenarios.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		want := ecs.DefaultParams()
		want.MaxH, want.V = 1, 0.2
		if s.Name != "tight_credit" || s.Source != p || !reflect.DeepEqual(s.Params, want) {
			t.Errorf("Load(%s) = %+v", p, s)
		}
	})
	t.Run("name key wins over file stem", func(t *testing.T) {
		p := writeFile(t, "a.toml", `name = "b"`)
		s, err := scenarios.Load(p)
		if err != nil || s.Name != "b" {
			t.Errorf("Load = %+v, %v; want name b", s, err)
		}
	})
	t.Run("bare name of an existing file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "myscen"), []byte("theta = 4"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		s, err := scenarios.Load("myscen")
		if err != nil || s.Params.Theta != 4 || s.Name != "myscen" {
			t.Errorf("Load(myscen) = %+v, %v", s, err)
		}
	})
	t.Run("embedded name wins over a file of that name", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "baseline"), []byte("theta = 4"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		s, err := scenarios.Load("baseline")
		if err != nil || s.Source != "embedded:baseline" || s.Params.Theta != 8 {
			t.Errorf("Load(baseline) = %+v, %v; want the embedded one", s, err)
		}
		s, err = scenarios.Load("./baseline")
		if err != nil || s.Params.Theta != 4 {
			t.Errorf("Load(./baseline) = %+v, %v; want the file", s, err)
		}
	})
}

// checkError asserts that err is a one-line *Error whose message contains
// every string of want, and returns it.
func checkError(t *testing.T, err error, want ...string) *scenarios.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one containing %q", want)
	}
	var e *scenarios.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v has type %T, want *scenarios.Error", err, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
	return e
}

func TestLoadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "scenarios", "x.toml")
	tests := []struct {
		arg  string
		want []string
		not  error // the error must wrap this
	}{
		{missing, []string{missing + ": cannot read: open " + missing, "no such file or directory"}, fs.ErrNotExist},
		{"nosuchscenario", []string{"nosuchscenario: no embedded scenario or file of that name; embedded scenarios: baseline"}, fs.ErrNotExist},
		{"basline", []string{`(did you mean "baseline"?)`, "embedded scenarios: baseline"}, fs.ErrNotExist},
		{"baseline.toml.bak/x.toml", []string{"baseline.toml.bak/x.toml: cannot read"}, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			t.Chdir(t.TempDir())
			_, err := scenarios.Load(tt.arg)
			checkError(t, err, tt.want...)
			if !errors.Is(err, tt.not) {
				t.Errorf("error %v does not wrap %v", err, tt.not)
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir() + "/"
		_, err := scenarios.Load(dir)
		checkError(t, err, dir+": cannot read")
	})
	t.Run("baseline.toml outside the package", func(t *testing.T) {
		t.Chdir(t.TempDir())
		_, err := scenarios.Load("baseline.toml")
		checkError(t, err, "baseline.toml: cannot read", `write "baseline"`)
	})
	t.Run("bad file", func(t *testing.T) {
		p := writeFile(t, "x.toml", "max_M = 0\n")
		_, err := scenarios.Load(p)
		e := checkError(t, err, p+`:1: key "max_M": max_M = 0 is out of range: want integer in [1, 1000]`)
		if e.Source != p || e.Key != "max_M" || e.Line != 1 {
			t.Errorf("Error = %+v", e)
		}
	})
	// A file larger than MaxFileSize is refused after reading at most one
	// byte more, whatever it is: a large regular file, or an endless
	// device whose size says nothing.
	t.Run("too large", func(t *testing.T) {
		p := writeFile(t, "big.toml", "# "+strings.Repeat("x", scenarios.MaxFileSize)+"\ntheta = 3\n")
		_, err := scenarios.Load(p)
		checkError(t, err, p+": larger than 1024 KiB: not a scenario file")
	})
	t.Run("endless device", func(t *testing.T) {
		if _, err := os.Stat("/dev/zero"); err != nil {
			t.Skip("no /dev/zero on this system")
		}
		_, err := scenarios.Load("/dev/zero")
		checkError(t, err, "/dev/zero: larger than 1024 KiB")
	})
	t.Run("pipe", func(t *testing.T) {
		if _, err := os.Stat("/dev/fd"); err != nil {
			t.Skip("no /dev/fd on this system: process substitution cannot be tried")
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { w.WriteString("theta = 3\n"); w.Close() }()
		defer r.Close()
		s, err := scenarios.Load(fmt.Sprintf("/dev/fd/%d", r.Fd()))
		if err != nil {
			t.Fatalf("a scenario from a pipe: %v", err)
		}
		if s.Params.Theta != 3 {
			t.Errorf("theta = %d from a pipe, want 3", s.Params.Theta)
		}
	})
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		key  string // Error.Key
		line int    // Error.Line
		want []string
	}{
		// Syntax.
		{"syntax", "n_firms = 100\n\ntheta = \n", "theta", 3, []string{"x.toml:3: TOML syntax error: "}},
		{"unterminated string", "name = \"x\nv = 0.1\n", "name", 1, []string{"x.toml:1: TOML syntax error"}},
		{"duplicate key", "theta = 8\ntheta = 9\n", "theta", 2, []string{"x.toml:2: TOML syntax error", "theta"}},

		// Unknown keys.
		{"typo", "# c\nthetta = 3\n", "thetta", 2, []string{`x.toml:2: unknown key "thetta" (did you mean "theta"?)`}},
		{"case", "MAX_M = 3\n", "MAX_M", 1, []string{`unknown key "MAX_M" (did you mean "max_M"?)`}},
		{"missing underscore", "nfirms = 3\n", "nfirms", 1, []string{`unknown key "nfirms" (did you mean "n_firms"?)`}},
		{"typo of a meta key", "descripton = \"d\"\n", "descripton", 1, []string{`(did you mean "description"?)`}},
		{"far from everything", "zzzzzzzz = 3\n", "zzzzzzzz", 1, []string{`x.toml:1: unknown key "zzzzzzzz"`}},
		{"typo of an extension param", "sigma_maxx = 0.1\n", "sigma_maxx", 1, []string{`unknown key "sigma_maxx" (did you mean "sigma_max"?)`}},
		{"table", "theta = 8\n[extensions]\nrnd = true\n", "extensions", 2, []string{`x.toml:2: key "extensions": want an array of extension names (rnd, buffer_stock, taxation`, "got table"}},
		{"dotted", "firm.theta = 8\n", "firm", 1, []string{`x.toml:1: unknown key "firm"`}},
		{"first in file order", "theta = 8\nbbb = 1\naaa = 2\n", "bbb", 2, []string{`unknown key "bbb"`}},

		// Wrong types.
		{"string for int", "max_M = \"four\"\n", "max_M", 1, []string{`x.toml:1: key "max_M": want integer in [1, 1000], got string "four"`}},
		{"bool for float", "beta = true\n", "beta", 1, []string{`key "beta": want finite number > 0, got boolean true`}},
		{"string for bounded float", "h_rho = \"0.1\"\n", "h_rho", 1, []string{`key "h_rho": want number in [0, 1], got string "0.1"`}},
		{"array for float", "delta = [0.1]\n", "delta", 1, []string{`key "delta": want number in [0, 1], got array`}},
		{"table for int", "[theta]\nx = 1\n", "theta", 1, []string{`key "theta": want integer >= 1, got table`}},
		{"date for float", "r_bar = 2024-01-01\n", "r_bar", 1, []string{`key "r_bar": want number in [0, 1], got datetime`}},
		{"int for enum", "consumer_matching = 1\n", "consumer_matching", 1, []string{`key "consumer_matching": want one of "loyalty", "random", got integer 1`}},
		{"string for seed", "seed = \"none\"\n", "seed", 1, []string{`key "seed": want integer in [0, 9223372036854775807], got string "none"`}},
		{"string for optional", "cap_factor = \"2\"\n", "cap_factor", 1, []string{`key "cap_factor": want finite number > 0, got string "2"`}},

		// Values out of range.
		{"above range", "description = \"d\"\nh_rho = 1.5\n", "h_rho", 2, []string{`x.toml:2: key "h_rho": h_rho = 1.5 is out of range: want [0, 1]`}},
		{"below range", "h_xi = -0.01\n", "h_xi", 1, []string{`key "h_xi": h_xi = -0.01 is out of range: want [0, 1]`}},
		{"nan", "h_rho = nan\n", "h_rho", 1, []string{`key "h_rho": h_rho = NaN is out of range: want [0, 1]`}},
		{"inf", "beta = inf\n", "beta", 1, []string{`key "beta": beta = +Inf is out of range: want finite number > 0`}},
		{"minus inf", "savings_init = -inf\n", "savings_init", 1, []string{`savings_init = -Inf is out of range`}},
		{"nan for int", "theta = nan\n", "theta", 1, []string{`key "theta": theta = NaN is not an integer: want integer >= 1`}},
		{"inf for int", "theta = +inf\n", "theta", 1, []string{`key "theta": theta = +Inf is out of range: want integer >= 1`}},
		{"fraction for int", "theta = 4.5\n", "theta", 1, []string{`key "theta": theta = 4.5 is not an integer: want integer >= 1`}},
		{"huge float for int", "theta = 1e300\n", "theta", 1, []string{`key "theta": theta = 1e+300 is out of range: want integer >= 1`}},
		{"zero int", "n_firms = 0\n", "n_firms", 1, []string{`key "n_firms": n_firms = 0 is out of range: want integer >= 1`}},
		{"negative seed", "seed = -1\n", "seed", 1, []string{`key "seed": seed = -1 is out of range: want integer in [0, 9223372036854775807]`}},
		{"open bound", "v = 0.0\n", "v", 1, []string{`key "v": v = 0 is out of range: want (0, 1]`}},
		{"bad choice", "job_search_method = \"nearest\"\n", "job_search_method", 1, []string{`key "job_search_method": job_search_method = "nearest" is not allowed: want one of "all_firms", "vacancies_only"`}},
		{"optional out of range", "net_worth_init = -1\n", "net_worth_init", 1, []string{`key "net_worth_init": net_worth_init = -1 is out of range: want finite number >= 0`}},

		// Name and description.
		{"name not string", "name = 3\n", "name", 1, []string{`x.toml:1: key "name": want string, got integer 3`}},
		{"empty name", "name = \"  \"\n", "name", 1, []string{`key "name": want a non-empty string`}},
		{"description not string", "description = [\"a\"]\n", "description", 1, []string{`key "description": want string, got array`}},

		// Pipeline.
		{"pipeline string", "pipeline = \"a\"\n", "pipeline", 1, []string{`x.toml:1: key "pipeline": want a non-empty array of strings`, `got string "a"`}},
		{"pipeline empty", "pipeline = []\n", "pipeline", 1, []string{`key "pipeline": want a non-empty array of strings`}},
		{"pipeline mixed", "pipeline = [\"a\", 1]\n", "pipeline", 1, []string{`key "pipeline": want a non-empty array of strings`}},
		{"pipeline no count", "theta = 8\npipeline = [\"a\", \"b x\"]\n", "pipeline", 2, []string{`x.toml:2: key "pipeline": pipeline entry "b x": want "name" or "name x COUNT"`}},
		{"pipeline unknown count", "pipeline = [\"b x max_Q\"]\n", "pipeline", 1, []string{`key "pipeline": pipeline entry "b x max_Q": repeat count "max_Q" is neither an integer nor an integer parameter`}},
		{"pipeline float count", "pipeline = [\"b x beta\"]\n", "pipeline", 1, []string{`repeat count "beta" is neither`}},
		{"pipeline negative count", "pipeline = [\"b x -1\"]\n", "pipeline", 1, []string{`pipeline entry "b x -1": repeat count must be in [0, 1000]`}},
		// Issue 12, case 6: a repeat count that would exhaust memory.
		{"pipeline huge count", "pipeline = [\"labor_market_round x 1000000000\"]\n", "pipeline", 1, []string{`repeat count must be in [0, 1000]`}},
		{"pipeline empty entry", "pipeline = [\"\"]\n", "pipeline", 1, []string{`pipeline entry ""`}},
		{"pipeline bad separator", "pipeline = [\"b * 2\"]\n", "pipeline", 1, []string{`pipeline entry "b * 2"`}},

		// Hooks.
		{"hooks table", "[hooks]\nafter = \"a\"\nsystems = [\"b\"]\n", "hooks", 1, []string{`x.toml:1: key "hooks": want an array of tables ([[hooks]]`, "got table"}},
		{"hooks scalars", "hooks = [1, 2]\n", "hooks", 1, []string{`key "hooks": want an array of tables`, "got array"}},
		{"hook without anchor", "[[hooks]]\nsystems = [\"b\"]\n", "hooks", 1, []string{`x.toml:1: [[hooks]] #1: want exactly one of before, after, replace or remove (the anchor system), got none`}},
		{"hook with two anchors", "[[hooks]]\nbefore = \"a\"\nafter = \"b\"\nsystems = [\"c\"]\n", "hooks.after", 3, []string{`x.toml:3: [[hooks]] #1: want exactly one of before, after, replace or remove, got before and after`}},
		{"before without systems", "[[hooks]]\nbefore = \"a\"\n", "hooks.systems", 1, []string{`x.toml:1: [[hooks]] #1: key "systems": before "a" needs a non-empty array of systems to insert`}},
		{"after with empty systems", "[[hooks]]\nafter = \"a\"\nsystems = []\n", "hooks.systems", 3, []string{`x.toml:3: [[hooks]] #1: key "systems": after "a" needs a non-empty array`}},
		{"replace with two", "[[hooks]]\nreplace = \"a\"\nsystems = [\"b\", \"c\"]\n", "hooks.systems", 3, []string{`key "systems": replace "a" takes exactly one system, got 2`}},
		{"replace with none", "[[hooks]]\nreplace = \"a\"\n", "hooks.systems", 1, []string{`key "systems": replace "a" takes exactly one system, got 0`}},
		{"remove with systems", "[[hooks]]\nremove = \"a\"\nsystems = [\"b\"]\n", "hooks.systems", 3, []string{`key "systems": remove "a" takes no systems`}},
		{"remove with empty systems", "[[hooks]]\nremove = \"a\"\nsystems = []\n", "hooks.systems", 3, []string{`remove "a" takes no systems`}},
		{"systems not array", "[[hooks]]\nafter = \"a\"\nsystems = \"b\"\n", "hooks.systems", 3, []string{`key "systems": want an array of system names, got string "b"`}},
		{"system with space", "[[hooks]]\nafter = \"a\"\nsystems = [\"b c\"]\n", "hooks.systems", 3, []string{`key "systems": want system names (non-empty strings without spaces), got "b c"`}},
		{"anchor not string", "[[hooks]]\nbefore = 3\nsystems = [\"b\"]\n", "hooks.before", 2, []string{`x.toml:2: [[hooks]] #1: key "before": want a system name (a non-empty string without spaces), got integer 3`}},
		{"empty anchor", "[[hooks]]\nremove = \"\"\n", "hooks.remove", 2, []string{`key "remove": want a system name`, `got string ""`}},
		{"unknown hook key", "[[hooks]]\nafter = \"a\"\nsytems = [\"b\"]\n", "hooks.sytems", 3, []string{`x.toml:3: [[hooks]] #1: unknown key "sytems" (did you mean "systems"?)`}},
		{"second hook", "theta = 8\n\n[[hooks]]\nafter = \"a\"\nsystems = [\"b\"]\n\n[[hooks]] # two\nbefor = \"c\"\n", "hooks.befor", 8, []string{`x.toml:8: [[hooks]] #2: unknown key "befor" (did you mean "before"?)`}},
		{"second hook header", "[[hooks]]\nremove = \"a\"\n[[hooks]]\nsystems = [\"b\"]\n", "hooks", 3, []string{`x.toml:3: [[hooks]] #2: want exactly one of`}},
		{"inline hook", "hooks = [{remove = \"a\"}, {after = \"b\"}]\n", "hooks.systems", 1, []string{`x.toml:1: [[hooks]] #2: key "systems": after "b" needs`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("x.toml", []byte(tt.doc))
			if s != nil {
				t.Errorf("Parse returned a scenario with the error")
			}
			e := checkError(t, err, tt.want...)
			if e.Source != "x.toml" || e.Key != tt.key || e.Line != tt.line {
				t.Errorf("Source, Key, Line = %q, %q, %d; want x.toml, %q, %d (%v)", e.Source, e.Key, e.Line, tt.key, tt.line, err)
			}
		})
	}
}

func TestSyntaxErrorWrapsParseError(t *testing.T) {
	_, err := scenarios.Parse("x.toml", []byte("a = = 1"))
	var pe toml.ParseError
	if !errors.As(err, &pe) || pe.Position.Line != 1 {
		t.Errorf("error %v does not wrap a toml.ParseError at line 1", err)
	}
}

func TestParseAccepts(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name string
		doc  string
		edit func(p *ecs.Params) // applied to the defaults to get the want
	}{
		{"empty", "", func(*ecs.Params) {}},
		{"comments only", "# nothing\n\n", func(*ecs.Params) {}},
		{"integral float for int", "max_M = 4.0\ntheta = 1e1\n", func(p *ecs.Params) { p.MaxM, p.Theta = 4, 10 }},
		{"int for float", "beta = 3\nmax_leverage = 0\n", func(p *ecs.Params) { p.Beta, p.MaxLeverage = 3, 0 }},
		{"underscored int", "n_households = 1_000\n", func(p *ecs.Params) { p.NHouseholds = 1000 }},
		{"hex int", "n_firms = 0x10\n", func(p *ecs.Params) { p.NFirms = 16 }},
		{"exponent float", "r_bar = 2e-2\n", func(p *ecs.Params) { p.RBar = 0.02 }},
		{"seed", "seed = 12345678901\n", func(p *ecs.Params) { p.Seed = 12345678901 }},
		{"integral float seed", "seed = 7.0\n", func(p *ecs.Params) { p.Seed = 7 }},
		{"enums", "job_search_method = \"vacancies_only\"\nconsumer_matching = 'random'\n",
			func(p *ecs.Params) {
				p.JobSearchMethod, p.ConsumerMatching = ecs.JobSearchVacanciesOnly, ecs.MatchingRandom
			}},
		{"optional", "net_worth_init = 10\ncap_factor = 1.5\n", func(p *ecs.Params) { p.NetWorthInit, p.CapFactor = f(10), f(1.5) }},
		{"quoted key", "\"theta\" = 6\n", func(p *ecs.Params) { p.Theta = 6 }},
		{"every meta key", "name = \"n\"\ndescription = \"d\"\npipeline = [\"a\"]\n[[hooks]]\nremove = \"a\"\n", func(*ecs.Params) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("dir/x.toml", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			want := ecs.DefaultParams()
			tt.edit(&want)
			if !reflect.DeepEqual(s.Params, want) {
				t.Errorf("Params =\n%+v\nwant\n%+v", s.Params, want)
			}
		})
	}
}

func TestParseMeta(t *testing.T) {
	tests := []struct {
		source, doc, name, desc string
	}{
		{"dir/tight.toml", "", "tight", ""},
		{"tight", "", "tight", ""},
		{"a/b.c/d.conf", "", "d", ""},
		{"embedded:growth_plus", "", "growth_plus", ""},
		{"x.toml", "name = \"given\"\ndescription = \"about\"\n", "given", "about"},
	}
	for _, tt := range tests {
		s, err := scenarios.Parse(tt.source, []byte(tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != tt.name || s.Description != tt.desc || s.Source != tt.source {
			t.Errorf("Parse(%q): Name, Description, Source = %q, %q, %q; want %q, %q, %q",
				tt.source, s.Name, s.Description, s.Source, tt.name, tt.desc, tt.source)
		}
	}
}

func TestPipelineAndHooks(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		pipeline []string
		hooks    []scenarios.Hook
	}{
		{"none", "theta = 8", nil, nil},
		{"pipeline", `pipeline = ["a", "b x 3", "c x max_M", "d x 0", "  e   x   max_H  "]`,
			[]string{"a", "b x 3", "c x max_M", "d x 0", "  e   x   max_H  "}, nil},
		{"multi-line pipeline", "pipeline = [\n  \"a\", # first\n  \"b\",\n]\n", []string{"a", "b"}, nil},
		{"hooks in order", `
[[hooks]]
after = "firms_validate_debt_commitments"
systems = ["rnd_a", "rnd_b"]

[[hooks]]
replace = "consumers_calc_propensity"
systems = ["buffer_stock"]

[[hooks]]
before = "firms_pay_dividends"
systems = ["tax"]

[[hooks]]
remove = "update_avg_mkt_price"
`, nil, []scenarios.Hook{
			{After: "firms_validate_debt_commitments", Systems: []string{"rnd_a", "rnd_b"}},
			{Replace: "consumers_calc_propensity", Systems: []string{"buffer_stock"}},
			{Before: "firms_pay_dividends", Systems: []string{"tax"}},
			{Remove: "update_avg_mkt_price"},
		}},
		{"inline hooks with pipeline", `pipeline = ["a", "b"]
hooks = [{after = "a", systems = ["c"]}, {remove = "b"}]`,
			[]string{"a", "b"}, []scenarios.Hook{{After: "a", Systems: []string{"c"}}, {Remove: "b"}}},
		{"empty hooks", "hooks = []", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("x.toml", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Pipeline, tt.pipeline) {
				t.Errorf("Pipeline = %q, want %q", s.Pipeline, tt.pipeline)
			}
			if !reflect.DeepEqual(s.Hooks, tt.hooks) {
				t.Errorf("Hooks = %+v, want %+v", s.Hooks, tt.hooks)
			}
			for _, e := range s.Pipeline {
				if _, _, err := ecs.ParseEntry(e, &s.Params); err != nil {
					t.Errorf("accepted entry %q fails ecs.ParseEntry: %v", e, err)
				}
			}
		})
	}
}

func TestHookOp(t *testing.T) {
	tests := []struct {
		h          scenarios.Hook
		op, anchor string
		str        string
	}{
		{scenarios.Hook{Before: "a", Systems: []string{"x"}}, scenarios.OpBefore, "a", "before a: [x]"},
		{scenarios.Hook{After: "b", Systems: []string{"x", "y"}}, scenarios.OpAfter, "b", "after b: [x y]"},
		{scenarios.Hook{Replace: "c", Systems: []string{"x"}}, scenarios.OpReplace, "c", "replace c: [x]"},
		{scenarios.Hook{Remove: "d"}, scenarios.OpRemove, "d", "remove d"},
		{scenarios.Hook{}, "", "", " : []"},
	}
	for _, tt := range tests {
		op, anchor := tt.h.Op()
		if op != tt.op || anchor != tt.anchor || tt.h.String() != tt.str {
			t.Errorf("%+v: Op() = %q, %q, String() = %q; want %q, %q, %q", tt.h, op, anchor, tt.h.String(), tt.op, tt.anchor, tt.str)
		}
	}
}

func TestSet(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		assignment string
		edit       func(p *ecs.Params)
	}{
		{"max_Z=3", func(p *ecs.Params) { p.MaxZ = 3 }},
		{" max_Z = 3 ", func(p *ecs.Params) { p.MaxZ = 3 }},
		{"theta=4.0", func(p *ecs.Params) { p.Theta = 4 }},
		{"n_periods=1e3", func(p *ecs.Params) { p.NPeriods = 1000 }},
		{"n_firms=010", func(p *ecs.Params) { p.NFirms = 10 }}, // decimal, not octal
		{"seed=42", func(p *ecs.Params) { p.Seed = 42 }},
		{"seed=9223372036854775807", func(p *ecs.Params) { p.Seed = math.MaxInt64 }},
		{"h_rho=0.2", func(p *ecs.Params) { p.HRho = 0.2 }},
		{"beta=3", func(p *ecs.Params) { p.Beta = 3 }},
		{"r_bar=2e-2", func(p *ecs.Params) { p.RBar = 0.02 }},
		{"consumer_matching=random", func(p *ecs.Params) { p.ConsumerMatching = ecs.MatchingRandom }},
		{`consumer_matching="random"`, func(p *ecs.Params) { p.ConsumerMatching = ecs.MatchingRandom }},
		{`job_search_method='vacancies_only'`, func(p *ecs.Params) { p.JobSearchMethod = ecs.JobSearchVacanciesOnly }},
		{"cap_factor=1.5", func(p *ecs.Params) { p.CapFactor = f(1.5) }},
		{"net_worth_init=20", func(p *ecs.Params) { p.NetWorthInit = f(20) }},
	}
	for _, tt := range tests {
		t.Run(tt.assignment, func(t *testing.T) {
			s := scenarios.Default()
			if err := s.Set(tt.assignment); err != nil {
				t.Fatal(err)
			}
			want := ecs.DefaultParams()
			tt.edit(&want)
			if !reflect.DeepEqual(s.Params, want) {
				t.Errorf("Params =\n%+v\nwant\n%+v", s.Params, want)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		assignment string
		key        string
		want       string // the whole message if it starts with "--set ", else a part
	}{
		{"theta", "theta", `--set "theta": want name=value`},
		{"=3", "", `--set "=3": want name=value`},
		{"", "", `--set "": want name=value`},
		{"thetta=3", "thetta", `--set thetta=3: unknown parameter "thetta" (did you mean "theta"?)`},
		{"name=x", "name", `--set name=x: unknown parameter "name"`},
		{"zzzzzz=1", "zzzzzz", `--set zzzzzz=1: unknown parameter "zzzzzz"`},
		{"theta=abc", "theta", `--set theta=abc: want integer >= 1`},
		{"theta=", "theta", `--set theta=: want integer >= 1`},
		{"theta=4.5", "theta", `--set theta=4.5: theta = 4.5 is not an integer: want integer >= 1`},
		{"theta=0", "theta", `--set theta=0: theta = 0 is out of range: want integer >= 1`},
		{"theta=1e300", "theta", `--set theta=1e300: theta = 1e+300 is out of range: want integer >= 1`},
		{"theta=nan", "theta", `--set theta=nan: theta = NaN is not an integer: want integer >= 1`},
		{"seed=-1", "seed", `--set seed=-1: seed = -1 is out of range: want integer in [0, 9223372036854775807]`},
		{"seed=x", "seed", `--set seed=x: want integer in [0, 9223372036854775807]`},
		{"h_rho=abc", "h_rho", `--set h_rho=abc: want number in [0, 1]`},
		{"h_rho=1.5", "h_rho", `--set h_rho=1.5: h_rho = 1.5 is out of range: want [0, 1]`},
		{"h_rho=NaN", "h_rho", `--set h_rho=NaN: h_rho = NaN is out of range: want [0, 1]`},
		{"beta=inf", "beta", `--set beta=inf: beta = +Inf is out of range: want finite number > 0`},
		{"beta=1e400", "beta", `--set beta=1e400: want finite number > 0`},
		{"v=0", "v", `--set v=0: v = 0 is out of range: want (0, 1]`},
		{"cap_factor=0", "cap_factor", `--set cap_factor=0: cap_factor = 0 is out of range: want finite number > 0`},
		{"consumer_matching=nearest", "consumer_matching", `--set consumer_matching=nearest: consumer_matching = "nearest" is not allowed: want one of "loyalty", "random"`},
		{`consumer_matching="random`, "consumer_matching", `consumer_matching = "\"random" is not allowed`},
		{"theta = x y", "theta", `--set "theta = x y": want integer >= 1`},
	}
	for _, tt := range tests {
		t.Run(tt.assignment, func(t *testing.T) {
			s := scenarios.Default()
			err := s.Set(tt.assignment)
			e := checkError(t, err, tt.want)
			if strings.HasPrefix(tt.want, "--set ") && err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
			if e.Key != tt.key {
				t.Errorf("Key = %q, want %q", e.Key, tt.key)
			}
			if !reflect.DeepEqual(s.Params, ecs.DefaultParams()) {
				t.Errorf("a failed Set changed the parameters: %+v", s.Params)
			}
		})
	}
}

func TestClone(t *testing.T) {
	s, err := scenarios.Parse("x.toml", []byte(`
cap_factor = 2.0
net_worth_init = 3.0
pipeline = ["a", "b"]
[[hooks]]
after = "a"
systems = ["c", "d"]
`))
	if err != nil {
		t.Fatal(err)
	}
	orig := *s
	origHooks := fmt.Sprint(s.Hooks)
	c := s.Clone()
	if !reflect.DeepEqual(c, s) {
		t.Fatalf("Clone() = %+v, want %+v", c, s)
	}
	c.Name, c.Description, c.Source = "n", "d", "s"
	c.Params.MaxM = 9
	*c.Params.CapFactor = 5
	*c.Params.NetWorthInit = 6
	c.Pipeline[0] = "z"
	c.Hooks[0].Systems[0] = "z"
	c.Hooks[0].After = "z"
	if err := c.Set("theta=3"); err != nil {
		t.Fatal(err)
	}
	if s.Name != orig.Name || s.Params.MaxM != 4 || s.Params.Theta != 8 ||
		*s.Params.CapFactor != 2 || *s.Params.NetWorthInit != 3 ||
		s.Pipeline[0] != "a" || fmt.Sprint(s.Hooks) != origHooks {
		t.Errorf("changing the clone changed the original: %+v", s)
	}
	// A nil pipeline stays nil, so that "default pipeline" survives cloning.
	if d := scenarios.Default().Clone(); d.Pipeline != nil || d.Hooks != nil {
		t.Errorf("Clone of the baseline has pipeline %v, hooks %v", d.Pipeline, d.Hooks)
	}
}

// TestCloneCoversEveryParamsField guards Clone against a reference field
// (pointer, slice, map) added to ecs.Params later: after cloning, no such
// field may share memory with the original.
func TestCloneCoversEveryParamsField(t *testing.T) {
	s := scenarios.Default()
	v := reflect.ValueOf(&s.Params).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
		}
	}
	c := s.Clone()
	cv := reflect.ValueOf(&c.Params).Elem()
	for i := range v.NumField() {
		f, cf := v.Field(i), cv.Field(i)
		switch f.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			if f.Pointer() == cf.Pointer() {
				t.Errorf("Clone shares ecs.Params.%s with the original", v.Type().Field(i).Name)
			}
		}
	}
}

// specRanges is the valid range of every parameter as spec §2.1 and §2.2
// state it, written independently of ecs.ParamSpecs.
var specRanges = map[string]string{
	"n_firms": "integer >= 1", "n_households": "integer >= 1", "n_banks": "integer >= 1", "n_periods": "integer >= 1",
	"seed":  "integer in [0, 9223372036854775807]", // the spec says >= 0; TOML integers stop at 2⁶³ − 1
	"h_rho": "[0, 1]", "h_xi": "[0, 1]", "h_phi": "[0, 1]", "h_eta": "[0, 1]",
	// The spec says >= 1; bam caps them at ecs.MaxRounds (docs/configuration.md).
	"max_M": "integer in [1, 1000]", "max_H": "integer in [1, 1000]", "max_Z": "integer in [1, 1000]",
	"labor_productivity": "finite number > 0", "theta": "integer >= 1", "beta": "finite number > 0",
	"delta": "[0, 1]", "r_bar": "[0, 1]", "v": "(0, 1]", "min_wage_rev_period": "integer >= 1",
	"price_init": "finite number > 0", "min_wage_ratio": "[0, 1]", "net_worth_ratio": "finite number >= 0",
	"equity_base_init": "finite number >= 0", "savings_init": "finite number >= 0",
	"new_firm_size_factor": "finite number >= 0", "new_firm_production_factor": "finite number >= 0",
	"new_firm_wage_factor": "finite number >= 0", "new_firm_price_markup": "finite number >= 0",
	"max_loan_to_net_worth": "finite number >= 0", "max_leverage": "finite number >= 0",
	"job_search_method": `one of "all_firms", "vacancies_only"`, "consumer_matching": `one of "loyalty", "random"`,
	"net_worth_init": "finite number >= 0", "cap_factor": "finite number > 0",
}

func TestParamSpecRangesMatchSpec(t *testing.T) {
	if len(specRanges) != len(ecs.ParamSpecs) {
		t.Errorf("spec lists %d parameters, ecs.ParamSpecs %d", len(specRanges), len(ecs.ParamSpecs))
	}
	for i := range ecs.ParamSpecs {
		s := &ecs.ParamSpecs[i]
		if got, want := s.RangeString(), specRanges[s.Name]; got != want {
			t.Errorf("%s: range %q, spec says %q", s.Name, got, want)
		}
	}
}

// boundaryCase is a value to try for a parameter and whether it is valid.
type boundaryCase struct {
	value string // as written in TOML and after --set name=
	ok    bool
}

// boundaries derives the edge cases of a parameter from its spec: each
// finite bound, and a value just beyond it.
func boundaries(s *ecs.ParamSpec) []boundaryCase {
	switch s.Kind {
	case ecs.KindEnum:
		var cs []boundaryCase
		for _, c := range s.Choices {
			cs = append(cs, boundaryCase{`"` + c + `"`, true})
		}
		return append(cs, boundaryCase{`"` + s.Choices[0] + `x"`, false}, boundaryCase{`""`, false})
	case ecs.KindInt, ecs.KindSeed:
		lo := int64(s.Min)
		return []boundaryCase{
			{fmt.Sprint(lo), true}, {fmt.Sprint(lo + 1), true}, {fmt.Sprint(lo - 1), false},
			{fmt.Sprintf("%d.0", lo), true}, {fmt.Sprintf("%d.5", lo), false},
		}
	}
	const eps = 0.01
	cs := []boundaryCase{
		{fmt.Sprint(s.Min), !s.MinOpen},
		{fmt.Sprint(s.Min - eps), false},
		{fmt.Sprint(s.Min + eps), true},
		{"nan", false}, {"inf", false}, {"-inf", false},
	}
	if math.IsInf(s.Max, 1) {
		cs = append(cs, boundaryCase{"1e300", true})
	} else {
		cs = append(cs, boundaryCase{fmt.Sprint(s.Max), !s.MaxOpen},
			boundaryCase{fmt.Sprint(s.Max + eps), false}, boundaryCase{fmt.Sprint(s.Max - eps), true})
	}
	return cs
}

// TestRangeBoundaries checks every bound of every parameter, through a
// scenario file and through --set.
func TestRangeBoundaries(t *testing.T) {
	for i := range ecs.ParamSpecs {
		spec := &ecs.ParamSpecs[i]
		for _, c := range boundaries(spec) {
			t.Run(spec.Name+"="+c.value, func(t *testing.T) {
				_, err := scenarios.Parse("b.toml", []byte(spec.Name+" = "+c.value+"\n"))
				if c.ok && err != nil {
					t.Errorf("file: %v", err)
				}
				if !c.ok {
					checkError(t, err, "b.toml:1:", `key "`+spec.Name+`"`, spec.RangeString())
				}
				err = scenarios.Default().Set(spec.Name + "=" + c.value)
				if c.ok && err != nil {
					t.Errorf("--set: %v", err)
				}
				if !c.ok {
					checkError(t, err, "--set ", spec.RangeString())
				}
			})
		}
	}
}

// TestSpecBoundaries lists the boundaries named in spec §2.1 explicitly.
func TestSpecBoundaries(t *testing.T) {
	tests := []struct {
		assignment string
		ok         bool
	}{
		{"h_rho=0", true}, {"h_rho=1", true}, {"h_rho=-0.01", false}, {"h_rho=1.01", false},
		{"v=0", false}, {"v=1", true}, {"v=0.001", true}, {"v=1.001", false},
		{"n_firms=0", false}, {"n_firms=1", true},
		{"n_households=0", false}, {"n_banks=0", false}, {"n_periods=0", false},
		{"max_M=0", false}, {"max_H=0", false}, {"max_Z=0", false}, {"theta=0", false}, {"min_wage_rev_period=0", false},
		{"labor_productivity=0", false}, {"beta=0", false}, {"price_init=0", false},
		{"delta=0", true}, {"delta=1", true}, {"r_bar=0", true}, {"r_bar=1.5", false},
		{"min_wage_ratio=1", true}, {"min_wage_ratio=1.1", false},
		{"net_worth_ratio=0", true}, {"equity_base_init=0", true}, {"savings_init=0", true},
		{"new_firm_price_markup=0", true}, {"max_loan_to_net_worth=0", true}, {"max_leverage=0", true},
		{"max_leverage=-1", false}, {"seed=0", true}, {"seed=-1", false},
		{"cap_factor=0", false}, {"net_worth_init=0", true},
	}
	for _, tt := range tests {
		err := scenarios.Default().Set(tt.assignment)
		if (err == nil) != tt.ok {
			t.Errorf("Set(%q) = %v, want ok=%v", tt.assignment, err, tt.ok)
		}
		name, value, _ := strings.Cut(tt.assignment, "=")
		_, err = scenarios.Parse("b.toml", []byte(name+" = "+value))
		if (err == nil) != tt.ok {
			t.Errorf("file %s = %s: %v, want ok=%v", name, value, err, tt.ok)
		}
	}
}
