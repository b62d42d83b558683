package extensions_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
	"github.com/bam-abm/bam/systems/extensions"
)

// defaultPipeline builds the default pipeline for w.
func defaultPipeline(t testing.TB, w *ecs.World) *ecs.Pipeline {
	t.Helper()
	p, err := systems.Builtins().Build(w, systems.DefaultPipeline)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// revenuePhase is spec §12.6's goods and revenue phases with R&D,
// buffer-stock and taxation attached in that order.
var revenuePhase = []string{
	"workers_update_contracts",
	"consumers_calc_buffer_stock_propensity",
	"consumers_decide_buffer_stock_spending",
	"consumers_decide_firms_to_visit", "goods_market_round", "consumers_finalize_purchases",
	"firms_collect_revenue", "firms_validate_debt_commitments",
	"firms_tax_profits",
	"firms_compute_rnd_intensity", "firms_apply_productivity_growth", "firms_deduct_rnd_expenditure",
	"firms_pay_dividends", "firms_update_net_worth",
}

// TestPipelineWithEveryExtension checks the whole pipeline of spec §12.6.
func TestPipelineWithEveryExtension(t *testing.T) {
	w := newWorld(t, 10, 50)
	p := defaultPipeline(t, w)
	base := p.Names()
	if err := extensions.Attach(w, p, extensions.RnD, extensions.BufferStock, extensions.Taxation); err != nil {
		t.Fatal(err)
	}
	got := p.Names()
	i := slices.Index(got, "workers_update_contracts")
	if i < 0 || !slices.Equal(got[i:i+len(revenuePhase)], revenuePhase) {
		t.Fatalf("goods and revenue phases\n%v\nwant\n%v", got[i:], revenuePhase)
	}
	// Everything else is the default pipeline, in order.
	want := slices.Clone(base)
	j := slices.Index(want, "firms_validate_debt_commitments") + 1
	want = slices.Insert(want, j, "firms_tax_profits", "firms_compute_rnd_intensity", "firms_apply_productivity_growth", "firms_deduct_rnd_expenditure")
	want[slices.Index(want, "consumers_calc_propensity")] = "consumers_calc_buffer_stock_propensity"
	want[slices.Index(want, "consumers_decide_income_to_spend")] = "consumers_decide_buffer_stock_spending"
	if !slices.Equal(got, want) {
		t.Errorf("pipeline\n%v\nwant\n%v", got, want)
	}
	if len(got) != 45 {
		t.Errorf("%d executions, want 45", len(got))
	}
	if a := extensions.Attached(w); !slices.Equal(a, []string{"rnd", "buffer_stock", "taxation"}) {
		t.Errorf("Attached = %v", a)
	}
	if extensions.RnDStates(w) == nil || len(extensions.BufferStockStates(w)) != 50 {
		t.Error("state not attached")
	}
	for range 5 {
		p.Step(w)
	}
}

// TestBatchRule checks spec §12.1: a later batch inserting after the same
// anchor lands directly after it, before the earlier batch; the events of
// one batch keep their order.
func TestBatchRule(t *testing.T) {
	tests := []struct {
		name string
		exts []*extensions.Extension
		want []string
	}{
		{"rnd", []*extensions.Extension{extensions.RnD},
			[]string{"firms_validate_debt_commitments", "firms_compute_rnd_intensity", "firms_apply_productivity_growth", "firms_deduct_rnd_expenditure", "firms_pay_dividends"}},
		{"rnd then taxation", []*extensions.Extension{extensions.RnD, extensions.Taxation},
			[]string{"firms_validate_debt_commitments", "firms_tax_profits", "firms_compute_rnd_intensity", "firms_apply_productivity_growth", "firms_deduct_rnd_expenditure", "firms_pay_dividends"}},
		{"taxation then rnd", []*extensions.Extension{extensions.Taxation, extensions.RnD},
			[]string{"firms_validate_debt_commitments", "firms_compute_rnd_intensity", "firms_apply_productivity_growth", "firms_deduct_rnd_expenditure", "firms_tax_profits", "firms_pay_dividends"}},
		{"buffer stock only replaces", []*extensions.Extension{extensions.BufferStock},
			[]string{"firms_validate_debt_commitments", "firms_pay_dividends"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 5, 20)
			p := defaultPipeline(t, w)
			if err := extensions.Attach(w, p, tt.exts...); err != nil {
				t.Fatal(err)
			}
			names := p.Names()
			i := slices.Index(names, "firms_validate_debt_commitments")
			if got := names[i : i+len(tt.want)]; !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// The same rule for a user's two-system batches.
	w := newWorld(t, 5, 20)
	p := defaultPipeline(t, w)
	mk := func(name string) ecs.System { return ecs.Func{ID: name, Fn: func(*ecs.World) {}} }
	for _, batch := range [][]string{{"a1", "a2"}, {"b1", "b2"}} {
		e := &extensions.Extension{Name: "batch_" + batch[0], Attach: func(w *ecs.World, p *ecs.Pipeline) error {
			return p.InsertAfter("firms_pay_dividends", mk(batch[0]), mk(batch[1]))
		}}
		if err := extensions.Attach(w, p, e); err != nil {
			t.Fatal(err)
		}
	}
	names := p.Names()
	i := slices.Index(names, "firms_pay_dividends")
	if got, want := names[i:i+6], []string{"firms_pay_dividends", "b1", "b2", "a1", "a2", "firms_update_net_worth"}; !slices.Equal(got, want) {
		t.Errorf("user batches: %v, want %v", got, want)
	}
}

// TestAttachPrecedence checks spec §2.3: attaching adds the defaults of the
// extension's parameters that are not set, and keeps those that are.
func TestAttachPrecedence(t *testing.T) {
	w := newWorld(t, 5, 20)
	if err := w.Params.SetExt(extensions.ParamSigmaMax, 0.2); err != nil {
		t.Fatal(err)
	}
	user := w.Params.Ext
	p := defaultPipeline(t, w)
	if err := extensions.Attach(w, p, extensions.RnD); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"sigma_min": 0, "sigma_max": 0.2, "sigma_decay": -1}
	if len(w.Params.Ext) != 3 {
		t.Errorf("Ext = %v, want %v", w.Params.Ext, want)
	}
	for k, v := range want {
		if got, ok := w.Params.Ext[k]; !ok || got != v {
			t.Errorf("%s = %v (set %v), want %v", k, got, ok, v)
		}
	}
	if len(user) != 1 {
		t.Errorf("attaching wrote into the caller's map: %v", user)
	}
	if _, ok := w.Params.Ext["profit_tax_rate"]; ok {
		t.Error("parameters of an extension not attached were added")
	}
}

func TestAttachErrors(t *testing.T) {
	t.Run("twice", func(t *testing.T) {
		w := newWorld(t, 5, 20)
		p := defaultPipeline(t, w)
		if err := extensions.Attach(w, p, extensions.RnD); err != nil {
			t.Fatal(err)
		}
		n := p.Len()
		err := extensions.Attach(w, p, extensions.RnD)
		if err == nil || err.Error() != "extension rnd: already attached" || p.Len() != n {
			t.Errorf("second attach: %v (pipeline %d → %d)", err, n, p.Len())
		}
	})
	t.Run("after the first step", func(t *testing.T) {
		w := newWorld(t, 5, 20)
		p := defaultPipeline(t, w)
		p.Step(w)
		err := extensions.Attach(w, p, extensions.Taxation)
		if err == nil || !strings.Contains(err.Error(), "extension taxation: attach before the first step (the simulation is at period 1)") {
			t.Errorf("Attach = %v", err)
		}
	})
	t.Run("nil", func(t *testing.T) {
		w := newWorld(t, 5, 20)
		if err := extensions.Attach(w, defaultPipeline(t, w), nil); err == nil {
			t.Error("nil extension attached")
		}
	})
	for _, tt := range []struct {
		ext    *extensions.Extension
		remove string
	}{
		{extensions.RnD, "firms_validate_debt_commitments"},
		{extensions.Taxation, "firms_validate_debt_commitments"},
		{extensions.BufferStock, "consumers_decide_income_to_spend"},
	} {
		t.Run(tt.ext.Name+" without "+tt.remove, func(t *testing.T) {
			w := newWorld(t, 5, 20)
			p := defaultPipeline(t, w)
			if err := p.Remove(tt.remove); err != nil {
				t.Fatal(err)
			}
			before := p.Names()
			err := extensions.Attach(w, p, tt.ext)
			want := "extension " + tt.ext.Name + `: system "` + tt.remove + `" is not in the pipeline; it has: firms_decide_desired_production, `
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Attach = %v, want prefix %q", err, want)
			}
			if !slices.Equal(p.Names(), before) || len(extensions.Attached(w)) != 0 {
				t.Error("a failed attach changed the pipeline or was recorded")
			}
			if extensions.RnDStates(w) != nil || extensions.BufferStockStates(w) != nil {
				t.Error("a failed attach added state")
			}
		})
	}
	t.Run("attach error wrapped", func(t *testing.T) {
		cause := errors.New("boom")
		e := &extensions.Extension{Name: "failing", Attach: func(*ecs.World, *ecs.Pipeline) error { return cause }}
		w := newWorld(t, 5, 20)
		err := extensions.Attach(w, defaultPipeline(t, w), e)
		if !errors.Is(err, cause) || err.Error() != "extension failing: boom" {
			t.Errorf("Attach = %v", err)
		}
	})
}

// TestPlacedByName checks that the extension systems built through the
// registry (as scenario hooks do) share one state component and work
// without the extension attached (parameters at their defaults).
func TestPlacedByName(t *testing.T) {
	w := newWorld(t, 10, 50)
	p := defaultPipeline(t, w)
	reg := extensions.Systems()
	for _, name := range []string{"firms_compute_rnd_intensity", "firms_apply_productivity_growth", "firms_deduct_rnd_expenditure"} {
		s, err := reg.New(w, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.InsertBefore("firms_pay_dividends", s); err != nil {
			t.Fatal(err)
		}
	}
	for range 30 {
		p.Step(w)
	}
	grew := false
	for i, r := range extensions.RnDStates(w) {
		if r.ProductivityIncrement > 0 && w.Firms.Producer[i].LaborProductivity > 0.5 {
			grew = true
		}
	}
	if !grew {
		t.Error("no firm's productivity grew in 30 periods")
	}
	if w.Params.Ext != nil {
		t.Errorf("Ext = %v; placing systems by name sets no parameter", w.Params.Ext)
	}
}

func TestRegister(t *testing.T) {
	ok := func(*ecs.World, *ecs.Pipeline) error { return nil }
	tax := func(*ecs.World) ecs.System { return extensions.FirmsTaxProfits{} }
	tests := []struct {
		name string
		ext  *extensions.Extension
		err  string
	}{
		{"nil", nil, "nil extension"},
		{"no name", &extensions.Extension{Attach: ok}, `register extension "": want a non-empty name`},
		{"space", &extensions.Extension{Name: "my ext", Attach: ok}, "without white space"},
		{"no attach", &extensions.Extension{Name: "x_noattach"}, "nil Attach"},
		{"taken", &extensions.Extension{Name: "rnd", Attach: ok}, `register extension "rnd": an extension of that name is already registered`},
		{"builtin system", &extensions.Extension{Name: "x_builtin", Attach: ok,
			Systems: []extensions.NamedFactory{{"firms_pay_dividends", tax}}}, `system "firms_pay_dividends" is a built-in system`},
		{"extension system", &extensions.Extension{Name: "x_ext", Attach: ok,
			Systems: []extensions.NamedFactory{{"firms_tax_profits", tax}}}, `system "firms_tax_profits" is already registered`},
		{"same system twice", &extensions.Extension{Name: "x_twice", Attach: ok,
			Systems: []extensions.NamedFactory{{"x_sys", tax}, {"x_sys", tax}}}, `system "x_sys" is already registered`},
		{"nil factory", &extensions.Extension{Name: "x_nilfac", Attach: ok,
			Systems: []extensions.NamedFactory{{"x_sys", nil}}}, `system "x_sys" has a nil factory`},
		{"core parameter", &extensions.Extension{Name: "x_param", Attach: ok,
			Params: []ecs.ParamSpec{ecs.ExtFloat("beta", 1, 0, 2, false, false, "")}}, `register extension "x_param": register parameter "beta": a core parameter has that name`},
		{"parameter clash", &extensions.Extension{Name: "x_clash", Attach: ok,
			Params: []ecs.ParamSpec{ecs.ExtFloat("sigma_max", 0.5, 0, 1, false, false, "other")}}, `register parameter "sigma_max": already registered`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := extensions.Register(tt.ext)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Register = %v, want %q", err, tt.err)
			}
			if tt.ext != nil && tt.ext.Name != "rnd" {
				if _, found := extensions.Lookup(tt.ext.Name); found {
					t.Error("a failed registration was recorded")
				}
			}
		})
	}
	if got := extensions.Names(); !slices.Equal(got[:3], []string{"rnd", "buffer_stock", "taxation"}) {
		t.Errorf("Names() = %v", got)
	}
	for _, e := range []*extensions.Extension{extensions.RnD, extensions.BufferStock, extensions.Taxation} {
		if got, ok := extensions.Lookup(e.Name); !ok || got != e {
			t.Errorf("Lookup(%q) = %v, %v", e.Name, got, ok)
		}
	}
	if _, ok := extensions.Lookup("nope"); ok {
		t.Error("Lookup(nope) found something")
	}
}

// TestBuiltinDeclarations checks the declared parameters against spec §2.3
// and the registered systems against their names.
func TestBuiltinDeclarations(t *testing.T) {
	params := map[string]struct {
		def float64
		rng string
	}{
		"sigma_min": {0, "[0, 1]"}, "sigma_max": {0.1, "[0, 1]"}, "sigma_decay": {-1, "finite number <= 0"},
		"buffer_stock_h": {2, "finite number > 0"}, "profit_tax_rate": {0, "[0, 1]"},
	}
	n := 0
	for _, e := range []*extensions.Extension{extensions.RnD, extensions.BufferStock, extensions.Taxation} {
		if e.Doc == "" {
			t.Errorf("%s has no Doc", e.Name)
		}
		for _, s := range e.Params {
			n++
			want, ok := params[s.Name]
			if !ok || s.DefaultFloat() != want.def || s.RangeString() != want.rng || !s.IsExtension() {
				t.Errorf("%s: %s default %v range %q", e.Name, s.Name, s.DefaultFloat(), s.RangeString())
			}
			if r, ok := ecs.LookupParam(s.Name); !ok || r.Default != s.Default {
				t.Errorf("%s not registered", s.Name)
			}
		}
		w := newWorld(t, 3, 5)
		for _, f := range e.Systems {
			if s := f.New(w); s == nil || s.Name() != f.Name {
				t.Errorf("%s: factory %s returned %v", e.Name, f.Name, s)
			}
		}
	}
	if n != len(params) {
		t.Errorf("%d parameters declared, want %d", n, len(params))
	}
}
