// Package systems implements every event of the BAM period (spec §5) as a
// system of the ecs package, one file per phase:
//
//   - planning.go   — 5.1–5.6: output targets, breakeven and posted prices,
//     labour demand, vacancies, excess-labour layoffs;
//   - labor.go      — 5.7–5.12: inflation, minimum wage, wage offers, job
//     search, labour-market rounds, wage bill;
//   - credit.go     — 5.13–5.19: credit supply and rates, credit demand,
//     fragility, loan applications, credit-market rounds, layoffs;
//   - production.go — 5.20–5.24: wages, production, average price, contracts;
//   - goods.go      — 5.25–5.29: propensity, budgets, shopping lists, the
//     sequential goods market, savings;
//   - revenue.go    — 5.30–5.32: revenue, debt settlement, dividends;
//   - bankruptcy.go — 5.33–5.35: net worth, firm and bank exits;
//   - entry.go      — 5.36–5.37: entrants in the exiting slots.
//
// Each system's Name is the spec's event name and its doc comment repeats
// the equations it implements. Systems without state are value types
// (FirmsPlanPrice{}); those that own work arrays or share a market are
// built for a world by their constructor (NewLaborMarketRound(w, paths)).
// [Builtins] returns a registry with all of them, [DefaultPipeline] the
// spec's order (41 executions of 37 systems per period with max_M = 4 and
// max_H = 2).
//
// The markets' state has one owner each (markets.go): [LaborMarket] (job
// applications and the list of job seekers), [CreditMarket] (loan
// applications) and [GoodsMarket] (shopping lists), one per world, reached
// through [LaborMarketOf], [CreditMarketOf] and [GoodsMarketOf] by the
// systems of the market and by custom systems alike; their matching
// algorithms are in package markets. [Hire] writes a labour contract as a
// round does.
//
// A few systems have a specialised form for the default parameters
// (four-firm job searches, two-firm shopping lists and visits, x^2.5)
// beside their plain form; [Paths] chooses between them when a pipeline is
// built ([BuiltinsWith]), and the two give bit-identical economies. The
// conditions that are coin tosses for the branch predictor are computed by
// the named helpers of branchfree.go.
package systems
