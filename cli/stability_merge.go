package cli

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/validation/stability"
)

// stabilityMergeCommand is `bam stability merge DIR... [--out DIR]`.
func stabilityMergeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the journals of shards (or of separate runs) into the result files",
		ArgsUsage: "DIR...",
		Description: "Reads every journal (*.journal.jsonl) in the folders DIR... and writes one result\n" +
			"file per scenario into --out (default: the first DIR), identical apart from its\n" +
			"metadata to the file of one run of the same seeds on one machine. A seed that is\n" +
			"missing (an unfinished or absent shard) or in two journals, or journals of\n" +
			"different studies, stop the merge with a message naming them (exit 1).\n" +
			"Exit 1 also when a scenario's pass rate is below --gate.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "folder `DIR` of the result files (default: the first DIR)"},
			&cli.StringFlag{Name: "gate", Value: strconv.FormatFloat(stability.DefaultGate, 'g', -1, 64), Usage: "exit 1 when a scenario's pass rate is below `RATE` (0…1)"},
		},
		Action: func(c *cli.Context) error { return stabilityMerge(c, e) },
	}
}

// stabilityMerge is the action of `bam stability merge`.
func stabilityMerge(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return badInput("stability merge: no folder given; usage: bam stability merge DIR... [--out DIR]")
	}
	dirs := c.Args().Slice()
	gate, err := strconv.ParseFloat(c.String("gate"), 64)
	if err != nil || !(gate >= 0 && gate <= 1) {
		return badInput("--gate %s: want a number in [0, 1]", quoteArg(c.String("gate")))
	}
	out := c.String("out")
	if out == "" {
		out = dirs[0]
	}
	started := time.Now()
	cols, err := stability.Collect(dirs)
	if err != nil {
		return fmt.Errorf("stability merge: %w", err)
	}
	for _, col := range cols {
		if err := checkMergeTarget(out, col); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("stability merge: --out %s: %w", out, pathErrCause(err))
	}
	req := &stabilityRequest{out: out, gate: gate}
	var outs []*studyOutcome
	for _, col := range cols {
		meta := mergeMetadata(col, gate)
		b, stab, err := stability.Document(&col.Header, col.Records, meta)
		if err != nil {
			return fmt.Errorf("stability merge: %w", err)
		}
		name := safeName(col.Header.Scenario)
		file := filepath.Join(out, stability.ResultName(name))
		if err := stability.WriteFileAtomic(file, b); err != nil {
			return fmt.Errorf("stability merge: %w", err)
		}
		st := &study{name: name, header: col.Header}
		outs = append(outs, &studyOutcome{
			st: st, stab: stab, recs: col.Records, file: file,
			wall: time.Duration(meta.Timings.WallSeconds * float64(time.Second)),
		})
	}
	if len(outs) > 0 {
		fmt.Fprintf(e.stdout, "merged %d journals in %s\n\n", countJournals(cols), fmtDuration(time.Since(started)))
	}
	return reportOutcomes(e.stdout, req, outs)
}

// countJournals counts the journals read.
func countJournals(cols []*stability.Collected) int {
	n := 0
	for _, c := range cols {
		n += len(c.Journals)
	}
	return n
}

// mergeMetadata describes a merged study: this machine and program, the
// study, and the shards' timings from their markers.
func mergeMetadata(col *stability.Collected, gate float64) stability.Metadata {
	m := baseMetadata()
	h := &col.Header
	m.NSeeds, m.NPeriods = len(col.Records), h.NPeriods
	m.SeedStart, m.Suite, m.BurnIn = h.SeedStart, h.Suite, h.BurnIn
	m.NFirms, m.NHouseholds, m.NBanks, m.ParamsHash = h.NFirms, h.NHouseholds, h.NBanks, h.ParamsHash
	m.Gate = gate
	m.Source = "merge"
	m.Shards = len(col.Journals)
	secs := 0.0
	for _, r := range col.Records {
		secs += r.Seconds
	}
	m.Timings.SeedSeconds = secs
	m.Timings.SeedsFromJournal = len(col.Records)
	if len(col.Records) > 0 {
		m.Timings.SecondsPerSeed = secs / float64(len(col.Records))
	}
	markers := slices.Clone(col.Markers)
	slices.SortFunc(markers, func(a, b stability.Marker) int {
		if a.Header.Shard == nil || b.Header.Shard == nil {
			return 0
		}
		return cmp.Compare(a.Header.Shard.Index, b.Header.Shard.Index)
	})
	for _, mk := range markers {
		shard := "all"
		if mk.Header.Shard != nil {
			shard = mk.Header.Shard.String()
		}
		m.Timings.Shards = append(m.Timings.Shards, stability.ShardTiming{
			Shard: shard, WallSeconds: mk.WallSeconds, Workers: mk.Workers, Host: mk.Host, Finished: mk.Finished,
		})
		m.NWorkers += mk.Workers
		m.Timings.WallSeconds = max(m.Timings.WallSeconds, mk.WallSeconds)
	}
	m.ElapsedSeconds = int(math.Round(m.Timings.WallSeconds))
	return m
}

// checkMergeTarget refuses, as bad input, to write the merged result of
// col into out beside a journal of another study: out already holds
// NAME.journal.jsonl, not one of those merged, for another study or seed
// range (say an unsharded study of 120 periods, where the shards have
// 100), so that the result written there would not be the journal's.
// Merging into the shards' own folder, or an empty one, is fine.
func checkMergeTarget(out string, col *stability.Collected) error {
	path := filepath.Join(out, stability.JournalName(safeName(col.Header.Scenario), nil))
	if _, err := os.Stat(path); err != nil {
		return nil // none: nothing to disagree with
	}
	for _, j := range col.Journals {
		if sameFile(j, path) {
			return nil
		}
	}
	h, _, err := stability.Read(path)
	if err != nil {
		return badInput("stability merge: --out %s holds %s, which cannot be read (%v); merge into another --out", out, path, err)
	}
	m := &col.Header
	if !h.SameStudy(m) || h.SeedStart != m.SeedStart || h.NSeeds != m.NSeeds {
		return badInput("stability merge: --out %s holds the journal %s of another study (%s); "+
			"its result would be replaced by that of the merged one (%s); merge into another --out",
			out, path, studyLine(&h), studyLine(m))
	}
	return nil
}

// studyLine describes a study in a few words: its length and seeds.
func studyLine(h *stability.Header) string {
	return fmt.Sprintf("%s, %d periods, %d×%d×%d agents, seeds %d…%d", h.Scenario, h.NPeriods,
		h.NFirms, h.NHouseholds, h.NBanks, h.SeedStart, h.SeedStart+uint64(max(h.NSeeds, 1))-1)
}
