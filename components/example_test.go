package components_test

import (
	"fmt"

	"github.com/bam-abm/bam/components"
)

// A household's Worker refers to its employer by slot; −1 means none.
func ExampleWorker_Employed() {
	hired := components.Worker{Employer: 3, PeriodsLeft: 8, Wage: 1.2}
	unemployed := components.Worker{Employer: -1, EmployerPrev: 3}
	fmt.Println(hired.Employed(), unemployed.Employed())
	// Output: true false
}
