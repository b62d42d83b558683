package ecs

import (
	"fmt"
	"reflect"
	"unsafe"

	arche "github.com/mlange-42/arche/ecs"
)

// Column is one component of an agent kind seen as raw storage: its type
// and the bytes of every agent's value, in slot order. Columns let code
// that must handle every component generically — such as a checkpoint,
// which must also carry the state components added by extensions — do so
// without importing arche.
type Column struct {
	// Type is the component's Go type.
	Type reflect.Type
	// Bytes is the component of slots 0 … n−1, Type.Size() bytes each
	// (empty for a zero-size component). It aliases the world's storage
	// like the dense views: writing it writes the components, and it must
	// not be used after a structural change ([AddComponent]).
	Bytes []byte
}

// Columns returns every component of kind k — the built-in ones and
// those added with [AddComponent] — in the order the world registered
// their types. It fails if a component is a relation or is not stored
// densely in slot order (which [NewWorld] and [AddComponent] guarantee).
func (w *World) Columns(k Kind) ([]Column, error) {
	if k < Firms || k > Banks {
		return nil, fmt.Errorf("ecs: unknown kind %v", k)
	}
	ents := w.entities[k]
	if len(ents) == 0 {
		return nil, nil
	}
	ids := w.world.Ids(ents[0])
	cols := make([]Column, 0, len(ids))
	for _, id := range ids {
		info, ok := arche.ComponentInfo(&w.world, id)
		if !ok {
			return nil, fmt.Errorf("ecs: %s: a component id is not registered", k)
		}
		if info.IsRelation {
			return nil, fmt.Errorf("ecs: %s: component %v is a relation; relations are not supported", k, info.Type)
		}
		col := Column{Type: info.Type}
		size := info.Type.Size()
		if size > 0 {
			base := uintptr(w.world.Get(ents[0], id))
			for i, e := range ents {
				if uintptr(w.world.Get(e, id)) != base+uintptr(i)*size {
					return nil, fmt.Errorf("ecs: %v of %s is not stored densely in slot order (slot %d)", info.Type, k, i)
				}
			}
			col.Bytes = unsafe.Slice((*byte)(w.world.Get(ents[0], id)), uintptr(len(ents))*size)
		}
		cols = append(cols, col)
	}
	return cols, nil
}
