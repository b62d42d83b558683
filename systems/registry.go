package systems

import (
	"fmt"

	"github.com/bam-abm/bam/ecs"
)

// DefaultPipeline is the spec's event order (§1) as pipeline entries; a
// market round is repeated max_M (labour) or max_H (credit) times.
var DefaultPipeline = []string{
	"firms_decide_desired_production",
	"firms_plan_breakeven_price",
	"firms_plan_price",
	"firms_decide_desired_labor",
	"firms_decide_vacancies",
	"firms_fire_excess_workers",
	"calc_inflation_rate",
	"adjust_minimum_wage",
	"firms_decide_wage_offer",
	"workers_decide_firms_to_apply",
	"labor_market_round x max_M",
	"firms_calc_wage_bill",
	"banks_decide_credit_supply",
	"banks_decide_interest_rate",
	"firms_decide_credit_demand",
	"firms_calc_financial_fragility",
	"firms_prepare_loan_applications",
	"credit_market_round x max_H",
	"firms_fire_workers",
	"firms_pay_wages",
	"workers_receive_wage",
	"firms_run_production",
	"update_avg_mkt_price",
	"workers_update_contracts",
	"consumers_calc_propensity",
	"consumers_decide_income_to_spend",
	"consumers_decide_firms_to_visit",
	"goods_market_round",
	"consumers_finalize_purchases",
	"firms_collect_revenue",
	"firms_validate_debt_commitments",
	"firms_pay_dividends",
	"firms_update_net_worth",
	"mark_bankrupt_firms",
	"mark_bankrupt_banks",
	"spawn_replacement_firms",
	"spawn_replacement_banks",
}

// Paths selects the form of the systems that have two: a plain form, which
// reads like the spec, and a specialised form for common parameter values
// (the default max_M = 4, max_Z = 2 and β = 2.5), kept only where it is
// measurably faster (docs/performance.md). The two forms of every such
// system give bit-identical economies (TestPathsAgree).
//
// The systems with two forms: workers_decide_firms_to_apply (sampling four
// firms), consumers_calc_propensity (x^2.5), consumers_decide_firms_to_visit
// (two-firm lists) and goods_market_round (two-firm visits).
type Paths int

const (
	// Specialised builds the specialised form of a system wherever the
	// parameters allow it (the default).
	Specialised Paths = iota
	// Plain builds the plain form of every system.
	Plain
)

// String returns "specialised" or "plain".
func (p Paths) String() string {
	switch p {
	case Specialised:
		return "specialised"
	case Plain:
		return "plain"
	}
	return fmt.Sprintf("Paths(%d)", int(p))
}

// builtin is one built-in system: its event name and factory.
type builtin struct {
	name string
	new  func(w *ecs.World, paths Paths) ecs.System
}

// stateless wraps a system without state or a specialised form.
func stateless(s ecs.System) builtin {
	return builtin{s.Name(), func(*ecs.World, Paths) ecs.System { return s }}
}

// builtins are the built-in systems in pipeline order (each round once).
var builtins = []builtin{
	stateless(FirmsDecideDesiredProduction{}),
	{"firms_plan_breakeven_price", func(w *ecs.World, _ Paths) ecs.System { return NewFirmsPlanBreakevenPrice(w) }},
	stateless(FirmsPlanPrice{}),
	stateless(FirmsDecideDesiredLabor{}),
	stateless(FirmsDecideVacancies{}),
	{"firms_fire_excess_workers", func(w *ecs.World, _ Paths) ecs.System { return NewFirmsFireExcessWorkers(w) }},
	stateless(CalcInflationRate{}),
	stateless(AdjustMinimumWage{}),
	stateless(FirmsDecideWageOffer{}),
	{"workers_decide_firms_to_apply", func(w *ecs.World, p Paths) ecs.System { return NewWorkersDecideFirmsToApply(w, p) }},
	{"labor_market_round", func(w *ecs.World, p Paths) ecs.System { return NewLaborMarketRound(w, p) }},
	{"firms_calc_wage_bill", func(w *ecs.World, _ Paths) ecs.System { return NewFirmsCalcWageBill(w) }},
	stateless(BanksDecideCreditSupply{}),
	stateless(BanksDecideInterestRate{}),
	stateless(FirmsDecideCreditDemand{}),
	stateless(FirmsCalcFinancialFragility{}),
	{"firms_prepare_loan_applications", func(w *ecs.World, _ Paths) ecs.System { return NewFirmsPrepareLoanApplications(w) }},
	{"credit_market_round", func(w *ecs.World, _ Paths) ecs.System { return NewCreditMarketRound(w) }},
	{"firms_fire_workers", func(w *ecs.World, _ Paths) ecs.System { return NewFirmsFireWorkers(w) }},
	stateless(FirmsPayWages{}),
	stateless(WorkersReceiveWage{}),
	stateless(FirmsRunProduction{}),
	stateless(UpdateAvgMktPrice{}),
	stateless(WorkersUpdateContracts{}),
	{"consumers_calc_propensity", func(w *ecs.World, p Paths) ecs.System { return NewConsumersCalcPropensity(w, p) }},
	stateless(ConsumersDecideIncomeToSpend{}),
	{"consumers_decide_firms_to_visit", func(w *ecs.World, p Paths) ecs.System { return NewConsumersDecideFirmsToVisit(w, p) }},
	{"goods_market_round", func(w *ecs.World, p Paths) ecs.System { return NewGoodsMarketRound(w, p) }},
	stateless(ConsumersFinalizePurchases{}),
	stateless(FirmsCollectRevenue{}),
	{"firms_validate_debt_commitments", func(w *ecs.World, _ Paths) ecs.System { return NewFirmsValidateDebtCommitments(w) }},
	stateless(FirmsPayDividends{}),
	stateless(FirmsUpdateNetWorth{}),
	stateless(MarkBankruptFirms{}),
	stateless(MarkBankruptBanks{}),
	{"spawn_replacement_firms", func(w *ecs.World, _ Paths) ecs.System { return NewSpawnReplacementFirms(w) }},
	{"spawn_replacement_banks", func(w *ecs.World, _ Paths) ecs.System { return NewSpawnReplacementBanks(w) }},
}

// Builtins returns a new registry holding every built-in system under its
// event name, in pipeline order, with the specialised forms
// (BuiltinsWith(Specialised)). Callers may register their own systems in
// it.
func Builtins() *ecs.Registry { return BuiltinsWith(Specialised) }

// BuiltinsWith returns a new registry holding every built-in system under
// its event name, in pipeline order, built with the given paths. Each entry
// of a pipeline built from it is a new system (the rounds of a market
// share the world's market state, not the system).
func BuiltinsWith(paths Paths) *ecs.Registry {
	r := ecs.NewRegistry()
	for _, b := range builtins {
		r.MustRegister(b.name, func(w *ecs.World) ecs.System { return b.new(w, paths) })
	}
	return r
}
