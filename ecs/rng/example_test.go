package rng_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/bam-abm/bam/ecs/rng"
)

// The stream draws exactly what math/rand/v2's PCG draws for the same
// seeds, through direct calls.
func Example() {
	r := rng.New(42, 7)
	ref := rand.New(rand.NewPCG(42, 7))
	same := true
	for range 1000 {
		same = same && r.Float64() == ref.Float64() && r.IntN(10) == ref.IntN(10)
	}
	fmt.Println("same as math/rand/v2:", same)

	// A draw in [0, h): the shocks of spec §5 (e.g. the price shock η).
	eta := r.Uniform(0.10)
	fmt.Println(eta >= 0 && eta < 0.10)
	// Output:
	// same as math/rand/v2: true
	// true
}
