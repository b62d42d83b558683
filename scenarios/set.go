package scenarios

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/ecs"
)

// Set applies one "name=value" override to the scenario's parameters, as
// `bam run --set max_Z=3` does. The value is parsed according to the
// parameter's kind:
//
//   - integer and seed parameters take a decimal integer; an integral
//     number such as 4.0 or 1e3 is accepted too;
//   - float parameters, including the extension parameters (sigma_max,
//     profit_tax_rate, ...), take any decimal number ("0.1", "3", "1e-2");
//   - enum parameters take one of their choices, with or without quotes
//     (consumer_matching=random or consumer_matching="random").
//
// White space around the name and the value is ignored. The value must be
// in the parameter's range (see [ecs.ParamSpec.RangeString]); on error s is
// unchanged and the error, an [*Error], reads for example
//
//	--set theta=abc: want integer >= 1
func (s *Scenario) Set(assignment string) error {
	name, value, ok := strings.Cut(assignment, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" {
		return &Error{Source: fmt.Sprintf("--set %q", assignment), Key: name, Msg: "want name=value"}
	}
	source := "--set " + quoteIfNeeded(assignment)
	spec, ok := ecs.LookupParam(name)
	if !ok {
		return &Error{Source: source, Key: name,
			Msg: fmt.Sprintf("unknown parameter %q%s", name, didYouMean(name, ecs.AllParamNames()))}
	}
	p := s.Params // change a copy, so that s is unchanged on error
	if err := setString(&p, spec, value); err != nil {
		return &Error{Source: source, Key: name, Msg: err.Error(), Err: err}
	}
	s.Params = p
	return nil
}

// setString parses value according to spec's kind and stores it in p.
func setString(p *ecs.Params, spec *ecs.ParamSpec, value string) error {
	switch spec.Kind {
	case ecs.KindInt, ecs.KindSeed:
		n, err := strconv.ParseInt(value, 10, 64)
		if err == nil {
			return spec.SetInt(p, n)
		}
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Errorf("%s = %s is out of range: want %s", spec.Name, value, spec.RangeString())
		}
		if x, err := strconv.ParseFloat(value, 64); err == nil {
			return setIntegralFloat(p, spec, x)
		}
	case ecs.KindFloat, ecs.KindOptFloat:
		if x, err := strconv.ParseFloat(value, 64); err == nil {
			return spec.SetFloat(p, x)
		}
	case ecs.KindEnum:
		return spec.SetString(p, unquote(value))
	}
	return fmt.Errorf("want %s", want(spec))
}

// unquote strips one pair of matching double or single quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}
