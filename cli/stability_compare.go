package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/bam-abm/bam/internal/style"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/validation/stability"
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

// resultFile is a result file (spec §8.2) for comparing: what
// stability.ReadResult decodes, with absent values as nil.
type resultFile struct {
	path string
	// members are the top-level members in file order, as written.
	members []stability.Member
	// decoded parts.
	scenario string
	summary  struct {
		PassRate, MeanScore, StdScore *float64
	}
	metricNames []string
	metrics     map[string]compareMetric
	nFailing    int
	nSeeds      int
}

// compareMetric is one metric's statistics.
type compareMetric struct {
	MeanValue, MeanScore, PassRate *float64
}

// readResultFile reads and decodes a result file; errors are bad input.
func readResultFile(path string) (*resultFile, error) {
	res, err := stability.ReadResult(path)
	if err != nil {
		return nil, badInput("stability compare: %s: %v", path, err)
	}
	r := &resultFile{
		path: path, members: res.Members, scenario: res.Scenario, metrics: map[string]compareMetric{},
		nFailing: len(res.Failing), nSeeds: res.NSeeds,
	}
	r.summary.PassRate, r.summary.MeanScore, r.summary.StdScore = known(res.PassRate), known(res.MeanScore), known(res.StdScore)
	for _, m := range res.Metrics {
		r.metricNames = append(r.metricNames, m.Name)
		r.metrics[m.Name] = compareMetric{MeanValue: known(m.MeanValue), MeanScore: known(m.MeanScore), PassRate: known(m.PassRate)}
	}
	return r, nil
}

// known returns &v, or nil when v is NaN (a value the file does not give).
func known(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
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
	strip := func(r *resultFile) (names []string, values map[string]json.RawMessage) {
		values = map[string]json.RawMessage{}
		for _, m := range r.members {
			if m.Name != "metadata" {
				names = append(names, m.Name)
				values[m.Name] = m.Value
			}
		}
		return names, values
	}
	ka, va := strip(a)
	kb, vb := strip(b)
	if strings.Join(ka, ",") != strings.Join(kb, ",") {
		return fmt.Sprintf("members %v and %v", ka, kb)
	}
	for _, k := range ka {
		va, vb := va[k], vb[k]
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
	return style.Value(*p)
}

// pctPtr formats a share that may be absent.
func pctPtr(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return style.Percent(*p, 1, "%")
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
	s := style.Value(d)
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
