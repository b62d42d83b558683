package results

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseIDColumns: a list parses, or fails with ErrIDColumns; what
// parses is a list of distinct known names that parses back to itself.
func FuzzParseIDColumns(f *testing.F) {
	for _, s := range []string{"seed", "scenario,seed,beta", " seed , n_firms", "", ",", "seed,seed", "sed", "scenario,cap_factor,sigma_decay"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ParseIDColumns(s)
		if err != nil {
			return
		}
		for k, n := range names {
			if n != "scenario" && !isParam(n) || slices.Contains(names[:k], n) {
				t.Fatalf("ParseIDColumns(%q) = %v: %q", s, names, n)
			}
		}
		again, err := ParseIDColumns(strings.Join(names, ","))
		if err != nil || !slices.Equal(again, names) {
			t.Fatalf("ParseIDColumns(%q) = %v, which parses to %v, %v", s, names, again, err)
		}
	})
}

// FuzzParseTable: the CSV readers of run folders (parseTable for
// economy.csv, firms.csv and the panel layout, parseLong for the long
// layout) never panic, give columns of one length, and what parseTable
// reads, written back, reads the same.
func FuzzParseTable(f *testing.F) {
	for _, s := range []string{
		"period,firm,id,entered,exited,production\n1,0,0,0,false,3\n1,1,1,0,true,2.5\n",
		"seed,period,agent,variable,value\n1,1,0,Producer.price,1.5\n1,1,-1,gdp,NaN\n",
		"a,b\n1,2\n3\n", "a\n\"x\n", "", "a,b\n-Inf,1e308\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if tab, names, err := parseLong(bytes.NewReader(data)); err == nil {
			for _, c := range tab.Columns {
				if len(c) != len(names) {
					t.Fatalf("parseLong: a column of %d values for %d rows", len(c), len(names))
				}
			}
		}
		tab, err := parseTable(bytes.NewReader(data), nil)
		if err != nil {
			return
		}
		for _, c := range tab.Columns {
			if len(c) != tab.Rows() {
				t.Fatalf("parseTable: columns of %d and %d values", len(c), tab.Rows())
			}
		}
		for k, n := range tab.Names {
			if n == "" || strings.ContainsAny(n, ",\"\r\n ") || slices.Contains(tab.Names[:k], n) {
				return // a header that needs quoting, or a repeated name: not written back here
			}
		}
		if len(tab.Names) == 0 {
			return
		}
		var b strings.Builder
		b.WriteString(strings.Join(tab.Names, ","))
		b.WriteByte('\n')
		for r := range tab.Rows() {
			for k := range tab.Columns {
				if k > 0 {
					b.WriteByte(',')
				}
				b.WriteString(strconv.FormatFloat(tab.Columns[k][r], 'g', -1, 64))
			}
			b.WriteByte('\n')
		}
		back, err := parseTable(strings.NewReader(b.String()), tab.Names)
		if err != nil {
			t.Fatalf("written back: %v\n%s", err, b.String())
		}
		for k := range tab.Columns {
			if !slices.EqualFunc(tab.Columns[k], back.Columns[k], func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }) {
				t.Fatalf("column %s: %v, written back %v", tab.Names[k], tab.Columns[k], back.Columns[k])
			}
		}
	})
}
