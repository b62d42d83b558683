package calibration

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// The rankings of cross-evaluation (spec §10).
const (
	// RankStabilityFirst: the highest lowest pass rate across scenarios,
	// then the fewest failing seeds in total, then the highest lowest
	// combined score.
	RankStabilityFirst = "stability-first"
	// RankScoreFirst: the highest lowest combined score, then the fewest
	// failing seeds.
	RankScoreFirst = "score-first"
	// RankBalanced: the highest geometric mean of the combined scores.
	RankBalanced = "balanced"
)

// CrossEval is the cross-evaluation of spec §10: each configuration of
// Params runs on every scenario over the seeds SeedStart …
// SeedStart+NSeeds−1, and is ranked by Rule over its per-scenario
// scores (combined = mean · pass_rate · (1 − std), sample std).
type CrossEval struct {
	Scenarios []*scenarios.Scenario
	Params    []string
	Configs   [][]string
	SeedStart uint64
	NSeeds    int
	Rule      string
	// Execution's stages are the scenarios.
	Execution
}

// CrossRow is one configuration across the scenarios: a Ranked evaluation
// per scenario (in the order of CrossEval.Scenarios) and the figures the
// rankings read.
type CrossRow struct {
	Values      []string `json:"values"`
	Scores      []Ranked `json:"scores"`
	MinPassRate float64  `json:"min_pass_rate"`
	MinCombined float64  `json:"min_combined"`
	Balanced    float64  `json:"balanced"`
	FailSeeds   int      `json:"fail_seeds"`
}

// newCrossRow computes a row's figures from its per-scenario scores.
func newCrossRow(values []string, scores []Ranked) CrossRow {
	r := CrossRow{Values: values, Scores: scores, MinPassRate: math.Inf(1), MinCombined: math.Inf(1), Balanced: 1}
	for _, s := range scores {
		r.MinPassRate = min(r.MinPassRate, s.PassRate)
		r.MinCombined = min(r.MinCombined, s.Combined)
		r.FailSeeds += s.FailSeeds
		r.Balanced *= math.Max(s.Combined, 0)
	}
	r.Balanced = math.Pow(r.Balanced, 1/float64(len(scores)))
	return r
}

// RankCross returns the order of rows under rule, best first; a tie keeps
// the earlier row first. An unknown rule is an error.
func RankCross(rows []CrossRow, rule string) ([]int, error) {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	var by func(a, b int) int
	switch rule {
	case RankStabilityFirst:
		by = func(a, b int) int {
			return cmp.Or(cmp.Compare(rows[b].MinPassRate, rows[a].MinPassRate), cmp.Compare(rows[a].FailSeeds, rows[b].FailSeeds),
				cmp.Compare(rows[b].MinCombined, rows[a].MinCombined))
		}
	case RankScoreFirst:
		by = func(a, b int) int {
			return cmp.Or(cmp.Compare(rows[b].MinCombined, rows[a].MinCombined), cmp.Compare(rows[a].FailSeeds, rows[b].FailSeeds))
		}
	case RankBalanced:
		by = func(a, b int) int { return cmp.Compare(rows[b].Balanced, rows[a].Balanced) }
	default:
		return nil, fmt.Errorf("%w: ranking %q: want %s, %s or %s", experiments.ErrBadDesign, rule, RankStabilityFirst, RankScoreFirst, RankBalanced)
	}
	slices.SortStableFunc(order, by)
	return order, nil
}

// Tension is a parameter whose value in the best configuration of each
// scenario (by its combined score there) is not the same everywhere.
type Tension struct {
	Param string            `json:"param"`
	Best  map[string]string `json:"best"` // scenario → value
}

// tensions lists the parameters in tension across the rows' scenarios.
func tensions(params, scenarioNames []string, rows []CrossRow) []Tension {
	if len(rows) == 0 {
		return nil
	}
	best := make([]int, len(scenarioNames)) // per scenario, the row with the highest combined score
	for s := range scenarioNames {
		for i := range rows {
			if rows[i].Scores[s].Combined > rows[best[s]].Scores[s].Combined {
				best[s] = i
			}
		}
	}
	var out []Tension
	for p, name := range params {
		t := Tension{Param: name, Best: map[string]string{}}
		differ := false
		for s, sn := range scenarioNames {
			t.Best[sn] = rows[best[s]].Values[p]
			differ = differ || t.Best[sn] != rows[best[0]].Values[p]
		}
		if differ {
			out = append(out, t)
		}
	}
	return out
}

// CrossResult is the outcome of a cross-evaluation: the rows ranked, and
// the parameters in tension.
type CrossResult struct {
	Params    []string   `json:"params"`
	Scenarios []string   `json:"scenarios"`
	SeedStart uint64     `json:"seed_start"`
	NSeeds    int        `json:"n_seeds"`
	Rule      string     `json:"rule"`
	Ranking   []CrossRow `json:"ranking"`
	Tension   []Tension  `json:"scenario_tension"`
	Counts
}

// Evaluations returns the number of jobs the cross-evaluation runs.
func (x *CrossEval) Evaluations() int { return len(x.Scenarios) * len(x.Configs) * x.NSeeds }

// StageCount returns the number of stages a shard runs (Execution): one, the
// scenarios' evaluations being independent of each other.
func (x *CrossEval) StageCount() int { return 1 }

// Run runs the cross-evaluation in dir, each scenario's evaluations in
// dir/<scenario>/, journaled (a stop resumes).
func (x *CrossEval) Run(ctx context.Context, dir string) (*CrossResult, error) {
	start := time.Now()
	if _, err := RankCross(nil, x.Rule); err != nil {
		return nil, err
	}
	if len(x.Configs) == 0 || len(x.Scenarios) == 0 || x.NSeeds < 1 {
		return nil, fmt.Errorf("%w: a cross-evaluation needs configurations, scenarios and seeds", experiments.ErrBadDesign)
	}
	d, err := experiments.NewDesign("cross", x.Params, x.Configs)
	if err != nil {
		return nil, err
	}
	res := &CrossResult{Params: x.Params, SeedStart: x.SeedStart, NSeeds: x.NSeeds, Rule: x.Rule}
	scores := make([][]Ranked, len(x.Configs))
	var pending error // the scenarios are independent: a shard runs its share of each
	for _, sc := range x.Scenarios {
		res.Scenarios = append(res.Scenarios, sc.Name)
		sums, err := x.evaluate(ctx, sc.Name, sc, d, x.SeedStart, x.NSeeds, filepath.Join(dir, sc.Name), &res.Counts)
		if errors.Is(err, ErrIncomplete) {
			pending = cmp.Or(pending, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		for c := range x.Configs {
			e := Evaluate(d.Configs[c], sums[c])
			scores[c] = append(scores[c], Ranked{Evaluation: e, Combined: e.Combined(1)})
		}
	}
	if pending != nil {
		return nil, pending
	}
	rows := make([]CrossRow, len(x.Configs))
	for c := range rows {
		rows[c] = newCrossRow(d.Configs[c], scores[c])
	}
	order, _ := RankCross(rows, x.Rule)
	for _, i := range order {
		res.Ranking = append(res.Ranking, rows[i])
	}
	res.Tension = tensions(x.Params, res.Scenarios, rows)
	res.Wall = time.Since(start)
	return res, nil
}

// CrossJSON and CrossText are the files a cross-evaluation writes.
const (
	CrossJSON = "cross.json"
	CrossText = "cross.txt"
)

// Report writes the ranking (each configuration's combined score and pass
// rate per scenario) and the scenario tension.
func (r *CrossResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Cross-evaluation on %s: %d configurations × %d seeds (from %d), ranked %s\n",
		strings.Join(r.Scenarios, ", "), len(r.Ranking), r.NSeeds, r.SeedStart, r.Rule)
	configs := make([][]string, len(r.Ranking))
	for i, row := range r.Ranking {
		configs[i] = row.Values
	}
	vary := writeCommon(&b, r.Params, configs)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "rank\t")
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "%s combined (pass)\t", s)
	}
	fmt.Fprintln(tw, "failing seeds\tbalanced\tconfiguration")
	for i, row := range r.Ranking {
		fmt.Fprintf(tw, "%d\t", i+1)
		for _, s := range row.Scores {
			fmt.Fprintf(tw, "%s (%s)\t", style.Fixed(s.Combined, 4), style.Percent(s.PassRate, 0, "%"))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", row.FailSeeds, style.Fixed(row.Balanced, 4), configTextOf(r.Params, row.Values, vary))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Tension) == 0 {
		b.WriteString("scenario tension: none (the best configuration of each scenario agrees on every parameter)\n")
	}
	for _, t := range r.Tension {
		var parts []string
		for _, s := range r.Scenarios {
			parts = append(parts, s+" "+t.Best[s])
		}
		fmt.Fprintf(&b, "scenario tension: %s (%s)\n", t.Param, strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes cross.json and cross.txt into dir, atomically.
func (r *CrossResult) Write(dir string) error {
	return writeResult(dir, "cross", r, r.Report)
}

// ReadCross reads the result of a cross-evaluation from its cross.json in
// dir.
func ReadCross(dir string) (*CrossResult, error) {
	var r CrossResult
	if err := readResult(dir, "cross", &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ReadSearch reads the result of a search from its search.json in dir.
func ReadSearch(dir string) (*SearchResult, error) {
	var r SearchResult
	if err := readResult(dir, "search", &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Finalists returns the best n configurations of the search's last stage
// (the last tier's ranking, else the screening's).
func (r *SearchResult) Finalists(n int) [][]string {
	rs := r.Screening
	if len(r.Tiers) > 0 {
		rs = r.Tiers[len(r.Tiers)-1].Ranking
	}
	var out [][]string
	for _, x := range rs[:min(n, len(rs))] {
		out = append(out, x.Values)
	}
	return out
}
