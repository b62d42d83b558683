package calibration

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// Methods of a sensitivity result (OATResult.Method).
const (
	MethodOAT    = "oat"
	MethodMorris = "morris"
)

// SensitivityBaseline returns the assignments NAME=VALUE that make a
// scenario the baseline of spec §10's sensitivity analysis: for
// growth_plus new_firm_price_markup 1.15, sigma_decay −1.0 and sigma_max
// 0.1; for buffer_stock buffer_stock_h 2.0; none for another scenario,
// whose own values are its baseline.
func SensitivityBaseline(scenario string) []string {
	switch scenario {
	case "growth_plus":
		return []string{"new_firm_price_markup=1.15", "sigma_decay=-1.0", "sigma_max=0.1"}
	case "buffer_stock":
		return []string{"buffer_stock_h=2.0"}
	}
	return nil
}

// ApplySensitivityBaseline returns a copy of sc with the assignments of
// SensitivityBaseline(sc.Name) set.
func ApplySensitivityBaseline(sc *scenarios.Scenario) (*scenarios.Scenario, error) {
	out := sc.Clone()
	for _, a := range SensitivityBaseline(sc.Name) {
		if err := out.Set(a); err != nil {
			return nil, fmt.Errorf("calibrate: the sensitivity baseline of %s: %w", sc.Name, err)
		}
	}
	return out, nil
}

// OAT is the one-at-a-time sensitivity analysis of spec §10: each active
// parameter of Space takes each of its values with every other parameter
// at the baseline (Scenario's value; a parameter of Space with one value
// is set to it), and each unique configuration (the baseline itself
// included) is scored over the seeds SeedStart … SeedStart+NSeeds−1 with
// Scenario's validation suite. A parameter's sensitivity is the range
// (max − min) of its values' mean scores.
type OAT struct {
	Scenario  *scenarios.Scenario
	Space     *Space
	SeedStart uint64
	NSeeds    int
	// Threshold classifies the parameters (0: the spec's 0.02).
	Threshold float64
	// Execution's one stage is named "oat".
	Execution
}

// Plan returns the design of the unique configurations, the baseline
// first (configuration 0), and for the k-th active parameter of the
// space (Space.Active) the configuration of each of its values: a value
// equal to the baseline's is the baseline configuration, evaluated once.
func (o *OAT) Plan() (*experiments.Design, [][]int, error) {
	if o.NSeeds < 1 {
		return nil, nil, fmt.Errorf("%w: --seeds %d: want an integer >= 1", experiments.ErrBadDesign, o.NSeeds)
	}
	active := o.Space.Active()
	if len(active) == 0 {
		return nil, nil, fmt.Errorf("%w: no parameter of the space has two values to vary", experiments.ErrBadDesign)
	}
	base, err := baselineValues(o.Scenario, o.Space)
	if err != nil {
		return nil, nil, err
	}
	var set configSet
	set.add(base)
	at := make([][]int, len(active))
	for k, i := range active {
		for _, v := range o.Space.Params[i].Values {
			vals := slices.Clone(base)
			vals[i] = v
			c, _ := set.add(vals)
			at[k] = append(at[k], c)
		}
	}
	d, err := experiments.NewDesign("oat", o.Space.Names(), set.configs)
	if err != nil {
		return nil, nil, err
	}
	return d, at, nil
}

// Evaluations returns the number of jobs (configuration × seed) the
// analysis runs.
func (o *OAT) Evaluations() (int, error) {
	d, _, err := o.Plan()
	if err != nil {
		return 0, err
	}
	return d.Len() * o.NSeeds, nil
}

// baselineValues returns the baseline configuration of sp on sc: a
// parameter with one value takes it, any other sc's value (written
// canonically, as a design writes it).
func baselineValues(sc *scenarios.Scenario, sp *Space) ([]string, error) {
	out := make([]string, len(sp.Params))
	for i, p := range sp.Params {
		if len(p.Values) == 1 {
			out[i] = p.Values[0]
			continue
		}
		spec, ok := ecs.LookupParam(p.Name)
		if !ok {
			return nil, fmt.Errorf("%w: unknown parameter %q (bam params lists them)", experiments.ErrBadDesign, p.Name)
		}
		out[i] = strings.Trim(spec.Text(&sc.Params), `"`)
	}
	return out, nil
}

// configSet holds configurations in order of first appearance, each once:
// the unique configurations a phase evaluates.
type configSet struct {
	index   map[string]int
	configs [][]string
}

// add returns the position of the configuration vals, adding it if new,
// and whether it was new.
func (u *configSet) add(vals []string) (int, bool) {
	if u.index == nil {
		u.index = map[string]int{}
	}
	key := strings.Join(vals, "\x00")
	if c, ok := u.index[key]; ok {
		return c, false
	}
	u.index[key] = len(u.configs)
	u.configs = append(u.configs, vals)
	return len(u.configs) - 1, true
}

// at returns the position of vals (which must have been added).
func (u *configSet) at(vals []string) int { return u.index[strings.Join(vals, "\x00")] }

// Sensitivity is one parameter's sensitivity result (spec §10): the
// average score of each of its values, the sensitivity (OAT: the range of
// those scores, max − min; from a Morris screening: μ*), the class
// (INCLUDE if the sensitivity exceeds the threshold, else FIX) and the
// best value (the highest score, the first on a tie).
//
// GroupScores (OAT only) are, per metric group of the validation suite
// (spec §4.1: TIME_SERIES, CURVES, ...), the group's share of the mean
// score at each value, in the order of ValueScores (the shares of a
// value add up to its score), and GroupSensitivity the range of each
// group's shares: which part of the validation a parameter moves.
type Sensitivity struct {
	Name             string               `json:"name"`
	Group            string               `json:"group,omitempty"`
	Sensitivity      float64              `json:"sensitivity"`
	Class            string               `json:"class"`
	BestValue        string               `json:"best_value"`
	ValueScores      []ValueScore         `json:"value_scores"`
	GroupScores      map[string][]float64 `json:"group_scores,omitempty"`
	GroupSensitivity map[string]float64   `json:"group_sensitivity,omitempty"`
}

// OATResult is the outcome of a sensitivity analysis (Method MethodOAT),
// or a Morris screening in the same form (MethodMorris,
// MorrisResult.Sensitivity): a Sensitivity per active parameter of
// Space, in its order, and every configuration's Evaluation; Baseline is
// the OAT baseline configuration's (nil from a screening).
type OATResult struct {
	Method         string        `json:"method"`
	Scenario       string        `json:"scenario"`
	SeedStart      uint64        `json:"seed_start"`
	NSeeds         int           `json:"n_seeds"`
	Threshold      float64       `json:"threshold"`
	Space          *Space        `json:"space"`
	Baseline       *Evaluation   `json:"baseline,omitempty"`
	Parameters     []Sensitivity `json:"parameters"`
	Configurations []Evaluation  `json:"configurations"`
	Counts
}

// Run runs the analysis's jobs not yet journaled in dir (creating it; a
// stop loses only the jobs in flight, and the same call resumes), writes
// the evaluations as the sweep tables of dir, and returns the result.
func (o *OAT) Run(ctx context.Context, dir string) (*OATResult, error) {
	d, at, err := o.Plan()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res := &OATResult{Method: MethodOAT, Scenario: o.Scenario.Name, SeedStart: o.SeedStart, NSeeds: o.NSeeds,
		Threshold: o.threshold(), Space: o.Space}
	sums, err := o.evaluate(ctx, "oat", o.Scenario, d, o.SeedStart, o.NSeeds, dir, &res.Counts)
	if err != nil {
		return nil, err
	}
	res.Configurations = make([]Evaluation, d.Len())
	for c := range res.Configurations {
		res.Configurations[c] = Evaluate(d.Configs[c], sums[c])
	}
	res.Baseline = &res.Configurations[0]
	res.Parameters = oatSensitivities(o.Space, at, res.Configurations, groupMeans(sums), res.Threshold)
	res.Wall = time.Since(start)
	return res, nil
}

func (o *OAT) threshold() float64 {
	if o.Threshold == 0 {
		return Threshold
	}
	return o.Threshold
}

// oatSensitivities computes each active parameter's sensitivity from the
// evaluations of the configurations at[k] of its values, and its group
// scores from groups (a configuration's mean group scores, nil when not
// known: the parameter then has none).
func oatSensitivities(sp *Space, at [][]int, evals []Evaluation, groups []map[string]float64, th float64) []Sensitivity {
	out := make([]Sensitivity, 0, len(at))
	for k, i := range sp.Active() {
		p := sp.Params[i]
		s := Sensitivity{Name: p.Name, Group: p.Group}
		scores := make([]float64, len(p.Values))
		for v, c := range at[k] {
			scores[v] = evals[c].Mean
			s.ValueScores = append(s.ValueScores, ValueScore{Value: p.Values[v], Score: scores[v], N: 1})
		}
		s.Sensitivity, s.BestValue = scoreRange(s.ValueScores)
		s.Class = classify(s.Sensitivity, th)
		s.GroupScores, s.GroupSensitivity = valueGroups(at[k], groups)
		out = append(out, s)
	}
	return out
}

// scoreRange returns max − min of the finite value scores and the value
// of the highest (the first on a tie); NaN and "" when none is finite.
func scoreRange(vs []ValueScore) (float64, string) {
	lo, hi, best := math.Inf(1), math.Inf(-1), ""
	for _, v := range vs {
		if math.IsNaN(v.Score) || math.IsInf(v.Score, 0) {
			continue
		}
		lo = min(lo, v.Score)
		if v.Score > hi {
			hi, best = v.Score, v.Value
		}
	}
	if best == "" {
		return math.NaN(), ""
	}
	return hi - lo, best
}

// classify is the class of a sensitivity: INCLUDE if it exceeds th, else
// FIX.
func classify(sensitivity, th float64) string {
	if sensitivity > th {
		return Include
	}
	return Fix
}

// valueGroups returns, per metric group, the group scores of the
// configurations cs (in order) and their range; nil when a configuration
// has no group scores.
func valueGroups(cs []int, groups []map[string]float64) (map[string][]float64, map[string]float64) {
	names := map[string]bool{}
	for _, c := range cs {
		if groups[c] == nil {
			return nil, nil
		}
		for g := range groups[c] {
			names[g] = true
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	scores, ranges := map[string][]float64{}, map[string]float64{}
	for g := range names {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range cs {
			x := groups[c][g]
			scores[g] = append(scores[g], x)
			lo, hi = min(lo, x), max(hi, x)
		}
		ranges[g] = hi - lo
	}
	return scores, ranges
}

// groupMeans returns, per configuration, the mean over its seeds of each
// metric group's share of the score (experiments.Summary.GroupScores). A
// seed that scores 0 (JobScore: it crashed or has no finite score) counts
// 0 in every group, so that the shares still add up to the mean score; a
// configuration with a seed scored without group scores (journaled by an
// older bam) has none (nil).
func groupMeans(sums [][]experiments.Summary) []map[string]float64 {
	names := map[string]bool{}
	for _, ss := range sums {
		for _, s := range ss {
			for g := range s.GroupScores {
				names[g] = true
			}
		}
	}
	out := make([]map[string]float64, len(sums))
	for c, ss := range sums {
		if len(names) == 0 || len(ss) == 0 {
			continue
		}
		m := map[string]float64{}
		known := true
		for _, s := range ss {
			if crashed(&s) {
				continue // 0 in every group
			}
			if s.GroupScores == nil {
				known = false
				break
			}
			for g := range names {
				m[g] += s.GroupScores[g]
			}
		}
		if !known {
			continue
		}
		for g := range names {
			m[g] /= float64(len(ss))
		}
		out[c] = m
	}
	return out
}

// crashed says whether a job scores 0 by JobScore's rule: it crashed or
// has no finite score.
func crashed(s *experiments.Summary) bool {
	return s.Failed != "" || math.IsNaN(s.Score) || math.IsInf(s.Score, 0)
}

// Sensitivity returns the screening in the form of a sensitivity
// analysis's result (spec §10): each parameter's sensitivity is its μ*,
// its value scores and best value are the screening's, and its class is
// the sensitivity rule's, INCLUDE if μ* exceeds the screening's threshold
// (so a parameter the screening includes by σ alone is FIX here, as in
// the reference's conversion).
func (r *MorrisResult) Sensitivity() *OATResult {
	th := r.Threshold
	if th == 0 {
		th = Threshold
	}
	out := &OATResult{Method: MethodMorris, Scenario: r.Scenario, SeedStart: r.SeedStart, NSeeds: r.NSeeds, Threshold: th,
		Space: r.Space, Configurations: r.Configurations, Counts: r.Counts}
	for _, e := range r.Effects {
		out.Parameters = append(out.Parameters, Sensitivity{Name: e.Name, Group: e.Group, Sensitivity: e.MuStar,
			Class: classify(e.MuStar, th), BestValue: e.BestValue, ValueScores: slices.Clone(e.ValueScores)})
	}
	return out
}

// Included returns the names of the INCLUDE parameters, in the space's
// order.
func (r *OATResult) Included() []string {
	var out []string
	for _, p := range r.Parameters {
		if p.Class == Include {
			out = append(out, p.Name)
		}
	}
	return out
}

// BestValues returns a configuration of the space (in its order) with
// every analysed parameter at its best value and every other at its one
// value. A parameter without a best value (none of its values evaluated)
// is an error.
func (r *OATResult) BestValues() ([]string, error) {
	out := make([]string, len(r.Space.Params))
	for i, p := range r.Space.Params {
		out[i] = p.Values[0]
		j := slices.IndexFunc(r.Parameters, func(s Sensitivity) bool { return s.Name == p.Name })
		if j < 0 {
			continue
		}
		if r.Parameters[j].BestValue == "" {
			return nil, fmt.Errorf("%w: %s has no best value (none of its values was evaluated)", experiments.ErrUnusable, p.Name)
		}
		out[i] = r.Parameters[j].BestValue
	}
	return out, nil
}

// OATJSON and OATText are the files a sensitivity analysis writes.
const (
	OATJSON = "oat.json"
	OATText = "oat.txt"
)

// Report writes the analysis: the baseline, the parameters by
// sensitivity (largest first) with their class and best value, each
// metric group's range per parameter, each value's score, and the INCLUDE
// list.
func (r *OATResult) Report(w io.Writer) error {
	var b strings.Builder
	what := "OAT sensitivity"
	if r.Method == MethodMorris {
		what = "Sensitivity (μ* of a Morris screening)"
	}
	fmt.Fprintf(&b, "%s of %s: %d configurations × %d seeds (from %d), threshold %s\n",
		what, r.Scenario, len(r.Configurations), r.NSeeds, r.SeedStart, style.Value(r.Threshold))
	if r.Baseline != nil {
		fmt.Fprintf(&b, "baseline: %s\nbaseline score %s (std %s, pass rate %s)\n", configText(r.Space.Names(), r.Baseline.Values),
			style.Fixed(r.Baseline.Mean, 4), style.Fixed(r.Baseline.Std, 4), style.Percent(r.Baseline.PassRate, 0, "%"))
	}
	ps := slices.Clone(r.Parameters)
	slices.SortStableFunc(ps, func(a, b Sensitivity) int { return cmpDesc(a.Sensitivity, b.Sensitivity) })
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tgroup\tsensitivity\tclass\tbest value (score)")
	for _, p := range ps {
		best := "n/a"
		for _, v := range p.ValueScores {
			if v.Value == p.BestValue {
				best = fmt.Sprintf("%s (%s)", v.Value, style.Fixed(v.Score, 4))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Group, style.Fixed(p.Sensitivity, 4), p.Class, best)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var groups []string
	for _, p := range ps {
		for g := range p.GroupSensitivity {
			if !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	if len(groups) > 0 {
		slices.Sort(groups)
		fmt.Fprintln(&b, "range of each metric group's share of the score:")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "parameter\t%s\n", strings.Join(groups, "\t"))
		for _, p := range ps {
			row := []string{p.Name}
			for _, g := range groups {
				x, ok := p.GroupSensitivity[g]
				if !ok {
					row = append(row, "n/a")
					continue
				}
				row = append(row, style.Fixed(x, 4))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(&b, "value scores:")
	for _, p := range ps {
		var parts []string
		for _, v := range p.ValueScores {
			parts = append(parts, v.Value+" "+style.Fixed(v.Score, 4))
		}
		fmt.Fprintf(&b, "  %s: %s\n", p.Name, strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, "INCLUDE: %s\n", strings.Join(r.Included(), ", "))
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes oat.json and oat.txt into dir, atomically.
func (r *OATResult) Write(dir string) error {
	return writeResult(dir, "oat", r, r.Report)
}

// ReadOAT reads the result of a sensitivity analysis from its oat.json in
// dir.
func ReadOAT(dir string) (*OATResult, error) {
	var r OATResult
	if err := readResult(dir, "oat", &r); err != nil {
		return nil, err
	}
	if r.Space == nil {
		return nil, fmt.Errorf("%w: %s holds no parameter space", experiments.ErrUnusable, filepath.Join(dir, OATJSON))
	}
	return &r, nil
}

// StageCount returns the number of stages a shard runs (Execution): one.
func (o *OAT) StageCount() int { return 1 }
