package cli

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
)

// How the help shows defaults. urfave/cli quotes the default of a string
// flag (`(default: "1000")`) and writes "(default: false)" after every
// boolean flag. Many numeric flags are string flags here, so that a bad
// value gets bam's own message; tidyDefaults shows their defaults as the
// numbers they are, drops "(default: false)", and the parameter and
// burn-in flags say what the default will actually be.

// tidyDefaults rewrites the defaults the help shows for flags: a string
// flag whose default is a number shows it unquoted, a boolean flag that is
// off by default shows none, and "(default: the number of CPUs)" says how
// many that is here.
func tidyDefaults(flags []cli.Flag) {
	cpus := fmt.Sprintf("(default: the number of CPUs, %d here)", runtime.NumCPU())
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			if f.DefaultText == "" && isNumber(f.Value) {
				f.DefaultText = f.Value
			}
			f.Usage = strings.Replace(f.Usage, "(default: the number of CPUs)", cpus, 1)
		case *cli.BoolFlag:
			if !f.Value {
				f.DisableDefaultText = true
			}
		}
	}
}

// tidyCommandDefaults applies tidyDefaults to every command of cmds and
// their subcommands.
func tidyCommandDefaults(cmds []*cli.Command) {
	for _, c := range cmds {
		tidyDefaults(c.Flags)
		tidyCommandDefaults(c.Subcommands)
	}
}

// isNumber reports whether s is a decimal number (integer or float).
func isNumber(s string) bool {
	if s == "" || strings.ContainsAny(s, "xXpP_") || strings.EqualFold(s, "inf") || strings.EqualFold(s, "nan") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// defaultScenarioName is the scenario a command runs without SCENARIO.
const defaultScenarioName = "baseline"

// scenarioDefault is the help's default of a flag that sets the parameter
// param: the scenario's value, and the default scenario's
// ("the scenario's n_periods, 1000 for baseline").
func scenarioDefault(param string) string {
	p := scenarios.Default().Params
	for i := range ecs.ParamSpecs {
		if s := &ecs.ParamSpecs[i]; s.Name == param {
			return fmt.Sprintf("the scenario's %s, %s for %s", param, s.Text(&p), defaultScenarioName)
		}
	}
	return "the scenario's " + param
}

// fixedBurnIn is the help's default of a --burn-in whose default is b
// periods, which validation.BurnIn turns into half the run when the run
// is not longer than b: "500; n_periods/2 if n_periods ≤ 500".
func fixedBurnIn(b int) string {
	return fmt.Sprintf("%d; n_periods/2 if n_periods ≤ %d", b, b)
}

// halfBurnIn is the help's default of a --burn-in whose default 0 means
// half the run: "n_periods/2, 500 for baseline".
func halfBurnIn() string {
	return fmt.Sprintf("n_periods/2, %d for %s", max(1, scenarios.Default().Params.NPeriods/2), defaultScenarioName)
}
