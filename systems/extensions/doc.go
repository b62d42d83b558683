// Package extensions holds the model extensions of spec §12 and the
// mechanism to write more: an [Extension] bundles parameters (declared with
// [ecs.ExtFloat]), per-agent state (components added with
// [ecs.AddComponent]) and systems placed in the pipeline by replacing a
// baseline event or inserting after one (spec §12.1).
//
// The built-ins:
//
//   - [RnD] ("rnd", spec §12.2, Growth+): R&D investment and endogenous
//     productivity growth; [RnDState] per firm.
//   - [BufferStock] ("buffer_stock", spec §12.3): buffer-stock
//     consumption; [BufferStockState] per household.
//   - [Taxation] ("taxation", spec §12.4): a tax on positive net profit.
//
// Attach them with bam's Simulation.Use, by listing them in a scenario file
// (`extensions = ["rnd", "buffer_stock"]`, attached in order by
// bam.NewFromScenario), or with [Attach] on a bare world and pipeline. An
// extension's parameters that the user did not set get their defaults when
// it is attached; values the user set are kept (spec §2.3).
//
// Systems read the extension state through the view functions returned by
// [ecs.AddComponent], called at the start of each Update (O(1), cached
// until the next structural change), never through a slice kept across
// calls. [RnDStates] and [BufferStockStates] give observers the current
// views. Every Update is allocation-free.
//
// This package imports only ecs, components, systems and markets, so that
// the root package bam can import it. See docs/extensions.md.
package extensions
