package bam

import (
	"reflect"
	"slices"
	"testing"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/internal/checkpoint"
	"github.com/bam-abm/bam/loans"
)

// TestCheckpointCoversState fails when a type whose values make up the
// simulation state gains or loses a field, so that whoever changes it
// decides how a checkpoint carries the field (and bumps CheckpointFormat
// if the layout changes). Fields of ecs.Economy, loans.Book and Row are
// stored generically by name; the others are listed in checkpoint.go.
func TestCheckpointCoversState(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want []string
		how  string
	}{
		{reflect.TypeFor[Simulation](), []string{"World", "Pipeline", "History", "Scenario", "collectors", "err", "firmIDs", "bankIDs"},
			"World, History and Scenario are stored, the ids in AGNT (agentFields); the pipeline is rebuilt; collectors are not part of a checkpoint; a simulation with err (non-finite state) refuses checkpoints"},
		{reflect.TypeFor[agentIDs](), []string{"ID", "Entered", "Next"}, "see agentFields"},
		{reflect.TypeFor[ecs.World](), []string{"Params", "Rand", "Econ", "Loans", "Firms", "Households", "Banks", "Period",
			"world", "structure", "entities", "resources", "ids"},
			"Params, Rand, Econ, Loans and Period are stored, components through World.Columns; resources are not stored (the markets' typed resources are rebuilt with the pipeline and refilled every period)"},
		{reflect.TypeFor[History](), []string{"Rows", "FinalProduction", "FinalDebt", "cur", "off"},
			"see historyFields, and agentFields for FinalDebt; cur is empty between periods; a disabled History (off) refuses checkpoints"},
	}
	for _, tt := range tests {
		var got []string
		for i := range tt.typ.NumField() {
			got = append(got, tt.typ.Field(i).Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%v has fields %v; the checkpoint knows %v (%s): update checkpoint.go", tt.typ, got, tt.want, tt.how)
		}
	}
	// Stored generically: every field must be plain data or a slice of it.
	for _, typ := range []reflect.Type{reflect.TypeFor[ecs.Economy](), reflect.TypeFor[loans.Book](), reflect.TypeFor[Row]()} {
		for i := range typ.NumField() {
			f := typ.Field(i)
			ft := f.Type
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if _, err := checkpoint.LayoutOf(ft); err != nil {
				t.Errorf("%v.%s: %v", typ, f.Name, err)
			}
		}
	}
}

// TestSameSystemType: a checkpoint written when a system was a value type
// resumes now that it is a pointer type, and the other way round; other
// types stay different.
func TestSameSystemType(t *testing.T) {
	const pkg = "github.com/bam-abm/bam/systems."
	tests := []struct {
		a, b string
		want bool
	}{
		{pkg + "LaborMarketRound", "*" + pkg + "LaborMarketRound", true},
		{"*" + pkg + "LaborMarketRound", pkg + "LaborMarketRound", true},
		{pkg + "LaborMarketRound", pkg + "LaborMarketRound", true},
		{pkg + "LaborMarketRound", pkg + "CreditMarketRound", false},
		{"*" + pkg + "LaborMarketRound", "*github.com/user/policy.LaborMarketRound", false},
	}
	for _, tt := range tests {
		if got := sameSystemType(tt.a, tt.b); got != tt.want {
			t.Errorf("sameSystemType(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
