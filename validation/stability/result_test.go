package stability

import (
	"math"

	"strings"
	"testing"

	"github.com/bam-abm/bam/validation"
)

// same reports whether a and b are equal, NaN equal to NaN.
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// TestDocumentDecodesToItsStatistics: what Document writes, DecodeResult
// reads back to the same statistics, metrics, seeds and failing seeds.
func TestDocumentDecodesToItsStatistics(t *testing.T) {
	h := testHeader()
	recs := []Record{testRecord(3), testRecord(0), testRecord(1), testRecord(2)}
	version := "v1"
	b, st, err := Document(&h, recs, Metadata{Version: &version, Program: "bam", NSeeds: 4, NPeriods: 100, SeedStart: 0, Suite: "baseline"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodeResult(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.Scenario != "baseline" || r.SuiteName != "baseline" || r.NSeeds != 4 || r.NPeriods != 100 || r.NPassed != st.NPassed {
		t.Errorf("scenario %q suite %q seeds %d periods %d passed %d", r.Scenario, r.SuiteName, r.NSeeds, r.NPeriods, r.NPassed)
	}
	if !same(r.PassRate, FilePassRate(st)) || !same(r.MeanScore, st.MeanScore) || !same(r.StdScore, st.StdScore) ||
		!same(r.MinScore, st.MinScore) || !same(r.MaxScore, st.MaxScore) {
		t.Errorf("summary %v %v %v %v %v, want %v %v %v %v %v", r.PassRate, r.MeanScore, r.StdScore, r.MinScore, r.MaxScore,
			FilePassRate(st), st.MeanScore, st.StdScore, st.MinScore, st.MaxScore)
	}
	if r.Meta.Version != "bam v1" || r.Meta.SeedStart != 0 {
		t.Errorf("metadata: version %q, seed start %d", r.Meta.Version, r.Meta.SeedStart)
	}
	if len(r.Metrics) != len(st.Metrics) {
		t.Fatalf("%d metrics, want %d", len(r.Metrics), len(st.Metrics))
	}
	for i, m := range st.Metrics {
		g := r.Metrics[i]
		if g.Name != m.Name || !same(g.MeanValue, m.MeanValue) || !same(g.StdValue, m.StdValue) || !same(g.MeanScore, m.MeanScore) ||
			!same(g.StdScore, m.StdScore) || !same(g.PassRate, m.PassRate) || !same(g.Weight, m.Weight) || g.Group != string(m.Group) {
			t.Errorf("metric %d: %+v, want %+v", i, *g, m)
		}
	}
	if len(r.Seeds) != len(st.Results) {
		t.Fatalf("%d seeds, want %d", len(r.Seeds), len(st.Results))
	}
	for i, want := range st.Results {
		s := r.Seeds[i]
		if s.Seed != want.Seed || s.Passed != want.Passed || !same(s.Score, want.TotalScore) || s.NotEvaluable != want.NotEvaluable {
			t.Errorf("seed %d: %+v", want.Seed, s)
		}
		for _, mr := range want.Results {
			sm := s.Metrics[mr.Name]
			if !same(sm.Value, mr.Actual) || !same(sm.Score, mr.Score) || sm.Status != mr.Status.String() {
				t.Errorf("seed %d metric %s: %+v, want %v %v %v", want.Seed, mr.Name, sm, mr.Actual, mr.Status, mr.Score)
			}
		}
	}
	if len(r.Failing) != len(st.FailingSeeds) {
		t.Fatalf("%d failing seeds, want %d", len(r.Failing), len(st.FailingSeeds))
	}
	for i, f := range st.FailingSeeds {
		if r.Failing[i].Seed != f.Seed || strings.Join(r.Failing[i].FailedMetrics, ",") != strings.Join(f.FailedMetrics, ",") {
			t.Errorf("failing seed %d: %+v, want %+v", i, r.Failing[i], f)
		}
	}
	if names := memberNames(r); names != "metadata,scenario,summary,metrics,group_display_names,failing_seeds,seeds" {
		t.Errorf("members %s", names)
	}
	if r.ValidationSuite() == nil || r.ValidationSuite().Name != "baseline" {
		t.Errorf("suite %v", r.ValidationSuite())
	}
}

func memberNames(r *Result) string {
	var names []string
	for _, m := range r.Members {
		names = append(names, m.Name)
	}
	return strings.Join(names, ",")
}

// TestDecodeResultErrors: what is not a result document is one line saying
// why.
func TestDecodeResultErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", " \n", "not JSON: the file is empty"},
		{"text", "scenario: x", "not JSON: invalid character"},
		{"array", "[1]", "the JSON is not an object"},
		{"no scenario", `{"metrics": {}}`, `no "scenario"`},
		{"scenario type", `{"scenario": 7, "metrics": {}}`, `"scenario" is a JSON number, want a string`},
		{"no metrics", `{"scenario": "x"}`, `no "metrics"`},
		{"metrics type", `{"scenario": "x", "metrics": 5}`, `neither an object nor an array`},
		{"metric type", `{"scenario": "x", "metrics": {"m": {"mean_value": {}}}}`, `metric "m"`},
		{"unnamed metric", `{"scenario": "x", "metrics": [{"mean_value": 1}]}`, `metric 1 has no "name"`},
		{"no pass rate", `{"scenario": "x", "metrics": {}}`, `no "pass_rate"`},
		{"seed without seed", `{"scenario": "x", "metrics": {}, "seeds": [{"passed": true}]}`, `seeds entry 1 has no "seed"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeResult([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line containing %q", err, tc.want)
			}
		})
	}
}

// TestDecodeResultValidateJSON: a bam validate --json document (summary at
// the top level, per-seed results under "seed_results") decodes too.
func TestDecodeResultValidateJSON(t *testing.T) {
	doc := `{"scenario": "baseline", "n_seeds": 2, "pass_rate": 0.5, "mean_score": 0.8, "n_periods": 100, "seed_start": 4,
	  "metrics": {"unemployment_rate_mean": {"mean_value": 0.06, "pass_rate": 1}},
	  "seed_results": [{"seed": 5, "passed": false, "total_score": 0.7, "metric_results": [{"name": "unemployment_rate_mean", "actual": 0.2, "status": "fail", "score": 0}]},
	                   {"seed": 4, "passed": true, "total_score": 0.9, "metric_results": [{"name": "unemployment_rate_mean", "actual": 0.06, "status": "PASS", "score": 1}]}]}`
	r, err := DecodeResult([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if r.NSeeds != 2 || r.PassRate != 0.5 || r.MeanScore != 0.8 || r.NPeriods != 100 || r.Meta.SeedStart != 4 || r.NPassed != 1 {
		t.Errorf("summary: seeds %d pass %v mean %v periods %d start %d passed %d", r.NSeeds, r.PassRate, r.MeanScore, r.NPeriods, r.Meta.SeedStart, r.NPassed)
	}
	if len(r.Seeds) != 2 || r.Seeds[0].Seed != 4 || r.Seeds[1].Metrics["unemployment_rate_mean"].Status != "FAIL" {
		t.Errorf("seeds: %+v", r.Seeds)
	}
	if len(r.Failing) != 1 || r.Failing[0].Seed != 5 || r.Failing[0].FailedMetrics[0] != "unemployment_rate_mean" {
		t.Errorf("failing: %+v", r.Failing)
	}
}

// TestValidateDocumentRoundTrip: a validate document decodes to what was
// encoded (NaN through null included), and ReadResult reads it as a
// result document with the same summary.
func TestValidateDocumentRoundTrip(t *testing.T) {
	h := testHeader()
	st, err := Aggregate(&h, []Record{testRecord(0), testRecord(1), testRecord(2)})
	if err != nil {
		t.Fatal(err)
	}
	st.Metrics[0].MeanValue = math.NaN()
	doc := NewValidateDocument(st, ValidateInfo{Scenario: "baseline", Suite: "baseline", SeedStart: 0, NPeriods: 100, BurnIn: 50, Gate: 0.962})
	b, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeValidateDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := back.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Errorf("encode → decode → encode changed the document:\n%s\n%s", b, b2)
	}
	if !back.Metrics.Counts || !math.IsNaN(back.Metrics.Stats[0].MeanValue) || back.Metrics.Stats[1].NFail != st.Metrics[1].NFail {
		t.Errorf("metrics read back: %+v", back.Metrics.Stats[:2])
	}
	recs, err := back.Records(validation.Baseline)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []Record{testRecord(0), testRecord(1), testRecord(2)} {
		g := recs[i]
		if g.Seed != want.Seed || g.Passed != want.Passed || g.Score != want.Score || len(g.Metrics) != len(want.Metrics) {
			t.Fatalf("record %d: %+v, want %+v", i, g, want)
		}
		for k, m := range want.Metrics {
			if !same(g.Metrics[k].Value, m.Value) || g.Metrics[k].Status != m.Status || !same(g.Metrics[k].Score, m.Score) {
				t.Errorf("record %d metric %d: %+v, want %+v", i, k, g.Metrics[k], m)
			}
		}
	}
	if _, err := back.Records(validation.GrowthPlus); err == nil {
		t.Error("records for a suite with other metrics were made")
	}
	r, err := DecodeResult(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.NSeeds != 3 || !same(r.PassRate, st.PassRate) || !same(r.MeanScore, st.MeanScore) || len(r.Seeds) != 3 || len(r.Failing) != len(st.FailingSeeds) {
		t.Errorf("as a result document: %d seeds, pass rate %v, %d seed results, %d failing", r.NSeeds, r.PassRate, len(r.Seeds), len(r.Failing))
	}
}
