package ecs_test

import (
	"strconv"
	"testing"

	"github.com/bam-abm/bam/ecs"
)

// parseText parses a parameter's text form back to its Get value.
func parseText(k ecs.ParamKind, txt string) (any, error) {
	switch k {
	case ecs.KindInt:
		v, err := strconv.Atoi(txt)
		return v, err
	case ecs.KindSeed:
		return strconv.ParseUint(txt, 10, 64)
	case ecs.KindEnum:
		return strconv.Unquote(txt)
	}
	return strconv.ParseFloat(txt, 64)
}

// TestParamText: every parameter's text parses back to its value, and the
// forms are those of a scenario file.
func TestParamText(t *testing.T) {
	p := ecs.DefaultParams()
	p.Seed = 18446744073709551615
	a, b := 0.1, 0.2
	p.HRho = a + b // 0.30000000000000004: shortest round-trip form, not %g
	for _, s := range ecs.ParamSpecs {
		txt := s.Text(&p)
		if txt == "absent" {
			if s.Get(&p) != nil {
				t.Errorf("%s: absent but set", s.Name)
			}
			continue
		}
		got, err := parseText(s.Kind, txt)
		if err != nil {
			t.Errorf("%s: text %q does not parse: %v", s.Name, txt, err)
			continue
		}
		if want := s.Get(&p); got != want {
			t.Errorf("%s: %q parses to %v, want %v", s.Name, txt, got, want)
		}
	}
	tests := []struct{ name, want string }{
		{"seed", "18446744073709551615"},
		{"h_rho", "0.30000000000000004"},
		{"n_firms", "100"},
	}
	for _, tt := range tests {
		for _, s := range ecs.ParamSpecs {
			if s.Name == tt.name {
				if got := s.Text(&p); got != tt.want {
					t.Errorf("%s: Text = %q, want %q", tt.name, got, tt.want)
				}
			}
		}
	}
}
