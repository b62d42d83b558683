package cli

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	"github.com/bam-abm/bam/scenarios"
)

// calibratePipelineCommand is `bam calibrate pipeline [flags] [SCENARIO]`.
func calibratePipelineCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "pipeline",
		Usage:     "the default calibration pipeline: Morris screening → focused grid → grid screening → tiered stability → cross-evaluation",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs the phases of bam calibrate morris, search (--morris) and cross (--search) in turn,\n" +
			"in DIR/morris, DIR/search and DIR/cross, with the flags of each; writes each phase's\n" +
			"results there, the winner of the search as DIR/winner.toml and the HTML report of the\n" +
			"three phases as DIR/report.html (as bam calibrate report). Resumable after any stop\n" +
			"(run the same command again) and shardable like each phase (bam calibrate pipeline\n" +
			"slurm). --scenarios none leaves the cross-evaluation out. See docs/calibration.md.",
		Flags: calibrateFlags(
			&cli.StringFlag{Name: "grid", Usage: "screen the space of `FILE` (TOML or JSON: parameter → list of values) instead of spec §10's"},
			&cli.StringSliceFlag{Name: "fixed", Usage: "pin parameter `NAME=VALUE` (repeatable): it is set, not screened"},
			constraintFlag(),
			&cli.StringFlag{Name: "trajectories", Value: "10", Usage: "the screening's `R` trajectories"},
			&cli.StringFlag{Name: "seeds", Value: "3", Usage: "the screening's `N` seeds per configuration"},
			&cli.StringFlag{Name: "threshold", Value: "0.02", Usage: "INCLUDE a parameter whose μ* or σ exceeds `X`, else FIX it"},
			&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "base seed `S` of every phase (the screening's trajectories too)"},
			&cli.StringFlag{Name: "prune", Value: "auto", Usage: "drop values more than `X` below their parameter's best (auto = 0.04, off keeps all)"},
			&cli.StringFlag{Name: "tiers", Value: calibration.DefaultTiers, Usage: "tiered stability `TOP:SEEDS, ...`"},
			&cli.StringFlag{Name: "rank", Value: calibration.RankCombined, Usage: "rank the tiers by `RULE`: combined, stability or mean"},
			&cli.StringFlag{Name: "k", Value: "1", Usage: "the std's weight `K` in combined = mean · pass_rate · (1 − K · std)"},
			&cli.StringFlag{Name: "scenarios", Value: "baseline,growth_plus,buffer_stock", Usage: "cross-evaluate on the scenarios `NAMES` (comma list; none: no cross-evaluation)"},
			&cli.StringFlag{Name: "cross-top", Value: "10", Usage: "cross-evaluate the search's best `N`"},
			&cli.StringFlag{Name: "cross-seeds", Value: "100", Usage: "the cross-evaluation's `N` seeds per scenario"},
			&cli.StringFlag{Name: "cross-rank", Value: calibration.RankStabilityFirst, Usage: "rank the cross-evaluation by `RULE`: stability-first, score-first or balanced"},
		),
		Action: func(c *cli.Context) error { return calibratePipeline(c, e) },
	}
}

// pipelineStages is the stage count of a pipeline (Execution).
func pipelineStages(c *cli.Context) (int, error) {
	tiers, err := parseTiersFlag(c)
	if err != nil {
		return 0, err
	}
	p := &calibration.Pipeline{Tiers: tiers}
	if c.String("scenarios") != "none" {
		p.CrossScenarios = []*scenarios.Scenario{nil}
	}
	return p.StageCount(), nil
}

// parsePrune reads --prune: auto (AutoPrune), off (0) or a margin > 0.
func parsePrune(c *cli.Context) (float64, error) {
	switch p := c.String("prune"); p {
	case "auto":
		return calibration.AutoPrune, nil
	case "off":
		return 0, nil
	default:
		margin, err := strconv.ParseFloat(p, 64)
		if err != nil || !(margin > 0) {
			return 0, badInput("--prune %s: want auto, off or a number > 0", quoteArg(p))
		}
		return margin, nil
	}
}

// calibratePipeline is the action of bam calibrate pipeline.
func calibratePipeline(c *cli.Context, e *env) error {
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	p := &calibration.Pipeline{Scenario: sc, Rule: c.String("rank"), CrossRule: c.String("cross-rank"), Execution: ex}
	if p.Space, err = phaseSpace(c, sc.Name); err != nil {
		return err
	}
	if p.Trajectories, err = intAtLeast(c, "trajectories", 1); err != nil {
		return err
	}
	if p.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if p.Threshold, err = positiveFloat(c, "threshold"); err != nil {
		return err
	}
	if p.Margin, err = parsePrune(c); err != nil {
		return err
	}
	if p.Tiers, err = parseTiersFlag(c); err != nil {
		return err
	}
	if p.K, err = positiveFloat(c, "k"); err != nil {
		return err
	}
	if p.CrossTop, err = intAtLeast(c, "cross-top", 1); err != nil {
		return err
	}
	if p.CrossSeeds, err = intAtLeast(c, "cross-seeds", 1); err != nil {
		return err
	}
	if p.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), max(p.NSeeds, p.CrossSeeds, p.Tiers[len(p.Tiers)-1].Seeds)); err != nil {
		return err
	}
	if _, err := calibration.Rank(nil, p.Rule, 1); err != nil {
		return &inputError{fmt.Errorf("--rank: %w", err)}
	}
	if _, err := calibration.RankCross(nil, p.CrossRule); err != nil {
		return &inputError{fmt.Errorf("--cross-rank: %w", err)}
	}
	scs := []*scenarios.Scenario{sc}
	if names := c.String("scenarios"); names != "none" {
		if p.CrossScenarios, err = loadScenarios(c, names); err != nil {
			return err
		}
		scs = append(scs, p.CrossScenarios...)
	}
	m := p.Screening()
	_, d, _, err := m.Plan()
	if err != nil {
		return &inputError{err}
	}
	fmt.Fprintf(e.stdout, "calibration pipeline of %s, %d stages:\n", sc.Name, p.StageCount())
	fmt.Fprintf(e.stdout, "  morris   %d parameters, %d trajectories → %d configurations × %d seeds = %d evaluations\n",
		len(p.Space.Active()), p.Trajectories, d.Len(), p.NSeeds, d.Len()*p.NSeeds)
	bound := 0
	have := 1
	for _, t := range p.Tiers {
		bound += t.Top * max(t.Seeds-have, 0)
		have = max(have, t.Seeds)
	}
	fmt.Fprintf(e.stdout, "  search   the focused grid of the screening's INCLUDE parameters (its size is known after the screening) on one seed,\n"+
		"           then tiers %s: at most %d evaluations after the grid screening\n", c.String("tiers"), bound)
	if len(p.CrossScenarios) > 0 {
		fmt.Fprintf(e.stdout, "  cross    at most %d configurations × %d scenarios × %d seeds = %d evaluations\n",
			p.CrossTop, len(p.CrossScenarios), p.CrossSeeds, p.CrossTop*len(p.CrossScenarios)*p.CrossSeeds)
	}
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, ex.Workers, scs...); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &p.Execution, out, p.Run)
	if done {
		return err
	}
	w := res.Search.Winner
	comment := fmt.Sprintf("The winner of bam calibrate pipeline on %s: combined score %.4f (mean %.4f, std %.4f, pass rate %.0f %%) over seeds %d–%d.",
		sc.Name, w.Combined, w.Mean, w.Std, 100*w.PassRate, p.SeedStart, p.SeedStart+uint64(w.NSeeds)-1)
	if err := res.Write(out, sc, comment); err != nil {
		return err
	}
	for _, report := range []func() error{
		func() error { return res.Morris.Report(e.stdout) },
		func() error { return res.Search.Report(e.stdout) },
		func() error {
			if res.Cross == nil {
				return nil
			}
			return res.Cross.Report(e.stdout)
		},
	} {
		if err := report(); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
	}
	_, err = fmt.Fprintf(e.stdout, "%s, %s; the phases' results in %s, %s and %s, the winner in %s, the report in %s\n",
		journalCounts(res.Ran, res.FromJournal, "evaluations", "journals"), fmtDuration(res.Wall), filepath.Join(out, calibration.PipelineMorris), filepath.Join(out, calibration.PipelineSearch),
		filepath.Join(out, calibration.PipelineCross), filepath.Join(out, calibration.WinnerTOML), filepath.Join(out, calibration.PipelineHTML))
	return err
}
