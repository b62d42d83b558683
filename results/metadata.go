package results

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
)

// Metadata returns the provenance of the run of manifest m as Parquet
// key-value metadata, the same for every Parquet file of the run (bam run
// writes it into each; pass it to a writer with bam.WithMetadata):
//
//	bam.program, bam.version, bam.git_commit, bam.git_dirty, bam.go_version
//	bam.scenario, bam.scenario_source, bam.seed
//	bam.n_firms, bam.n_households, bam.n_banks     the population
//	bam.periods_run, bam.collapsed
//	bam.param.NAME                                 every parameter as resolved
//	bam.resumed_from, bam.resumed_period           a resumed run's checkpoint
//
// bam.git_commit and bam.git_dirty are left out when the build does not
// know them, the resumed_ keys when the run was not resumed. Parameters are
// written as in a scenario file without the quotes of a string: integers in
// decimal, floats in shortest round-trip form, "absent" for an unset
// optional value; the core parameters in spec order, then the set
// extension parameters (as in run.json). Timings and the start time are
// not part of it, so equal runs give equal files.
func Metadata(m *Manifest) []bam.KeyValue {
	kv := func(k, v string) bam.KeyValue { return bam.KeyValue{Key: "bam." + k, Value: v} }
	out := []bam.KeyValue{kv("program", m.Program), kv("version", m.Version)}
	if m.GitCommit != "" {
		out = append(out, kv("git_commit", m.GitCommit))
	}
	if m.GitDirty != nil {
		out = append(out, kv("git_dirty", strconv.FormatBool(*m.GitDirty)))
	}
	out = append(out,
		kv("go_version", m.GoVersion),
		kv("scenario", m.Scenario),
		kv("scenario_source", m.ScenarioSource),
		kv("seed", strconv.FormatUint(m.Seed, 10)),
		kv("n_firms", strconv.Itoa(m.Population.Firms)),
		kv("n_households", strconv.Itoa(m.Population.Households)),
		kv("n_banks", strconv.Itoa(m.Population.Banks)),
		kv("periods_run", strconv.Itoa(m.PeriodsRun)),
		kv("collapsed", strconv.FormatBool(m.Collapsed)),
	)
	for _, p := range params(&m.Parameters) {
		out = append(out, kv("param."+p.name, paramText(p.value)))
	}
	if r := m.ResumedFrom; r != nil {
		out = append(out, kv("resumed_from", r.File), kv("resumed_period", strconv.Itoa(r.Period)))
	}
	return out
}

// param is a resolved parameter.
type param struct {
	name  string
	value any // int, uint64, float64, string, or nil when absent
}

// params returns every parameter of p: the core ones in spec order, then
// the set extension parameters, registered ones in registration order and
// any others by name (the order of run.json).
func params(p *ecs.Params) []param {
	var out []param
	for i := range ecs.ParamSpecs {
		s := &ecs.ParamSpecs[i]
		out = append(out, param{s.Name, s.Get(p)})
	}
	var order []string
	for _, s := range ecs.ExtParamSpecs() {
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
		out = append(out, param{name, p.Ext[name]})
	}
	return out
}

// paramText formats a parameter's value for the metadata.
func paramText(v any) string {
	switch v := v.(type) {
	case nil:
		return "absent"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case int:
		return strconv.Itoa(v)
	case uint64:
		return strconv.FormatUint(v, 10)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// ErrIDColumns reports a malformed --id-columns list or a name in it that
// is neither "scenario" nor a parameter.
var ErrIDColumns = errors.New("bad id columns")

// ParseIDColumns parses a comma-separated list of id columns, such as
// "seed" or "scenario,seed,beta": each item is "scenario" (the scenario's
// name) or the name of a parameter (core or registered extension
// parameter: "seed", "n_firms", "beta", "sigma_decay", ...), at most once.
// Spaces around items are ignored. Errors wrap [ErrIDColumns] and list the
// names that exist.
func ParseIDColumns(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w: empty list; want scenario or parameter names such as seed,beta", ErrIDColumns)
	}
	var out []string
	for i, item := range strings.Split(s, ",") {
		name := strings.TrimSpace(item)
		switch {
		case name == "":
			return nil, fmt.Errorf("%w: item %d is empty (in %q)", ErrIDColumns, i+1, s)
		case slices.Contains(out, name):
			return nil, fmt.Errorf("%w: %s twice", ErrIDColumns, name)
		case name != "scenario" && !isParam(name):
			return nil, fmt.Errorf("%w: %q is neither scenario nor a parameter; parameters: %s",
				ErrIDColumns, name, strings.Join(ecs.AllParamNames(), ", "))
		}
		out = append(out, name)
	}
	return out, nil
}

// isParam reports whether name is a core or registered extension
// parameter.
func isParam(name string) bool { return slices.Contains(ecs.AllParamNames(), name) }

// IDColumns returns the id columns names (see [ParseIDColumns]) of the run
// of manifest m: "scenario" as a string, each parameter with its resolved
// value (integers as int64, floats as float64, strings as strings, an
// absent optional value or an extension parameter the run does not have
// as nil, a null). Pass them to the writers with [WithIDColumns] or
// bam.WithIDColumns.
func IDColumns(m *Manifest, names ...string) ([]bam.IDColumn, error) {
	ps := params(&m.Parameters)
	out := make([]bam.IDColumn, 0, len(names))
	for _, name := range names {
		if name == "scenario" {
			out = append(out, bam.IDColumn{Name: name, Value: m.Scenario})
			continue
		}
		if !isParam(name) {
			return nil, fmt.Errorf("%w: %q is neither scenario nor a parameter", ErrIDColumns, name)
		}
		col := bam.IDColumn{Name: name}
		if k := slices.IndexFunc(ps, func(p param) bool { return p.name == name }); k >= 0 {
			switch v := ps[k].value.(type) {
			case int:
				col.Value = int64(v)
			case uint64:
				col.Value = int64(v) // seeds are at most 2⁶³ − 1
			case float64, string:
				col.Value = v
			}
		}
		out = append(out, col)
	}
	return out, nil
}
