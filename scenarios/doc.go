// Package scenarios loads BAM scenario files: TOML documents that set model
// parameters and, optionally, the event pipeline.
//
// # Getting a scenario
//
//   - [Default] returns the embedded baseline (every parameter at its spec
//     §2.1 default, no pipeline edits).
//   - [Load] takes an embedded scenario name (see [Names]) or a file path.
//   - [Parse] decodes a document already in memory.
//   - [Register] adds a document under a name, as if it were embedded
//     (a program's own scenarios, for cli.Main's commands).
//   - [Scenario.Set] applies a `bam run --set name=value` override;
//     [Scenario.Clone] copies a scenario before changing it.
//
// # File format
//
// Top-level keys are parameter names exactly as in the spec and in
// [ecs.ParamSpecs] (n_firms, max_M, h_rho, ...); a key left out keeps its
// default. Besides them a file may hold:
//
//	name        = "my_scenario"    # else the file name without .toml
//	description = "one line"
//	extensions  = ["rnd", "buffer_stock"]  # attached in order (package systems/extensions)
//	pipeline    = ["firms_decide_desired_production", "labor_market_round x max_M", ...]
//
//	[[hooks]]                      # pipeline edits, applied in file order
//	after   = "adjust_minimum_wage"
//	systems = ["raise_minimum_wage"]  # registered with bam.RegisterSystem
//
// A pipeline entry is "name", "name x COUNT" or "name x PARAM" where PARAM is
// an integer parameter such as max_M (see [ecs.ParseEntry]). A hook has
// exactly one anchor: before, after or replace (with systems) or remove
// (without). System names are not checked here: custom systems may be
// registered later, so the pipeline builder checks them.
//
// Extension names are checked against the registered extensions
// (extensions.Names: rnd, buffer_stock, taxation and any registered by the
// program). The extension parameters of spec §2.3 (sigma_min, sigma_max,
// sigma_decay, buffer_stock_h, profit_tax_rate, and those of registered
// user extensions) are top-level keys like the core parameters; their
// values go to Params.Ext. The parameters of a listed extension that the
// file leaves out get their defaults (spec §2.3: extension parameters are
// added only if not already set), so Params shows every value the run
// uses. The embedded growth_plus, buffer_stock and taxation scenarios are
// the configurations of spec §12.5.
//
// The shipped baseline.toml documents every parameter with its meaning and
// valid range; it is embedded in the binary, as is every other *.toml file of
// this directory.
//
// # Errors
//
// Every error returned by [Load], [Parse] and [Scenario.Set] is an [*Error]:
// one line naming the file (and line, when known), the offending key and what
// was expected, such as
//
//	my.toml:7: unknown key "thetta" (did you mean "theta"?)
//	my.toml:3: key "max_M": want integer in [1, 1000], got string "four"
//	my.toml:4: key "h_rho": h_rho = 1.5 is out of range: want [0, 1]
//	--set theta=abc: want integer >= 1
//
// so a command-line tool can tell bad input from other failures with
// [errors.As] and exit with a usage status.
package scenarios
