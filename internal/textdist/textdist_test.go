package textdist

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"run", "run", 0},
		{"", "run", 3},
		{"runn", "run", 1},    // insertion
		{"rn", "run", 1},      // deletion
		{"rub", "run", 1},     // substitution
		{"urn", "run", 1},     // transposition: Damerau, not Levenshtein's 2
		{"mrege", "merge", 1}, // transposition
		{"sed", "seed", 1},
		{"sed", "set", 1},
		{"per", "set", 2},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a transposed pair
		{"größe", "grösse", 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestDistanceWithoutTranspositions(t *testing.T) {
	tests := []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"theta", "theta", 0},
		{"thetta", "theta", 1}, {"kitten", "sitting", 3}, {"flaw", "lawn", 2},
		{"max_M", "max_H", 1}, {"ρ", "p", 1}, {"h_ρ", "h_rho", 3},
	}
	for _, tt := range tests {
		if d := Distance(tt.a, tt.b); d != tt.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, d, tt.d)
		}
		if d := Distance(tt.b, tt.a); d != tt.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.b, tt.a, d, tt.d)
		}
	}
}
