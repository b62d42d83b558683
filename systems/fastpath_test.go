package systems_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	bam "github.com/bam-abm/bam"
	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/systems"
)

// TestFastPathsMatchGeneral runs whole simulations with the fast paths for
// the default parameters (two-firm shopping lists, job queues drawn into
// their rows and unrolled for max_M = 4, the labour rounds' seekers list,
// the inlined x^2.5) and with the general code, and requires bit-identical
// economies: every recorded series and every firm and household column.
func TestFastPathsMatchGeneral(t *testing.T) {
	for _, c := range []struct {
		name string
		mod  func(*ecs.Params)
	}{
		{"default", nil},
		{"random matching", func(p *ecs.Params) { p.ConsumerMatching = ecs.MatchingRandom }},
		{"max_M=2", func(p *ecs.Params) { p.MaxM = 2 }},
	} {
		for _, seed := range []uint64{1, 2} {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				fast := fastPathRun(t, seed, c.mod, false)
				general := fastPathRun(t, seed, c.mod, true)
				if len(fast) != len(general) {
					t.Fatalf("%d values with fast paths, %d without", len(fast), len(general))
				}
				for k, v := range fast {
					g := general[k]
					if math.Float64bits(v) != math.Float64bits(g) {
						t.Fatalf("%s: %v with fast paths, %v without", k, v, g)
					}
				}
			})
		}
	}
}

// fastPathRun runs 200 periods and returns every recorded series value and
// the final state of every firm and household component (as 8-byte words,
// compared by their bits).
func fastPathRun(t *testing.T, seed uint64, mod func(*ecs.Params), general bool) map[string]float64 {
	t.Helper()
	defer systems.SetGeneralPaths(general)()
	p := ecs.DefaultParams()
	p.Seed = seed
	if mod != nil {
		mod(&p)
	}
	sim, err := bam.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if ran := sim.Run(200); ran < 200 {
		t.Fatalf("collapsed after %d periods", ran)
	}
	out := map[string]float64{}
	for _, c := range bam.Columns {
		for i, v := range sim.History.Series(c.Name) {
			out[fmt.Sprintf("%s[%d]", c.Name, i)] = v
		}
	}
	// Every byte of every firm and household component, eight at a time.
	for _, k := range []ecs.Kind{ecs.Firms, ecs.Households} {
		cols, err := sim.World.Columns(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			for i := 0; i+8 <= len(col.Bytes); i += 8 {
				word := binary.LittleEndian.Uint64(col.Bytes[i:])
				out[fmt.Sprintf("%v %s byte %d", k, col.Type, i)] = math.Float64frombits(word)
			}
		}
	}
	return out
}
