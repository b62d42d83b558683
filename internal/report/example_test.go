package report_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/bam-abm/bam/internal/report"
	"github.com/bam-abm/bam/validation/stability"
)

// A report of one result document (here a minimal one written by hand).
func ExampleWrite() {
	res, err := stability.DecodeResult([]byte(`{"scenario": "baseline",
	  "summary": {"pass_rate": 0.975, "mean_score": 0.86, "std_score": 0.01, "n_passed": 39},
	  "metrics": {"unemployment_rate_mean": {"mean_value": 0.064, "std_value": 0.004, "mean_score": 0.9, "pass_rate": 1, "weight": 1.5}}}`))
	if err != nil {
		log.Fatal(err)
	}
	var page bytes.Buffer
	err = report.Write(&page, []report.File{{Path: "baseline.json", Result: res}},
		report.Options{Title: "My study", Version: "bam devel", Generated: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	html := page.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"), strings.Contains(html, "<title>My study</title>"), strings.Contains(html, "97.5"))
	// Output: true true true
}
