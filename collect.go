package bam

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/bam-abm/bam/components"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems/extensions"
)

// Errors of a collection request, for errors.Is. The messages that wrap
// them name the offending item and list what exists.
var (
	// ErrUnknownVariable reports a per-agent variable, component or economy
	// series that is not registered.
	ErrUnknownVariable = errors.New("unknown variable")
	// ErrUnknownSystem reports a capture point naming a system that is not
	// in the simulation's pipeline.
	ErrUnknownSystem = errors.New("unknown capture point")
	// ErrUnavailable reports a registered variable whose component the
	// simulation does not have (an extension that is not attached), or an
	// economy series of a simulation whose History is disabled.
	ErrUnavailable = errors.New("variable not available")
	// ErrBadCollect reports a malformed or inconsistent collection request.
	ErrBadCollect = errors.New("bad collection request")
)

// Accessor copies one variable of every agent of a kind into dst, in slot
// order (dst[i] is agent i). len(dst) is the number of agents of the kind.
// An accessor is called at a capture point of every period: it must only
// read the world, and must not allocate.
type Accessor func(w *ecs.World, dst []float64)

// Variable is a per-agent variable that can be collected, named
// "Component.field" (e.g. "Producer.production").
type Variable struct {
	// Name is "Component.field".
	Name string
	// Kind is the kind of agent that has the variable; it sets the number
	// of values per period.
	Kind ecs.Kind
	// Doc is a short description.
	Doc string
	// Get reads the variable of every agent.
	Get Accessor
	// Available reports whether a world has the variable; nil means
	// always. The variables of an extension's component are available only
	// in a simulation the extension is attached to.
	Available func(w *ecs.World) bool
	// Explicit marks a variable that is collected only when named on its
	// own, not when its whole component is requested (the derived
	// Worker.employed, spec §11.1).
	Explicit bool
}

// Component returns the part of the name before the dot.
func (v *Variable) Component() string { c, _, _ := strings.Cut(v.Name, "."); return c }

// Field returns the part of the name after the dot.
func (v *Variable) Field() string { _, f, _ := strings.Cut(v.Name, "."); return f }

// The variable registry. Built-ins are registered by init; extensions and
// users add theirs with RegisterVariable, RegisterVariables or
// RegisterComponent.
var (
	varsMu   sync.RWMutex
	vars     = map[string]*Variable{}
	varOrder []string // registration order
)

// RegisterVariable registers a per-agent variable named "Component.field"
// for agents of kind k, read by get. It fails if the name is malformed or
// taken. See [RegisterVariables] for the full form and
// [RegisterComponent] to register every field of a component struct.
func RegisterVariable(name string, k ecs.Kind, get Accessor) error {
	return RegisterVariables(Variable{Name: name, Kind: k, Get: get})
}

// RegisterVariables registers variables, all or none: it fails, registering
// nothing, if a name is malformed ("Component.field", both parts
// identifiers), taken or repeated, or a variable has no accessor.
func RegisterVariables(vs ...Variable) error {
	varsMu.Lock()
	defer varsMu.Unlock()
	seen := map[string]bool{}
	for i := range vs {
		v := &vs[i]
		comp, field, ok := strings.Cut(v.Name, ".")
		if !ok || !isIdent(comp) || !isIdent(field) {
			return fmt.Errorf("register variable %q: %w: want Component.field", v.Name, ErrBadCollect)
		}
		if v.Get == nil {
			return fmt.Errorf("register variable %q: nil accessor", v.Name)
		}
		if v.Kind < ecs.Firms || v.Kind > ecs.Banks {
			return fmt.Errorf("register variable %q: unknown kind %v", v.Name, v.Kind)
		}
		if _, dup := vars[v.Name]; dup || seen[v.Name] {
			return fmt.Errorf("register variable %q: already registered", v.Name)
		}
		seen[v.Name] = true
	}
	for i := range vs {
		v := vs[i]
		vars[v.Name] = &v
		varOrder = append(varOrder, v.Name)
	}
	return nil
}

// RegisterComponent registers one variable per numeric or bool field of the
// struct T, named component + "." + the field's name in snake_case
// (LaborProductivity → labor_productivity, NVacancies → n_vacancies), or
// the name given by a `bam:"name"` struct tag; `bam:"-"` skips a field, and
// unexported fields and fields of other types (arrays, strings) are
// skipped. view returns the kind's slot-indexed slice of T, or nil when the
// world does not have the component; a variable is available in a world
// where view returns one element per agent. Fields are located by
// reflection once, here; the accessors read them by offset, without
// reflection. It fails like [RegisterVariables].
func RegisterComponent[T any](component string, k ecs.Kind, view func(w *ecs.World) []T) error {
	vs, err := componentVariables(component, k, view)
	if err != nil {
		return err
	}
	return RegisterVariables(vs...)
}

func componentVariables[T any](component string, k ecs.Kind, view func(w *ecs.World) []T) ([]Variable, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("register component %s: %v is not a struct", component, t)
	}
	available := func(w *ecs.World) bool { return len(view(w)) == w.Count(k) }
	var vs []Variable
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := snakeCase(f.Name)
		if tag, ok := f.Tag.Lookup("bam"); ok {
			if tag == "-" {
				continue
			}
			name = tag
		}
		get := fieldAccessor(view, f)
		if get == nil {
			continue
		}
		vs = append(vs, Variable{
			Name:      component + "." + name,
			Kind:      k,
			Doc:       builtinDocs[component+"."+name],
			Get:       get,
			Available: available,
		})
	}
	return vs, nil
}

// fieldAccessor returns an accessor reading field f of every element of
// view's slice by its offset, or nil if the field's type is not numeric or
// bool.
func fieldAccessor[T any](view func(w *ecs.World) []T, f reflect.StructField) Accessor {
	off := f.Offset
	switch f.Type.Kind() {
	case reflect.Float64:
		return offsetAccessor[T, float64](view, off)
	case reflect.Float32:
		return offsetAccessor[T, float32](view, off)
	case reflect.Int:
		return offsetAccessor[T, int](view, off)
	case reflect.Int8:
		return offsetAccessor[T, int8](view, off)
	case reflect.Int16:
		return offsetAccessor[T, int16](view, off)
	case reflect.Int32:
		return offsetAccessor[T, int32](view, off)
	case reflect.Int64:
		return offsetAccessor[T, int64](view, off)
	case reflect.Uint8:
		return offsetAccessor[T, uint8](view, off)
	case reflect.Uint16:
		return offsetAccessor[T, uint16](view, off)
	case reflect.Uint32:
		return offsetAccessor[T, uint32](view, off)
	case reflect.Uint64:
		return offsetAccessor[T, uint64](view, off)
	case reflect.Bool:
		size := unsafe.Sizeof(*new(T))
		return func(w *ecs.World, dst []float64) {
			v := view(w)
			n := min(len(v), len(dst))
			if n == 0 {
				return
			}
			base := unsafe.Pointer(unsafe.SliceData(v))
			for i := range n {
				dst[i] = 0
				if *(*bool)(unsafe.Add(base, uintptr(i)*size+off)) {
					dst[i] = 1
				}
			}
		}
	}
	return nil
}

type number interface {
	~float64 | ~float32 | ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// offsetAccessor reads the F at byte offset off of every T of view's slice.
// The offset comes from reflect for this very T, so every read lies inside
// the slice's element.
func offsetAccessor[T any, F number](view func(w *ecs.World) []T, off uintptr) Accessor {
	size := unsafe.Sizeof(*new(T))
	return func(w *ecs.World, dst []float64) {
		v := view(w)
		n := min(len(v), len(dst))
		if n == 0 {
			return
		}
		base := unsafe.Pointer(unsafe.SliceData(v))
		for i := range n {
			dst[i] = float64(*(*F)(unsafe.Add(base, uintptr(i)*size+off)))
		}
	}
}

// snakeCase converts a Go identifier to snake_case: an underscore goes
// before an upper-case letter that follows a lower-case letter or digit, or
// that ends an upper-case run followed by a lower-case letter (NVacancies →
// n_vacancies).
func snakeCase(s string) string {
	r := []rune(s)
	var b strings.Builder
	lower := func(c rune) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	upper := func(c rune) bool { return c >= 'A' && c <= 'Z' }
	for i, c := range r {
		if upper(c) {
			if i > 0 && (lower(r[i-1]) || upper(r[i-1]) && i+1 < len(r) && lower(r[i+1])) {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// Variables returns every registered per-agent variable, in registration
// order: the built-in components (spec §9.5), Producer, Employer,
// Borrower, Worker, Consumer, Shareholder, Lender, then the extensions'
// RnD and BufferStock, then those registered by the program. Use
// [Simulation.Collectable] for the names a given simulation can collect.
func Variables() []Variable {
	varsMu.RLock()
	defer varsMu.RUnlock()
	out := make([]Variable, len(varOrder))
	for i, n := range varOrder {
		out[i] = *vars[n]
	}
	return out
}

// LookupVariable returns the registered variable of that name
// ("Component.field"), for code that wants a variable's accessor without
// a Collector (the validation recorder reads its cross-sections this way).
func LookupVariable(name string) (Variable, bool) { return lookupVariable(name) }

// lookupVariable returns the registered variable name.
func lookupVariable(name string) (Variable, bool) {
	varsMu.RLock()
	defer varsMu.RUnlock()
	v, ok := vars[name]
	if !ok {
		return Variable{}, false
	}
	return *v, true
}

// componentVars returns the registered variables of a component, in
// registration order.
func componentVars(component string) []Variable {
	varsMu.RLock()
	defer varsMu.RUnlock()
	var out []Variable
	for _, n := range varOrder {
		if v := vars[n]; v.Component() == component {
			out = append(out, *v)
		}
	}
	return out
}

// componentNames returns the registered components, in registration order.
func componentNames() []string {
	varsMu.RLock()
	defer varsMu.RUnlock()
	var out []string
	for _, n := range varOrder {
		if c := vars[n].Component(); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// economyColumn returns the economy series called name.
func economyColumn(name string) (Column, bool) {
	for _, c := range Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

func economyNames() []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.Name
	}
	return out
}

// builtinDocs documents the built-in variables (spec §3, §9.5).
var builtinDocs = map[string]string{
	"Producer.price":               "posted price P_i",
	"Producer.production":          "output Y_i of the current period (zeroed at planning, set by firms_run_production)",
	"Producer.production_prev":     "last realised output, the planning signal",
	"Producer.inventory":           "unsold stock after the goods market",
	"Producer.expected_demand":     "expected demand (equals desired_production)",
	"Producer.desired_production":  "output target Yd_i",
	"Producer.labor_productivity":  "labour productivity α_i, output per worker",
	"Producer.breakeven_price":     "planning-phase unit-cost floor",
	"Employer.current_labor":       "number of employees L_i",
	"Employer.desired_labor":       "desired labour Ld_i",
	"Employer.n_vacancies":         "open vacancies V_i",
	"Employer.wage_offer":          "wage offered to new hires w_i",
	"Employer.wage_bill":           "sum of the employees' wages W_i",
	"Employer.total_funds":         "liquid cash (the same array as Borrower.total_funds, spec §11.1)",
	"Borrower.net_worth":           "book equity A_i, fixed during a period",
	"Borrower.total_funds":         "liquid cash; moves with every flow during the period",
	"Borrower.credit_demand":       "remaining credit demand B_i",
	"Borrower.projected_fragility": "projected fragility ℓ_i = B_i / A_i",
	"Borrower.gross_profit":        "revenue minus wage bill",
	"Borrower.net_profit":          "gross profit minus interest",
	"Borrower.retained_profit":     "net profit after dividends",
	"Borrower.wage_bill":           "wage bill (the same array as Employer.wage_bill, spec §11.1)",
	"Worker.employer":              "employing firm's slot, −1 when unemployed",
	"Worker.employer_prev":         "last employer's slot (loyalty rule), −1 if none",
	"Worker.periods_left":          "remaining contract periods",
	"Worker.contract_expired":      "1 if the contract ended at the end of last period",
	"Worker.fired":                 "1 if laid off (not a natural expiry)",
	"Worker.wage":                  "contractual wage (0 when unemployed)",
	"Worker.employed":              "1 if the household has an employer (derived from employer ≥ 0)",
	"Consumer.income":              "wage income of the current period",
	"Consumer.savings":             "accumulated wealth",
	"Consumer.income_to_spend":     "budget of the current goods market",
	"Consumer.propensity":          "propensity to consume c_j",
	"Consumer.largest_prod_prev":   "loyalty firm's slot, −1 if none",
	"Shareholder.dividends":        "this period's dividend",
	"Lender.equity_base":           "equity E_k",
	"Lender.credit_supply":         "remaining lendable amount this period",
	"Lender.interest_rate":         "posted rate r̄(1+φ_k), used to rank banks",
	"Lender.opex_shock":            "operating-cost shock φ_k drawn this period",
	"RnD.sigma":                    "R&D share of net profit σ_i (extension rnd)",
	"RnD.rnd_intensity":            "expected productivity gain μ_i (extension rnd)",
	"RnD.productivity_increment":   "this period's productivity gain z_i (extension rnd)",
	"RnD.fragility":                "wage bill / net worth ψ_i (extension rnd)",
	"BufferStock.prev_income":      "previous period's wage income (extension buffer_stock)",
	"BufferStock.propensity":       "buffer-stock propensity to consume (extension buffer_stock)",
}

func init() {
	must := func(vs []Variable, err error) {
		if err == nil {
			err = RegisterVariables(vs...)
		}
		if err != nil {
			panic(err)
		}
	}
	must(componentVariables("Producer", ecs.Firms, func(w *ecs.World) []components.Producer { return w.Firms.Producer }))
	must(componentVariables("Employer", ecs.Firms, func(w *ecs.World) []components.Employer { return w.Firms.Employer }))
	must(aliasVariable("Employer.total_funds", ecs.Firms, func(w *ecs.World) []components.Borrower { return w.Firms.Borrower }, "TotalFunds"))
	must(componentVariables("Borrower", ecs.Firms, func(w *ecs.World) []components.Borrower { return w.Firms.Borrower }))
	must(aliasVariable("Borrower.wage_bill", ecs.Firms, func(w *ecs.World) []components.Employer { return w.Firms.Employer }, "WageBill"))
	must(componentVariables("Worker", ecs.Households, func(w *ecs.World) []components.Worker { return w.Households.Worker }))
	must([]Variable{{
		Name: "Worker.employed", Kind: ecs.Households, Doc: builtinDocs["Worker.employed"], Explicit: true,
		Get: func(w *ecs.World, dst []float64) {
			ws := w.Households.Worker
			for j := range min(len(ws), len(dst)) {
				dst[j] = 0
				if ws[j].Employer >= 0 {
					dst[j] = 1
				}
			}
		},
	}}, nil)
	must(componentVariables("Consumer", ecs.Households, func(w *ecs.World) []components.Consumer { return w.Households.Consumer }))
	must(componentVariables("Shareholder", ecs.Households, func(w *ecs.World) []components.Shareholder { return w.Households.Shareholder }))
	must(componentVariables("Lender", ecs.Banks, func(w *ecs.World) []components.Lender { return w.Banks.Lender }))
	// Extension components (spec §11.1 names).
	for _, f := range []struct{ name, field string }{
		{"RnD.sigma", "Sigma"},
		{"RnD.rnd_intensity", "Intensity"},
		{"RnD.productivity_increment", "ProductivityIncrement"},
		{"RnD.fragility", "Fragility"},
	} {
		must(aliasVariable(f.name, ecs.Firms, extensions.RnDStates, f.field))
	}
	for _, f := range []struct{ name, field string }{
		{"BufferStock.prev_income", "PrevIncome"},
		{"BufferStock.propensity", "Propensity"},
	} {
		must(aliasVariable(f.name, ecs.Households, extensions.BufferStockStates, f.field))
	}
}

// aliasVariable returns the variable name reading the Go field field of the
// component T that view returns.
func aliasVariable[T any](name string, k ecs.Kind, view func(w *ecs.World) []T, field string) ([]Variable, error) {
	f, ok := reflect.TypeFor[T]().FieldByName(field)
	if !ok {
		return nil, fmt.Errorf("register variable %s: %v has no field %s", name, reflect.TypeFor[T](), field)
	}
	get := fieldAccessor(view, f)
	if get == nil {
		return nil, fmt.Errorf("register variable %s: field %s of %v is not numeric", name, field, reflect.TypeFor[T]())
	}
	return []Variable{{
		Name:      name,
		Kind:      k,
		Doc:       builtinDocs[name],
		Get:       get,
		Available: func(w *ecs.World) bool { return len(view(w)) == w.Count(k) },
	}}, nil
}

// CollectSpec is one item of a collection request: what to collect and
// when. Its text form, parsed by [ParseCollect], is NAME or NAME@SYSTEM.
type CollectSpec struct {
	// Name is one of
	//   - a per-agent variable "Component.field" (e.g. "Producer.production",
	//     see [Variables]);
	//   - a component alone ("Producer"): each of its variables, except
	//     those marked Explicit (Worker.employed);
	//   - an economy series, a name of [Columns] (e.g. "unemployment_rate"),
	//     recorded once per period at its own capture points (spec §9.2).
	Name string
	// At is the system after whose first execution in each period the
	// variable is captured (e.g. "firms_run_production"); "" means the end
	// of the period. It must be "" for an economy series.
	At string
}

// String returns the text form NAME or NAME@SYSTEM.
func (s CollectSpec) String() string {
	if s.At == "" {
		return s.Name
	}
	return s.Name + "@" + s.At
}

// ParseCollect parses a comma-separated collection request such as
//
//	Producer.production@firms_run_production,Worker.wage,Lender.equity_base
//
// Each item is NAME or NAME@SYSTEM (see [CollectSpec]); spaces around items
// are ignored. It checks the names against the registered variables and
// economy series; capture systems are checked by [Simulation.Collect],
// against the simulation's pipeline. Errors name the item and list what
// exists.
func ParseCollect(s string) ([]CollectSpec, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w: empty request; want NAME[@SYSTEM],... such as Producer.production@firms_run_production", ErrBadCollect)
	}
	var out []CollectSpec
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("%w: item %d is empty (in %q)", ErrBadCollect, i+1, s)
		}
		name, at, hasAt := strings.Cut(item, "@")
		name, at = strings.TrimSpace(name), strings.TrimSpace(at)
		if hasAt && (at == "" || strings.Contains(at, "@")) {
			return nil, fmt.Errorf("%w: %q: want NAME@SYSTEM with one system name", ErrBadCollect, item)
		}
		sp := CollectSpec{Name: name, At: at}
		if _, err := resolveName(sp); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// resolveName checks sp.Name and returns the variables it stands for (one,
// or a component's), or a single zero Variable with an empty name for an
// economy series.
func resolveName(sp CollectSpec) ([]Variable, error) {
	name := sp.Name
	comp, field, dotted := strings.Cut(name, ".")
	if !dotted {
		if _, ok := economyColumn(name); ok {
			if sp.At != "" {
				return nil, fmt.Errorf("%w: %s: economy series have fixed capture points (spec §9.2); drop \"@%s\" or collect a per-agent variable", ErrBadCollect, sp, sp.At)
			}
			return []Variable{{}}, nil
		}
		if vs := componentVars(name); len(vs) > 0 {
			return vs, nil
		}
		return nil, fmt.Errorf("%w %q: not an economy series nor a component; economy series: %s; components: %s (per-agent variables are Component.field, e.g. Producer.production)",
			ErrUnknownVariable, name, strings.Join(economyNames(), ", "), strings.Join(componentNames(), ", "))
	}
	if v, ok := lookupVariable(name); ok {
		return []Variable{v}, nil
	}
	vs := componentVars(comp)
	if len(vs) == 0 {
		return nil, fmt.Errorf("%w %q: no component %q; components: %s", ErrUnknownVariable, name, comp, strings.Join(componentNames(), ", "))
	}
	fields := make([]string, len(vs))
	for i := range vs {
		fields[i] = vs[i].Field()
	}
	return nil, fmt.Errorf("%w %q: %s has no variable %q; it has: %s", ErrUnknownVariable, name, comp, field, strings.Join(fields, ", "))
}

// Collectable returns every name the simulation can collect: the economy
// series ([Columns]) and then the per-agent variables of the components it
// has (extension components only when attached), as "Component.field".
func (s *Simulation) Collectable() []string {
	out := economyNames()
	for _, v := range Variables() {
		if v.Available == nil || v.Available(s.World) {
			out = append(out, v.Name)
		}
	}
	return out
}

// Collector records the variables of a collection request, one row of
// values per period, from the period after [Simulation.Collect] on. It is
// filled by pipeline observers; read it between steps.
//
// A per-agent variable holds one value per agent of its kind per period; an
// economy series one value per period. Values are float64: integer fields
// (Worker.employer, Employer.current_labor) are exact, bools are 0 or 1.
type Collector struct {
	sim    *Simulation
	first  int // period number of the first row
	n      int // periods recorded
	series []*series
	byName map[string]*series
}

// series is one collected variable.
type series struct {
	name   string // the request item: "Producer.production@firms_run_production"
	base   string // "Producer.production", or the economy series name
	at     string // capture system, "" = end of period
	kind   ecs.Kind
	agents int
	get    Accessor           // per-agent variable
	econ   func(*Row) float64 // economy series
	hist   *History
	data   []float64 // periods × agents, row-major
}

// Collect starts recording the variables of specs (see [ParseCollect] for
// the text form) and returns the collector that holds them. Call it before
// the first [Simulation.Step] to record every period; called later, the
// first recorded period is the next one. Attach extensions ([Simulation.Use])
// before, so that their variables are available.
//
// Storage for the remaining periods of the run (n_periods minus the
// periods already run) is allocated here, periods × agents float64 values
// per variable (8 bytes each: 100 firms × 1000 periods is 800 kB), so that
// recording allocates nothing; [Simulation.Reserve] and [Simulation.Run]
// extend it like the economy series.
//
// It fails, changing nothing, if an item names an unknown variable,
// component or economy series (the error lists those that exist), an
// extension's variable that is not attached, or a capture system that is
// not in the pipeline (the error lists the pipeline's systems). A variable
// requested twice at the same point (alone and with its component) is
// collected once. A capture system removed from the pipeline afterwards
// falls back to the end of the period (spec §9.2).
func (s *Simulation) Collect(specs ...CollectSpec) (*Collector, error) {
	if len(specs) == 0 {
		return nil, fmt.Errorf("collect: %w: nothing requested", ErrBadCollect)
	}
	c := &Collector{sim: s, first: s.World.Period + 1, byName: map[string]*series{}}
	for _, sp := range specs {
		vs, err := resolveName(sp)
		if err != nil {
			return nil, fmt.Errorf("collect: %w", err)
		}
		if sp.At != "" && !s.Pipeline.Has(sp.At) {
			return nil, fmt.Errorf("collect: %s: %w: system %q is not in the pipeline; it has: %s",
				sp, ErrUnknownSystem, sp.At, strings.Join(uniqNames(s.Pipeline.Names()), ", "))
		}
		for _, v := range vs {
			if v.Name != "" && v.Explicit && v.Name != sp.Name {
				continue // a derived variable of a whole-component request
			}
			se := &series{at: sp.At, hist: s.History}
			if v.Name == "" { // economy series
				if s.History.off {
					return nil, fmt.Errorf("collect: %s: %w: the simulation's history is disabled (DisableHistory)", sp, ErrUnavailable)
				}
				col, _ := economyColumn(sp.Name)
				se.base, se.agents, se.econ = col.Name, 1, col.Get
				se.kind = -1
			} else {
				if v.Available != nil && !v.Available(s.World) {
					return nil, fmt.Errorf("collect: %s: %w: this simulation's %s have no %s component (attach its extension before Collect)",
						sp, ErrUnavailable, v.Kind, v.Component())
				}
				se.base, se.kind, se.agents, se.get = v.Name, v.Kind, s.World.Count(v.Kind), v.Get
			}
			se.name = CollectSpec{Name: se.base, At: se.at}.String()
			if _, dup := c.byName[se.name]; dup {
				continue // requested twice (e.g. alone and with its component): collected once
			}
			c.byName[se.name] = se
			c.series = append(c.series, se)
		}
	}
	c.Reserve(max(0, s.World.Params.NPeriods-s.World.Period))

	// One observer per capture point, in request order; economy series and
	// end-of-period variables in one end-of-period observer, registered
	// after the history's, so that the period's row is complete.
	var points []string
	for _, se := range c.series {
		if se.at != "" && !slices.Contains(points, se.at) {
			points = append(points, se.at)
		}
	}
	for _, at := range points {
		var group []*series
		for _, se := range c.series {
			if se.at == at {
				group = append(group, se)
			}
		}
		s.Pipeline.Observe(at, func(w *ecs.World) {
			for _, se := range group {
				se.capture(w)
			}
		})
	}
	var end []*series
	for _, se := range c.series {
		if se.at == "" {
			end = append(end, se)
		}
	}
	s.Pipeline.Observe("", func(w *ecs.World) {
		for _, se := range end {
			se.capture(w)
		}
		c.n++
	})
	s.collectors = append(s.collectors, c)
	return c, nil
}

func uniqNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// capture appends one period of values.
func (se *series) capture(w *ecs.World) {
	n := len(se.data)
	if cap(se.data)-n < se.agents {
		se.data = slices.Grow(se.data, max(se.agents, n)) // not reserved: grow geometrically
	}
	dst := se.data[n : n+se.agents]
	if se.econ != nil {
		rows := se.hist.Rows
		dst[0] = se.econ(&rows[len(rows)-1])
	} else {
		se.get(w, dst)
	}
	se.data = se.data[:n+se.agents]
}

// Reserve makes room for n more periods, so that recording them allocates
// nothing. [Simulation.Reserve] and [Simulation.Run] call it for every
// collector of the simulation.
func (c *Collector) Reserve(n int) {
	for _, se := range c.series {
		if need := n * se.agents; cap(se.data)-len(se.data) < need {
			d := make([]float64, len(se.data), len(se.data)+need)
			copy(d, se.data)
			se.data = d
		}
	}
}

// Variables returns the names of the collected variables, in request order,
// a component request expanded to its variables: "Component.field" for a
// variable captured at the end of the period, "Component.field@system" for
// one captured after a system, and the name of an economy series.
func (c *Collector) Variables() []string {
	out := make([]string, len(c.series))
	for i, se := range c.series {
		out[i] = se.name
	}
	return out
}

// Len returns the number of periods recorded.
func (c *Collector) Len() int { return c.n }

// FirstPeriod returns the period number t of the first recorded row (1
// when Collect was called before the first step).
func (c *Collector) FirstPeriod() int { return c.first }

// lookup returns the series called name: a name of [Collector.Variables],
// or a variable name without its @system when that is unambiguous.
func (c *Collector) lookup(name string) *series {
	if se, ok := c.byName[name]; ok {
		return se
	}
	var found *series
	for _, se := range c.series {
		if se.base == name {
			if found != nil {
				return nil
			}
			found = se
		}
	}
	return found
}

// Data returns the values recorded for the variable name (a name of
// [Collector.Variables], or the variable without its "@system" when only
// one capture point of it is collected): periods rows of agents values,
// row-major, so values[t*agents+i] is agent i (slot i of its kind) in
// period FirstPeriod()+t. An economy series has agents == 1. The slice is
// the collector's storage: do not modify it; it stays valid, and unchanged,
// while later periods are recorded. For an unknown name Data returns 0, 0,
// nil.
func (c *Collector) Data(name string) (periods, agents int, values []float64) {
	se := c.lookup(name)
	if se == nil {
		return 0, 0, nil
	}
	periods = len(se.data) / se.agents
	return periods, se.agents, se.data[: periods*se.agents : periods*se.agents]
}

// Kind returns the agent kind of the variable name and true, or false for
// an economy series or an unknown name.
func (c *Collector) Kind(name string) (ecs.Kind, bool) {
	se := c.lookup(name)
	if se == nil || se.econ != nil {
		return 0, false
	}
	return se.kind, true
}
