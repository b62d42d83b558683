package cli

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
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
	sc, err := loadScenario(c)
	if err != nil {
		return err
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return err
	}
	out, ex, err := calibrateCommon(c)
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
		if s.CrossCheck, err = scenarios.Load(name); err != nil {
			return err
		}
		for _, a := range c.StringSlice("set") {
			if err := s.CrossCheck.Set(a); err != nil {
				return err
			}
		}
		if err := applyStudyPopulation(c, s.CrossCheck); err != nil {
			return err
		}
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
	var clear func()
	s.OnPhase, clear = phaseBars(e, &s.OnJob)
	res, err := s.Run(c.Context, out)
	clear()
	if done, err := shardDone(c, e, &s.Execution, out, err); done {
		return err
	}
	if err != nil {
		return calibrateError(c, out, err)
	}
	if err := res.Write(out); err != nil {
		return err
	}
	params, values := res.Final()
	wn := res.Stages[len(res.Stages)-1].Search.Winner
	_, text, err := calibration.Export(sc, params, values, fmt.Sprintf(
		"The running best of bam calibrate staged on %s after %d stages: combined score %.4f (pass rate %.0f %%) over seeds %d–%d in the last stage.",
		sc.Name, len(res.Stages), wn.Combined, 100*wn.PassRate, s.SeedStart, s.SeedStart+uint64(wn.NSeeds)-1))
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(out, calibration.WinnerTOML), text); err != nil {
		return fmt.Errorf("calibrate staged: %w", err)
	}
	if err := res.Report(e.stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%d evaluations run now, %d from the journals; %s, %s and %s in %s\n", res.Ran, res.FromJournal,
		calibration.StagedJSON, calibration.StagedText, calibration.WinnerTOML, out)
	return err
}
