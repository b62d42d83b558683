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
