package cli

import (
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/ecs"
)

// paramsCommand is `bam params [--set name=value] [SCENARIO]`.
func paramsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "params",
		Usage:     "print every parameter with its value, valid range and meaning",
		ArgsUsage: "[SCENARIO]",
		Description: "Prints the scenario's resolved parameters (after --set) in spec order, then\n" +
			"the extension parameters (sigma_min, ..., profit_tax_rate; an extension the\n" +
			"scenario does not use ignores its parameters); the names are the keys of a\n" +
			"scenario file and of --set.",
		Flags: []cli.Flag{setFlag()},
		Action: func(c *cli.Context) error {
			sc, err := loadScenario(c)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tVALUE\tRANGE\tDOC")
			specs := append(slices.Clone(ecs.ParamSpecs), ecs.ExtParamSpecs()...)
			for i := range specs {
				s := &specs[i]
				rng := s.RangeString()
				if s.Kind == ecs.KindOptFloat {
					rng += " or absent"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Text(&sc.Params), rng, s.Doc)
			}
			if err := tw.Flush(); err != nil {
				return fmt.Errorf("writing parameters: %w", err)
			}
			return nil
		},
	}
}
