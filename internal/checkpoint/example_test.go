package checkpoint_test

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/bam-abm/bam/internal/checkpoint"
)

// Write a file of one section holding a record, and read it back.
func Example() {
	type state struct {
		Period int
		Prices []float64
	}
	in := state{Period: 12, Prices: []float64{1.02, 0.98}}

	var file bytes.Buffer
	e := checkpoint.NewEncoder(&file)
	e.Header("v0.1.0")
	e.Begin("DATA")
	if err := e.Record(reflect.ValueOf(&in).Elem()); err != nil {
		panic(err)
	}
	e.End()
	if err := e.Finish(); err != nil {
		panic(err)
	}

	d, version, err := checkpoint.Open(&file)
	if err != nil {
		panic(err)
	}
	sd, err := d.Section("DATA")
	if err != nil {
		panic(err)
	}
	var out state
	if err := sd.Record(reflect.ValueOf(&out).Elem()); err != nil {
		panic(err)
	}
	fmt.Println(version, out.Period, out.Prices)
	// Output: v0.1.0 12 [1.02 0.98]
}
