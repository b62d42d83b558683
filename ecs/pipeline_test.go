package ecs_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/ecs"
)

func named(names ...string) []ecs.System {
	out := make([]ecs.System, len(names))
	for i, n := range names {
		out[i] = ecs.Func{ID: n, Fn: func(*ecs.World) {}}
	}
	return out
}

func TestPipelineEdits(t *testing.T) {
	base := []string{"a", "round", "round", "b"}
	tests := []struct {
		name string
		edit func(p *ecs.Pipeline) error
		want []string
		err  string
	}{
		{"insert before first round", func(p *ecs.Pipeline) error { return p.InsertBefore("round", named("x", "y")...) }, []string{"a", "x", "y", "round", "round", "b"}, ""},
		{"insert after last round", func(p *ecs.Pipeline) error { return p.InsertAfter("round", named("x")...) }, []string{"a", "round", "round", "x", "b"}, ""},
		{"later batch lands before earlier", func(p *ecs.Pipeline) error {
			if err := p.InsertAfter("a", named("x1", "x2")...); err != nil {
				return err
			}
			return p.InsertAfter("a", named("y1")...)
		}, []string{"a", "y1", "x1", "x2", "round", "round", "b"}, ""},
		{"replace every round", func(p *ecs.Pipeline) error { return p.Replace("round", named("r2")[0]) }, []string{"a", "r2", "r2", "b"}, ""},
		{"remove", func(p *ecs.Pipeline) error { return p.Remove("round") }, []string{"a", "b"}, ""},
		{"unknown anchor", func(p *ecs.Pipeline) error { return p.InsertAfter("zzz", named("x")...) }, base, `system "zzz" is not in the pipeline; it has: a, round, b`},
		{"unknown remove", func(p *ecs.Pipeline) error { return p.Remove("zzz") }, base, "not in the pipeline"},
		{"unknown replace", func(p *ecs.Pipeline) error { return p.Replace("zzz", named("x")[0]) }, base, "not in the pipeline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ecs.NewPipeline(named(base...)...)
			err := tt.edit(p)
			if tt.err == "" && err != nil {
				t.Fatal(err)
			}
			if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("error = %v, want %q", err, tt.err)
			}
			if got := p.Names(); !slices.Equal(got, tt.want) {
				t.Errorf("names = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPipelineStepAndObservers(t *testing.T) {
	w, err := ecs.NewWorld(ecs.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	sys := func(n string) ecs.System {
		return ecs.Func{ID: n, Fn: func(w *ecs.World) { log = append(log, fmt.Sprintf("%s@%d", n, w.Period)) }}
	}
	p := ecs.NewPipeline(sys("a"), sys("round"), sys("round"), sys("b"))
	p.Observe("round", func(*ecs.World) { log = append(log, "obs-round") })
	p.Observe("missing", func(*ecs.World) { log = append(log, "obs-missing") })
	p.Observe("", func(*ecs.World) { log = append(log, "obs-end") })
	p.Step(w)
	want := []string{"a@1", "round@1", "obs-round", "round@1", "b@1", "obs-missing", "obs-end"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
	// Editing after observing re-resolves the capture points.
	log = nil
	if err := p.InsertBefore("a", sys("round")); err != nil {
		t.Fatal(err)
	}
	p.Step(w)
	want = []string{"round@2", "obs-round", "a@2", "round@2", "round@2", "b@2", "obs-missing", "obs-end"}
	if !slices.Equal(log, want) {
		t.Errorf("log = %v, want %v", log, want)
	}
}

func TestParseEntry(t *testing.T) {
	p := ecs.DefaultParams()
	tests := []struct {
		entry  string
		name   string
		repeat int
		err    string
	}{
		{"firms_run_production", "firms_run_production", 1, ""},
		{"labor_market_round x max_M", "labor_market_round", 4, ""},
		{"credit_market_round x max_H", "credit_market_round", 2, ""},
		{"labor_market_round x 3", "labor_market_round", 3, ""},
		{"labor_market_round x -1", "", 0, "must be in [0, 1000]"},
		{"labor_market_round x 1000", "labor_market_round", 1000, ""},
		{"labor_market_round x 1001", "", 0, "must be in [0, 1000]"},
		{"labor_market_round x beta", "", 0, "neither an integer nor an integer parameter"},
		{"labor_market_round times 3", "", 0, `want "name" or "name x COUNT"`},
		{"", "", 0, `want "name"`},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			name, n, err := ecs.ParseEntry(tt.entry, &p)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || name != tt.name || n != tt.repeat {
				t.Errorf("got (%q, %d, %v), want (%q, %d)", name, n, err, tt.name, tt.repeat)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	r := ecs.NewRegistry()
	mk := func(n string) ecs.Factory { return func(*ecs.World) ecs.System { return named(n)[0] } }
	if err := r.Register("a", mk("a")); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("a", mk("a")); err == nil {
		t.Error("duplicate registration accepted")
	}
	if err := r.Register("has space", mk("x")); err == nil {
		t.Error("name with a space accepted")
	}
	if err := r.Register("wrong", mk("other")); err != nil {
		t.Fatal(err)
	}
	w, _ := ecs.NewWorld(ecs.DefaultParams())
	if _, err := r.New(w, "nope"); err == nil || !strings.Contains(err.Error(), "known systems: a, wrong") {
		t.Errorf("unknown name error = %v", err)
	}
	if _, err := r.New(w, "wrong"); err == nil || !strings.Contains(err.Error(), `returned a system named "other"`) {
		t.Errorf("name mismatch error = %v", err)
	}
	p, err := r.Build(w, []string{"a x 3"})
	if err != nil || p.Len() != 3 {
		t.Errorf("Build: len %d, err %v", p.Len(), err)
	}
	c := r.Clone()
	if err := c.Register("b", mk("b")); err != nil || r.Has("b") {
		t.Error("clone is not independent")
	}
}
