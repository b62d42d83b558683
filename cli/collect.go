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
				"(default: end of period); writes collect-firms.csv, collect-households.csv, ... (see --layout and docs/results.md)",
		},
		&cli.StringFlag{
			Name:  "format",
			Value: "csv",
			Usage: "`FORMAT` of the collected data: csv or parquet (parquet also writes economy.parquet, with or without --collect)",
		},
		&cli.StringFlag{
			Name:  "layout",
			Value: "panel",
			Usage: "`LAYOUT` of the collected data: panel (one file per agent kind, collect-firms.csv, collect-households.csv, " +
				"collect-banks.csv, and collect-economy.csv for economy series; a row per period and agent, a column per variable), " +
				"long (collect.csv: period,agent,variable,value) or wide (collect-<variable>.csv: a row per period, a column per agent)",
		},
		&cli.BoolFlag{
			Name:  "wide",
			Usage: "the same as --layout wide",
		},
		&cli.StringFlag{
			Name: "id-columns",
			Usage: "start every table of the output folder (economy.csv, firms.csv, the Parquet files, the collected data) with " +
				"the constant columns `LIST`, comma-separated: scenario and parameter names, e.g. seed or scenario,seed,beta, " +
				"so that the tables of many runs can be concatenated",
		},
	}
}

// collection is what a run collects and how it writes it.
type collection struct {
	c      *bam.Collector // nil without --collect
	format string         // "csv" or "parquet"
	layout results.Layout
	ids    []string // --id-columns
}

// setupCollect checks the collection flags and starts collecting on sim
// from its next period on (the first, or the one after a resumed
// checkpoint). Every problem is an input error, found before anything is
// written.
func setupCollect(c *cli.Context, sim *bam.Simulation) (*collection, error) {
	col := &collection{format: strings.ToLower(strings.TrimSpace(c.String("format"))), layout: results.LayoutPanel}
	if col.format != "csv" && col.format != "parquet" {
		return nil, badInput("--format %s: want csv or parquet", quoteArg(c.String("format")))
	}
	if c.IsSet("layout") {
		l, err := results.ParseLayout(c.String("layout"))
		if err != nil {
			return nil, badInput("--layout %s: want panel, long or wide", quoteArg(c.String("layout")))
		}
		col.layout = l
	}
	if c.Bool("wide") {
		if c.IsSet("layout") && col.layout != results.LayoutWide {
			return nil, badInput("--wide is --layout wide; it contradicts --layout %s", col.layout)
		}
		col.layout = results.LayoutWide
	}
	if c.IsSet("id-columns") {
		ids, err := results.ParseIDColumns(c.String("id-columns"))
		if err != nil {
			return nil, badInput("--id-columns: %s", strings.TrimPrefix(err.Error(), results.ErrIDColumns.Error()+": "))
		}
		col.ids = ids
	}
	if !c.IsSet("collect") {
		switch {
		case c.Bool("wide"):
			return nil, badInput("--wide: nothing to lay out; it applies to the data of --collect")
		case c.IsSet("layout"):
			return nil, badInput("--layout: nothing to lay out; it applies to the data of --collect")
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
	opts := []results.Option{results.WithFormat(results.Format(col.format)), results.WithLayout(col.layout)}
	if col.c != nil {
		opts = append(opts, results.Collected(col.c))
	}
	if len(col.ids) > 0 {
		opts = append(opts, results.WithIDColumns(col.ids...))
	}
	return opts
}
