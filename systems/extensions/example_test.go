package extensions_test

import (
	"fmt"
	"slices"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/systems/extensions"
)

// WealthTax is the per-household state of the wealth_tax extension below.
type WealthTax struct {
	// Paid is the tax paid this period.
	Paid float64
}

// HouseholdsPayWealthTax taxes a share wealth_tax_rate of every household's
// savings after the goods market; the revenue disappears.
type HouseholdsPayWealthTax struct {
	paid func() []WealthTax // view function from ecs.AddComponent
}

// Name is the registered name.
func (*HouseholdsPayWealthTax) Name() string { return "households_pay_wealth_tax" }

// Update applies the tax. It calls the view function on every Update (O(1))
// and allocates nothing.
func (s *HouseholdsPayWealthTax) Update(w *ecs.World) {
	paid := s.paid()
	rate := w.Params.ExtValue("wealth_tax_rate")
	for j := range paid {
		c := &w.Households.Consumer[j]
		paid[j].Paid = rate * max(c.Savings, 0)
		c.Savings -= paid[j].Paid
	}
}

// newWealthTax adds the WealthTax component to the households, once per
// world (the view function is kept as a world resource, so that the
// extension's Attach and a factory placing the system by name share it).
func newWealthTax(w *ecs.World) (*HouseholdsPayWealthTax, error) {
	view, ok := w.Resource("wealth_tax").(func() []WealthTax)
	if !ok {
		var err error
		if view, err = ecs.AddComponent[WealthTax](w, ecs.Households); err != nil {
			return nil, err
		}
		w.SetResource("wealth_tax", view)
	}
	return &HouseholdsPayWealthTax{view}, nil
}

// wealthTax is a user extension, declared like the built-ins.
var wealthTax = &extensions.Extension{
	Name: "wealth_tax",
	Doc:  "a proportional tax on household savings",
	Params: []ecs.ParamSpec{
		ecs.ExtFloat("wealth_tax_rate", 0.01, 0, 1, false, false, "share of savings taxed each period (extension wealth_tax)"),
	},
	Systems: []extensions.NamedFactory{{Name: "households_pay_wealth_tax", New: func(w *ecs.World) ecs.System {
		s, err := newWealthTax(w)
		if err != nil {
			return nil // the registry reports a nil system
		}
		return s
	}}},
	Attach: func(w *ecs.World, p *ecs.Pipeline) error {
		const anchor = "consumers_finalize_purchases"
		if !p.Has(anchor) { // check before changing anything
			return fmt.Errorf("system %q is not in the pipeline", anchor)
		}
		s, err := newWealthTax(w)
		if err != nil {
			return err
		}
		return p.InsertAfter(anchor, s) // one batch
	},
}

func init() {
	if err := extensions.Register(wealthTax); err != nil {
		panic(err)
	}
}

// A user extension, registered and then switched on from a scenario file
// together with a built-in one.
func Example_userExtension() {
	sc, err := scenarios.Parse("wealth_tax.toml", []byte(`
extensions = ["rnd", "wealth_tax"]
wealth_tax_rate = 0.02
`))
	if err != nil {
		panic(err)
	}
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		panic(err)
	}
	names := sim.Pipeline.Names()
	i := slices.Index(names, "consumers_finalize_purchases")
	fmt.Println(names[i : i+3])
	fmt.Println("extensions:", sim.Extensions(), "rate:", sim.World.Params.ExtValue("wealth_tax_rate"))

	sim.Run(10)
	s, _ := sim.World.Resource("wealth_tax").(func() []WealthTax)
	total := 0.0
	for _, t := range s() {
		total += t.Paid
	}
	fmt.Println("tax paid in period 10 > 0:", total > 0)
	// Output:
	// [consumers_finalize_purchases households_pay_wealth_tax firms_collect_revenue]
	// extensions: [rnd wealth_tax] rate: 0.02
	// tax paid in period 10 > 0: true
}

// The built-in extensions attached in the order of spec §12.6 (the same as
// sim.Use(extensions.RnD, extensions.BufferStock, extensions.Taxation)).
func ExampleAttach() {
	sim, err := bam.New(ecs.DefaultParams())
	if err != nil {
		panic(err)
	}
	if err := extensions.Attach(sim.World, sim.Pipeline, extensions.RnD, extensions.BufferStock, extensions.Taxation); err != nil {
		panic(err)
	}
	names := sim.Pipeline.Names()
	i := slices.Index(names, "firms_validate_debt_commitments")
	for _, n := range names[i+1 : i+5] {
		fmt.Println(n)
	}
	fmt.Println(slices.Contains(names, "consumers_calc_buffer_stock_propensity"))
	// Output:
	// firms_tax_profits
	// firms_compute_rnd_intensity
	// firms_apply_productivity_growth
	// firms_deduct_rnd_expenditure
	// true
}
