package stability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/bam-abm/bam/validation"
)

// Float is a float64 written in shortest round-trip form, so that reading
// it back gives the same bits. In a journal NaN and ±Inf, which JSON has no
// numbers for, are written as the strings "NaN", "+Inf" and "-Inf"; in the
// result document (see [Document]) as null.
type Float float64

// MarshalJSON writes f as a number, or as a string when it is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	return appendJournalFloat(nil, float64(f)), nil
}

// UnmarshalJSON reads a number, one of the strings "NaN", "+Inf", "-Inf",
// or null (NaN).
func (f *Float) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = Float(math.NaN())
		case "+Inf", "Inf":
			*f = Float(math.Inf(1))
		case "-Inf":
			*f = Float(math.Inf(-1))
		default:
			return fmt.Errorf("%q is not a number", s)
		}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", b)
	}
	*f = Float(v)
	return nil
}

// appendJournalFloat appends v in shortest round-trip form, or "NaN",
// "+Inf", "-Inf" as JSON strings.
func appendJournalFloat(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Inf"`...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendDocFloat appends v in shortest round-trip form, or null when it is
// not finite (the result document is strict JSON).
func appendDocFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// MetricRecord is one metric's result for one seed.
type MetricRecord struct {
	Value  float64
	Status validation.Status
	Score  float64
}

// MarshalJSON writes the metric as the array [value, "STATUS", score].
func (m MetricRecord) MarshalJSON() ([]byte, error) {
	b := append([]byte{'['}, appendJournalFloat(nil, m.Value)...)
	b = append(b, ",\""...)
	b = append(b, m.Status.String()...)
	b = append(b, "\","...)
	b = appendJournalFloat(b, m.Score)
	return append(b, ']'), nil
}

// UnmarshalJSON reads [value, "STATUS", score].
func (m *MetricRecord) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if len(a) != 3 {
		return fmt.Errorf("metric result %s: want [value, status, score]", b)
	}
	var v, s Float
	var st string
	if err := json.Unmarshal(a[0], &v); err != nil {
		return err
	}
	if err := json.Unmarshal(a[1], &st); err != nil {
		return err
	}
	if err := json.Unmarshal(a[2], &s); err != nil {
		return err
	}
	status, err := ParseStatus(st)
	if err != nil {
		return err
	}
	*m = MetricRecord{Value: float64(v), Status: status, Score: float64(s)}
	return nil
}

// ParseStatus is the inverse of validation.Status.String: "PASS", "WARN"
// or "FAIL".
func ParseStatus(s string) (validation.Status, error) {
	for _, st := range []validation.Status{validation.Pass, validation.Warn, validation.Fail} {
		if st.String() == s {
			return st, nil
		}
	}
	return 0, fmt.Errorf("status %q: want PASS, WARN or FAIL", s)
}

// Record is one seed's validation result as journaled: everything the
// result document needs, in a form that reads back bit for bit.
type Record struct {
	// Seed is the seed.
	Seed uint64
	// Passed is true when no metric FAILed.
	Passed bool
	// Score is the total score (NaN for a non-evaluable buffer-stock seed).
	Score float64
	// NotEvaluable marks a buffer-stock seed whose Growth+ run collapsed
	// (spec §7.1).
	NotEvaluable bool
	// Periods is the number of periods run; Collapsed reports a collapse.
	Periods   int
	Collapsed bool
	// NPass, NWarn and NFail count the statuses.
	NPass, NWarn, NFail int
	// Metrics holds one entry per metric of the suite, in suite order
	// (none for a non-evaluable seed).
	Metrics []MetricRecord
	// Deltas are, for buffer_stock, the Growth+ metric score changes (spec
	// §7.1 step 5), in Growth+ metric order.
	Deltas []float64
	// Seconds is the wall time the seed took on its worker (metadata only:
	// it never enters the result document's results).
	Seconds float64
}

// recordJSON is the journal form of a Record.
type recordJSON struct {
	Seed         uint64         `json:"seed"`
	Passed       bool           `json:"passed"`
	Score        Float          `json:"score"`
	NotEvaluable bool           `json:"not_evaluable,omitempty"`
	Periods      int            `json:"periods"`
	Collapsed    bool           `json:"collapsed,omitempty"`
	Counts       [3]int         `json:"counts"`
	Metrics      []MetricRecord `json:"metrics"`
	Deltas       []Float        `json:"deltas,omitempty"`
	Seconds      Float          `json:"seconds"`
}

// MarshalJSON writes the record as one compact JSON object.
func (r Record) MarshalJSON() ([]byte, error) {
	j := recordJSON{
		Seed: r.Seed, Passed: r.Passed, Score: Float(r.Score), NotEvaluable: r.NotEvaluable,
		Periods: r.Periods, Collapsed: r.Collapsed, Counts: [3]int{r.NPass, r.NWarn, r.NFail},
		Metrics: r.Metrics, Seconds: Float(r.Seconds),
	}
	if j.Metrics == nil {
		j.Metrics = []MetricRecord{}
	}
	for _, d := range r.Deltas {
		j.Deltas = append(j.Deltas, Float(d))
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a record written by MarshalJSON.
func (r *Record) UnmarshalJSON(b []byte) error {
	var j recordJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Record{
		Seed: j.Seed, Passed: j.Passed, Score: float64(j.Score), NotEvaluable: j.NotEvaluable,
		Periods: j.Periods, Collapsed: j.Collapsed, NPass: j.Counts[0], NWarn: j.Counts[1], NFail: j.Counts[2],
		Metrics: j.Metrics, Seconds: float64(j.Seconds),
	}
	for _, d := range j.Deltas {
		r.Deltas = append(r.Deltas, float64(d))
	}
	return nil
}

// NewRecord returns the record of a validation result that took secs
// seconds.
func NewRecord(r *validation.Result, secs float64) Record {
	rec := Record{
		Seed: r.Seed, Passed: r.Passed, Score: r.TotalScore, NotEvaluable: r.NotEvaluable,
		Periods: r.Periods, Collapsed: r.Collapsed, NPass: r.NPass, NWarn: r.NWarn, NFail: r.NFail,
		Deltas: r.Deltas, Seconds: secs,
	}
	for _, m := range r.Results {
		rec.Metrics = append(rec.Metrics, MetricRecord{Value: m.Actual, Status: m.Status, Score: m.Score})
	}
	return rec
}

// Result rebuilds the validation result of the record for suite (its
// quantities are not kept). It fails when the record does not fit the
// suite.
func (r *Record) Result(suite *validation.Suite, burnIn int) (*validation.Result, error) {
	if !r.NotEvaluable && len(r.Metrics) != len(suite.Metrics) {
		return nil, fmt.Errorf("seed %d has %d metric results, suite %s has %d metrics",
			r.Seed, len(r.Metrics), suite.Name, len(suite.Metrics))
	}
	res := &validation.Result{
		Seed: r.Seed, Periods: r.Periods, Collapsed: r.Collapsed, BurnIn: burnIn,
		NotEvaluable: r.NotEvaluable, Deltas: r.Deltas,
		Score: validation.Score{
			TotalScore: r.Score, NPass: r.NPass, NWarn: r.NWarn, NFail: r.NFail, Passed: r.Passed,
		},
	}
	if len(r.Metrics) > 0 {
		res.Results = make([]validation.MetricResult, len(r.Metrics))
		for i, m := range r.Metrics {
			d := &suite.Metrics[i]
			res.Results[i] = validation.MetricResult{
				Name: d.Name, Quantity: d.Quantity, Status: m.Status, Actual: m.Value, Score: m.Score,
				Weight: d.Weight, Group: d.Group,
			}
		}
	}
	return res, nil
}
