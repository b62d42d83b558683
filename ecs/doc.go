// Package ecs is the entity-component-system core of the BAM engine: the
// world of agents, the systems that change it, and the pipeline that runs
// them in order each period.
//
// Agents are entities of an arche archetype world (github.com/mlange-42/arche,
// the only package of the module that imports it), one archetype per kind
// ([Firms], [Households], [Banks]); their state is the plain structs of
// package components. Every agent keeps a stable dense slot, and a
// [World] exposes each component as a slot-indexed slice aliasing the
// storage (World.Firms.Producer, World.Households.Worker, ...), so a
// system is a plain loop over slices.
//
// Entry points, by task:
//
//   - Build a world: [DefaultParams], [Params] (every parameter of spec §2,
//     [ParamSpecs] with ranges and docs, [LookupParam]), [NewWorld] (agents
//     in their initial state, spec §3).
//   - Write a system: the [System] interface (Name and Update), [Func] for a
//     function; read and write the components through the world's views
//     and its resources (Params, Rand, Econ, Loans, Period).
//   - Run systems in order: [Pipeline] ([NewPipeline], InsertBefore,
//     InsertAfter, Replace, Remove, Append, Step) and [Pipeline.Observe]
//     for measurements at capture points.
//   - Build pipelines from names: [Registry] of [Factory] functions,
//     [Registry.Build] over entries such as "labor_market_round x max_M"
//     ([ParseEntry]).
//   - Add per-agent state: [AddComponent] (extensions do this); every
//     component of a kind as raw storage: [World.Columns].
//   - Share state between systems: [ResourceOf], a typed resource with an
//     owner type (the markets of package systems live there).
//   - Add parameters: [ExtFloat] and [RegisterParam] (the extension
//     parameters of spec §2.3, in [Params.Ext]).
//
// A World is not safe for concurrent use; run independent simulations in
// parallel instead. See docs/architecture.md for the layout of the world
// and the order of a period.
package ecs
