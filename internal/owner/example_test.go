package owner_test

import (
	"fmt"
	"os"

	"github.com/bam-abm/bam/internal/owner"
)

// A temporary name carries the tag; a later process asks whether its
// process ended.
func Example() {
	tag := owner.Tag()
	pid, _, ok := owner.Parse(tag)
	fmt.Println(ok, pid == os.Getpid(), owner.Ended(tag))
	// Output: true true false
}
