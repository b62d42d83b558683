package loans_test

import (
	"fmt"

	"github.com/bam-abm/bam/loans"
)

// A credit round appends loans; the revenue phase sums each firm's debt;
// a bankrupt bank's loans are removed.
func Example() {
	b := loans.New(8)
	b.Append(0, 1, 100, 0.02) // firm 0 borrows 100 from bank 1 at 2 %
	b.Append(0, 0, 50, 0.04)
	b.Append(2, 1, 10, 0.03)

	debt := make([]float64, 3) // per firm
	b.SumByBorrower(debt, b.Debt)
	fmt.Printf("records %d, firm debts %.2f, total interest %.2f\n", b.Len(), debt, loans.Total(b.Interest))

	b.RemoveLenders([]bool{false, true}) // bank 1 exits
	fmt.Println("left:", b.Len(), "record(s), borrower", b.Borrower[0])
	// Output:
	// records 3, firm debts [154.00 0.00 10.30], total interest 4.30
	// left: 1 record(s), borrower 0
}
