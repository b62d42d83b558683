package ecs_test

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/ecs"
)

// Extension parameters registered by this package's tests (names no real
// extension uses).
var (
	testExtA = ecs.ExtFloat("test_ext_a", 0.25, 0, 1, false, false, "a test parameter in [0, 1]")
	testExtB = ecs.ExtFloat("test_ext_b", -1, math.Inf(-1), math.Inf(1), false, false, "an unbounded test parameter")
	testExtC = ecs.ExtFloat("test_ext_c", 2, 0, math.Inf(1), true, false, "a positive test parameter")
)

func init() {
	for _, s := range []ecs.ParamSpec{testExtA, testExtB, testExtC} {
		if err := ecs.RegisterParam(s); err != nil {
			panic(err)
		}
	}
}

func TestExtFloat(t *testing.T) {
	tests := []struct {
		spec    ecs.ParamSpec
		def     string
		rng     string
		deflt   float64
		isExt   bool
		boundOK []float64
		boundKO []float64
	}{
		{testExtA, "0.25", "[0, 1]", 0.25, true, []float64{0, 1}, []float64{-0.01, 1.01, math.NaN()}},
		{testExtB, "-1", "any finite number", -1, true, []float64{-1e300, 1e300}, []float64{math.Inf(1), math.Inf(-1), math.NaN()}},
		{testExtC, "2", "finite number > 0", 2, true, []float64{1e-9}, []float64{0, -1, math.Inf(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.spec.Name, func(t *testing.T) {
			s := tt.spec
			if s.Default != tt.def || s.RangeString() != tt.rng || s.DefaultFloat() != tt.deflt || s.IsExtension() != tt.isExt || s.Kind != ecs.KindFloat {
				t.Errorf("spec %+v: default %q range %q", s, s.Default, s.RangeString())
			}
			for _, x := range tt.boundOK {
				var p ecs.Params
				if err := s.SetFloat(&p, x); err != nil || p.Ext[s.Name] != x {
					t.Errorf("SetFloat(%v) = %v, Ext %v", x, err, p.Ext)
				}
			}
			for _, x := range tt.boundKO {
				var p ecs.Params
				if err := s.SetFloat(&p, x); err == nil || !strings.Contains(err.Error(), tt.rng) || p.Ext != nil {
					t.Errorf("SetFloat(%v) = %v, Ext %v; want a range error", x, err, p.Ext)
				}
			}
		})
	}
	theta, _ := ecs.LookupParam("theta")
	if theta.IsExtension() {
		t.Error("theta is an extension parameter")
	}
	beta, _ := ecs.LookupParam("beta")
	if beta.DefaultFloat() != 2.5 {
		t.Errorf("beta.DefaultFloat() = %v", beta.DefaultFloat())
	}
}

func TestRegisterParam(t *testing.T) {
	core, _ := ecs.LookupParam("beta")
	tests := []struct {
		name string
		spec ecs.ParamSpec
		err  string // "" = ok
	}{
		{"identical again", testExtA, ""},
		{"core spec", *core, "not an extension parameter"},
		{"hand-made spec", ecs.ParamSpec{Name: "test_ext_z", Kind: ecs.KindFloat}, "not an extension parameter"},
		{"empty name", ecs.ExtFloat("", 0, 0, 1, false, false, ""), "non-empty name"},
		{"space", ecs.ExtFloat("a b", 0, 0, 1, false, false, ""), "non-empty name"},
		{"equals", ecs.ExtFloat("a=b", 0, 0, 1, false, false, ""), "non-empty name"},
		{"core name", ecs.ExtFloat("theta", 0, 0, 1, false, false, ""), "a core parameter has that name"},
		{"empty range", ecs.ExtFloat("test_ext_z", 0, 1, 0, false, false, ""), "empty range"},
		{"default out of range", ecs.ExtFloat("test_ext_z", 2, 0, 1, false, false, ""), "default 2 is out of its range [0, 1]"},
		{"default on open bound", ecs.ExtFloat("test_ext_z", 0, 0, 1, true, false, ""), "out of its range (0, 1]"},
		{"taken with another default", ecs.ExtFloat("test_ext_a", 0.5, 0, 1, false, false, "a test parameter in [0, 1]"), "already registered"},
		{"taken with another range", ecs.ExtFloat("test_ext_a", 0.25, 0, 2, false, false, "a test parameter in [0, 1]"), "already registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ecs.RegisterParam(tt.spec)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("RegisterParam = %v, want %q", err, tt.err)
			}
		})
	}
	var n int
	for _, s := range ecs.ExtParamSpecs() {
		if s.Name == "test_ext_a" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("test_ext_a registered %d times", n)
	}
	if _, ok := ecs.LookupParam("test_ext_z"); ok {
		t.Error("a failed registration left test_ext_z registered")
	}
}

func TestLookupExtParam(t *testing.T) {
	s, ok := ecs.LookupParam("test_ext_c")
	if !ok || !s.IsExtension() || s.RangeString() != "finite number > 0" {
		t.Fatalf("LookupParam(test_ext_c) = %+v, %v", s, ok)
	}
	names := ecs.AllParamNames()
	if !slices.Equal(names[:len(ecs.ParamSpecs)], ecs.ParamNames()) || !slices.Contains(names, "test_ext_b") {
		t.Errorf("AllParamNames() = %v", names)
	}
	if slices.Contains(ecs.ParamNames(), "test_ext_b") {
		t.Error("ParamNames lists an extension parameter")
	}
	// Get gives the default until the parameter is set.
	p := ecs.DefaultParams()
	if got := s.Get(&p); got != 2.0 {
		t.Errorf("Get = %v, want the default 2", got)
	}
	if err := p.SetExt("test_ext_c", 3); err != nil || s.Get(&p) != 3.0 {
		t.Errorf("SetExt: %v, Get = %v", err, s.Get(&p))
	}
}

func TestParamsExt(t *testing.T) {
	p := ecs.DefaultParams()
	if p.Ext != nil {
		t.Fatalf("DefaultParams().Ext = %v, want nil", p.Ext)
	}
	if got := p.ExtValue("test_ext_a"); got != 0.25 {
		t.Errorf("ExtValue of an unset parameter = %v, want its default 0.25", got)
	}
	if err := p.SetExt("test_ext_a", 0.5); err != nil {
		t.Fatal(err)
	}
	q := p // a copy shares the map until one of them writes
	if err := q.SetExt("test_ext_a", 0.75); err != nil {
		t.Fatal(err)
	}
	if p.ExtValue("test_ext_a") != 0.5 || q.ExtValue("test_ext_a") != 0.75 {
		t.Errorf("after SetExt on a copy: p %v, q %v", p.Ext, q.Ext)
	}
	c := q.Clone()
	c.Ext["test_ext_a"] = 0.1
	if q.Ext["test_ext_a"] != 0.75 {
		t.Error("Clone shares Ext")
	}
	for _, tt := range []struct {
		name string
		v    float64
		err  string
	}{
		{"test_ext_a", 2, "test_ext_a = 2 is out of range: want [0, 1]"},
		{"test_ext_c", 0, "test_ext_c = 0 is out of range: want finite number > 0"},
		{"no_such_param", 1, `unknown extension parameter "no_such_param"`},
		{"theta", 1, `unknown extension parameter "theta"`},
	} {
		r := p
		if err := r.SetExt(tt.name, tt.v); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("SetExt(%s, %v) = %v, want %q", tt.name, tt.v, err, tt.err)
		}
		if r.ExtValue("test_ext_a") != 0.5 || len(r.Ext) != 1 {
			t.Errorf("failed SetExt changed Ext: %v", r.Ext)
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `"no_such_param" is not registered`) {
			t.Errorf("ExtValue of an unknown name: recover() = %v", r)
		}
	}()
	p.ExtValue("no_such_param")
}

func TestValidateExt(t *testing.T) {
	tests := []struct {
		name string
		ext  map[string]float64
		err  string
	}{
		{"none", nil, ""},
		{"empty", map[string]float64{}, ""},
		{"in range", map[string]float64{"test_ext_a": 1, "test_ext_b": -5}, ""},
		{"out of range", map[string]float64{"test_ext_a": 1.5}, "test_ext_a = 1.5 is out of range: want [0, 1]"},
		{"nan", map[string]float64{"test_ext_b": math.NaN()}, "test_ext_b = NaN is out of range: want any finite number"},
		{"unknown", map[string]float64{"test_ext_q": 1}, `unknown extension parameter "test_ext_q" (registered: `},
		{"first by name", map[string]float64{"test_ext_c": -1, "test_ext_a": 9}, "test_ext_a = 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ecs.DefaultParams()
			p.Ext = tt.ext
			err := p.Validate()
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Validate() = %v, want %q", err, tt.err)
			}
			if _, err2 := ecs.NewWorld(p); (err == nil) != (err2 == nil) {
				t.Errorf("NewWorld: %v, Validate: %v", err2, err)
			}
		})
	}
}

func TestParamsJSON(t *testing.T) {
	// Without extension parameters, the JSON is the struct's: core keys in
	// spec order.
	p := ecs.DefaultParams()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonKeys(t, b); !slices.Equal(got, ecs.ParamNames()) {
		t.Errorf("keys %v, want %v", got, ecs.ParamNames())
	}
	// With them: flattened after the core keys, registered ones in
	// registration order, others by name.
	if err := p.SetExt("test_ext_c", 4); err != nil {
		t.Fatal(err)
	}
	if err := p.SetExt("test_ext_a", 0.5); err != nil {
		t.Fatal(err)
	}
	p.Ext["zz_unregistered"] = 7 // p.Ext is p's own map after SetExt
	p.Ext["aa_unregistered"] = 8
	c := 2.5
	p.CapFactor = &c
	b, err = json.MarshalIndent(&p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want := append(ecs.ParamNames(), "test_ext_a", "test_ext_c", "aa_unregistered", "zz_unregistered")
	if got := jsonKeys(t, b); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	if !bytes.Contains(b, []byte(`"test_ext_c": 4`)) {
		t.Errorf("indented JSON lacks test_ext_c: %s", b)
	}
	var back ecs.Params
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Ext["test_ext_a"] != 0.5 || back.Ext["zz_unregistered"] != 7 || len(back.Ext) != 4 || *back.CapFactor != 2.5 || back.Theta != 8 {
		t.Errorf("round trip: %+v", back)
	}
	var none ecs.Params
	if err := json.Unmarshal([]byte(`{"theta": 3}`), &none); err != nil || none.Theta != 3 || none.Ext != nil {
		t.Errorf("Unmarshal core only: %v %+v", err, none)
	}
	if err := json.Unmarshal([]byte(`{"test_ext_a": "x"}`), &none); err == nil || !strings.Contains(err.Error(), `extension parameter "test_ext_a"`) {
		t.Errorf("Unmarshal of a string extension value: %v", err)
	}
	p.Ext["test_ext_b"] = math.NaN()
	if _, err := json.Marshal(p); err == nil {
		t.Error("Marshal of NaN succeeded")
	}
}

// jsonKeys returns the top-level keys of a JSON object in order.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestAddComponentViewCache checks that a view function stays valid across
// a later structural change: it returns the same slice until the change and
// the moved storage afterwards, with the values carried over.
func TestAddComponentViewCache(t *testing.T) {
	type first struct{ A, B float64 }
	type second struct{ C float64 }
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = 7, 20, 2
	w, err := ecs.NewWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := ecs.AddComponent[first](w, ecs.Firms)
	if err != nil {
		t.Fatal(err)
	}
	a := v1()
	for i := range a {
		a[i].A = float64(i)
	}
	if b := v1(); &b[0] != &a[0] || len(b) != 7 {
		t.Error("view changed without a structural change")
	}
	if n := testing.AllocsPerRun(100, func() { _ = v1() }); n != 0 {
		t.Errorf("view function allocates %v", n)
	}
	prod := w.Firms.Producer
	v2, err := ecs.AddComponent[second](w, ecs.Firms)
	if err != nil {
		t.Fatal(err)
	}
	b := v1()
	if &b[0] == &a[0] {
		t.Fatal("view not rebuilt after AddComponent moved the firms")
	}
	if &w.Firms.Producer[0] == &prod[0] {
		t.Error("world views not refreshed")
	}
	for i := range b {
		if b[i].A != float64(i) {
			t.Fatalf("slot %d lost its value: %+v", i, b[i])
		}
	}
	v2()[3].C = 9
	if v2()[3].C != 9 || len(v2()) != 7 {
		t.Error("second view")
	}
	// A structural change of another kind rebuilds, to the same storage.
	if _, err := ecs.AddComponent[second](w, ecs.Households); err != nil {
		t.Fatal(err)
	}
	if c := v1(); &c[0] != &b[0] {
		t.Error("firm view moved when households changed")
	}
}
