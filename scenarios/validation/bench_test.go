package validation

import (
	"context"
	"testing"

	"github.com/bam-abm/bam/scenarios"
)

// BenchmarkFitWealth fits the three wealth distributions to 400 values.
func BenchmarkFitWealth(b *testing.B) {
	x := readFloatsFile("testdata/wealth.txt")
	for b.Loop() {
		FitWealth(x)
	}
}

// BenchmarkBaselineSeed validates one baseline seed (1000 periods).
func BenchmarkBaselineSeed(b *testing.B) {
	sc := scenarios.Default()
	for b.Loop() {
		if _, err := RunSeed(context.Background(), sc, Baseline, 0, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
