package calibration

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// Search is grid screening followed by tiered stability (spec §10): every
// configuration of Space runs once, on seed SeedStart, and is ranked by
// its single-seed score; then each tier extends its best configurations
// (under Rule, with all the seeds they have run) to the tier's seed count,
// running only the new seeds. The winner is the first of the last tier's
// ranking.
type Search struct {
	Scenario  *scenarios.Scenario
	Space     *Space
	SeedStart uint64
	Tiers     []Tier
	// Rule ranks the tiers (RankCombined, RankStability or RankMean; ""
	// is RankCombined); K is the combined score's k (0: 1).
	Rule string
	K    float64
	// Execution's stages are the phases of Plan that run evaluations.
	Execution
}

// Phase is one phase of a search and the number of evaluations it runs.
type Phase struct {
	Name        string `json:"name"`
	Configs     int    `json:"configurations"`
	Seeds       int    `json:"new_seeds"`
	Evaluations int    `json:"evaluations"`
}

// Plan returns the phases and their evaluations, known before any runs:
// the screening's grid, then each tier's configurations × new seeds.
func (s *Search) Plan() ([]Phase, error) {
	if _, err := Rank(nil, s.rule(), 1); err != nil {
		return nil, err
	}
	n, err := s.Space.Configurations()
	if err != nil {
		return nil, err
	}
	out := []Phase{{Name: "screen", Configs: n, Seeds: 1, Evaluations: n}}
	have := 1
	for i, t := range s.Tiers {
		c := min(t.Top, n)
		p := Phase{Name: fmt.Sprintf("tier-%d", i+1), Configs: c, Seeds: max(t.Seeds-have, 0)}
		p.Evaluations = p.Configs * p.Seeds
		out = append(out, p)
		n, have = c, max(have, t.Seeds)
	}
	return out, nil
}

// StageCount returns the number of stages a shard runs (Execution): the
// screening, then each tier.
func (s *Search) StageCount() int { return 1 + len(s.Tiers) }

func (s *Search) rule() string {
	if s.Rule == "" {
		return RankCombined
	}
	return s.Rule
}

func (s *Search) k() float64 {
	if s.K == 0 {
		return 1
	}
	return s.K
}

// Ranked is a configuration's evaluation with its combined score.
type Ranked struct {
	Evaluation
	Combined float64 `json:"combined"`
}

// TierResult is one tier's ranking of its configurations over all their
// seeds, best first.
type TierResult struct {
	Tier
	FirstNewSeed uint64   `json:"first_new_seed"`
	NewSeeds     int      `json:"new_seeds"`
	Ranking      []Ranked `json:"ranking"`
}

// SearchResult is the outcome of a search.
type SearchResult struct {
	Scenario  string       `json:"scenario"`
	Params    []string     `json:"params"`
	Rule      string       `json:"rule"`
	K         float64      `json:"k"`
	Screening []Ranked     `json:"screening"`
	Tiers     []TierResult `json:"tiers"`
	Winner    Ranked       `json:"winner"`
	Counts
}

// Run runs the search in dir: the screening in dir/screen, tier i in
// dir/tier-i, each journaled, so a stop loses only the evaluations in
// flight and the same call resumes (the rankings that choose a tier's
// configurations are computed from journaled scores, so they come out the
// same).
func (s *Search) Run(ctx context.Context, dir string) (*SearchResult, error) {
	start := time.Now()
	phases, err := s.Plan()
	if err != nil {
		return nil, err
	}
	d, err := s.Space.Design()
	if err != nil {
		return nil, err
	}
	res := &SearchResult{Scenario: s.Scenario.Name, Params: d.Params, Rule: s.rule(), K: s.k()}
	sums, err := s.evaluate(ctx, phases[0].Name, s.Scenario, d, s.SeedStart, 1, filepath.Join(dir, phases[0].Name), &res.Counts)
	if err != nil {
		return nil, err
	}
	configs := d.Configs
	all := sums // every seed run so far, per configuration of configs
	evals := make([]Evaluation, len(configs))
	for c := range evals {
		evals[c] = Evaluate(configs[c], all[c])
	}
	order, _ := Rank(evals, RankMean, s.k()) // the screening: single-seed score
	res.Screening = ranked(evals, order, s.k())
	have := 1
	for i, t := range s.Tiers {
		p := PlanTier(t, order, have, s.SeedStart)
		tierConfigs := make([][]string, len(p.Configs))
		tierSums := make([][]experiments.Summary, len(p.Configs))
		for j, c := range p.Configs {
			tierConfigs[j], tierSums[j] = configs[c], all[c]
		}
		if p.N > 0 {
			td, err := experiments.NewDesign("tier", d.Params, tierConfigs)
			if err != nil {
				return nil, err
			}
			name := phases[i+1].Name
			more, err := s.evaluate(ctx, name, s.Scenario, td, p.First, p.N, filepath.Join(dir, name), &res.Counts)
			if err != nil {
				return nil, err
			}
			for j := range tierSums {
				tierSums[j] = append(append([]experiments.Summary(nil), tierSums[j]...), more[j]...)
			}
		}
		configs, all = tierConfigs, tierSums
		evals = make([]Evaluation, len(configs))
		for c := range evals {
			evals[c] = Evaluate(configs[c], all[c])
		}
		order, _ = Rank(evals, s.rule(), s.k())
		res.Tiers = append(res.Tiers, TierResult{Tier: t, FirstNewSeed: p.First, NewSeeds: p.N, Ranking: ranked(evals, order, s.k())})
		have = max(have, t.Seeds)
	}
	if len(res.Tiers) > 0 {
		res.Winner = res.Tiers[len(res.Tiers)-1].Ranking[0]
	} else {
		res.Winner = res.Screening[0]
	}
	res.Wall = time.Since(start)
	return res, nil
}

// ranked returns evals in order, with their combined scores.
func ranked(evals []Evaluation, order []int, k float64) []Ranked {
	out := make([]Ranked, len(order))
	for i, c := range order {
		out[i] = Ranked{Evaluation: evals[c], Combined: evals[c].Combined(k)}
	}
	return out
}

// SearchJSON and SearchText are the files a search writes.
const (
	SearchJSON = "search.json"
	SearchText = "search.txt"
)

// Report writes the search: the screening's best, each tier's top
// configurations, and the winner.
func (r *SearchResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Grid screening of %s: %d configurations on one seed; tiers ranked by %s (k = %s)\n",
		r.Scenario, len(r.Screening), r.Rule, style.Value(r.K))
	configs := make([][]string, len(r.Screening))
	for i, x := range r.Screening {
		configs[i] = x.Values
	}
	vary := writeCommon(&b, r.Params, configs)
	show := func(title string, rs []Ranked, n int) {
		fmt.Fprintf(&b, "%s\n", title)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "rank\tseeds\tmean\tstd\tpass rate\tFAILs\tcombined\tconfiguration")
		for i, x := range rs[:min(n, len(rs))] {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%d\t%s\t%s\n", i+1, x.NSeeds, style.Fixed(x.Mean, 4), style.Fixed(x.Std, 4),
				style.Percent(x.PassRate, 0, "%"), x.Fails, style.Fixed(x.Combined, 4), configTextOf(r.Params, x.Values, vary))
		}
		tw.Flush()
	}
	show("screening, best 5:", r.Screening, 5)
	for i, t := range r.Tiers {
		show(fmt.Sprintf("tier %d (top %d to %d seeds, %d new from seed %d), best 5:", i+1, t.Top, t.Seeds, t.NewSeeds, t.FirstNewSeed), t.Ranking, 5)
	}
	fmt.Fprintf(&b, "winner: %s (combined %s over %d seeds)\n", configText(r.Params, r.Winner.Values), style.Fixed(r.Winner.Combined, 4), r.Winner.NSeeds)
	_, err := io.WriteString(w, b.String())
	return err
}

// configText writes a configuration as NAME=VALUE pairs, every parameter
// of the grid in order.
func configText(params, values []string) string {
	return configTextOf(params, values, nil)
}

// configTextOf writes a configuration as NAME=VALUE pairs of the
// parameters at the positions only (all of them for nil).
func configTextOf(params, values []string, only []int) string {
	var parts []string
	for i := range params {
		if only == nil || slices.Contains(only, i) {
			parts = append(parts, params[i]+"="+values[i])
		}
	}
	return strings.Join(parts, " ")
}

// writeCommon writes, for a report, the parameters that have the same
// value in every configuration ("the same in every configuration: ...",
// nothing if none), and returns the positions of the others, the ones the
// report's rows show (nil, i.e. all, when none varies).
func writeCommon(b *strings.Builder, params []string, configs [][]string) []int {
	vary := []int{}
	var same []string
	for i, p := range params {
		if len(configs) > 0 && slices.ContainsFunc(configs, func(c []string) bool { return c[i] != configs[0][i] }) {
			vary = append(vary, i)
		} else if len(configs) > 0 {
			same = append(same, p+"="+configs[0][i])
		}
	}
	if len(same) > 0 {
		fmt.Fprintf(b, "the same in every configuration: %s\n", strings.Join(same, " "))
	}
	if len(vary) == 0 {
		return nil // one configuration: its rows show every parameter
	}
	return vary
}

// Write writes search.json and search.txt into dir, atomically.
func (r *SearchResult) Write(dir string) error {
	return writeResult(dir, "search", r, r.Report)
}
