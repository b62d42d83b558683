package calibration

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/experiments"
)

// Constraint is a condition every configuration of a grid must meet (spec
// §10: grids "with constraints"): Left Op Right, Left a parameter of the
// space and Right a parameter or a number, e.g. "max_loan_to_net_worth <=
// max_leverage". The comparison is numeric; == and != also compare words
// ("consumer_matching != random").
type Constraint struct {
	Left  string `json:"left"`
	Op    string `json:"op"`
	Right string `json:"right"`
}

// constraintOps are the comparisons of a Constraint, longest first (for
// parsing).
var constraintOps = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseConstraint reads "LEFT OP RIGHT" (OP one of <, <=, >, >=, ==, !=).
func ParseConstraint(s string) (Constraint, error) {
	for _, op := range constraintOps {
		l, r, ok := strings.Cut(s, op)
		if !ok {
			continue
		}
		c := Constraint{Left: strings.TrimSpace(l), Op: op, Right: strings.TrimSpace(r)}
		if c.Left == "" || c.Right == "" || strings.ContainsAny(c.Right, "<>=!") {
			break
		}
		return c, nil
	}
	return Constraint{}, fmt.Errorf("%w: constraint %q: want PARAM OP PARAM or PARAM OP NUMBER, OP one of < <= > >= == != (e.g. \"max_loan_to_net_worth <= max_leverage\")",
		experiments.ErrBadDesign, s)
}

// String writes the constraint as ParseConstraint reads it.
func (c Constraint) String() string { return c.Left + " " + c.Op + " " + c.Right }

// check reports the first reason the constraint cannot apply to a space of
// the parameters names: an unknown parameter, or an ordering of a
// parameter whose values are not numbers.
func (c Constraint) check(sp *Space) error {
	numeric := func(name string) (bool, error) {
		i := sp.Index(name)
		if i < 0 {
			return false, fmt.Errorf("%w: constraint %q: %s is not a parameter of the grid", experiments.ErrBadDesign, c, name)
		}
		for _, v := range sp.Params[i].Values {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return false, nil
			}
		}
		return true, nil
	}
	ln, err := numeric(c.Left)
	if err != nil {
		return err
	}
	rn := true
	if _, err := strconv.ParseFloat(c.Right, 64); err != nil {
		switch {
		case sp.Index(c.Right) >= 0:
			rn, _ = numeric(c.Right)
		case c.Op == "==" || c.Op == "!=":
			rn = false // a word: a value such as "random"
		default:
			return fmt.Errorf("%w: constraint %q: %s is neither a parameter of the grid nor a number", experiments.ErrBadDesign, c, c.Right)
		}
	}
	if (!ln || !rn) && c.Op != "==" && c.Op != "!=" {
		return fmt.Errorf("%w: constraint %q: %s compares values that are not numbers", experiments.ErrBadDesign, c, c.Op)
	}
	return nil
}

// holds reports whether the configuration values (of the parameters
// names) meets the constraint.
func (c Constraint) holds(names, values []string) bool {
	value := func(s string) string {
		if i := slices.Index(names, s); i >= 0 {
			return values[i]
		}
		return s // a number
	}
	a, b := value(c.Left), value(c.Right)
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		switch c.Op {
		case "==":
			return a == b
		case "!=":
			return a != b
		}
		return false
	}
	switch c.Op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	case ">=":
		return x >= y
	case "==":
		return x == y
	default:
		return x != y
	}
}

// Constrain returns a copy of the space with the constraints cs added,
// each checked against its parameters.
func (sp *Space) Constrain(cs []Constraint) (*Space, error) {
	out := &Space{Params: slices.Clone(sp.Params), Constraints: slices.Clone(sp.Constraints)}
	for _, c := range cs {
		if err := c.check(out); err != nil {
			return nil, err
		}
		out.Constraints = append(out.Constraints, c)
	}
	return out, nil
}

// admits reports whether a configuration meets every constraint.
func (sp *Space) admits(names, values []string) bool {
	for _, c := range sp.Constraints {
		if !c.holds(names, values) {
			return false
		}
	}
	return true
}
