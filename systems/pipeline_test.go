package systems_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
)

// specOrder is the event table of spec §1 (max_M = 4, max_H = 2).
var specOrder = []string{
	"firms_decide_desired_production",  // 1
	"firms_plan_breakeven_price",       // 2
	"firms_plan_price",                 // 3
	"firms_decide_desired_labor",       // 4
	"firms_decide_vacancies",           // 5
	"firms_fire_excess_workers",        // 6
	"calc_inflation_rate",              // 7
	"adjust_minimum_wage",              // 8
	"firms_decide_wage_offer",          // 9
	"workers_decide_firms_to_apply",    // 10
	"labor_market_round",               // 11
	"labor_market_round",               // 12
	"labor_market_round",               // 13
	"labor_market_round",               // 14
	"firms_calc_wage_bill",             // 15
	"banks_decide_credit_supply",       // 16
	"banks_decide_interest_rate",       // 17
	"firms_decide_credit_demand",       // 18
	"firms_calc_financial_fragility",   // 19
	"firms_prepare_loan_applications",  // 20
	"credit_market_round",              // 21
	"credit_market_round",              // 22
	"firms_fire_workers",               // 23
	"firms_pay_wages",                  // 24
	"workers_receive_wage",             // 25
	"firms_run_production",             // 26
	"update_avg_mkt_price",             // 27
	"workers_update_contracts",         // 28
	"consumers_calc_propensity",        // 29
	"consumers_decide_income_to_spend", // 30
	"consumers_decide_firms_to_visit",  // 31
	"goods_market_round",               // 32
	"consumers_finalize_purchases",     // 33
	"firms_collect_revenue",            // 34
	"firms_validate_debt_commitments",  // 35
	"firms_pay_dividends",              // 36
	"firms_update_net_worth",           // 37
	"mark_bankrupt_firms",              // 38
	"mark_bankrupt_banks",              // 39
	"spawn_replacement_firms",          // 40
	"spawn_replacement_banks",          // 41
}

// withRounds returns specOrder with m labour and h credit rounds.
func withRounds(m, h int) []string {
	var out []string
	for i, n := range specOrder {
		switch {
		case n == "labor_market_round" && specOrder[i-1] != n:
			for range m {
				out = append(out, n)
			}
		case n == "credit_market_round" && specOrder[i-1] != n:
			for range h {
				out = append(out, n)
			}
		case n == "labor_market_round" || n == "credit_market_round":
		default:
			out = append(out, n)
		}
	}
	return out
}

// TestDefaultPipeline checks that the default pipeline built from the
// built-in registry runs the events of spec §1 in order, with max_M labour
// and max_H credit rounds.
func TestDefaultPipeline(t *testing.T) {
	if len(specOrder) != 41 {
		t.Fatalf("spec table has %d rows, want 41", len(specOrder))
	}
	cases := []struct {
		name       string
		maxM, maxH int
		wantLen    int
	}{
		{"defaults", 4, 2, 41},
		{"max_M = 2", 2, 2, 39},
		{"max_M = 1, max_H = 3", 1, 3, 39},
		{"max_M = 6, max_H = 1", 6, 1, 42},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, 3, 6, 2, func(p *ecs.Params) { p.MaxM, p.MaxH = c.maxM, c.maxH })
			pl, err := systems.Builtins().Build(w, systems.DefaultPipeline)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if pl.Len() != c.wantLen {
				t.Errorf("pipeline has %d entries, want %d", pl.Len(), c.wantLen)
			}
			want := withRounds(c.maxM, c.maxH)
			if got := pl.Names(); !slices.Equal(got, want) {
				t.Errorf("pipeline order differs from spec §1:\n got %v\nwant %v", got, want)
			}
			if c.maxM == 4 && c.maxH == 2 && !slices.Equal(pl.Names(), specOrder) {
				t.Errorf("default pipeline differs from the table of spec §1")
			}
		})
	}
}

// TestBuiltinsRegistry checks that every built-in system is registered once
// under its spec name, that the registry builds each of them, and that
// unknown names are reported with the list of known ones.
func TestBuiltinsRegistry(t *testing.T) {
	reg := systems.Builtins()
	names := reg.Names()
	distinct := slices.Compact(slices.Clone(specOrder))
	if len(names) != len(distinct) {
		t.Errorf("registry has %d names, want the %d distinct events of spec §1", len(names), len(distinct))
	}
	count := map[string]int{}
	for _, n := range names {
		count[n]++
	}
	for _, n := range distinct {
		if count[n] != 1 {
			t.Errorf("event %q registered %d times, want once", n, count[n])
		}
	}
	for n, k := range count {
		if !slices.Contains(distinct, n) {
			t.Errorf("registry holds %q (%d times), which is not an event of spec §1", n, k)
		}
	}
	if !slices.Equal(names, distinct) {
		t.Errorf("registry order %v, want the pipeline order %v", names, distinct)
	}
	if plain := systems.BuiltinsWith(systems.Plain).Names(); !slices.Equal(plain, names) {
		t.Errorf("BuiltinsWith(Plain) registers %v, want %v", plain, names)
	}

	w := newWorld(t, 3, 6, 2)
	for _, n := range distinct {
		s, err := reg.New(w, n)
		if err != nil {
			t.Errorf("New(%q): %v", n, err)
			continue
		}
		if s.Name() != n {
			t.Errorf("New(%q) built a system named %q", n, s.Name())
		}
		if err := reg.Register(n, func(*ecs.World) ecs.System { return s }); err == nil {
			t.Errorf("registering %q twice succeeded", n)
		}
	}

	const unknown = "firms_do_something_else"
	s, err := reg.New(w, unknown)
	if err == nil {
		t.Fatalf("New(%q) = %v, want an error", unknown, s)
	}
	msg := err.Error()
	if !strings.Contains(msg, unknown) {
		t.Errorf("error %q does not name the unknown system", msg)
	}
	for _, n := range distinct {
		if !strings.Contains(msg, n) {
			t.Errorf("error %q does not list the known system %q", msg, n)
		}
	}
	if _, err := reg.Build(w, []string{"firms_pay_wages", unknown}); err == nil || !strings.Contains(err.Error(), unknown) {
		t.Errorf("Build with an unknown name: err = %v, want one naming %q", err, unknown)
	}
}
