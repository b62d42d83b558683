package sysmem_test

import (
	"fmt"

	"github.com/bam-abm/bam/internal/sysmem"
)

func ExampleAvailable() {
	if l, ok := sysmem.Available(); ok {
		fmt.Println(l.Bytes > 0, l.Source != "")
	}
}
