package loans

// Book is the loan ledger. The exported slices are parallel: record r is
// (Borrower[r], Lender[r], Principal[r], Rate[r]) with the cached values
// Interest[r] = Principal[r]·Rate[r] and Debt[r] = Principal[r]·(1+Rate[r]).
type Book struct {
	Borrower  []int32
	Lender    []int32
	Principal []float64
	Rate      []float64
	Interest  []float64
	Debt      []float64
}

// New returns an empty book with room for capacity records.
func New(capacity int) *Book {
	return &Book{
		Borrower:  make([]int32, 0, capacity),
		Lender:    make([]int32, 0, capacity),
		Principal: make([]float64, 0, capacity),
		Rate:      make([]float64, 0, capacity),
		Interest:  make([]float64, 0, capacity),
		Debt:      make([]float64, 0, capacity),
	}
}

// Len returns the number of records.
func (b *Book) Len() int { return len(b.Borrower) }

// Append adds one loan record of the given principal and contractual rate.
// It allocates only if the book's capacity is exceeded.
func (b *Book) Append(borrower, lender int32, principal, rate float64) {
	b.Borrower = append(b.Borrower, borrower)
	b.Lender = append(b.Lender, lender)
	b.Principal = append(b.Principal, principal)
	b.Rate = append(b.Rate, rate)
	b.Interest = append(b.Interest, principal*rate)
	b.Debt = append(b.Debt, principal*(1+rate))
}

// Purge deletes every record, keeping the capacity.
func (b *Book) Purge() {
	b.Borrower = b.Borrower[:0]
	b.Lender = b.Lender[:0]
	b.Principal = b.Principal[:0]
	b.Rate = b.Rate[:0]
	b.Interest = b.Interest[:0]
	b.Debt = b.Debt[:0]
}

// RemoveBorrowers deletes every record whose borrower is marked in mask
// (indexed by firm slot). The order of the remaining records is kept.
func (b *Book) RemoveBorrowers(mask []bool) {
	b.filter(func(r int) bool { return !mask[b.Borrower[r]] })
}

// RemoveLenders deletes every record whose lender is marked in mask
// (indexed by bank slot). The order of the remaining records is kept.
func (b *Book) RemoveLenders(mask []bool) {
	b.filter(func(r int) bool { return !mask[b.Lender[r]] })
}

func (b *Book) filter(keep func(r int) bool) {
	n := 0
	for r := range b.Borrower {
		if !keep(r) {
			continue
		}
		b.Borrower[n] = b.Borrower[r]
		b.Lender[n] = b.Lender[r]
		b.Principal[n] = b.Principal[r]
		b.Rate[n] = b.Rate[r]
		b.Interest[n] = b.Interest[r]
		b.Debt[n] = b.Debt[r]
		n++
	}
	b.Borrower = b.Borrower[:n]
	b.Lender = b.Lender[:n]
	b.Principal = b.Principal[:n]
	b.Rate = b.Rate[:n]
	b.Interest = b.Interest[:n]
	b.Debt = b.Debt[:n]
}

// SumByBorrower writes Σ values[r] over the records of each borrower into
// dst (indexed by firm slot), after zeroing dst. Pass b.Debt, b.Interest or
// b.Principal as values.
func (b *Book) SumByBorrower(dst, values []float64) {
	clear(dst)
	for r, f := range b.Borrower {
		dst[f] += values[r]
	}
}

// SumByLender writes Σ values[r] over the records of each lender into dst
// (indexed by bank slot), after zeroing dst.
func (b *Book) SumByLender(dst, values []float64) {
	clear(dst)
	for r, k := range b.Lender {
		dst[k] += values[r]
	}
}

// Total returns Σ values[r] over all records.
func Total(values []float64) float64 {
	s := 0.0
	for _, v := range values {
		s += v
	}
	return s
}
