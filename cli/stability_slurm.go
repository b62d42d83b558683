package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	studyengine "github.com/bam-abm/bam/study"

	"github.com/urfave/cli/v2"
)

// Names of the scripts bam stability slurm writes into --out/slurm/.
const (
	slurmDir         = "slurm"
	slurmArrayScript = "stability-array.sbatch"
	slurmMergeScript = "stability-merge.sbatch"
)

// slurmFlags are the flags of a slurm subcommand (stability, sweep) beside
// the study's own; what is the unit a task runs at once ("seeds", "jobs").
func slurmFlags(what string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "shards", Usage: "cut the study into `N` shards, one array task each (required)"},
		&cli.StringFlag{Name: "partition", Usage: "Slurm `PARTITION` (default: the cluster's default)"},
		&cli.StringFlag{Name: "time", Usage: "time limit `T` of each task, as for sbatch --time (e.g. 1:00:00)"},
		&cli.StringFlag{Name: "cpus", Value: "1", Usage: "`C` CPUs per array task; each task runs that many " + what + " at once"},
		&cli.BoolFlag{Name: "submit", Usage: "submit the array and the merge job with sbatch"},
	}
}

// slurmFlagNames are the names of slurmFlags, which a task does not get.
var slurmFlagNames = []string{"shards", "partition", "time", "cpus", "submit"}

// stabilitySlurmCommand is `bam stability slurm [study flags] --shards N`.
func stabilitySlurmCommand(e *env) *cli.Command {
	flags := append(studyFlags(), slurmFlags("seeds")...)
	return &cli.Command{
		Name:  "slurm",
		Usage: "write (and with --submit, submit) a Slurm job array of shards and its merge job",
		Description: "Writes into --out/" + slurmDir + "/ two sbatch scripts: " + slurmArrayScript + ", a job array\n" +
			"of --shards tasks, task i running this bam with the study's flags and --shard i/N,\n" +
			"and " + slurmMergeScript + ", running bam stability merge on --out. It prints the\n" +
			"sbatch commands that submit them, the merge with --dependency=afterok on the\n" +
			"array; --submit runs them and prints the job ids. The binary and --out are\n" +
			"written as absolute paths: --out must be on a file system the nodes share.\n" +
			"A failed task can be resubmitted alone (sbatch --array=i ...): it resumes its\n" +
			"journal. See docs/distributed.md.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return stabilitySlurm(c, e) },
	}
}

// stabilitySlurm is the action of `bam stability slurm`.
func stabilitySlurm(c *cli.Context, e *env) error {
	req, err := parseStudy(c, false)
	if err != nil {
		return err
	}
	if _, err := parseMaxMemory(c); err != nil {
		return err
	}
	p := &studyengine.SlurmPlan{
		Program: e.program(), Command: "stability", What: "a seed-stability study", JobName: "bam-stability",
	}
	bin, err := slurmPlan(c, p, req.out)
	if err != nil {
		return err
	}
	// The study's flags, without --workers (set per task).
	p.Task = []string{bin, "stability"}
	for i := 0; i < len(req.args); i += 2 {
		if req.args[i] != "--workers" {
			p.Task = append(p.Task, req.args[i], req.args[i+1])
		}
	}
	// Each task checks its memory on its node, against --max-memory if given.
	if c.IsSet("max-memory") {
		p.Task = append(p.Task, "--max-memory", c.String("max-memory"))
	}
	p.Task = append(p.Task, "--out", p.Out)
	p.Merge = []string{bin, "stability", "merge", p.Out, "--out", p.Out, "--gate", c.String("gate")}
	return submitSlurm(c, e, p, slurmArrayScript, slurmMergeScript)
}

// writeStudySlurm writes (and with --submit, submits) the Slurm job array
// of the study command (sweep, compare, robustness) whose flags c holds,
// already checked, and its merge job: task i runs this program's command
// with the same flags (files absolute), --workers and --shard i/N, and the
// merge job runs "command merge OUT --out OUT" with mergeArgs. The scripts
// are <command>-array.sbatch and <command>-merge.sbatch in out/slurm/.
func writeStudySlurm(c *cli.Context, e *env, command, what, out string, mergeArgs ...string) error {
	if _, err := parseMaxMemory(c); err != nil {
		return err
	}
	p := &studyengine.SlurmPlan{Program: e.program(), Command: command, What: what, JobName: "bam-" + command}
	bin, err := slurmPlan(c, p, out)
	if err != nil {
		return err
	}
	p.Task = append([]string{bin, command}, forwardFlags(c, append(slurmFlagNames, "workers", "shard", "out"))...)
	if c.NArg() > 0 {
		p.Task = append(p.Task, absIfFile(c.Args().First()))
	}
	p.Task = append(p.Task, "--out", p.Out)
	p.Merge = append([]string{bin, command, "merge", p.Out, "--out", p.Out}, mergeArgs...)
	return submitSlurm(c, e, p, command+"-array.sbatch", command+"-merge.sbatch")
}

// slurmPlan fills the Slurm flags into p (shards, CPUs, partition, time)
// and the study's absolute --out, and returns this program's path, for
// the task and merge command lines. Every error is bad input.
func slurmPlan(c *cli.Context, p *studyengine.SlurmPlan, out string) (bin string, err error) {
	name := c.Command.FullName()
	if !c.IsSet("shards") {
		return "", badInput("%s: --shards N is required", name)
	}
	p.Partition, p.Time = c.String("partition"), c.String("time")
	if p.Shards, err = strconv.Atoi(c.String("shards")); err != nil || p.Shards < 1 {
		return "", badInput("--shards %s: want an integer >= 1", quoteArg(c.String("shards")))
	}
	if p.CPUs, err = strconv.Atoi(c.String("cpus")); err != nil || p.CPUs < 1 {
		return "", badInput("--cpus %s: want an integer >= 1", quoteArg(c.String("cpus")))
	}
	if strings.ContainsAny(p.Partition, " \t\n'\"\\$`") {
		return "", badInput("--partition %s: want a plain Slurm value", quoteArg(p.Partition))
	}
	if p.Time != "" && !studyengine.ValidTime(p.Time) {
		return "", badInput("--time %s: %s", quoteArg(p.Time), studyengine.TimeFormats)
	}
	if bin, err = os.Executable(); err != nil {
		return "", fmt.Errorf("%s: locating this program: %w", name, err)
	}
	if p.Out, err = filepath.Abs(out); err != nil {
		return "", fmt.Errorf("%s: --out: %w", name, err)
	}
	return bin, nil
}

// submitSlurm writes p's scripts into --out/slurm/ as arrayName and
// mergeName and, with --submit, submits them, printing what it did.
func submitSlurm(c *cli.Context, e *env, p *studyengine.SlurmPlan, arrayName, mergeName string) error {
	name := c.Command.FullName()
	dir := filepath.Join(p.Out, slurmDir)
	p.LogDir = filepath.Join(dir, "logs")
	p.ArrayPath = filepath.Join(dir, arrayName)
	p.MergePath = filepath.Join(dir, mergeName)
	if err := p.Write(); err != nil {
		return fmt.Errorf("%s: writing the scripts into %s: %w", name, dir, pathErrCause(err))
	}
	fmt.Fprintf(e.stdout, "wrote %s\n      %s\n", p.ArrayPath, p.MergePath)
	if !c.Bool("submit") {
		fmt.Fprintf(e.stdout, "\nsubmit them with:\n%s", indent(p.SubmitCommands(), "  "))
		return nil
	}
	arrayIDs, mergeID, err := p.Submit(c.Context)
	if errors.Is(err, studyengine.ErrNoSbatch) {
		return fmt.Errorf("%s --submit: %w; the scripts are written, submit them yourself", name, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(arrayIDs) == 1 {
		fmt.Fprintf(e.stdout, "array job: %s (%d tasks)\nmerge job: %s (after the array succeeds)\nlogs: %s\nresults: %s\n",
			arrayIDs[0], p.Shards, mergeID, p.LogDir, p.Out)
		return nil
	}
	fmt.Fprintf(e.stdout, "array jobs: %s (%d stages of %d tasks, each after the one before)\nmerge job: %s (after the last stage succeeds)\nlogs: %s\nresults: %s\n",
		strings.Join(arrayIDs, ", "), len(arrayIDs), p.Shards, mergeID, p.LogDir, p.Out)
	return nil
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
