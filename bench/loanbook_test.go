package bench

import (
	"testing"

	"github.com/bam-abm/bam/loans"
)

// BenchmarkLoanBook measures the loan book at the engine's populations, in
// its worst case: as many records as the world reserves room for, max_H
// loans for every firm (NF × max_H), each firm's from distinct banks, as if
// every firm borrowed in every credit round. Per sub-benchmark:
//
//   - append: purge and append every record, as the credit rounds do;
//   - aggregate: sum debt, interest and principal by borrower into per-firm
//     arrays, as the revenue phase does;
//   - purge: empty the book (O(1): the time per op does not grow with the
//     size).
//
// ns/loan divides the time by the number of records. In the default
// economy only a few percent of the firms borrow in a period (a few loans
// per period at 100 firms, a few dozen at 1 000), so the book is far from
// the critical path; this suite bounds its cost. Component-level benchmarks
// on synthetic books, with removal of bankrupt borrowers, are
// BenchmarkLoanBook in package loans.
func BenchmarkLoanBook(b *testing.B) {
	maxH := params(small).MaxH
	for _, sz := range stepSizes {
		n := sz.firms * maxH
		src := fullBook(sz, maxH)
		b.Run("append/"+sz.name(), func(b *testing.B) {
			book := loans.New(n)
			b.ReportAllocs()
			for b.Loop() {
				book.Purge()
				for r := range n {
					book.Append(src.Borrower[r], src.Lender[r], src.Principal[r], src.Rate[r])
				}
			}
			reportPerLoan(b, n)
		})
		b.Run("aggregate/"+sz.name(), func(b *testing.B) {
			debt, interest, principal := make([]float64, sz.firms), make([]float64, sz.firms), make([]float64, sz.firms)
			b.ReportAllocs()
			for b.Loop() {
				src.SumByBorrower(debt, src.Debt)
				src.SumByBorrower(interest, src.Interest)
				src.SumByBorrower(principal, src.Principal)
			}
			reportPerLoan(b, n)
		})
		b.Run("purge/"+sz.name(), func(b *testing.B) {
			book := loans.New(n)
			b.ReportAllocs()
			for b.Loop() {
				book.Purge()
			}
		})
	}
}

// fullBook returns a book of maxH loans per firm of population sz, in the
// order the credit rounds append them (round by round, firms in slot order
// within a round), from banks spread over all slots.
func fullBook(sz size, maxH int) *loans.Book {
	book := loans.New(sz.firms * maxH)
	for h := range maxH {
		for f := range sz.firms {
			bank := (f*7919 + h*104729) % sz.banks
			book.Append(int32(f), int32(bank), float64(1+f%7), 0.01*float64(1+(f+h)%5))
		}
	}
	return book
}

// reportPerLoan reports ns/loan, the time per iteration divided by the n
// records. Call it after the b.Loop loop.
func reportPerLoan(b *testing.B, n int) {
	b.ReportMetric(perOp(b)/float64(n), "ns/loan")
}
