package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
)

// setFlag is the repeatable --set name=value flag shared by the commands.
func setFlag() cli.Flag {
	return &cli.StringSliceFlag{
		Name:  "set",
		Usage: "override parameter `name=value`, e.g. --set max_Z=3 (repeatable; names: bam params)",
	}
}

// loadScenario resolves the command's optional SCENARIO argument (the
// embedded baseline when absent) and applies its --set overrides in order.
func loadScenario(c *cli.Context) (*scenarios.Scenario, error) {
	if c.NArg() > 1 {
		return nil, badInput("%s: too many arguments %s; usage: bam %s [flags] [SCENARIO]",
			c.Command.Name, quoteArgs(c.Args().Tail()), c.Command.Name)
	}
	var sc *scenarios.Scenario
	if c.NArg() == 0 {
		sc = scenarios.Default()
	} else {
		var err error
		if sc, err = scenarios.Load(c.Args().First()); err != nil {
			return nil, err // an *scenarios.Error naming the file
		}
	}
	for _, a := range c.StringSlice("set") {
		if err := sc.Set(a); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// setAs applies name=value to sc on behalf of the command-line flag --flag,
// so that an error names the flag the user typed rather than --set.
func setAs(sc *scenarios.Scenario, flag, name, value string) error {
	err := sc.Set(name + "=" + value)
	var se *scenarios.Error
	if errors.As(err, &se) {
		return &scenarios.Error{Source: "--" + flag + " " + quoteArg(value), Key: se.Key, Msg: se.Msg, Err: se.Err}
	}
	return err
}

// newSimulation builds the simulation of sc. Its errors (invalid parameters,
// an unknown system or a hook anchored at a system not in the pipeline)
// depend on the scenario only, so they are input errors.
func newSimulation(sc *scenarios.Scenario) (*bam.Simulation, error) {
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", sc.Source, err)}
	}
	return sim, nil
}

// quoteArg quotes s if it is empty or holds white space or quotes.
func quoteArg(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"'") {
		return strconv.Quote(s)
	}
	return s
}

// quoteArgs quotes each argument as a Go string and joins them with spaces.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}
