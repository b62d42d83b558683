package ecs

import (
	"fmt"
	"unsafe"

	"github.com/bam-abm/bam/ecs/rng"

	arche "github.com/mlange-42/arche/ecs"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/loans"
)

// Kind names an agent kind; each kind is one archetype of the world.
type Kind int

// The three agent kinds of the BAM model.
const (
	Firms Kind = iota
	Households
	Banks
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Firms:
		return "firms"
	case Households:
		return "households"
	case Banks:
		return "banks"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// FirmViews are the firms' components as dense slices indexed by firm slot.
// They alias the world's storage: writing through them writes the components.
type FirmViews struct {
	Producer []components.Producer
	Employer []components.Employer
	Borrower []components.Borrower
}

// HouseholdViews are the households' components as dense slices indexed by
// household slot.
type HouseholdViews struct {
	Worker      []components.Worker
	Consumer    []components.Consumer
	Shareholder []components.Shareholder
}

// BankViews are the banks' components as dense slices indexed by bank slot.
type BankViews struct {
	Lender []components.Lender
}

// World is the simulation state: the archetype world of agents, and the
// resources every system reads — parameters, the random stream, economy-level
// state and the loan book. State that systems share with each other but that
// is not part of the model's state (the markets' application queues, say)
// belongs to the type that owns it, kept in the world as a typed resource
// ([ResourceOf]).
//
// A World is created by [NewWorld] and must not be copied. It is not safe for
// concurrent use; run independent simulations in parallel instead.
type World struct {
	// Params are the model parameters of this run.
	Params Params
	// Rand is the simulation's single seeded random stream.
	Rand *rng.Rand
	// Econ is the economy-level state (spec §3.4).
	Econ Economy
	// Loans is the loan book (spec §6).
	Loans *loans.Book
	// Firms, Households and Banks view the agents' components as dense
	// slot-indexed slices. They are refreshed after every structural change.
	Firms      FirmViews
	Households HouseholdViews
	Banks      BankViews

	// Period is the step counter t: 0 before the first step, t during step t.
	Period int

	world     arche.World
	structure uint64 // counts structural changes (AddComponent calls)
	entities  [3][]arche.Entity
	resources map[string]any
	ids       struct {
		producer, employer, borrower, worker, consumer, shareholder, lender arche.ID
	}
}

// NewWorld creates a world with the populations of p, every agent in its
// initial state (spec §3), and the random stream seeded with p.Seed.
// It returns an error if p is not valid.
func NewWorld(p Params) (*World, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	w := &World{Params: p, resources: map[string]any{}}
	w.Rand = rng.New(p.Seed, 0x9e3779b97f4a7c15)
	w.world = arche.NewWorld(1024)
	w.ids.producer = arche.ComponentID[components.Producer](&w.world)
	w.ids.employer = arche.ComponentID[components.Employer](&w.world)
	w.ids.borrower = arche.ComponentID[components.Borrower](&w.world)
	w.ids.worker = arche.ComponentID[components.Worker](&w.world)
	w.ids.consumer = arche.ComponentID[components.Consumer](&w.world)
	w.ids.shareholder = arche.ComponentID[components.Shareholder](&w.world)
	w.ids.lender = arche.ComponentID[components.Lender](&w.world)

	w.entities[Firms] = w.spawn(p.NFirms, w.ids.producer, w.ids.employer, w.ids.borrower)
	w.entities[Households] = w.spawn(p.NHouseholds, w.ids.worker, w.ids.consumer, w.ids.shareholder)
	w.entities[Banks] = w.spawn(p.NBanks, w.ids.lender)
	if err := w.refreshViews(); err != nil {
		return nil, err
	}
	w.Loans = loans.New(p.NFirms * p.MaxH)
	w.initState()
	return w, nil
}

// spawn creates n entities of one archetype in one batch and returns them in
// storage order, which is their slot order.
func (w *World) spawn(n int, ids ...arche.ID) []arche.Entity {
	q := w.world.Batch().NewQ(n, ids...)
	ents := make([]arche.Entity, 0, n)
	for q.Next() {
		ents = append(ents, q.Entity())
	}
	return ents
}

// Count returns the number of agents of a kind.
func (w *World) Count(k Kind) int { return len(w.entities[k]) }

// Entity returns the entity in slot i of kind k.
func (w *World) Entity(k Kind, i int) arche.Entity { return w.entities[k][i] }

// Arche returns the underlying arche world, for queries written against
// arche directly. Structural changes made through it (adding or removing
// components or entities) invalidate the dense views; use [AddComponent]
// instead.
func (w *World) Arche() *arche.World { return &w.world }

// SetResource stores a user resource under a name (for custom systems).
func (w *World) SetResource(name string, v any) { w.resources[name] = v }

// Resource returns the user resource stored under name, or nil.
func (w *World) Resource(name string) any { return w.resources[name] }

// ResourceOf returns w's resource of type T, creating it with create on the
// first call for that type: every later call, from any system of w, returns
// the same value. It is how systems share state that belongs to neither the
// agents nor the economy, such as a market's application queues, without a
// global variable or a name: the type is the key, and the type's methods are
// the contract. The lookup costs a map access; call it when a system is
// built (in its factory), not in Update.
func ResourceOf[T any](w *World, create func() *T) *T {
	id := arche.ResourceID[T](&w.world)
	res := w.world.Resources()
	if res.Has(id) {
		return res.Get(id).(*T)
	}
	v := create()
	res.Add(id, v)
	return v
}

// RandState returns the binary state of the random stream.
func (w *World) RandState() ([]byte, error) { return w.Rand.MarshalBinary() }

// SetRandState restores a state returned by [World.RandState].
func (w *World) SetRandState(b []byte) error { return w.Rand.UnmarshalBinary(b) }

func (w *World) refreshViews() error {
	var err error
	set := func(e error) {
		if err == nil && e != nil {
			err = e
		}
	}
	var e error
	w.Firms.Producer, e = denseView[components.Producer](w, Firms, w.ids.producer)
	set(e)
	w.Firms.Employer, e = denseView[components.Employer](w, Firms, w.ids.employer)
	set(e)
	w.Firms.Borrower, e = denseView[components.Borrower](w, Firms, w.ids.borrower)
	set(e)
	w.Households.Worker, e = denseView[components.Worker](w, Households, w.ids.worker)
	set(e)
	w.Households.Consumer, e = denseView[components.Consumer](w, Households, w.ids.consumer)
	set(e)
	w.Households.Shareholder, e = denseView[components.Shareholder](w, Households, w.ids.shareholder)
	set(e)
	w.Banks.Lender, e = denseView[components.Lender](w, Banks, w.ids.lender)
	set(e)
	return err
}

// denseView returns the component column of kind k as a slice aliasing the
// arche storage. It checks that the components of the kind's entities lie
// contiguously in slot order, which holds when every entity of the kind is
// in one archetype and was created in one batch; otherwise it fails.
func denseView[T any](w *World, k Kind, id arche.ID) ([]T, error) {
	ents := w.entities[k]
	if len(ents) == 0 {
		return nil, nil
	}
	var zero T
	size := unsafe.Sizeof(zero)
	if size == 0 {
		return nil, fmt.Errorf("ecs: component %T has zero size and cannot be viewed densely", zero)
	}
	base := uintptr(w.world.Get(ents[0], id))
	for i, e := range ents {
		if uintptr(w.world.Get(e, id)) != base+uintptr(i)*size {
			return nil, fmt.Errorf("ecs: %T of %s is not stored densely in slot order (slot %d)", zero, k, i)
		}
	}
	return unsafe.Slice((*T)(w.world.Get(ents[0], id)), len(ents)), nil
}

// AddComponent adds a zero-valued component T to every agent of kind k and
// returns a function that yields its dense view (slot-indexed, aliasing the
// storage). Extensions use it to attach per-agent state; call it when the
// simulation is set up, before the first step.
//
// Adding a component moves the kind's agents to a new archetype, so every
// view of that kind moves: the world's own views (w.Firms, ...) are
// refreshed here, and a slice obtained earlier from any view function must
// not be used afterwards. The view function itself stays valid: it returns
// a cached slice, O(1) and without allocating, until the next structural
// change, after which its next call rebuilds the view (O(agents) pointer
// checks). Call it at the start of every Update rather than keeping its
// result in the system.
func AddComponent[T any](w *World, k Kind) (func() []T, error) {
	id := arche.ComponentID[T](&w.world)
	for _, e := range w.entities[k] {
		if w.world.Has(e, id) {
			return nil, fmt.Errorf("ecs: %s already have component %T", k, *new(T))
		}
	}
	// Adding moves the entities to a new archetype; re-create the slot order.
	for _, e := range w.entities[k] {
		w.world.Add(e, id)
	}
	w.structure++
	if err := w.refreshViews(); err != nil {
		return nil, err
	}
	view, err := denseView[T](w, k, id)
	if err != nil {
		return nil, err
	}
	gen := w.structure
	return func() []T {
		if gen != w.structure {
			v, err := denseView[T](w, k, id)
			if err != nil {
				panic(err)
			}
			view, gen = v, w.structure
		}
		return view
	}, nil
}
