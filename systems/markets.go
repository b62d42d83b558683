package systems

import (
	"slices"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/ecs/rng"
	"github.com/bam-abm/bam/markets"
)

// The state of the three markets. Each market is a type that owns its
// application queues, cursors and work arrays; the systems of the market
// reach the world's one instance through [LaborMarketOf], [CreditMarketOf]
// and [GoodsMarketOf] when they are built, and a custom system reaches it
// the same way. The matching itself is in package markets.

// LaborMarketOf returns w's labour market, creating it on first use
// (O(NH·max_M) memory; max_M is read then and fixed for the world).
func LaborMarketOf(w *ecs.World) *LaborMarket {
	return ecs.ResourceOf(w, func() *LaborMarket {
		return newLaborMarket(w.Count(ecs.Households), w.Count(ecs.Firms), w.Params.MaxM)
	})
}

// CreditMarketOf returns w's credit market, creating it on first use
// (O(NF·max_H) memory; max_H is read then and fixed for the world).
func CreditMarketOf(w *ecs.World) *CreditMarket {
	return ecs.ResourceOf(w, func() *CreditMarket {
		return newCreditMarket(w.Count(ecs.Firms), w.Count(ecs.Banks), w.Params.MaxH)
	})
}

// GoodsMarketOf returns w's goods market, creating it on first use
// (O(NH·max_Z) memory; max_Z is read then and fixed for the world).
func GoodsMarketOf(w *ecs.World) *GoodsMarket {
	return ecs.ResourceOf(w, func() *GoodsMarket {
		return newGoodsMarket(w.Count(ecs.Households), w.Count(ecs.Firms), w.Params.MaxZ)
	})
}

// queues are application queues of a fixed width: agent a's entries are
// row[a·width : (a+1)·width], tried in order from its cursor; −1 fills a row
// after its last entry, and a cursor of −1 means no entry is left.
type queues struct {
	width  int
	row    []int32
	cursor []int32
}

func newQueues(agents, width int) queues {
	return queues{width: width, row: filled(agents*width, -1), cursor: filled(agents, -1)}
}

// filled returns n copies of v.
func filled(n int, v int32) []int32 {
	s := make([]int32, n)
	fill(s, v)
	return s
}

// set makes entries agent a's queue, cursor at the first; it panics if
// there are more than width entries.
func (q *queues) set(a int32, entries []int32) {
	if len(entries) > q.width {
		panic("systems: more applications than the queue width (max_M, max_H or max_Z)")
	}
	row := q.row[int(a)*q.width : int(a+1)*q.width]
	for k := range row {
		row[k] = -1
		if k < len(entries) {
			row[k] = entries[k]
		}
	}
	q.cursor[a] = -1
	if len(entries) > 0 {
		q.cursor[a] = 0
	}
}

// left returns a's entries not tried yet.
func (q *queues) left(a int32) []int32 {
	c := q.cursor[a]
	if c < 0 {
		return nil
	}
	row := q.row[int(a)*q.width : int(a+1)*q.width]
	end := c
	for int(end) < len(row) && row[end] >= 0 {
		end++
	}
	return row[c:end]
}

// next returns the entry at a's cursor and moves the cursor on (to −1
// after the last entry); it returns −1 when no entry is left.
func (q *queues) next(a int32) int32 {
	c := q.cursor[a]
	if c < 0 {
		return -1
	}
	base := int(a) * q.width
	e := q.row[base+int(c)]
	c++
	if int(c) >= q.width || q.row[base+int(c)] < 0 {
		c = -1
	}
	q.cursor[a] = c
	return e
}

// LaborMarket is the labour market of an economy (spec §5.10–5.11): every
// household's job applications — at most max_M firms, tried in order, one
// per round — the households that still have applications, and the work
// arrays of a round. workers_decide_firms_to_apply makes the applications
// and each labor_market_round matches one per household; both reach the
// world's LaborMarket through [LaborMarketOf].
//
// Applications change only through its methods, which keep the market's
// list of households with applications exact, so its rounds need not scan
// every household. Employment is not part of it: a system may hire or lay
// off workers (change Worker.Employer) at any point of the period, and a
// round matches exactly the households that are unemployed and have
// applications left when it runs.
type LaborMarket struct {
	apps queues
	// seekers lists every household with applications left, and maybe
	// some whose applications ran out since the last round, in household
	// order and without duplicates once sorted (Apply clears sorted when
	// it appends out of order or a second time).
	seekers []int32
	sorted  bool
	// scan selects the plain form: Seekers scans every household's
	// cursor and Reset clears them all, instead of keeping the list (the
	// form the list is tested against; see NewLaborMarketRound).
	scan    bool
	scanned []int32 // the households Seekers found in the plain form

	round                  *markets.LaborRound
	applicants             []int32 // a round's unemployed seekers
	vacancies              []int32 // every firm's vacancies at the start of a round
	hiredWorker, hiredFirm []int32
}

func newLaborMarket(households, firms, m int) *LaborMarket {
	return &LaborMarket{
		apps:        newQueues(households, m),
		seekers:     make([]int32, 0, households),
		sorted:      true,
		scanned:     make([]int32, 0, households),
		round:       markets.NewLaborRound(households, firms),
		applicants:  make([]int32, households),
		vacancies:   make([]int32, firms),
		hiredWorker: make([]int32, households),
		hiredFirm:   make([]int32, households),
	}
}

// MaxApplications returns the number of applications a household can
// make (max_M when the market was created).
func (l *LaborMarket) MaxApplications() int { return l.apps.width }

// Reset withdraws every application, as the job search of a new period
// starts. O(households with applications) (O(NH) in the plain form).
func (l *LaborMarket) Reset() {
	if l.scan {
		fill(l.apps.cursor, -1)
		return
	}
	cursor := l.apps.cursor
	for _, j := range l.seekers {
		cursor[j] = -1
	}
	l.seekers = l.seekers[:0]
	l.sorted = true
}

// Apply makes firms household j's applications, replacing any it had; the
// household applies to them in this order, one per round. An empty firms
// withdraws its applications. It panics if firms holds more than
// [LaborMarket.MaxApplications] entries.
func (l *LaborMarket) Apply(j int32, firms []int32) {
	if len(firms) > l.apps.width {
		panic("systems: more job applications than max_M")
	}
	l.commit(j, copy(l.draft(j), firms))
}

// draft returns household j's row of applications for its caller to fill
// in place (the first n entries) and then commit with commit(j, n): Apply
// without the copy, for workers_decide_firms_to_apply.
func (l *LaborMarket) draft(j int32) []int32 {
	w := l.apps.width
	return l.apps.row[int(j)*w : int(j+1)*w : int(j+1)*w]
}

// commit makes the first n entries of household j's row (see draft) its
// applications.
func (l *LaborMarket) commit(j int32, n int) {
	row := l.draft(j)
	for k := n; k < len(row); k++ {
		row[k] = -1
	}
	if n == 0 {
		l.apps.cursor[j] = -1
		return
	}
	l.apps.cursor[j] = 0
	if l.scan {
		return
	}
	if m := len(l.seekers); m > 0 && l.seekers[m-1] >= j {
		l.sorted = false // out of order, or maybe listed already
	}
	l.seekers = append(l.seekers, j)
}

// Withdraw withdraws household j's remaining applications (a worker hired
// outside the market who should not apply any more, say).
func (l *LaborMarket) Withdraw(j int32) { l.apps.cursor[j] = -1 }

// Applications returns the firms household j has not applied to yet, next
// first (nil if none). The slice is the market's: do not modify it.
func (l *LaborMarket) Applications(j int32) []int32 { return l.apps.left(j) }

// Seekers returns, in household order, the households that have
// applications left (employed or not). The slice is the market's and is
// valid until the market changes. O(listed households) (O(NH) in the
// plain form, which scans every household).
func (l *LaborMarket) Seekers() []int32 {
	if l.scan {
		out := l.scanned[:0]
		for j, c := range l.apps.cursor {
			if c >= 0 {
				out = append(out, int32(j))
			}
		}
		return out
	}
	// Keep those with applications left (a branch-free compaction: every
	// entry is written, the count moves on for those kept).
	if !l.sorted {
		slices.Sort(l.seekers)
		l.seekers = slices.Compact(l.seekers)
		l.sorted = true
	}
	seekers, cursor := l.seekers, l.apps.cursor
	kept := 0
	for _, j := range seekers {
		seekers[kept] = j
		kept += b2i(cursor[j] >= 0)
	}
	l.seekers = seekers[:kept]
	return l.seekers
}

// Round runs one round of the labour market (spec §5.11): every
// unemployed household with applications left applies to its next firm;
// an application is valid if the firm has vacancies (Employer.NVacancies
// > 0) at the start of the round, and each firm accepts a uniformly random
// subset of min(vacancies, valid applicants). Hired households have no
// applications left. It returns the hires — household hiredWorkers[a] by
// firm hiredFirms[a] — without changing the agents: the caller writes the
// contracts (see [Hire]). The slices are the market's, valid until the
// next round.
func (l *LaborMarket) Round(r *rng.Rand, workers []components.Worker, employers []components.Employer) (hiredWorkers, hiredFirms []int32) {
	applicants := unemployedAmong(l.Seekers(), workers, l.applicants)
	if len(applicants) == 0 {
		return nil, nil
	}
	vacancies := l.vacancies
	for i := range employers {
		vacancies[i] = employers[i].NVacancies
	}
	n := l.round.Run(r, applicants, l.apps.row, l.apps.width, l.apps.cursor, vacancies, l.hiredWorker, l.hiredFirm)
	return l.hiredWorker[:n], l.hiredFirm[:n]
}

// CreditMarket is the credit market of an economy (spec §5.17–5.18):
// every firm's loan applications — at most max_H banks, cheapest first,
// tried one per round — and the work arrays of a round.
// firms_prepare_loan_applications makes the applications and each
// credit_market_round allocates one per firm; both reach the world's
// CreditMarket through [CreditMarketOf].
type CreditMarket struct {
	apps   queues
	round  []markets.CreditApp // a round's applications
	supply []float64           // every bank's credit supply during a round
}

func newCreditMarket(firms, banks, h int) *CreditMarket {
	return &CreditMarket{
		apps:   newQueues(firms, h),
		round:  make([]markets.CreditApp, 0, firms),
		supply: make([]float64, banks),
	}
}

// MaxApplications returns the number of banks a firm can apply to (max_H
// when the market was created).
func (c *CreditMarket) MaxApplications() int { return c.apps.width }

// Reset withdraws every application, as the credit market of a new period
// opens. O(firms).
func (c *CreditMarket) Reset() { fill(c.apps.cursor, -1) }

// Apply makes banks firm i's applications, replacing any it had; the firm
// applies to them in this order, one per round. It panics if banks holds
// more than [CreditMarket.MaxApplications] entries.
func (c *CreditMarket) Apply(i int32, banks []int32) { c.apps.set(i, banks) }

// Applications returns the banks firm i has not applied to yet, next first
// (nil if none). The slice is the market's: do not modify it.
func (c *CreditMarket) Applications(i int32) []int32 { return c.apps.left(i) }

// Round runs one round of the credit market (spec §5.18 steps 4–6): every
// firm with credit demand and applications left applies to its next bank
// for request(i) (the amount it asks for; see credit_market_round); a bank
// with supply > EPS serves its applicants by [markets.CreditRound] and its
// Lender.CreditSupply falls by what it lends. It returns the applications
// with their grants (Grant 0 for none), grouped by bank; the slice is the
// market's, valid until the next round. Booking the loans is the caller's.
func (c *CreditMarket) Round(borrowers []components.Borrower, lenders []components.Lender, request func(i int) float64) []markets.CreditApp {
	apps := c.round[:0]
	for i := range borrowers {
		b := &borrowers[i]
		if b.CreditDemand <= 0 {
			continue
		}
		k := c.apps.next(int32(i))
		if k < 0 || lenders[k].CreditSupply <= EPS {
			continue
		}
		apps = append(apps, markets.CreditApp{Firm: int32(i), Bank: k, Fragility: b.ProjectedFragility, Request: request(i)})
	}
	c.round = apps
	if len(apps) == 0 {
		return nil
	}
	supply := c.supply
	for k := range lenders {
		supply[k] = lenders[k].CreditSupply
	}
	markets.CreditRound(apps, supply)
	for k := range lenders {
		lenders[k].CreditSupply = supply[k]
	}
	return apps
}

// GoodsMarket is the goods market of an economy (spec §5.27–5.28): every
// household's shopping list — at most max_Z firms, cheapest first — and
// the work arrays of the market. consumers_decide_firms_to_visit writes
// the lists and goods_market_round runs the market over them; both reach
// the world's GoodsMarket through [GoodsMarketOf].
type GoodsMarket struct {
	// lists holds household j's list in lists[j·z : (j+1)·z], −1 after
	// its last firm (a buyer visits its whole list: no cursor).
	lists []int32
	z     int

	buyers       []int32   // the households with a budget
	budget       []float64 // every household's budget during the market
	price, stock []float64 // every firm's price and unsold output during the market
}

func newGoodsMarket(households, firms, z int) *GoodsMarket {
	return &GoodsMarket{
		lists:  filled(households*z, -1),
		z:      z,
		buyers: make([]int32, households),
		budget: make([]float64, households),
		price:  make([]float64, firms),
		stock:  make([]float64, firms),
	}
}

// MaxVisits returns the length of a shopping list (max_Z when the market
// was created).
func (g *GoodsMarket) MaxVisits() int { return g.z }

// SetList makes firms household j's shopping list, in visiting order
// (cheapest first); an empty list means j does not shop. It panics if firms
// holds more than [GoodsMarket.MaxVisits] entries.
func (g *GoodsMarket) SetList(j int32, firms ...int32) {
	if len(firms) > g.z {
		panic("systems: a shopping list longer than max_Z")
	}
	row := g.lists[int(j)*g.z : int(j+1)*g.z]
	for k := range row {
		row[k] = -1
		if k < len(firms) {
			row[k] = firms[k]
		}
	}
}

// List returns household j's shopping list (the slice is the market's: do
// not modify it).
func (g *GoodsMarket) List(j int32) []int32 {
	row := g.lists[int(j)*g.z : int(j+1)*g.z]
	for k, f := range row {
		if f < 0 {
			return row[:k]
		}
	}
	return row
}

// Run runs the goods market (spec §5.28): the households with a budget
// (Consumer.IncomeToSpend > EPS) are shuffled and each, in turn, visits
// its list (by visit, see [markets.Visit]) and buys at the posted prices
// (Producer.Price) from the unsold output (Producer.Inventory). Budgets and
// inventories are updated in place.
func (g *GoodsMarket) Run(r *rng.Rand, visit markets.Visit, consumers []components.Consumer, producers []components.Producer) {
	budget, price, stock := g.budget, g.price, g.stock // locals: writes to the agents cannot move them
	buyers := buyersOf(consumers, budget, g.buyers, EPS)
	for i := range producers {
		price[i] = producers[i].Price
		stock[i] = producers[i].Inventory
	}
	markets.GoodsRound(r, visit, buyers, g.lists, g.z, budget, price, stock, EPS)
	for i := range producers {
		producers[i].Inventory = stock[i]
	}
	for j := range consumers {
		consumers[j].IncomeToSpend = budget[j]
	}
}
