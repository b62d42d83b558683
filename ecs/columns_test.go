package ecs_test

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

func TestColumns(t *testing.T) {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = 7, 20, 3
	w, err := ecs.NewWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	types := func(k ecs.Kind) []reflect.Type {
		cols, err := w.Columns(k)
		if err != nil {
			t.Fatal(err)
		}
		var out []reflect.Type
		for _, c := range cols {
			if len(c.Bytes) != w.Count(k)*int(c.Type.Size()) {
				t.Errorf("%s %v: %d bytes", k, c.Type, len(c.Bytes))
			}
			out = append(out, c.Type)
		}
		return out
	}
	want := map[ecs.Kind][]reflect.Type{
		ecs.Firms:      {reflect.TypeFor[components.Producer](), reflect.TypeFor[components.Employer](), reflect.TypeFor[components.Borrower]()},
		ecs.Households: {reflect.TypeFor[components.Worker](), reflect.TypeFor[components.Consumer](), reflect.TypeFor[components.Shareholder]()},
		ecs.Banks:      {reflect.TypeFor[components.Lender]()},
	}
	for k, ts := range want {
		if got := types(k); !reflect.DeepEqual(got, ts) {
			t.Errorf("%s: %v, want %v", k, got, ts)
		}
	}

	// The bytes alias the storage: a write through a view shows.
	w.Banks.Lender[2].EquityBase = 42.5
	cols, _ := w.Columns(ecs.Banks)
	off := 2 * int(reflect.TypeFor[components.Lender]().Size())
	if got := math.Float64frombits(binary.NativeEndian.Uint64(cols[0].Bytes[off:])); got != 42.5 {
		t.Errorf("EquityBase through the column = %v", got)
	}

	// A component added by an extension is a column of its kind.
	type extra struct{ X, Y float64 }
	if _, err := ecs.AddComponent[extra](w, ecs.Households); err != nil {
		t.Fatal(err)
	}
	if got := types(ecs.Households); len(got) != 4 || got[3] != reflect.TypeFor[extra]() {
		t.Errorf("households after AddComponent: %v", got)
	}
	if _, err := w.Columns(ecs.Kind(7)); err == nil {
		t.Error("Columns of an unknown kind did not fail")
	}
}
