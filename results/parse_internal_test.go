package results

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseTable(t *testing.T) {
	inf := math.Inf(-1)
	for _, tc := range []struct {
		name, csv string
		cols      []string
		want      [][]float64
		err       string
	}{
		{"by name", "a,b,c\n1,2,3\n4,5,6\n", []string{"c", "a"}, [][]float64{{3, 6}, {1, 4}}, ""},
		{"extra and reordered columns", "zz,b,extra\n7,2,x\n8,5,y\n", []string{"b"}, [][]float64{{2, 5}}, ""},
		{"non-finite values", "a\nNaN\n-Inf\n1e3\n", []string{"a"}, [][]float64{{math.NaN(), inf, 1000}}, ""},
		{"missing column", "a,b\n1,2\n", []string{"a", "q"}, nil, `no column "q"`},
		{"bad number", "a,b\n1,2\n3,x\n", []string{"b"}, nil, `line 3, column b: not a number: "x"`},
		{"empty number", "a,b\n1,\n", []string{"b"}, nil, `line 2, column b: not a number: ""`},
		{"ragged row", "a,b\n1,2\n3\n", []string{"a"}, nil, "wrong number of fields"},
		{"empty file", "", []string{"a"}, nil, "empty file"},
		{"header only", "a,b\n", []string{"a"}, [][]float64{nil}, ""},
		{"every column", "a,b\n1,2\n", nil, [][]float64{{1}, {2}}, ""},
		{"bad quoting", "a,b\n1,\"2\n", []string{"a"}, nil, "extraneous or missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := parseTable(strings.NewReader(tc.csv), tc.cols)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := tab.Columns
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k := range got {
				if !slices.EqualFunc(got[k], tc.want[k], func(a, b float64) bool {
					return a == b || math.IsNaN(a) && math.IsNaN(b)
				}) {
					t.Errorf("column %s: got %v, want %v", tab.Names[k], got[k], tc.want[k])
				}
			}
		})
	}
}

func TestParseManifest(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		want       Manifest
		err        string
	}{
		{"manifest", `{"program":"bam","scenario":"baseline","seed":7,"periods_run":12,"collapsed":true,"files":[]}`,
			Manifest{Program: "bam", Scenario: "baseline", Seed: 7, PeriodsRun: 12, Collapsed: true, Files: []string{}}, ""},
		{"minimal", `{"scenario":"x","seed":0}`, Manifest{Scenario: "x"}, ""},
		{"no scenario", `{"seed":1}`, Manifest{}, `no "scenario" key`},
		{"no seed", `{"scenario":"x"}`, Manifest{}, `no "seed" key`},
		{"negative seed", `{"scenario":"x","seed":-1}`, Manifest{}, "malformed JSON"},
		{"truncated", `{"scenario":"x",`, Manifest{}, "malformed JSON"},
		{"not an object", `[1]`, Manifest{}, "malformed JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseManifest([]byte(tc.json))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(*got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
