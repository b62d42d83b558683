package calibration

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// The library's defaults of a rescreen (spec §10); the command line
// passes its own, those of a first screening (10 trajectories, 3 seeds).
const (
	RescreenTrajectories = 20
	RescreenSeeds        = 5
)

// Rescreen is the rescreen of spec §10: a second Morris screening over
// the parameters of one Group of a first screening's space, with every
// other parameter locked to Winner's value (Winner is the scenario of a
// previous winner, e.g. a search's winner.toml, read with scenarios.Load).
// It reports each parameter's sensitivity collapse, 100·(1 − μ*₂/μ*₁) %:
// how much of its first-screening effect is left once the others sit at
// the winner. Trajectories and NSeeds of 0 are RescreenTrajectories and
// RescreenSeeds; Threshold 0 is the first screening's.
type Rescreen struct {
	Winner       *scenarios.Scenario
	First        *MorrisResult
	Group        string
	Trajectories int
	SeedStart    uint64
	NSeeds       int
	Threshold    float64
	// Execution's one stage is named "morris".
	Execution
}

// Morris returns the second screening: the group's parameters of the
// first screening's space, with their values, through Winner.
func (r *Rescreen) Morris() (*Morris, error) {
	var params []Param
	var groups []string
	for _, p := range r.First.Space.Params {
		if p.Group != "" && !slices.Contains(groups, p.Group) {
			groups = append(groups, p.Group)
		}
		if p.Group == r.Group {
			params = append(params, p)
		}
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("%w: group %q: the first screening's space has the groups %s", experiments.ErrBadDesign, r.Group, strings.Join(groups, ", "))
	}
	sp, err := NewSpace(params)
	if err != nil {
		return nil, err
	}
	m := &Morris{Scenario: r.Winner, Space: sp, Trajectories: cmp.Or(r.Trajectories, RescreenTrajectories), SeedStart: r.SeedStart,
		NSeeds: cmp.Or(r.NSeeds, RescreenSeeds), Threshold: r.Threshold, Execution: r.Execution}
	if m.Threshold == 0 {
		m.Threshold = r.First.Threshold
	}
	return m, nil
}

// StageCount returns the number of stages a shard runs (Execution): one.
func (r *Rescreen) StageCount() int { return 1 }

// Collapse is one parameter's μ* in the first screening and the rescreen
// and its sensitivity collapse, 100·(1 − μ*₂/μ*₁) % (NaN when μ*₁ is 0).
type Collapse struct {
	Name    string  `json:"name"`
	MuStar1 float64 `json:"mu_star_first"`
	MuStar2 float64 `json:"mu_star_rescreen"`
	Percent float64 `json:"collapse_percent"`
	Class1  string  `json:"class_first"`
	Class2  string  `json:"class_rescreen"`
}

// collapseJSON is a Collapse as JSON, NaN written as null.
type collapseJSON struct {
	Name    string   `json:"name"`
	MuStar1 *float64 `json:"mu_star_first"`
	MuStar2 float64  `json:"mu_star_rescreen"`
	Percent *float64 `json:"collapse_percent"`
	Class1  string   `json:"class_first"`
	Class2  string   `json:"class_rescreen"`
}

// MarshalJSON writes a NaN (a parameter the first screening did not
// screen, or whose μ* was 0) as null.
func (c Collapse) MarshalJSON() ([]byte, error) {
	return json.Marshal(collapseJSON{Name: c.Name, MuStar1: nullable(c.MuStar1), MuStar2: c.MuStar2, Percent: nullable(c.Percent),
		Class1: c.Class1, Class2: c.Class2})
}

// UnmarshalJSON reads what MarshalJSON writes (null is NaN).
func (c *Collapse) UnmarshalJSON(b []byte) error {
	var j collapseJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Collapse{Name: j.Name, MuStar1: orNaN(j.MuStar1), MuStar2: j.MuStar2, Percent: orNaN(j.Percent), Class1: j.Class1, Class2: j.Class2}
	return nil
}

// nullable returns &x, or nil for NaN (JSON null).
func nullable(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// orNaN returns *p, or NaN for nil.
func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// SensitivityCollapse returns 100·(1 − μ*₂/μ*₁): 100 when the effect
// vanished, 0 when it kept its size, negative when it grew; NaN when the
// first effect was 0.
func SensitivityCollapse(muStar1, muStar2 float64) float64 {
	if muStar1 == 0 {
		return math.NaN()
	}
	return 100 * (1 - muStar2/muStar1)
}

// RescreenResult is the outcome of a rescreen: the second screening and
// each of its parameters' collapse, in the space's order.
type RescreenResult struct {
	Group    string        `json:"group"`
	Winner   string        `json:"winner"`
	Morris   *MorrisResult `json:"morris"`
	Collapse []Collapse    `json:"collapse"`
	Counts
}

// Run runs the second screening in dir (journaled, resumable) and
// computes the collapses.
func (r *Rescreen) Run(ctx context.Context, dir string) (*RescreenResult, error) {
	m, err := r.Morris()
	if err != nil {
		return nil, err
	}
	second, err := m.Run(ctx, dir)
	if err != nil {
		return nil, err
	}
	return rescreenResult(r.Group, r.Winner.Source, r.First, second), nil
}

// rescreenResult compares the second screening with the first.
func rescreenResult(group, winner string, first, second *MorrisResult) *RescreenResult {
	res := &RescreenResult{Group: group, Winner: winner, Morris: second, Counts: second.Counts}
	for _, e2 := range second.Effects {
		c := Collapse{Name: e2.Name, MuStar2: e2.MuStar, Class2: e2.Class, MuStar1: math.NaN()}
		if i := slices.IndexFunc(first.Effects, func(e Effect) bool { return e.Name == e2.Name }); i >= 0 {
			c.MuStar1, c.Class1 = first.Effects[i].MuStar, first.Effects[i].Class
		}
		c.Percent = SensitivityCollapse(c.MuStar1, c.MuStar2)
		res.Collapse = append(res.Collapse, c)
	}
	return res
}

// RescreenJSON and RescreenText are the files a rescreen writes.
const (
	RescreenJSON = "rescreen.json"
	RescreenText = "rescreen.txt"
)

// Report writes the second screening's table and the collapses.
func (r *RescreenResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Rescreen of the %s group with every other parameter at %s\n", r.Group, r.Winner)
	if err := r.Morris.Report(&b); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tμ* first\tμ* rescreen\tsensitivity collapse\tclass first → rescreen")
	for _, c := range r.Collapse {
		pct := "n/a"
		if !math.IsNaN(c.Percent) {
			pct = style.Fixed(c.Percent, 1) + " %"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s → %s\n", c.Name, style.Fixed(c.MuStar1, 4), style.Fixed(c.MuStar2, 4), pct, c.Class1, c.Class2)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ReadRescreen reads the result of a rescreen from its rescreen.json in
// dir.
func ReadRescreen(dir string) (*RescreenResult, error) {
	var r RescreenResult
	if err := readResult(dir, "rescreen", &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Write writes rescreen.json and rescreen.txt into dir, atomically.
func (r *RescreenResult) Write(dir string) error {
	return writeResult(dir, "rescreen", r, r.Report)
}
