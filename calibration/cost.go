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

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// Swap is one preferred value to put into a winning configuration.
type Swap struct {
	Param string `json:"param"`
	Value string `json:"value"`
}

// Cost is the cost analysis of spec §10: each swap is put into Winner
// alone, and the change in combined score mean · pass_rate · (1 − std)
// (sample std) over the seeds SeedStart … SeedStart+NSeeds−1 against
// Winner's classifies it (CostClass). With Combo, the FREE and CHEAP
// swaps are then tested together: every combination of them.
type Cost struct {
	Winner    *scenarios.Scenario
	Swaps     []Swap
	SeedStart uint64
	NSeeds    int
	Combo     bool
	Execution
}

// SwapCost is a swap's (or a combination's) evaluation, its change in
// combined score against the winner and its class.
type SwapCost struct {
	Swaps    []Swap  `json:"swaps"`
	Combined float64 `json:"combined"`
	Delta    float64 `json:"delta"`
	Class    string  `json:"class"`
	Eval     Ranked  `json:"evaluation"`
}

// CostResult is the outcome of a cost analysis.
type CostResult struct {
	Scenario  string     `json:"scenario"`
	SeedStart uint64     `json:"seed_start"`
	NSeeds    int        `json:"n_seeds"`
	Winner    Ranked     `json:"winner"`
	Swaps     []SwapCost `json:"swaps"`
	Combos    []SwapCost `json:"combos,omitempty"`
	Counts
}

// DefaultSwaps returns, for each parameter of sp, the value of the shipped
// scenario of the winner's name when it differs from the winner's: the
// cost of keeping the shipped values.
func DefaultSwaps(winner *scenarios.Scenario, sp *Space) ([]Swap, error) {
	shipped, err := scenarios.Load(winner.Name)
	if err != nil {
		return nil, err
	}
	var out []Swap
	for _, p := range sp.Params {
		spec, ok := ecs.LookupParam(p.Name)
		if !ok {
			continue
		}
		a, b := strings.Trim(spec.Text(&winner.Params), `"`), strings.Trim(spec.Text(&shipped.Params), `"`)
		if a != b {
			out = append(out, Swap{Param: p.Name, Value: b})
		}
	}
	return out, nil
}

// StageCount returns the number of stages a shard runs (Execution): the
// single swaps, then with Combo their combinations.
func (c *Cost) StageCount() int {
	if c.Combo {
		return 2
	}
	return 1
}

// design returns the design of the winner (configuration 0) and of each
// of sets, a list of swaps each, over the parameters the swaps name.
func (c *Cost) design(sets [][]Swap) (*experiments.Design, error) {
	var params []string
	for _, s := range c.Swaps {
		if !slices.Contains(params, s.Param) {
			params = append(params, s.Param)
		}
	}
	base := make([]string, len(params))
	for i, p := range params {
		spec, ok := ecs.LookupParam(p)
		if !ok {
			return nil, fmt.Errorf("%w: unknown parameter %q (bam params lists them)", experiments.ErrBadDesign, p)
		}
		base[i] = strings.Trim(spec.Text(&c.Winner.Params), `"`)
	}
	configs := [][]string{base}
	for _, set := range sets {
		row := append([]string(nil), base...)
		for _, s := range set {
			row[slices.Index(params, s.Param)] = s.Value
		}
		configs = append(configs, row)
	}
	return experiments.NewDesign("cost", params, configs)
}

// Run runs the analysis in dir (the single swaps in dir/swaps, the
// combinations in dir/combos), journaled.
func (c *Cost) Run(ctx context.Context, dir string) (*CostResult, error) {
	start := time.Now()
	if len(c.Swaps) == 0 || c.NSeeds < 1 {
		return nil, fmt.Errorf("%w: a cost analysis needs swaps and seeds", experiments.ErrBadDesign)
	}
	single := make([][]Swap, len(c.Swaps))
	for i, s := range c.Swaps {
		single[i] = []Swap{s}
	}
	res := &CostResult{Scenario: c.Winner.Name, SeedStart: c.SeedStart, NSeeds: c.NSeeds}
	winner, costs, err := c.stage(ctx, "swaps", single, filepath.Join(dir, "swaps"), res)
	if err != nil {
		return nil, err
	}
	res.Winner, res.Swaps = winner, costs
	if c.Combo {
		var cheap []Swap
		for _, sc := range costs {
			if sc.Class == Free || sc.Class == Cheap {
				cheap = append(cheap, sc.Swaps...)
			}
		}
		if len(cheap) > MaxComboSwaps {
			return nil, fmt.Errorf("%w: %d FREE or CHEAP swaps: at most %d go into a combo grid (2^n − n − 1 combinations)", experiments.ErrBadDesign, len(cheap), MaxComboSwaps)
		}
		if len(cheap) >= 2 {
			var sets [][]Swap
			for mask := 1; mask < 1<<len(cheap); mask++ {
				if mask&(mask-1) == 0 {
					continue // one swap: measured already
				}
				var set []Swap
				for i, s := range cheap {
					if mask&(1<<i) != 0 {
						set = append(set, s)
					}
				}
				sets = append(sets, set)
			}
			if _, res.Combos, err = c.stage(ctx, "combos", sets, filepath.Join(dir, "combos"), res); err != nil {
				return nil, err
			}
		}
	}
	res.Wall = time.Since(start)
	return res, nil
}

// MaxComboSwaps bounds the swaps of a combo grid (2^n − n − 1
// combinations).
const MaxComboSwaps = 10

// stage evaluates the winner and each set of swaps.
func (c *Cost) stage(ctx context.Context, name string, sets [][]Swap, dir string, res *CostResult) (Ranked, []SwapCost, error) {
	d, err := c.design(sets)
	if err != nil {
		return Ranked{}, nil, err
	}
	sums, err := c.evaluate(ctx, name, c.Winner, d, c.SeedStart, c.NSeeds, dir, &res.Counts)
	if err != nil {
		return Ranked{}, nil, err
	}
	rank := func(i int) Ranked {
		e := Evaluate(d.Configs[i], sums[i])
		return Ranked{Evaluation: e, Combined: e.Combined(1)}
	}
	w := rank(0)
	out := make([]SwapCost, len(sets))
	for i, set := range sets {
		r := rank(i + 1)
		delta := r.Combined - w.Combined
		out[i] = SwapCost{Swaps: set, Combined: r.Combined, Delta: delta, Class: CostClass(delta), Eval: r}
	}
	return w, out, nil
}

// CostJSON and CostText are the files a cost analysis writes.
const (
	CostJSON = "cost.json"
	CostText = "cost.txt"
)

// Report writes each swap's change in combined score and class, then the
// combinations.
func (r *CostResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Cost analysis of %s: combined %s over seeds %d–%d\n", r.Scenario, style.Fixed(r.Winner.Combined, 4), r.SeedStart, r.SeedStart+uint64(r.NSeeds)-1)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "swap\tcombined\tΔ\tclass")
	for _, xs := range [][]SwapCost{r.Swaps, r.Combos} {
		for _, x := range xs {
			var parts []string
			for _, s := range x.Swaps {
				parts = append(parts, s.Param+"="+s.Value)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.Join(parts, " "), style.Fixed(x.Combined, 4), style.Fixed(x.Delta, 4), x.Class)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Write writes cost.json and cost.txt into dir, atomically.
func (r *CostResult) Write(dir string) error {
	return writeResult(dir, "cost", r, r.Report)
}

// ReadCost reads the result of a cost analysis from its cost.json in dir.
func ReadCost(dir string) (*CostResult, error) {
	var r CostResult
	if err := readResult(dir, "cost", &r); err != nil {
		return nil, err
	}
	return &r, nil
}
