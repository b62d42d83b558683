package loans_test

import (
	"fmt"
	"testing"

	"github.com/bam-abm/bam/loans"
)

// reportPerLoan reports the time per loan record of one iteration. Call it
// after the b.Loop loop.
func reportPerLoan(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/loan")
}

// fillBook purges b and appends n loans from n/2 firms and n/20 banks.
func fillBook(b *loans.Book, n int) {
	b.Purge()
	nf, nb := max(n/2, 1), max(n/20, 1)
	for i := range n {
		b.Append(int32(i%nf), int32(i%nb), float64(1+i%7), 0.01*float64(1+i%5))
	}
}

func BenchmarkLoanBook(b *testing.B) {
	sizes := []int{100, 1000, 10000}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("append/loans=%d", n), func(b *testing.B) {
			book := loans.New(n)
			b.ReportAllocs()
			for b.Loop() {
				fillBook(book, n) // Purge + n appends within capacity
			}
			reportPerLoan(b, n)
		})
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("aggregate/loans=%d", n), func(b *testing.B) {
			book := loans.New(n)
			fillBook(book, n)
			debt, interest, principal := make([]float64, n/2), make([]float64, n/2), make([]float64, n/2)
			b.ReportAllocs()
			for b.Loop() {
				// The three per-borrower sums of spec §5.31.
				book.SumByBorrower(debt, book.Debt)
				book.SumByBorrower(interest, book.Interest)
				book.SumByBorrower(principal, book.Principal)
			}
			reportPerLoan(b, n)
		})
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("purge/loans=%d", n), func(b *testing.B) {
			// Purge is O(1) (it reslices to length 0): the first call empties
			// the filled book and later calls cost the same, so the time per
			// op must not grow with the size and no ns/loan is reported.
			book := loans.New(n)
			fillBook(book, n)
			b.ReportAllocs()
			for b.Loop() {
				book.Purge()
			}
			if book.Len() != 0 {
				b.Fatalf("Len %d after Purge", book.Len())
			}
		})
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("remove/loans=%d", n), func(b *testing.B) {
			book := loans.New(n)
			mask := make([]bool, n/2)
			for f := range mask {
				mask[f] = f%10 == 0 // 10 % of the firms go bankrupt
			}
			b.ReportAllocs()
			for b.Loop() {
				fillBook(book, n)
				book.RemoveBorrowers(mask)
			}
			reportPerLoan(b, n)
		})
	}
}
