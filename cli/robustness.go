package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// robustnessCommand is `bam robustness [flags] [SCENARIO]` and its
// sensitivity and structural subcommands.
func robustnessCommand(e *env) *cli.Command {
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
			"co-movements), with the AR(1) of the mean cycle. Writes internal.json, internal.txt\n" +
			"(also printed) and internal.png (the co-movement panels of the book's Fig. 3.9 and\n" +
			"the impulse responses) into --out; each seed is journaled, so a rerun resumes.\n" +
			"Subcommands: sensitivity (§9.2) and structural (§9.3). See docs/experiments.md.",
		Flags: append(robustnessFlags(),
			&cli.StringFlag{Name: "shard", Usage: "analyse only shard `i/N` of the seeds (0 ≤ i < N); merge the shards with bam robustness merge"}),
		Action: func(c *cli.Context) error { return robustnessAction(c, e) },
		Subcommands: []*cli.Command{
			{
				Name:      "merge",
				Usage:     "merge the journals of an internal-validity study's shards into its results",
				ArgsUsage: "DIR...",
				Flags:     []cli.Flag{&cli.StringFlag{Name: "out", Usage: "write the results into `DIR` (default: the first DIR)"}},
				Action:    func(c *cli.Context) error { return robustnessMerge(c, e) },
			},
			{
				Name:      "slurm",
				Usage:     "write (and with --submit, submit) the internal-validity study as a Slurm job array and its merge job",
				ArgsUsage: "[SCENARIO]",
				Description: "Writes into --out/" + slurmDir + "/ robustness-array.sbatch (task i runs this bam robustness\n" +
					"with the study's flags and --shard i/N) and robustness-merge.sbatch (bam robustness\n" +
					"merge on --out, after the array succeeds); --submit submits them. See\n" +
					"docs/experiments.md.",
				Flags:  append(robustnessFlags(), slurmFlags("seeds")...),
				Action: func(c *cli.Context) error { return robustnessSlurm(c, e) },
			},
			{
				Name:      "sensitivity",
				Usage:     "the one-at-a-time experiments of spec §9.2 (max_H, max_Z, max_M, theta, economy size)",
				ArgsUsage: "[SCENARIO]",
				Description: "Runs the internal-validity analysis for every value of each experiment (or of --param\n" +
					"with --values), aggregating over every seed with finite values: co-movements, modal\n" +
					"peak lags, the mean AR fit (average intercept and φ₁) and its IRF, statistics,\n" +
					"collapse and degenerate counts. Writes sensitivity.json, sensitivity.txt,\n" +
					"sensitivity-<experiment>.png and sensitivity.html (a self-contained report).",
				Flags: append(robustnessFlags(),
					&cli.StringFlag{Name: "experiment", Value: "all", Usage: "`NAMES`: credit_market, goods_market, labor_applications, contract_length, economy_size (comma list) or all"},
					&cli.StringFlag{Name: "param", Usage: "instead, vary parameter `NAME` ..."},
					&cli.StringFlag{Name: "values", Usage: "... over `V1,V2,...`"},
				),
				Action: func(c *cli.Context) error { return robustnessExperiments(c, e, "sensitivity") },
			},
			{
				Name:      "structural",
				Usage:     "the structural experiments of spec §9.3: preferential attachment off, its Z sweep, entry neutrality",
				ArgsUsage: "[SCENARIO]",
				Description: "Runs the internal-validity analysis with preferential attachment on and off\n" +
					"(consumer_matching loyalty / random), the max_Z sweep with it off, and entry\n" +
					"neutrality (the taxation scenario with profit_tax_rate 0, 0.3, 0.5, 0.7, 0.9).\n" +
					"Writes structural.json, structural.txt, structural-<experiment>.png and structural.html.",
				Flags:  append(robustnessFlags(), &cli.StringFlag{Name: "experiment", Value: "all", Usage: "`NAMES`: preferential_attachment, pa_off_goods_market, entry_neutrality, or all"}),
				Action: func(c *cli.Context) error { return robustnessExperiments(c, e, "structural") },
			},
		},
	}
}

// robustnessFlags are the flags of bam robustness and its subcommands.
func robustnessFlags() []cli.Flag {
	flags := studyPopulationFlags("")
	flags = append(flags,
		setFlag(),
		&cli.StringFlag{Name: "seeds", Value: "20", Usage: "analyse `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Value: "0", Usage: "first seed `S`"},
		&cli.StringFlag{Name: "burn-in", Value: "500", DefaultText: fixedBurnIn(500), Usage: "analyse after `B` periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` seeds at once (default: the number of CPUs); the results do not depend on it"},
		&cli.StringFlag{Name: "out", Usage: "output folder `DIR` (required); a rerun with the same DIR resumes"},
		maxMemoryFlag(),
	)
	return flags
}

// shardSize returns the number of the n seeds that the shard sh runs (all
// n when sh is nil): those k with k mod Count = Index.
func shardSize(n int, sh *stability.Shard) int {
	if sh == nil {
		return n
	}
	k := 0
	for i := range n {
		if i%sh.Count == sh.Index {
			k++
		}
	}
	return k
}

// robustnessAction is the action of bam robustness.
func robustnessAction(c *cli.Context, e *env) error {
	iv, out, err := parseRobustness(c)
	if err != nil {
		return err
	}
	if c.IsSet("shard") {
		sh, err := stability.ParseShard(c.String("shard"))
		if err != nil {
			return badInput("--shard: %v", err)
		}
		iv.Shard = &sh
	}
	bar := newJobBar(e, "seeds to run", "seeds", shardSize(iv.NSeeds, iv.Shard))
	iv.OnSeed = bar.update
	res, err := iv.Run(c.Context, out)
	bar.clear()
	if err != nil {
		return robustnessError(c, out, err)
	}
	if iv.Shard != nil {
		_, err := fmt.Fprintf(e.stdout, "shard %s: %d seeds (%s); when every shard is done, merge them with: bam robustness merge DIR... --out DIR\n",
			iv.Shard, len(res.Seeds), journalCounts(res.Ran, res.FromJournal, "seeds", "journal"))
		return err
	}
	if err := res.Write(out); err != nil {
		return err
	}
	if err := res.Report(e.stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "\n%s, %s; %s and %s in %s\n", journalCounts(res.Ran, res.FromJournal, "seeds", "journal"),
		fmtDuration(res.Wall), experiments.IVJSON, experiments.IVText, out)
	return err
}

// robustnessError classifies an error of a robustness run.
func robustnessError(c *cli.Context, out string, err error) error {
	if c.Context.Err() != nil {
		return fmt.Errorf("robustness %w: the finished seeds are in %s; run the same command again to resume", errInterrupted, out)
	}
	if errors.Is(err, experiments.ErrUnusable) || errors.Is(err, experiments.ErrBadDesign) {
		return &inputError{err}
	}
	return fmt.Errorf("robustness: %w", err)
}

// robustnessExperiments is the action of bam robustness sensitivity and
// structural.
func robustnessExperiments(c *cli.Context, e *env, kind string) error {
	iv, out, err := parseRobustness(c)
	if err != nil {
		return err
	}
	all := experiments.SensitivityExperiments()
	if kind == "structural" {
		all = experiments.StructuralExperiments()
	}
	var chosen []experiments.RobustnessExperiment
	switch {
	case c.IsSet("param") || c.IsSet("values"):
		if !c.IsSet("param") || !c.IsSet("values") {
			return badInput("--param and --values go together")
		}
		axis, err := experiments.ParseAxis(c.String("param") + "=" + c.String("values"))
		if err != nil {
			return &inputError{err}
		}
		if _, err := experiments.Grid([]experiments.Axis{axis}); err != nil {
			return &inputError{err}
		}
		x := experiments.RobustnessExperiment{Name: axis.Param}
		for _, v := range axis.Values {
			x.Variations = append(x.Variations, experiments.Variation{Label: axis.Param + "=" + v, Sets: []string{axis.Param + "=" + v}})
		}
		chosen = append(chosen, x)
	case c.String("experiment") == "all":
		chosen = all
	default:
		for _, name := range strings.Split(c.String("experiment"), ",") {
			i := slices.IndexFunc(all, func(x experiments.RobustnessExperiment) bool { return x.Name == strings.TrimSpace(name) })
			if i < 0 {
				var names []string
				for _, x := range all {
					names = append(names, x.Name)
				}
				return badInput("--experiment %s: want one of %s, or all", quoteArg(name), strings.Join(names, ", "))
			}
			chosen = append(chosen, all[i])
		}
	}
	var results []*experiments.ExperimentResult
	for _, x := range chosen {
		fmt.Fprintf(e.stderr, "%s: %d values × %d seeds\n", x.Name, len(x.Variations), iv.NSeeds)
		bar := newJobBar(e, x.Name+": seeds to run of the current value", "seeds", 0)
		iv.OnSeed = bar.update
		r, err := experiments.RunExperiment(c.Context, x, iv.Scenario, *iv, out)
		bar.clear()
		if err != nil {
			return robustnessError(c, out, err)
		}
		if err := r.Report(e.stdout); err != nil {
			return err
		}
		results = append(results, r)
	}
	if err := experiments.WriteExperiments(out, kind, results); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s.json, %s.txt, %s-*.png and %s.html in %s\n", kind, kind, kind, kind, out)
	return err
}

// parseRobustness resolves the flags shared by bam robustness and its
// subcommands, and makes --out.
func parseRobustness(c *cli.Context) (*experiments.InternalValidity, string, error) {
	iv, out, err := parseRobustnessNoDir(c)
	if err != nil {
		return nil, "", err
	}
	if err := checkMemory(c, iv.Scenario, min(iv.Workers, iv.NSeeds), nil); err != nil {
		return nil, "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, "", fmt.Errorf("robustness: --out %s: %w", out, pathErrCause(err))
	}
	return iv, out, nil
}

// parseRobustnessNoDir is parseRobustness without the memory check and
// the folder (bam robustness slurm checks on the nodes).
func parseRobustnessNoDir(c *cli.Context) (*experiments.InternalValidity, string, error) {
	var sc *scenarios.Scenario
	var err error
	if c.NArg() == 0 {
		if sc, err = scenarios.Load("growth_plus"); err != nil {
			return nil, "", err
		}
		for _, a := range c.StringSlice("set") {
			if err := sc.Set(a); err != nil {
				return nil, "", err
			}
		}
	} else if sc, err = loadScenario(c); err != nil {
		return nil, "", err
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return nil, "", err
	}
	out := c.String("out")
	if out == "" {
		return nil, "", badInput("robustness: --out DIR is required (the journal and the results go there)")
	}
	iv := &experiments.InternalValidity{Scenario: sc}
	if iv.NSeeds, err = strconv.Atoi(c.String("seeds")); err != nil || iv.NSeeds < 1 {
		return nil, "", badInput("--seeds %s: want an integer >= 1", quoteArg(c.String("seeds")))
	}
	if iv.SeedStart, err = parseSeedStart("seed-start", c.String("seed-start"), iv.NSeeds); err != nil {
		return nil, "", err
	}
	if iv.BurnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return nil, "", badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	iv.Workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if iv.Workers, err = strconv.Atoi(c.String("workers")); err != nil || iv.Workers < 1 {
			return nil, "", badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers")))
		}
	}
	return iv, out, nil
}

// robustnessMerge is the action of bam robustness merge.
func robustnessMerge(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return badInput("robustness merge: no folder given; usage: bam robustness merge DIR... [--out DIR]")
	}
	res, journals, err := experiments.MergeInternal(c.Args().Slice())
	if err != nil {
		return &inputError{fmt.Errorf("robustness merge: %w", err)}
	}
	out := c.String("out")
	if out == "" {
		out = c.Args().First()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("robustness merge: --out %s: %w", out, pathErrCause(err))
	}
	if err := res.Write(out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "merged %d journals\n\n", len(journals))
	return res.Report(e.stdout)
}

// robustnessSlurm is the action of bam robustness slurm.
func robustnessSlurm(c *cli.Context, e *env) error {
	if _, _, err := parseRobustnessNoDir(c); err != nil {
		return err
	}
	return writeStudySlurm(c, e, "robustness", "an internal-validity study", c.String("out"))
}
