package cli

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/results"
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

// options returns the results options that write the collection's files.
func (col *collection) options() []results.Option {
	opts := []results.Option{results.WithFormat(results.Format(col.format))}
	if col.c != nil {
		opts = append(opts, results.Collected(col.c))
	}
	if col.wide {
		opts = append(opts, results.Wide())
	}
	return opts
}
