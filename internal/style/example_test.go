package style_test

import (
	"fmt"
	"math"

	"github.com/bam-abm/bam/internal/style"
)

func ExampleFixed() {
	fmt.Println(style.Fixed(-0.8329, 2), style.Fixed(math.NaN(), 2), style.Value(0.0402), style.Value(2.5e-5))
	// Output: −0.83 n/a 0.0402 2.5e-05
}
