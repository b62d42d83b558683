package ecs

import "github.com/bam-abm/bam/markets"

// Scratch holds the pre-allocated buffers that the market systems share
// within a period: the application queues of the labour, credit and goods
// markets and general-purpose slot-indexed work arrays. Buffers are sized
// once, when the world is created, so a period allocates nothing.
type Scratch struct {
	// JobQueue holds each household's job applications, MaxM firm slots per
	// household (row j starts at j·MaxM); −1 marks an empty slot.
	JobQueue []int32
	// JobCursor is each household's position in its job queue; −1 = exhausted.
	JobCursor []int32
	// JobSeekers lists, in household order, every household whose job
	// cursor workers_decide_firms_to_apply set (it holds a superset of the
	// households with JobCursor ≥ 0); each labour round compacts it to the
	// unemployed with applications left. It is valid only in the period
	// JobSeekersPeriod names: a system that sets job cursors without
	// maintaining the list leaves the rounds to scan every household.
	JobSeekers []int32
	// JobSeekersPeriod is the period in which JobSeekers was built.
	JobSeekersPeriod int
	// LoanQueue holds each firm's loan applications, MaxH bank slots per firm.
	LoanQueue []int32
	// LoanCursor is each firm's position in its loan queue; −1 = exhausted.
	LoanCursor []int32
	// ShopQueue holds each household's shopping list, MaxZ firm slots per
	// household, cheapest first; −1 marks an empty slot.
	ShopQueue []int32

	// FirmF64A, FirmF64B and FirmF64C are per-firm float work arrays.
	FirmF64A, FirmF64B, FirmF64C []float64
	// FirmSums is a per-firm float work array with one slot more: slot
	// i+1 accumulates for firm i and slot 0 takes what belongs to no firm
	// (employer −1), so sums over households need no branch.
	FirmSums []float64
	// FirmI32A and FirmI32B are per-firm integer work arrays.
	FirmI32A, FirmI32B []int32
	// FirmBool is a per-firm flag array.
	FirmBool []bool
	// HouseholdI32A and HouseholdI32B are per-household integer work arrays.
	HouseholdI32A, HouseholdI32B []int32
	// HouseholdF64 is a per-household float work array.
	HouseholdF64 []float64
	// Bytes is a byte work array as long as the larger of the firm and
	// household populations.
	Bytes []uint8
	// BankI32 and BankF64 are per-bank work arrays.
	BankI32 []int32
	BankF64 []float64
	// Pool is a work array large enough for any agent population.
	Pool []int32
	// Sample is a work array for one agent's sampled subset.
	Sample []int32
	// Workforce holds households grouped by employer (filled by the systems
	// that lay workers off).
	Workforce []int32
	// WorkforceStart[i]..WorkforceStart[i+1] delimit firm i's employees in Workforce.
	WorkforceStart []int32

	// FirmPair is a per-firm work array of two values kept side by side
	// (e.g. price and production), for loops that read both at random.
	FirmPair [][2]float64

	// Labor is the labour market's matching scratch.
	Labor *markets.LaborMarket
	// HiredWorker and HiredFirm receive the hires of a labour round.
	HiredWorker, HiredFirm []int32
	// CreditApps holds the applications of a credit round.
	CreditApps []markets.CreditApp
}

func (s *Scratch) init(p *Params) {
	nf, nh, nb := p.NFirms, p.NHouseholds, p.NBanks
	s.JobQueue = make([]int32, nh*p.MaxM)
	s.JobCursor = make([]int32, nh)
	s.JobSeekers = make([]int32, 0, nh)
	s.JobSeekersPeriod = -1 // not built yet
	s.LoanQueue = make([]int32, nf*p.MaxH)
	s.LoanCursor = make([]int32, nf)
	s.ShopQueue = make([]int32, nh*p.MaxZ)
	for i := range s.JobQueue {
		s.JobQueue[i] = -1
	}
	for i := range s.LoanQueue {
		s.LoanQueue[i] = -1
	}
	for i := range s.ShopQueue {
		s.ShopQueue[i] = -1
	}
	for i := range s.JobCursor {
		s.JobCursor[i] = -1
	}
	for i := range s.LoanCursor {
		s.LoanCursor[i] = -1
	}
	s.FirmF64A = make([]float64, nf)
	s.FirmF64B = make([]float64, nf)
	s.FirmF64C = make([]float64, nf)
	s.FirmSums = make([]float64, nf+1)
	s.FirmI32A = make([]int32, nf)
	s.FirmI32B = make([]int32, nf)
	s.FirmBool = make([]bool, nf)
	s.HouseholdI32A = make([]int32, nh)
	s.HouseholdI32B = make([]int32, nh)
	s.HouseholdF64 = make([]float64, nh)
	s.Bytes = make([]uint8, max(nf, nh))
	s.BankI32 = make([]int32, nb)
	s.BankF64 = make([]float64, nb)
	s.Pool = make([]int32, max(nf, nh, nb))
	s.Sample = make([]int32, max(p.MaxM, p.MaxH, p.MaxZ)+1)
	s.Workforce = make([]int32, nh)
	s.WorkforceStart = make([]int32, nf+1)
	s.FirmPair = make([][2]float64, nf)
	s.Labor = markets.NewLaborMarket(nh, nf)
	s.HiredWorker = make([]int32, nh)
	s.HiredFirm = make([]int32, nh)
	s.CreditApps = make([]markets.CreditApp, 0, nf)
}
