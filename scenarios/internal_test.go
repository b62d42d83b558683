package scenarios

import "testing"

func TestSuggest(t *testing.T) {
	keys := topKeys()
	tests := []struct{ name, want string }{
		{"thetta", "theta"},
		{"THETA", "theta"},
		{"max_m", "max_M"}, // exact match ignoring case beats max_H
		{"maxZ", "max_Z"},
		{"nfirms", "n_firms"},
		{"n_firm", "n_firms"},
		{"hrho", "h_rho"},
		{"labour_productivity", "labor_productivity"},
		{"consumer_matchin", "consumer_matching"},
		{"pipelines", "pipeline"},
		{"hook", "hooks"},
		{"x", ""},  // one letter away from v, but too short to guess
		{"vv", ""}, // likewise
		{"zzzzzz", ""},
		{"seeds_and_more", ""},
		{"networth", ""}, // far from net_worth_ratio and net_worth_init
	}
	for _, tt := range tests {
		if got := suggest(tt.name, keys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestKeyLine(t *testing.T) {
	doc := `# header
name = "x"   # 2
description = """
theta = 1
"""
theta = 8
"max_H" = 2
firm.size = 3

[[hooks]]   # 10
after = "a"
systems = ["b"]

[other]
theta = 9

[[hooks]]   # 17
remove = "c"
`
	tests := []struct {
		table string
		n     int
		key   string
		line  int
	}{
		{"", 0, "name", 2},
		{"", 0, "theta", 6}, // not the line in the multi-line string, nor [other]
		{"", 0, "max_H", 7},
		{"", 0, "firm", 8},
		{"", 0, "after", 0}, // only inside a table
		{"", 0, "hooks", 10},
		{"", 0, "other", 14},
		{"", 0, "oth", 0},
		{"", 0, "missing", 0},
		{"hooks", 1, "", 10},
		{"hooks", 1, "after", 11},
		{"hooks", 1, "systems", 12},
		{"hooks", 1, "remove", 0},
		{"hooks", 2, "", 17},
		{"hooks", 2, "remove", 18},
		{"hooks", 3, "", 0},
	}
	for _, tt := range tests {
		if got := keyLine([]byte(doc), tt.table, tt.n, tt.key); got != tt.line {
			t.Errorf("keyLine(%q, %d, %q) = %d, want %d", tt.table, tt.n, tt.key, got, tt.line)
		}
	}
}

func TestQuoteIfNeeded(t *testing.T) {
	tests := []struct{ in, want string }{
		{"theta=3", "theta=3"}, {"a/b.toml", "a/b.toml"}, {"", `""`},
		{"theta = 3", `"theta = 3"`}, {`a"b`, `"a\"b"`}, {"a\tb", `"a\tb"`},
	}
	for _, tt := range tests {
		if got := quoteIfNeeded(tt.in); got != tt.want {
			t.Errorf("quoteIfNeeded(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
