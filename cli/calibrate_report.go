package cli

// bam calibrate report: one self-contained HTML page of the results of
// the calibration phases (calibration.Report).

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/calibration"
)

// calibrateReportCommand is `bam calibrate report [--morris DIR]
// [--search DIR] [--cross DIR] [--cost DIR] --out FILE.html`.
func calibrateReportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "write the HTML report of the phases' results: Morris screening, search, cross-evaluation, cost analysis",
		Description: "Reads the results of the phases from their output folders (morris.json, search.json,\n" +
			"cross.json, cost.json; at least one) and writes one self-contained HTML page (inline\n" +
			"CSS and SVG figures): the Morris screening's μ*–σ plane with the threshold, its\n" +
			"effects and each parameter's value scores with the best value; the distribution of\n" +
			"the grid screening's scores, each tier's survivors, seeds and best combined score;\n" +
			"the cross-evaluation per configuration and scenario (mean, std, pass rate, combined),\n" +
			"its rankings and the scenario tension; the cost of each swap (Δ combined, class).\n" +
			"Nothing is run. The page is written to a temporary file and renamed; a folder\n" +
			"without its result file, or with a file of another phase, is bad input (exit 2).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "morris", Usage: "the Morris screening in `DIR` (bam calibrate morris --out DIR)"},
			&cli.StringFlag{Name: "search", Usage: "the search in `DIR` (bam calibrate search --out DIR)"},
			&cli.StringFlag{Name: "cross", Usage: "the cross-evaluation in `DIR` (bam calibrate cross --out DIR)"},
			&cli.StringFlag{Name: "cost", Usage: "the cost analysis in `DIR` (bam calibrate cost --out DIR)"},
			&cli.StringFlag{Name: "out", Usage: "write the report to `FILE` (ending in .html; required)"},
		},
		Action: func(c *cli.Context) error { return calibrateReport(c, e) },
	}
}

// calibrateReport is the action of bam calibrate report.
func calibrateReport(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return badInput("calibrate report: no argument expected (got %s); name the folders with --morris, --search, --cross and --cost", quoteArgs(c.Args().Slice()))
	}
	dirs := map[string]string{}
	for _, flag := range []string{"morris", "search", "cross", "cost"} {
		if d := c.String(flag); d != "" {
			dirs[flag] = d
		}
	}
	if len(dirs) == 0 {
		return badInput("calibrate report: give at least one of --morris DIR, --search DIR, --cross DIR and --cost DIR (the --out folders of the phases)")
	}
	out := c.String("out")
	if out == "" {
		return badInput("calibrate report: --out FILE.html is required")
	}
	if ext := strings.ToLower(filepath.Ext(out)); ext != ".html" && ext != ".htm" {
		if fi, err := os.Stat(out); err == nil && fi.IsDir() {
			return badInput("calibrate report: --out %s: is a folder; want a file name ending in .html", out)
		}
		return badInput("calibrate report: --out %s: want a file name ending in .html", quoteArg(out))
	}
	if err := checkOutputFile("out", out); err != nil {
		return fmt.Errorf("calibrate report: %w", err)
	}
	var r calibration.Report
	var err error
	if d, ok := dirs["morris"]; ok {
		r.Morris, err = calibration.ReadMorris(d)
		err = phaseReadError(c, "morris", "morris", d, calibration.MorrisJSON, err)
	}
	if d, ok := dirs["search"]; ok && err == nil {
		r.Search, err = calibration.ReadSearch(d)
		err = phaseReadError(c, "search", "search", d, calibration.SearchJSON, err)
	}
	if d, ok := dirs["cross"]; ok && err == nil {
		r.Cross, err = calibration.ReadCross(d)
		err = phaseReadError(c, "cross", "cross", d, calibration.CrossJSON, err)
	}
	if d, ok := dirs["cost"]; ok && err == nil {
		r.Cost, err = calibration.ReadCost(d)
		err = phaseReadError(c, "cost", "cost", d, calibration.CostJSON, err)
	}
	if err != nil {
		return err
	}
	if err := r.WriteHTML(out); err != nil {
		return fmt.Errorf("calibrate report: --out %s: %w", out, pathErrCause(err))
	}
	_, err = fmt.Fprintln(e.stdout, out)
	return err
}
