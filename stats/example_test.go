package stats_test

import (
	"fmt"

	"github.com/bam-abm/bam/stats"
)

// The moments and percentiles NumPy gives for the same data.
func Example() {
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	fmt.Printf("mean %.4f, std %.4f, skew %.4f\n", stats.Mean(x), stats.Std(x), stats.Skew(x))
	fmt.Printf("median %.1f, 25th percentile %.2f\n", stats.Median(x), stats.Percentile(x, 25))
	// Output:
	// mean 3.8750, std 2.5709, skew 0.6683
	// median 3.5, 25th percentile 1.75
}

// The Okun correlation filters outliers pairwise before correlating.
func ExampleIQRFilter() {
	du := []float64{0.01, -0.02, 0.015, 0.5, -0.01, 0.0}
	dy := []float64{-0.02, 0.03, -0.01, -0.02, 0.015, 0.001}
	fu, fy := stats.IQRFilter(du, dy)
	fmt.Printf("%d of %d pairs kept, corr %.3f\n", len(fu), len(du), stats.Corr(fu, fy))
	// Output:
	// 5 of 6 pairs kept, corr -0.954
}
