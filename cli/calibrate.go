package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	"github.com/bam-abm/bam/experiments"
)

// calibrateCommand is `bam calibrate` and its phases (spec §10).
func calibrateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "calibrate",
		Usage: "calibrate a scenario (spec §10), one subcommand per phase: morris (Morris screening)",
		Description: "The calibration tooling of spec §10, one subcommand per phase. Every phase evaluates\n" +
			"configurations × seeds on the journaled engine of bam sweep: it resumes after any stop\n" +
			"(run the same command again), and its results do not depend on --workers. The score\n" +
			"is the scenario's validation total_score; a job whose state went NaN or infinite\n" +
			"scores 0. See docs/calibration.md.\n" +
			"Exit status 0, 2 on bad input (an unknown parameter, a value out of range, a journal\n" +
			"of another phase), 3 on an I/O failure, 130/143/129 when interrupted.",
		Subcommands: []*cli.Command{calibrateMorrisCommand(e)},
	}
}

// calibrateMorrisCommand is `bam calibrate morris [flags] [SCENARIO]`.
func calibrateMorrisCommand(e *env) *cli.Command {
	flags := studyPopulationFlags("")
	flags = append(flags,
		setFlag(),
		&cli.StringFlag{Name: "grid", Usage: "screen the space of `FILE` (TOML or JSON: parameter → list of values) instead of spec §10's"},
		&cli.StringSliceFlag{Name: "fixed", Usage: "pin parameter `NAME=VALUE` (repeatable): it is set, not screened"},
		&cli.StringFlag{Name: "trajectories", Value: "10", Usage: "build `R` trajectories"},
		&cli.StringFlag{Name: "seeds", Value: "3", Usage: "score each configuration over `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "base seed `S`: seeds S … S+N−1; it also seeds the trajectories"},
		&cli.StringFlag{Name: "burn-in", Value: "0", Usage: "score after `B` periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.StringFlag{Name: "threshold", Value: "0.02", Usage: "INCLUDE a parameter whose μ* or σ exceeds `X`, else FIX it"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` jobs at once (default: the number of CPUs); the results do not depend on it"},
		&cli.StringFlag{Name: "out", Usage: "output folder `DIR` (required); a rerun with the same DIR resumes"},
		&cli.BoolFlag{Name: "dry-run", Usage: "print the number of evaluations and stop"},
		maxMemoryFlag(),
	)
	return &cli.Command{
		Name:      "morris",
		Usage:     "Morris screening: which parameters matter (μ*, σ), INCLUDE or FIX, and each value's score",
		ArgsUsage: "[SCENARIO]",
		Description: "Builds --trajectories Morris trajectories through the parameter space (spec §10's 15\n" +
			"common parameters, with sigma_decay for growth_plus and buffer_stock_h for buffer_stock,\n" +
			"or --grid FILE), each from a random grid point changing every parameter once, in a\n" +
			"random order, to another value; scores each unique configuration over --seeds seeds;\n" +
			"and reports per parameter the elementary effects' μ, μ* and σ, its class (INCLUDE if\n" +
			"μ* or σ exceeds --threshold) and the average score of each value. Writes morris.json,\n" +
			"morris.txt and the evaluations as sweep tables (sweep.csv, aggregate.csv, ...).",
		Flags:  flags,
		Action: func(c *cli.Context) error { return calibrateMorris(c, e) },
	}
}

// calibrateMorris is the action of bam calibrate morris.
func calibrateMorris(c *cli.Context, e *env) error {
	sc, err := loadScenario(c)
	if err != nil {
		return err
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return err
	}
	out := c.String("out")
	if out == "" && !c.Bool("dry-run") {
		return badInput("calibrate morris: --out DIR is required (the journal and the results go there)")
	}
	var sp *calibration.Space
	if file := c.String("grid"); file != "" {
		if sp, err = calibration.ReadGrid(file); err != nil {
			if errors.Is(err, experiments.ErrBadDesign) {
				return &inputError{fmt.Errorf("--grid: %w", err)}
			}
			return badInput("--grid %s: %v", file, pathErrCause(err))
		}
	} else if sp, err = calibration.DefaultSpace(sc.Name); err != nil {
		return err
	}
	if fixed := c.StringSlice("fixed"); len(fixed) > 0 {
		if sp, err = sp.Fix(fixed); err != nil {
			return &inputError{fmt.Errorf("--fixed: %w", err)}
		}
	}
	m := &calibration.Morris{Scenario: sc, Space: sp}
	if m.Trajectories, err = strconv.Atoi(c.String("trajectories")); err != nil || m.Trajectories < 1 {
		return badInput("--trajectories %s: want an integer >= 1", quoteArg(c.String("trajectories")))
	}
	if m.NSeeds, err = strconv.Atoi(c.String("seeds")); err != nil || m.NSeeds < 1 {
		return badInput("--seeds %s: want an integer >= 1", quoteArg(c.String("seeds")))
	}
	if m.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), m.NSeeds); err != nil {
		return err
	}
	if m.BurnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	if m.Threshold, err = strconv.ParseFloat(c.String("threshold"), 64); err != nil || !(m.Threshold > 0) {
		return badInput("--threshold %s: want a number > 0", quoteArg(c.String("threshold")))
	}
	m.Workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if m.Workers, err = strconv.Atoi(c.String("workers")); err != nil || m.Workers < 1 {
			return badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers")))
		}
	}
	_, d, _, err := m.Plan()
	if err != nil {
		return &inputError{err}
	}
	fmt.Fprintf(e.stdout, "Morris screening of %s: %d parameters, %d trajectories → %d unique configurations × %d seeds = %d evaluations\n",
		sc.Name, len(sp.Active()), m.Trajectories, d.Len(), m.NSeeds, d.Len()*m.NSeeds)
	if c.Bool("dry-run") {
		return nil
	}
	if err := checkMemory(c, sc, min(m.Workers, d.Len()*m.NSeeds), nil); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("calibrate morris: --out %s: %w", out, pathErrCause(err))
	}
	bar := newJobBar(e, "configuration × seed evaluations", "evaluations")
	m.OnJob = bar.update
	res, err := m.Run(c.Context, out)
	bar.clear()
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("calibrate morris %w: the finished evaluations are in %s; run the same command again to resume", errInterrupted, out)
		}
		if errors.Is(err, experiments.ErrUnusable) || errors.Is(err, experiments.ErrBadDesign) {
			return &inputError{err}
		}
		return fmt.Errorf("calibrate morris: %w", err)
	}
	if err := res.Write(out); err != nil {
		return err
	}
	if err := res.Report(e.stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%d evaluations run now, %d from the journal, %s; %s and %s in %s\n",
		res.Ran, res.FromJournal, fmtDuration(res.Wall), calibration.MorrisJSON, calibration.MorrisText, out)
	return err
}
