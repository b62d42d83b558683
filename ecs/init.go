package ecs

import "github.com/bam-abm/bam/components"

// initState puts every agent and the economy in the initial state of spec §3.
//
//	Y0 = NH × labor_productivity / NF     initial output per firm
//	w0 = price_init / 3                   initial wage offer
//	A0 = Y0 × price_init × net_worth_ratio initial net worth (or net_worth_init)
//	ŵ0 = w0 × min_wage_ratio              initial minimum wage
func (w *World) initState() {
	p := &w.Params
	y0 := float64(p.NHouseholds) * p.LaborProductivity / float64(p.NFirms)
	w0 := p.PriceInit / 3
	a0 := y0 * p.PriceInit * p.NetWorthRatio
	if p.NetWorthInit != nil {
		a0 = *p.NetWorthInit
	}
	for i := range w.Firms.Producer {
		pr := &w.Firms.Producer[i]
		*pr = components.Producer{}
		pr.Price = p.PriceInit
		pr.ProductionPrev = y0
		pr.ExpectedDemand = 1
		pr.LaborProductivity = p.LaborProductivity
		pr.BreakevenPrice = p.PriceInit
		w.Firms.Employer[i] = components.Employer{WageOffer: w0}
		w.Firms.Borrower[i] = components.Borrower{NetWorth: a0, TotalFunds: a0}
	}
	for j := range w.Households.Worker {
		w.Households.Worker[j] = components.Worker{Employer: -1, EmployerPrev: -1}
		w.Households.Consumer[j] = components.Consumer{Savings: p.SavingsInit, LargestProdPrev: -1}
		w.Households.Shareholder[j] = components.Shareholder{}
	}
	for k := range w.Banks.Lender {
		w.Banks.Lender[k] = components.Lender{EquityBase: p.EquityBaseInit}
	}
	w.Econ = Economy{
		AvgPrice:         p.PriceInit,
		AvgPriceHistory:  make([]float64, 1, p.NPeriods+1),
		InflationHistory: make([]float64, 1, p.NPeriods+1),
		MinWage:          w0 * p.MinWageRatio,
		ExitingFirms:     make([]int32, 0, p.NFirms),
		ExitingBanks:     make([]int32, 0, p.NBanks),
		FirmExiting:      make([]bool, p.NFirms),
		BankExiting:      make([]bool, p.NBanks),
	}
	w.Econ.AvgPriceHistory[0] = p.PriceInit
}
