package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	"github.com/bam-abm/bam/scenarios"
)

// calibrateStagedCommand is `bam calibrate staged [flags] [SCENARIO]`.
func calibrateStagedCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "staged",
		Usage:     "staged sweep: small grids searched in turn, each stage's winner carried forward",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs the --stage grids in order (e.g. --stage A:beta=0.5,1.0,2.5 --stage\n" +
			"B:max_leverage=5,10,20); each stage is a search (grid screening on one seed, then\n" +
			"tiered stability) with every other parameter at the running best, the scenario with\n" +
			"the winners of the stages before, and its winner carries forward. With --cross-check\n" +
			"SCENARIO each stage's running best is also scored there over --cross-seeds seeds.\n" +
			"Writes staged.json, staged.txt, winner.toml (the running best after the last stage)\n" +
			"and each stage's search in DIR/NAME/.",
		Flags: calibrateFlags(
			&cli.StringSliceFlag{Name: "stage", Usage: "a stage `NAME:PARAM=V1,V2,...[;PARAM=...]` (repeatable, run in order)"},
			&cli.StringFlag{Name: "tiers", Value: calibration.DefaultTiers, Usage: "each stage's tiered stability `TOP:SEEDS, ...`"},
			&cli.StringFlag{Name: "rank", Value: calibration.RankCombined, Usage: "rank the tiers by `RULE`: combined, stability or mean"},
			&cli.StringFlag{Name: "k", Value: "1", Usage: "the std's weight `K` in combined = mean · pass_rate · (1 − K · std)"},
			&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "the screening seed `S`; the tiers run S+1, S+2, …"},
			&cli.StringFlag{Name: "cross-check", Usage: "score each stage's running best on scenario `NAME` (a name or a file) too"},
			&cli.StringFlag{Name: "cross-seeds", Value: strconv.Itoa(calibration.DefaultCrossSeeds), Usage: "the cross-check's `N` seeds"},
		),
		Action: func(c *cli.Context) error { return calibrateStaged(c, e) },
	}
}

// stagedStages is the stage count of a staged sweep (Execution).
func stagedStages(c *cli.Context) (int, error) {
	tiers, err := parseTiersFlag(c)
	if err != nil {
		return 0, err
	}
	per := 1 + len(tiers)
	if c.String("cross-check") != "" {
		per++
	}
	return len(c.StringSlice("stage")) * per, nil
}

// calibrateStaged is the action of bam calibrate staged.
func calibrateStaged(c *cli.Context, e *env) error {
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	s := &calibration.StagedSweep{Scenario: sc, Rule: c.String("rank"), Execution: ex}
	for _, a := range c.StringSlice("stage") {
		st, err := calibration.ParseStage(a)
		if err != nil {
			return &inputError{err}
		}
		s.Stages = append(s.Stages, st)
	}
	if s.Tiers, err = parseTiersFlag(c); err != nil {
		return err
	}
	if s.K, err = positiveFloat(c, "k"); err != nil {
		return err
	}
	if s.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), 1); err != nil {
		return err
	}
	var scs = []*scenarios.Scenario{sc}
	if name := c.String("cross-check"); name != "" {
		if strings.Contains(name, ",") {
			return badInput("--cross-check %s: want one scenario", quoteArg(name))
		}
		xs, err := loadScenarios(c, name)
		if err != nil {
			return err
		}
		s.CrossCheck = xs[0]
		if s.CrossSeeds, err = intAtLeast(c, "cross-seeds", 1); err != nil {
			return err
		}
		scs = append(scs, s.CrossCheck)
	}
	plans, err := s.Plan()
	if err != nil {
		return &inputError{err}
	}
	total := 0
	for i, phases := range plans {
		for _, p := range phases {
			fmt.Fprintf(e.stdout, "%-12s %6d configurations × %4d new seeds = %7d evaluations\n", s.Stages[i].Name+"/"+p.Name, p.Configs, p.Seeds, p.Evaluations)
			total += p.Evaluations
		}
		if s.CrossCheck != nil {
			fmt.Fprintf(e.stdout, "%-12s %6d configuration  × %4d seeds     = %7d evaluations on %s\n", s.Stages[i].Name+"/cross", 1, s.CrossSeeds, s.CrossSeeds, s.CrossCheck.Name)
			total += s.CrossSeeds
		}
	}
	fmt.Fprintf(e.stdout, "%-12s %50d evaluations\n", "total", total)
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, ex.Workers, scs...); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &s.Execution, out, s.Run)
	if done {
		return err
	}
	params, values := res.Final()
	wn := res.Stages[len(res.Stages)-1].Search.Winner
	comment := fmt.Sprintf("The running best of bam calibrate staged on %s after %d stages: combined score %.4f (pass rate %.0f %%) over seeds %d–%d in the last stage.",
		sc.Name, len(res.Stages), wn.Combined, 100*wn.PassRate, s.SeedStart, s.SeedStart+uint64(wn.NSeeds)-1)
	if err := writeWinner(c, sc, out, params, values, comment); err != nil {
		return err
	}
	return finishPhase(e, res, out, calibration.StagedJSON, calibration.StagedText, calibration.WinnerTOML)
}
