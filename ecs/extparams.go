package ecs

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Extension parameters (spec §2.3) are float parameters declared by an
// extension rather than by the core model: sigma_min, sigma_max and
// sigma_decay (R&D), buffer_stock_h (buffer-stock consumption) and
// profit_tax_rate (taxation), plus those of user extensions. They are built
// with [ExtFloat], registered process-wide with [RegisterParam] (package
// systems/extensions does this when an extension is registered), and then
// behave like core parameters everywhere a parameter is named: scenario
// files, `--set`, [LookupParam], [Params.Validate] and the JSON of
// [Params]. Their values live in [Params.Ext].

var extParams struct {
	sync.RWMutex
	specs []ParamSpec // registration order
}

// ExtFloat declares an extension parameter: a float with default def and
// valid range [lo, hi] (an infinite bound means unbounded; loOpen and
// hiOpen make a bound exclusive). Register it with [RegisterParam] before
// naming it in a scenario or reading it with [Params.ExtValue].
func ExtFloat(name string, def, lo, hi float64, loOpen, hiOpen bool, doc string) ParamSpec {
	return ParamSpec{
		Name: name, Kind: KindFloat, Default: strconv.FormatFloat(def, 'g', -1, 64), Doc: doc,
		Min: lo, Max: hi, MinOpen: loOpen, MaxOpen: hiOpen,
		ext: true, def: def,
	}
}

// IsExtension reports whether s is an extension parameter (built by
// [ExtFloat]) rather than a core parameter of [ParamSpecs].
func (s *ParamSpec) IsExtension() bool { return s.ext }

// DefaultFloat returns the default of a float parameter as a number: the
// registered default of an extension parameter, or the value of a core
// float parameter in [DefaultParams] (NaN for other kinds).
func (s *ParamSpec) DefaultFloat() float64 {
	if s.ext {
		return s.def
	}
	d := DefaultParams()
	if x, ok := s.Get(&d).(float64); ok {
		return x
	}
	return math.NaN()
}

// RegisterParam registers an extension parameter built with [ExtFloat], so
// that scenario files, `--set`, [LookupParam] and [Params.Validate] know it.
// It fails if s was not built by ExtFloat, if its name is empty, contains
// white space or is a core parameter, if its range is empty or excludes its
// default, or if another parameter of that name is registered. Registering
// an identical spec again is allowed and does nothing, so that several
// extensions may share a parameter.
func RegisterParam(s ParamSpec) error {
	if !s.ext {
		return fmt.Errorf("register parameter %q: not an extension parameter (declare it with ecs.ExtFloat)", s.Name)
	}
	if s.Name == "" || strings.IndexFunc(s.Name, func(r rune) bool { return r <= ' ' || r == '=' || r == '"' }) >= 0 {
		return fmt.Errorf("register parameter %q: want a non-empty name without spaces, quotes or '='", s.Name)
	}
	if isCoreName(s.Name) {
		return fmt.Errorf("register parameter %q: a core parameter has that name", s.Name)
	}
	if math.IsNaN(s.Min) || math.IsNaN(s.Max) || s.Min > s.Max {
		return fmt.Errorf("register parameter %q: empty range [%g, %g]", s.Name, s.Min, s.Max)
	}
	if !s.inRange(s.def) {
		return fmt.Errorf("register parameter %q: default %g is out of its range %s", s.Name, s.def, s.RangeString())
	}
	extParams.Lock()
	defer extParams.Unlock()
	for i := range extParams.specs {
		o := &extParams.specs[i]
		if o.Name != s.Name {
			continue
		}
		if sameExtSpec(o, &s) {
			return nil
		}
		return fmt.Errorf("register parameter %q: already registered with default %s, range %s", s.Name, o.Default, o.RangeString())
	}
	extParams.specs = append(extParams.specs, s)
	return nil
}

func sameExtSpec(a, b *ParamSpec) bool {
	return a.Name == b.Name && a.def == b.def && a.Min == b.Min && a.Max == b.Max &&
		a.MinOpen == b.MinOpen && a.MaxOpen == b.MaxOpen && a.Doc == b.Doc
}

// ExtParamSpecs returns the registered extension parameters in registration
// order (a copy).
func ExtParamSpecs() []ParamSpec {
	extParams.RLock()
	defer extParams.RUnlock()
	return slices.Clone(extParams.specs)
}

// AllParamNames returns the names of the core parameters in spec order,
// then those of the registered extension parameters in registration order.
func AllParamNames() []string {
	names := ParamNames()
	for _, s := range ExtParamSpecs() {
		names = append(names, s.Name)
	}
	return names
}

// lookupExt returns a copy of the registered extension parameter name.
func lookupExt(name string) (ParamSpec, bool) {
	extParams.RLock()
	defer extParams.RUnlock()
	for i := range extParams.specs {
		if extParams.specs[i].Name == name {
			return extParams.specs[i], true
		}
	}
	return ParamSpec{}, false
}

// ExtValue returns the value of extension parameter name: the value set in
// p.Ext, else its registered default. It panics if name is neither set nor
// registered (a misspelt name in an extension's code). A set value is a map
// look-up and does not allocate; systems may call it in every Update.
func (p *Params) ExtValue(name string) float64 {
	if v, ok := p.Ext[name]; ok {
		return v
	}
	if s, ok := lookupExt(name); ok {
		return s.def
	}
	panic(fmt.Sprintf("ecs: extension parameter %q is not registered", name))
}

// SetExt sets the registered extension parameter name after checking its
// range. It copies p.Ext before writing, so a Params value copied earlier
// keeps its own values.
func (p *Params) SetExt(name string, v float64) error {
	s, ok := lookupExt(name)
	if !ok {
		return fmt.Errorf("unknown extension parameter %q", name)
	}
	return s.SetFloat(p, v)
}

// setExt writes an (already checked) extension parameter, copying the map.
func (p *Params) setExt(name string, v float64) {
	m := make(map[string]float64, len(p.Ext)+1)
	maps.Copy(m, p.Ext)
	m[name] = v
	p.Ext = m
}

// validateExt checks every set extension parameter, in name order.
func (p *Params) validateExt() error {
	if len(p.Ext) == 0 {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(p.Ext)) {
		s, ok := lookupExt(name)
		if !ok {
			return fmt.Errorf("unknown extension parameter %q (registered: %s)", name, strings.Join(extNames(), ", "))
		}
		if x := p.Ext[name]; !s.inRange(x) {
			return fmt.Errorf("%s = %v is out of range: want %s", name, x, s.RangeString())
		}
	}
	return nil
}

func extNames() []string {
	var names []string
	for _, s := range ExtParamSpecs() {
		names = append(names, s.Name)
	}
	return names
}

// Clone returns a deep copy of p: the optional values and the extension
// parameters are copied, not shared.
func (p Params) Clone() Params {
	c := p
	if p.NetWorthInit != nil {
		v := *p.NetWorthInit
		c.NetWorthInit = &v
	}
	if p.CapFactor != nil {
		v := *p.CapFactor
		c.CapFactor = &v
	}
	c.Ext = maps.Clone(p.Ext)
	return c
}

// plainParams is Params without its JSON methods.
type plainParams Params

// MarshalJSON writes the core parameters under their spec names in spec
// order, followed by the set extension parameters (registered ones in
// registration order, then any others by name), as one flat object.
func (p Params) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(plainParams(p))
	if err != nil || len(p.Ext) == 0 {
		return b, err
	}
	b = b[:len(b)-1] // reopen the object
	var order []string
	for _, s := range ExtParamSpecs() {
		if _, ok := p.Ext[s.Name]; ok {
			order = append(order, s.Name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.Ext)) {
		if !slices.Contains(order, name) {
			order = append(order, name)
		}
	}
	for _, name := range order {
		v, err := json.Marshal(p.Ext[name])
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
		b = append(b, ',')
		b = strconv.AppendQuote(b, name)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the object written by [Params.MarshalJSON]: keys that
// are not core parameters become extension parameters (numbers only). The
// values are not validated; call [Params.Validate].
func (p *Params) UnmarshalJSON(data []byte) error {
	var core plainParams
	if err := json.Unmarshal(data, &core); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	core.Ext = nil
	for k, v := range raw {
		if isCoreName(k) {
			continue
		}
		var x float64
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("extension parameter %q: want a number: %w", k, err)
		}
		if core.Ext == nil {
			core.Ext = map[string]float64{}
		}
		core.Ext[k] = x
	}
	*p = Params(core)
	return nil
}

func isCoreName(name string) bool {
	for i := range ParamSpecs {
		if ParamSpecs[i].Name == name {
			return true
		}
	}
	return false
}
