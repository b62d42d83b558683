package calibration

import (
	"context"
	"math"
	"testing"
)

func TestSensitivityCollapse(t *testing.T) {
	for _, tt := range []struct {
		first, second, want float64
	}{
		{0.04, 0.01, 75},   // three quarters of the effect gone
		{0.02, 0.02, 0},    // unchanged
		{0.01, 0.02, -100}, // the effect doubled
		{0.05, 0, 100},     // vanished
		{0, 0.01, math.NaN()},
	} {
		got := SensitivityCollapse(tt.first, tt.second)
		if !(math.Abs(got-tt.want) < 1e-12 || math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("collapse(%v, %v) = %v, want %v", tt.first, tt.second, got, tt.want)
		}
	}
}

// TestRescreen rescreens one group of a small screening through a winner
// and checks that only the group is screened, the collapses are the μ*
// of both screenings, the library defaults apply, the result reads back
// (a NaN collapse as null) and an unknown group is refused.
func TestRescreen(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallBaseline(t)
	sp, err := NewSpace([]Param{{Name: "beta", Values: []string{"1", "5"}, Group: "behavioral"},
		{Name: "max_M", Values: []string{"2", "4"}, Group: "behavioral"}, {Name: "max_leverage", Values: []string{"0", "10"}, Group: "credit"}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := (&Morris{Scenario: sc, Space: sp, Trajectories: 2, NSeeds: 1, Execution: Execution{Workers: 2}}).Run(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	winner := sc.Clone()
	if err := winner.Set("max_leverage=10"); err != nil {
		t.Fatal(err)
	}
	r := &Rescreen{Winner: winner, First: first, Group: "behavioral", Trajectories: 2, Execution: Execution{Workers: 2}}
	m, err := r.Morris()
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Space.Names(); len(got) != 2 || got[0] != "beta" || got[1] != "max_M" || m.NSeeds != RescreenSeeds || m.Trajectories != 2 {
		t.Fatalf("the rescreen screens %v over %d seeds, %d trajectories", got, m.NSeeds, m.Trajectories)
	}
	dir := t.TempDir()
	res, err := r.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Collapse) != 2 || res.Ran != m.NSeeds*len(res.Morris.Configurations) {
		t.Fatalf("collapses %+v, ran %d", res.Collapse, res.Ran)
	}
	for i, c := range res.Collapse {
		if c.MuStar1 != first.Effects[i].MuStar || c.MuStar2 != res.Morris.Effects[i].MuStar ||
			!(c.Percent == SensitivityCollapse(c.MuStar1, c.MuStar2) || math.IsNaN(c.Percent)) {
			t.Errorf("collapse %+v: first μ* %v, rescreen μ* %v", c, first.Effects[i].MuStar, res.Morris.Effects[i].MuStar)
		}
	}
	res.Collapse[0].Percent = math.NaN() // a NaN goes through the file as null
	if err := res.Write(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRescreen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Collapse[0].Percent) || back.Collapse[1].MuStar2 != res.Collapse[1].MuStar2 || back.Group != "behavioral" {
		t.Errorf("read back %+v", back.Collapse)
	}
	r.Group = "entry"
	if _, err := r.Morris(); err == nil {
		t.Error("a group of no parameter of the space is accepted")
	}
}
