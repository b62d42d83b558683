package systems

import (
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs"
)

// TestGroupByEmployer checks the workforce groups against a direct scan,
// for all firms and for a subset, with consistent labour counts and with
// counts that a (hypothetical) faulty custom system left too high, too low
// or negative, which must fall back to counting.
func TestWorkforceGroup(t *testing.T) {
	p := ecs.DefaultParams()
	p.NFirms, p.NHouseholds, p.NBanks = 6, 40, 2
	w, err := ecs.NewWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	for j := range w.Households.Worker {
		w.Households.Worker[j].Employer = int32((j*7)%9) - 3 // −3…5: about a third unemployed
	}
	consistent := func() {
		for i := range w.Firms.Employer {
			w.Firms.Employer[i].CurrentLabor = 0
		}
		for _, h := range w.Households.Worker {
			if h.Employer >= 0 {
				w.Firms.Employer[h.Employer].CurrentLabor++
			}
		}
	}
	subset := []bool{true, false, true, true, false, false}
	all := []bool{true, true, true, true, true, true}
	for _, c := range []struct {
		name   string
		only   []bool
		broken func()
	}{
		{"all firms", all, func() {}},
		{"subset", subset, func() {}},
		{"count too high", subset, func() { w.Firms.Employer[0].CurrentLabor += 3 }},
		{"count too low", subset, func() { w.Firms.Employer[2].CurrentLabor-- }},
		{"negative count", all, func() { w.Firms.Employer[3].CurrentLabor = -5 }},
		{"counts swapped", all, func() {
			e := w.Firms.Employer
			e[0].CurrentLabor, e[1].CurrentLabor = e[1].CurrentLabor+1, e[0].CurrentLabor-1
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			consistent()
			c.broken()
			wf := newWorkforce(len(w.Households.Worker), len(w.Firms.Employer))
			wf.group(w.Households.Worker, w.Firms.Employer, c.only)
			for i := range w.Firms.Employer {
				var want []int32
				if c.only[i] {
					for j, h := range w.Households.Worker {
						if h.Employer == int32(i) {
							want = append(want, int32(j))
						}
					}
				}
				got := wf.of(i)
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("firm %d: staff %v, want %v", i, got, want)
				}
			}
		})
	}
}
