package calibration

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/bam-abm/bam/experiments"
)

// The parameter groups of spec §10, for rescreens and staged sweeps.
const (
	GroupEntry      = "entry"
	GroupBehavioral = "behavioral"
	GroupInitial    = "initial_conditions"
	GroupCredit     = "credit"
)

// Param is one parameter of a calibration space: a registered parameter
// (bam params), the values it may take, in order, and its group ("" for
// none).
type Param struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
	Group  string   `json:"group,omitempty"`
}

// Space is the grid a calibration searches: its parameters, in order,
// and the constraints every configuration of its grid (Design) meets. A
// parameter with one value is fixed: it is set but not screened.
// Screenings that move one parameter at a time (Morris trajectories, OAT)
// are not filtered by the constraints: they keep them for the grids that
// follow (Focus).
type Space struct {
	Params      []Param      `json:"params"`
	Constraints []Constraint `json:"constraints,omitempty"`
}

// commonParams are the 15 common parameters of spec §10 with their values
// and groups.
var commonParams = []Param{
	{"price_init", []string{"0.5", "1.0", "1.5", "2.0", "3.0"}, GroupInitial},
	{"min_wage_ratio", []string{"0.50", "0.67", "0.80", "1.0"}, GroupInitial},
	{"net_worth_ratio", []string{"1", "2", "4", "6", "10"}, GroupInitial},
	{"equity_base_init", []string{"1", "3", "5", "10"}, GroupInitial},
	{"savings_init", []string{"1", "3", "5", "10"}, GroupInitial},
	{"new_firm_size_factor", []string{"0.5", "0.7", "0.8", "0.9"}, GroupEntry},
	{"new_firm_production_factor", []string{"0.5", "0.7", "0.8", "0.9", "1.0"}, GroupEntry},
	{"new_firm_wage_factor", []string{"0.5", "0.7", "0.8", "0.9", "1.0"}, GroupEntry},
	{"new_firm_price_markup", []string{"1.0", "1.05", "1.10", "1.25", "1.50"}, GroupEntry},
	{"beta", []string{"0.5", "1", "2.5", "5", "10"}, GroupBehavioral},
	{"max_M", []string{"2", "4"}, GroupBehavioral},
	{"max_loan_to_net_worth", []string{"0", "2", "5", "10"}, GroupCredit},
	{"max_leverage", []string{"0", "5", "10", "20"}, GroupCredit},
	{"job_search_method", []string{"vacancies_only", "all_firms"}, GroupBehavioral},
	{"consumer_matching", []string{"loyalty", "random"}, GroupBehavioral},
}

// DefaultSpace returns the parameter space of spec §10 for a scenario: the
// 15 common parameters, plus sigma_decay for growth_plus, plus
// buffer_stock_h and sigma_decay for buffer_stock. Its values are checked
// and written canonically.
func DefaultSpace(scenario string) (*Space, error) {
	ps := slices.Clone(commonParams)
	sigmaDecay := Param{Name: "sigma_decay", Values: []string{"-2", "-1.5", "-1", "-0.5"}}
	switch scenario {
	case "growth_plus":
		ps = append(ps, sigmaDecay)
	case "buffer_stock":
		ps = append(ps, Param{Name: "buffer_stock_h", Values: []string{"1", "1.5", "2", "3", "4"}}, sigmaDecay)
	}
	return NewSpace(ps)
}

// NewSpace checks a space: every parameter known and given once, with at
// least one value, each valid for it (as --set checks it) and given once.
// Values are written canonically (an integer parameter's "4.0" is "4").
func NewSpace(params []Param) (*Space, error) {
	axes := make([]experiments.Axis, len(params))
	for i, p := range params {
		if len(p.Values) == 0 {
			return nil, fmt.Errorf("%w: %s: no values", experiments.ErrBadDesign, p.Name)
		}
		axes[i] = experiments.Axis{Param: p.Name, Values: p.Values}
	}
	sp := &Space{}
	for i, p := range params {
		d, err := experiments.Grid(axes[i : i+1])
		if err != nil {
			return nil, err
		}
		q := Param{Name: p.Name, Group: p.Group}
		for _, c := range d.Configs {
			if slices.Contains(q.Values, c[0]) {
				return nil, fmt.Errorf("%w: %s: value %s given twice", experiments.ErrBadDesign, p.Name, c[0])
			}
			q.Values = append(q.Values, c[0])
		}
		sp.Params = append(sp.Params, q)
	}
	names := make([]string, len(sp.Params))
	for i, p := range sp.Params {
		names[i] = p.Name
	}
	// A design of one configuration checks the names (known, each once).
	first := make([]string, len(sp.Params))
	for i, p := range sp.Params {
		first[i] = p.Values[0]
	}
	if _, err := experiments.NewDesign("space", names, [][]string{first}); err != nil {
		return nil, err
	}
	return sp, nil
}

// Names returns the parameters' names, in order.
func (sp *Space) Names() []string {
	names := make([]string, len(sp.Params))
	for i, p := range sp.Params {
		names[i] = p.Name
	}
	return names
}

// Index returns the position of the parameter name, or −1.
func (sp *Space) Index(name string) int {
	return slices.IndexFunc(sp.Params, func(p Param) bool { return p.Name == name })
}

// Active returns the positions of the parameters with more than one
// value: those a screening varies.
func (sp *Space) Active() []int {
	var out []int
	for i, p := range sp.Params {
		if len(p.Values) > 1 {
			out = append(out, i)
		}
	}
	return out
}

// Fix returns a copy of the space with each assignment NAME=VALUE of
// fixed pinning NAME to VALUE (added at the end if the space does not
// hold NAME). The value is checked.
func (sp *Space) Fix(fixed []string) (*Space, error) {
	ps := slices.Clone(sp.Params)
	for _, a := range fixed {
		name, value, ok := strings.Cut(a, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return nil, fmt.Errorf("%w: --fixed %q: want NAME=VALUE", experiments.ErrBadDesign, a)
		}
		i := slices.IndexFunc(ps, func(p Param) bool { return p.Name == name })
		if i < 0 {
			ps = append(ps, Param{Name: name, Values: []string{value}})
			continue
		}
		ps[i].Values = []string{value}
	}
	out, err := NewSpace(ps)
	if err != nil {
		return nil, err
	}
	return out.Constrain(sp.Constraints)
}

// ReadGrid reads a user's space from a TOML or JSON file (by extension): a
// table of parameter → list of values, e.g. `beta = [0.5, 1, 2.5]` or
// {"beta": [0.5, 1, 2.5]}. The parameters are taken in the file's order
// for JSON and in name order for TOML (a TOML table has no order); an
// optional "groups" table maps a parameter to its group, and an optional
// "constraints" list holds conditions every configuration of the grid
// must meet (ParseConstraint: "max_loan_to_net_worth <= max_leverage").
func ReadGrid(path string) (*Space, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw := map[string]any{}
	var order []string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".toml":
		if _, err := toml.Decode(string(data), &raw); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", experiments.ErrBadDesign, path, err)
		}
	case ".json":
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", experiments.ErrBadDesign, path, err)
		}
		order, _ = jsonKeyOrder(data)
	default:
		return nil, fmt.Errorf("%w: %s: want a .toml or .json grid", experiments.ErrBadDesign, path)
	}
	groups := map[string]string{}
	if g, ok := raw["groups"].(map[string]any); ok {
		for k, v := range g {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%w: %s: groups.%s: want a string", experiments.ErrBadDesign, path, k)
			}
			groups[k] = s
		}
	}
	delete(raw, "groups")
	var cs []Constraint
	if v, ok := raw["constraints"]; ok {
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s: constraints: want a list of strings", experiments.ErrBadDesign, path)
		}
		for _, x := range list {
			text, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("%w: %s: constraints: want a list of strings", experiments.ErrBadDesign, path)
			}
			c, err := ParseConstraint(text)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			cs = append(cs, c)
		}
		delete(raw, "constraints")
	}
	if order == nil {
		for k := range raw {
			order = append(order, k)
		}
		slices.Sort(order)
	}
	var ps []Param
	for _, name := range order {
		v, ok := raw[name]
		if !ok {
			continue
		}
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s: %s: want a list of values", experiments.ErrBadDesign, path, name)
		}
		p := Param{Name: name, Group: groups[name]}
		for _, x := range list {
			p.Values = append(p.Values, valueText(x))
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("%w: %s: no parameters", experiments.ErrBadDesign, path)
	}
	sp, err := NewSpace(ps)
	if err == nil {
		sp, err = sp.Constrain(cs)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sp, nil
}

// valueText writes a decoded TOML or JSON value as --set takes it.
func valueText(x any) string {
	switch v := x.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	case int64:
		return fmt.Sprint(v)
	case bool:
		return fmt.Sprint(v)
	}
	return fmt.Sprint(x)
}

// jsonKeyOrder returns the keys of a JSON object in the order they appear.
func jsonKeyOrder(data []byte) ([]string, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
