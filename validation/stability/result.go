package stability

// Reading result documents: one decoder for the seed-stability JSON of
// validation spec §8.2 as bam stability and bam stability merge write it
// ([Document]), as the reference writes it (NaN as a bare token, other
// metadata keys, per-seed results under "seed_results") and as bam
// validate --json writes it (the summary at the top level). Decoding is
// tolerant: unknown fields are ignored and everything but the scenario, the
// pass rate and the metrics is optional. bam stability compare and bam
// stability report read every file through it.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation"
)

// Result is a decoded result document: one scenario's seed-stability
// study. Values a file does not give are NaN (floats), -1 (NPassed) or 0
// (counts); those the per-seed results determine are derived from them.
type Result struct {
	// Scenario is the scenario's name.
	Scenario string
	// SuiteName is the validation suite the file names ("suite" at the top
	// level or in the metadata; "" if none).
	SuiteName string
	// Meta is what the metadata says about the study, from whichever keys
	// its writer used.
	Meta ResultMeta
	// Summary statistics over the seeds (NaN when unknown).
	PassRate, MeanScore, StdScore, MinScore, MaxScore float64
	// NPassed is the number of passing seeds (-1 if unknown).
	NPassed int
	// NSeeds is the number of seeds run (0 if unknown).
	NSeeds int
	// NPeriods is the number of periods of each run (0 if unknown).
	NPeriods int
	// Metrics are the per-metric statistics in the file's order.
	Metrics []*MetricSummary
	// GroupNames maps a metric group to its display name.
	GroupNames map[string]string
	// Failing are the failing seeds in the file's order, or derived from
	// the per-seed results (in seed order) when the file lists none.
	Failing []FailingSeed
	// Seeds are the per-seed results in seed order; nil when the file has
	// none.
	Seeds []SeedResult
	// Members are the document's top-level members as written, in order
	// (for comparing documents byte for byte).
	Members []Member
}

// Member is one top-level member of a result document, as written.
type Member struct {
	Name  string
	Value json.RawMessage
}

// ResultMeta is the metadata of a study, whatever keys its writer used.
type ResultMeta struct {
	Commit, CommitShort, CommitDate string
	Branch, Tag, Version, GoVersion string
	Timestamp                       string
	// Suite is the validation suite the metadata names ("" if none).
	Suite string
	// Time is Timestamp parsed (zero if missing or not understood).
	Time time.Time
	// Dirty tells whether the working tree differed from the commit (nil
	// if unknown).
	Dirty *bool
	// Machine describes the machine in one line ("" if unknown).
	Machine string
	// NWorkers is the number of workers (0 if unknown).
	NWorkers int
	// Elapsed is the wall time in seconds (NaN if unknown).
	Elapsed float64
	// SeedStart is the first seed (-1 if unknown).
	SeedStart int64
	// All lists every metadata entry as key and compact text, sorted by
	// key.
	All [][2]string
}

// MetricSummary is one metric's statistics over the seeds of a study.
type MetricSummary struct {
	Name                string
	MeanValue, StdValue float64
	MeanScore, StdScore float64
	PassRate, Weight    float64
	NWarn, NFail        int // -1 if unknown
	Group               string
	// def is the definition the file carries, if any.
	def *validation.Metric
}

// Definition returns the metric's definition (check type and target) as
// the file gives it in "check" and "target" (not part of spec §8.2, read
// when a writer adds them), or nil when it gives none. The result is the
// caller's to change.
func (m *MetricSummary) Definition() *validation.Metric {
	if m.def == nil {
		return nil
	}
	d := *m.def
	return &d
}

// SeedResult is one seed's result.
type SeedResult struct {
	Seed         uint64
	Passed       bool
	Score        float64
	NotEvaluable bool
	// Metrics maps a metric name to its result (nil if the file has none).
	Metrics map[string]SeedMetric
}

// SeedMetric is one metric's result for one seed.
type SeedMetric struct {
	Value, Score float64
	Status       string // "PASS", "WARN", "FAIL" or "" if unknown
}

// FailingSeed is a failing seed and the metrics that failed.
type FailingSeed struct {
	Seed          uint64
	FailedMetrics []string
}

// ReadResult reads and decodes the result document at path ([DecodeResult]).
// Errors are one line without the path: "no such file", "not JSON: ...",
// "not a stability result: ...".
func ReadResult(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, errors.New("no such file")
		case errors.As(err, &pe):
			return nil, pe.Err
		}
		return nil, err
	}
	return DecodeResult(b)
}

// DecodeResult decodes a result document from any of the writers the
// package comment lists.
func DecodeResult(b []byte) (*Result, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("not JSON: the file is empty")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, errors.New("not a stability result: the JSON is not an object")
		}
		// The reference writes NaN as a bare token (spec §8.2): read it as
		// null.
		fixed, changed := nanToNull(b)
		if !changed || json.Unmarshal(fixed, &top) != nil {
			return nil, notJSON(err)
		}
		b = fixed
	}
	if top == nil {
		return nil, errors.New("not a stability result: the JSON is not an object")
	}
	var raw rawResult
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, shapeError(err)
	}
	if raw.Scenario == nil || *raw.Scenario == "" {
		return nil, errors.New(`not a stability result: no "scenario"`)
	}
	if len(raw.Metrics) == 0 || string(raw.Metrics) == "null" {
		return nil, errors.New(`not a stability result: no "metrics"`)
	}
	r := &Result{Scenario: *raw.Scenario, NPassed: -1, GroupNames: raw.GroupNames}
	if err := decodeOrderedObject(b, func(k string, v json.RawMessage) error {
		r.Members = append(r.Members, Member{Name: k, Value: v})
		return nil
	}); err != nil {
		return nil, notJSON(err)
	}
	var err error
	if r.Metrics, err = decodeMetrics(raw.Metrics); err != nil {
		return nil, err
	}
	seedsRaw := raw.Seeds
	if len(seedsRaw) == 0 || string(seedsRaw) == "null" {
		seedsRaw = raw.SeedResults
	}
	if len(seedsRaw) > 0 && string(seedsRaw) != "null" {
		names := make([]string, len(r.Metrics))
		for i, m := range r.Metrics {
			names[i] = m.Name
		}
		if r.Seeds, err = decodeSeeds(seedsRaw, names); err != nil {
			return nil, err
		}
	}
	r.Meta = decodeMeta(raw.Metadata)

	sum := raw.rawSummary
	if raw.Summary != nil {
		sum = mergeSummary(*raw.Summary, sum)
	}
	r.PassRate, r.MeanScore, r.StdScore = sum.PassRate.f(), sum.MeanScore.f(), sum.StdScore.f()
	r.MinScore, r.MaxScore = sum.MinScore.f(), sum.MaxScore.f()
	if sum.NPassed != nil {
		r.NPassed = *sum.NPassed
	}
	switch {
	case metaInt(raw.Metadata, "n_seeds") > 0:
		r.NSeeds = metaInt(raw.Metadata, "n_seeds")
	case sum.NSeeds != nil:
		r.NSeeds = *sum.NSeeds
	default:
		r.NSeeds = len(r.Seeds)
	}
	switch {
	case metaInt(raw.Metadata, "n_periods") > 0:
		r.NPeriods = metaInt(raw.Metadata, "n_periods")
	case raw.NPeriods != nil:
		r.NPeriods = *raw.NPeriods
	}
	if r.Meta.SeedStart < 0 && raw.SeedStart != nil {
		r.Meta.SeedStart = *raw.SeedStart
	}
	for _, f := range raw.FailingSeeds {
		r.Failing = append(r.Failing, FailingSeed{Seed: f.Seed, FailedMetrics: f.FailedMetrics})
	}
	r.fillFromSeeds(raw.FailingSeeds == nil)
	if sum.PassRate == nil && r.Seeds == nil {
		return nil, errors.New(`not a stability result: no "pass_rate" (in "summary" or at the top level)`)
	}
	r.SuiteName = raw.SuiteName
	if r.SuiteName == "" {
		r.SuiteName = r.Meta.Suite
	}
	return r, nil
}

// fillFromSeeds completes what the summary lacks from the per-seed
// results, when there are any: the pass rate, the score statistics, the
// seed count and, when deriveFailing is set (the file has no
// "failing_seeds"), the failing seeds.
func (r *Result) fillFromSeeds(deriveFailing bool) {
	if r.Seeds == nil {
		return
	}
	passed, valid := 0, 0
	var scores []float64
	for _, s := range r.Seeds {
		if s.Passed {
			passed++
		}
		if !s.NotEvaluable {
			valid++
			scores = append(scores, s.Score)
		}
		if deriveFailing && !s.Passed {
			r.Failing = append(r.Failing, FailingSeed{Seed: s.Seed, FailedMetrics: s.FailedMetrics()})
		}
	}
	if r.NPassed < 0 {
		r.NPassed = passed
	}
	if math.IsNaN(r.PassRate) && valid > 0 {
		r.PassRate = float64(passed) / float64(valid)
	}
	if math.IsNaN(r.MeanScore) && len(scores) > 0 {
		r.MeanScore, r.StdScore = stats.Mean(scores), stats.Std(scores)
		r.MinScore, r.MaxScore = stats.Min(scores), stats.Max(scores)
	}
	if r.NSeeds == 0 {
		r.NSeeds = len(r.Seeds)
	}
}

// FailedMetrics returns the names of the metrics that FAILed for s, in
// name order.
func (s *SeedResult) FailedMetrics() []string {
	var out []string
	for name, m := range s.Metrics {
		if m.Status == "FAIL" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// ValidationSuite returns the validation suite whose metric definitions
// describe the document: the one named by SuiteName or by the scenario,
// else the one that defines the most of its metric names (the smaller
// suite on a tie); nil if none defines any.
func (r *Result) ValidationSuite() *validation.Suite {
	for _, name := range []string{r.SuiteName, r.Scenario} {
		if s := SuiteByName(name); s != nil {
			return s
		}
	}
	var best *validation.Suite
	bestN := 0
	for _, s := range validation.Suites {
		n := 0
		for _, m := range r.Metrics {
			if SuiteMetric(s, m.Name) != nil {
				n++
			}
		}
		if n > bestN || (n == bestN && n > 0 && len(s.Metrics) < len(best.Metrics)) {
			best, bestN = s, n
		}
	}
	return best
}

// SuiteMetric returns the metric called name of suite s, or nil.
func SuiteMetric(s *validation.Suite, name string) *validation.Metric {
	if s == nil {
		return nil
	}
	for i := range s.Metrics {
		if s.Metrics[i].Name == name {
			return &s.Metrics[i]
		}
	}
	return nil
}

// number is a JSON number that may also be null or a string such as "NaN"
// (both NaN when null).
type number float64

// UnmarshalJSON reads a number, null (NaN) or a numeric string.
func (n *number) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		*n = number(math.NaN())
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = str
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("want a number, got %s", clip(s, 20))
	}
	*n = number(v)
	return nil
}

// f returns n as a float64, NaN for a nil pointer.
func (n *number) f() float64 {
	if n == nil {
		return math.NaN()
	}
	return float64(*n)
}

// rawSummary holds the summary fields, found in "summary" (spec §8.2) or
// at the top level (bam validate --json).
type rawSummary struct {
	NPassed   *int    `json:"n_passed"`
	NSeeds    *int    `json:"n_seeds"`
	PassRate  *number `json:"pass_rate"`
	MeanScore *number `json:"mean_score"`
	StdScore  *number `json:"std_score"`
	MinScore  *number `json:"min_score"`
	MaxScore  *number `json:"max_score"`
}

// rawResult is the top level of a result file.
type rawResult struct {
	rawSummary
	Scenario     *string                    `json:"scenario"`
	SuiteName    string                     `json:"suite"`
	Metadata     map[string]json.RawMessage `json:"metadata"`
	Summary      *rawSummary                `json:"summary"`
	NPeriods     *int                       `json:"n_periods"`
	SeedStart    *int64                     `json:"seed_start"`
	Metrics      json.RawMessage            `json:"metrics"`
	GroupNames   map[string]string          `json:"group_display_names"`
	FailingSeeds []struct {
		Seed          uint64   `json:"seed"`
		FailedMetrics []string `json:"failed_metrics"`
	} `json:"failing_seeds"`
	Seeds       json.RawMessage `json:"seeds"`
	SeedResults json.RawMessage `json:"seed_results"`
}

// rawMetric is one entry of "metrics". Check and Target, not in spec
// §8.2, are read when a writer adds them: the check type's name and the
// target block with the keys of spec §4.1.
type rawMetric struct {
	Name      string          `json:"name"`
	MeanValue *number         `json:"mean_value"`
	StdValue  *number         `json:"std_value"`
	MeanScore *number         `json:"mean_score"`
	StdScore  *number         `json:"std_score"`
	PassRate  *number         `json:"pass_rate"`
	Weight    *number         `json:"weight"`
	NWarn     *int            `json:"n_warn"`
	NFail     *int            `json:"n_fail"`
	Group     string          `json:"group"`
	Check     string          `json:"check"`
	Target    json.RawMessage `json:"target"`
}

// rawTarget is a target block (spec §4.1).
type rawTarget struct {
	Target     *number `json:"target"`
	Tolerance  *number `json:"tolerance"`
	Min        *number `json:"min"`
	Max        *number `json:"max"`
	MaxOutlier *number `json:"max_outlier"`
	Penalty    *number `json:"penalty_weight"`
	Threshold  *number `json:"threshold"`
	Invert     bool    `json:"invert"`
}

// rawSeed is one entry of "seeds" or "seed_results".
type rawSeed struct {
	Seed          *uint64         `json:"seed"`
	Passed        *bool           `json:"passed"`
	Score         *number         `json:"score"`
	TotalScore    *number         `json:"total_score"`
	NotEvaluable  bool            `json:"not_evaluable"`
	Metrics       json.RawMessage `json:"metrics"`
	MetricResults json.RawMessage `json:"metric_results"`
}

// rawSeedMetric is one metric of a seed, as an object keyed by metric
// name or as an array entry with a name.
type rawSeedMetric struct {
	Name   string  `json:"name"`
	Value  *number `json:"value"`
	Actual *number `json:"actual"`
	Score  *number `json:"score"`
	Status string  `json:"status"`
}

// mergeSummary returns s with the fields it lacks taken from top.
func mergeSummary(s, top rawSummary) rawSummary {
	if s.NPassed == nil {
		s.NPassed = top.NPassed
	}
	if s.NSeeds == nil {
		s.NSeeds = top.NSeeds
	}
	for _, p := range []struct{ dst, src **number }{
		{&s.PassRate, &top.PassRate}, {&s.MeanScore, &top.MeanScore}, {&s.StdScore, &top.StdScore},
		{&s.MinScore, &top.MinScore}, {&s.MaxScore, &top.MaxScore},
	} {
		if *p.dst == nil {
			*p.dst = *p.src
		}
	}
	return s
}

// decodeMetrics decodes "metrics": an object keyed by metric name in the
// scenario's order (spec §8.2), or an array of entries with a "name".
func decodeMetrics(b json.RawMessage) ([]*MetricSummary, error) {
	var out []*MetricSummary
	add := func(name string, m *rawMetric) {
		rm := &MetricSummary{
			Name: name, MeanValue: m.MeanValue.f(), StdValue: m.StdValue.f(),
			MeanScore: m.MeanScore.f(), StdScore: m.StdScore.f(), PassRate: m.PassRate.f(),
			Weight: m.Weight.f(), NWarn: -1, NFail: -1, Group: m.Group,
		}
		if m.NWarn != nil {
			rm.NWarn = *m.NWarn
		}
		if m.NFail != nil {
			rm.NFail = *m.NFail
		}
		rm.def = targetFromFile(m)
		out = append(out, rm)
	}
	switch firstByte(b) {
	case '{':
		err := decodeOrderedObject(b, func(key string, v json.RawMessage) error {
			var m rawMetric
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("metric %q: %w", key, err)
			}
			add(key, &m)
			return nil
		})
		if err != nil {
			return nil, shapeError(err)
		}
	case '[':
		var ms []rawMetric
		if err := json.Unmarshal(b, &ms); err != nil {
			return nil, shapeError(fmt.Errorf("metrics: %w", err))
		}
		for i := range ms {
			if ms[i].Name == "" {
				return nil, fmt.Errorf(`not a stability result: metric %d has no "name"`, i+1)
			}
			add(ms[i].Name, &ms[i])
		}
	default:
		return nil, errors.New(`not a stability result: "metrics" is neither an object nor an array`)
	}
	return out, nil
}

// targetFromFile returns the metric definition a metric entry carries in
// "check" and "target", or nil if it has none (or one not understood).
func targetFromFile(m *rawMetric) *validation.Metric {
	if m.Check == "" || firstByte(m.Target) != '{' {
		return nil
	}
	var t rawTarget
	if json.Unmarshal(m.Target, &t) != nil {
		return nil
	}
	def := &validation.Metric{Name: m.Name, Weight: m.Weight.f(), Group: validation.Group(m.Group)}
	opt := func(p *number) (float64, bool) {
		v := p.f()
		return v, !math.IsNaN(v)
	}
	var ok1, ok2 bool
	tg := &def.Target
	switch strings.ToUpper(m.Check) {
	case "MEAN_TOLERANCE":
		def.Check = validation.MeanTolerance
		tg.Target, ok1 = opt(t.Target)
		tg.Tolerance, ok2 = opt(t.Tolerance)
		tg.Min, tg.HardMin = opt(t.Min)
		tg.Max, tg.HardMax = opt(t.Max)
	case "RANGE":
		def.Check = validation.Range
		tg.Min, ok1 = opt(t.Min)
		tg.Max, ok2 = opt(t.Max)
	case "PCT_WITHIN":
		def.Check = validation.PctWithin
		tg.Target, ok1 = opt(t.Target)
		tg.Min, ok2 = opt(t.Min)
	case "OUTLIER":
		def.Check = validation.Outlier
		tg.MaxOutlier, ok1 = opt(t.MaxOutlier)
		tg.Penalty, _ = opt(t.Penalty)
		ok2 = true
	case "BOOLEAN":
		def.Check = validation.Boolean
		tg.Threshold, ok1 = opt(t.Threshold)
		tg.Invert, ok2 = t.Invert, true
	default:
		return nil
	}
	if !ok1 || !ok2 {
		return nil
	}
	if math.IsNaN(tg.Penalty) {
		tg.Penalty = 0
	}
	return def
}

// decodeSeeds decodes the per-seed results; names are the file's metric
// names in order, which name the metrics of a seed given as an array.
func decodeSeeds(b json.RawMessage, names []string) ([]SeedResult, error) {
	var raws []rawSeed
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, shapeError(fmt.Errorf("seeds: %w", err))
	}
	seeds := make([]SeedResult, 0, len(raws))
	for i, rs := range raws {
		if rs.Seed == nil {
			return nil, fmt.Errorf(`not a stability result: seeds entry %d has no "seed"`, i+1)
		}
		s := SeedResult{Seed: *rs.Seed, NotEvaluable: rs.NotEvaluable, Score: rs.Score.f()}
		if rs.Score == nil {
			s.Score = rs.TotalScore.f()
		}
		mb := rs.Metrics
		if len(mb) == 0 || string(mb) == "null" {
			mb = rs.MetricResults
		}
		if len(mb) > 0 && string(mb) != "null" {
			var err error
			if s.Metrics, err = decodeSeedMetrics(mb, names); err != nil {
				return nil, fmt.Errorf("not a stability result: seed %d: %w", s.Seed, err)
			}
		}
		switch {
		case rs.Passed != nil:
			s.Passed = *rs.Passed
		default:
			s.Passed = !s.NotEvaluable && len(s.FailedMetrics()) == 0
		}
		seeds = append(seeds, s)
	}
	slices.SortStableFunc(seeds, func(a, b SeedResult) int {
		switch {
		case a.Seed < b.Seed:
			return -1
		case a.Seed > b.Seed:
			return 1
		}
		return 0
	})
	return seeds, nil
}

// decodeSeedMetrics decodes one seed's metrics: an object keyed by metric
// name or an array in the order of names (the file's metrics). A metric
// is an object with value (or actual), status and score, an array
// [value, "STATUS", score] (the journal's form), or a bare value; array
// entries that are objects may carry their own name.
func decodeSeedMetrics(b json.RawMessage, names []string) (map[string]SeedMetric, error) {
	out := map[string]SeedMetric{}
	one := func(v json.RawMessage) (name string, sm SeedMetric, err error) {
		switch firstByte(v) {
		case '{':
			var m rawSeedMetric
			if err := json.Unmarshal(v, &m); err != nil {
				return "", sm, err
			}
			val := m.Value
			if val == nil {
				val = m.Actual
			}
			return m.Name, SeedMetric{Value: val.f(), Score: m.Score.f(), Status: strings.ToUpper(m.Status)}, nil
		case '[':
			var a []json.RawMessage
			if err := json.Unmarshal(v, &a); err != nil {
				return "", sm, err
			}
			if len(a) == 0 || len(a) > 3 {
				return "", sm, errors.New("want [value, status, score]")
			}
			sm = SeedMetric{Score: math.NaN()}
			var val number
			if err := json.Unmarshal(a[0], &val); err != nil {
				return "", sm, err
			}
			sm.Value = float64(val)
			if len(a) > 1 {
				if err := json.Unmarshal(a[1], &sm.Status); err != nil {
					return "", sm, err
				}
				sm.Status = strings.ToUpper(sm.Status)
			}
			if len(a) > 2 {
				var sc number
				if err := json.Unmarshal(a[2], &sc); err != nil {
					return "", sm, err
				}
				sm.Score = float64(sc)
			}
			return "", sm, nil
		}
		var val number
		if err := json.Unmarshal(v, &val); err != nil {
			return "", sm, err
		}
		return "", SeedMetric{Value: float64(val), Score: math.NaN()}, nil
	}
	switch firstByte(b) {
	case '{':
		err := decodeOrderedObject(b, func(key string, v json.RawMessage) error {
			_, sm, err := one(v)
			if err != nil {
				return fmt.Errorf("metric %q: %w", key, err)
			}
			out[key] = sm
			return nil
		})
		if err != nil {
			return nil, err
		}
	case '[':
		var a []json.RawMessage
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, err
		}
		for i, v := range a {
			name, sm, err := one(v)
			if err != nil {
				return nil, fmt.Errorf("metric %d: %w", i+1, err)
			}
			if name == "" && i < len(names) {
				name = names[i]
			}
			if name != "" {
				out[name] = sm
			}
		}
	default:
		return nil, errors.New("metrics are neither an object nor an array")
	}
	return out, nil
}

// decodeOrderedObject calls f for each member of the JSON object b, in
// the document's order; b must be one object.
func decodeOrderedObject(b []byte, f func(key string, v json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return errors.New("not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if err := f(key, v); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

// decodeMeta extracts what the report shows from the metadata object,
// whose keys differ between writers.
func decodeMeta(md map[string]json.RawMessage) ResultMeta {
	m := ResultMeta{Elapsed: math.NaN(), SeedStart: -1}
	m.Commit = metaStr(md, "commit", "git_commit")
	m.CommitShort = metaStr(md, "commit_short")
	if m.CommitShort == "" && m.Commit != "" {
		m.CommitShort = m.Commit[:min(len(m.Commit), 8)]
	}
	m.CommitDate = metaStr(md, "commit_date")
	m.Branch = metaStr(md, "branch")
	m.Tag = metaStr(md, "tag")
	m.Version = metaStr(md, "version", "bam_version", "program_version")
	if p := metaStr(md, "program"); p != "" && !strings.HasPrefix(m.Version, p) {
		m.Version = strings.TrimSpace(p + " " + m.Version)
	}
	m.Suite = metaStr(md, "suite")
	m.GoVersion = metaStr(md, "go_version", "go")
	m.Timestamp = metaStr(md, "timestamp", "finished_at", "started_at", "date")
	m.Time = parseTime(m.Timestamp)
	for _, k := range []string{"dirty", "git_dirty", "commit_dirty"} {
		var d bool
		if v, ok := md[k]; ok && json.Unmarshal(v, &d) == nil {
			m.Dirty = &d
			break
		}
	}
	m.Machine = describeMachine(md)
	m.NWorkers = metaInt(md, "n_workers", "workers")
	// The "timings" object first: bam writes elapsed_seconds in whole
	// seconds (spec §8.2) and the wall time to the nanosecond there.
	var timings map[string]json.RawMessage
	if v, ok := md["timings"]; ok && json.Unmarshal(v, &timings) == nil {
		for _, k := range []string{"wall_seconds", "elapsed_seconds", "total_seconds", "wall", "total"} {
			var n number
			if v, ok := timings[k]; ok && json.Unmarshal(v, &n) == nil && !math.IsNaN(float64(n)) {
				m.Elapsed = float64(n)
				break
			}
		}
	}
	if math.IsNaN(m.Elapsed) {
		for _, k := range []string{"elapsed_seconds", "wall_seconds", "elapsed_s", "elapsed"} {
			var n number
			if v, ok := md[k]; ok && json.Unmarshal(v, &n) == nil && !math.IsNaN(float64(n)) {
				m.Elapsed = float64(n)
				break
			}
		}
	}
	for _, k := range []string{"seed_start", "first_seed"} {
		var s int64
		if v, ok := md[k]; ok && json.Unmarshal(v, &s) == nil {
			m.SeedStart = s
			break
		}
	}
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.All = append(m.All, [2]string{k, compactJSON(md[k])})
	}
	return m
}

// describeMachine returns the "machine" entry in one line: a string as it
// is, an object as its CPU, cores, OS/architecture and host name.
func describeMachine(md map[string]json.RawMessage) string {
	v, ok := md["machine"]
	if !ok {
		return metaStr(md, "hostname", "host", "cpu")
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil {
		return compactJSON(v)
	}
	var parts []string
	if h := metaStr(obj, "hostname", "host"); h != "" {
		parts = append(parts, h)
	}
	if c := metaStr(obj, "cpu", "cpu_model", "model"); c != "" {
		parts = append(parts, c)
	}
	if n := metaInt(obj, "cores", "num_cpu", "cpus", "n_cpu"); n > 0 {
		parts = append(parts, strconv.Itoa(n)+" cores")
	}
	osName, arch := metaStr(obj, "os", "goos"), metaStr(obj, "arch", "goarch")
	switch {
	case osName != "" && arch != "":
		parts = append(parts, osName+"/"+arch)
	case osName != "":
		parts = append(parts, osName)
	}
	if len(parts) == 0 {
		return compactJSON(v)
	}
	return strings.Join(parts, ", ")
}

// metaStr returns the first of keys of md that holds a non-empty string.
func metaStr(md map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		var s string
		if v, ok := md[k]; ok && json.Unmarshal(v, &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

// metaInt returns the first of keys of md that holds an integer, 0 if
// none does.
func metaInt(md map[string]json.RawMessage, keys ...string) int {
	for _, k := range keys {
		var n int
		if v, ok := md[k]; ok && json.Unmarshal(v, &n) == nil {
			return n
		}
	}
	return 0
}

// compactJSON returns v as compact one-line text: a string without its
// quotes, anything else as compact JSON.
func compactJSON(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

// timeLayouts are the timestamp layouts understood, the spec's
// first.
var timeLayouts = []string{
	"2006-01-02T15:04:05", time.RFC3339Nano, time.RFC3339, "20060102T150405", "2006-01-02 15:04:05", "2006-01-02",
}

// parseTime parses a metadata timestamp (UTC when it has no zone).
func parseTime(s string) time.Time {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// nanToNull replaces the bare tokens NaN, Infinity and -Infinity outside
// strings of the JSON text b by null; changed tells whether there were
// any.
func nanToNull(b []byte) (out []byte, changed bool) {
	out = make([]byte, 0, len(b))
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
			out = append(out, c)
			continue
		}
		matched := false
		for _, tok := range []string{"NaN", "-Infinity", "Infinity"} {
			if bytes.HasPrefix(b[i:], []byte(tok)) {
				out = append(out, "null"...)
				i += len(tok) - 1
				changed, matched = true, true
				break
			}
		}
		if !matched {
			out = append(out, c)
		}
	}
	return out, changed
}

// firstByte returns the first non-space byte of b, 0 if none.
func firstByte(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// notJSON describes a JSON syntax error in one line.
func notJSON(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("not JSON: %v (at byte %d)", se, se.Offset)
	}
	return fmt.Errorf("not JSON: %v", err)
}

// shapeError describes a JSON value of the wrong type in one line.
func shapeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "a value"
		} else {
			field = strconv.Quote(field)
		}
		return fmt.Errorf("not a stability result: %s is a JSON %s, want %s", field, te.Value, goTypeName(te.Type.String()))
	}
	return fmt.Errorf("not a stability result: %v", err)
}

// goTypeName names a Go type of the decoding structs in JSON terms.
func goTypeName(t string) string {
	t = strings.TrimPrefix(t, "*")
	switch {
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "map["), strings.Contains(t, ".raw"), strings.HasPrefix(t, "struct"):
		return "an object"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "uint"):
		return "an integer ≥ 0"
	case strings.HasPrefix(t, "int"):
		return "an integer"
	case strings.HasSuffix(t, ".number"), t == "float64":
		return "a number"
	}
	return t
}

// clip shortens s to at most n bytes, marking a cut with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
