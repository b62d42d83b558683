package ecs

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// ErrBadVariable reports a malformed variable registration: a name that
// is not "Component.field", an unknown kind or a nil accessor.
var ErrBadVariable = errors.New("bad variable")

// Accessor copies one variable of every agent of a kind into dst, in slot
// order (dst[i] is agent i). len(dst) is the number of agents of the kind.
// An accessor is called at a capture point of every period: it must only
// read the world, and must not allocate. Variables are collected by bam's
// Collector and read by the validation recorder.
type Accessor func(w *World, dst []float64)

// Variable is a per-agent variable that can be collected, named
// "Component.field" (e.g. "Producer.production").
type Variable struct {
	// Name is "Component.field".
	Name string
	// Kind is the kind of agent that has the variable; it sets the number
	// of values per period.
	Kind Kind
	// Doc is a short description.
	Doc string
	// Get reads the variable of every agent.
	Get Accessor
	// Available reports whether a world has the variable; nil means
	// always. The variables of an extension's component are available only
	// in a simulation the extension is attached to.
	Available func(w *World) bool
	// Explicit marks a variable that is collected only when named on its
	// own, not when its whole component is requested (the derived
	// Worker.employed, spec §11.1).
	Explicit bool
	// Type is what the values are: [FloatValue] (the zero value, and the
	// type of a variable registered with an accessor alone), [IntValue]
	// (an integer field) or [BoolValue] (a bool field, 0 or 1). Collected
	// values are float64 whatever the type; the panel layout of collected
	// data types its columns by it (INT64, BOOLEAN, DOUBLE in Parquet).
	Type ValueType
}

// ValueType is the type of a variable's values (see [Variable.Type]).
type ValueType uint8

// Value types of variables.
const (
	FloatValue ValueType = iota // a real number
	IntValue                    // an integer, exact in a float64 up to 2⁵³
	BoolValue                   // 0 (false) or 1 (true)
)

// String returns "float", "int" or "bool".
func (t ValueType) String() string {
	switch t {
	case IntValue:
		return "int"
	case BoolValue:
		return "bool"
	}
	return "float"
}

// valueTypeOf returns the value type of a field of kind k.
func valueTypeOf(k reflect.Kind) ValueType {
	switch k {
	case reflect.Bool:
		return BoolValue
	case reflect.Float32, reflect.Float64:
		return FloatValue
	}
	return IntValue
}

// Component returns the part of the name before the dot.
func (v *Variable) Component() string { c, _, _ := strings.Cut(v.Name, "."); return c }

// Field returns the part of the name after the dot.
func (v *Variable) Field() string { _, f, _ := strings.Cut(v.Name, "."); return f }

// The variable registry. The world's own components are registered by
// init (variables_builtin.go), extensions with their Extension
// definition (systems/extensions), users with RegisterVariable,
// RegisterVariables or RegisterComponent.
var (
	varsMu   sync.RWMutex
	vars     = map[string]*Variable{}
	varOrder []string // registration order
)

// RegisterVariable registers a per-agent variable named "Component.field"
// for agents of kind k, read by get. It fails if the name is malformed or
// taken. See [RegisterVariables] for the full form and
// [RegisterComponent] to register every field of a component struct.
func RegisterVariable(name string, k Kind, get Accessor) error {
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
			return fmt.Errorf("register variable %q: %w: want Component.field", v.Name, ErrBadVariable)
		}
		if v.Get == nil {
			return fmt.Errorf("register variable %q: nil accessor", v.Name)
		}
		if v.Kind < Firms || v.Kind > Banks {
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
// the name given by a `bam:"name"` struct tag, documented by its
// `doc:"..."` tag; `bam:"-"` skips a field, and
// unexported fields and fields of other types (arrays, strings) are
// skipped. view returns the kind's slot-indexed slice of T, or nil when the
// world does not have the component; a variable is available in a world
// where view returns one element per agent. Fields are located by
// reflection once, here; the accessors read them by offset, without
// reflection. It fails like [RegisterVariables].
func RegisterComponent[T any](component string, k Kind, view func(w *World) []T) error {
	vs, err := FieldVariables(component, k, view)
	if err != nil {
		return err
	}
	return RegisterVariables(vs...)
}

// FieldVariables returns, without registering them, the variables
// [RegisterComponent] would register for the struct T: one per numeric or
// bool field, documented by the field's `doc:"..."` struct tag. It fails
// if T is not a struct.
func FieldVariables[T any](component string, k Kind, view func(w *World) []T) ([]Variable, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("register component %s: %v is not a struct", component, t)
	}
	available := func(w *World) bool { return len(view(w)) == w.Count(k) }
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
			Doc:       f.Tag.Get("doc"),
			Get:       get,
			Available: available,
			Type:      valueTypeOf(f.Type.Kind()),
		})
	}
	return vs, nil
}

// fieldAccessor returns an accessor reading field f of every element of
// view's slice by its offset, or nil if the field's type is not numeric or
// bool.
func fieldAccessor[T any](view func(w *World) []T, f reflect.StructField) Accessor {
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
		return func(w *World, dst []float64) {
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
func offsetAccessor[T any, F number](view func(w *World) []T, off uintptr) Accessor {
	size := unsafe.Sizeof(*new(T))
	return func(w *World, dst []float64) {
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
// RnD and BufferStock, then those registered by the program. Use bam's
// Simulation.Collectable for the names a given simulation can collect.
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
// a collector (the validation recorder reads its cross-sections this way).
func LookupVariable(name string) (Variable, bool) {
	varsMu.RLock()
	defer varsMu.RUnlock()
	v, ok := vars[name]
	if !ok {
		return Variable{}, false
	}
	return *v, true
}

// VariablesOf returns the registered variables of a component, in
// registration order (none for an unknown component).
func VariablesOf(component string) []Variable {
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

// VariableComponents returns the components that have registered
// variables, in registration order.
func VariableComponents() []string {
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
