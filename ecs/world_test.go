package ecs_test

import (
	"fmt"
	"strings"
	"testing"

	arche "github.com/mlange-42/arche/ecs"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
)

func TestNewWorldInitialState(t *testing.T) {
	p := ecs.DefaultParams()
	w, err := ecs.NewWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	if w.Count(ecs.Firms) != 100 || w.Count(ecs.Households) != 500 || w.Count(ecs.Banks) != 10 {
		t.Fatalf("counts %d/%d/%d", w.Count(ecs.Firms), w.Count(ecs.Households), w.Count(ecs.Banks))
	}
	// Worked numbers of spec §3.6.
	f := w.Firms.Producer[42]
	if f.Price != 0.5 || f.ProductionPrev != 2.5 || w.Firms.Borrower[42].NetWorth != 7.5 || w.Firms.Borrower[42].TotalFunds != 7.5 {
		t.Errorf("firm state %+v %+v", f, w.Firms.Borrower[42])
	}
	if got := w.Firms.Employer[0].WageOffer; got != 0.5/3 {
		t.Errorf("wage offer %v", got)
	}
	if got := w.Econ.MinWage; got != 0.5/3*0.5 {
		t.Errorf("min wage %v", got)
	}
	if h := w.Households.Worker[7]; h.Employer != -1 || h.EmployerPrev != -1 {
		t.Errorf("household %+v", h)
	}
	if c := w.Households.Consumer[7]; c.Savings != 1 || c.LargestProdPrev != -1 {
		t.Errorf("consumer %+v", c)
	}
	if w.Banks.Lender[3].EquityBase != 5 {
		t.Errorf("bank %+v", w.Banks.Lender[3])
	}
	if len(w.Econ.AvgPriceHistory) != 1 || w.Econ.AvgPriceHistory[0] != 0.5 || len(w.Econ.InflationHistory) != 1 {
		t.Errorf("histories %v %v", w.Econ.AvgPriceHistory, w.Econ.InflationHistory)
	}
}

// TestDenseViewsAliasArche checks that the dense views are the arche storage:
// a write through a view is seen by arche's Get and vice versa.
func TestDenseViewsAliasArche(t *testing.T) {
	w, err := ecs.NewWorld(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	w.Firms.Producer[5].Price = 9
	e := w.Entity(ecs.Firms, 5)
	id := arche.ComponentID[components.Producer](w.Arche())
	if got := (*components.Producer)(w.Arche().Get(e, id)).Price; got != 9 {
		t.Errorf("arche sees price %v, want 9", got)
	}
}

type extra struct{ X float64 }

func TestAddComponent(t *testing.T) {
	w, err := ecs.NewWorld(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	w.Firms.Producer[3].Price = 4
	view, err := ecs.AddComponent[extra](w, ecs.Firms)
	if err != nil {
		t.Fatal(err)
	}
	x := view()
	if len(x) != 100 {
		t.Fatalf("view has %d elements", len(x))
	}
	x[10].X = 2
	if w.Firms.Producer[3].Price != 4 {
		t.Error("existing component data lost when the archetype changed")
	}
	if view()[10].X != 2 {
		t.Error("view does not alias storage")
	}
	if _, err := ecs.AddComponent[extra](w, ecs.Firms); err == nil || !strings.Contains(err.Error(), "already have") {
		t.Errorf("second add: %v", err)
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(p *ecs.Params)
		err  string
	}{
		{"defaults", func(*ecs.Params) {}, ""},
		{"no firms", func(p *ecs.Params) { p.NFirms = 0 }, "n_firms = 0 is out of range: want integer >= 1"},
		{"shock cap", func(p *ecs.Params) { p.HRho = 1.5 }, "h_rho = 1.5 is out of range: want [0, 1]"},
		{"v open at 0", func(p *ecs.Params) { p.V = 0 }, "v = 0 is out of range: want (0, 1]"},
		{"enum", func(p *ecs.Params) { p.ConsumerMatching = "x" }, `consumer_matching = "x" is not allowed: want one of "loyalty", "random"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ecs.DefaultParams()
			tt.mod(&p)
			err := p.Validate()
			if (tt.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Validate() = %v, want %q", err, tt.err)
			}
		})
	}
}

// TestParamSpecDefaults checks that the defaults written in the parameter
// table agree with DefaultParams.
func TestParamSpecDefaults(t *testing.T) {
	d := ecs.DefaultParams()
	for _, s := range ecs.ParamSpecs {
		got := fmt.Sprint(s.Get(&d))
		want := strings.Trim(s.Default, `"`)
		if s.Kind == ecs.KindOptFloat {
			if s.Get(&d) != nil || want != "absent" {
				t.Errorf("%s: default %v, table says %q", s.Name, s.Get(&d), s.Default)
			}
			continue
		}
		var g, w float64
		if _, err := fmt.Sscan(got, &g); err == nil {
			if _, err := fmt.Sscan(want, &w); err != nil || g != w {
				t.Errorf("%s: DefaultParams has %s, table says %s", s.Name, got, want)
			}
		} else if got != want {
			t.Errorf("%s: DefaultParams has %s, table says %s", s.Name, got, want)
		}
	}
}

// TestResourceOf checks that a typed resource is created once per world
// and type, and that worlds and types do not share them.
func TestResourceOf(t *testing.T) {
	type a struct{ n int }
	type b struct{ n int }
	w1, err := ecs.NewWorld(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	w2, err := ecs.NewWorld(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	created := 0
	newA := func() *a { created++; return &a{n: created} }
	x, y := ecs.ResourceOf(w1, newA), ecs.ResourceOf(w1, newA)
	if x != y || created != 1 {
		t.Fatalf("two calls gave %p and %p after %d creations, want one value", x, y, created)
	}
	if z := ecs.ResourceOf(w2, newA); z == x || created != 2 {
		t.Errorf("another world shares the resource (created %d)", created)
	}
	if v := ecs.ResourceOf(w1, func() *b { return &b{n: 7} }); v.n != 7 || ecs.ResourceOf(w1, newA) != x {
		t.Errorf("resources of two types interfere: b = %+v", v)
	}
}
