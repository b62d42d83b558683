package bam

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/loans"
)

// TestCheckpointCoversState fails when a type whose values make up the
// simulation state gains or loses a field, so that whoever changes it
// decides how a checkpoint carries the field (and bumps CheckpointFormat
// if the layout changes). Fields of ecs.Economy, loans.Book and Row are
// stored generically by name; the others are listed in checkpoint.go.
func TestCheckpointCoversState(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want []string
		how  string
	}{
		{reflect.TypeFor[Simulation](), []string{"World", "Pipeline", "History", "Scenario", "collectors"},
			"World, History and Scenario are stored; the pipeline is rebuilt; collectors are not part of a checkpoint"},
		{reflect.TypeFor[ecs.World](), []string{"Params", "Rand", "Econ", "Loans", "Firms", "Households", "Banks", "Period",
			"world", "structure", "entities", "resources", "ids"},
			"Params, Rand, Econ, Loans and Period are stored, components through World.Columns; resources are not stored (the markets' typed resources are rebuilt with the pipeline and refilled every period)"},
		{reflect.TypeFor[History](), []string{"Rows", "FinalProduction", "cur", "off"},
			"see historyFields; cur is empty between periods; a disabled History (off) refuses checkpoints"},
	}
	for _, tt := range tests {
		var got []string
		for i := range tt.typ.NumField() {
			got = append(got, tt.typ.Field(i).Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%v has fields %v; the checkpoint knows %v (%s): update checkpoint.go", tt.typ, got, tt.want, tt.how)
		}
	}
	// Stored generically: every field must be plain data or a slice of it.
	for _, typ := range []reflect.Type{reflect.TypeFor[ecs.Economy](), reflect.TypeFor[loans.Book](), reflect.TypeFor[Row]()} {
		for i := range typ.NumField() {
			f := typ.Field(i)
			ft := f.Type
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if _, err := layoutOf(ft); err != nil {
				t.Errorf("%v.%s: %v", typ, f.Name, err)
			}
		}
	}
}

// allKinds has a field of every kind the codec stores.
type allKinds struct {
	B   bool
	I8  int8
	I16 int16
	I32 int32
	I64 int64
	I   int
	U8  uint8
	U16 uint16
	U32 uint32
	U64 uint64
	U   uint
	F32 float32
	F64 float64
	A   [3]struct {
		X int16
		Y bool
	}
	_ [2]byte
	z float64
}

func TestPlainCodecRoundTrip(t *testing.T) {
	in := []allKinds{
		{B: true, I8: -3, I16: -300, I32: -70000, I64: -1 << 40, I: -5, U8: 200, U16: 60000, U32: 4e9, U64: 1 << 63, U: 7,
			F32: 1.5, F64: -2.25, z: 3},
		{I: 1 << 31, F64: 1e300},
	}
	in[0].A[2].X, in[0].A[1].Y = -9, true
	l, err := layoutOf(reflect.TypeFor[allKinds]())
	if err != nil {
		t.Fatal(err)
	}
	const sig = "{B:bool;I8:i8;I16:i16;I32:i32;I64:i64;I:int;U8:u8;U16:u16;U32:u32;U64:u64;U:uint;F32:f32;F64:f64;A:[3]{X:i16;Y:bool;};z:f64;}"
	if l.sig != sig {
		t.Errorf("signature %s\nwant      %s", l.sig, sig)
	}
	if want := 1 + 1 + 2 + 4 + 8 + 8 + 1 + 2 + 4 + 8 + 8 + 4 + 8 + 3*3 + 8; l.wire != want {
		t.Errorf("wire size %d, want %d", l.wire, want)
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&in[0])), len(in)*int(l.size))
	wire := l.appendValues(nil, raw, len(in))
	if len(wire) != len(in)*l.wire {
		t.Fatalf("%d bytes, want %d", len(wire), len(in)*l.wire)
	}
	out := make([]allKinds, len(in))
	if err := l.readValues(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), len(out)*int(l.size)), wire, len(out)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip\n%+v\nwant\n%+v", out, in)
	}
	wire[0] = 2 // not a boolean
	if err := l.readValues(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), len(out)*int(l.size)), wire, len(out)); err == nil || !strings.Contains(err.Error(), "boolean") {
		t.Errorf("bad boolean: %v", err)
	}
}

func TestPlainCodecRejects(t *testing.T) {
	for _, tt := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[struct{ P *int }](), "struct { P *int }.P is a ptr"},
		{reflect.TypeFor[struct{ S string }](), ".S is a string"},
		{reflect.TypeFor[struct{ M map[int]int }](), ".M is a map"},
		{reflect.TypeFor[[2][]int](), "[2][]int[0] is a slice"},
		{reflect.TypeFor[uintptr](), "uintptr is a uintptr"},
	} {
		if _, err := layoutOf(tt.typ); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.typ, err, tt.want)
		}
	}
}
