package cli

import (
	"bufio"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
)

// Files written by --collect and --format parquet.
const (
	collectCSVFile     = "collect.csv"
	collectParquetFile = "collect.parquet"
	economyParquetFile = "economy.parquet"
	collectWidePrefix  = "collect-" // + variable + ".csv" / ".parquet" with --wide
)

// collectCLIFlags returns the data-collection flags of the run command.
func collectCLIFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name: "collect",
			Usage: "collect per-agent variables and economy series: `SPEC` is NAME[@SYSTEM],..., NAME a variable " +
				"Component.field (Producer.production, Worker.wage, Lender.equity_base, ...), a whole component " +
				"(Producer) or an economy series (unemployment_rate), @SYSTEM the event it is captured after " +
				"(default: end of period); writes collect.csv or collect.parquet (see docs/results.md)",
		},
		&cli.StringFlag{
			Name:  "format",
			Value: "csv",
			Usage: "`FORMAT` of the collected data: csv or parquet (parquet also writes economy.parquet, with or without --collect)",
		},
		&cli.BoolFlag{
			Name:  "wide",
			Usage: "write the collected data in wide layout: one file collect-<variable>.csv (or .parquet) per variable, a row per period, a column per agent (a0, a1, ...)",
		},
	}
}

// collection is what a run collects and how it writes it.
type collection struct {
	c      *bam.Collector // nil without --collect
	format string         // "csv" or "parquet"
	wide   bool
}

// setupCollect checks the collection flags and starts collecting on sim
// from its next period on (the first, or the one after a resumed
// checkpoint). Every problem is an input error, found before anything is
// written.
func setupCollect(c *cli.Context, sim *bam.Simulation) (*collection, error) {
	col := &collection{format: strings.ToLower(strings.TrimSpace(c.String("format"))), wide: c.Bool("wide")}
	if col.format != "csv" && col.format != "parquet" {
		return nil, badInput("--format %s: want csv or parquet", quoteArg(c.String("format")))
	}
	if !c.IsSet("collect") {
		if col.wide {
			return nil, badInput("--wide: nothing to lay out; it applies to the data of --collect")
		}
		return col, nil
	}
	spec, err := bam.ParseCollect(c.String("collect"))
	if err != nil {
		return nil, badInput("--collect: %v", err)
	}
	if col.c, err = sim.Collect(spec...); err != nil {
		return nil, badInput("--collect: %s", strings.TrimPrefix(err.Error(), "collect: "))
	}
	return col, nil
}

// write writes the collection's files into dir and returns files with
// their names appended.
func (col *collection) write(dir string, sim *bam.Simulation, files []string) ([]string, error) {
	if col.format == "parquet" {
		if err := writeFile(dir, economyParquetFile, func(w *bufio.Writer) error {
			return sim.History.WriteParquet(w)
		}); err != nil {
			return nil, err
		}
		files = append(files, economyParquetFile)
	}
	if col.c == nil {
		return files, nil
	}
	if !col.wide {
		name, write := collectCSVFile, col.c.WriteCSV
		if col.format == "parquet" {
			name, write = collectParquetFile, col.c.WriteParquet
		}
		if err := writeFile(dir, name, func(w *bufio.Writer) error { return write(w) }); err != nil {
			return nil, err
		}
		return append(files, name), nil
	}
	for _, v := range col.c.Variables() {
		name := collectWidePrefix + v + "." + col.format
		if err := writeFile(dir, name, func(w *bufio.Writer) error {
			if col.format == "parquet" {
				return col.c.WriteWideParquet(w, v)
			}
			return col.c.WriteWideCSV(w, v)
		}); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}
