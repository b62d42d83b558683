package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/cli"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/results"
)

// TestPolicy runs the policy from Go beside the same seed without it: the
// economies agree up to period At, where the policy's minimum wage is Factor
// times the other's and no employed worker is paid below it.
func TestPolicy(t *testing.T) {
	const at, factor, periods = 20, 2.0, 30
	build := func(policy bool) *bam.Simulation {
		p := ecs.DefaultParams()
		p.Seed = 3
		sim, err := bam.New(p)
		if err != nil {
			t.Fatal(err)
		}
		if policy {
			if err := sim.Pipeline.InsertAfter("adjust_minimum_wage", MinWagePolicy{At: at, Factor: factor}); err != nil {
				t.Fatal(err)
			}
		}
		return sim
	}
	with, without := build(true), build(false)
	with.Run(at)
	without.Run(at)
	for i := 0; i < at-1; i++ {
		if with.History.Rows[i] != without.History.Rows[i] {
			t.Fatalf("period %d differs before the policy", i+1)
		}
	}
	got, base := with.History.Rows[at-1].MinWage, without.History.Rows[at-1].MinWage
	if got != factor*base {
		t.Errorf("minimum wage in period %d: %g, want %g × %g", at, got, factor, base)
	}
	for j, h := range with.World.Households.Worker {
		if h.Employed() && h.Wage < got {
			t.Errorf("household %d employed at %g below the minimum wage %g", j, h.Wage, got)
		}
	}
	with.Run(periods - at)
	if n := len(with.History.Rows); n != periods {
		t.Errorf("%d periods, want %d", n, periods)
	}
}

// TestCommands runs the program's command line: run of the registered
// scenario with the policy's parameters from --set, and without the policy
// (factor 1); the run folders record the program and its parameters, and
// the minimum wage of the policy's period is the factor times the other's.
func TestCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	withDir, withoutDir := filepath.Join(dir, "with"), filepath.Join(dir, "without")
	args := []string{"minwage", "run", "--quiet", "--periods", "40", "--seed", "1", "--set", "min_wage_period=30"}
	// The options register the model once per process; later calls give
	// only the name.
	if code := cli.Main(ctx, append(args, "--set", "min_wage_factor=1.25", "--out", withDir, "min_wage_hike"), options()...); code != 0 {
		t.Fatalf("run with the policy: exit %d", code)
	}
	if code := cli.Main(ctx, append(args, "--set", "min_wage_factor=1", "--out", withoutDir, "min_wage_hike"), cli.Name("minwage")); code != 0 {
		t.Fatalf("run without the policy: exit %d", code)
	}
	m, err := results.ReadManifest(withDir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Program != "minwage" || m.Scenario != "min_wage_hike" || m.Parameters.ExtValue("min_wage_factor") != 1.25 || m.Parameters.ExtValue("min_wage_period") != 30 {
		t.Errorf("run.json: program %q, scenario %q, factor %g, period %g", m.Program, m.Scenario,
			m.Parameters.ExtValue("min_wage_factor"), m.Parameters.ExtValue("min_wage_period"))
	}
	with, err := results.ReadEconomy(withDir, "min_wage")
	if err != nil {
		t.Fatal(err)
	}
	without, err := results.ReadEconomy(withoutDir, "min_wage")
	if err != nil {
		t.Fatal(err)
	}
	w, o := with.Column("min_wage"), without.Column("min_wage")
	if len(w) != 40 || len(o) != 40 {
		t.Fatalf("%d and %d periods, want 40", len(w), len(o))
	}
	if w[28] != o[28] || w[29] != 1.25*o[29] {
		t.Errorf("minimum wage in periods 29, 30: %g, %g with the policy, %g, %g without", w[28], w[29], o[28], o[29])
	}
	if code := cli.Main(ctx, []string{"minwage", "plot", "-o", filepath.Join(dir, "with.png"), withDir}, cli.Name("minwage")); code != 0 {
		t.Errorf("plot: exit %d", code)
	}
}
