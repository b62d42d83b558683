package study

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SlurmPlan is a sharded study as a Slurm job array and its merge job.
// Every path is absolute (the nodes must share the file system of Out).
type SlurmPlan struct {
	// Program names the program in the scripts' comments ("bam"); Command
	// is the command the tasks run ("stability") and What describes the
	// study ("a seed-stability study").
	Program, Command, What string
	// JobName is the array's job name; the merge job's is JobName+"-merge".
	JobName string
	// Out is the study's folder (the jobs' working directory); LogDir
	// holds their logs.
	Out, LogDir string
	// ArrayPath and MergePath are where the scripts are written.
	ArrayPath, MergePath string
	// Shards is the number of array tasks, CPUs the CPUs of each.
	Shards, CPUs int
	// Stages is the number of times the array is submitted, each
	// submission after the one before succeeds (--dependency=afterok),
	// the merge job after the last: a study whose shards advance one
	// stage per run, each stage needing the whole of the one before (a
	// calibration's screening, then its tiers). < 1 means 1.
	Stages int
	// Partition and Time are sbatch's --partition and --time ("" for the
	// cluster's defaults).
	Partition, Time string
	// Task is the command line of every task, executable first, before
	// the --workers and --shard arguments each task adds; Merge is the
	// merge job's command line.
	Task, Merge []string
}

// Check reports the first field of p that cannot be written into a script:
// no shard, no CPU, or a partition or time limit with shell syntax.
func (p *SlurmPlan) Check() error {
	if p.Shards < 1 {
		return fmt.Errorf("shards %d: want at least 1", p.Shards)
	}
	if p.CPUs < 1 {
		return fmt.Errorf("cpus %d: want at least 1", p.CPUs)
	}
	if strings.ContainsAny(p.Partition, " \t\n'\"\\$`") {
		return fmt.Errorf("partition %q: want a plain Slurm value", p.Partition)
	}
	if p.Time != "" && !ValidTime(p.Time) {
		return fmt.Errorf("time %q: %s", p.Time, TimeFormats)
	}
	if len(p.Task) == 0 || len(p.Merge) == 0 {
		return errors.New("no task or merge command")
	}
	return nil
}

// ArrayScript returns the sbatch script of the job array: task i runs
// Task with --workers set to its CPUs and --shard i/Shards.
func (p *SlurmPlan) ArrayScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	b.WriteString("# " + p.Program + " " + p.Command + ": shard $SLURM_ARRAY_TASK_ID of " + strconv.Itoa(p.Shards) + " of " + p.What + ".\n")
	b.WriteString("# Written by " + p.Program + " " + p.Command + " slurm. A task that failed can be resubmitted alone\n")
	b.WriteString("# (sbatch --array=i " + p.ArrayPath + "): it resumes its journal.\n")
	if p.stages() > 1 {
		fmt.Fprintf(&b, "# The array is submitted %d times, each after the one before: every run of a task\n", p.stages())
		b.WriteString("# finishes its share of the first stage not yet complete. After a failure, resubmit\n")
		b.WriteString("# the array as many times as stages remain, then the merge job (the submit commands).\n")
	}
	b.WriteString("#SBATCH --job-name=" + p.JobName + "\n")
	fmt.Fprintf(&b, "#SBATCH --array=0-%d\n", p.Shards-1)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", p.CPUs)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(p.LogDir, "shard-%A_%a.out"))
	p.common(&b)
	b.WriteString("set -euo pipefail\n")
	args := quoteAll(p.Task)
	args = append(args,
		"--workers", `"${SLURM_CPUS_PER_TASK:-`+strconv.Itoa(p.CPUs)+`}"`,
		"--shard", `"${SLURM_ARRAY_TASK_ID}/`+strconv.Itoa(p.Shards)+`"`)
	b.WriteString("exec " + strings.Join(args, " ") + "\n")
	return b.String()
}

// MergeScript returns the sbatch script of the merge job, which runs Merge.
func (p *SlurmPlan) MergeScript() string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	b.WriteString("# " + p.Program + " " + p.Command + ": merge the shards' journals into the result files.\n")
	b.WriteString("# Written by " + p.Program + " " + p.Command + " slurm; submitted with --dependency=afterok:<array job>.\n")
	b.WriteString("#SBATCH --job-name=" + p.JobName + "-merge\n")
	b.WriteString("#SBATCH --cpus-per-task=1\n")
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(p.LogDir, "merge-%j.out"))
	p.common(&b)
	b.WriteString("set -euo pipefail\n")
	b.WriteString("exec " + strings.Join(quoteAll(p.Merge), " ") + "\n")
	return b.String()
}

// common writes the #SBATCH lines both scripts share.
func (p *SlurmPlan) common(b *strings.Builder) {
	if p.Partition != "" {
		fmt.Fprintf(b, "#SBATCH --partition=%s\n", p.Partition)
	}
	if p.Time != "" {
		fmt.Fprintf(b, "#SBATCH --time=%s\n", p.Time)
	}
	fmt.Fprintf(b, "#SBATCH --chdir=%s\n", p.Out)
}

// Write checks p, creates LogDir and writes both scripts (executable).
func (p *SlurmPlan) Write() error {
	if err := p.Check(); err != nil {
		return err
	}
	if err := os.MkdirAll(p.LogDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p.ArrayPath, []byte(p.ArrayScript()), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p.MergePath, []byte(p.MergeScript()), 0o755)
}

// TimeFormats lists the time limits sbatch --time accepts.
const TimeFormats = `want a Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or UNLIMITED`

// slurmTime matches sbatch's --time formats (sbatch(1)).
var slurmTime = regexp.MustCompile(`^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2})$`)

// ValidTime reports whether s is a time limit sbatch --time accepts
// ([TimeFormats]).
func ValidTime(s string) bool {
	switch strings.ToUpper(s) {
	case "UNLIMITED", "INFINITE":
		return true
	}
	return slurmTime.MatchString(s)
}

// stages returns the number of array submissions (Stages, at least 1).
func (p *SlurmPlan) stages() int { return max(p.Stages, 1) }

// SubmitCommands returns the shell lines that submit the written scripts by
// hand: the array (Stages times, each after the one before) and the merge
// after the last.
func (p *SlurmPlan) SubmitCommands() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jid=$(sbatch --parsable %s)\n", ShellQuote(p.ArrayPath))
	for i := 1; i < p.stages(); i++ {
		fmt.Fprintf(&b, "jid=$(sbatch --parsable --dependency=afterok:${jid%%%%;*} %s)\n", ShellQuote(p.ArrayPath))
	}
	fmt.Fprintf(&b, "sbatch --dependency=afterok:${jid%%%%;*} %s\n", ShellQuote(p.MergePath))
	return b.String()
}

// Submit submits the written scripts with sbatch: the array Stages times,
// each submission with --dependency=afterok on the one before, then the
// merge job with --dependency=afterok on the last (all with
// --kill-on-invalid-dep=yes), and returns the array job ids in order and
// the merge job's. It fails when sbatch is not on the PATH; when a later
// job fails to submit, the error names the jobs already submitted.
func (p *SlurmPlan) Submit(ctx context.Context) (arrayIDs []string, mergeID string, err error) {
	submitted := func() string { return strings.Join(arrayIDs, ", ") }
	for i := 0; i < p.stages(); i++ {
		args := []string{p.ArrayPath}
		if i > 0 {
			args = []string{"--dependency=afterok:" + arrayIDs[i-1], "--kill-on-invalid-dep=yes", p.ArrayPath}
		}
		id, err := sbatch(ctx, args...)
		if err != nil {
			if i == 0 {
				return nil, "", err
			}
			return arrayIDs, "", fmt.Errorf("%w (the array jobs %s were submitted)", err, submitted())
		}
		arrayIDs = append(arrayIDs, id)
	}
	if mergeID, err = sbatch(ctx, "--dependency=afterok:"+arrayIDs[len(arrayIDs)-1], "--kill-on-invalid-dep=yes", p.MergePath); err != nil {
		return arrayIDs, "", fmt.Errorf("%w (the array jobs %s were submitted)", err, submitted())
	}
	return arrayIDs, mergeID, nil
}

// ErrNoSbatch is returned by Submit when sbatch is not on the PATH.
var ErrNoSbatch = errors.New("sbatch not found (is this a Slurm login node?)")

// sbatch runs sbatch --parsable with args and returns the job id.
func sbatch(ctx context.Context, args ...string) (string, error) {
	path, err := exec.LookPath("sbatch")
	if err != nil {
		return "", ErrNoSbatch
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append([]string{"--parsable"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("sbatch %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	id := ParseJobID(string(out))
	if id == "" {
		return "", fmt.Errorf("sbatch printed no job id: %q", strings.TrimSpace(string(out)))
	}
	return id, nil
}

// ParseJobID returns the job id of sbatch --parsable's output ("ID" or
// "ID;CLUSTER"), or "" if it is not one.
func ParseJobID(out string) string {
	id, _, _ := strings.Cut(strings.TrimSpace(out), ";")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return ""
	}
	return id
}

// ShellQuote quotes s for a POSIX shell (single quotes), unless it is
// plainly safe.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// quoteAll shell-quotes every argument.
func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = ShellQuote(a)
	}
	return out
}
