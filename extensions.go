package bam

import (
	"fmt"
	"strings"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems/extensions"
)

// Use attaches extensions to the simulation, in order (spec §12.1): for
// each, the defaults of its parameters that are not set yet are added to
// the world's parameters (a value set by the user is kept, spec §2.3), then
// its per-agent state and systems are added. Each extension is one batch:
// extensions inserting after the same event run in reverse order of
// attachment, so
//
//	sim.Use(extensions.RnD, extensions.BufferStock, extensions.Taxation)
//
// gives the pipeline of spec §12.6 (firms_tax_profits before the R&D
// events). Use must be called before the first [Simulation.Step]; it fails
// afterwards, for an extension already attached, and if an extension's
// anchor is not in the pipeline. After an error the simulation should be
// discarded.
func (s *Simulation) Use(exts ...*extensions.Extension) error {
	if err := extensions.Attach(s.World, s.Pipeline, exts...); err != nil {
		return fmt.Errorf("use: %w", err)
	}
	return nil
}

// Extensions returns the names of the extensions attached to the
// simulation, in order.
func (s *Simulation) Extensions() []string { return extensions.Attached(s.World) }

// useNamed attaches the registered extensions called names, in order.
func useNamed(w *ecs.World, pl *ecs.Pipeline, names []string) error {
	for _, n := range names {
		e, ok := extensions.Lookup(n)
		if !ok {
			return fmt.Errorf("unknown extension %q; known extensions: %s", n, strings.Join(extensions.Names(), ", "))
		}
		if err := extensions.Attach(w, pl, e); err != nil {
			return err
		}
	}
	return nil
}
