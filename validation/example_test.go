package validation_test

import (
	"fmt"

	"github.com/bam-abm/bam/validation"
)

// The recession detector of spec §6.2 on a log-GDP series with one
// downturn after the burn-in.
func ExampleRecessions() {
	logGDP := make([]float64, 200)
	for t := range logGDP {
		logGDP[t] = 0.01 * float64(t) // trend growth
		if t >= 120 && t < 140 {
			logGDP[t] -= 0.02 * float64(min(t-120, 140-t)) // a V-shaped dip
		}
	}
	n, length := validation.Recessions(logGDP, 50)
	fmt.Println(n, length > 0)
	// Output: 1 true
}

// What a metric measures, and its target in a chosen number format.
func ExampleMetric_Description() {
	m := validation.BaselineMetrics[0]
	fmt.Println(m.Name+":", m.Description())
	fmt.Println(m.Target.Describe(m.Check))
	fmt.Println(m.Target.DescribeWith(m.Check, func(v float64) string { return fmt.Sprintf("%.1f %%", 100*v) }))
	// Output:
	// unemployment_rate_mean: mean unemployment rate
	// 0.065 ± 0.025
	// 6.5 % ± 2.5 %
}
