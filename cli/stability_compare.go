package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
)

// stabilityCompareCommand is `bam stability compare OLD.json NEW.json`.
func stabilityCompareCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "compare two result files: pass rate, score and per-metric differences",
		ArgsUsage: "OLD.json NEW.json",
		Description: "Prints the pass rate, the score and, per metric, the mean value, mean score and\n" +
			"pass rate of OLD and NEW and their differences (NEW − OLD); * marks a metric whose\n" +
			"pass rate changed or whose mean score moved by more than 0.01.\n" +
			"--exact instead checks that the two files are byte-identical apart from their\n" +
			"metadata, and exits 1 naming the first difference if not.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "exact", Usage: "check that the files are identical apart from metadata (exit 1 if not)"},
		},
		Action: func(c *cli.Context) error { return stabilityCompare(c, e) },
	}
}

// resultFile is a decoded result file (spec §8.2) for comparing.
type resultFile struct {
	path string
	// members are the top-level members in file order, raw.
	keys    []string
	members map[string]json.RawMessage
	// decoded parts.
	scenario string
	summary  struct {
		NPassed   int      `json:"n_passed"`
		PassRate  *float64 `json:"pass_rate"`
		MeanScore *float64 `json:"mean_score"`
		StdScore  *float64 `json:"std_score"`
	}
	metricNames []string
	metrics     map[string]compareMetric
	nFailing    int
	nSeeds      int
}

// compareMetric is one metric's statistics.
type compareMetric struct {
	MeanValue *float64 `json:"mean_value"`
	MeanScore *float64 `json:"mean_score"`
	PassRate  *float64 `json:"pass_rate"`
}

// readResultFile reads and decodes a result file; errors are bad input.
func readResultFile(path string) (*resultFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput("stability compare: %s: %v", path, pathErrCause(err))
	}
	r := &resultFile{path: path, members: map[string]json.RawMessage{}, metrics: map[string]compareMetric{}}
	if err := decodeOrderedObject(b, func(k string, v json.RawMessage) error {
		r.keys = append(r.keys, k)
		r.members[k] = v
		return nil
	}); err != nil {
		return nil, badInput("stability compare: %s: not a result file: %v", path, err)
	}
	bad := func(what string, err error) error {
		return badInput("stability compare: %s: not a result file: %s: %v", path, what, err)
	}
	if err := json.Unmarshal(r.members["scenario"], &r.scenario); err != nil || r.scenario == "" {
		return nil, bad(`"scenario"`, errors.New("missing"))
	}
	if err := json.Unmarshal(r.members["summary"], &r.summary); err != nil {
		return nil, bad(`"summary"`, err)
	}
	if err := decodeOrderedObject(r.members["metrics"], func(k string, v json.RawMessage) error {
		var m compareMetric
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		r.metricNames = append(r.metricNames, k)
		r.metrics[k] = m
		return nil
	}); err != nil {
		return nil, bad(`"metrics"`, err)
	}
	var failing []json.RawMessage
	_ = json.Unmarshal(r.members["failing_seeds"], &failing)
	r.nFailing = len(failing)
	var meta struct {
		NSeeds int `json:"n_seeds"`
	}
	_ = json.Unmarshal(r.members["metadata"], &meta)
	r.nSeeds = meta.NSeeds
	return r, nil
}

// stabilityCompare is the action of `bam stability compare`.
func stabilityCompare(c *cli.Context, e *env) error {
	if c.NArg() != 2 {
		return badInput("stability compare: want two files, OLD.json NEW.json; got %d arguments", c.NArg())
	}
	a, err := readResultFile(c.Args().Get(0))
	if err != nil {
		return err
	}
	b, err := readResultFile(c.Args().Get(1))
	if err != nil {
		return err
	}
	if c.Bool("exact") {
		if diff := exactDiff(a, b); diff != "" {
			return fmt.Errorf("stability compare: %s and %s differ: %s", a.path, b.path, diff)
		}
		fmt.Fprintf(e.stdout, "%s and %s are identical apart from their metadata\n", a.path, b.path)
		return nil
	}
	return printComparison(e.stdout, a, b)
}

// exactDiff describes the first difference between a and b outside
// "metadata", or returns "".
func exactDiff(a, b *resultFile) string {
	strip := func(r *resultFile) []string {
		var ks []string
		for _, k := range r.keys {
			if k != "metadata" {
				ks = append(ks, k)
			}
		}
		return ks
	}
	ka, kb := strip(a), strip(b)
	if strings.Join(ka, ",") != strings.Join(kb, ",") {
		return fmt.Sprintf("members %v and %v", ka, kb)
	}
	for _, k := range ka {
		va, vb := a.members[k], b.members[k]
		if bytes.Equal(va, vb) {
			continue
		}
		if k == "seeds" {
			var sa, sb []json.RawMessage
			_ = json.Unmarshal(va, &sa)
			_ = json.Unmarshal(vb, &sb)
			for i := range min(len(sa), len(sb)) {
				if !bytes.Equal(sa[i], sb[i]) {
					return fmt.Sprintf("seeds entry %d: %s versus %s", i, clipText(string(sa[i]), 120), clipText(string(sb[i]), 120))
				}
			}
			return fmt.Sprintf("%d seeds versus %d", len(sa), len(sb))
		}
		return fmt.Sprintf("%q: %s versus %s", k, clipText(string(va), 200), clipText(string(vb), 200))
	}
	return ""
}

// clipText shortens s to n bytes with "…".
func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// printComparison prints the comparison table of a (old) and b (new).
func printComparison(w io.Writer, a, b *resultFile) error {
	var buf bytes.Buffer
	if a.scenario != b.scenario {
		fmt.Fprintf(&buf, "warning: scenarios differ: %s versus %s\n", a.scenario, b.scenario)
	}
	fmt.Fprintf(&buf, "%s: OLD %s, NEW %s\n\n", b.scenario, a.path, b.path)
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tOLD\tNEW\tNEW − OLD")
	fmt.Fprintf(tw, "seeds\t%d\t%d\t\n", a.nSeeds, b.nSeeds)
	fmt.Fprintf(tw, "pass rate\t%s\t%s\t%s\n", pctPtr(a.summary.PassRate), pctPtr(b.summary.PassRate), pointsDiff(a.summary.PassRate, b.summary.PassRate))
	fmt.Fprintf(tw, "mean score\t%s\t%s\t%s\n", numPtr(a.summary.MeanScore), numPtr(b.summary.MeanScore), diffPtr(a.summary.MeanScore, b.summary.MeanScore))
	fmt.Fprintf(tw, "std score\t%s\t%s\t%s\n", numPtr(a.summary.StdScore), numPtr(b.summary.StdScore), diffPtr(a.summary.StdScore, b.summary.StdScore))
	fmt.Fprintf(tw, "failing seeds\t%d\t%d\t%+d\n", a.nFailing, b.nFailing, b.nFailing-a.nFailing)
	if err := tw.Flush(); err != nil {
		return err
	}
	buf.WriteString("\n")
	tw = tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tmean OLD\tmean NEW\tΔ mean\tscore OLD\tscore NEW\tΔ score\tpass OLD\tpass NEW\t")
	names := append([]string{}, b.metricNames...)
	for _, n := range a.metricNames {
		if _, ok := b.metrics[n]; !ok {
			names = append(names, n)
		}
	}
	for _, n := range names {
		ma, oka := a.metrics[n]
		mb, okb := b.metrics[n]
		if !oka || !okb {
			where := "only in OLD"
			if okb {
				where = "only in NEW"
			}
			fmt.Fprintf(tw, "%s\t%s\t\t\t\t\t\t\t\t\n", n, where)
			continue
		}
		mark := ""
		if pctPtr(ma.PassRate) != pctPtr(mb.PassRate) {
			mark = "*"
		}
		if ma.MeanScore != nil && mb.MeanScore != nil && math.Abs(*mb.MeanScore-*ma.MeanScore) > 0.01 {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n,
			numPtr(ma.MeanValue), numPtr(mb.MeanValue), diffPtr(ma.MeanValue, mb.MeanValue),
			numPtr(ma.MeanScore), numPtr(mb.MeanScore), diffPtr(ma.MeanScore, mb.MeanScore),
			pctPtr(ma.PassRate), pctPtr(mb.PassRate), mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// numPtr formats a value that may be absent (null).
func numPtr(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return valNum(*p)
}

// pctPtr formats a share that may be absent.
func pctPtr(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return valPct(*p)
}

// diffPtr formats b − a.
func diffPtr(a, b *float64) string {
	if a == nil || b == nil {
		return "n/a"
	}
	d := *b - *a
	if d == 0 {
		return "0"
	}
	s := valNum(d)
	if d > 0 {
		s = "+" + s
	}
	return s
}

// pointsDiff formats b − a of two shares in percentage points.
func pointsDiff(a, b *float64) string {
	if a == nil || b == nil {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f pts", 100*(*b-*a))
}
