package loans_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bam-abm/bam/loans"
)

// rec is one loan record as seen through the parallel slices.
type rec struct {
	borrower, lender int32
	principal, rate  float64
	interest, debt   float64
}

func records(b *loans.Book) []rec {
	n := b.Len()
	for _, l := range []int{len(b.Lender), len(b.Principal), len(b.Rate), len(b.Interest), len(b.Debt)} {
		if l != n {
			panic(fmt.Sprintf("parallel slices out of step: %d vs %d", l, n))
		}
	}
	out := make([]rec, n)
	for r := range n {
		out[r] = rec{b.Borrower[r], b.Lender[r], b.Principal[r], b.Rate[r], b.Interest[r], b.Debt[r]}
	}
	return out
}

func mkRec(borrower, lender int32, principal, rate float64) rec {
	return rec{borrower, lender, principal, rate, principal * rate, principal * (1 + rate)}
}

// sample returns a book with five records: borrowers 0,2,1,2,3 at lenders
// 1,0,1,1,0.
func sample(capacity int) (*loans.Book, []rec) {
	b := loans.New(capacity)
	want := []rec{
		mkRec(0, 1, 10, 0.02),
		mkRec(2, 0, 4, 0.05),
		mkRec(1, 1, 2.5, 0.1),
		mkRec(2, 1, 8, 0.03),
		mkRec(3, 0, 1, 0.5),
	}
	for _, w := range want {
		b.Append(w.borrower, w.lender, w.principal, w.rate)
	}
	return b, want
}

func TestNew(t *testing.T) {
	b := loans.New(7)
	if b.Len() != 0 {
		t.Fatalf("Len %d, want 0", b.Len())
	}
	for i, c := range []int{cap(b.Borrower), cap(b.Lender), cap(b.Principal), cap(b.Rate), cap(b.Interest), cap(b.Debt)} {
		if c != 7 {
			t.Errorf("slice %d: capacity %d, want 7", i, c)
		}
	}
}

func TestAppend(t *testing.T) {
	tests := []struct {
		name                   string
		principal, rate        float64
		wantInterest, wantDebt float64
	}{
		{"typical", 100, 0.05, 5, 105},
		{"zero rate", 40, 0, 0, 40},
		{"fractional", 2.5, 0.1, 0.25, 2.75},
		{"zero principal", 0, 0.3, 0, 0},
	}
	b := loans.New(len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.Append(int32(i), int32(10+i), tt.principal, tt.rate)
			if b.Len() != i+1 {
				t.Fatalf("Len %d, want %d", b.Len(), i+1)
			}
			got := records(b)[i]
			want := rec{int32(i), int32(10 + i), tt.principal, tt.rate, tt.wantInterest, tt.wantDebt}
			if got != want {
				t.Errorf("record %+v, want %+v", got, want)
			}
		})
	}
}

func TestAppendBeyondCapacity(t *testing.T) {
	b := loans.New(1)
	for i := range 10 {
		b.Append(int32(i), 0, float64(i), 0.1)
	}
	if b.Len() != 10 {
		t.Fatalf("Len %d, want 10", b.Len())
	}
	for r, got := range records(b) {
		if want := mkRec(int32(r), 0, float64(r), 0.1); got != want {
			t.Errorf("record %d: %+v, want %+v", r, got, want)
		}
	}
}

func TestPurge(t *testing.T) {
	b, _ := sample(8)
	b.Purge()
	if b.Len() != 0 || len(records(b)) != 0 {
		t.Fatalf("Len %d after Purge", b.Len())
	}
	for i, c := range []int{cap(b.Borrower), cap(b.Lender), cap(b.Principal), cap(b.Rate), cap(b.Interest), cap(b.Debt)} {
		if c != 8 {
			t.Errorf("slice %d: capacity %d after Purge, want 8", i, c)
		}
	}
	b.Append(9, 4, 3, 0.2)
	if got := records(b); !slices.Equal(got, []rec{mkRec(9, 4, 3, 0.2)}) {
		t.Errorf("after Purge and Append: %+v", got)
	}
	b.Purge()
	b.Purge() // idempotent
	if b.Len() != 0 {
		t.Errorf("Len %d after double Purge", b.Len())
	}
}

func TestRemoveBorrowers(t *testing.T) {
	_, all := sample(5)
	tests := []struct {
		name string
		mask []bool // by firm 0..3
		keep []int  // surviving record indices, in order
	}{
		{"none", []bool{false, false, false, false}, []int{0, 1, 2, 3, 4}},
		{"one with two records", []bool{false, false, true, false}, []int{0, 2, 4}},
		{"first and last", []bool{true, false, false, true}, []int{1, 2, 3}},
		{"all but one", []bool{true, true, false, true}, []int{1, 3}},
		{"all", []bool{true, true, true, true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := sample(5)
			b.RemoveBorrowers(tt.mask)
			want := make([]rec, 0, len(tt.keep))
			for _, r := range tt.keep {
				want = append(want, all[r])
			}
			if got := records(b); !slices.Equal(got, want) {
				t.Errorf("records %+v, want %+v", got, want)
			}
		})
	}
}

func TestRemoveLenders(t *testing.T) {
	_, all := sample(5)
	tests := []struct {
		name string
		mask []bool // by bank 0..1
		keep []int
	}{
		{"none", []bool{false, false}, []int{0, 1, 2, 3, 4}},
		{"bank 0", []bool{true, false}, []int{0, 2, 3}},
		{"bank 1", []bool{false, true}, []int{1, 4}},
		{"both", []bool{true, true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := sample(5)
			b.RemoveLenders(tt.mask)
			want := make([]rec, 0, len(tt.keep))
			for _, r := range tt.keep {
				want = append(want, all[r])
			}
			if got := records(b); !slices.Equal(got, want) {
				t.Errorf("records %+v, want %+v", got, want)
			}
		})
	}
}

func TestRemoveThenAppend(t *testing.T) {
	// Removal compacts in place: appending afterwards must not resurrect or
	// overwrite survivors.
	b, all := sample(5)
	b.RemoveBorrowers([]bool{false, false, true, false})
	b.Append(7, 1, 6, 0.25)
	want := []rec{all[0], all[2], all[4], mkRec(7, 1, 6, 0.25)}
	if got := records(b); !slices.Equal(got, want) {
		t.Errorf("records %+v, want %+v", got, want)
	}
}

func TestSums(t *testing.T) {
	b, _ := sample(5)
	tests := []struct {
		name       string
		values     []float64
		byBorrower []float64 // firms 0..4 (firm 4 has no loan)
		byLender   []float64 // banks 0..2 (bank 2 has no loan)
		total      float64
	}{
		{"principal", b.Principal, []float64{10, 2.5, 12, 1, 0}, []float64{5, 20.5, 0}, 25.5},
		{"interest", b.Interest, []float64{10 * 0.02, 2.5 * 0.1, 4*0.05 + 8*0.03, 0.5, 0}, []float64{4*0.05 + 0.5, 10*0.02 + 2.5*0.1 + 8*0.03, 0}, 10*0.02 + 4*0.05 + 2.5*0.1 + 8*0.03 + 0.5},
		{"debt", b.Debt, []float64{10 * 1.02, 2.5 * 1.1, 4*1.05 + 8*1.03, 1.5, 0}, []float64{4*1.05 + 1.5, 10*1.02 + 2.5*1.1 + 8*1.03, 0}, 10*1.02 + 4*1.05 + 2.5*1.1 + 8*1.03 + 1.5},
	}
	const tol = 1e-12
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			byB := []float64{-1, -1, -1, -1, 99} // stale values must be cleared
			b.SumByBorrower(byB, tt.values)
			for f := range byB {
				if d := byB[f] - tt.byBorrower[f]; d > tol || d < -tol {
					t.Errorf("borrower %d: %v, want %v", f, byB[f], tt.byBorrower[f])
				}
			}
			byL := []float64{7, 7, 7}
			b.SumByLender(byL, tt.values)
			for k := range byL {
				if d := byL[k] - tt.byLender[k]; d > tol || d < -tol {
					t.Errorf("lender %d: %v, want %v", k, byL[k], tt.byLender[k])
				}
			}
			if got := loans.Total(tt.values); got-tt.total > tol || tt.total-got > tol {
				t.Errorf("Total %v, want %v", got, tt.total)
			}
		})
	}
	if got := loans.Total(nil); got != 0 {
		t.Errorf("Total(nil) = %v", got)
	}
	empty := loans.New(0)
	dst := []float64{3, 3}
	empty.SumByBorrower(dst, empty.Debt)
	if dst[0] != 0 || dst[1] != 0 {
		t.Errorf("SumByBorrower on an empty book left %v", dst)
	}
}

func TestNoAlloc(t *testing.T) {
	const n = 64
	b := loans.New(n)
	borrowerMask := make([]bool, 16)
	lenderMask := make([]bool, 4)
	borrowerMask[3], lenderMask[1] = true, true
	byB, byL := make([]float64, 16), make([]float64, 4)
	fill := func() {
		b.Purge()
		for i := range n {
			b.Append(int32(i%16), int32(i%4), float64(i), 0.01)
		}
	}
	tests := []struct {
		name string
		f    func()
	}{
		{"Append within capacity", fill},
		{"Purge", b.Purge},
		{"RemoveBorrowers", func() { fill(); b.RemoveBorrowers(borrowerMask) }},
		{"RemoveLenders", func() { fill(); b.RemoveLenders(lenderMask) }},
		{"SumByBorrower", func() { b.SumByBorrower(byB, b.Debt) }},
		{"SumByLender", func() { b.SumByLender(byL, b.Interest) }},
		{"Total", func() { _ = loans.Total(b.Principal) }},
	}
	fill()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a := testing.AllocsPerRun(100, tt.f); a != 0 {
				t.Errorf("%v allocs per run, want 0", a)
			}
		})
	}
	// Control: growing beyond capacity does allocate. AllocsPerRun makes a
	// warm-up call, so every call gets its own fresh book.
	books := []*loans.Book{loans.New(1), loans.New(1)}
	next := 0
	if a := testing.AllocsPerRun(1, func() {
		bk := books[next]
		next++
		bk.Append(0, 0, 1, 0)
		bk.Append(1, 0, 1, 0)
	}); a == 0 {
		t.Error("control: appending beyond capacity reported 0 allocs")
	}
}

func ExampleBook() {
	b := loans.New(4)
	// Credit market: firm 0 borrows from banks 1 and 0, firm 2 from bank 1.
	b.Append(0, 1, 100, 0.05)
	b.Append(0, 0, 50, 0.02)
	b.Append(2, 1, 80, 0.1)

	debt := make([]float64, 3) // per firm
	b.SumByBorrower(debt, b.Debt)
	fmt.Printf("debt per firm: %.1f\n", debt)
	fmt.Printf("total interest: %.1f\n", loans.Total(b.Interest))

	// Firm 2 goes bankrupt: its records are deleted.
	b.RemoveBorrowers([]bool{false, false, true})
	fmt.Println("records left:", b.Len())

	interest := make([]float64, 2) // per bank
	b.SumByLender(interest, b.Interest)
	fmt.Printf("interest per bank: %.1f\n", interest)

	// Next period, before the first credit round.
	b.Purge()
	fmt.Println("after purge:", b.Len())
	// Output:
	// debt per firm: [156.0 0.0 88.0]
	// total interest: 14.0
	// records left: 2
	// interest per bank: [1.0 5.0]
	// after purge: 0
}
