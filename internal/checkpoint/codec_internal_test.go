package checkpoint

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

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
	l, err := LayoutOf(reflect.TypeFor[allKinds]())
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
		if _, err := LayoutOf(tt.typ); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.typ, err, tt.want)
		}
	}
}
