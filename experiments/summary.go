package experiments

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation"
)

// Summary is what a sweep keeps of one job (a configuration run with one
// seed).
type Summary struct {
	// Config is the configuration's index in the design; Seed the seed.
	Config int    `json:"config"`
	Seed   uint64 `json:"seed"`
	// Periods is the number of periods run (fewer than requested when the
	// economy collapsed); Collapsed says whether it did.
	Periods   int  `json:"periods"`
	Collapsed bool `json:"collapsed"`
	// Means and Stds are each economy series' mean and population standard
	// deviation over the post-burn-in window (periods BurnIn+1 … Periods),
	// in the order of SeriesNames; NaN when the window is empty.
	Means []float64 `json:"means"`
	Stds  []float64 `json:"stds"`
	// Gate is the gate's six metrics over the same window (bam.History.Gate).
	Gate bam.GateMetrics `json:"gate"`
	// Score and Passed are the validation score and verdict of the
	// scenario's suite, when the sweep scores (Sweep.Score); else Score is
	// NaN.
	Score  float64 `json:"score"`
	Passed bool    `json:"passed"`
	// Fails is the number of the suite's metrics with status FAIL (0 when
	// the sweep does not score).
	Fails int `json:"fails,omitempty"`
	// GroupScores are each metric group's share of Score (spec §4.1
	// groups: TIME_SERIES, CURVES, ...): Σ score·weight over the group's
	// metrics / Σ weight over all the suite's metrics, so that they add up
	// to Score. Nil when the sweep does not score, for a buffer-stock seed
	// that could not be evaluated, and in a journal written before they
	// were recorded.
	GroupScores map[string]float64 `json:"group_scores,omitempty"`
	// Failed is the error that stopped the job early (a state gone NaN or
	// infinite: Simulation.Err), or "". The summaries cover the periods run.
	Failed string `json:"failed,omitempty"`
	// Seconds is the job's wall time (metadata: not part of the results).
	Seconds float64 `json:"seconds"`
}

// SeriesNames returns the economy series a Summary summarises: every
// column of economy.csv but period, in its order.
func SeriesNames() []string {
	names := make([]string, 0, len(bam.Columns)-1)
	for _, c := range bam.Columns[1:] {
		names = append(names, c.Name)
	}
	return names
}

// summarize returns the summary of a history after burnIn periods (the
// window is empty, and every value NaN, if the run is not longer).
func summarize(h *bam.History, burnIn int) (means, stds []float64) {
	cols := bam.Columns[1:]
	means, stds = make([]float64, len(cols)), make([]float64, len(cols))
	var window []bam.Row
	if burnIn < len(h.Rows) {
		window = h.Rows[burnIn:]
	}
	x := make([]float64, len(window))
	for i, c := range cols {
		for t := range window {
			x[t] = c.Get(&window[t])
		}
		means[i], stds[i] = stats.Mean(x), stats.Std(x)
	}
	return means, stds
}

// nan is a NaN for summaries that cannot be computed.
var nan = math.NaN()

// record is a Summary as a journal line: the numbers as jnum, so that NaN
// and ±Inf survive (encoding/json refuses them) and every value reads back
// bit for bit.
type record struct {
	Config    int             `json:"config"`
	Seed      uint64          `json:"seed"`
	Periods   int             `json:"periods"`
	Collapsed bool            `json:"collapsed"`
	Means     []jnum          `json:"means"`
	Stds      []jnum          `json:"stds"`
	Gate      [6]jnum         `json:"gate"`
	Score     jnum            `json:"score"`
	Passed    bool            `json:"passed"`
	Fails     int             `json:"fails,omitempty"`
	Groups    map[string]jnum `json:"group_scores,omitempty"`
	Failed    string          `json:"failed,omitempty"`
	Seconds   float64         `json:"seconds"`
}

// jnum is a float64 in JSON: a number with the shortest exact decimal
// form, null for NaN, "+Inf" or "-Inf".
type jnum float64

// MarshalJSON implements json.Marshaler.
func (x jnum) MarshalJSON() ([]byte, error) {
	f := float64(x)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (x *jnum) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*x = jnum(math.NaN())
		return nil
	case `"+Inf"`:
		*x = jnum(math.Inf(1))
		return nil
	case `"-Inf"`:
		*x = jnum(math.Inf(-1))
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return errors.New("not a number: " + string(b))
	}
	*x = jnum(f)
	return nil
}

func toJnums(x []float64) []jnum {
	out := make([]jnum, len(x))
	for i, v := range x {
		out[i] = jnum(v)
	}
	return out
}

func fromJnums(x []jnum) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// gateValues returns the gate's metrics in the order of GateNames.
func gateValues(g bam.GateMetrics) [6]float64 {
	return [6]float64{g.Unemployment, g.Inflation, g.SizeSkew, g.Phillips, g.Okun, g.Beveridge}
}

// GateNames names the gate's six metrics as the sweep's columns call them
// (after "gate_"), in the order of bam.GateMetrics.
var GateNames = [6]string{"unemployment", "inflation", "size_skew", "phillips", "okun", "beveridge"}

// encodeSummary returns the journal record of s.
func encodeSummary(s Summary) record {
	r := record{Config: s.Config, Seed: s.Seed, Periods: s.Periods, Collapsed: s.Collapsed,
		Means: toJnums(s.Means), Stds: toJnums(s.Stds), Score: jnum(s.Score), Passed: s.Passed, Fails: s.Fails, Failed: s.Failed, Seconds: s.Seconds}
	for i, v := range gateValues(s.Gate) {
		r.Gate[i] = jnum(v)
	}
	if s.GroupScores != nil {
		r.Groups = make(map[string]jnum, len(s.GroupScores))
		for g, v := range s.GroupScores {
			r.Groups[g] = jnum(v)
		}
	}
	return r
}

// decodeSummary reads a journal record.
func decodeSummary(line []byte) (Summary, error) {
	var r record
	if err := json.Unmarshal(line, &r); err != nil {
		return Summary{}, err
	}
	if n := len(bam.Columns) - 1; len(r.Means) != n || len(r.Stds) != n {
		return Summary{}, errors.New("series of another bam (a different number of economy columns)")
	}
	var groups map[string]float64
	if r.Groups != nil {
		groups = make(map[string]float64, len(r.Groups))
		for k, v := range r.Groups {
			groups[k] = float64(v)
		}
	}
	g := r.Gate
	return Summary{Config: r.Config, Seed: r.Seed, Periods: r.Periods, Collapsed: r.Collapsed,
		Means: fromJnums(r.Means), Stds: fromJnums(r.Stds),
		Gate: bam.GateMetrics{Unemployment: float64(g[0]), Inflation: float64(g[1]), SizeSkew: float64(g[2]),
			Phillips: float64(g[3]), Okun: float64(g[4]), Beveridge: float64(g[5])},
		Score: float64(r.Score), Passed: r.Passed, Fails: r.Fails, GroupScores: groups, Failed: r.Failed, Seconds: r.Seconds}, nil
}

// groupScores returns each metric group's share of a run's total score:
// Σ score·weight over the group's metrics / Σ weight over all of them (nil
// for no metrics).
func groupScores(results []validation.MetricResult) map[string]float64 {
	total := 0.0
	for _, m := range results {
		total += m.Weight
	}
	if len(results) == 0 || total == 0 {
		return nil
	}
	out := map[string]float64{}
	for _, m := range results {
		out[string(m.Group)] += m.Score * m.Weight / total
	}
	return out
}
