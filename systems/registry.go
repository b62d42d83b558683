package systems

import "github.com/bam-abm/bam/ecs"

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

// All returns one instance of every built-in system in pipeline order
// (each round once).
func All() []ecs.System {
	return []ecs.System{
		FirmsDecideDesiredProduction{}, FirmsPlanBreakevenPrice{}, FirmsPlanPrice{},
		FirmsDecideDesiredLabor{}, FirmsDecideVacancies{}, FirmsFireExcessWorkers{},
		CalcInflationRate{}, AdjustMinimumWage{}, FirmsDecideWageOffer{},
		WorkersDecideFirmsToApply{}, LaborMarketRound{}, FirmsCalcWageBill{},
		BanksDecideCreditSupply{}, BanksDecideInterestRate{}, FirmsDecideCreditDemand{},
		FirmsCalcFinancialFragility{}, FirmsPrepareLoanApplications{}, CreditMarketRound{},
		FirmsFireWorkers{},
		FirmsPayWages{}, WorkersReceiveWage{}, FirmsRunProduction{}, UpdateAvgMktPrice{},
		WorkersUpdateContracts{},
		ConsumersCalcPropensity{}, ConsumersDecideIncomeToSpend{}, ConsumersDecideFirmsToVisit{},
		GoodsMarketRound{}, ConsumersFinalizePurchases{},
		FirmsCollectRevenue{}, FirmsValidateDebtCommitments{}, FirmsPayDividends{},
		FirmsUpdateNetWorth{}, MarkBankruptFirms{}, MarkBankruptBanks{},
		SpawnReplacementFirms{}, SpawnReplacementBanks{},
	}
}

// Builtins returns a new registry holding every built-in system under its
// event name. Callers may register their own systems in it.
func Builtins() *ecs.Registry {
	r := ecs.NewRegistry()
	for _, s := range All() {
		s := s
		r.MustRegister(s.Name(), func(*ecs.World) ecs.System { return s })
	}
	return r
}
