package scenarios_test

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

func TestParseExtensions(t *testing.T) {
	rnd := map[string]float64{"sigma_min": 0, "sigma_max": 0.1, "sigma_decay": -1}
	tests := []struct {
		name string
		doc  string
		exts []string
		ext  map[string]float64 // Params.Ext
	}{
		{"none", "theta = 8\n", nil, nil},
		{"empty list", "extensions = []\n", []string{}, nil},
		{"rnd: defaults added", `extensions = ["rnd"]`, []string{"rnd"}, rnd},
		{"user value kept", "sigma_max = 0.2\nextensions = [\"rnd\"]\n", []string{"rnd"},
			map[string]float64{"sigma_min": 0, "sigma_max": 0.2, "sigma_decay": -1}},
		{"user value after the list kept", "extensions = [\"rnd\"]\nsigma_decay = -3\n", []string{"rnd"},
			map[string]float64{"sigma_min": 0, "sigma_max": 0.1, "sigma_decay": -3}},
		{"order kept", `extensions = ["taxation", "rnd"]`, []string{"taxation", "rnd"},
			map[string]float64{"sigma_min": 0, "sigma_max": 0.1, "sigma_decay": -1, "profit_tax_rate": 0}},
		{"parameter without its extension", "profit_tax_rate = 0.5\n", nil, map[string]float64{"profit_tax_rate": 0.5}},
		{"integer for an extension parameter", "extensions = [\"buffer_stock\"]\nbuffer_stock_h = 3\n", []string{"buffer_stock"},
			map[string]float64{"buffer_stock_h": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenarios.Parse("x.toml", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Extensions, tt.exts) {
				t.Errorf("Extensions = %#v, want %#v", s.Extensions, tt.exts)
			}
			if !reflect.DeepEqual(s.Params.Ext, tt.ext) {
				t.Errorf("Params.Ext = %v, want %v", s.Params.Ext, tt.ext)
			}
		})
	}
}

func TestParseExtensionsErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
		want []string
	}{
		{"unknown", "theta = 8\nextensions = [\"rnd\", \"r_and_d\"]\n", 2,
			[]string{`x.toml:2: key "extensions": unknown extension "r_and_d"; known extensions: rnd, buffer_stock, taxation`}},
		{"typo", `extensions = ["buffer_stok"]`, 1, []string{`unknown extension "buffer_stok" (did you mean "buffer_stock"?); known extensions: rnd, buffer_stock, taxation`}},
		{"twice", `extensions = ["rnd", "taxation", "rnd"]`, 1, []string{`key "extensions": extension "rnd" is listed twice`}},
		{"string", `extensions = "rnd"`, 1, []string{`key "extensions": want an array of extension names (rnd, buffer_stock, taxation`, `got string "rnd"`}},
		{"numbers", `extensions = [1]`, 1, []string{`want an array of extension names`, "got array"}},
		{"out of range", "extensions = [\"rnd\"]\nsigma_max = 1.5\n", 2, []string{`x.toml:2: key "sigma_max": sigma_max = 1.5 is out of range: want [0, 1]`}},
		{"not finite", "sigma_decay = -inf\n", 1, []string{`key "sigma_decay": sigma_decay = -Inf is out of range: want finite number <= 0`}},
		{"open bound", "buffer_stock_h = 0\n", 1, []string{`key "buffer_stock_h": buffer_stock_h = 0 is out of range: want finite number > 0`}},
		{"wrong type", "profit_tax_rate = \"0.3\"\n", 1, []string{`key "profit_tax_rate": want number in [0, 1], got string "0.3"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenarios.Parse("x.toml", []byte(tt.doc))
			e := checkError(t, err, tt.want...)
			if e != nil && e.Line != tt.line {
				t.Errorf("line %d, want %d", e.Line, tt.line)
			}
		})
	}
}

// TestExtensionParamBoundaries checks every bound of every extension
// parameter, through a file and through --set.
func TestExtensionParamBoundaries(t *testing.T) {
	specs := ecs.ExtParamSpecs()
	if len(specs) < 5 {
		t.Fatalf("%d extension parameters registered, want the 5 of spec §2.3", len(specs))
	}
	for i := range specs {
		spec := &specs[i]
		cases := boundaries(spec)
		if math.IsInf(spec.Min, -1) { // unbounded below (sigma_decay <= 0)
			cases = []boundaryCase{{"-1e300", true}, {"nan", false}, {"inf", false}, {"-inf", false}}
			if math.IsInf(spec.Max, 1) {
				cases = append(cases, boundaryCase{"0", true}, boundaryCase{"1e300", true})
			} else {
				cases = append(cases, boundaryCase{fmt.Sprint(spec.Max), !spec.MaxOpen},
					boundaryCase{fmt.Sprint(spec.Max + 0.01), false}, boundaryCase{fmt.Sprint(spec.Max - 0.01), true})
			}
		}
		for _, c := range cases {
			t.Run(spec.Name+"="+c.value, func(t *testing.T) {
				s, err := scenarios.Parse("b.toml", []byte(spec.Name+" = "+c.value+"\n"))
				if c.ok && (err != nil || len(s.Params.Ext) != 1) {
					t.Errorf("file: %v", err)
				}
				if !c.ok {
					checkError(t, err, "b.toml:1:", `key "`+spec.Name+`"`, spec.RangeString())
				}
				d := scenarios.Default()
				err = d.Set(spec.Name + "=" + c.value)
				if c.ok && (err != nil || len(d.Params.Ext) != 1) {
					t.Errorf("--set: %v", err)
				}
				if !c.ok {
					checkError(t, err, "--set ", spec.RangeString())
					if d.Params.Ext != nil {
						t.Errorf("a failed Set changed Ext: %v", d.Params.Ext)
					}
				}
			})
		}
	}
}

// TestSetExtensionParam checks that --set overrides a file's extension
// parameter and does not touch a scenario it was cloned from.
func TestSetExtensionParam(t *testing.T) {
	s, err := scenarios.Load("growth_plus")
	if err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	if err := c.Set("sigma_max=0.3"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("profit_tax_rate=0.5"); err != nil {
		t.Fatal(err)
	}
	if c.Params.Ext["sigma_max"] != 0.3 || c.Params.Ext["profit_tax_rate"] != 0.5 || s.Params.Ext["sigma_max"] != 0.1 || len(s.Params.Ext) != 3 {
		t.Errorf("clone %v, original %v", c.Params.Ext, s.Params.Ext)
	}
	err = c.Set("sigma_maxx=0.3")
	checkError(t, err, `--set sigma_maxx=0.3: unknown parameter "sigma_maxx" (did you mean "sigma_max"?)`)
}

// TestEmbeddedExtensionScenarios checks the scenarios of spec §12.5.
func TestEmbeddedExtensionScenarios(t *testing.T) {
	rnd := map[string]float64{"sigma_min": 0, "sigma_max": 0.1, "sigma_decay": -1}
	tests := []struct {
		name string
		exts []string
		ext  map[string]float64
	}{
		{"baseline", nil, nil},
		{"growth_plus", []string{"rnd"}, rnd},
		{"buffer_stock", []string{"rnd", "buffer_stock"}, merge(rnd, map[string]float64{"buffer_stock_h": 2})},
		{"taxation", []string{"rnd", "taxation"}, merge(rnd, map[string]float64{"profit_tax_rate": 0.3})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Contains(scenarios.Names(), tt.name) {
				t.Fatalf("%s is not embedded: %v", tt.name, scenarios.Names())
			}
			s, err := scenarios.Load(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != tt.name || s.Description == "" || !slices.Equal(s.Extensions, tt.exts) || !reflect.DeepEqual(s.Params.Ext, tt.ext) {
				t.Errorf("%s: name %q, extensions %v, ext params %v", tt.name, s.Name, s.Extensions, s.Params.Ext)
			}
			// Every core parameter at its default (spec §12.5).
			core := s.Params
			core.Ext = nil
			if !reflect.DeepEqual(core, ecs.DefaultParams()) {
				t.Errorf("%s changes core parameters: %+v", tt.name, core)
			}
			for _, n := range s.Extensions {
				if _, ok := extensions.Lookup(n); !ok {
					t.Errorf("unknown extension %s", n)
				}
			}
		})
	}
}

func merge(a, b map[string]float64) map[string]float64 {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

func TestCloneExtensions(t *testing.T) {
	s, err := scenarios.Load("buffer_stock")
	if err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	if !reflect.DeepEqual(c, s) {
		t.Fatal("clone differs")
	}
	c.Extensions[0] = "taxation"
	c.Params.Ext["buffer_stock_h"] = 5
	if s.Extensions[0] != "rnd" || s.Params.Ext["buffer_stock_h"] != 2 {
		t.Errorf("Clone shares extensions or their parameters: %v %v", s.Extensions, s.Params.Ext)
	}
}
