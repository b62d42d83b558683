package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	"github.com/bam-abm/bam/scenarios"
)

// sensitivityScenario returns sc with the sensitivity baseline of spec
// §10 (calibration.SensitivityBaseline: Growth+'s markup 1.15, sigma_decay
// −1 and sigma_max 0.1; buffer-stock's h = 2) when sc is a shipped
// scenario, leaving out a parameter --set names (an explicit value wins);
// a scenario file is its own baseline. It also returns the assignments
// made.
func sensitivityScenario(c *cli.Context, sc *scenarios.Scenario) (*scenarios.Scenario, []string, error) {
	if !strings.HasPrefix(sc.Source, "embedded:") {
		return sc, nil, nil
	}
	var set []string
	for _, a := range c.StringSlice("set") {
		name, _, _ := strings.Cut(a, "=")
		set = append(set, strings.TrimSpace(name))
	}
	out := sc.Clone()
	var applied []string
	for _, a := range calibration.SensitivityBaseline(sc.Name) {
		name, _, _ := strings.Cut(a, "=")
		if slices.Contains(set, name) {
			continue
		}
		if err := out.Set(a); err != nil {
			return nil, nil, fmt.Errorf("calibrate %s: the sensitivity baseline of %s: %w", c.Command.Name, sc.Name, err)
		}
		applied = append(applied, a)
	}
	return out, applied, nil
}

// printBaseline prints the sensitivity baseline's assignments, if any.
func printBaseline(e *env, name string, applied []string) {
	if len(applied) > 0 {
		fmt.Fprintf(e.stdout, "sensitivity baseline of %s (spec §10): %s\n", name, strings.Join(applied, " "))
	}
}

// calibrateOATCommand is `bam calibrate oat [flags] [SCENARIO]`.
func calibrateOATCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "oat",
		Usage:     "OAT sensitivity: each parameter varied alone from the baseline; its score range, INCLUDE or FIX, its best value",
		ArgsUsage: "[SCENARIO]",
		Description: "Varies each parameter of the space (spec §10's 15 common parameters, with sigma_decay for\n" +
			"growth_plus and buffer_stock_h for buffer_stock, or --grid FILE) over its values with every\n" +
			"other at the scenario's baseline (a shipped Growth+ with new_firm_price_markup 1.15,\n" +
			"sigma_decay -1 and sigma_max 0.1, a shipped buffer-stock with buffer_stock_h 2, any other\n" +
			"scenario with its own values); scores each unique configuration, the baseline included,\n" +
			"over --seeds seeds; and reports per parameter its sensitivity (max - min of its values'\n" +
			"mean scores), its class (INCLUDE if the sensitivity exceeds --threshold), its best value,\n" +
			"and the range of each metric group's share of the score. Writes oat.json, oat.txt and the\n" +
			"evaluations as sweep tables (sweep.csv, aggregate.csv, ...).",
		Flags: calibrateFlags(
			&cli.StringFlag{Name: "grid", Usage: "vary the space of `FILE` (TOML or JSON: parameter → list of values) instead of spec §10's"},
			&cli.StringSliceFlag{Name: "fixed", Usage: "pin parameter `NAME=VALUE` (repeatable): it is set, not varied"},
			&cli.StringFlag{Name: "seeds", Value: "3", Usage: "score each configuration over `N` seeds"},
			&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`: seeds S … S+N−1"},
			&cli.StringFlag{Name: "threshold", Value: "0.02", Usage: "INCLUDE a parameter whose sensitivity exceeds `X`, else FIX it"},
		),
		Action: func(c *cli.Context) error { return calibrateOAT(c, e) },
	}
}

// calibrateOAT is the action of bam calibrate oat.
func calibrateOAT(c *cli.Context, e *env) error {
	sc, out, ex, err := calibrateSetup(c)
	if err != nil {
		return err
	}
	sc, applied, err := sensitivityScenario(c, sc)
	if err != nil {
		return err
	}
	sp, err := phaseSpace(c, sc.Name)
	if err != nil {
		return err
	}
	o := &calibration.OAT{Scenario: sc, Space: sp, Execution: ex}
	if o.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if o.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), o.NSeeds); err != nil {
		return err
	}
	if o.Threshold, err = positiveFloat(c, "threshold"); err != nil {
		return err
	}
	d, _, err := o.Plan()
	if err != nil {
		return &inputError{err}
	}
	values := 0
	for _, i := range sp.Active() {
		values += len(sp.Params[i].Values)
	}
	printBaseline(e, sc.Name, applied)
	fmt.Fprintf(e.stdout, "OAT sensitivity of %s: %d parameters, %d values → %d unique configurations (the baseline and each value alone) × %d seeds = %d evaluations\n",
		sc.Name, len(sp.Active()), values, d.Len(), o.NSeeds, d.Len()*o.NSeeds)
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, min(ex.Workers, d.Len()*o.NSeeds), sc); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &o.Execution, out, o.Run)
	if done {
		return err
	}
	return finishPhase(e, res, out, calibration.OATJSON, calibration.OATText)
}

// calibratePairsCommand is `bam calibrate pairs [flags] [SCENARIO]`.
func calibratePairsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "pairs",
		Usage:     "pairwise interactions of the INCLUDE parameters of a sensitivity analysis: synergies and conflicts",
		ArgsUsage: "[SCENARIO]",
		Description: "For each pair of the INCLUDE parameters of an OAT sensitivity (--oat DIR) or of a Morris\n" +
			"screening (--morris DIR: sensitivity = μ*, INCLUDE if μ* exceeds its threshold), runs every\n" +
			"combination of their values with every other parameter at its best value, over --seeds\n" +
			"seeds, each unique configuration once, and measures the interaction\n" +
			"combined - a - b + base of the mean scores (both changed, each alone, neither): a synergy\n" +
			"if positive, a conflict if negative. SCENARIO defaults to the one the result names; the\n" +
			"shipped Growth+ and buffer-stock take their sensitivity baseline as bam calibrate oat\n" +
			"does. Writes pairs.json, pairs.txt and the evaluations as sweep tables.",
		Flags: calibrateFlags(
			&cli.StringFlag{Name: "oat", Usage: "the INCLUDE parameters and best values of the OAT sensitivity in `DIR` (bam calibrate oat --out DIR)"},
			&cli.StringFlag{Name: "morris", Usage: "or those of the Morris screening in `DIR` (bam calibrate morris --out DIR)"},
			&cli.StringFlag{Name: "prune", Value: "off", Usage: "drop values more than `X` below their parameter's best (auto = 0.04; off keeps all)"},
			&cli.StringFlag{Name: "seeds", Value: "3", Usage: "score each configuration over `N` seeds"},
			&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`: seeds S … S+N−1"},
		),
		Action: func(c *cli.Context) error { return calibratePairs(c, e) },
	}
}

// readSensitivity reads the sensitivity result of --oat DIR or --morris
// DIR, and names it.
func readSensitivity(c *cli.Context) (*calibration.OATResult, string, error) {
	oat, morris := c.String("oat"), c.String("morris")
	if (oat == "") == (morris == "") {
		return nil, "", badInput("calibrate pairs: give exactly one of --oat DIR (an OAT sensitivity) and --morris DIR (a Morris screening)")
	}
	flag, dir := "oat", oat
	read := calibration.ReadOAT
	if morris != "" {
		flag, dir = "morris", morris
		read = func(dir string) (*calibration.OATResult, error) {
			m, err := calibration.ReadMorris(dir)
			if err != nil {
				return nil, err
			}
			return m.Sensitivity(), nil
		}
	}
	r, err := read(dir)
	if err != nil {
		file := calibration.OATJSON
		if flag == "morris" {
			file = calibration.MorrisJSON
		}
		return nil, "", phaseReadError(c, flag, flag, dir, file, err)
	}
	return r, fmt.Sprintf("the %s result in %s", flag, dir), nil
}

// calibratePairs is the action of bam calibrate pairs.
func calibratePairs(c *cli.Context, e *env) error {
	r, from, err := readSensitivity(c)
	if err != nil {
		return err
	}
	var sc *scenarios.Scenario
	if c.NArg() == 0 {
		if sc, err = scenarios.Load(r.Scenario); err != nil {
			return badInput("calibrate pairs: %s names scenario %s, which is not a shipped scenario: give it as SCENARIO", from, quoteArg(r.Scenario))
		}
		for _, a := range c.StringSlice("set") {
			if err := sc.Set(a); err != nil {
				return err
			}
		}
	} else if sc, err = loadScenario(c); err != nil {
		return err
	}
	if sc.Name != r.Scenario {
		return badInput("calibrate pairs: %s is of scenario %s, not %s", from, r.Scenario, sc.Name)
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return err
	}
	sc, applied, err := sensitivityScenario(c, sc)
	if err != nil {
		return err
	}
	out, ex, err := calibrateCommon(c)
	if err != nil {
		return err
	}
	p := &calibration.Pairwise{Scenario: sc, Sensitivity: r, Execution: ex}
	if p.Margin, err = parsePrune(c); err != nil {
		return err
	}
	if p.NSeeds, err = intAtLeast(c, "seeds", 1); err != nil {
		return err
	}
	if p.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), p.NSeeds); err != nil {
		return err
	}
	pl, err := p.Plan()
	if err != nil {
		return &inputError{fmt.Errorf("%s: %w", from, err)}
	}
	printBaseline(e, sc.Name, applied)
	n := pl.Design.Len() * p.NSeeds
	fmt.Fprintf(e.stdout, "pairwise interactions of %s: INCLUDE %s → %d pairs; the base, %d single changes and %d combinations = %d unique configurations × %d seeds = %d evaluations\n",
		sc.Name, strings.Join(pl.Params, ", "), pl.Pairs, pl.Singles, pl.Combos, pl.Design.Len(), p.NSeeds, n)
	if c.Bool("dry-run") {
		return nil
	}
	if err := prepareOut(c, out, min(ex.Workers, n), sc); err != nil {
		return err
	}
	res, done, err := runPhase(c, e, &p.Execution, out, p.Run)
	if done {
		return err
	}
	return finishPhase(e, res, out, calibration.PairsJSON, calibration.PairsText)
}
