package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
)

// robustnessCommand is `bam robustness [flags] [SCENARIO]`.
func robustnessCommand(e *env) *cli.Command {
	var flags []cli.Flag
	for _, o := range overrideFlags {
		if o.flag != "seed" {
			flags = append(flags, &cli.StringFlag{Name: o.flag, Usage: fmt.Sprintf("%s (sets %s)", o.usage, o.param)})
		}
	}
	flags = append(flags,
		setFlag(),
		&cli.StringFlag{Name: "seeds", Value: "20", Usage: "analyse `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`"},
		&cli.StringFlag{Name: "burn-in", Value: "500", Usage: "analyse after `B` periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` seeds at once (default: the number of CPUs); the results do not depend on it"},
		&cli.StringFlag{Name: "out", Usage: "output folder `DIR` (required); a rerun with the same DIR resumes"},
		maxMemoryFlag(),
	)
	return &cli.Command{
		Name:      "robustness",
		Usage:     "the book's internal-validity analysis over seeds (spec §9.1): co-movements, AR fits, statistics",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs SCENARIO (default: growth_plus, whose productivity moves) with --seeds seeds and\n" +
			"analyses each after the burn-in: the HP cycles (λ = 1600) of log GDP and of\n" +
			"unemployment, productivity, the price level, the real interest rate and the real\n" +
			"wage; their co-movements with the GDP cycle at lags −4…+4 (c_k = corr(x_t, y_{t+k}),\n" +
			"k > 0: the variable lags GDP) and peak lags; the AR(2) of the GDP cycle with its\n" +
			"impulse response; summary and firm-size statistics. Aggregates over the seeds that\n" +
			"are not degenerate (collapsed, unemployment outside [0.005, 0.5], flat growth, NaN\n" +
			"co-movements), with the AR(1) of the mean cycle. Writes internal.json and\n" +
			"internal.txt (also printed) into --out; each seed is journaled, so a rerun resumes.\n" +
			"The sensitivity and structural experiments of §9.2–9.3 are to come. See\n" +
			"docs/experiments.md.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return robustnessAction(c, e) },
	}
}

// robustnessAction is the action of bam robustness.
func robustnessAction(c *cli.Context, e *env) error {
	var sc *scenarios.Scenario
	var err error
	if c.NArg() == 0 {
		if sc, err = scenarios.Load("growth_plus"); err != nil {
			return err
		}
		for _, a := range c.StringSlice("set") {
			if err := sc.Set(a); err != nil {
				return err
			}
		}
	} else if sc, err = loadScenario(c); err != nil {
		return err
	}
	for _, o := range overrideFlags {
		if o.flag != "seed" && c.IsSet(o.flag) {
			if err := setAs(sc, o.flag, o.param, c.String(o.flag)); err != nil {
				return err
			}
		}
	}
	out := c.String("out")
	if out == "" {
		return badInput("robustness: --out DIR is required (the journal and the results go there)")
	}
	iv := &experiments.InternalValidity{Scenario: sc}
	if iv.NSeeds, err = strconv.Atoi(c.String("seeds")); err != nil || iv.NSeeds < 1 {
		return badInput("--seeds %s: want an integer >= 1", quoteArg(c.String("seeds")))
	}
	if iv.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), iv.NSeeds); err != nil {
		return err
	}
	if iv.BurnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	iv.Workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if iv.Workers, err = strconv.Atoi(c.String("workers")); err != nil || iv.Workers < 1 {
			return badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers")))
		}
	}
	if err := checkMemory(c, sc, min(iv.Workers, iv.NSeeds), nil); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("robustness: --out %s: %w", out, pathErrCause(err))
	}
	res, err := iv.Run(c.Context, out)
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("robustness %w: the finished seeds are in %s; run the same command again to resume", errInterrupted, out)
		}
		if errors.Is(err, experiments.ErrUnusable) || errors.Is(err, experiments.ErrBadDesign) {
			return &inputError{err}
		}
		return fmt.Errorf("robustness: %w", err)
	}
	if err := res.Write(out); err != nil {
		return err
	}
	if err := res.Report(e.stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\n%d seeds run now, %d from the journal, %s; %s and %s in %s\n", res.Ran, res.FromJournal,
		fmtDuration(res.Wall), experiments.IVJSON, experiments.IVText, out)
	return err
}
