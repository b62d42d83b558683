package calibration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/ecs/rng"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// Threshold is the sensitivity threshold of spec §10: a parameter whose
// μ* or σ exceeds it is INCLUDEd in the focused grid, else FIXed.
const Threshold = 0.02

// Classes of a screened parameter.
const (
	Include = "INCLUDE"
	Fix     = "FIX"
)

// morrisStream is the second word of the Morris generator's seed, so that
// its draws are not those of a simulation with the same seed.
const morrisStream = 0x6d6f72726973 // "morris"

// Point is a configuration of a space: the index of each parameter's value.
type Point []int

// Step is one move of a trajectory: parameter Param (its position in the
// space) moved, giving the trajectory's next point.
type Step struct {
	Param int
}

// Trajectory is one Morris trajectory: p+1 points, where p is the number
// of active parameters, and the p steps between them (Steps[k] leads from
// Points[k] to Points[k+1]).
type Trajectory struct {
	Points []Point
	Steps  []Step
}

// Trajectories builds r Morris trajectories through the space (spec §10)
// with the generator seeded with seed: each starts at a random grid point
// and changes each active parameter once, in a random order, to a
// different random value of its list. The same arguments give the same
// trajectories.
func Trajectories(sp *Space, r int, seed uint64) []Trajectory {
	g := rng.New(seed, morrisStream)
	active := sp.Active()
	out := make([]Trajectory, r)
	for t := range out {
		x := make(Point, len(sp.Params))
		for i, p := range sp.Params {
			x[i] = g.IntN(len(p.Values))
		}
		order := make([]int32, len(active))
		for k, i := range active {
			order[k] = int32(i)
		}
		g.Shuffle(order)
		tr := Trajectory{Points: []Point{slices.Clone(x)}}
		for _, i := range order {
			n := len(sp.Params[i].Values)
			v := g.IntN(n - 1) // one of the n−1 other values
			if v >= x[i] {
				v++
			}
			x[i] = v
			tr.Points = append(tr.Points, slices.Clone(x))
			tr.Steps = append(tr.Steps, Step{Param: int(i)})
		}
		out[t] = tr
	}
	return out
}

// Values returns the parameter values of a point.
func (sp *Space) Values(x Point) []string {
	out := make([]string, len(x))
	for i, v := range x {
		out[i] = sp.Params[i].Values[v]
	}
	return out
}

// Morris is a Morris screening (spec §10): Trajectories trajectories
// through Space, seeded with SeedStart, each unique configuration run with
// the seeds SeedStart … SeedStart+NSeeds−1 on Scenario and scored with its
// validation suite.
type Morris struct {
	Scenario     *scenarios.Scenario
	Space        *Space
	Trajectories int
	SeedStart    uint64
	NSeeds       int
	// Threshold classifies the parameters (0: the spec's 0.02).
	Threshold float64
	// Execution's one stage is named "morris".
	Execution
}

// Plan returns the trajectories and the design of their unique
// configurations (in order of first appearance), and for each point of
// each trajectory the index of its configuration.
func (m *Morris) Plan() ([]Trajectory, *experiments.Design, [][]int, error) {
	if m.Trajectories < 1 {
		return nil, nil, nil, fmt.Errorf("%w: --trajectories %d: want an integer >= 1", experiments.ErrBadDesign, m.Trajectories)
	}
	if len(m.Space.Active()) == 0 {
		return nil, nil, nil, fmt.Errorf("%w: no parameter of the space has two values to screen", experiments.ErrBadDesign)
	}
	trs := Trajectories(m.Space, m.Trajectories, m.SeedStart)
	var set configSet
	at := make([][]int, len(trs))
	for t, tr := range trs {
		for _, x := range tr.Points {
			c, _ := set.add(m.Space.Values(x))
			at[t] = append(at[t], c)
		}
	}
	d, err := experiments.NewDesign("morris", m.Space.Names(), set.configs)
	if err != nil {
		return nil, nil, nil, err
	}
	return trs, d, at, nil
}

// Evaluations returns the number of jobs (configuration × seed) the
// screening runs.
func (m *Morris) Evaluations() (int, error) {
	_, d, _, err := m.Plan()
	if err != nil {
		return 0, err
	}
	return d.Len() * m.NSeeds, nil
}

// StageCount returns the number of stages a shard runs (Execution): one.
func (m *Morris) StageCount() int { return 1 }

// Effect is one parameter's screening result: its elementary effects'
// mean μ, mean absolute value μ* and sample standard deviation σ, its
// class, and the average score of each of its values over the evaluated
// configurations holding it (BestValue the highest, the first on a tie).
type Effect struct {
	Name        string       `json:"name"`
	Group       string       `json:"group,omitempty"`
	Effects     []float64    `json:"effects"`
	Mu          float64      `json:"mu"`
	MuStar      float64      `json:"mu_star"`
	Sigma       float64      `json:"sigma"`
	Class       string       `json:"class"`
	ValueScores []ValueScore `json:"value_scores"`
	BestValue   string       `json:"best_value"`
}

// ValueScore is the average score of the configurations holding a value
// (N of them; NaN when none was evaluated).
type ValueScore struct {
	Value string  `json:"value"`
	Score float64 `json:"score"`
	N     int     `json:"n"`
}

// MarshalJSON writes a value no configuration held with a null score
// (encoding/json refuses NaN).
func (v ValueScore) MarshalJSON() ([]byte, error) {
	type plain struct {
		Value string   `json:"value"`
		Score *float64 `json:"score"`
		N     int      `json:"n"`
	}
	p := plain{Value: v.Value, N: v.N}
	if !math.IsNaN(v.Score) {
		p.Score = &v.Score
	}
	return json.Marshal(p)
}

// UnmarshalJSON reads what MarshalJSON writes (a null score is NaN).
func (v *ValueScore) UnmarshalJSON(b []byte) error {
	var p struct {
		Value string   `json:"value"`
		Score *float64 `json:"score"`
		N     int      `json:"n"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	v.Value, v.N, v.Score = p.Value, p.N, math.NaN()
	if p.Score != nil {
		v.Score = *p.Score
	}
	return nil
}

// ReadMorris reads the result of a screening from its morris.json in dir.
func ReadMorris(dir string) (*MorrisResult, error) {
	var r MorrisResult
	if err := readResult(dir, "morris", &r); err != nil {
		return nil, err
	}
	if r.Space == nil {
		return nil, fmt.Errorf("%w: %s holds no parameter space (written by an older bam): run bam calibrate morris again", experiments.ErrUnusable, filepath.Join(dir, MorrisJSON))
	}
	return &r, nil
}

// MorrisResult is the outcome of a screening: an Effect per active
// parameter, in the space's order, and every configuration's Evaluation.
type MorrisResult struct {
	Scenario       string       `json:"scenario"`
	Trajectories   int          `json:"trajectories"`
	SeedStart      uint64       `json:"seed_start"`
	NSeeds         int          `json:"n_seeds"`
	Threshold      float64      `json:"threshold"`
	Space          *Space       `json:"space"`
	Effects        []Effect     `json:"effects"`
	Configurations []Evaluation `json:"configurations"`
	Counts
}

// Run runs the screening's jobs not yet journaled in dir (creating it; a
// stop loses only the jobs in flight, and the same call resumes), writes
// the evaluations as the sweep tables of dir, and returns the result.
func (m *Morris) Run(ctx context.Context, dir string) (*MorrisResult, error) {
	trs, d, at, err := m.Plan()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var counts Counts
	sums, err := m.evaluate(ctx, "morris", m.Scenario, d, m.SeedStart, m.NSeeds, dir, &counts)
	if err != nil {
		return nil, err
	}
	evals := make([]Evaluation, d.Len())
	for c := range evals {
		evals[c] = Evaluate(d.Configs[c], sums[c])
	}
	res := m.analyse(trs, at, evals)
	res.Counts = counts
	res.Wall = time.Since(start)
	return res, nil
}

// analyse computes the effects from the evaluations of the trajectories'
// points.
func (m *Morris) analyse(trs []Trajectory, at [][]int, evals []Evaluation) *MorrisResult {
	th := m.Threshold
	if th == 0 {
		th = Threshold
	}
	res := &MorrisResult{Scenario: m.Scenario.Name, Trajectories: m.Trajectories, SeedStart: m.SeedStart, NSeeds: m.NSeeds,
		Threshold: th, Space: m.Space, Configurations: evals}
	effects := map[int][]float64{}
	for t, tr := range trs {
		for k, st := range tr.Steps {
			effects[st.Param] = append(effects[st.Param], evals[at[t][k+1]].Mean-evals[at[t][k]].Mean)
		}
	}
	for _, i := range m.Space.Active() {
		p := m.Space.Params[i]
		e := Effect{Name: p.Name, Group: p.Group, Effects: effects[i]}
		abs := make([]float64, len(e.Effects))
		for j, x := range e.Effects {
			abs[j] = math.Abs(x)
		}
		e.Mu, e.MuStar, e.Sigma = mean(e.Effects), mean(abs), sampleStd(e.Effects)
		e.Class = Fix
		if e.MuStar > th || e.Sigma > th {
			e.Class = Include
		}
		e.ValueScores, e.BestValue = valueScores(p, i, evals)
		res.Effects = append(res.Effects, e)
	}
	return res
}

// valueScores averages the mean scores of the evaluations whose parameter
// i holds each value of p.
func valueScores(p Param, i int, evals []Evaluation) ([]ValueScore, string) {
	out := make([]ValueScore, len(p.Values))
	best, bestScore := "", math.Inf(-1)
	for k, v := range p.Values {
		var xs []float64
		for _, e := range evals {
			if e.Values[i] == v {
				xs = append(xs, e.Mean)
			}
		}
		out[k] = ValueScore{Value: v, Score: mean(xs), N: len(xs)}
		if len(xs) > 0 && out[k].Score > bestScore {
			best, bestScore = v, out[k].Score
		}
	}
	return out, best
}

// Included returns the names of the INCLUDE parameters.
func (r *MorrisResult) Included() []string {
	var out []string
	for _, e := range r.Effects {
		if e.Class == Include {
			out = append(out, e.Name)
		}
	}
	return out
}

// MorrisJSON and MorrisText are the files a screening writes.
const (
	MorrisJSON = "morris.json"
	MorrisText = "morris.txt"
)

// Report writes the screening as a table sorted by μ*, largest first.
func (r *MorrisResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Morris screening of %s: %d trajectories, %d configurations × %d seeds (from %d), threshold %s\n",
		r.Scenario, r.Trajectories, len(r.Configurations), r.NSeeds, r.SeedStart, style.Value(r.Threshold))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tgroup\tμ*\tμ\tσ\tclass\tbest value (score)")
	es := slices.Clone(r.Effects)
	slices.SortStableFunc(es, func(a, b Effect) int { return cmpDesc(a.MuStar, b.MuStar) })
	for _, e := range es {
		best := "n/a"
		for _, v := range e.ValueScores {
			if v.Value == e.BestValue {
				best = fmt.Sprintf("%s (%s)", v.Value, style.Fixed(v.Score, 4))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Name, e.Group, style.Fixed(e.MuStar, 4), style.Fixed(e.Mu, 4), style.Fixed(e.Sigma, 4), e.Class, best)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "INCLUDE: %s\n", strings.Join(r.Included(), ", "))
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes morris.json and morris.txt into dir, atomically.
func (r *MorrisResult) Write(dir string) error {
	return writeResult(dir, "morris", r, r.Report)
}

// cmpDesc orders numbers largest first, NaN last.
func cmpDesc(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	case math.IsNaN(b):
		return -1
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
