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

// resultNames returns the two files of a phase's result, named after the
// phase: PHASE.json, the result's JSON object with the format tag
// "bam-calibrate-PHASE/1" as its first key, and PHASE.txt, its report
// (MorrisJSON, MorrisText, ...).
func resultNames(phase string) (jsonName, textName, format string) {
	return phase + ".json", phase + ".txt", "bam-calibrate-" + phase + "/1"
}

// writeResult writes the result of phase into dir, each file (see
// resultNames) atomically.
func writeResult(dir, phase string, result any, report func(io.Writer) error) error {
	jsonName, textName, format := resultNames(phase)
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
func readResult(dir, phase string, result any) error {
	jsonName, _, format := resultNames(phase)
	what := "bam calibrate " + phase + " result"
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
