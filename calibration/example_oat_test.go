package calibration_test

import (
	"fmt"

	"github.com/bam-abm/bam/calibration"
)

// The sensitivity baselines of spec §10.
func ExampleSensitivityBaseline() {
	for _, name := range []string{"baseline", "growth_plus", "buffer_stock"} {
		fmt.Println(name, calibration.SensitivityBaseline(name))
	}
	// Output:
	// baseline []
	// growth_plus [new_firm_price_markup=1.15 sigma_decay=-1.0 sigma_max=0.1]
	// buffer_stock [buffer_stock_h=2.0]
}

// The configurations of a pairwise analysis of three INCLUDE parameters
// with 3, 2 and 4 values: each unique one is evaluated once.
func ExamplePairwise_Plan() {
	sp, _ := calibration.NewSpace([]calibration.Param{
		{Name: "beta", Values: []string{"1", "2.5", "5"}},
		{Name: "max_M", Values: []string{"2", "4"}},
		{Name: "theta", Values: []string{"2", "4", "8", "16"}},
	})
	r := &calibration.OATResult{Method: calibration.MethodOAT, Space: sp, Parameters: []calibration.Sensitivity{
		{Name: "beta", Class: calibration.Include, BestValue: "2.5"},
		{Name: "max_M", Class: calibration.Include, BestValue: "4"},
		{Name: "theta", Class: calibration.Include, BestValue: "8"},
	}}
	pl, _ := (&calibration.Pairwise{Sensitivity: r, NSeeds: 3}).Plan()
	fmt.Printf("%d pairs: the base, %d single changes and %d combinations = %d configurations\n",
		pl.Pairs, pl.Singles, pl.Combos, pl.Design.Len())
	// Output:
	// 3 pairs: the base, 6 single changes and 11 combinations = 18 configurations
}
