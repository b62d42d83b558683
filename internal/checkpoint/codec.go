package checkpoint

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"reflect"
	"strings"
	"unsafe"
)

const (
	// Magic starts every checkpoint file.
	Magic = "BAMCKPT\n"
	// Format is the version of the file layout written and read by this
	// package. It changes whenever the layout does.
	Format = 1
)

// Errors of [Open] and of the decoder, for errors.Is.
var (
	// ErrNotCheckpoint reports a file that does not start with [Magic].
	ErrNotCheckpoint = errors.New("not a bam checkpoint")
	// ErrFormat reports a checkpoint of another format version (the
	// message names both versions).
	ErrFormat = errors.New("unsupported checkpoint format")
	// ErrCorrupt reports a checkpoint that is damaged or truncated
	// (checksum mismatch) or malformed.
	ErrCorrupt = errors.New("corrupt checkpoint")
)

// formatError is the error for a checkpoint of another format.
type formatError struct {
	got     uint32
	version string
}

func (e *formatError) Error() string {
	return fmt.Sprintf("checkpoint format %d (written by bam %s), this bam reads %d", e.got, e.version, Format)
}

func (e *formatError) Is(target error) bool { return target == ErrFormat }

// Corrupt returns an [ErrCorrupt] error with a formatted detail.
func Corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// TypeName returns the full name of t: package path and name, with a
// leading "*" for a pointer to a named type.
func TypeName(t reflect.Type) string {
	if t == nil {
		return "<nil>"
	}
	if t.Kind() == reflect.Pointer && t.Name() == "" {
		return "*" + TypeName(t.Elem())
	}
	if t.Name() == "" || t.PkgPath() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// --- the plain-data codec ---

// leaf is one scalar field of a plain-data type.
type leaf struct {
	off  uintptr
	size uintptr // in memory
	kind reflect.Kind
}

// Layout is how the values of a plain-data type are stored.
type Layout struct {
	sig    string  // field names and kinds
	size   uintptr // bytes per value in memory
	wire   int     // bytes per value in the checkpoint
	leaves []leaf
}

// LayoutOf returns the Layout of t, which must be plain data: booleans,
// integers, floats, and arrays and structs of those.
func LayoutOf(t reflect.Type) (*Layout, error) {
	l := &Layout{size: t.Size()}
	var sig strings.Builder
	if err := l.add(t, 0, &sig, t.String()); err != nil {
		return nil, err
	}
	l.sig = sig.String()
	return l, nil
}

// kindSig is the signature of each scalar kind a checkpoint stores.
var kindSig = map[reflect.Kind]string{
	reflect.Bool: "bool", reflect.Int: "int", reflect.Int8: "i8", reflect.Int16: "i16",
	reflect.Int32: "i32", reflect.Int64: "i64", reflect.Uint: "uint", reflect.Uint8: "u8",
	reflect.Uint16: "u16", reflect.Uint32: "u32", reflect.Uint64: "u64",
	reflect.Float32: "f32", reflect.Float64: "f64",
}

func (l *Layout) add(t reflect.Type, off uintptr, sig *strings.Builder, path string) error {
	switch k := t.Kind(); k {
	case reflect.Array:
		fmt.Fprintf(sig, "[%d]", t.Len())
		if t.Len() == 0 {
			sig.WriteString(t.Elem().Kind().String())
			return nil
		}
		for i := range t.Len() {
			s := sig
			if i > 0 {
				s = &strings.Builder{} // the element signature is written once
			}
			if err := l.add(t.Elem(), off+uintptr(i)*t.Elem().Size(), s, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
		sig.WriteByte('{')
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Name == "_" {
				continue
			}
			sig.WriteString(f.Name)
			sig.WriteByte(':')
			if err := l.add(f.Type, off+f.Offset, sig, path+"."+f.Name); err != nil {
				return err
			}
			sig.WriteByte(';')
		}
		sig.WriteByte('}')
		return nil
	default:
		s, ok := kindSig[k]
		if !ok {
			return fmt.Errorf("%s is a %s; only plain data (booleans, numbers, and arrays and structs of them) can be checkpointed", path, k)
		}
		sig.WriteString(s)
		lf := leaf{off: off, size: t.Size(), kind: k}
		l.leaves = append(l.leaves, lf)
		l.wire += lf.wireSize()
		return nil
	}
}

// wireSize returns the number of bytes of the leaf in a checkpoint.
func (lf leaf) wireSize() int {
	if lf.kind == reflect.Int || lf.kind == reflect.Uint {
		return 8
	}
	return int(lf.size)
}

var le = binary.LittleEndian

// appendValues appends the n values of raw (n·l.size bytes) in wire form.
func (l *Layout) appendValues(out, raw []byte, n int) []byte {
	ne := binary.NativeEndian
	for i := range n {
		v := raw[uintptr(i)*l.size:]
		for _, lf := range l.leaves {
			p := v[lf.off : lf.off+lf.size]
			switch {
			case lf.size == 1:
				out = append(out, p[0])
			case lf.size == 2:
				out = le.AppendUint16(out, ne.Uint16(p))
			case lf.size == 4 && lf.kind == reflect.Int:
				out = le.AppendUint64(out, uint64(int64(int32(ne.Uint32(p)))))
			case lf.size == 4 && lf.kind == reflect.Uint:
				out = le.AppendUint64(out, uint64(ne.Uint32(p)))
			case lf.size == 4:
				out = le.AppendUint32(out, ne.Uint32(p))
			default:
				out = le.AppendUint64(out, ne.Uint64(p))
			}
		}
	}
	return out
}

// readValues decodes n values in wire form from src into raw.
func (l *Layout) readValues(raw, src []byte, n int) error {
	ne := binary.NativeEndian
	for i := range n {
		v := raw[uintptr(i)*l.size:]
		for _, lf := range l.leaves {
			p := v[lf.off : lf.off+lf.size]
			switch {
			case lf.kind == reflect.Bool:
				if src[0] > 1 {
					return fmt.Errorf("boolean byte %d", src[0])
				}
				p[0] = src[0]
			case lf.size == 1:
				p[0] = src[0]
			case lf.size == 2:
				ne.PutUint16(p, le.Uint16(src))
			case lf.size == 4 && lf.kind == reflect.Int:
				x := int64(le.Uint64(src))
				if int64(int32(x)) != x {
					return fmt.Errorf("int %d overflows this platform's int", x)
				}
				ne.PutUint32(p, uint32(int32(x)))
			case lf.size == 4 && lf.kind == reflect.Uint:
				x := le.Uint64(src)
				if uint64(uint32(x)) != x {
					return fmt.Errorf("uint %d overflows this platform's uint", x)
				}
				ne.PutUint32(p, uint32(x))
			case lf.size == 4:
				ne.PutUint32(p, le.Uint32(src))
			default:
				ne.PutUint64(p, le.Uint64(src))
			}
			src = src[lf.wireSize():]
		}
	}
	return nil
}

// rawBytes returns the n bytes at p.
func rawBytes(p unsafe.Pointer, n uintptr) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)
}

// --- Encoder ---

// Encoder writes a checkpoint section by section, computing the checksum.
// The first write error is kept and returned by [Encoder.Finish].
type Encoder struct {
	w   *bufio.Writer
	crc uint32
	err error
	tag string
	buf []byte // payload of the current section
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// NewEncoder returns an encoder writing to w through a 64 KiB buffer.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: bufio.NewWriterSize(w, 64<<10)} }

// write writes b to the output and the checksum.
func (e *Encoder) write(b []byte) {
	if e.err != nil {
		return
	}
	e.crc = crc32.Update(e.crc, castagnoli, b)
	_, e.err = e.w.Write(b)
}

// Header writes the file header: [Magic], [Format] and the version string
// of the writing program. It comes first.
func (e *Encoder) Header(version string) {
	h := append([]byte(Magic), 0, 0, 0, 0)
	le.PutUint32(h[len(Magic):], Format)
	h = le.AppendUint32(h, uint32(len(version)))
	h = append(h, version...)
	e.write(h)
}

// Begin starts a section with the 4-byte tag.
func (e *Encoder) Begin(tag string) { e.tag, e.buf = tag, e.buf[:0] }

// End writes the current section: tag, length and payload.
func (e *Encoder) End() {
	var h [12]byte
	copy(h[:4], e.tag)
	le.PutUint64(h[4:], uint64(len(e.buf)))
	e.write(h[:])
	e.write(e.buf)
}

// U32 appends x to the current section.
func (e *Encoder) U32(x uint32) { e.buf = le.AppendUint32(e.buf, x) }

// U64 appends x to the current section.
func (e *Encoder) U64(x uint64) { e.buf = le.AppendUint64(e.buf, x) }

// Str appends s as a uint32 length and its bytes.
func (e *Encoder) Str(s string) {
	e.U32(uint32(len(s)))
	e.buf = append(e.buf, s...)
}

// Column appends the n values of layout l stored in raw (n·size bytes),
// preceded by l's signature and n, to the current section.
func (e *Encoder) Column(l *Layout, n int, raw []byte) { e.column(l.sig, l, n, raw) }

// Raw appends b to the current section.
func (e *Encoder) Raw(b []byte) { e.buf = append(e.buf, b...) }

// column appends a value of signature sig: n elements of Layout l stored
// in raw.
func (e *Encoder) column(sig string, l *Layout, n int, raw []byte) {
	e.Str(sig)
	e.U64(uint64(n))
	e.buf = l.appendValues(e.buf, raw, n)
}

// Value appends v, a plain-data scalar or a slice of plain data.
func (e *Encoder) Value(v reflect.Value) error {
	t := v.Type()
	if t.Kind() == reflect.Slice {
		l, err := LayoutOf(t.Elem())
		if err != nil {
			return err
		}
		e.column("[]"+l.sig, l, v.Len(), rawBytes(v.UnsafePointer(), uintptr(v.Len())*l.size))
		return nil
	}
	l, err := LayoutOf(t)
	if err != nil {
		return err
	}
	e.column(l.sig, l, 1, rawBytes(v.Addr().UnsafePointer(), l.size))
	return nil
}

// Record appends every field of the struct v: its name, then its value.
func (e *Encoder) Record(v reflect.Value) error {
	t := v.Type()
	e.U32(uint32(t.NumField()))
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			return fmt.Errorf("field %s is unexported and cannot be checkpointed", f.Name)
		}
		e.Str(f.Name)
		if err := e.Value(v.Field(i)); err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
	}
	return nil
}

// Finish writes the checksum section and flushes.
func (e *Encoder) Finish() error {
	var sum [4]byte
	le.PutUint32(sum[:], e.crc)
	e.Begin("SUM.")
	e.buf = append(e.buf, sum[:]...)
	e.End()
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// --- Decoder ---

// Open reads a whole checkpoint from r, checking its magic string, format
// version and checksum, and returns a decoder positioned at its first
// section, with the version string of the program that wrote it. It reads
// the file into memory. Errors: [ErrNotCheckpoint], [ErrFormat],
// [ErrCorrupt], or r's.
func Open(r io.Reader) (d *Decoder, version string, err error) {
	data, err := readAll(r)
	if err != nil {
		return nil, "", err
	}
	n := len(Magic) + 8 + int(le.Uint32(data[len(Magic)+4:]))
	return &Decoder{b: data, off: n}, string(data[len(Magic)+8 : n]), nil
}

// readAll reads a whole checkpoint, checking its magic string, format
// version and checksum, and returns it without the checksum section.
func readAll(r io.Reader) ([]byte, error) {
	head := make([]byte, len(Magic)+8)
	n, err := io.ReadFull(r, head)
	if n < len(Magic) || string(head[:len(Magic)]) != Magic {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		return nil, ErrNotCheckpoint
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, Corrupt("truncated header")
		}
		return nil, err
	}
	format := le.Uint32(head[len(Magic):])
	vlen := le.Uint32(head[len(Magic)+4:])
	if vlen > 1<<10 {
		return nil, Corrupt("header: version string of %d bytes", vlen)
	}
	ver := make([]byte, vlen)
	if _, err := io.ReadFull(r, ver); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, Corrupt("truncated header")
		}
		return nil, err
	}
	if format != Format {
		return nil, &formatError{format, string(ver)}
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data := append(append(head, ver...), rest...)
	const trailer = 4 + 8 + 4
	if len(data) < len(head)+len(ver)+trailer || string(data[len(data)-trailer:][:4]) != "SUM." ||
		le.Uint64(data[len(data)-trailer+4:]) != 4 ||
		crc32.Checksum(data[:len(data)-trailer], castagnoli) != le.Uint32(data[len(data)-4:]) {
		return nil, Corrupt("checksum mismatch (the file is damaged or truncated)")
	}
	return data[:len(data)-trailer], nil
}

// Decoder reads sections and values; every error of a malformed file is
// [ErrCorrupt] (a changed component definition names both signatures).
type Decoder struct {
	b   []byte
	off int
	tag string
}

func (d *Decoder) need(n uint64) ([]byte, error) {
	if n > uint64(len(d.b)-d.off) {
		where := "checkpoint"
		if d.tag != "" {
			where = "section " + d.tag
		}
		return nil, Corrupt("%s: truncated", where)
	}
	p := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return p, nil
}

// U32 reads a uint32.
func (d *Decoder) U32() (uint32, error) {
	p, err := d.need(4)
	if err != nil {
		return 0, err
	}
	return le.Uint32(p), nil
}

// U64 reads a uint64.
func (d *Decoder) U64() (uint64, error) {
	p, err := d.need(8)
	if err != nil {
		return 0, err
	}
	return le.Uint64(p), nil
}

// Str reads a string written by [Encoder.Str].
func (d *Decoder) Str() (string, error) {
	n, err := d.U32()
	if err != nil {
		return "", err
	}
	p, err := d.need(uint64(n))
	return string(p), err
}

// Rest returns the unread bytes.
func (d *Decoder) Rest() []byte {
	p := d.b[d.off:]
	d.off = len(d.b)
	return p
}

// More reports whether anything is left to read: another section at the
// top level, more data in a section. A reader uses it for a section that a
// later version appended and an earlier one did not write.
func (d *Decoder) More() bool { return d.off < len(d.b) }

// Done checks that the section was read to its end.
func (d *Decoder) Done() error {
	if d.off != len(d.b) {
		return Corrupt("section %s: %d bytes left over", d.tag, len(d.b)-d.off)
	}
	return nil
}

// Section reads the next section, which must have the given tag, and
// returns a Decoder over its payload.
func (d *Decoder) Section(tag string) (*Decoder, error) {
	h, err := d.need(4)
	if err != nil {
		return nil, Corrupt("section %s missing", tag)
	}
	if string(h) != tag {
		return nil, Corrupt("section %q where %s was expected", h, tag)
	}
	n, err := d.U64()
	if err != nil {
		return nil, err
	}
	p, err := d.need(n)
	if err != nil {
		return nil, Corrupt("section %s: truncated", tag)
	}
	return &Decoder{b: p, tag: tag}, nil
}

// Column reads a value of exactly n elements of Layout l into raw.
func (d *Decoder) Column(l *Layout, n int, raw []byte) error {
	sig, err := d.Str()
	if err != nil {
		return err
	}
	if sig != l.sig {
		return fmt.Errorf("its definition changed since the checkpoint was written: %s there, %s here", sig, l.sig)
	}
	got, err := d.U64()
	if err != nil {
		return err
	}
	if got != uint64(n) {
		return Corrupt("%d values where %d were expected", got, n)
	}
	return d.values(l, n, raw)
}

// values reads n elements of Layout l into raw.
func (d *Decoder) values(l *Layout, n int, raw []byte) error {
	p, err := d.need(uint64(n) * uint64(l.wire))
	if err != nil {
		return err
	}
	if err := l.readValues(raw, p, n); err != nil {
		return Corrupt("%v", err)
	}
	return nil
}

// Value reads into v, a plain-data scalar or a slice of plain data. A
// slice keeps its backing array when it has the capacity.
func (d *Decoder) Value(v reflect.Value) error {
	t := v.Type()
	if t.Kind() != reflect.Slice {
		l, err := LayoutOf(t)
		if err != nil {
			return err
		}
		return d.Column(l, 1, rawBytes(v.Addr().UnsafePointer(), l.size))
	}
	l, err := LayoutOf(t.Elem())
	if err != nil {
		return err
	}
	sig, err := d.Str()
	if err != nil {
		return err
	}
	if want := "[]" + l.sig; sig != want {
		return fmt.Errorf("its definition changed since the checkpoint was written: %s there, %s here", sig, want)
	}
	n64, err := d.U64()
	if err != nil {
		return err
	}
	if (l.wire > 0 && n64 > uint64(len(d.b)-d.off)/uint64(l.wire)) || (l.wire == 0 && n64 > 1<<20) {
		return Corrupt("section %s: truncated", d.tag)
	}
	n := int(n64)
	if v.Cap() >= n {
		v.Set(v.Slice(0, n))
	} else {
		v.Set(reflect.MakeSlice(t, n, n))
	}
	return d.values(l, n, rawBytes(v.UnsafePointer(), uintptr(n)*l.size))
}

// Field reads a field that must be called name into v.
func (d *Decoder) Field(name string, v reflect.Value) error {
	got, err := d.Str()
	if err != nil {
		return err
	}
	if got != name {
		return Corrupt("section %s: field %s where %s was expected", d.tag, got, name)
	}
	if err := d.Value(v); err != nil {
		return fmt.Errorf("field %s: %w", name, err)
	}
	return nil
}

// Record reads every field of the struct v, which must be those of the
// checkpoint, in order.
func (d *Decoder) Record(v reflect.Value) error {
	t := v.Type()
	n, err := d.U32()
	if err != nil {
		return err
	}
	if int(n) != t.NumField() {
		return fmt.Errorf("%d fields in the checkpoint, %d in this bam's %s", n, t.NumField(), t)
	}
	for i := range t.NumField() {
		if err := d.Field(t.Field(i).Name, v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}
