package stability

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bam-abm/bam/validation"
)

// DocFloat is a float of the JSON documents (the result document and bam
// validate --json): shortest round-trip form, null when it is NaN or
// infinite (JSON has no such numbers); null reads back as NaN.
type DocFloat float64

// MarshalJSON writes f, or null when it is not finite.
func (f DocFloat) MarshalJSON() ([]byte, error) { return appendDocFloat(nil, float64(f)), nil }

// UnmarshalJSON reads a number or null (NaN).
func (f *DocFloat) UnmarshalJSON(b []byte) error {
	var n number
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = DocFloat(n)
	return nil
}

// ValidateDocument is the document of bam validate --json: the spec §8.2
// summary fields at the top level, the per-metric statistics keyed by name
// (with their WARN and FAIL counts), the failing seeds and every seed's
// result. It holds nothing that depends on the machine, the time or the
// number of workers. [ReadResult] reads it as a result document too.
type ValidateDocument struct {
	Scenario      string               `json:"scenario"`
	Suite         string               `json:"suite"`
	NSeeds        int                  `json:"n_seeds"`
	NValid        int                  `json:"n_valid"`
	NPassed       int                  `json:"n_passed"`
	SeedStart     uint64               `json:"seed_start"`
	NPeriods      int                  `json:"n_periods"`
	BurnIn        int                  `json:"burn_in"`
	NFirms        int                  `json:"n_firms"`
	NHouseholds   int                  `json:"n_households"`
	NBanks        int                  `json:"n_banks"`
	PassRate      DocFloat             `json:"pass_rate"`
	MeanScore     DocFloat             `json:"mean_score"`
	StdScore      DocFloat             `json:"std_score"`
	MinScore      DocFloat             `json:"min_score"`
	MaxScore      DocFloat             `json:"max_score"`
	IsStable      bool                 `json:"is_stable"`
	CombinedScore DocFloat             `json:"combined_score"`
	Gate          DocFloat             `json:"gate"`
	GatePassed    bool                 `json:"gate_passed"`
	Metrics       MetricStatsObject    `json:"metrics"`
	GroupNames    map[string]string    `json:"group_display_names"`
	FailingSeeds  []DocFailingSeed     `json:"failing_seeds"`
	Degraded      []string             `json:"degraded_metrics,omitempty"`
	Deltas        []DocDelta           `json:"growth_plus_deltas,omitempty"`
	SeedResults   []ValidateSeedResult `json:"seed_results"`
}

// DocFailingSeed is an entry of "failing_seeds".
type DocFailingSeed struct {
	Seed          uint64   `json:"seed"`
	FailedMetrics []string `json:"failed_metrics"`
}

// DocDelta is an entry of "growth_plus_deltas".
type DocDelta struct {
	Name      string   `json:"name"`
	MeanDelta DocFloat `json:"mean_delta"`
	Status    string   `json:"status"`
}

// ValidateSeedResult is an entry of "seed_results".
type ValidateSeedResult struct {
	Seed          uint64                 `json:"seed"`
	Passed        bool                   `json:"passed"`
	TotalScore    DocFloat               `json:"total_score"`
	NPass         int                    `json:"n_pass"`
	NWarn         int                    `json:"n_warn"`
	NFail         int                    `json:"n_fail"`
	Periods       int                    `json:"periods"`
	Collapsed     bool                   `json:"collapsed"`
	NotEvaluable  bool                   `json:"not_evaluable,omitempty"`
	MetricResults []ValidateMetricResult `json:"metric_results"`
}

// ValidateMetricResult is one metric of a seed's "metric_results".
type ValidateMetricResult struct {
	Name   string   `json:"name"`
	Status string   `json:"status"`
	Actual DocFloat `json:"actual"`
	Score  DocFloat `json:"score"`
	Weight DocFloat `json:"weight"`
	Group  string   `json:"group"`
}

// ValidateInfo is what a validate document says of the run beside its
// statistics.
type ValidateInfo struct {
	Scenario, Suite             string
	SeedStart                   uint64
	NPeriods, BurnIn            int
	NFirms, NHouseholds, NBanks int
	Gate                        float64
}

// NewValidateDocument returns the validate document of the statistics st
// of the run info describes.
func NewValidateDocument(st *validation.Stability, info ValidateInfo) *ValidateDocument {
	doc := &ValidateDocument{
		Scenario: info.Scenario, Suite: info.Suite,
		NSeeds: st.NSeeds, NValid: st.NValid, NPassed: st.NPassed, SeedStart: info.SeedStart,
		NPeriods: info.NPeriods, BurnIn: info.BurnIn,
		NFirms: info.NFirms, NHouseholds: info.NHouseholds, NBanks: info.NBanks,
		PassRate: DocFloat(st.PassRate), MeanScore: DocFloat(st.MeanScore), StdScore: DocFloat(st.StdScore),
		MinScore: DocFloat(st.MinScore), MaxScore: DocFloat(st.MaxScore),
		IsStable: st.IsStable, CombinedScore: DocFloat(st.CombinedScore),
		Gate: DocFloat(info.Gate), GatePassed: st.PassRate >= info.Gate,
		Metrics:      MetricStatsObject{Stats: st.Metrics, Counts: true},
		GroupNames:   map[string]string{},
		FailingSeeds: []DocFailingSeed{},
		Degraded:     st.Degraded,
	}
	for g, n := range validation.GroupDisplayNames {
		doc.GroupNames[string(g)] = n
	}
	for _, f := range st.FailingSeeds {
		doc.FailingSeeds = append(doc.FailingSeeds, DocFailingSeed{f.Seed, f.FailedMetrics})
	}
	for _, d := range st.Deltas {
		doc.Deltas = append(doc.Deltas, DocDelta{d.Name, DocFloat(d.MeanDelta), d.Status.String()})
	}
	for _, r := range st.Results {
		sr := ValidateSeedResult{
			Seed: r.Seed, Passed: r.Passed, TotalScore: DocFloat(r.TotalScore),
			NPass: r.NPass, NWarn: r.NWarn, NFail: r.NFail, Periods: r.Periods,
			Collapsed: r.Collapsed, NotEvaluable: r.NotEvaluable,
			MetricResults: []ValidateMetricResult{},
		}
		for _, m := range r.Results {
			sr.MetricResults = append(sr.MetricResults, ValidateMetricResult{
				Name: m.Name, Status: m.Status.String(), Actual: DocFloat(m.Actual), Score: DocFloat(m.Score),
				Weight: DocFloat(m.Weight), Group: string(m.Group),
			})
		}
		doc.SeedResults = append(doc.SeedResults, sr)
	}
	return doc
}

// Encode returns the document as 2-space indented JSON with a final
// newline.
func (d *ValidateDocument) Encode() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// DecodeValidateDocument decodes a bam validate --json document.
func DecodeValidateDocument(b []byte) (*ValidateDocument, error) {
	var d ValidateDocument
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// MetricStatsObject writes per-metric statistics as one JSON object keyed
// by metric name, in their order: mean_value, std_value, mean_score,
// std_score, pass_rate, then (with Counts) n_warn and n_fail, then weight
// and group. The result document has no counts, bam validate --json has.
type MetricStatsObject struct {
	Stats  []validation.MetricStats
	Counts bool
}

// metricStatsJSON is one entry of the object; the counts are left out of
// the result document.
type metricStatsJSON struct {
	MeanValue DocFloat `json:"mean_value"`
	StdValue  DocFloat `json:"std_value"`
	MeanScore DocFloat `json:"mean_score"`
	StdScore  DocFloat `json:"std_score"`
	PassRate  DocFloat `json:"pass_rate"`
	NWarn     *int     `json:"n_warn,omitempty"`
	NFail     *int     `json:"n_fail,omitempty"`
	Weight    DocFloat `json:"weight"`
	Group     string   `json:"group"`
}

// MarshalJSON writes the object in order.
func (m MetricStatsObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, s := range m.Stats {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(s.Name)
		e := metricStatsJSON{
			MeanValue: DocFloat(s.MeanValue), StdValue: DocFloat(s.StdValue),
			MeanScore: DocFloat(s.MeanScore), StdScore: DocFloat(s.StdScore),
			PassRate: DocFloat(s.PassRate), Weight: DocFloat(s.Weight), Group: string(s.Group),
		}
		if m.Counts {
			nw, nf := s.NWarn, s.NFail
			e.NWarn, e.NFail = &nw, &nf
		}
		v, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the object back, in its order.
func (m *MetricStatsObject) UnmarshalJSON(b []byte) error {
	m.Stats, m.Counts = nil, false
	return decodeOrderedObject(b, func(key string, v json.RawMessage) error {
		var e metricStatsJSON
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		s := validation.MetricStats{
			Name: key, Group: validation.Group(e.Group), Weight: float64(e.Weight),
			MeanValue: float64(e.MeanValue), StdValue: float64(e.StdValue),
			MeanScore: float64(e.MeanScore), StdScore: float64(e.StdScore), PassRate: float64(e.PassRate),
		}
		if e.NWarn != nil && e.NFail != nil {
			s.NWarn, s.NFail, m.Counts = *e.NWarn, *e.NFail, true
		}
		m.Stats = append(m.Stats, s)
		return nil
	})
}

// Records returns the journal records of the document's per-seed results,
// each seed's metrics in the order of suite (the suite the document was
// scored with): what a study journals, so that a validate document of an
// old commit becomes a result document (bam stability --commits). A seed
// without one of the suite's metrics, or with an unknown status, is an
// error.
func (d *ValidateDocument) Records(suite *validation.Suite) ([]Record, error) {
	if len(d.SeedResults) == 0 {
		return nil, errors.New("no seed_results")
	}
	var recs []Record
	for _, s := range d.SeedResults {
		r := Record{
			Seed: s.Seed, Passed: s.Passed, Score: float64(s.TotalScore), NotEvaluable: s.NotEvaluable,
			Periods: s.Periods, Collapsed: s.Collapsed, NPass: s.NPass, NWarn: s.NWarn, NFail: s.NFail,
		}
		if !s.NotEvaluable {
			byName := map[string]int{}
			for i, m := range s.MetricResults {
				byName[m.Name] = i
			}
			for _, def := range suite.Metrics {
				i, ok := byName[def.Name]
				if !ok {
					return nil, fmt.Errorf("seed %d has no metric %s (its validation has other metrics)", s.Seed, def.Name)
				}
				m := s.MetricResults[i]
				status, err := ParseStatus(m.Status)
				if err != nil {
					return nil, fmt.Errorf("seed %d, %s: %w", s.Seed, m.Name, err)
				}
				r.Metrics = append(r.Metrics, MetricRecord{Value: float64(m.Actual), Status: status, Score: float64(m.Score)})
			}
		}
		recs = append(recs, r)
	}
	return recs, nil
}
