package ecs_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/bam-abm/bam/ecs"
)

// fuzzMaxInput bounds the entries of the fuzz target. ParseEntry is
// linear (strings.Fields, and a scan of the parameter table), so this only
// keeps single executions short.
const fuzzMaxInput = 64 << 10

// fuzzParams returns parameters whose integer parameters all hold values
// derived from v, each within its range, so that a "name x param" entry
// shows which parameter it read; values above MaxRepeat are reached for
// the unbounded ones (populations, periods).
func fuzzParams(v uint32) ecs.Params {
	p := ecs.DefaultParams()
	for i := range ecs.ParamSpecs {
		s := &ecs.ParamSpecs[i]
		if s.Kind != ecs.KindInt {
			continue
		}
		span := uint64(s.Max - s.Min + 1)
		x := int64(s.Min) + int64((uint64(v)*uint64(2*i+1)+uint64(i))%span)
		if err := s.SetInt(&p, x); err != nil {
			panic(fmt.Sprintf("fuzzParams: %s = %d: %v", s.Name, x, err))
		}
	}
	return p
}

// FuzzParseEntry feeds arbitrary pipeline entries to ParseEntry, with the
// default parameters and with integer parameters set from the fuzzed
// number, and checks what it promises:
//
//   - an error comes with an empty name and a zero count, and is one
//     non-empty line naming the entry;
//   - an accepted entry is "name" (count 1), "name x N" with
//     0 ≤ N ≤ MaxRepeat (count N) or "name x param" for an integer
//     parameter (count: the parameter's value), in white-space separated
//     fields; the name is non-empty and has no white space;
//   - the entries "name", "name x COUNT" (when COUNT ≤ MaxRepeat; refused
//     otherwise) and, for the parameter form, "name x param", written back
//     from the result, parse to the same name and count, and so does the
//     entry padded with white space.
func FuzzParseEntry(f *testing.F) {
	for _, e := range []string{
		// From the tests, the default pipeline and the scenario files.
		"firms_run_production", "labor_market_round x max_M", "credit_market_round x max_H",
		"goods_market_round x max_Z", "labor_market_round x 3", "labor_market_round x -1",
		"labor_market_round x 1000", "labor_market_round x 1001", "labor_market_round x beta",
		"labor_market_round times 3", "", "a x 0", " f  x  +3 ", "b x 2147483647",
		"b x 9223372036854775808", "b x seed", "b x n_firms", "b x n_periods", "b x theta",
		"b x sigma_max", "b x consumer_matching", "b x cap_factor", "b x 0x10", "b x 1_0",
		"b x 007", "b x -0", "b x 1e3", "b x ١", "x", "x x x", "x x 1", "a b c d", "a x",
		"a\tx\n2", "a\u00a0x\u20282", "a\u200bx 2", "ünï x 5", "\xff x 1", "a x max_m",
		strings.Repeat("a", 3000) + " x 2", strings.Repeat(" ", 1000),
	} {
		f.Add(e, uint32(0))
		f.Add(e, uint32(4000))
	}
	f.Fuzz(func(t *testing.T, entry string, v uint32) {
		if len(entry) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		def := ecs.DefaultParams()
		set := fuzzParams(v)
		for _, p := range []*ecs.Params{&def, &set} {
			name, n, err := ecs.ParseEntry(entry, p)
			if err != nil {
				checkEntryError(t, entry, name, n, err)
				if fields := strings.Fields(entry); len(fields) == 1 {
					t.Fatalf("ParseEntry(%q), a single name, failed: %v", entry, err)
				}
				continue
			}
			checkEntry(t, entry, p, name, n)
			// Written back from the result.
			parses(t, name, p, name, 1)
			lit := name + " x " + strconv.Itoa(n)
			if n <= ecs.MaxRepeat {
				parses(t, lit, p, name, n)
			} else if _, _, err := ecs.ParseEntry(lit, p); err == nil || !strings.Contains(err.Error(), "must be in") {
				t.Fatalf("ParseEntry(%q) gave %d > MaxRepeat, but %q is not refused for its count: %v", entry, n, lit, err)
			}
			if fields := strings.Fields(entry); len(fields) == 3 {
				parses(t, name+" x "+fields[2], p, name, n)
			}
			parses(t, " \t"+entry+"\n ", p, name, n)
		}
	})
}

// checkEntryError checks a refusal of ParseEntry.
func checkEntryError(t *testing.T, entry, name string, n int, err error) {
	t.Helper()
	if name != "" || n != 0 {
		t.Fatalf("ParseEntry(%q) failed (%v) but returned %q, %d", entry, err, name, n)
	}
	msg := err.Error()
	if strings.TrimSpace(msg) == "" || strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("ParseEntry(%q): error message %q is empty or not one line", entry, msg)
	}
	if !strings.Contains(msg, strconv.Quote(entry)) {
		t.Fatalf("ParseEntry(%q): error %q does not name the entry", entry, msg)
	}
}

// checkEntry checks an accepted entry against the forms ParseEntry
// documents.
func checkEntry(t *testing.T, entry string, p *ecs.Params, name string, n int) {
	t.Helper()
	if name == "" || strings.IndexFunc(name, unicode.IsSpace) >= 0 {
		t.Fatalf("ParseEntry(%q) gave the name %q", entry, name)
	}
	fields := strings.Fields(entry)
	if fields[0] != name {
		t.Fatalf("ParseEntry(%q) gave the name %q, not the first field", entry, name)
	}
	switch {
	case len(fields) == 1:
		if n != 1 {
			t.Fatalf("ParseEntry(%q), a single name, gave the count %d", entry, n)
		}
	case len(fields) == 3 && fields[1] == "x":
		if lit, err := strconv.Atoi(fields[2]); err == nil {
			if n != lit || n < 0 || n > ecs.MaxRepeat {
				t.Fatalf("ParseEntry(%q) gave the count %d", entry, n)
			}
			return
		}
		spec, ok := ecs.LookupParam(fields[2])
		if !ok || spec.Kind != ecs.KindInt {
			t.Fatalf("ParseEntry(%q) accepted %q, not an integer parameter, as a count", entry, fields[2])
		}
		if want := spec.Get(p).(int); n != want {
			t.Fatalf("ParseEntry(%q) gave the count %d; %s is %d", entry, n, spec.Name, want)
		}
		if n < 0 {
			t.Fatalf("ParseEntry(%q) gave the negative count %d", entry, n)
		}
	default:
		t.Fatalf("ParseEntry(%q) accepted %d fields %q", entry, len(fields), fields)
	}
}

// parses checks that ParseEntry(entry, p) gives name and n.
func parses(t *testing.T, entry string, p *ecs.Params, name string, n int) {
	t.Helper()
	gotName, gotN, err := ecs.ParseEntry(entry, p)
	if err != nil || gotName != name || gotN != n {
		t.Fatalf("ParseEntry(%q) = %q, %d, %v; want %q, %d", entry, gotName, gotN, err, name, n)
	}
}
