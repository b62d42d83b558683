// Package bam is the facade of the BAM engine: create a [Simulation] from a
// scenario or from parameters, step it, read its recorded economy series,
// and edit its pipeline with your own systems.
//
// To record per-agent variables, parse a request with [ParseCollect] and
// pass it to [Simulation.Collect] before the first step; the [Collector]
// holds one row per period and writes CSV or Parquet: panels, one table
// per agent kind with a row per period and agent
// ([Collector.WritePanelCSV], [Collector.WritePanelParquet]), or the long
// and wide layouts ([Collector.WriteCSV], [Collector.WriteParquet], ...);
// [History.WriteCSV] and [History.WriteParquet] write the economy series.
// Firms and banks that exit are replaced by entrants in their slots;
// [Simulation.AgentIDs] gives every agent a persistent id, and the panels
// carry it. [ecs.RegisterVariable] and [ecs.RegisterComponent] make more
// variables collectable. See docs/results.md.
//
// BAM (Bottom-up Adaptive Macroeconomics, Delli Gatti et al. 2011, ch. 3)
// is an agent-based model in which firms, households and banks meet each
// period in labour, credit and goods markets. This engine reproduces the
// behaviour of the Python package bamengine.
//
// The layers below the facade:
//
//   - ecs: the archetype world (agents as entities with components), the
//     System interface, the Pipeline and the Registry of systems;
//   - components: the agents' state (Producer, Employer, Borrower, Worker,
//     Consumer, Shareholder, Lender);
//   - systems: one system per event of the period, in the spec's order;
//   - markets: labour, credit and goods matching over plain slices;
//   - loans: the loan book;
//   - scenarios: scenario files (TOML), the embedded baseline, validation.
package bam
