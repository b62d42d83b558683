package stability_test

import (
	"fmt"
	"log"

	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// A result document from records of a study's journal, and the same
// document read back through the one reader that bam stability compare
// and report use.
func ExampleDocument() {
	h := stability.Header{
		Format: stability.JournalFormat, Scenario: "baseline", Suite: "baseline", NPeriods: 1000, BurnIn: 500,
		NFirms: 100, NHouseholds: 500, NBanks: 10, SeedStart: 0, NSeeds: 2,
	}
	var recs []stability.Record
	for seed := range uint64(2) {
		r := stability.Record{Seed: seed, Passed: seed == 0, Score: 0.9 - float64(seed)/10, Periods: 1000}
		for i := range validation.BaselineMetrics {
			st := validation.Pass
			if seed == 1 && i == 0 {
				st = validation.Fail
			}
			r.Metrics = append(r.Metrics, stability.MetricRecord{Value: 0.5, Status: st, Score: 1})
		}
		recs = append(recs, r)
	}
	doc, _, err := stability.Document(&h, recs, stability.Metadata{Program: "bam", NSeeds: 2})
	if err != nil {
		log.Fatal(err)
	}
	res, err := stability.DecodeResult(doc)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d seeds, pass rate %.2f, mean score %.2f\n", res.Scenario, res.NSeeds, res.PassRate, res.MeanScore)
	for _, f := range res.Failing {
		fmt.Println("failing seed", f.Seed, f.FailedMetrics)
	}
	// Output:
	// baseline: 2 seeds, pass rate 0.50, mean score 0.85
	// failing seed 1 [unemployment_rate_mean]
}
