package calibration

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// Pipeline is the default calibration pipeline of spec §10 for Scenario:
// a Morris screening of Space, the focused grid of its INCLUDE parameters
// (pruned with Margin; ≤ 0 keeps every value), grid screening and tiered
// stability, and the cross-evaluation of the search's best CrossTop on
// CrossScenarios over CrossSeeds seeds. The phases run in dir/morris,
// dir/search and dir/cross; the whole is resumable and shardable like
// each phase (Execution), its stages those of the three phases in turn.
type Pipeline struct {
	Scenario *scenarios.Scenario
	Space    *Space
	// The screening: its trajectories, seeds (from SeedStart) and
	// threshold (0: 0.02).
	Trajectories int
	NSeeds       int
	Threshold    float64
	SeedStart    uint64
	// The search: the pruning margin, the tiers and their ranking.
	Margin float64
	Tiers  []Tier
	Rule   string
	K      float64
	// The cross-evaluation: the search's best CrossTop on CrossScenarios
	// (none: no cross-evaluation), ranked by CrossRule.
	CrossScenarios []*scenarios.Scenario
	CrossTop       int
	CrossSeeds     int
	CrossRule      string
	Execution
}

// The folders of a pipeline's phases.
const (
	PipelineMorris = "morris"
	PipelineSearch = "search"
	PipelineCross  = "cross"
)

// PipelineResult is the outcome of a pipeline: each phase's result.
type PipelineResult struct {
	Morris *MorrisResult
	Search *SearchResult
	Cross  *CrossResult
	Counts
}

// StageCount returns the number of stages a shard runs (Execution): the
// screening's, the search's and the cross-evaluation's.
func (p *Pipeline) StageCount() int {
	n := (&Morris{}).StageCount() + (&Search{Tiers: p.Tiers}).StageCount()
	if len(p.CrossScenarios) > 0 {
		n += (&CrossEval{}).StageCount()
	}
	return n
}

// Screening returns the pipeline's Morris screening.
func (p *Pipeline) Screening() *Morris {
	return &Morris{Scenario: p.Scenario, Space: p.Space, Trajectories: p.Trajectories, SeedStart: p.SeedStart, NSeeds: p.NSeeds,
		Threshold: p.Threshold, Execution: p.Execution}
}

// Search returns the search of the focused grid of a screening's result.
func (p *Pipeline) Search(m *MorrisResult) (*Search, error) {
	sp, err := Focus(p.Space, m, p.Margin)
	if err != nil {
		return nil, err
	}
	return &Search{Scenario: p.Scenario, Space: sp, SeedStart: p.SeedStart, Tiers: p.Tiers, Rule: p.Rule, K: p.K, Execution: p.Execution}, nil
}

// Cross returns the cross-evaluation of a search's finalists, or nil
// without CrossScenarios.
func (p *Pipeline) Cross(s *SearchResult) *CrossEval {
	if len(p.CrossScenarios) == 0 {
		return nil
	}
	return &CrossEval{Scenarios: p.CrossScenarios, Params: s.Params, Configs: s.Finalists(p.CrossTop), SeedStart: p.SeedStart,
		NSeeds: p.CrossSeeds, Rule: p.CrossRule, Execution: p.Execution}
}

// Run runs the phases in turn in dir's phase folders and returns their
// results (a stop resumes, each phase from its journals).
func (p *Pipeline) Run(ctx context.Context, dir string) (*PipelineResult, error) {
	if p.CrossTop < 1 && len(p.CrossScenarios) > 0 {
		return nil, fmt.Errorf("%w: the cross-evaluation needs CrossTop >= 1", experiments.ErrBadDesign)
	}
	res := &PipelineResult{}
	var err error
	if res.Morris, err = p.Screening().Run(ctx, filepath.Join(dir, PipelineMorris)); err != nil {
		return nil, fmt.Errorf("morris: %w", err)
	}
	s, err := p.Search(res.Morris)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if res.Search, err = s.Run(ctx, filepath.Join(dir, PipelineSearch)); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if x := p.Cross(res.Search); x != nil {
		if res.Cross, err = x.Run(ctx, filepath.Join(dir, PipelineCross)); err != nil {
			return nil, fmt.Errorf("cross: %w", err)
		}
	}
	for _, c := range []Counts{res.Morris.Counts, res.Search.Counts} {
		res.Ran, res.FromJournal, res.Wall = res.Ran+c.Ran, res.FromJournal+c.FromJournal, res.Wall+c.Wall
	}
	if res.Cross != nil {
		res.Ran, res.FromJournal, res.Wall = res.Ran+res.Cross.Ran, res.FromJournal+res.Cross.FromJournal, res.Wall+res.Cross.Wall
	}
	return res, nil
}

// PipelineHTML is the HTML report a pipeline writes into its folder.
const PipelineHTML = "report.html"

// Write writes each phase's result into its folder of dir, the search's
// winner, exported from base (Export) with comment, as dir/winner.toml,
// and the HTML report of the three phases as dir/report.html.
func (r *PipelineResult) Write(dir string, base *scenarios.Scenario, comment string) error {
	if err := r.Morris.Write(filepath.Join(dir, PipelineMorris)); err != nil {
		return err
	}
	if err := r.Search.Write(filepath.Join(dir, PipelineSearch)); err != nil {
		return err
	}
	if r.Cross != nil {
		if err := r.Cross.Write(filepath.Join(dir, PipelineCross)); err != nil {
			return err
		}
	}
	_, text, err := Export(base, r.Search.Params, r.Search.Winner.Values, comment)
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, WinnerTOML), text); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	return (&Report{Morris: r.Morris, Search: r.Search, Cross: r.Cross}).WriteHTML(filepath.Join(dir, PipelineHTML))
}
