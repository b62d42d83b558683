package ecs

import (
	"fmt"
	"reflect"

	"github.com/bam-abm/bam/components"
)

// The world's own components are collectable (spec §9.5): every numeric
// or bool field of each, named Component.snake_case_field and documented
// by the field's `doc` tag in package components, in the order of the
// components' kinds. Two aliases and one derived variable follow spec
// §11.1's names; Borrower.debt reads the loan book.
func init() {
	must := func(vs []Variable, err error) {
		if err == nil {
			err = RegisterVariables(vs...)
		}
		if err != nil {
			panic(err)
		}
	}
	must(FieldVariables("Producer", Firms, func(w *World) []components.Producer { return w.Firms.Producer }))
	must(FieldVariables("Employer", Firms, func(w *World) []components.Employer { return w.Firms.Employer }))
	must(aliasVariable("Employer.total_funds", "liquid cash (the same array as Borrower.total_funds, spec §11.1)",
		Firms, func(w *World) []components.Borrower { return w.Firms.Borrower }, "TotalFunds"))
	must(FieldVariables("Borrower", Firms, func(w *World) []components.Borrower { return w.Firms.Borrower }))
	must(aliasVariable("Borrower.wage_bill", "wage bill (the same array as Employer.wage_bill, spec §11.1)",
		Firms, func(w *World) []components.Employer { return w.Firms.Employer }, "WageBill"))
	must([]Variable{{
		Name: "Borrower.debt", Kind: Firms, Explicit: true,
		Doc: "debt due on the firm's loans of this period's credit market, principal plus interest (Σ of the loan book's debt); " +
			"capture it at firms_run_production: the loans are settled in firms_validate_debt_commitments, and those of a bankrupt firm or bank deleted",
		Get: func(w *World, dst []float64) {
			if len(dst) == w.Count(Firms) {
				w.Loans.SumByBorrower(dst, w.Loans.Debt)
			}
		},
	}}, nil)
	must(FieldVariables("Worker", Households, func(w *World) []components.Worker { return w.Households.Worker }))
	must([]Variable{{
		Name: "Worker.employed", Kind: Households, Explicit: true, Type: BoolValue,
		Doc: "1 if the household has an employer (derived from employer ≥ 0)",
		Get: func(w *World, dst []float64) {
			ws := w.Households.Worker
			for j := range min(len(ws), len(dst)) {
				dst[j] = 0
				if ws[j].Employed() {
					dst[j] = 1
				}
			}
		},
	}}, nil)
	must(FieldVariables("Consumer", Households, func(w *World) []components.Consumer { return w.Households.Consumer }))
	must(FieldVariables("Shareholder", Households, func(w *World) []components.Shareholder { return w.Households.Shareholder }))
	must(FieldVariables("Lender", Banks, func(w *World) []components.Lender { return w.Banks.Lender }))
}

// aliasVariable returns the variable name, documented by doc, that reads
// the Go field field of the component T that view returns: another name
// for a field that belongs to a different component.
func aliasVariable[T any](name, doc string, k Kind, view func(w *World) []T, field string) ([]Variable, error) {
	t := reflect.TypeFor[T]()
	f, ok := t.FieldByName(field)
	if !ok {
		return nil, fmt.Errorf("register variable %s: %v has no field %s", name, t, field)
	}
	get := fieldAccessor(view, f)
	if get == nil {
		return nil, fmt.Errorf("register variable %s: field %s of %v is not numeric", name, field, t)
	}
	return []Variable{{
		Name:      name,
		Kind:      k,
		Doc:       doc,
		Get:       get,
		Available: func(w *World) bool { return len(view(w)) == w.Count(k) },
		Type:      valueTypeOf(f.Type.Kind()),
	}}, nil
}
