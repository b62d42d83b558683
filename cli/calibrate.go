package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// calibrateCommand is `bam calibrate` and its phases (spec §10).
func calibrateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "calibrate",
		Usage: "calibrate a scenario (spec §10): pipeline, or one phase: morris, oat, pairs, search, cross, cost, rescreen, staged; report",
		Description: "The calibration tooling of spec §10, one subcommand per phase, pipeline for the default\n" +
			"chain (morris → search → cross) and report for the HTML page of the results. Every phase\n" +
			"evaluates configurations × seeds on the journaled engine of bam sweep: it resumes after\n" +
			"any stop (run the same command again), its results do not depend on --workers, and\n" +
			"PHASE slurm runs it as Slurm job arrays, one per stage, with the same results. The score\n" +
			"is the scenario's validation total_score; a job whose state went NaN or infinite\n" +
			"scores 0. See docs/calibration.md.\n" +
			"Exit status 0, 2 on bad input (an unknown parameter, a value out of range, a journal\n" +
			"of another phase), 3 on an I/O failure, 130/143/129 when interrupted.",
		Subcommands: []*cli.Command{
			calibratePhase(e, calibrateMorrisCommand, "a Morris screening", oneStage),
			calibratePhase(e, calibrateOATCommand, "an OAT sensitivity analysis", oneStage),
			calibratePhase(e, calibratePairsCommand, "a pairwise interaction analysis", oneStage),
			calibratePhase(e, calibrateSearchCommand, "a calibration search", tierStages(0)),
			calibratePhase(e, calibrateCrossCommand, "a cross-evaluation", oneStage),
			calibratePhase(e, calibrateCostCommand, "a cost analysis", costStages),
			calibratePhase(e, calibrateRescreenCommand, "a rescreen", oneStage),
			calibratePhase(e, calibrateStagedCommand, "a staged sweep", stagedStages),
			calibratePhase(e, calibratePipelineCommand, "a calibration pipeline", pipelineStages),
			calibrateReportCommand(e),
		},
	}
}

// calibrateFlags are the flags of a calibration phase: the population
// flags, --set, the phase's own flags, then --burn-in, --workers, --out,
// --dry-run and --max-memory.
func calibrateFlags(own ...cli.Flag) []cli.Flag {
	flags := append(studyPopulationFlags(""), setFlag())
	flags = append(flags, own...)
	return append(flags,
		&cli.StringFlag{Name: "burn-in", Value: "0", DefaultText: halfBurnIn(), Usage: "score after `B` periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` jobs at once (default: the number of CPUs); the results do not depend on it"},
		&cli.StringFlag{Name: "out", Usage: "output folder `DIR` (required); a rerun with the same DIR resumes"},
		&cli.StringFlag{Name: "shard", Usage: "run only shard `i/N` of each stage's evaluations (0 ≤ i < N), as the Slurm array tasks do; see slurm"},
		&cli.BoolFlag{Name: "dry-run", Usage: "print the number of evaluations and stop"},
		maxMemoryFlag(),
	)
}

// calibrateCommon reads the flags every phase has: --out (required
// unless --dry-run), and into the phase's Execution --burn-in, --workers
// and --shard.
func calibrateCommon(c *cli.Context) (out string, x calibration.Execution, err error) {
	out = c.String("out")
	if out == "" && !c.Bool("dry-run") {
		return "", x, badInput("calibrate %s: --out DIR is required (the journals and the results go there)", c.Command.Name)
	}
	if x.BurnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return "", x, badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	x.Workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if x.Workers, err = intAtLeast(c, "workers", 1); err != nil {
			return "", x, err
		}
	}
	if c.IsSet("shard") {
		sh, err := stability.ParseShard(c.String("shard"))
		if err != nil {
			return "", x, badInput("--shard: %v", err)
		}
		x.Shard = &sh
	}
	return out, x, nil
}

// shardDone reports whether a sharded run of a phase is over, printing
// what it did: its share of a stage whose other shards have not finished
// (err an *IncompleteError), or, err nil, every stage complete. A run
// without --shard is never over here: it writes the results.
func shardDone(c *cli.Context, e *env, x *calibration.Execution, out string, err error) (bool, error) {
	if x.Shard == nil {
		return false, err
	}
	var inc *calibration.IncompleteError
	switch {
	case errors.As(err, &inc):
		fmt.Fprintf(e.stdout, "shard %s: its evaluations of stage %s are journaled in %s; %d of the stage's %d are still to come from the other shards.\n"+
			"Run the shards again when they have all finished (the next array job does): each goes on to its share of the next stage.\n",
			x.Shard, inc.Stage, inc.Dir, inc.Missing, inc.Total)
		return true, nil
	case err == nil:
		fmt.Fprintf(e.stdout, "shard %s: every stage is complete; bam calibrate %s without --shard (the merge job) writes the results into %s\n",
			x.Shard, c.Command.Name, out)
		return true, nil
	}
	return true, calibrateError(c, out, err)
}

// gridSpace reads the space of --grid FILE.
func gridSpace(file string) (*calibration.Space, error) {
	sp, err := calibration.ReadGrid(file)
	if err != nil {
		if errors.Is(err, experiments.ErrBadDesign) {
			return nil, &inputError{fmt.Errorf("--grid: %w", err)}
		}
		return nil, badInput("--grid %s: %v", file, pathErrCause(err))
	}
	return sp, nil
}

// fixSpace applies --fixed to sp.
func fixSpace(c *cli.Context, sp *calibration.Space) (*calibration.Space, error) {
	if fixed := c.StringSlice("fixed"); len(fixed) > 0 {
		var err error
		if sp, err = sp.Fix(fixed); err != nil {
			return nil, &inputError{fmt.Errorf("--fixed: %w", err)}
		}
	}
	var cs []calibration.Constraint
	for _, text := range c.StringSlice("constraint") {
		x, err := calibration.ParseConstraint(text)
		if err != nil {
			return nil, &inputError{fmt.Errorf("--constraint: %w", err)}
		}
		cs = append(cs, x)
	}
	if len(cs) == 0 {
		return sp, nil
	}
	sp, err := sp.Constrain(cs)
	if err != nil {
		return nil, &inputError{fmt.Errorf("--constraint: %w", err)}
	}
	return sp, nil
}

// constraintFlag is --constraint of the phases whose grids it filters.
func constraintFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "constraint", Usage: "keep only the grid's configurations where `\"A OP B\"` holds (OP < <= > >= == !=; B a parameter or a number; repeatable)"}
}

// prepareOut checks the memory a phase needs on each scenario and creates
// its output folder, before any work.
func prepareOut(c *cli.Context, out string, workers int, scs ...*scenarios.Scenario) error {
	for _, sc := range scs {
		if err := checkMemory(c, sc, workers, nil); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("calibrate %s: --out %s: %w", c.Command.Name, out, pathErrCause(err))
	}
	return nil
}

// phaseBars returns the OnPhase hook of a multi-phase run, which gives
// each phase its own progress bar and points *onJob at it, and the
// function that clears the last bar; sharded says the run is one shard's.
func phaseBars(e *env, onJob *func(done, total int), sharded bool) (onPhase func(string, int), clear func()) {
	var bar *jobBar
	return func(name string, evaluations int) {
			if bar != nil {
				bar.clear()
			}
			if sharded {
				evaluations = 0 // the stage's, not the shard's: no count from the journal
			}
			bar = newJobBar(e, name+": configuration × seed evaluations to run", "evaluations", evaluations)
			*onJob = bar.update
		}, func() {
			if bar != nil {
				bar.clear()
			}
		}
}

// calibrateError classifies the error of a phase's run.
func calibrateError(c *cli.Context, out string, err error) error {
	if c.Context.Err() != nil {
		return fmt.Errorf("calibrate %s %w: the finished evaluations are in %s; run the same command again to resume", c.Command.Name, errInterrupted, out)
	}
	if errors.Is(err, experiments.ErrUnusable) || errors.Is(err, experiments.ErrBadDesign) {
		return &inputError{err}
	}
	return fmt.Errorf("calibrate %s: %w", c.Command.Name, err)
}

// calibrateMorrisCommand is `bam calibrate morris [flags] [SCENARIO]`.
func calibrateMorrisCommand(e *env) *cli.Command {
	flags := calibrateFlags(
		&cli.StringFlag{Name: "grid", Usage: "screen the space of `FILE` (TOML or JSON: parameter → list of values) instead of spec §10's"},
		&cli.StringSliceFlag{Name: "fixed", Usage: "pin parameter `NAME=VALUE` (repeatable): it is set, not screened"},
		constraintFlag(),
		&cli.StringFlag{Name: "trajectories", Value: "10", Usage: "build `R` trajectories"},
		&cli.StringFlag{Name: "seeds", Value: "3", Usage: "score each configuration over `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "base seed `S`: seeds S … S+N−1; it also seeds the trajectories"},
		&cli.StringFlag{Name: "threshold", Value: "0.02", Usage: "INCLUDE a parameter whose μ* or σ exceeds `X`, else FIX it"},
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
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	sp, err := phaseSpace(c, sc.Name)
	if err != nil {
		return err
	}
	m := &calibration.Morris{Scenario: sc, Space: sp, Execution: ex}
	if m.Trajectories, err = intAtLeast(c, "trajectories", 1); err != nil {
		return err
	}
	if m.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if m.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), m.NSeeds); err != nil {
		return err
	}
	if m.Threshold, err = positiveFloat(c, "threshold"); err != nil {
		return err
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
	if err := prepareOut(c, out, min(ex.Workers, d.Len()*m.NSeeds), sc); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &m.Execution, out, m.Run)
	if done {
		return err
	}
	return finishPhase(e, res, out, calibration.MorrisJSON, calibration.MorrisText)
}

// calibrateSearchCommand is `bam calibrate search [flags] [SCENARIO]`.
func calibrateSearchCommand(e *env) *cli.Command {
	flags := calibrateFlags(
		&cli.StringFlag{Name: "morris", Usage: "search the focused grid of the screening in `DIR` (bam calibrate morris --out DIR)"},
		&cli.StringFlag{Name: "prune", Value: "auto", Usage: "with --morris, drop values more than `X` below their parameter's best (auto = 0.04, off keeps all)"},
		&cli.StringFlag{Name: "grid", Usage: "or search every combination of the space of `FILE` (TOML or JSON: parameter → list of values)"},
		&cli.StringSliceFlag{Name: "fixed", Usage: "pin parameter `NAME=VALUE` (repeatable)"},
		constraintFlag(),
		&cli.StringFlag{Name: "tiers", Value: calibration.DefaultTiers, Usage: "tiered stability `TOP:SEEDS, ...`: extend the TOP best to SEEDS seeds in total, in turn"},
		&cli.StringFlag{Name: "rank", Value: calibration.RankCombined, Usage: "rank the tiers by `RULE`: combined, stability or mean"},
		&cli.StringFlag{Name: "k", Value: "1", Usage: "the std's weight `K` in combined = mean · pass_rate · (1 − K · std)"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "the screening seed `S`; the tiers run S+1, S+2, …"},
	)
	return &cli.Command{
		Name:      "search",
		Usage:     "grid screening then tiered stability: the best configuration of a grid, exported as a scenario",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs every configuration of the focused grid of a Morris screening (--morris DIR:\n" +
			"INCLUDE parameters with their values pruned, FIX parameters at their best value) or of\n" +
			"--grid FILE once, on seed --seed-start, and ranks them by that score; then each tier of\n" +
			"--tiers extends its best configurations (ranked by --rank over all their seeds) to its\n" +
			"seed count, running only the new seeds. Writes search.json, search.txt, winner.toml\n" +
			"(the winner as a scenario file that bam run, bam validate and bam stability take) and\n" +
			"the evaluations of each phase in screen/ and tier-N/.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return calibrateSearch(c, e) },
	}
}

// calibrateSearch is the action of bam calibrate search.
func calibrateSearch(c *cli.Context, e *env) error {
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	var sp *calibration.Space
	switch dir, file := c.String("morris"), c.String("grid"); {
	case (dir == "") == (file == ""):
		return badInput("calibrate search: give exactly one of --morris DIR (a screening's focused grid) and --grid FILE")
	case dir != "":
		r, err := readMorrisFlag(c)
		if err != nil {
			return err
		}
		margin, err := parsePrune(c)
		if err != nil {
			return err
		}
		if sp, err = calibration.Focus(r.Space, r, margin); err != nil {
			return &inputError{fmt.Errorf("--morris %s: %w", dir, err)}
		}
	default:
		if sp, err = gridSpace(file); err != nil {
			return err
		}
	}
	if sp, err = fixSpace(c, sp); err != nil {
		return err
	}
	s := &calibration.Search{Scenario: sc, Space: sp, Rule: c.String("rank"), Execution: ex}
	if s.Tiers, err = parseTiersFlag(c); err != nil {
		return err
	}
	if s.K, err = positiveFloat(c, "k"); err != nil {
		return err
	}
	if s.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), 1); err != nil {
		return err
	}
	if _, err := calibration.Rank(nil, s.Rule, 1); err != nil {
		return &inputError{fmt.Errorf("--rank: %w", err)}
	}
	phases, err := s.Plan()
	if err != nil {
		return &inputError{err}
	}
	total := 0
	for _, p := range phases {
		fmt.Fprintf(e.stdout, "%-8s %6d configurations × %4d new seeds = %7d evaluations\n", p.Name, p.Configs, p.Seeds, p.Evaluations)
		total += p.Evaluations
	}
	fmt.Fprintf(e.stdout, "%-8s %50d evaluations\n", "total", total)
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, ex.Workers, sc); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &s.Execution, out, s.Run)
	if done {
		return err
	}
	comment := fmt.Sprintf("The winner of bam calibrate search on %s: combined score %.4f (mean %.4f, std %.4f, pass rate %.0f %%) over seeds %d–%d.",
		sc.Name, res.Winner.Combined, res.Winner.Mean, res.Winner.Std, 100*res.Winner.PassRate, s.SeedStart, s.SeedStart+uint64(res.Winner.NSeeds)-1)
	if err := writeWinner(c, sc, out, res.Params, res.Winner.Values, comment); err != nil {
		return err
	}
	return finishPhase(e, res, out, calibration.SearchJSON, calibration.SearchText, calibration.WinnerTOML)
}

// writeWinner writes sc with the configuration's values as out/winner.toml
// (calibration.Export), with comment at its head.
func writeWinner(c *cli.Context, sc *scenarios.Scenario, out string, params, values []string, comment string) error {
	_, text, err := calibration.Export(sc, params, values, comment)
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(out, calibration.WinnerTOML), text); err != nil {
		return fmt.Errorf("calibrate %s: %w", c.Command.Name, err)
	}
	return nil
}

// calibrateCrossCommand is `bam calibrate cross [flags]`.
func calibrateCrossCommand(e *env) *cli.Command {
	flags := calibrateFlags(
		&cli.StringFlag{Name: "search", Usage: "evaluate the finalists of the search in `DIR` (bam calibrate search --out DIR)"},
		&cli.StringFlag{Name: "top", Value: "10", Usage: "with --search, the best `N` of its last stage"},
		&cli.StringFlag{Name: "grid", Usage: "or every combination of the space of `FILE` (TOML or JSON: parameter → list of values)"},
		&cli.StringFlag{Name: "scenarios", Value: "baseline,growth_plus,buffer_stock", Usage: "evaluate on the scenarios `NAMES` (names or files, comma list)"},
		&cli.StringFlag{Name: "seeds", Value: "100", Usage: "score each configuration over `N` seeds on each scenario"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`"},
		&cli.StringFlag{Name: "rank", Value: calibration.RankStabilityFirst, Usage: "rank by `RULE`: stability-first, score-first or balanced"},
	)
	return &cli.Command{
		Name:  "cross",
		Usage: "cross-evaluation: configurations scored on several scenarios, ranked, with the scenario tension",
		Description: "Runs each configuration (the finalists of --search DIR, or every combination of --grid\n" +
			"FILE) on every scenario of --scenarios over --seeds seeds, scores each with\n" +
			"combined = mean · pass_rate · (1 − std) per scenario, and ranks them: stability-first\n" +
			"(the highest lowest pass rate, then the fewest failing seeds, then the highest lowest\n" +
			"combined score), score-first (the highest lowest combined score, then the fewest failing\n" +
			"seeds) or balanced (the geometric mean of the combined scores). Lists the scenario\n" +
			"tension: the parameters whose value in each scenario's best configuration differs.\n" +
			"Writes cross.json, cross.txt and each scenario's evaluations in DIR/<scenario>/.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return calibrateCross(c, e) },
	}
}

// calibrateCross is the action of bam calibrate cross.
func calibrateCross(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return badInput("calibrate cross: no argument expected (got %s); name the scenarios with --scenarios", quoteArgs(c.Args().Slice()))
	}
	out, ex, err := calibrateCommon(c)
	if err != nil {
		return err
	}
	x := &calibration.CrossEval{Rule: c.String("rank"), Execution: ex}
	switch dir, file := c.String("search"), c.String("grid"); {
	case (dir == "") == (file == ""):
		return badInput("calibrate cross: give exactly one of --search DIR (a search's finalists) and --grid FILE")
	case dir != "":
		r, err := calibration.ReadSearch(dir)
		if err != nil {
			return phaseReadError(c, "search", "search", dir, calibration.SearchJSON, err)
		}
		top, err := intAtLeast(c, "top", 1)
		if err != nil {
			return err
		}
		x.Params, x.Configs = r.Params, r.Finalists(top)
	default:
		sp, err := gridSpace(file)
		if err != nil {
			return err
		}
		d, err := sp.Design()
		if err != nil {
			return &inputError{err}
		}
		x.Params, x.Configs = d.Params, d.Configs
	}
	if x.Scenarios, err = loadScenarios(c, c.String("scenarios")); err != nil {
		return err
	}
	if x.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if x.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), x.NSeeds); err != nil {
		return err
	}
	if _, err := calibration.RankCross(nil, x.Rule); err != nil {
		return &inputError{fmt.Errorf("--rank: %w", err)}
	}
	fmt.Fprintf(e.stdout, "cross-evaluation: %d configurations × %d scenarios × %d seeds = %d evaluations\n",
		len(x.Configs), len(x.Scenarios), x.NSeeds, x.Evaluations())
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, ex.Workers, x.Scenarios...); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &x.Execution, out, x.Run)
	if done {
		return err
	}
	return finishPhase(e, res, out, calibration.CrossJSON, calibration.CrossText)
}

// calibrateCostCommand is `bam calibrate cost [flags] [SCENARIO]`.
func calibrateCostCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "cost",
		Usage:     "cost analysis: what putting preferred values into a winner costs (FREE, CHEAP, MODERATE, EXPENSIVE)",
		ArgsUsage: "[SCENARIO]",
		Description: "Puts each --swap NAME=VALUE (default: every spec §10 parameter whose value in SCENARIO,\n" +
			"e.g. a search's winner.toml, differs from the shipped scenario of its name) into\n" +
			"SCENARIO alone and measures the change Δ in combined = mean · pass_rate · (1 − std)\n" +
			"over --seeds seeds: FREE |Δ| < 0.002, CHEAP < 0.005, MODERATE < 0.010, else EXPENSIVE.\n" +
			"With --combo, every combination of the FREE and CHEAP swaps is tested too.\n" +
			"Writes cost.json, cost.txt and the evaluations in swaps/ and combos/.",
		Flags: calibrateFlags(
			&cli.StringSliceFlag{Name: "swap", Usage: "put `NAME=VALUE` into the winner (repeatable)"},
			&cli.StringFlag{Name: "seeds", Value: "20", Usage: "score over `N` seeds"},
			&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`"},
			&cli.BoolFlag{Name: "combo", Usage: "also test every combination of the FREE and CHEAP swaps"},
		),
		Action: func(c *cli.Context) error { return calibrateCost(c, e) },
	}
}

// calibrateCost is the action of bam calibrate cost.
func calibrateCost(c *cli.Context, e *env) error {
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	x := &calibration.Cost{Winner: sc, Combo: c.Bool("combo"), Execution: ex}
	if swaps := c.StringSlice("swap"); len(swaps) > 0 {
		for _, a := range swaps {
			name, value, ok := strings.Cut(a, "=")
			if !ok || name == "" || value == "" {
				return badInput("--swap %s: want NAME=VALUE", quoteArg(a))
			}
			if err := sc.Clone().Set(a); err != nil {
				return err
			}
			x.Swaps = append(x.Swaps, calibration.Swap{Param: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
		}
	} else {
		sp, err := calibration.DefaultSpace(sc.Name)
		if err != nil {
			return err
		}
		if x.Swaps, err = calibration.DefaultSwaps(sc, sp); err != nil {
			return err
		}
		if len(x.Swaps) == 0 {
			return badInput("calibrate cost: %s has the shipped value of every spec §10 parameter; give the swaps with --swap NAME=VALUE", sc.Source)
		}
	}
	if x.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if x.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), x.NSeeds); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "cost analysis: the winner and %d swaps × %d seeds = %d evaluations", len(x.Swaps), x.NSeeds, (len(x.Swaps)+1)*x.NSeeds)
	if x.Combo {
		fmt.Fprint(e.stdout, ", then the combinations of the FREE and CHEAP swaps (at most 2^n − n − 1 of n)")
	}
	fmt.Fprintln(e.stdout)
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, ex.Workers, sc); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &x.Execution, out, x.Run)
	if done {
		return err
	}
	return finishPhase(e, res, out, calibration.CostJSON, calibration.CostText)
}

// intAtLeast reads the integer flag name, refusing one below lo.
func intAtLeast(c *cli.Context, name string, lo int) (int, error) {
	v, err := strconv.Atoi(c.String(name))
	if err != nil || v < lo {
		return 0, badInput("--%s %s: want an integer >= %d", name, quoteArg(c.String(name)), lo)
	}
	return v, nil
}

// positiveFloat reads the number flag name, refusing one ≤ 0 (or NaN).
func positiveFloat(c *cli.Context, name string) (float64, error) {
	v, err := strconv.ParseFloat(c.String(name), 64)
	if err != nil || !(v > 0) || math.IsInf(v, 1) {
		return 0, badInput("--%s %s: want a number > 0", name, quoteArg(c.String(name)))
	}
	return v, nil
}

// calibrateSetup reads what most phases start from: the scenario
// argument with the population flags, --out and the Execution flags
// (calibrateCommon).
func calibrateSetup(c *cli.Context) (sc *scenarios.Scenario, out string, ex calibration.Execution, err error) {
	if sc, err = loadScenario(c); err != nil {
		return nil, "", ex, err
	}
	if err = applyStudyPopulation(c, sc); err != nil {
		return nil, "", ex, err
	}
	out, ex, err = calibrateCommon(c)
	return sc, out, ex, err
}

// phaseSpace returns the space of --grid FILE, else spec §10's for the
// scenario, with --fixed and --constraint applied (fixSpace).
func phaseSpace(c *cli.Context, scenario string) (*calibration.Space, error) {
	var sp *calibration.Space
	var err error
	if file := c.String("grid"); file != "" {
		sp, err = gridSpace(file)
	} else {
		sp, err = calibration.DefaultSpace(scenario)
	}
	if err != nil {
		return nil, err
	}
	return fixSpace(c, sp)
}

// loadScenarios loads the scenarios of a comma list of names or files,
// each with --set and the population flags applied.
func loadScenarios(c *cli.Context, names string) ([]*scenarios.Scenario, error) {
	var out []*scenarios.Scenario
	for _, name := range strings.Split(names, ",") {
		sc, err := scenarios.Load(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		for _, a := range c.StringSlice("set") {
			if err := sc.Set(a); err != nil {
				return nil, err
			}
		}
		if err := applyStudyPopulation(c, sc); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// phaseReadError classifies the error of reading the result file of a
// phase (bam calibrate phase) from dir, given with --flag to the command
// c: a missing folder or file and a file of another kind are bad input,
// in one line naming the folder and the file.
func phaseReadError(c *cli.Context, flag, phase, dir, file string, err error) error {
	name := "calibrate " + c.Command.Name
	switch {
	case err == nil:
		return nil
	case errors.Is(err, experiments.ErrUnusable):
		return &inputError{fmt.Errorf("%s: --%s %s: %w", name, flag, dir, err)}
	case errors.Is(err, fs.ErrNotExist):
		if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
			return badInput("%s: --%s %s: no such folder (want the --out folder of bam calibrate %s, holding %s)", name, flag, dir, phase, file)
		}
		return badInput("%s: --%s %s: the folder holds no %s (write it with bam calibrate %s --out %s)", name, flag, dir, file, phase, dir)
	}
	return badInput("%s: --%s %s: reading %s: %v", name, flag, dir, file, pathErrCause(err))
}
