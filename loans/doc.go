// Package loans holds the loan book of the BAM model (spec §6): a single
// global ledger of one-period loans stored as parallel slices.
//
// Records are appended in the credit market, settled in the revenue phase,
// and survive into the next period's planning phase only so that the
// breakeven price can see last period's interest bill. The book is purged
// completely before each period's first credit round.
//
// All methods are O(number of records) or O(1) and never allocate once the
// book has been created with enough capacity.
package loans
