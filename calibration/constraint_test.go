package calibration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConstraint(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{in: "max_loan_to_net_worth <= max_leverage", want: "max_loan_to_net_worth <= max_leverage"},
		{in: "beta>2", want: "beta > 2"},
		{in: " consumer_matching != random ", want: "consumer_matching != random"},
		{in: "beta == 1", want: "beta == 1"},
		{in: "beta", err: "want PARAM OP"},
		{in: "<= 2", err: "want PARAM OP"},
		{in: "beta <=", err: "want PARAM OP"},
		{in: "beta < = 2", err: "want PARAM OP"},
	} {
		c, err := ParseConstraint(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseConstraint(%q) = %v, %v; want an error with %q", tt.in, c, err, tt.err)
			}
			continue
		}
		if err != nil || c.String() != tt.want {
			t.Errorf("ParseConstraint(%q) = %q, %v; want %q", tt.in, c, err, tt.want)
		}
	}
}

// TestConstrainedGrid checks the grid of a constrained space against a
// hand count, the constraints kept by Fix and Focus, the search's plan
// counting only the admitted configurations, and the refusals.
func TestConstrainedGrid(t *testing.T) {
	sp, err := NewSpace([]Param{{Name: "max_loan_to_net_worth", Values: []string{"0", "2", "5", "10"}}, {Name: "max_leverage", Values: []string{"0", "5", "10"}},
		{Name: "consumer_matching", Values: []string{"loyalty", "random"}}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ParseConstraint("max_loan_to_net_worth <= max_leverage")
	b, _ := ParseConstraint("consumer_matching != random")
	sp, err = sp.Constrain([]Constraint{a, b})
	if err != nil {
		t.Fatal(err)
	}
	// (0,0) (0,5) (2,5) (5,5) (0,10) (2,10) (5,10) (10,10): 8 pairs, loyalty only.
	d, err := sp.Design()
	if err != nil || d.Len() != 8 {
		t.Fatalf("%v configurations, %v; want 8", d, err)
	}
	for _, c := range d.Configs {
		if c[2] != "loyalty" || c[0] == "10" && c[1] != "10" || c[0] == "5" && c[1] == "0" {
			t.Errorf("configuration %v breaks a constraint", c)
		}
	}
	if n, err := sp.Configurations(); n != 8 || err != nil {
		t.Errorf("Configurations() = %d, %v", n, err)
	}
	if ph, err := (&Search{Space: sp}).Plan(); err != nil || ph[0].Configs != 8 {
		t.Errorf("the search screens %v, %v; want 8 configurations", ph, err)
	}
	fixed, err := sp.Fix([]string{"max_leverage=5"})
	if err != nil || len(fixed.Constraints) != 2 {
		t.Fatalf("Fix drops the constraints: %+v, %v", fixed, err)
	}
	if d, err := fixed.Design(); err != nil || d.Len() != 3 {
		t.Errorf("fixed at max_leverage 5: %v, %v; want 3 configurations", d, err)
	}
	empty, err := fixed.Fix([]string{"consumer_matching=random"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Design(); err == nil || !strings.Contains(err.Error(), "no configuration of the grid meets its constraints") {
		t.Errorf("a grid the constraints leave empty: %v", err)
	}
	m := &MorrisResult{Effects: []Effect{{Name: "max_leverage", Class: Fix, BestValue: "10"}}}
	if f, err := Focus(sp, m, 0); err != nil || len(f.Constraints) != 2 {
		t.Errorf("Focus drops the constraints: %+v, %v", f, err)
	}
	for _, text := range []string{"nope < beta", "max_leverage < nope", "consumer_matching < max_leverage"} {
		c, _ := ParseConstraint(text)
		if _, err := sp.Constrain([]Constraint{c}); err == nil {
			t.Errorf("%q is accepted", text)
		}
	}
}

// TestReadGridConstraints reads constraints from TOML and JSON grid
// files.
func TestReadGridConstraints(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"g.toml": "beta = [1, 5]\nmax_M = [2, 4]\nconstraints = [\"beta > max_M\"]\n",
		"g.json": `{"beta": [1, 5], "max_M": [2, 4], "constraints": ["beta > max_M"]}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		sp, err := ReadGrid(path)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := sp.Design(); err != nil || d.Len() != 2 || len(sp.Params) != 2 {
			t.Errorf("%s: %v, %v; want beta 5 with max_M 2 and 4", name, d, err)
		}
	}
	path := filepath.Join(dir, "bad.toml")
	for _, body := range []string{"beta = [1]\nconstraints = \"beta > 1\"\n", "beta = [1]\nconstraints = [1]\n", "beta = [1]\nconstraints = [\"beta\"]\n"} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadGrid(path); err == nil || !strings.Contains(err.Error(), "constraint") {
			t.Errorf("%q: %v", body, err)
		}
	}
}
