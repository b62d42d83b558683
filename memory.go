package bam

import (
	"github.com/bam-abm/bam/ecs"
)

// Bytes per unit of the memory estimate (EstimateMemory). They were
// measured on the live heap of simulations built and run two periods
// (bench BenchmarkMemory's method), varying one size at a time from 1000
// firms, 5000 households and 100 banks, and rounded up; TestMemoryEstimate
// checks that the estimate stays within a factor of 1.5 of the measured
// heap over populations, queue widths, run lengths and the extensions.
const (
	bytesPerFirm      = 650 // components of every extension, market and system buffers
	bytesPerHousehold = 260
	bytesPerBank      = 150
	bytesPerJobApp    = 4   // a job-application queue slot: n_households × max_M
	bytesPerLoanApp   = 48  // a loan-application queue slot and loan-book record: n_firms × max_H
	bytesPerVisit     = 4   // a shopping-queue slot: n_households × max_Z
	bytesPerPeriod    = 272 // one economy row of the history
	bytesFixed        = 256 << 10
)

// MemoryEstimate is an estimate of the memory a simulation holds, by part,
// in bytes. It estimates the live heap within a factor of 1.5 (see the
// constants' comment), for refusing a run that cannot fit before anything
// is allocated; it is not an accounting.
type MemoryEstimate struct {
	// Agents is the agents' components and the systems' per-agent buffers
	// (n_firms, n_households, n_banks).
	Agents uint64
	// Queues is the application queues and the loan book (n_households ×
	// max_M, n_firms × max_H, n_households × max_Z).
	Queues uint64
	// History is the economy series, one row per period (n_periods).
	History uint64
	// Collection is the per-agent series of a collection request
	// (periods × agents per variable; see CollectMemory).
	Collection uint64
}

// EstimateMemory returns the estimated memory of a simulation of p with its
// history of p.NPeriods rows, without collection. The products are computed
// in float64 and saturate, so that any int parameters give a finite
// estimate. O(1).
func EstimateMemory(p *ecs.Params) MemoryEstimate {
	f, h, b := float64(p.NFirms), float64(p.NHouseholds), float64(p.NBanks)
	return MemoryEstimate{
		Agents:  saturate(bytesFixed + f*bytesPerFirm + h*bytesPerHousehold + b*bytesPerBank),
		Queues:  saturate(h*float64(p.MaxM)*bytesPerJobApp + f*float64(p.MaxH)*bytesPerLoanApp + h*float64(p.MaxZ)*bytesPerVisit),
		History: saturate(float64(p.NPeriods) * bytesPerPeriod),
	}
}

// CollectMemory returns the memory that collecting specs over p.NPeriods
// periods holds: 8 bytes per value, one value per agent of the variable's
// kind (one per period for an economy series) per period and variable,
// and 1 byte per firm (bank) and period for the exits that give the panel
// layout its ids, when a firm (bank) variable is collected. Items that do
// not resolve count nothing ([Simulation.Collect] reports them).
// O(variables).
func CollectMemory(p *ecs.Params, specs []CollectSpec) uint64 {
	var values, flags float64
	var firms, banks bool
	for _, sp := range specs {
		vs, err := resolveName(sp)
		if err != nil {
			continue
		}
		for _, v := range vs {
			if v.Name != "" && v.Explicit && v.Name != sp.Name {
				continue // a derived variable of a whole-component request is not collected
			}
			agents := 1.0
			if v.Name != "" {
				switch v.Kind {
				case ecs.Firms:
					agents, firms = float64(p.NFirms), true
				case ecs.Households:
					agents = float64(p.NHouseholds)
				case ecs.Banks:
					agents, banks = float64(p.NBanks), true
				}
			}
			values += agents * float64(p.NPeriods)
		}
	}
	if firms {
		flags += float64(p.NFirms) * float64(p.NPeriods)
	}
	if banks {
		flags += float64(p.NBanks) * float64(p.NPeriods)
	}
	return saturate(8*values + flags)
}

// Total returns the sum of the parts (saturating at the largest uint64).
func (m MemoryEstimate) Total() uint64 {
	return saturate(float64(m.Agents) + float64(m.Queues) + float64(m.History) + float64(m.Collection))
}

// Largest returns the name of the largest part and the parameters that
// drive it, e.g. "the application queues (n_households × max_M, n_firms ×
// max_H, n_households × max_Z)", for a message that says what to lower.
func (m MemoryEstimate) Largest() string {
	parts := []struct {
		bytes uint64
		what  string
	}{
		{m.Agents, "the agents (n_firms, n_households, n_banks)"},
		{m.Queues, "the application queues (n_households × max_M, n_firms × max_H, n_households × max_Z)"},
		{m.History, "the economy series (n_periods rows)"},
		{m.Collection, "the collected variables (periods × agents per variable)"},
	}
	best := parts[0]
	for _, p := range parts[1:] {
		if p.bytes > best.bytes {
			best = p
		}
	}
	return best.what
}

// saturate converts a non-negative byte count to uint64, saturating at the
// largest uint64.
func saturate(x float64) uint64 {
	const maxU = float64(^uint64(0))
	switch {
	case !(x > 0):
		return 0
	case x >= maxU:
		return ^uint64(0)
	}
	return uint64(x)
}
