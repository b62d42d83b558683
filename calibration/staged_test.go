package calibration

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation"
)

func TestParseStage(t *testing.T) {
	for _, tt := range []struct {
		in     string
		name   string
		params string // name=values;...
		err    string
	}{
		{in: "A:beta=0.5,1.0,2.5", name: "A", params: "beta=0.5,1.0,2.5"},
		{in: " credit : max_leverage=5, 10 ;max_loan_to_net_worth=2,5", name: "credit", params: "max_leverage=5,10;max_loan_to_net_worth=2,5"},
		{in: "beta=1,2", err: "want NAME:PARAM"},
		{in: ":beta=1", err: "want NAME:PARAM"},
		{in: "a/b:beta=1", err: "folder name"},
		{in: "A:beta", err: "want NAME:PARAM"},
		{in: "A:beta=", err: "want NAME:PARAM"},
		{in: "A:nope=1,2", err: `unknown parameter "nope"`},
		{in: "A:beta=-1", err: "beta"},
	} {
		st, err := ParseStage(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseStage(%q): %v, want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		var parts []string
		for _, p := range st.Params {
			parts = append(parts, p.Name+"="+strings.Join(p.Values, ","))
		}
		if err != nil || st.Name != tt.name || strings.Join(parts, ";") != tt.params {
			t.Errorf("ParseStage(%q) = %q %q, %v; want %q %q", tt.in, st.Name, parts, err, tt.name, tt.params)
		}
	}
}

// TestStagedSweep runs two stages, the second carrying the first's
// winner, with a cross-check on Growth+, and checks the carried values,
// the stage count and that the running best, run directly, gives the
// last stage winner's scores (so the last stage did run with the first
// stage's winner set).
func TestStagedSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallBaseline(t)
	gp, err := scenarios.Load("growth_plus")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=2", "n_periods=80"} {
		if err := gp.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := ParseStage("A:beta=1,5")
	b, _ := ParseStage("B:max_M=2,4")
	tiers, _ := ParseTiers("2:3")
	s := &StagedSweep{Scenario: sc, Stages: []Stage{a, b}, Tiers: tiers, CrossCheck: gp, CrossSeeds: 2, Execution: Execution{Workers: 2}}
	if s.StageCount() != 6 {
		t.Errorf("%d stages to shard, want 2 × (screen, tier, cross-check)", s.StageCount())
	}
	res, err := s.Run(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Stages) != 2 || res.Ran != 2*(2+2*2)+2*2 {
		t.Fatalf("%d stages, %d evaluations", len(res.Stages), res.Ran)
	}
	first, last := res.Stages[0], res.Stages[1]
	if first.Values[0] != first.Search.Winner.Values[0] || len(last.Params) != 2 || last.Values[0] != first.Values[0] ||
		last.Values[1] != last.Search.Winner.Values[0] || last.CrossCheck == nil || last.CrossCheck.NSeeds != 2 {
		t.Fatalf("stages %+v / %+v", first, last)
	}
	params, values := res.Final()
	best, _, err := Export(sc, params, values, "")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := bam.NewFromScenario(best)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := validation.SuiteFor(best, sim.Pipeline.Names())
	if err != nil {
		t.Fatal(err)
	}
	var scores []float64
	for seed := range uint64(3) {
		r, err := validation.RunSeed(context.Background(), best, suite, seed, validation.Options{})
		if err != nil {
			t.Fatal(err)
		}
		scores = append(scores, r.TotalScore)
	}
	if m := mean(scores); math.Abs(m-last.Search.Winner.Mean) > 1e-12 {
		t.Errorf("the running best scores %v over seeds 0–2; the last stage's winner %v", m, last.Search.Winner.Mean)
	}
	s.Stages = []Stage{a, a}
	if _, err := s.Plan(); err == nil {
		t.Error("two stages of one name are accepted")
	}
}
