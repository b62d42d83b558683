package cli

// bam stability report: one self-contained HTML page (inline CSS, inline
// SVG charts drawn with gonum/plot) from seed-stability result files, in
// the manner of the reference's dashboard (spec §8.4).

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bam-abm/bam/internal/report"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/validation/stability"
)

// defaultReportFile is the default output of `bam stability report`.
const defaultReportFile = "stability-report.html"

// stabilityReportCommand is `bam stability report [-o FILE] RESULT.json...`.
func stabilityReportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write an HTML report of seed-stability result files",
		ArgsUsage: "RESULT.json...",
		Description: "Reads the result files of bam stability (spec §8.2, with or without per-seed\n" +
			"results; bam validate --json files too) and writes one self-contained HTML page:\n" +
			"a card per scenario (pass rate: green ≥ 97 %, yellow ≥ 96 %, red below; mean\n" +
			"score ± std: green ≥ 0.85, yellow ≥ 0.80), the runs and their metadata, the pass\n" +
			"rate per scenario, the pass rate and mean score across runs when several files\n" +
			"hold the same scenario (ordered by metadata.timestamp), and for the latest run of\n" +
			"each scenario the score distribution, every metric's distribution over the seeds\n" +
			"against its target band (PASS green, WARN yellow, FAIL red; from the file, else\n" +
			"from the validation suite's definition of the metric), grouped by metric group,\n" +
			"each with a line saying what it measures, and the failing seeds with the metrics\n" +
			"that failed and the bam run and bam validate commands that reproduce each. Without\n" +
			"per-seed results a metric shows its mean ± std. The pass-rate axes start at 0 %; a\n" +
			"metric's values, target and changes share one format (three significant digits).\n" +
			"The page is written to a temporary file and renamed;\n" +
			"a missing, non-JSON or malformed input is bad input (exit 2) and writes nothing.",
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "output",
				Aliases: []string{"o"},
				Value:   defaultReportFile,
				Usage:   "write the report to `FILE`",
			},
			&cli.StringFlag{
				Name:  "title",
				Value: "BAM seed-stability report",
				Usage: "the page's `TITLE`",
			},
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return badInput("stability report: %v (see bam stability report --help)", err)
		},
		Action: func(c *cli.Context) error { return stabilityReport(c, e) },
	}
}

// stabilityReport is the action of `bam stability report`.
func stabilityReport(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return badInput("stability report: want one or more RESULT.json files; usage: bam stability report [-o FILE] RESULT.json...")
	}
	out := c.String("output")
	if out == "" {
		return badInput("stability report: --output: want a file name")
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return badInput("stability report: --output %s: is a folder; want a file name", out)
	}
	if ext := strings.ToLower(filepath.Ext(out)); ext != ".html" && ext != ".htm" {
		return badInput("stability report: --output %s: want a file name ending in .html", quoteArg(out))
	}
	for _, in := range c.Args().Slice() {
		if sameFile(in, out) {
			return badInput("stability report: --output %s is the input %s; refusing to overwrite it", out, in)
		}
	}
	if err := checkOutputFile("output", out); err != nil {
		return fmt.Errorf("stability report: %w", err)
	}
	files, err := loadReportFiles(c.Args().Slice())
	if err != nil {
		return err
	}
	opts := report.Options{Title: c.String("title"), Version: versionString(), Generated: e.now()}
	if err := writeAtomic(c.Context, out, func(w io.Writer) error { return report.Write(w, files, opts) }); err != nil {
		return fmt.Errorf("stability report: %w", err)
	}
	_, err = fmt.Fprintln(e.stdout, out)
	return err
}

// loadReportFiles reads the result files paths; every error is bad input
// naming the file.
func loadReportFiles(paths []string) ([]report.File, error) {
	files := make([]report.File, 0, len(paths))
	for _, p := range paths {
		res, err := stability.ReadResult(p)
		if err != nil {
			return nil, badInput("stability report: %s: %v", p, err)
		}
		files = append(files, report.File{Path: p, Result: res})
	}
	return files, nil
}
