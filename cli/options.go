package cli

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

// Option changes the program [Main] runs: its name, or the model its
// commands see (systems, extensions, parameters, variables, scenarios of
// the program's own). Main applies the options in order before it reads
// the arguments; the first one that fails (such as a name registered
// twice) is reported as one line and Main returns 2.
//
// The registrations are those of the packages ([bam.RegisterSystem],
// [extensions.Register], [ecs.RegisterParam], [ecs.RegisterVariables],
// [scenarios.Register]) and, like them, process-wide: call Main with them
// once per process (a second Main with the same options fails with
// "already registered").
type Option struct {
	// what names the option in an error message, e.g. `System("x")`.
	what string
	// apply applies it to the environment.
	apply func(e *env) error
}

// Name sets the program's name, used in place of "bam" in the usage,
// the version line, the error messages ("minwage: ...") and run.json's
// "program". The Slurm scripts of `stability slurm` always run the
// program's own executable.
func Name(name string) Option {
	return Option{what: fmt.Sprintf("Name(%q)", name), apply: func(e *env) error {
		if name == "" || strings.IndexFunc(name, unicode.IsSpace) >= 0 {
			return fmt.Errorf("want a non-empty name without white space")
		}
		e.name = name
		return nil
	}}
}

// System registers the system factory f under name ([bam.RegisterSystem]),
// so that scenario files ([[hooks]] or a pipeline list) can place it.
func System(name string, f ecs.Factory) Option {
	return Option{what: fmt.Sprintf("System(%q)", name), apply: func(*env) error { return bam.RegisterSystem(name, f) }}
}

// Extension registers the extension ext ([extensions.Register]): its
// parameters, variables and systems, and its name for scenario files'
// `extensions` list.
func Extension(ext *extensions.Extension) Option {
	name := ""
	if ext != nil {
		name = ext.Name
	}
	return Option{what: fmt.Sprintf("Extension(%q)", name), apply: func(*env) error { return extensions.Register(ext) }}
}

// Param registers an extension parameter built with [ecs.ExtFloat]
// ([ecs.RegisterParam]), for a system of the program's own that reads it
// with Params.ExtValue: scenario files and --set then accept it and
// `params` lists it.
func Param(s ecs.ParamSpec) Option {
	return Option{what: fmt.Sprintf("Param(%q)", s.Name), apply: func(*env) error { return ecs.RegisterParam(s) }}
}

// Variable registers a collectable per-agent variable ([ecs.RegisterVariable])
// for `run --collect`.
func Variable(name string, k ecs.Kind, get ecs.Accessor) Option {
	return Option{what: fmt.Sprintf("Variable(%q)", name), apply: func(*env) error { return ecs.RegisterVariable(name, k, get) }}
}

// Variables registers collectable variables ([ecs.RegisterVariables]),
// such as those of [ecs.FieldVariables] for a component of the program's
// own.
func Variables(vs ...ecs.Variable) Option {
	names := make([]string, len(vs))
	for i := range vs {
		names[i] = fmt.Sprintf("%q", vs[i].Name)
	}
	return Option{what: "Variables(" + strings.Join(names, ", ") + ")", apply: func(*env) error { return ecs.RegisterVariables(vs...) }}
}

// Scenario registers the scenario document toml under name
// ([scenarios.Register]): every command then takes name as SCENARIO, like
// an embedded scenario. Give the options that register the extensions and
// parameters it uses before it.
func Scenario(name string, toml []byte) Option {
	return Option{what: fmt.Sprintf("Scenario(%q)", name), apply: func(*env) error { return scenarios.Register(name, toml) }}
}

// applyOptions applies opts to e in order; the first failure is an input
// error naming the option.
func applyOptions(e *env, opts []Option) error {
	for _, o := range opts {
		if o.apply == nil {
			return badInput("option: the zero Option (use cli.Name, cli.System, ...)")
		}
		if err := o.apply(e); err != nil {
			return badInput("option %s: %v", o.what, err)
		}
	}
	return nil
}
