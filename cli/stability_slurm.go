package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// Names of the scripts bam stability slurm writes into --out/slurm/.
const (
	slurmDir         = "slurm"
	slurmArrayScript = "stability-array.sbatch"
	slurmMergeScript = "stability-merge.sbatch"
)

// stabilitySlurmCommand is `bam stability slurm [study flags] --shards N`.
func stabilitySlurmCommand(e *env) *cli.Command {
	flags := append(studyFlags(),
		&cli.StringFlag{Name: "shards", Usage: "cut the study into `N` shards, one array task each (required)"},
		&cli.StringFlag{Name: "partition", Usage: "Slurm `PARTITION` (default: the cluster's default)"},
		&cli.StringFlag{Name: "time", Usage: "time limit `T` of each task, as for sbatch --time (e.g. 1:00:00)"},
		&cli.StringFlag{Name: "cpus", Value: "1", Usage: "`C` CPUs per array task; each task runs that many seeds at once"},
		&cli.BoolFlag{Name: "submit", Usage: "submit the array and the merge job with sbatch"},
	)
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

// slurmPlan is what bam stability slurm writes.
type slurmPlan struct {
	bin, out            string
	shards, cpus        int
	partition, timeLim  string
	args                []string // study flags
	gate                string
	arrayPath, mergePth string
	logDir              string
}

// stabilitySlurm is the action of `bam stability slurm`.
func stabilitySlurm(c *cli.Context, e *env) error {
	req, err := parseStudy(c)
	if err != nil {
		return err
	}
	if !c.IsSet("shards") {
		return badInput("stability slurm: --shards N is required")
	}
	p := &slurmPlan{partition: c.String("partition"), timeLim: c.String("time"), gate: c.String("gate")}
	if p.shards, err = strconv.Atoi(c.String("shards")); err != nil || p.shards < 1 {
		return badInput("--shards %s: want an integer >= 1", quoteArg(c.String("shards")))
	}
	if p.cpus, err = strconv.Atoi(c.String("cpus")); err != nil || p.cpus < 1 {
		return badInput("--cpus %s: want an integer >= 1", quoteArg(c.String("cpus")))
	}
	for _, v := range []struct{ flag, val string }{{"partition", p.partition}, {"time", p.timeLim}} {
		if strings.ContainsAny(v.val, " \t\n'\"\\$`") {
			return badInput("--%s %s: want a plain Slurm value", v.flag, quoteArg(v.val))
		}
	}
	if p.bin, err = os.Executable(); err != nil {
		return fmt.Errorf("stability slurm: locating this bam: %w", err)
	}
	if p.out, err = filepath.Abs(req.out); err != nil {
		return fmt.Errorf("stability slurm: --out: %w", err)
	}
	// The study's flags, without --out and --workers (set per task).
	for i := 0; i < len(req.args); i += 2 {
		if req.args[i] != "--workers" {
			p.args = append(p.args, req.args[i], req.args[i+1])
		}
	}
	dir := filepath.Join(p.out, slurmDir)
	p.logDir = filepath.Join(dir, "logs")
	if err := os.MkdirAll(p.logDir, 0o755); err != nil {
		return fmt.Errorf("stability slurm: %w", pathErrCause(err))
	}
	p.arrayPath = filepath.Join(dir, slurmArrayScript)
	p.mergePth = filepath.Join(dir, slurmMergeScript)
	if err := os.WriteFile(p.arrayPath, []byte(p.arrayScript()), 0o755); err != nil {
		return fmt.Errorf("stability slurm: %w", err)
	}
	if err := os.WriteFile(p.mergePth, []byte(p.mergeScript()), 0o755); err != nil {
		return fmt.Errorf("stability slurm: %w", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n      %s\n", p.arrayPath, p.mergePth)
	if !c.Bool("submit") {
		fmt.Fprintf(e.stdout, "\nsubmit them with:\n  jid=$(sbatch --parsable %s)\n  sbatch --dependency=afterok:${jid%%%%;*} %s\n",
			shellQuote(p.arrayPath), shellQuote(p.mergePth))
		return nil
	}
	arrayID, err := sbatch(c.Context, p.arrayPath)
	if err != nil {
		return err
	}
	mergeID, err := sbatch(c.Context, "--dependency=afterok:"+arrayID, "--kill-on-invalid-dep=yes", p.mergePth)
	if err != nil {
		return fmt.Errorf("%w (the array job %s was submitted)", err, arrayID)
	}
	fmt.Fprintf(e.stdout, "array job: %s (%d tasks)\nmerge job: %s (after the array succeeds)\nlogs: %s\nresults: %s\n",
		arrayID, p.shards, mergeID, p.logDir, p.out)
	return nil
}

// arrayScript is the sbatch script of the job array.
func (p *slurmPlan) arrayScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	b.WriteString("# bam stability: shard $SLURM_ARRAY_TASK_ID of " + strconv.Itoa(p.shards) + " of a seed-stability study.\n")
	b.WriteString("# Written by bam stability slurm. A task that failed can be resubmitted alone\n")
	b.WriteString("# (sbatch --array=i " + p.arrayPath + "): it resumes its journal.\n")
	b.WriteString("#SBATCH --job-name=bam-stability\n")
	fmt.Fprintf(&b, "#SBATCH --array=0-%d\n", p.shards-1)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", p.cpus)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(p.logDir, "shard-%A_%a.out"))
	p.common(&b)
	b.WriteString("set -euo pipefail\n")
	args := append([]string{shellQuote(p.bin), "stability"}, quoteAll(p.args)...)
	args = append(args, "--out", shellQuote(p.out),
		"--workers", `"${SLURM_CPUS_PER_TASK:-`+strconv.Itoa(p.cpus)+`}"`,
		"--shard", `"${SLURM_ARRAY_TASK_ID}/`+strconv.Itoa(p.shards)+`"`)
	b.WriteString("exec " + strings.Join(args, " ") + "\n")
	return b.String()
}

// mergeScript is the sbatch script of the merge job.
func (p *slurmPlan) mergeScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	b.WriteString("# bam stability: merge the shards' journals into the result files.\n")
	b.WriteString("# Written by bam stability slurm; submitted with --dependency=afterok:<array job>.\n")
	b.WriteString("#SBATCH --job-name=bam-stability-merge\n")
	b.WriteString("#SBATCH --cpus-per-task=1\n")
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(p.logDir, "merge-%j.out"))
	p.common(&b)
	b.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&b, "exec %s stability merge %s --out %s --gate %s\n",
		shellQuote(p.bin), shellQuote(p.out), shellQuote(p.out), shellQuote(p.gate))
	return b.String()
}

// common writes the #SBATCH lines both scripts share.
func (p *slurmPlan) common(b *strings.Builder) {
	if p.partition != "" {
		fmt.Fprintf(b, "#SBATCH --partition=%s\n", p.partition)
	}
	if p.timeLim != "" {
		fmt.Fprintf(b, "#SBATCH --time=%s\n", p.timeLim)
	}
	fmt.Fprintf(b, "#SBATCH --chdir=%s\n", p.out)
}

// sbatch runs sbatch --parsable with args and returns the job id.
func sbatch(ctx context.Context, args ...string) (string, error) {
	path, err := exec.LookPath("sbatch")
	if err != nil {
		return "", errors.New("stability slurm --submit: sbatch not found (is this a Slurm login node?); the scripts are written, submit them yourself")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append([]string{"--parsable"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("stability slurm: sbatch %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	id := parseJobID(string(out))
	if id == "" {
		return "", fmt.Errorf("stability slurm: sbatch printed no job id: %q", strings.TrimSpace(string(out)))
	}
	return id, nil
}

// parseJobID returns the job id of sbatch --parsable's output
// ("ID" or "ID;CLUSTER"), or "" if it is not one.
func parseJobID(out string) string {
	id, _, _ := strings.Cut(strings.TrimSpace(out), ";")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return ""
	}
	return id
}

// shellQuote quotes s for a POSIX shell (single quotes), unless it is
// plainly safe.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// quoteAll shell-quotes every argument.
func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
	}
	return out
}
