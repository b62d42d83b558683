package checkpoint_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/bam-abm/bam/internal/checkpoint"
)

type rec struct {
	N  int32
	Xs []float64
	On bool
}

// write encodes a file with one raw section and one record section.
func write(t *testing.T, version string, r *rec) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := checkpoint.NewEncoder(&buf)
	e.Header(version)
	e.Begin("META")
	e.Raw([]byte(`{"a":1}`))
	e.End()
	e.Begin("DATA")
	e.Str("rec")
	if err := e.Record(reflect.ValueOf(r).Elem()); err != nil {
		t.Fatal(err)
	}
	e.End()
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	in := rec{N: -7, Xs: []float64{1.5, -2, 3e300}, On: true}
	data := write(t, "v1.2.3", &in)
	d, version, err := checkpoint.Open(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if version != "v1.2.3" {
		t.Errorf("version %q", version)
	}
	meta, err := d.Section("META")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(meta.Rest()); got != `{"a":1}` {
		t.Errorf("META %q", got)
	}
	sd, err := d.Section("DATA")
	if err != nil {
		t.Fatal(err)
	}
	if name, err := sd.Str(); err != nil || name != "rec" {
		t.Fatalf("name %q, %v", name, err)
	}
	var out rec
	if err := sd.Record(reflect.ValueOf(&out).Elem()); err != nil {
		t.Fatal(err)
	}
	if err := sd.Done(); err != nil {
		t.Error(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip %+v, want %+v", out, in)
	}
	if _, err := d.Section("MORE"); !errors.Is(err, checkpoint.ErrCorrupt) {
		t.Errorf("reading past the last section: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	good := write(t, "v1", &rec{N: 1})
	otherFormat := bytes.Clone(good)
	otherFormat[len(checkpoint.Magic)] = 9
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, checkpoint.ErrNotCheckpoint, ""},
		{"not a checkpoint", []byte("timestamp,price\n1,2\n"), checkpoint.ErrNotCheckpoint, ""},
		{"truncated header", good[:len(checkpoint.Magic)+3], checkpoint.ErrCorrupt, "truncated header"},
		{"other format", otherFormat, checkpoint.ErrFormat, "checkpoint format 9 (written by bam v1)"},
		{"flipped bit", flipped, checkpoint.ErrCorrupt, "checksum"},
		{"truncated", good[:len(good)-5], checkpoint.ErrCorrupt, "checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := checkpoint.Open(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Open: %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
}

func TestChangedDefinition(t *testing.T) {
	data := write(t, "v1", &rec{N: 3})
	d, _, err := checkpoint.Open(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Section("META"); err != nil {
		t.Fatal(err)
	}
	sd, err := d.Section("DATA")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sd.Str(); err != nil {
		t.Fatal(err)
	}
	var other struct {
		N  int64 // was int32
		Xs []float64
		On bool
	}
	err = sd.Record(reflect.ValueOf(&other).Elem())
	if err == nil || !strings.Contains(err.Error(), "definition changed") || !strings.Contains(err.Error(), "i32 there, i64 here") {
		t.Errorf("changed field type: %v", err)
	}
}

func TestTypeName(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[rec](), "github.com/bam-abm/bam/internal/checkpoint_test.rec"},
		{reflect.TypeFor[*rec](), "*github.com/bam-abm/bam/internal/checkpoint_test.rec"},
		{reflect.TypeFor[[]int](), "[]int"},
		{nil, "<nil>"},
	}
	for _, tt := range tests {
		if got := checkpoint.TypeName(tt.typ); got != tt.want {
			t.Errorf("TypeName(%v) = %q, want %q", tt.typ, got, tt.want)
		}
	}
}
