// Package components holds the agent state of the BAM model as plain,
// pointer-free structs (spec §3).
//
// Each agent kind is one archetype of the entity-component-system world:
//
//   - a firm has a [Producer], an [Employer] and a [Borrower];
//   - a household has a [Worker], a [Consumer] and a [Shareholder];
//   - a bank has a [Lender].
//
// Every agent keeps a stable dense slot (its index within its kind). Fields
// that refer to other agents (an employer, a loyalty firm) hold slot numbers,
// −1 meaning "none". Bankruptcy re-initialises a slot in place, so such links
// silently point to the entrant afterwards, exactly as in bamengine (spec §0).
//
// The structs hold no slices or pointers, so the world can lay them out as
// dense arrays that systems walk like plain slices.
//
// Each field's `doc:"..."` struct tag is its description, the only one:
// the collection registry (ecs.FieldVariables) reads it, so what
// `bam run --collect` can collect is documented where the field is
// declared.
package components
