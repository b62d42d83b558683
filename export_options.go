package bam

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// ExportOption changes what a writer of collected data or of the economy
// series writes: [WithMetadata], [WithIDColumns].
type ExportOption func(*exportConfig)

// exportConfig is what the options set.
type exportConfig struct {
	meta []KeyValue
	ids  []IDColumn
}

func newExportConfig(opts []ExportOption) *exportConfig {
	cfg := &exportConfig{}
	for _, o := range opts {
		o(cfg)
	}
	return cfg
}

// KeyValue is one entry of a Parquet file's key-value metadata.
type KeyValue struct {
	Key, Value string
}

// WithMetadata adds key-value metadata to a Parquet file, after the
// writer's own entries; a key the writer sets too takes the value given
// here. CSV writers ignore it. Package results passes the run's
// provenance (results.Metadata: scenario, seed, population, every
// parameter, program version and commit).
func WithMetadata(kv ...KeyValue) ExportOption {
	return func(c *exportConfig) { c.meta = append(c.meta, kv...) }
}

// IDColumn is a column with the same value in every row of a table: what
// tells the rows of several runs apart once their tables are
// concatenated, such as the seed or a swept parameter.
type IDColumn struct {
	// Name is the column's name: lower-case letters, digits and
	// underscores, starting with a letter.
	Name string
	// Value is an int64 (Parquet INT64), a float64 (DOUBLE, nullable), a
	// string (STRING) or nil: a null DOUBLE, for an optional parameter
	// that is absent (an empty CSV field).
	Value any
}

// Text returns the value as a CSV field: integers in decimal, floats in
// shortest round-trip form, a string quoted if it holds a comma, a quote,
// a line break or surrounding spaces, nil as the empty field.
func (c IDColumn) Text() string {
	switch v := c.Value.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return csvField(v)
	}
	return ""
}

// csvField quotes s as RFC 4180 needs it.
func csvField(s string) string {
	if s == "" || !strings.ContainsAny(s, ",\"\r\n") && strings.TrimSpace(s) == s {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// ErrBadIDColumn reports an [IDColumn] with a malformed name, a value of
// another type, or a name that a table's own columns already have.
var ErrBadIDColumn = errors.New("bad id column")

// WithIDColumns writes the columns cols, in that order, first in every
// table: before period (and before the other columns of a long or wide
// table, and of the economy series). A name that the table has already, or
// that is repeated, makes the writer fail with [ErrBadIDColumn].
func WithIDColumns(cols ...IDColumn) ExportOption {
	return func(c *exportConfig) { c.ids = append(c.ids, cols...) }
}

// checkIDColumns checks the id columns against the table's own column
// names.
func (cfg *exportConfig) checkIDColumns(own []string) error {
	seen := map[string]bool{}
	for _, n := range own {
		seen[n] = true
	}
	for _, c := range cfg.ids {
		if !safeIdent(c.Name) {
			return fmt.Errorf("%w %q: want lower-case letters, digits and underscores, starting with a letter", ErrBadIDColumn, c.Name)
		}
		switch c.Value.(type) {
		case int64, float64, string, nil:
		default:
			return fmt.Errorf("%w %s: value of type %T; want int64, float64, string or nil", ErrBadIDColumn, c.Name, c.Value)
		}
		if seen[c.Name] {
			return fmt.Errorf("%w %s: the table has a column of that name already", ErrBadIDColumn, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// safeIdent reports whether s is a safe column name: [a-z][a-z0-9_]*.
func safeIdent(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// appendIDFields appends the id columns' CSV fields, each followed by a
// comma.
func (cfg *exportConfig) appendIDFields(b []byte) []byte {
	for _, c := range cfg.ids {
		b = append(b, c.Text()...)
		b = append(b, ',')
	}
	return b
}

// appendIDHeader appends the id columns' names, each followed by a comma.
func (cfg *exportConfig) appendIDHeader(b []byte) []byte {
	for _, c := range cfg.ids {
		b = append(b, c.Name...)
		b = append(b, ',')
	}
	return b
}

// idParquetColumns returns the id columns' Parquet columns and their
// values.
func (cfg *exportConfig) idParquetColumns() ([]parquetColumn, []parquet.Value) {
	cols := make([]parquetColumn, len(cfg.ids))
	vals := make([]parquet.Value, len(cfg.ids))
	for j, c := range cfg.ids {
		switch v := c.Value.(type) {
		case int64:
			cols[j] = parquetColumn{name: c.Name, kind: colInt64}
			vals[j] = parquet.Int64Value(v)
		case float64:
			cols[j] = parquetColumn{name: c.Name, kind: colDouble, optional: true}
			vals[j] = parquet.DoubleValue(v)
		case string:
			cols[j] = parquetColumn{name: c.Name, kind: colString, dict: true}
			vals[j] = parquet.ByteArrayValue([]byte(v))
		default:
			cols[j] = parquetColumn{name: c.Name, kind: colDouble, optional: true}
			vals[j] = parquet.NullValue()
		}
	}
	return cols, vals
}

// mergeMetadata returns own followed by extra, an entry of extra replacing
// the entry of own with its key.
func mergeMetadata(own, extra []KeyValue) []KeyValue {
	out := append([]KeyValue(nil), own...)
	for _, kv := range extra {
		replaced := false
		for i := range out {
			if out[i].Key == kv.Key {
				out[i].Value, replaced = kv.Value, true
				break
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	return out
}
