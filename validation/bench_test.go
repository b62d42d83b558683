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

// BenchmarkSeed validates one seed (1000 periods) of each scenario, as
// one seed of `bam stability` does (buffer_stock includes its Growth+
// companion run and the wealth fits). Successive iterations use successive
// seeds. Its CPU profile is the one cmd/bam is built with (make pgo).
func BenchmarkSeed(b *testing.B) {
	for _, suite := range Suites {
		b.Run(suite.Name, func(b *testing.B) {
			sc, err := scenarios.Load(suite.Name)
			if err != nil {
				b.Fatal(err)
			}
			seed := uint64(0)
			for b.Loop() {
				if _, err := RunSeed(context.Background(), sc, suite, seed, Options{}); err != nil {
					b.Fatal(err)
				}
				seed++
			}
		})
	}
}
