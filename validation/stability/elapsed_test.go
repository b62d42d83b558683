package stability

import (
	"math"
	"testing"
)

// The wall time: bam's timings (to the nanosecond) before the whole
// seconds of elapsed_seconds, the reference's keys otherwise.
func TestResultElapsed(t *testing.T) {
	for _, tc := range []struct {
		name, metadata string
		want           float64
	}{
		{"timings first", `{"elapsed_seconds": 0, "timings": {"wall_seconds": 0.4756}}`, 0.4756},
		{"elapsed_seconds", `{"elapsed_seconds": 12}`, 12},
		{"wall_seconds", `{"wall_seconds": 3.5}`, 3.5},
		{"timings elapsed", `{"timings": {"elapsed_seconds": 7}}`, 7},
		{"timings without a time", `{"elapsed_seconds": 9, "timings": {"seeds_run": 3}}`, 9},
		{"none", `{}`, math.NaN()},
	} {
		res, err := DecodeResult([]byte(`{"scenario": "baseline", "summary": {"pass_rate": 1}, "metrics": {}, "metadata": ` + tc.metadata + `}`))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := res.Meta.Elapsed; !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: Elapsed %v, want %v", tc.name, got, tc.want)
		}
	}
}
