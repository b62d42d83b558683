package experiments

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/ecs/rng"
	"github.com/bam-abm/bam/scenarios"
)

// Design is the configurations of an experiment: Configs[i][j] is the
// value of parameter Params[j] in configuration i, written as a scenario
// value (ecs.ParamSpec.Text: "8", "0.05", "random"). Configuration i is
// applied to a scenario with [Design.Apply].
type Design struct {
	// Kind is how the design was made: "grid", "lhs" or "file".
	Kind string `json:"kind"`
	// Params are the parameters set, in column order.
	Params []string `json:"params"`
	// Configs are the configurations, each one value per parameter.
	Configs [][]string `json:"configs"`
	// Seed is the seed of a Latin hypercube (0 otherwise).
	Seed uint64 `json:"seed,omitempty"`
}

// Axis is one parameter of a grid and its values.
type Axis struct {
	Param  string
	Values []string
}

// Range is the interval [Lo, Hi] a Latin hypercube samples a parameter
// from.
type Range struct {
	Param  string
	Lo, Hi float64
}

// ErrBadDesign classifies the errors of a design that cannot be run: an
// unknown parameter, an empty or reversed range, a value outside its
// parameter's valid range, a malformed flag or file.
var ErrBadDesign = errors.New("bad design")

// designError returns an error of the class ErrBadDesign.
func designError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadDesign, fmt.Sprintf(format, args...))
}

// ParseAxis parses a grid flag "name=v1,v2,...".
func ParseAxis(s string) (Axis, error) {
	name, list, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return Axis{}, designError("--grid %q: want name=v1,v2,...", s)
	}
	a := Axis{Param: name}
	for _, v := range strings.Split(list, ",") {
		if v = strings.TrimSpace(v); v == "" {
			return Axis{}, designError("--grid %q: an empty value", s)
		}
		a.Values = append(a.Values, v)
	}
	return a, nil
}

// ParseRange parses a Latin-hypercube flag "name=lo:hi".
func ParseRange(s string) (Range, error) {
	name, rest, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	lo, hi, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || name == "" {
		return Range{}, designError("--lhs %q: want name=lo:hi", s)
	}
	r := Range{Param: name}
	var err1, err2 error
	r.Lo, err1 = strconv.ParseFloat(strings.TrimSpace(lo), 64)
	r.Hi, err2 = strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil || math.IsNaN(r.Lo) || math.IsNaN(r.Hi) || math.IsInf(r.Lo, 0) || math.IsInf(r.Hi, 0) {
		return Range{}, designError("--lhs %q: want finite numbers lo:hi", s)
	}
	if !(r.Lo < r.Hi) {
		return Range{}, designError("--lhs %q: an empty range (want lo < hi)", s)
	}
	return r, nil
}

// Grid returns the full factorial design of the axes: every combination of
// their values, the last axis varying fastest. A parameter given twice, an
// axis without values and a value invalid for its parameter are errors.
func Grid(axes []Axis) (*Design, error) {
	d := &Design{Kind: "grid"}
	for _, a := range axes {
		spec, err := lookup(a.Param, d.Params)
		if err != nil {
			return nil, err
		}
		if len(a.Values) == 0 {
			return nil, designError("--grid %s: no values", a.Param)
		}
		for _, v := range a.Values {
			if err := checkValue(spec, v); err != nil {
				return nil, err
			}
		}
		d.Params = append(d.Params, a.Param)
	}
	d.Configs = [][]string{{}}
	for _, a := range axes {
		var next [][]string
		for _, c := range d.Configs {
			for _, v := range a.Values {
				next = append(next, append(slices.Clone(c), canonical(a.Param, v)))
			}
		}
		d.Configs = next
	}
	if len(axes) == 0 {
		d.Configs = [][]string{{}}
	}
	return d, nil
}

// LatinHypercube returns samples configurations of the ranges, drawn with
// the random stream of seed: each parameter's range is cut into samples
// equal strata, and each stratum is used by exactly one configuration, at a
// uniform point inside it (McKay et al. 1979). Integer parameters are
// rounded to the nearest integer in range. The same arguments give the
// same design.
func LatinHypercube(ranges []Range, samples int, seed uint64) (*Design, error) {
	if samples < 1 {
		return nil, designError("--samples %d: want an integer >= 1", samples)
	}
	d := &Design{Kind: "lhs", Seed: seed}
	specs := make([]*ecs.ParamSpec, len(ranges))
	for i, r := range ranges {
		spec, err := lookup(r.Param, d.Params)
		if err != nil {
			return nil, err
		}
		if spec.Kind == ecs.KindEnum || spec.Kind == ecs.KindSeed {
			return nil, designError("--lhs %s: a Latin hypercube samples numeric parameters; %s is %s", r.Param, r.Param, spec.RangeString())
		}
		if !(r.Lo < r.Hi) {
			return nil, designError("--lhs %s=%g:%g: an empty range (want lo < hi)", r.Param, r.Lo, r.Hi)
		}
		for _, x := range []float64{r.Lo, r.Hi} {
			if err := checkValue(spec, strconv.FormatFloat(x, 'g', -1, 64)); err != nil && spec.Kind != ecs.KindInt {
				return nil, err
			}
		}
		if spec.Kind == ecs.KindInt && math.Ceil(r.Lo) > math.Floor(r.Hi) {
			return nil, designError("--lhs %s=%g:%g: no integer in the range", r.Param, r.Lo, r.Hi)
		}
		specs[i] = spec
		d.Params = append(d.Params, r.Param)
	}
	var g rng.Rand
	g.Seed(seed, 0x6c68735f73776565) // "lhs_swee": a stream of its own
	d.Configs = make([][]string, samples)
	for k := range d.Configs {
		d.Configs[k] = make([]string, len(ranges))
	}
	perm := make([]int32, samples)
	for j, r := range ranges {
		for k := range perm {
			perm[k] = int32(k)
		}
		g.Shuffle(perm)
		for k := range samples {
			x := r.Lo + (r.Hi-r.Lo)*(float64(perm[k])+g.Float64())/float64(samples)
			var text string
			if specs[j].Kind == ecs.KindInt {
				text = strconv.FormatInt(int64(math.Min(math.Max(math.Round(x), math.Ceil(r.Lo)), math.Floor(r.Hi))), 10)
			} else {
				text = strconv.FormatFloat(x, 'g', -1, 64)
			}
			if err := checkValue(specs[j], text); err != nil {
				return nil, err
			}
			d.Configs[k][j] = text
		}
	}
	return d, nil
}

// ReadDesign reads a design file: CSV with a header row of parameter names
// and one configuration per row, or TOML (".toml") with one [[config]]
// table per configuration, every table with the same keys. Every value is
// checked against its parameter.
func ReadDesign(path string) (*Design, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("design file %s: %w", path, err)
	}
	var d *Design
	if strings.EqualFold(filepath.Ext(path), ".toml") {
		d, err = parseTOMLDesign(data)
	} else {
		d, err = parseCSVDesign(data)
	}
	if err != nil {
		return nil, fmt.Errorf("design file %s: %w", path, err)
	}
	return d, nil
}

// parseCSVDesign parses a CSV design.
func parseCSVDesign(data []byte) (*Design, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, designError("%v", err)
	}
	if len(rows) < 2 {
		return nil, designError("want a header row of parameter names and at least one configuration")
	}
	return newFileDesign(rows[0], rows[1:], func(i int) string { return fmt.Sprintf("row %d", i+2) })
}

// parseTOMLDesign parses a TOML design.
func parseTOMLDesign(data []byte) (*Design, error) {
	var doc struct {
		Config []map[string]any `toml:"config"`
	}
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		return nil, designError("%s", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, designError("unknown key %s (want [[config]] tables)", und[0])
	}
	if len(doc.Config) == 0 {
		return nil, designError("no [[config]] table")
	}
	var params []string // in the order of the file's first table
	for _, k := range md.Keys() {
		if len(k) == 2 && k[0] == "config" && !slices.Contains(params, k[1]) {
			if _, ok := doc.Config[0][k[1]]; ok {
				params = append(params, k[1])
			}
		}
	}
	rows := make([][]string, len(doc.Config))
	for i, c := range doc.Config {
		if len(c) != len(params) {
			return nil, designError("[[config]] %d has %d keys, the first has %d", i+1, len(c), len(params))
		}
		for _, p := range params {
			v, ok := c[p]
			if !ok {
				return nil, designError("[[config]] %d has no %s", i+1, p)
			}
			switch x := v.(type) {
			case string:
				rows[i] = append(rows[i], x)
			case int64:
				rows[i] = append(rows[i], strconv.FormatInt(x, 10))
			case float64:
				rows[i] = append(rows[i], strconv.FormatFloat(x, 'g', -1, 64))
			case bool:
				rows[i] = append(rows[i], strconv.FormatBool(x))
			default:
				return nil, designError("[[config]] %d: %s is a %T, want a number or a string", i+1, p, v)
			}
		}
	}
	return newFileDesign(params, rows, func(i int) string { return fmt.Sprintf("[[config]] %d", i+1) })
}

// NewDesign returns the design of the given configurations of params (one
// value per parameter in each, in params order), checked as a design file
// is: known parameters, each once, valid values (written canonically).
// kind names how the design was made ("morris", "grid", ...).
func NewDesign(kind string, params []string, configs [][]string) (*Design, error) {
	d, err := newFileDesign(params, configs, func(i int) string { return fmt.Sprintf("configuration %d", i+1) })
	if err != nil {
		return nil, err
	}
	d.Kind = kind
	return d, nil
}

// newFileDesign checks a design read from a file.
func newFileDesign(header []string, rows [][]string, where func(int) string) (*Design, error) {
	d := &Design{Kind: "file"}
	specs := make([]*ecs.ParamSpec, len(header))
	for j, h := range header {
		spec, err := lookup(strings.TrimSpace(h), d.Params)
		if err != nil {
			return nil, err
		}
		specs[j] = spec
		d.Params = append(d.Params, spec.Name)
	}
	for i, row := range rows {
		if len(row) != len(header) {
			return nil, designError("%s has %d values for %d parameters", where(i), len(row), len(header))
		}
		c := make([]string, len(row))
		for j, v := range row {
			v = strings.TrimSpace(v)
			if err := checkValue(specs[j], v); err != nil {
				return nil, fmt.Errorf("%s: %w", where(i), err)
			}
			c[j] = canonical(specs[j].Name, v)
		}
		d.Configs = append(d.Configs, c)
	}
	return d, nil
}

// lookup returns the spec of a parameter a design may set: known, not the
// seed (seeds are the replications), and not already in params.
func lookup(name string, params []string) (*ecs.ParamSpec, error) {
	spec, ok := ecs.LookupParam(name)
	if !ok {
		return nil, designError("unknown parameter %q (bam params lists them)", name)
	}
	if spec.Kind == ecs.KindSeed {
		return nil, designError("%s cannot be swept: the seeds are the replications (--seeds, --seed-start)", name)
	}
	if slices.Contains(params, name) {
		return nil, designError("parameter %s given twice", name)
	}
	return spec, nil
}

// checkValue checks that v is a valid value of spec, as --set checks it.
func checkValue(spec *ecs.ParamSpec, v string) error {
	sc := scenarios.Default()
	if err := sc.Set(spec.Name + "=" + v); err != nil {
		var e *scenarios.Error
		if errors.As(err, &e) {
			return designError("%s = %s: %s", spec.Name, v, e.Msg)
		}
		return designError("%s = %s: %v", spec.Name, v, err)
	}
	return nil
}

// canonical writes v as the scenario would (ecs.ParamSpec.Text), so that
// "4.0" and "4" are the same configuration of an integer parameter.
func canonical(name, v string) string {
	sc := scenarios.Default()
	spec, _ := ecs.LookupParam(name)
	if sc.Set(name+"="+v) != nil {
		return v
	}
	if spec.Kind == ecs.KindEnum {
		return strings.Trim(spec.Text(&sc.Params), `"`)
	}
	return spec.Text(&sc.Params)
}

// Len returns the number of configurations.
func (d *Design) Len() int { return len(d.Configs) }

// Apply returns a copy of sc with the values of configuration i set.
func (d *Design) Apply(sc *scenarios.Scenario, i int) (*scenarios.Scenario, error) {
	out := sc.Clone()
	for j, p := range d.Params {
		if err := out.Set(p + "=" + d.Configs[i][j]); err != nil {
			return nil, fmt.Errorf("configuration %d: %w", i, err)
		}
	}
	return out, nil
}
