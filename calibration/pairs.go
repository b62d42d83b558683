package calibration

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// Pairwise is the pairwise interaction analysis of spec §10 that follows
// a sensitivity analysis (Sensitivity, from an OAT or a Morris
// screening's MorrisResult.Sensitivity): for each pair of its INCLUDE
// parameters, every combination of their values, with every other
// parameter of its space at its best value, run on Scenario over the
// seeds SeedStart … SeedStart+NSeeds−1. Each unique configuration is
// evaluated once: the base (everything at its best value) and the single
// changes are also combinations of every pair.
type Pairwise struct {
	Scenario    *scenarios.Scenario
	Sensitivity *OATResult
	SeedStart   uint64
	NSeeds      int
	// Margin, if > 0, keeps of each INCLUDE parameter only its values
	// scoring at most Margin below its best (Prune); 0 keeps them all.
	Margin float64
	// Execution's one stage is named "pairs".
	Execution
}

// PairsPlan is what a pairwise analysis runs: the INCLUDE parameters and
// the values each takes, the base configuration (the sensitivity space's
// parameters at their best values), the number of pairs, and the design
// of the unique configurations: the base (configuration 0), then the
// Singles configurations changing one parameter, then the Combos changing
// two.
type PairsPlan struct {
	Params  []string
	Values  [][]string
	Base    []string
	Pairs   int
	Singles int
	Combos  int
	Design  *experiments.Design

	pos []int     // each parameter's position in the space
	set configSet // the configurations of Design
}

// Plan returns the plan of the analysis. It needs two INCLUDE parameters
// at least.
func (p *Pairwise) Plan() (*PairsPlan, error) {
	if p.NSeeds < 1 {
		return nil, fmt.Errorf("%w: --seeds %d: want an integer >= 1", experiments.ErrBadDesign, p.NSeeds)
	}
	r := p.Sensitivity
	inc := r.Included()
	if len(inc) < 2 {
		return nil, fmt.Errorf("%w: pairwise interactions need two INCLUDE parameters at least; the %s result has %d (%s)",
			experiments.ErrBadDesign, r.Method, len(inc), strings.Join(inc, ", "))
	}
	base, err := r.BestValues()
	if err != nil {
		return nil, err
	}
	pl := &PairsPlan{Params: inc, Base: base}
	for _, name := range inc {
		i := r.Space.Index(name)
		if i < 0 {
			return nil, fmt.Errorf("%w: %s is not a parameter of the result's space", experiments.ErrUnusable, name)
		}
		values := r.Space.Params[i].Values
		if p.Margin > 0 {
			s := r.Parameters[slices.IndexFunc(r.Parameters, func(s Sensitivity) bool { return s.Name == name })]
			values = Prune(s.ValueScores, p.Margin)
		}
		pl.pos = append(pl.pos, i)
		pl.Values = append(pl.Values, values)
	}
	return pl, pl.build(r.Space.Names())
}

// build lays out the unique configurations of the plan: the base, the
// single changes, then the pairs' combinations.
func (pl *PairsPlan) build(names []string) error {
	pl.set = configSet{}
	pl.set.add(pl.Base)
	add := func(vals []string) bool {
		_, isNew := pl.set.add(vals)
		return isNew
	}
	for a := range pl.Params {
		for _, v := range pl.Values[a] {
			if add(pl.config(a, v, -1, "")) {
				pl.Singles++
			}
		}
	}
	for a := range pl.Params {
		for b := a + 1; b < len(pl.Params); b++ {
			pl.Pairs++
			for _, va := range pl.Values[a] {
				for _, vb := range pl.Values[b] {
					if add(pl.config(a, va, b, vb)) {
						pl.Combos++
					}
				}
			}
		}
	}
	d, err := experiments.NewDesign("pairs", names, pl.set.configs)
	if err != nil {
		return err
	}
	pl.Design = d
	return nil
}

// config returns the base with parameter a at va and, if b ≥ 0, b at vb.
func (pl *PairsPlan) config(a int, va string, b int, vb string) []string {
	vals := slices.Clone(pl.Base)
	vals[pl.pos[a]] = va
	if b >= 0 {
		vals[pl.pos[b]] = vb
	}
	return vals
}

// at returns the position in the design of the base with parameter a at
// va and, if b ≥ 0, b at vb.
func (pl *PairsPlan) at(a int, va string, b int, vb string) int {
	return pl.set.at(pl.config(a, va, b, vb))
}

// Evaluations returns the number of jobs (configuration × seed) the
// analysis runs.
func (p *Pairwise) Evaluations() (int, error) {
	pl, err := p.Plan()
	if err != nil {
		return 0, err
	}
	return pl.Design.Len() * p.NSeeds, nil
}

// Interaction is one combination of a pair's values (spec §10): the mean
// scores with both changed from their best values (Combined), with only
// A changed to ValueA (ScoreA), with only B changed to ValueB (ScoreB)
// and with neither (Baseline); Interaction = Combined − ScoreA − ScoreB +
// Baseline, positive for a synergy and negative for a conflict, and
// Strength its absolute value.
type Interaction struct {
	ParamA      string  `json:"param_a"`
	ValueA      string  `json:"value_a"`
	ParamB      string  `json:"param_b"`
	ValueB      string  `json:"value_b"`
	Combined    float64 `json:"combined"`
	ScoreA      float64 `json:"score_a"`
	ScoreB      float64 `json:"score_b"`
	Baseline    float64 `json:"baseline"`
	Interaction float64 `json:"interaction"`
	Strength    float64 `json:"strength"`
}

// newInteraction computes an interaction from its four mean scores.
func newInteraction(a, va, b, vb string, combined, scoreA, scoreB, baseline float64) Interaction {
	// Written so that a combination changing only one parameter (Combined
	// = ScoreB and ScoreA = Baseline, or Combined = ScoreA and ScoreB =
	// Baseline) is exactly 0.
	x := (combined - scoreA) - (scoreB - baseline)
	return Interaction{ParamA: a, ValueA: va, ParamB: b, ValueB: vb, Combined: combined, ScoreA: scoreA, ScoreB: scoreB,
		Baseline: baseline, Interaction: x, Strength: math.Abs(x)}
}

// Pair is the interactions of a pair of parameters: every combination of
// their values with both changed from their best values, in the order of
// the values, and the largest strength among them.
type Pair struct {
	ParamA       string        `json:"param_a"`
	ParamB       string        `json:"param_b"`
	Interactions []Interaction `json:"interactions"`
	MaxStrength  float64       `json:"max_strength"`
}

// PairValues is an INCLUDE parameter of a pairwise analysis: its best
// value and the values it takes.
type PairValues struct {
	Name   string   `json:"name"`
	Best   string   `json:"best"`
	Values []string `json:"values"`
}

// PairsResult is the outcome of a pairwise analysis: every pair's
// interactions, and the synergies (Interaction > 0) and conflicts (< 0)
// among them, each sorted by strength, strongest first.
type PairsResult struct {
	Scenario       string        `json:"scenario"`
	Method         string        `json:"sensitivity_method"`
	SeedStart      uint64        `json:"seed_start"`
	NSeeds         int           `json:"n_seeds"`
	Margin         float64       `json:"prune"`
	Params         []string      `json:"params"`
	Included       []PairValues  `json:"included"`
	Baseline       Evaluation    `json:"baseline"`
	Pairs          []Pair        `json:"pairs"`
	Synergies      []Interaction `json:"synergies"`
	Conflicts      []Interaction `json:"conflicts"`
	Configurations []Evaluation  `json:"configurations"`
	Counts
}

// Run runs the analysis's jobs not yet journaled in dir (creating it; a
// stop loses only the jobs in flight, and the same call resumes), writes
// the evaluations as the sweep tables of dir, and returns the result.
func (p *Pairwise) Run(ctx context.Context, dir string) (*PairsResult, error) {
	pl, err := p.Plan()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res := &PairsResult{Scenario: p.Scenario.Name, Method: p.Sensitivity.Method, SeedStart: p.SeedStart, NSeeds: p.NSeeds,
		Margin: p.Margin, Params: pl.Design.Params}
	sums, err := p.evaluate(ctx, "pairs", p.Scenario, pl.Design, p.SeedStart, p.NSeeds, dir, &res.Counts)
	if err != nil {
		return nil, err
	}
	res.Configurations = make([]Evaluation, pl.Design.Len())
	for c := range res.Configurations {
		res.Configurations[c] = Evaluate(pl.Design.Configs[c], sums[c])
	}
	res.Baseline = res.Configurations[0]
	for a, name := range pl.Params {
		res.Included = append(res.Included, PairValues{Name: name, Best: pl.Base[pl.pos[a]], Values: pl.Values[a]})
	}
	res.Pairs, res.Synergies, res.Conflicts = pl.interactions(res.Configurations)
	res.Wall = time.Since(start)
	return res, nil
}

// interactions computes every pair's interactions from the evaluations
// of the plan's configurations, and the synergies and conflicts among
// them, strongest first (a tie keeps the earlier pair and combination
// first).
func (pl *PairsPlan) interactions(evals []Evaluation) (pairs []Pair, synergies, conflicts []Interaction) {
	baseline := evals[0].Mean
	for a, na := range pl.Params {
		bestA := pl.Base[pl.pos[a]]
		for b := a + 1; b < len(pl.Params); b++ {
			nb, bestB := pl.Params[b], pl.Base[pl.pos[b]]
			pr := Pair{ParamA: na, ParamB: nb}
			for _, va := range pl.Values[a] {
				for _, vb := range pl.Values[b] {
					if va == bestA || vb == bestB {
						continue // a single change or the base: no interaction
					}
					x := newInteraction(na, va, nb, vb, evals[pl.at(a, va, b, vb)].Mean, evals[pl.at(a, va, -1, "")].Mean,
						evals[pl.at(b, vb, -1, "")].Mean, baseline)
					pr.Interactions = append(pr.Interactions, x)
					pr.MaxStrength = max(pr.MaxStrength, x.Strength)
					switch {
					case x.Interaction > 0:
						synergies = append(synergies, x)
					case x.Interaction < 0:
						conflicts = append(conflicts, x)
					}
				}
			}
			pairs = append(pairs, pr)
		}
	}
	byStrength := func(x, y Interaction) int { return cmpDesc(x.Strength, y.Strength) }
	slices.SortStableFunc(synergies, byStrength)
	slices.SortStableFunc(conflicts, byStrength)
	return pairs, synergies, conflicts
}

// PairsJSON and PairsText are the files a pairwise analysis writes.
const (
	PairsJSON = "pairs.json"
	PairsText = "pairs.txt"
)

// reportTop is the number of synergies and of conflicts a report lists.
const reportTop = 20

// Report writes the analysis: the base, the pairs by their strongest
// interaction, and the strongest synergies and conflicts.
func (r *PairsResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Pairwise interactions of %s (INCLUDE parameters of the %s sensitivity): %d pairs, %d configurations × %d seeds (from %d)\n",
		r.Scenario, r.Method, len(r.Pairs), len(r.Configurations), r.NSeeds, r.SeedStart)
	fmt.Fprintf(&b, "base (every parameter at its best value): %s\nbase score %s\n", configText(r.Params, r.Baseline.Values), style.Fixed(r.Baseline.Mean, 4))
	for _, p := range r.Included {
		fmt.Fprintf(&b, "  %s: best %s, values %s\n", p.Name, p.Best, strings.Join(p.Values, ", "))
	}
	ps := slices.Clone(r.Pairs)
	slices.SortStableFunc(ps, func(x, y Pair) int { return cmpDesc(x.MaxStrength, y.MaxStrength) })
	fmt.Fprintln(&b, "pairs, by their strongest interaction:")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pair\tcombinations\tsynergies\tconflicts\tstrongest")
	for _, p := range ps {
		syn, con := 0, 0
		strongest := "n/a"
		for _, x := range p.Interactions {
			if x.Interaction > 0 {
				syn++
			} else if x.Interaction < 0 {
				con++
			}
			if x.Strength == p.MaxStrength && strongest == "n/a" {
				strongest = fmt.Sprintf("%s=%s %s=%s (%s)", x.ParamA, x.ValueA, x.ParamB, x.ValueB, signed(x.Interaction))
			}
		}
		fmt.Fprintf(tw, "%s × %s\t%d\t%d\t%d\t%s\n", p.ParamA, p.ParamB, len(p.Interactions), syn, con, strongest)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, list := range []struct {
		name string
		xs   []Interaction
	}{{"synergies", r.Synergies}, {"conflicts", r.Conflicts}} {
		n := min(len(list.xs), reportTop)
		fmt.Fprintf(&b, "%s: %d", list.name, len(list.xs))
		if n < len(list.xs) {
			fmt.Fprintf(&b, ", the strongest %d (all in %s)", n, PairsJSON)
		}
		fmt.Fprintln(&b)
		if n == 0 {
			continue
		}
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "combination\tcombined\tA alone\tB alone\tinteraction")
		for _, x := range list.xs[:n] {
			fmt.Fprintf(tw, "%s=%s %s=%s\t%s\t%s\t%s\t%s\n", x.ParamA, x.ValueA, x.ParamB, x.ValueB, style.Fixed(x.Combined, 4),
				style.Fixed(x.ScoreA, 4), style.Fixed(x.ScoreB, 4), signed(x.Interaction))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// signed writes x with four decimals and its sign.
func signed(x float64) string {
	if x > 0 {
		return "+" + style.Fixed(x, 4)
	}
	return style.Fixed(x, 4)
}

// Write writes pairs.json and pairs.txt into dir, atomically.
func (r *PairsResult) Write(dir string) error {
	return writeResult(dir, "pairs", r, r.Report)
}

// ReadPairs reads the result of a pairwise analysis from its pairs.json
// in dir.
func ReadPairs(dir string) (*PairsResult, error) {
	var r PairsResult
	if err := readResult(dir, "pairs", &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// StageCount returns the number of stages a shard runs (Execution): one.
func (p *Pairwise) StageCount() int { return 1 }
