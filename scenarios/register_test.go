package scenarios_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/scenarios"
)

func TestRegister(t *testing.T) {
	doc := []byte("description = \"tight credit\"\nn_periods = 40\nr_bar = 0.05\n")
	if err := scenarios.Register("test_tight_credit", doc); err != nil {
		t.Fatalf("Register: %v", err)
	}
	tests := []struct {
		name    string
		toml    string
		wantErr string // substring of the error; "" = no error
		input   bool   // the error is a *scenarios.Error
	}{
		{"test_named", "name = \"other_name\"\nseed = 3\n", "", false},
		{"test_tight_credit", "seed = 1\n", "already registered", false},
		{"baseline", "seed = 1\n", "an embedded scenario has that name", false},
		{"", "seed = 1\n", "want a non-empty name", false},
		{"two words", "seed = 1\n", "want a non-empty name", false},
		{"dir/x", "seed = 1\n", "must not be a path", false},
		{"x.toml", "seed = 1\n", "must not be a path", false},
		{"test_bad_key", "thetta = 4\n", `unknown key "thetta"`, true},
		{"test_bad_syntax", "n_firms = \n", "TOML syntax error", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scenarios.Register(tt.name, []byte(tt.toml))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Register(%q): %v", tt.name, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Register(%q) = %v; want an error containing %q", tt.name, err, tt.wantErr)
			}
			var se *scenarios.Error
			if errors.As(err, &se) != tt.input {
				t.Errorf("Register(%q) = %T; *scenarios.Error: %v, want %v", tt.name, err, !tt.input, tt.input)
			}
			if slices.Contains(scenarios.Names(), tt.name) && tt.name != "baseline" && tt.name != "test_tight_credit" {
				t.Errorf("a refused scenario %q is listed by Names", tt.name)
			}
		})
	}

	names := scenarios.Names()
	if !slices.Contains(names, "test_tight_credit") || !slices.Contains(names, "baseline") || !slices.IsSorted(names) {
		t.Fatalf("Names() = %v; want a sorted list with the embedded and the registered scenarios", names)
	}
	s, err := scenarios.Load("test_tight_credit")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if s.Name != "test_tight_credit" || s.Source != "registered:test_tight_credit" || s.Description != "tight credit" ||
		s.Params.NPeriods != 40 || s.Params.RBar != 0.05 {
		t.Errorf("Load = name %q source %q description %q n_periods %d r_bar %g", s.Name, s.Source, s.Description, s.Params.NPeriods, s.Params.RBar)
	}
	// Every Load is a fresh copy.
	s.Params.NPeriods = 1
	if again, _ := scenarios.Load("test_tight_credit"); again.Params.NPeriods != 40 {
		t.Errorf("a change to one loaded copy reached the next Load: n_periods %d", again.Params.NPeriods)
	}
	if s, err := scenarios.Load("test_named"); err != nil || s.Name != "other_name" {
		t.Errorf("Load(test_named) = %v, %v; want the document's name key", s, err)
	}
}
