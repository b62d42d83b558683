package calibration

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// MaxGridSize is the most configurations a grid of every combination
// (Space.Design) may hold: a focused grid whose parameters are all
// INCLUDE with their values unpruned can hold billions, which would only
// fill the memory.
const MaxGridSize = 1_000_000

// Design returns every combination of the space's values that meets its
// constraints as a design, the last parameter varying fastest. A space of
// more than MaxGridSize combinations, or whose constraints leave none, is
// an error of the class experiments.ErrBadDesign.
func (sp *Space) Design() (*experiments.Design, error) {
	if err := sp.checkSize(); err != nil {
		return nil, err
	}
	axes := make([]experiments.Axis, len(sp.Params))
	for i, p := range sp.Params {
		axes[i] = experiments.Axis{Param: p.Name, Values: p.Values}
	}
	d, err := experiments.Grid(axes)
	if err != nil || len(sp.Constraints) == 0 {
		return d, err
	}
	kept := d.Configs[:0]
	for _, c := range d.Configs {
		if sp.admits(d.Params, c) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%w: no configuration of the grid meets its constraints (%s)", experiments.ErrBadDesign, constraintsText(sp.Constraints))
	}
	d.Configs = kept
	return d, nil
}

// constraintsText writes constraints as a comma list.
func constraintsText(cs []Constraint) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}

// Configurations returns the number of configurations of the grid: every
// combination of the values (Size) that meets the constraints.
func (sp *Space) Configurations() (int, error) {
	if len(sp.Constraints) == 0 {
		return sp.Size(), sp.checkSize()
	}
	d, err := sp.Design()
	if err != nil {
		return 0, err
	}
	return d.Len(), nil
}

// Size returns the number of combinations of the space's values, or
// math.MaxInt if they are more.
func (sp *Space) Size() int {
	n := 1
	for _, p := range sp.Params {
		if k := len(p.Values); k > 0 && n > math.MaxInt/k {
			return math.MaxInt
		}
		n *= len(p.Values)
	}
	return n
}

// checkSize refuses a space of more than MaxGridSize combinations.
func (sp *Space) checkSize() error {
	if n := sp.Size(); n > MaxGridSize {
		return fmt.Errorf("%w: the grid holds %s configurations (the product of its parameters' value counts); at most %d are searched: prune the values (--prune), pin parameters (--fixed) or search a smaller --grid",
			experiments.ErrBadDesign, sizeText(n), MaxGridSize)
	}
	return nil
}

// sizeText writes a grid size, "more than 9223372036854775806" for one
// that overflowed.
func sizeText(n int) string {
	if n == math.MaxInt {
		return fmt.Sprintf("more than %d", math.MaxInt-1)
	}
	return strconv.Itoa(n)
}

// Focus returns the focused grid of spec §10 from a screening of sp: each
// INCLUDE parameter keeps its values less than margin below its best
// value's score (Prune; margin ≤ 0 keeps them all), each FIX parameter is
// pinned to its best value, and parameters the screening did not vary
// keep their one value.
func Focus(sp *Space, r *MorrisResult, margin float64) (*Space, error) {
	out := make([]Param, len(sp.Params))
	for i, p := range sp.Params {
		out[i] = Param{Name: p.Name, Group: p.Group, Values: p.Values}
		j := slices.IndexFunc(r.Effects, func(e Effect) bool { return e.Name == p.Name })
		if j < 0 {
			continue
		}
		e := r.Effects[j]
		switch {
		case e.Class == Fix && e.BestValue != "":
			out[i].Values = []string{e.BestValue}
		case e.Class == Include && margin > 0:
			out[i].Values = Prune(e.ValueScores, margin)
		}
	}
	sp2, err := NewSpace(out)
	if err != nil {
		return nil, err
	}
	return sp2.Constrain(sp.Constraints)
}

// The ranking rules of tiered stability (spec §10).
const (
	RankCombined  = "combined"  // mean · pass_rate · (1 − k · std), highest first
	RankStability = "stability" // pass rate, then fewest FAIL statuses, then combined
	RankMean      = "mean"      // mean score, highest first
)

// Rank returns the order of evals under rule (RankCombined,
// RankStability or RankMean) with the combined score's k: the positions
// of evals, best first; a tie keeps the earlier position first. An
// unknown rule is an error.
func Rank(evals []Evaluation, rule string, k float64) ([]int, error) {
	order := make([]int, len(evals))
	for i := range order {
		order[i] = i
	}
	byCombined := func(a, b int) int { return cmp.Compare(evals[b].Combined(k), evals[a].Combined(k)) }
	var less func(a, b int) int
	switch rule {
	case RankCombined:
		less = byCombined
	case RankStability:
		less = func(a, b int) int {
			if c := cmp.Compare(evals[b].PassRate, evals[a].PassRate); c != 0 {
				return c
			}
			if c := cmp.Compare(evals[a].Fails, evals[b].Fails); c != 0 {
				return c
			}
			return byCombined(a, b)
		}
	case RankMean:
		less = func(a, b int) int { return cmp.Compare(evals[b].Mean, evals[a].Mean) }
	default:
		return nil, fmt.Errorf("%w: ranking %q: want %s, %s or %s", experiments.ErrBadDesign, rule, RankCombined, RankStability, RankMean)
	}
	slices.SortStableFunc(order, less)
	return order, nil
}

// Tier is one tier of tiered stability: the Top best configurations are
// extended to Seeds seeds in total.
type Tier struct {
	Top   int `json:"top"`
	Seeds int `json:"seeds"`
}

// DefaultTiers are spec §10's tiers.
const DefaultTiers = "100:10, 50:20, 10:100"

// ParseTiers reads tiers written "TOP:SEEDS, TOP:SEEDS, ..." (e.g.
// DefaultTiers). Each tier needs TOP ≥ 1 and SEEDS ≥ 2, no more
// configurations than the tier before and more seeds.
func ParseTiers(s string) ([]Tier, error) {
	var out []Tier
	for _, part := range strings.Split(s, ",") {
		top, seeds, ok := strings.Cut(strings.TrimSpace(part), ":")
		t, err1 := strconv.Atoi(strings.TrimSpace(top))
		n, err2 := strconv.Atoi(strings.TrimSpace(seeds))
		if !ok || err1 != nil || err2 != nil || t < 1 || n < 2 {
			return nil, fmt.Errorf("%w: --tiers %q: want TOP:SEEDS, ... with TOP >= 1 and SEEDS >= 2 (e.g. %q)", experiments.ErrBadDesign, s, DefaultTiers)
		}
		if len(out) > 0 && (t > out[len(out)-1].Top || n <= out[len(out)-1].Seeds) {
			return nil, fmt.Errorf("%w: --tiers %q: each tier keeps no more configurations than the one before and runs more seeds", experiments.ErrBadDesign, s)
		}
		out = append(out, Tier{Top: t, Seeds: n})
	}
	return out, nil
}

// TierPlan is what one tier runs: the configurations (positions in the
// candidates) and the new seeds First … First+N−1 of each, after the
// Have seeds already run.
type TierPlan struct {
	Configs []int
	Have    int
	First   uint64
	N       int
}

// PlanTier returns what a tier runs for the best of ranked (positions
// of the candidates, best first) when each candidate has already run
// have seeds, counted from seedStart: only the new seeds (spec §10: seed
// ids continue from the count already run, the screening's seed counting
// as the first).
func PlanTier(t Tier, ranked []int, have int, seedStart uint64) TierPlan {
	top := ranked[:min(t.Top, len(ranked))]
	p := TierPlan{Configs: slices.Clone(top), Have: have, First: seedStart + uint64(have)}
	if t.Seeds > have {
		p.N = t.Seeds - have
	}
	return p
}

// evaluateGrid runs the configurations of d over the seeds seedStart …
// seedStart+n−1 in dir (journaled) and returns each configuration's
// summaries, in design order. With a shard it runs the shard's jobs only
// and returns the stage's summaries if every shard's journal in dir is
// complete, else an *IncompleteError; without one, a dir that holds
// shards' journals is read from them (they must be complete).
func evaluateGrid(ctx context.Context, sc *scenarios.Scenario, d *experiments.Design, seedStart uint64, n, burnIn, workers int,
	shard *stability.Shard, onJob func(done, total int), dir string) ([][]experiments.Summary, *experiments.Outcome, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("calibrate: %w", err)
	}
	s := &experiments.Sweep{Scenario: sc, Design: d, SeedStart: seedStart, NSeeds: n, BurnIn: burnIn, Score: true,
		Workers: max(workers, 1), OnJob: onJob, Shard: shard}
	var o *experiments.Outcome
	var err error
	switch {
	case shard != nil:
		if o, err = s.Run(ctx, dir); err != nil {
			return nil, nil, err
		}
		if o, err = mergedStage(s, dir, o.Ran); err != nil {
			return nil, nil, err
		}
		return byConfig(o.Summaries, d.Len(), n), o, nil // the unsharded run writes the tables
	case hasShardJournals(dir):
		if o, err = mergedStage(s, dir, 0); err != nil {
			var inc *IncompleteError
			if errors.As(err, &inc) {
				return nil, nil, fmt.Errorf("%w: %d of the stage's %d evaluations are in no shard's journal of %s: run the unfinished shards again (they resume)",
					experiments.ErrUnusable, inc.Missing, inc.Total, dir)
			}
			return nil, nil, err
		}
	default:
		if o, err = s.Run(ctx, dir); err != nil {
			return nil, nil, err
		}
	}
	if err := s.Write(dir, o.Summaries, experiments.Metadata{Program: "bam calibrate", WallSeconds: o.Wall.Seconds(),
		JobsRun: o.Ran, JobsJournal: o.FromJournal, Source: "sweep"}); err != nil {
		return nil, nil, err
	}
	return byConfig(o.Summaries, d.Len(), n), o, nil
}

// mergedStage reads the stage of s from every journal in dir (its shards'
// and any other): the summaries of all its jobs in Jobs order, ran of
// them run now, or an *IncompleteError naming how many are missing.
func mergedStage(s *experiments.Sweep, dir string, ran int) (*experiments.Outcome, error) {
	sums, err := s.Gather(dir)
	var miss *experiments.MissingJobsError
	if errors.As(err, &miss) {
		return nil, &IncompleteError{Missing: miss.Missing, Total: miss.Total}
	}
	if err != nil {
		return nil, err
	}
	return &experiments.Outcome{Summaries: sums, Ran: ran, FromJournal: len(sums) - ran}, nil
}

// byConfig cuts summaries in configuration-major order into one slice per
// configuration of n seeds.
func byConfig(sums []experiments.Summary, configs, n int) [][]experiments.Summary {
	out := make([][]experiments.Summary, configs)
	for c := range out {
		out[c] = sums[c*n : (c+1)*n]
	}
	return out
}
