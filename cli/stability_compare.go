package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
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
			"--exact instead checks that the two files hold the same values apart from their\n" +
			"metadata (whitespace and key order aside), and exits 1 naming the path of the\n" +
			"first difference if not.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "exact", Usage: "check that the files hold the same values apart from metadata (exit 1 naming the first difference)"},
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
			return checkFailed("stability compare: %s and %s differ: %s", a.path, b.path, diff)
		}
		fmt.Fprintf(e.stdout, "%s and %s are identical apart from their metadata\n", a.path, b.path)
		return nil
	}
	return printComparison(e.stdout, a, b)
}

// exactDiff describes the first difference between a and b outside
// "metadata", or returns "". The members are compared as JSON values, so
// whitespace and the order of an object's keys do not matter; a
// difference names its path (such as seeds[3].metrics.okun_correlation.value)
// and both values.
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
	if d := keysDiff("", ka, kb); d != "" {
		return d
	}
	for _, k := range ka {
		if bytes.Equal(va[k], vb[k]) {
			continue
		}
		x, errx := decodeValue(va[k])
		y, erry := decodeValue(vb[k])
		if errx != nil || erry != nil {
			return fmt.Sprintf("%q: %s versus %s", k, clipText(string(va[k]), 200), clipText(string(vb[k]), 200))
		}
		if d := valueDiff(k, x, y); d != "" {
			return d
		}
	}
	return ""
}

// decodeValue decodes a JSON value keeping numbers as written.
func decodeValue(b json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// keysDiff describes how the member names a and b of the object at path
// differ as sets, or returns "".
func keysDiff(path string, a, b []string) string {
	sa, sb := slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	if slices.Equal(sa, sb) {
		return ""
	}
	where := path
	if where == "" {
		where = "the document"
	}
	return fmt.Sprintf("%s: members %v versus %v", where, a, b)
}

// valueDiff describes the first difference between the JSON values x and
// y at path, or returns "". Numbers are equal when they denote the same
// float64 (1 and 1.0).
func valueDiff(path string, x, y any) string {
	differ := func() string {
		ex, _ := json.Marshal(x)
		ey, _ := json.Marshal(y)
		return fmt.Sprintf("%s: %s versus %s", path, clipText(string(ex), 120), clipText(string(ey), 120))
	}
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok {
			return differ()
		}
		kx, ky := slices.Sorted(maps.Keys(xv)), slices.Sorted(maps.Keys(yv))
		if d := keysDiff(path, kx, ky); d != "" {
			return d
		}
		for _, k := range kx {
			if d := valueDiff(path+"."+k, xv[k], yv[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		yv, ok := y.([]any)
		if !ok {
			return differ()
		}
		for i := range min(len(xv), len(yv)) {
			if d := valueDiff(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i]); d != "" {
				return d
			}
		}
		if len(xv) != len(yv) {
			return fmt.Sprintf("%s: %d entries versus %d", path, len(xv), len(yv))
		}
		return ""
	case json.Number:
		yv, ok := y.(json.Number)
		if !ok {
			return differ()
		}
		if xv == yv {
			return ""
		}
		fx, err1 := xv.Float64()
		fy, err2 := yv.Float64()
		if err1 == nil && err2 == nil && fx == fy {
			return ""
		}
		return differ()
	}
	if x != y {
		return differ()
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
