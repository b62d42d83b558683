package calibration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/validation/stability"
)

// writeResult writes a phase's result into dir, each file atomically:
// jsonName, the result's JSON object with its format tag as the first key,
// and textName, its report.
func writeResult(dir, jsonName, textName, format string, result any, report func(io.Writer) error) error {
	body, err := json.Marshal(result)
	if err != nil || len(body) < 2 || body[0] != '{' {
		return fmt.Errorf("calibrate: %s: %v", jsonName, err)
	}
	tag, _ := json.Marshal(format)
	doc := []byte(`{"format":` + string(tag))
	if len(body) > 2 {
		doc = append(doc, ',')
	}
	doc = append(doc, body[1:]...)
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		return fmt.Errorf("calibrate: %s: %w", jsonName, err)
	}
	b.WriteByte('\n')
	if err := stability.WriteFileAtomic(filepath.Join(dir, jsonName), b.Bytes()); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	var t strings.Builder
	if err := report(&t); err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, textName), []byte(t.String())); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	return nil
}

// readResult reads a phase's result written by writeResult into result;
// a file of another format is an error of the class
// experiments.ErrUnusable.
func readResult(dir, jsonName, format, what string, result any) error {
	path := filepath.Join(dir, jsonName)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var tag struct {
		Format string `json:"format"`
	}
	if json.Unmarshal(b, &tag) != nil || tag.Format != format || json.Unmarshal(b, result) != nil {
		return &resultError{path: path, what: what, format: format}
	}
	return nil
}

// resultError is a result file of another kind (or damaged); it is of the
// class experiments.ErrUnusable.
type resultError struct{ path, what, format string }

func (e *resultError) Error() string {
	return fmt.Sprintf("%s is not a %s (format %s)", e.path, e.what, e.format)
}

// Unwrap makes a *resultError an experiments.ErrUnusable.
func (e *resultError) Unwrap() error { return experiments.ErrUnusable }
