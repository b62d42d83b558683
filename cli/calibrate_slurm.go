package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
	studyengine "github.com/bam-abm/bam/study"
)

// calibratePhase is a calibration phase's command with its slurm
// subcommand: make builds the command (called twice, so that the two
// commands own their flags), what describes the phase for the scripts,
// and stages counts the stages its flags give it (Execution: each stage
// needs the whole of the one before, so the array runs once per stage).
func calibratePhase(e *env, make func(*env) *cli.Command, what string, stages func(c *cli.Context) (int, error)) *cli.Command {
	cmd := make(e)
	cmd.Subcommands = append(cmd.Subcommands, calibrateSlurmCommand(e, make(e), what, stages))
	return cmd
}

// oneStage is the stage count of a phase of one stage.
func oneStage(*cli.Context) (int, error) { return 1, nil }

// calibrateSlurmCommand is `bam calibrate PHASE slurm [PHASE flags]
// --shards N`, twin being the phase's command (whose flags and action it
// borrows).
func calibrateSlurmCommand(e *env, twin *cli.Command, what string, stages func(c *cli.Context) (int, error)) *cli.Command {
	phase := twin.Name
	return &cli.Command{
		Name:      "slurm",
		Usage:     "write (and with --submit, submit) the " + phase + " phase as Slurm job arrays, one per stage, and its merge job",
		ArgsUsage: twin.ArgsUsage,
		Description: "Checks the phase's flags and prints its evaluations (as --dry-run does), then writes\n" +
			"into --out/" + slurmDir + "/ two sbatch scripts: " + phase + "-array.sbatch, a job array of --shards\n" +
			"tasks, task i running bam calibrate " + phase + " with the same flags and --shard i/N, and\n" +
			phase + "-merge.sbatch, running it without --shard, which reads every evaluation from the\n" +
			"shards' journals and writes the results. A phase is a chain of stages, each needing the\n" +
			"scores of the one before (a search: its screening, then each tier): the array is\n" +
			"submitted once per stage, each after the one before succeeds (--dependency=afterok),\n" +
			"and every run of a task does its share of the first stage not yet complete. The\n" +
			"results equal those of one machine byte for byte. --out must be on a file system the\n" +
			"nodes share. See docs/calibration.md.",
		Flags:  append(twin.Flags, slurmFlags("evaluations")...),
		Action: func(c *cli.Context) error { return calibrateSlurm(c, e, twin, what, stages) },
	}
}

// calibrateSlurm is the action of bam calibrate PHASE slurm.
func calibrateSlurm(c *cli.Context, e *env, twin *cli.Command, what string, stages func(c *cli.Context) (int, error)) error {
	phase := twin.Name
	if c.IsSet("shard") {
		return badInput("calibrate %s slurm: --shard is set per task; leave it out", phase)
	}
	out := c.String("out")
	if out == "" {
		return badInput("calibrate %s slurm: --out DIR is required (the journals and the results go there)", phase)
	}
	n, err := stages(c)
	if err != nil {
		return err
	}
	// The phase's own dry run checks every flag and prints the evaluations.
	if err := c.Set("dry-run", "true"); err != nil {
		return err
	}
	if err := twin.Action(c); err != nil {
		return err
	}
	p := &studyengine.SlurmPlan{Program: e.program(), Command: "calibrate " + phase, What: what, JobName: "bam-calibrate-" + phase, Stages: n}
	bin, err := slurmPlan(c, p, out)
	if err != nil {
		return err
	}
	args := forwardFlags(c, append(slices.Clone(slurmFlagNames), "workers", "shard", "out", "dry-run"))
	if c.NArg() > 0 {
		args = append(args, absIfFile(c.Args().First()))
	}
	run := append([]string{bin, "calibrate", phase}, args...)
	p.Task = append(slices.Clone(run), "--out", p.Out)
	p.Merge = append(slices.Clone(run), "--workers", "1", "--out", p.Out)
	return submitSlurm(c, e, p, phase+"-array.sbatch", phase+"-merge.sbatch")
}

// tierStages is the stage count of a phase with --tiers: the screening,
// then each tier, after extra stages before them.
func tierStages(extra int) func(c *cli.Context) (int, error) {
	return func(c *cli.Context) (int, error) {
		tiers, err := parseTiersFlag(c)
		if err != nil {
			return 0, err
		}
		return extra + 1 + len(tiers), nil
	}
}

// costStages is the stage count of a cost analysis: the swaps, then with
// --combo their combinations.
func costStages(c *cli.Context) (int, error) {
	if c.Bool("combo") {
		return 2, nil
	}
	return 1, nil
}

// parseTiersFlag reads --tiers.
func parseTiersFlag(c *cli.Context) ([]calibration.Tier, error) {
	tiers, err := calibration.ParseTiers(c.String("tiers"))
	if err != nil {
		return nil, &inputError{err}
	}
	return tiers, nil
}

// runPhase runs a phase (run, a phase's Run on out) with a progress bar
// per stage on ex (the phase's Execution), and reports whether the
// command is over: a sharded run whose stage waits for other shards, or
// that completed every stage (shardDone), or an error, classified
// (calibrateError). When it is not over, res is the phase's result.
func runPhase[R any](c *cli.Context, e *env, ex *calibration.Execution, out string, run func(context.Context, string) (R, error)) (res R, done bool, err error) {
	var clear func()
	ex.OnPhase, clear = phaseBars(e, &ex.OnJob, ex.Shard != nil)
	res, err = run(c.Context, out)
	clear()
	if done, err := shardDone(c, e, ex, out, err); done {
		return res, true, err
	}
	if err != nil {
		return res, true, calibrateError(c, out, err)
	}
	return res, false, nil
}

// phaseResult is a phase's result: it writes its files, reports itself
// and says what its run did.
type phaseResult interface {
	Write(dir string) error
	Report(w io.Writer) error
	Outcome() calibration.Counts
}

// finishPhase writes res into out, prints its report and a line of what
// the run did naming files, the files the phase wrote into out.
func finishPhase(e *env, res phaseResult, out string, files ...string) error {
	if err := res.Write(out); err != nil {
		return err
	}
	if err := res.Report(e.stdout); err != nil {
		return err
	}
	n := res.Outcome()
	list := files[0]
	if len(files) > 1 {
		list = strings.Join(files[:len(files)-1], ", ") + " and " + files[len(files)-1]
	}
	_, err := fmt.Fprintf(e.stdout, "%s, %s; %s in %s\n", journalCounts(n.Ran, n.FromJournal, "evaluations", "journals"), fmtDuration(n.Wall), list, out)
	return err
}
