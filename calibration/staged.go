package calibration

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// Stage is one stage of a staged sweep: a name (its folder) and a small
// grid.
type Stage struct {
	Name   string  `json:"name"`
	Params []Param `json:"params"`
}

// ParseStage reads a stage written "NAME:PARAM=V1,V2,...[;PARAM=V1,...]"
// (e.g. "A:beta=0.5,1.0,2.5"); each parameter and value is checked as
// --set checks it.
func ParseStage(s string) (Stage, error) {
	name, grid, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, `/\ `) || name == "." || name == ".." {
		return Stage{}, fmt.Errorf("%w: --stage %q: want NAME:PARAM=V1,V2,...[;PARAM=...] (e.g. A:beta=0.5,1.0,2.5), NAME a folder name", experiments.ErrBadDesign, s)
	}
	st := Stage{Name: name}
	for _, part := range strings.Split(grid, ";") {
		p, vals, ok := strings.Cut(part, "=")
		p = strings.TrimSpace(p)
		if !ok || p == "" || strings.TrimSpace(vals) == "" {
			return Stage{}, fmt.Errorf("%w: --stage %q: want NAME:PARAM=V1,V2,...[;PARAM=...]", experiments.ErrBadDesign, s)
		}
		var values []string
		for _, v := range strings.Split(vals, ",") {
			values = append(values, strings.TrimSpace(v))
		}
		st.Params = append(st.Params, Param{Name: p, Values: values})
	}
	if _, err := NewSpace(st.Params); err != nil {
		return Stage{}, fmt.Errorf("--stage %q: %w", s, err)
	}
	return st, nil
}

// StagedSweep is the staged sweep of spec §10: Stages run in order, each
// a search (grid screening and tiered stability) of its small grid with
// every other parameter at the running best — Scenario with the winners
// of the stages before — and its winner carried forward. With
// CrossCheck, each stage's running best — the values of every stage
// parameter so far, set on CrossCheck, whose other parameters stay its
// own — is scored there too, over CrossSeeds seeds (0: 20).
type StagedSweep struct {
	Scenario   *scenarios.Scenario
	Stages     []Stage
	SeedStart  uint64
	Tiers      []Tier
	Rule       string
	K          float64
	CrossCheck *scenarios.Scenario
	CrossSeeds int
	Execution
}

// DefaultCrossSeeds is the cross-check's seed count of spec §10.
const DefaultCrossSeeds = 20

// StageResult is one stage's search, its winner and the running best
// after it (every stage parameter so far), with its cross-check.
type StageResult struct {
	Name       string        `json:"name"`
	Search     *SearchResult `json:"search"`
	Params     []string      `json:"params"`
	Values     []string      `json:"values"`
	CrossCheck *Ranked       `json:"cross_check,omitempty"`
}

// StagedResult is the outcome of a staged sweep: each stage and the final
// running best.
type StagedResult struct {
	Scenario   string        `json:"scenario"`
	CrossCheck string        `json:"cross_check_scenario,omitempty"`
	CrossSeeds int           `json:"cross_check_seeds,omitempty"`
	Stages     []StageResult `json:"stages"`
	Counts
}

// StageCount returns the number of stages a shard runs (Execution): per
// stage, its screening and tiers, and its cross-check.
func (s *StagedSweep) StageCount() int {
	per := 1 + len(s.Tiers)
	if s.CrossCheck != nil {
		per++
	}
	return len(s.Stages) * per
}

// search returns stage i's search from the running best sc.
func (s *StagedSweep) search(i int, sc *scenarios.Scenario) (*Search, error) {
	sp, err := NewSpace(s.Stages[i].Params)
	if err != nil {
		return nil, err
	}
	return &Search{Scenario: sc, Space: sp, SeedStart: s.SeedStart, Tiers: s.Tiers, Rule: s.Rule, K: s.K, Execution: s.Execution}, nil
}

// Plan returns each stage's search phases (the cross-check adds
// CrossSeeds evaluations per stage).
func (s *StagedSweep) Plan() ([][]Phase, error) {
	if len(s.Stages) == 0 {
		return nil, fmt.Errorf("%w: a staged sweep needs a --stage", experiments.ErrBadDesign)
	}
	var names []string
	var out [][]Phase
	for i, st := range s.Stages {
		if slices.Contains(names, st.Name) {
			return nil, fmt.Errorf("%w: two stages named %q", experiments.ErrBadDesign, st.Name)
		}
		names = append(names, st.Name)
		se, err := s.search(i, s.Scenario)
		if err != nil {
			return nil, err
		}
		ph, err := se.Plan()
		if err != nil {
			return nil, err
		}
		out = append(out, ph)
	}
	return out, nil
}

// Run runs the stages in order in dir, stage NAME's search in dir/NAME
// and its cross-check in dir/NAME/cross-<scenario>, journaled (a stop
// resumes), and returns the result; Final gives the running best.
func (s *StagedSweep) Run(ctx context.Context, dir string) (*StagedResult, error) {
	start := time.Now()
	if _, err := s.Plan(); err != nil {
		return nil, err
	}
	res := &StagedResult{Scenario: s.Scenario.Name}
	seeds := s.CrossSeeds
	if seeds == 0 {
		seeds = DefaultCrossSeeds
	}
	if s.CrossCheck != nil {
		res.CrossCheck, res.CrossSeeds = s.CrossCheck.Name, seeds
	}
	running := s.Scenario.Clone()
	var params, values []string
	for i, st := range s.Stages {
		se, err := s.search(i, running)
		if err != nil {
			return nil, err
		}
		sr, err := se.Run(ctx, filepath.Join(dir, st.Name))
		if err != nil {
			return nil, fmt.Errorf("stage %s: %w", st.Name, err)
		}
		res.Ran += sr.Ran
		res.FromJournal += sr.FromJournal
		for j, p := range sr.Params {
			if err := running.Set(p + "=" + sr.Winner.Values[j]); err != nil {
				return nil, err
			}
			if k := slices.Index(params, p); k >= 0 {
				values[k] = sr.Winner.Values[j]
			} else {
				params, values = append(params, p), append(values, sr.Winner.Values[j])
			}
		}
		out := StageResult{Name: st.Name, Search: sr, Params: slices.Clone(params), Values: slices.Clone(values)}
		if s.CrossCheck != nil {
			x := &CrossEval{Scenarios: []*scenarios.Scenario{s.CrossCheck}, Params: out.Params, Configs: [][]string{out.Values},
				SeedStart: s.SeedStart, NSeeds: seeds, Rule: RankStabilityFirst, Execution: s.Execution}
			cr, err := x.Run(ctx, filepath.Join(dir, st.Name, "cross-check"))
			if err != nil {
				return nil, fmt.Errorf("stage %s: cross-check: %w", st.Name, err)
			}
			res.Ran += cr.Ran
			res.FromJournal += cr.FromJournal
			out.CrossCheck = &cr.Ranking[0].Scores[0]
		}
		res.Stages = append(res.Stages, out)
	}
	res.Wall = time.Since(start)
	return res, nil
}

// Final returns the running best after the last stage: the parameters
// the stages set and their winning values.
func (r *StagedResult) Final() (params, values []string) {
	if len(r.Stages) == 0 {
		return nil, nil
	}
	last := r.Stages[len(r.Stages)-1]
	return last.Params, last.Values
}

// StagedJSON and StagedText are the files a staged sweep writes.
const (
	StagedJSON = "staged.json"
	StagedText = "staged.txt"
)

// Report writes each stage's winner, its combined score and the running
// best, with the cross-checks.
func (r *StagedResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Staged sweep of %s: %d stages", r.Scenario, len(r.Stages))
	if r.CrossCheck != "" {
		fmt.Fprintf(&b, ", each winner cross-checked on %s over %d seeds", r.CrossCheck, r.CrossSeeds)
	}
	b.WriteString("\n")
	for _, st := range r.Stages {
		wn := st.Search.Winner
		fmt.Fprintf(&b, "stage %s: %d configurations; winner %s (combined %s, pass rate %s over %d seeds)\n", st.Name, len(st.Search.Screening),
			configText(st.Search.Params, wn.Values), style.Fixed(wn.Combined, 4), style.Percent(wn.PassRate, 0, "%"), wn.NSeeds)
		if st.CrossCheck != nil {
			fmt.Fprintf(&b, "  cross-check on %s: combined %s, pass rate %s\n", r.CrossCheck, style.Fixed(st.CrossCheck.Combined, 4), style.Percent(st.CrossCheck.PassRate, 0, "%"))
		}
	}
	params, values := r.Final()
	fmt.Fprintf(&b, "running best: %s\n", configText(params, values))
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes staged.json and staged.txt into dir, atomically.
func (r *StagedResult) Write(dir string) error {
	return writeResult(dir, "staged", r, r.Report)
}
