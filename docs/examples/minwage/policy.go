package main

import "github.com/bam-abm/bam/ecs"

// The policy's parameters: registered with the program (see main), then set
// in scenario files and with --set like the engine's own, listed by
// `minwage params` and recorded in run.json.
var (
	factorParam = ecs.ExtFloat("min_wage_factor", 1.5, 1, 10, false, false,
		"factor by which raise_minimum_wage multiplies the minimum wage (1 = no policy)")
	periodParam = ecs.ExtFloat("min_wage_period", 500, 1, 1e6, false, false,
		"period in which raise_minimum_wage applies the factor")
)

// MinWagePolicy multiplies the statutory minimum wage by Factor in period At
// and lifts every employed worker paid less than the new floor to it: the
// mechanics of the model's periodic revision (adjust_minimum_wage, spec
// §5.8) as a one-off discretionary step.
type MinWagePolicy struct {
	At     int
	Factor float64
}

// newMinWagePolicy is the factory of raise_minimum_wage: it reads the
// policy's parameters of the simulation being built.
func newMinWagePolicy(w *ecs.World) ecs.System {
	return MinWagePolicy{
		At:     int(w.Params.ExtValue(periodParam.Name)),
		Factor: w.Params.ExtValue(factorParam.Name),
	}
}

// Name is the system's name in the pipeline and in scenario files.
func (MinWagePolicy) Name() string { return "raise_minimum_wage" }

// Update applies the policy in period At and does nothing otherwise.
func (p MinWagePolicy) Update(w *ecs.World) {
	if w.Period != p.At {
		return
	}
	w.Econ.MinWage *= p.Factor
	for j := range w.Households.Worker {
		h := &w.Households.Worker[j]
		if h.Employed() && h.Wage < w.Econ.MinWage {
			h.Wage = w.Econ.MinWage
		}
	}
}
