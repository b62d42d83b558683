package checkpoint_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/bam-abm/bam/internal/checkpoint"
)

// fuzzMaxInput bounds the files of the fuzz target: Open reads the whole
// file and checksums it, and the decoder allocates at most one element per
// remaining byte, so 64 KiB keeps an execution well under a millisecond.
const fuzzMaxInput = 64 << 10

// fuzzMaxColumn bounds the element count of the COLS section that the walk
// allocates before the decoder checks it against the file.
const fuzzMaxColumn = 1 << 16

// fuzzLeaf has a field of every kind the codec stores, an array of
// structs and blank padding.
type fuzzLeaf struct {
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
	A   [2]struct {
		X int16
		Y bool
	}
	_ [3]byte
}

// fuzzRec is the record of the DATA section: scalars, slices (one of
// elements of no size) and nested arrays.
type fuzzRec struct {
	N      int32
	Xs     []float64
	On     bool
	Leaves []fuzzLeaf
	One    fuzzLeaf
	Empty  []struct{}
	Grid   [2][3]uint8
}

// fuzzFile is what a file of the fuzz schema holds:
//
//	header  version
//	META    raw bytes
//	DATA    a string, then fuzzRec as a record
//	COLS    a uint32 n, n fuzzLeaf as a column, a uint64
type fuzzFile struct {
	Version string
	Meta    []byte
	Name    string
	Rec     fuzzRec
	Cols    []fuzzLeaf
	Tail    uint64
}

var leafLayout = func() *checkpoint.Layout {
	l, err := checkpoint.LayoutOf(reflect.TypeFor[fuzzLeaf]())
	if err != nil {
		panic(err)
	}
	return l
}()

// leafBytes returns the memory of the elements of s.
func leafBytes(s []fuzzLeaf) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// encode writes ff with the package's Encoder.
func encode(ff *fuzzFile) ([]byte, error) {
	var buf bytes.Buffer
	e := checkpoint.NewEncoder(&buf)
	e.Header(ff.Version)
	e.Begin("META")
	e.Raw(ff.Meta)
	e.End()
	e.Begin("DATA")
	e.Str(ff.Name)
	if err := e.Record(reflect.ValueOf(&ff.Rec).Elem()); err != nil {
		return nil, err
	}
	e.End()
	e.Begin("COLS")
	e.U32(uint32(len(ff.Cols)))
	e.Column(leafLayout, len(ff.Cols), leafBytes(ff.Cols))
	e.U64(ff.Tail)
	e.End()
	if err := e.Finish(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decode reads a file of the fuzz schema from an opened decoder, checking
// that every section and the file are read to their end. It reports false,
// with no error, when the file asks for more COLS elements than the walk
// allocates.
func decode(d *checkpoint.Decoder, version string) (*fuzzFile, bool, error) {
	ff := &fuzzFile{Version: version}
	sd, err := d.Section("META")
	if err != nil {
		return nil, true, err
	}
	ff.Meta = bytes.Clone(sd.Rest())
	if sd, err = d.Section("DATA"); err != nil {
		return nil, true, err
	}
	if ff.Name, err = sd.Str(); err != nil {
		return nil, true, err
	}
	if err := sd.Record(reflect.ValueOf(&ff.Rec).Elem()); err != nil {
		return nil, true, err
	}
	if err := sd.Done(); err != nil {
		return nil, true, err
	}
	if sd, err = d.Section("COLS"); err != nil {
		return nil, true, err
	}
	n, err := sd.U32()
	if err != nil {
		return nil, true, err
	}
	if n > fuzzMaxColumn {
		return nil, false, nil
	}
	ff.Cols = make([]fuzzLeaf, n)
	if err := sd.Column(leafLayout, int(n), leafBytes(ff.Cols)); err != nil {
		return nil, true, err
	}
	if ff.Tail, err = sd.U64(); err != nil {
		return nil, true, err
	}
	if err := sd.Done(); err != nil {
		return nil, true, err
	}
	if err := d.Done(); err != nil {
		return nil, true, err
	}
	return ff, true, nil
}

// fuzzFiles are the values of the real files of the seed corpus.
func fuzzFiles() []*fuzzFile {
	leaf := func(k int) fuzzLeaf {
		l := fuzzLeaf{B: k%2 == 1, I8: int8(-k), I16: int16(-300 * k), I32: int32(-70000 * k), I64: -1 << 40 * int64(k),
			I: -5 * k, U8: uint8(200 + k), U16: 60000, U32: 4e9, U64: 1<<63 + uint64(k), U: uint(k),
			F32: float32(k) / 3, F64: float64(k) * 1e300}
		l.A[1].X, l.A[0].Y = int16(-9*k), k%3 == 0
		return l
	}
	nan := math.Float64frombits(0x7ff8_0000_dead_beef) // a NaN with a payload, kept bit for bit
	return []*fuzzFile{
		{Version: "v1.2.3", Meta: []byte(`{"a":1}`), Name: "rec",
			Rec:  fuzzRec{N: -7, Xs: []float64{1.5, -2, 3e300, nan, math.Inf(-1), math.Copysign(0, -1)}, On: true, Leaves: []fuzzLeaf{leaf(1), leaf(2)}, One: leaf(3), Empty: make([]struct{}, 5), Grid: [2][3]uint8{{1, 2, 3}, {4, 5, 6}}},
			Cols: []fuzzLeaf{leaf(4), leaf(5), leaf(6)}, Tail: math.MaxUint64},
		{Version: "", Name: "", Rec: fuzzRec{N: math.MinInt32}},
		{Version: strings.Repeat("v", 1<<10), Meta: bytes.Repeat([]byte{0, 0xff}, 100), Name: "ünï\x00",
			Rec:  fuzzRec{Xs: []float64{}, Leaves: []fuzzLeaf{{}}, One: fuzzLeaf{I: math.MinInt64, U: math.MaxUint}},
			Cols: []fuzzLeaf{{B: true}}, Tail: 1},
	}
}

// reseal returns a copy of b with a valid checksum, when b ends with a
// SUM. section, and false otherwise.
func reseal(b []byte) ([]byte, bool) {
	const trailer = 16
	if len(b) < trailer || string(b[len(b)-trailer:][:4]) != "SUM." || binary.LittleEndian.Uint64(b[len(b)-12:]) != 4 {
		return nil, false
	}
	c := bytes.Clone(b)
	binary.LittleEndian.PutUint32(c[len(c)-4:], crc32.Checksum(c[:len(c)-trailer], crc32.MakeTable(crc32.Castagnoli)))
	return c, true
}

// FuzzOpen feeds arbitrary files, and the same files with a valid checksum
// written over them (so that the sections and values themselves are
// fuzzed), to Open and to a decoder reading the fuzz schema, and checks
// what they promise:
//
//   - Open returns exactly one of a decoder and an error: ErrNotCheckpoint
//     for a file without the magic string, ErrFormat for another format
//     (naming it and the version), ErrCorrupt for a damaged or truncated
//     file; it accepts only a file whose header and SUM. section are
//     well formed with the CRC-32C of the rest;
//   - one flipped bit of an accepted file is refused: as not a checkpoint
//     in the magic string, as another format in the format, as corrupt
//     anywhere else (the checksum covers every byte);
//   - reading an accepted file never panics, and fails only with
//     ErrCorrupt or a changed definition; what it reads without error is
//     the file exactly: encoding the values again gives the same bytes;
//   - the real files of the seed corpus decode to the values written.
func FuzzOpen(f *testing.F) {
	wants := map[string]*fuzzFile{}
	for _, ff := range fuzzFiles() {
		b, err := encode(ff)
		if err != nil {
			f.Fatal(err)
		}
		wants[string(b)] = ff
		f.Add(b)
		// Torn and bit-flipped copies, plain and resealed.
		for _, n := range []int{0, 5, len(checkpoint.Magic), len(checkpoint.Magic) + 3, len(checkpoint.Magic) + 8, len(b) / 2, len(b) - 16, len(b) - 5, len(b) - 1} {
			f.Add(b[:n])
		}
		for _, i := range []int{len(checkpoint.Magic) - 1, len(checkpoint.Magic), len(checkpoint.Magic) + 4, len(b) / 3, len(b) / 2, len(b) - 20, len(b) - 1} {
			for _, x := range []byte{0x01, 0x80} {
				c := bytes.Clone(b)
				c[i] ^= x
				f.Add(c)
				if r, ok := reseal(c); ok {
					f.Add(r)
				}
			}
		}
	}
	for _, s := range []string{"", "timestamp,price\n1,2\n", checkpoint.Magic, checkpoint.Magic + "\x09\x00\x00\x00\x02\x00\x00\x00v1",
		checkpoint.Magic + "\x01\x00\x00\x00\x01\x04\x00\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		checkOpen(t, data, wants[string(data)])
		if r, ok := reseal(data); ok && !bytes.Equal(r, data) {
			checkOpen(t, r, wants[string(r)])
		}
	})
}

// errClass returns the one error class of err, failing if there is not
// exactly one.
func errClass(t *testing.T, err error) error {
	t.Helper()
	var class error
	for _, c := range []error{checkpoint.ErrNotCheckpoint, checkpoint.ErrFormat, checkpoint.ErrCorrupt} {
		if errors.Is(err, c) {
			if class != nil {
				t.Fatalf("error %v is both %v and %v", err, class, c)
			}
			class = c
		}
	}
	if class == nil {
		t.Fatalf("Open: error %v (%T) is none of ErrNotCheckpoint, ErrFormat, ErrCorrupt", err, err)
	}
	if strings.TrimSpace(err.Error()) == "" {
		t.Fatalf("error without a message: %#v", err)
	}
	return class
}

// checkOpen checks Open and the decoder on data; want, if not nil, is what
// data must decode to.
func checkOpen(t *testing.T, data []byte, want *fuzzFile) {
	t.Helper()
	d, version, err := checkpoint.Open(bytes.NewReader(data))
	magic := len(data) >= len(checkpoint.Magic) && string(data[:len(checkpoint.Magic)]) == checkpoint.Magic
	if err != nil {
		if d != nil || version != "" {
			t.Fatalf("Open returned a decoder (version %q) and the error %v", version, err)
		}
		if want != nil {
			t.Fatalf("a real file is refused: %v", err)
		}
		switch class := errClass(t, err); {
		case !magic && class != checkpoint.ErrNotCheckpoint:
			t.Fatalf("a file without the magic string: %v", err)
		case magic && class == checkpoint.ErrNotCheckpoint:
			t.Fatalf("a file with the magic string: %v", err)
		case class == checkpoint.ErrFormat:
			format := binary.LittleEndian.Uint32(data[len(checkpoint.Magic):])
			if format == checkpoint.Format || !strings.Contains(err.Error(), "checkpoint format ") {
				t.Fatalf("format %d: %v", format, err)
			}
		}
		return
	}
	if d == nil {
		t.Fatal("Open returned neither a decoder nor an error")
	}
	// The container is well formed.
	const head, trailer = len(checkpoint.Magic) + 8, 16
	le := binary.LittleEndian
	if !magic || len(data) < head+trailer || le.Uint32(data[len(checkpoint.Magic):]) != checkpoint.Format {
		t.Fatalf("accepted a file without the header of format %d: %q", checkpoint.Format, data[:min(len(data), head)])
	}
	vlen := int(le.Uint32(data[len(checkpoint.Magic)+4:]))
	body := len(data) - trailer
	if head+vlen > body || version != string(data[head:head+vlen]) {
		t.Fatalf("accepted a version of %d bytes in a body of %d as %q", vlen, body, version)
	}
	if string(data[body:body+4]) != "SUM." || le.Uint64(data[body+4:]) != 4 ||
		le.Uint32(data[body+12:]) != crc32.Checksum(data[:body], crc32.MakeTable(crc32.Castagnoli)) {
		t.Fatalf("accepted a file without the checksum of its %d bytes", body)
	}
	// One flipped bit is refused.
	for _, i := range []int{len(data) / 2, len(data) - 1, int(crc32.ChecksumIEEE(data) % uint32(len(data)))} {
		b := bytes.Clone(data)
		b[i] ^= 1 << (i % 8)
		_, _, err := checkpoint.Open(bytes.NewReader(b))
		want := checkpoint.ErrCorrupt
		switch {
		case i < len(checkpoint.Magic):
			want = checkpoint.ErrNotCheckpoint
		case i < len(checkpoint.Magic)+4:
			want = checkpoint.ErrFormat
		}
		if err == nil {
			t.Fatalf("byte %d of %d flipped: accepted", i, len(data))
		}
		if class := errClass(t, err); class != want {
			t.Fatalf("byte %d of %d flipped: %v, want %v", i, len(data), err, want)
		}
	}
	// Reading it gives errors or the file's exact values.
	got, complete, err := decode(d, version)
	if err != nil {
		if want != nil {
			t.Fatalf("a real file does not decode: %v", err)
		}
		msg := err.Error()
		if !errors.Is(err, checkpoint.ErrCorrupt) && !strings.Contains(msg, "definition changed") &&
			!strings.Contains(msg, "fields in the checkpoint, ") {
			t.Fatalf("decoding an accepted file: %v (%T) is not ErrCorrupt", err, err)
		}
		return
	}
	if !complete {
		return
	}
	again, err := encode(got)
	if err != nil {
		t.Fatalf("the values read do not encode: %v", err)
	}
	if !bytes.Equal(again, data) {
		t.Fatalf("the values read encode to another file:\n got %q\nwant %q", again, data)
	}
	if want != nil && !sameFile(got, want) {
		t.Fatalf("a real file decodes to\n%+v\nwant\n%+v", got, want)
	}
	if _, err := d.Section("MORE"); !errors.Is(err, checkpoint.ErrCorrupt) {
		t.Fatalf("reading past the last section: %v", err)
	}
}

// sameFile reports whether two files hold the same values: floats bit for
// bit, an empty slice equal to a nil one.
func sameFile(a, b *fuzzFile) bool {
	sameSlice := func(x, y reflect.Value) bool {
		if x.Len() != y.Len() {
			return false
		}
		for i := range x.Len() {
			if !reflect.DeepEqual(x.Index(i).Interface(), y.Index(i).Interface()) {
				return false
			}
		}
		return true
	}
	bits := func(xs []float64) []uint64 {
		out := make([]uint64, len(xs))
		for i, x := range xs {
			out[i] = math.Float64bits(x)
		}
		return out
	}
	ra, rb := a.Rec, b.Rec
	ra.Xs, rb.Xs, ra.Leaves, rb.Leaves, ra.Empty, rb.Empty = nil, nil, nil, nil, nil, nil
	return a.Version == b.Version && bytes.Equal(a.Meta, b.Meta) && a.Name == b.Name && a.Tail == b.Tail &&
		reflect.DeepEqual(ra, rb) && sameSlice(reflect.ValueOf(bits(a.Rec.Xs)), reflect.ValueOf(bits(b.Rec.Xs))) &&
		sameSlice(reflect.ValueOf(a.Rec.Leaves), reflect.ValueOf(b.Rec.Leaves)) && len(a.Rec.Empty) == len(b.Rec.Empty) &&
		sameSlice(reflect.ValueOf(a.Cols), reflect.ValueOf(b.Cols))
}
