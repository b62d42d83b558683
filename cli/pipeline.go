package cli

import (
	"bufio"
	"fmt"

	"github.com/urfave/cli/v2"
)

// pipelineCommand is `bam pipeline [--set name=value] [SCENARIO]`.
func pipelineCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "pipeline",
		Usage:     "print the resolved event pipeline, one system per line",
		ArgsUsage: "[SCENARIO]",
		Description: "Prints the systems run each period, in execution order, after the scenario's\n" +
			"pipeline list and hooks are applied; a repeated market round appears once per\n" +
			"execution (max_M labour rounds, max_H credit rounds): for the baseline, 41\n" +
			"executions of 37 systems.",
		Flags: []cli.Flag{setFlag(), maxMemoryFlag()},
		Action: func(c *cli.Context) error {
			sc, err := loadScenario(c)
			if err != nil {
				return err
			}
			if err := checkMemory(c, sc, 1, nil); err != nil {
				return err
			}
			sim, err := newSimulation(sc)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(e.stdout)
			for _, name := range sim.Pipeline.Names() {
				fmt.Fprintln(w, name)
			}
			if err := w.Flush(); err != nil {
				return fmt.Errorf("writing pipeline: %w", err)
			}
			return nil
		},
	}
}
