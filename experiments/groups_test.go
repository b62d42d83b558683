package experiments

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/validation"
)

// TestGroupScores checks each metric group's share of the total score on
// hand-worked metric results, and that the shares survive the journal.
func TestGroupScores(t *testing.T) {
	// Weights 1, 3, 2, 2 (total 8); TIME_SERIES holds 0.5·1 + 1·3, CURVES
	// 0.25·2, FINANCIAL 0·2.
	results := []validation.MetricResult{
		{Score: 0.5, Weight: 1, Group: validation.TimeSeries},
		{Score: 1, Weight: 3, Group: validation.TimeSeries},
		{Score: 0.25, Weight: 2, Group: validation.Curves},
		{Score: 0, Weight: 2, Group: validation.Financial},
	}
	got := groupScores(results)
	want := map[string]float64{"TIME_SERIES": 3.5 / 8, "CURVES": 0.5 / 8, "FINANCIAL": 0}
	if len(got) != len(want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	total := 0.0
	for g, w := range want {
		if math.Abs(got[g]-w) > 1e-15 {
			t.Errorf("%s: %v, want %v", g, got[g], w)
		}
		total += got[g]
	}
	// The shares add up to Σ score·weight / Σ weight = 4 / 8.
	if math.Abs(total-0.5) > 1e-15 {
		t.Errorf("the shares add up to %v, want the total score 0.5", total)
	}
	if groupScores(nil) != nil {
		t.Error("no metrics: want no group scores")
	}

	nan := make([]float64, len(bam.Columns)-1)
	for _, tt := range []struct {
		name   string
		groups map[string]float64
	}{
		{"with groups", got},
		{"without groups", nil},
	} {
		s := Summary{Means: nan, Stds: nan, Score: 0.5, GroupScores: tt.groups}
		line, err := json.Marshal(encodeSummary(s))
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeSummary(line)
		if err != nil {
			t.Fatal(err)
		}
		if len(back.GroupScores) != len(tt.groups) || (tt.groups == nil) != (back.GroupScores == nil) {
			t.Errorf("%s: read back %v, want %v", tt.name, back.GroupScores, tt.groups)
		}
		for g, v := range tt.groups {
			if back.GroupScores[g] != v {
				t.Errorf("%s: %s read back %v, want %v", tt.name, g, back.GroupScores[g], v)
			}
		}
	}
}
