package results_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
)

// A run driven from Go, written as the run folder bam run writes (bam plot
// DIR draws it), and read back.
func ExampleWrite() {
	sc := scenarios.Default()
	sc.Params.Seed, sc.Params.NPeriods = 42, 50
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		log.Fatal(err)
	}
	sim.Run(sc.Params.NPeriods)

	tmp, err := os.MkdirTemp("", "example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "my-run")
	m, err := results.Write(dir, sim)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("files:", m.Files)

	back, err := results.ReadManifest(dir)
	if err != nil {
		log.Fatal(err)
	}
	econ, err := results.ReadEconomy(dir, "period", "unemployment_rate")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("scenario:", back.Scenario, "seed:", back.Seed, "periods:", back.PeriodsRun, "rows:", econ.Rows())

	// A second write to the same folder is refused: nothing is overwritten.
	_, err = results.Write(dir, sim)
	fmt.Println("again refused:", err != nil)
	// Output:
	// files: [economy.csv firms.csv run.json]
	// scenario: baseline seed: 42 periods: 50 rows: 50
	// again refused: true
}

// A run with collected data, written in the panel layout and read back
// with ReadRun: the economy series, the manifest and one table per agent
// kind, a row per period and agent.
func ExampleReadRun() {
	sc := scenarios.Default()
	sc.Params.Seed, sc.Params.NPeriods = 42, 50
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		log.Fatal(err)
	}
	spec, err := bam.ParseCollect("Producer.production@firms_run_production,Borrower.net_worth,Worker.employed@firms_run_production")
	if err != nil {
		log.Fatal(err)
	}
	col, err := sim.Collect(spec...)
	if err != nil {
		log.Fatal(err)
	}
	sim.Run(sc.Params.NPeriods)

	tmp, err := os.MkdirTemp("", "example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "my-run")
	m, err := results.Write(dir, sim, results.Collected(col), results.WithFormat(results.FormatParquet), results.WithIDColumns("seed"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("files:", m.Files)

	run, err := results.ReadRun(dir)
	if err != nil {
		log.Fatal(err)
	}
	firms := run.Panels[bam.PanelFirms]
	fmt.Println("firm columns:", firms.Names)
	fmt.Println("rows:", firms.Rows(), "=", firms.Periods, "periods ×", firms.Agents, "firms")
	fmt.Println("production is", firms.Variables[0].Variable)

	// Σ employed at production, period 50, is economy.csv's employed.
	hh := run.Panels[bam.PanelHouseholds]
	employed := 0.0
	for i := range hh.Agents {
		e, _ := hh.Value("employed", 50, i)
		employed += e
	}
	fmt.Println("employed in period 50:", employed == run.Economy.Column("employed")[49])
	// Output:
	// files: [economy.csv firms.csv run.json economy.parquet collect-firms.parquet collect-households.parquet]
	// firm columns: [period firm id entered exited production net_worth]
	// rows: 5000 = 50 periods × 100 firms
	// production is Producer.production@firms_run_production
	// employed in period 50: true
}
