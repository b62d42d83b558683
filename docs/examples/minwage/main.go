// Command minwage is bam with a minimum-wage policy of its own: every bam
// command (run, pipeline, params, validate, stability and its Slurm scripts,
// plot, bench) for the model with the system raise_minimum_wage, its two
// parameters and the scenario min_wage_hike. See docs/custom-systems.md.
package main

import (
	"context"
	_ "embed"
	"os"

	"github.com/bam-abm/bam/cli"
)

//go:embed min_wage_hike.toml
var minWageHike []byte

// options is the program's model, given to cli.Main.
func options() []cli.Option {
	return []cli.Option{
		cli.Name("minwage"),
		cli.Param(factorParam),
		cli.Param(periodParam),
		cli.System("raise_minimum_wage", newMinWagePolicy),
		cli.Scenario("min_wage_hike", minWageHike),
	}
}

func main() {
	os.Exit(cli.Main(context.Background(), os.Args, options()...))
}
