package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	studyengine "github.com/bam-abm/bam/study"

	"github.com/bam-abm/bam/internal/style"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/validation/stability"
)

// maxHistoryCommits is the number of commits --commits runs without
// --force (spec §8.1).
const maxHistoryCommits = 20

// historyRow is one line of the history table.
type historyRow struct {
	commit, scenario string
	passRate, mean   float64
	note             string
}

// runHistory runs the study with the bam of each commit of --commits
// (spec §8.1): each commit is checked out in a temporary git worktree and
// its ./cmd/bam built there. A commit that has bam stability runs it with
// the study's flags; one that only has bam validate runs that for each
// scenario and its JSON is converted into a result file; an older one is
// reported and skipped. The results go to --out/<commit>/.
func runHistory(c *cli.Context, e *env, req *stabilityRequest) error {
	ctx := c.Context
	top, err := studyengine.Git(ctx, "", "rev-parse", "--show-toplevel")
	if err != nil {
		return badInput("--commits: not inside a git repository: %v", err)
	}
	commits, err := resolveCommits(ctx, top, c.String("commits"))
	if err != nil {
		return err
	}
	if len(commits) > maxHistoryCommits && !c.Bool("force") {
		return badInput("--commits %s: %d commits; more than %d need --force", quoteArg(c.String("commits")), len(commits), maxHistoryCommits)
	}
	out, err := filepath.Abs(req.out)
	if err != nil {
		return fmt.Errorf("stability: --out: %w", err)
	}
	// Worktrees left by a study killed with kill -9 go first.
	removed, err := studyengine.PruneStale(ctx, top)
	for _, wt := range removed {
		fmt.Fprintf(e.stderr, "%s: removed the worktree %s of an earlier stability --commits that ended without cleaning up\n", e.program(), wt)
	}
	if err != nil {
		return err
	}
	var rows []historyRow
	for i, commit := range commits {
		label := short(commit)
		subject, _ := studyengine.Git(ctx, top, "log", "-1", "--format=%s", commit)
		fmt.Fprintf(e.stdout, "== [%d/%d] %s %s\n", i+1, len(commits), label, subject)
		rs, err := historyOne(ctx, e, top, commit, label, req, filepath.Join(out, label))
		if ctx.Err() != nil {
			return fmt.Errorf("stability --commits %w at commit %s; %s", errInterrupted, label, journaledIn(filepath.Join(out, label)))
		}
		if err != nil {
			rs = append(rs, historyRow{commit: label, note: err.Error()})
		}
		rows = append(rows, rs...)
	}
	var b bytes.Buffer
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "commit\tscenario\tpass rate\tmean score\tnote")
	for _, r := range rows {
		if r.scenario == "" {
			fmt.Fprintf(tw, "%s\t\t\t\t%s\n", r.commit, r.note)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.commit, r.scenario, style.Percent(r.passRate, 1, "%"), style.Value(r.mean), r.note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nresults in %s/<commit>/; compare two with bam stability compare\n", out)
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// resolveCommits lists the commits of spec: a range A..B (git rev-list,
// oldest first) or a comma list of revisions.
func resolveCommits(ctx context.Context, top, spec string) ([]string, error) {
	var commits []string
	if strings.Contains(spec, "..") {
		out, err := studyengine.Git(ctx, top, "rev-list", "--reverse", spec)
		if err != nil {
			return nil, badInput("--commits %s: %v", quoteArg(spec), err)
		}
		commits = strings.Fields(out)
	} else {
		for _, r := range strings.Split(spec, ",") {
			r = strings.TrimSpace(r)
			if r == "" {
				continue
			}
			c, err := studyengine.Git(ctx, top, "rev-parse", "--verify", "--quiet", r+"^{commit}")
			if err != nil || c == "" {
				return nil, badInput("--commits: %s is not a commit of %s", quoteArg(r), top)
			}
			commits = append(commits, c)
		}
	}
	if len(commits) == 0 {
		return nil, badInput("--commits %s: no commits", quoteArg(spec))
	}
	return commits, nil
}

// historyOne runs the study at one commit.
func historyOne(ctx context.Context, e *env, top, commit, label string, req *stabilityRequest, out string) ([]historyRow, error) {
	bin, cleanup, err := studyengine.BuildAt(ctx, top, commit, "./cmd/bam")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	switch {
	case hasSubcommand(ctx, bin, "stability"):
		args := append([]string{"stability"}, req.args...)
		args = append(args, "--out", out)
		code, err := runChild(ctx, e, bin, args...)
		if err != nil {
			return nil, err
		}
		if code != exitOK && code != exitCheckFailed { // 1: a pass rate below the gate, results written
			return nil, fmt.Errorf("its bam stability exited with status %d", code)
		}
		var rows []historyRow
		for _, st := range req.studies {
			rows = append(rows, historyRowOf(label, st.header.Scenario, filepath.Join(out, stability.ResultName(st.name)), "bam stability"))
		}
		return rows, nil
	case hasSubcommand(ctx, bin, "validate"):
		var rows []historyRow
		for _, st := range req.studies {
			rows = append(rows, historyValidate(ctx, e, bin, top, commit, label, req, st, out))
			if ctx.Err() != nil {
				return rows, ctx.Err()
			}
		}
		return rows, nil
	}
	return nil, errors.New("predates bam validate: skipped")
}

// historyValidate runs an old bam validate for one scenario and converts
// its JSON into a result file.
func historyValidate(ctx context.Context, e *env, bin, top, commit, label string, req *stabilityRequest, st *study, out string) historyRow {
	row := historyRow{commit: label, scenario: st.header.Scenario}
	jsonPath := filepath.Join(out, st.name+".validate.json")
	args := []string{"validate", st.arg, "--seeds", fmt.Sprint(req.n), "--seed-start", fmt.Sprint(req.start),
		"--workers", fmt.Sprint(req.workers), "--burn-in", fmt.Sprint(req.burnIn), "--json", jsonPath, "--gate", "0"}
	for i := 0; i < len(req.args); i += 2 {
		switch req.args[i] {
		case "--periods", "--firms", "--households", "--banks", "--set":
			args = append(args, req.args[i], req.args[i+1])
		}
	}
	started := time.Now()
	code, err := runChild(ctx, e, bin, args...)
	if err != nil || code != exitOK {
		row.note = fmt.Sprintf("bam validate exited with status %d", code)
		if err != nil {
			row.note = err.Error()
		}
		return row
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		row.note = err.Error()
		return row
	}
	vdoc, err := stability.DecodeValidateDocument(b)
	var recs []stability.Record
	if err == nil {
		recs, err = vdoc.Records(st.suite)
	}
	if err != nil {
		row.note = "its validate JSON: " + err.Error()
		return row
	}
	h := st.header
	h.Shard, h.ParamsHash = nil, ""
	h.NSeeds = len(recs)
	meta := baseMetadata()
	c, s := commit, label
	meta.Commit, meta.CommitShort, meta.Dirty, meta.Version = &c, &s, nil, nil
	if d, err := studyengine.Git(ctx, top, "log", "-1", "--format=%cI", commit); err == nil {
		meta.CommitDate = &d
	}
	meta.NSeeds, meta.NPeriods, meta.NWorkers = len(recs), h.NPeriods, req.workers
	meta.ElapsedSeconds = int(time.Since(started).Seconds() + 0.5)
	meta.SeedStart, meta.Suite, meta.BurnIn = req.start, h.Suite, h.BurnIn
	meta.NFirms, meta.NHouseholds, meta.NBanks = h.NFirms, h.NHouseholds, h.NBanks
	meta.Gate, meta.Source = req.gate, "validate"
	meta.Timings.WallSeconds = time.Since(started).Seconds()
	doc, stab, err := stability.Document(&h, recs, meta)
	if err != nil {
		row.note = err.Error()
		return row
	}
	path := filepath.Join(out, stability.ResultName(st.name))
	if err := stability.WriteFileAtomic(path, doc); err != nil {
		row.note = err.Error()
		return row
	}
	row.passRate, row.mean, row.note = stability.FilePassRate(stab), stab.MeanScore, "bam validate"
	return row
}

// nanValue is NaN, for values a file leaves out or writes as null.
var nanValue = math.NaN()

// hasSubcommand reports whether the bam at bin has the command name.
func hasSubcommand(ctx context.Context, bin, name string) bool {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return studyengine.Command(ctx, bin, name, "--help").Run() == nil
}

// runChild runs bin with args, its output going to e's, and returns its
// exit status. A cancellation of ctx sends it an interrupt, so that it
// stops cleanly.
func runChild(ctx context.Context, e *env, bin string, args ...string) (int, error) {
	cmd := studyengine.Command(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// historyRowOf reads a result file for the history table.
func historyRowOf(label, scenario, path, note string) historyRow {
	row := historyRow{commit: label, scenario: scenario, note: note}
	r, err := readResultFile(path)
	if err != nil {
		row.note = "no result file"
		return row
	}
	row.passRate, row.mean = nanValue, nanValue
	if p := r.summary.PassRate; p != nil {
		row.passRate = *p
	}
	if m := r.summary.MeanScore; m != nil {
		row.mean = *m
	}
	return row
}

// journaledIn says where the finished seeds of an interrupted commit are:
// the journals in dir, or that none had finished (the commit was still
// building, or no seed was done).
func journaledIn(dir string) string {
	journals, _ := filepath.Glob(filepath.Join(dir, "*.journal.jsonl"))
	if len(journals) == 0 {
		return "no seed of it had finished"
	}
	return "the finished seeds are journaled in " + strings.Join(journals, ", ")
}
