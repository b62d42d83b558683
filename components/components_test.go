package components_test

import (
	"reflect"
	"testing"

	"github.com/bam-abm/bam/components"
)

// TestPlainData checks that every component is plain data (no pointers,
// slices, maps, strings or interfaces), so the world can store it densely
// and copy it freely.
func TestPlainData(t *testing.T) {
	all := []any{
		components.Producer{}, components.Employer{}, components.Borrower{},
		components.Worker{}, components.Consumer{}, components.Shareholder{},
		components.Lender{},
	}
	for _, c := range all {
		typ := reflect.TypeOf(c)
		for i := range typ.NumField() {
			f := typ.Field(i)
			switch f.Type.Kind() {
			case reflect.Float64, reflect.Int32, reflect.Bool, reflect.Array:
			default:
				t.Errorf("%s.%s has kind %s; components must be plain data", typ.Name(), f.Name, f.Type.Kind())
			}
		}
		if typ.Size()%8 != 0 {
			t.Errorf("%s has size %d, not a multiple of 8 (add explicit padding)", typ.Name(), typ.Size())
		}
	}
}

func TestWorkerEmployed(t *testing.T) {
	tests := []struct {
		employer int32
		want     bool
	}{{-1, false}, {0, true}, {41, true}}
	for _, tt := range tests {
		w := components.Worker{Employer: tt.employer}
		if got := w.Employed(); got != tt.want {
			t.Errorf("Employer=%d: Employed() = %v, want %v", tt.employer, got, tt.want)
		}
	}
}

// TestFieldsDocumented checks that every exported field carries the doc
// tag that the collection registry shows as its description.
func TestFieldsDocumented(t *testing.T) {
	all := []any{
		components.Producer{}, components.Employer{}, components.Borrower{},
		components.Worker{}, components.Consumer{}, components.Shareholder{},
		components.Lender{},
	}
	for _, c := range all {
		typ := reflect.TypeOf(c)
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() && f.Tag.Get("doc") == "" {
				t.Errorf("%s.%s has no doc tag", typ.Name(), f.Name)
			}
		}
	}
}
