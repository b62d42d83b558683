package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
)

// calibrateRescreenCommand is `bam calibrate rescreen [flags] [WINNER]`.
func calibrateRescreenCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "rescreen",
		Usage:     "rescreen: a second Morris screening of one parameter group with the others at a winner, and its sensitivity collapse",
		ArgsUsage: "[WINNER]",
		Description: "Screens the parameters of --group (entry, behavioral, initial_conditions or credit) of the\n" +
			"first screening in --morris DIR again, every other parameter locked to WINNER's value\n" +
			"(a scenario file, e.g. a search's winner.toml), and reports per parameter the sensitivity\n" +
			"collapse 100·(1 − μ*₂/μ*₁) %: how much of its first effect is left at the winner.\n" +
			"Writes rescreen.json, rescreen.txt and the evaluations as sweep tables.",
		Flags: calibrateFlags(
			&cli.StringFlag{Name: "morris", Usage: "the first screening, in `DIR` (bam calibrate morris --out DIR; required)"},
			&cli.StringFlag{Name: "group", Usage: "rescreen the parameters of group `G` (required)"},
			&cli.StringFlag{Name: "trajectories", Value: "10", Usage: "build `R` trajectories"},
			&cli.StringFlag{Name: "seeds", Value: "3", Usage: "score each configuration over `N` seeds"},
			&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "base seed `S`: seeds S … S+N−1; it also seeds the trajectories"},
			&cli.StringFlag{Name: "threshold", Value: "0.02", Usage: "INCLUDE a parameter whose μ* or σ exceeds `X`, else FIX it"},
		),
		Action: func(c *cli.Context) error { return calibrateRescreen(c, e) },
	}
}

// readMorrisFlag reads the screening of --morris (required).
func readMorrisFlag(c *cli.Context) (*calibration.MorrisResult, error) {
	dir := c.String("morris")
	if dir == "" {
		return nil, badInput("calibrate %s: --morris DIR (a first screening) is required", c.Command.Name)
	}
	r, err := calibration.ReadMorris(dir)
	if err != nil {
		return nil, phaseReadError(c, "morris", "morris", dir, calibration.MorrisJSON, err)
	}
	return r, nil
}

// calibrateRescreen is the action of bam calibrate rescreen.
func calibrateRescreen(c *cli.Context, e *env) error {
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	first, err := readMorrisFlag(c)
	if err != nil {
		return err
	}
	if c.String("group") == "" {
		return badInput("calibrate rescreen: --group G is required (entry, behavioral, initial_conditions or credit)")
	}
	r := &calibration.Rescreen{Winner: sc, First: first, Group: c.String("group"), Execution: ex}
	if r.Trajectories, err = intAtLeast(c, "trajectories", 1); err != nil {
		return err
	}
	if r.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if r.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), r.NSeeds); err != nil {
		return err
	}
	if r.Threshold, err = positiveFloat(c, "threshold"); err != nil {
		return err
	}
	m, err := r.Morris()
	if err != nil {
		return &inputError{fmt.Errorf("--group: %w", err)}
	}
	_, d, _, err := m.Plan()
	if err != nil {
		return &inputError{err}
	}
	fmt.Fprintf(e.stdout, "rescreen of the %s group of %s: %d parameters, %d trajectories → %d unique configurations × %d seeds = %d evaluations\n",
		r.Group, sc.Name, len(m.Space.Active()), m.Trajectories, d.Len(), m.NSeeds, d.Len()*m.NSeeds)
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, min(ex.Workers, d.Len()*m.NSeeds), sc); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &r.Execution, out, r.Run)
	if done {
		return err
	}
	return finishPhase(e, res, out, calibration.RescreenJSON, calibration.RescreenText)
}
