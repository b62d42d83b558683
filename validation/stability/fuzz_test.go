package stability

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bam-abm/bam/validation"
)

// fuzzMaxInput bounds the journals of the fuzz target. parse is linear,
// but each execution also re-parses the journal a few times; 64 KiB holds
// a few hundred records.
const fuzzMaxInput = 64 << 10

// fuzzJournalHeader returns the header of a small study.
func fuzzJournalHeader() Header {
	return Header{
		Format: JournalFormat, Scenario: "baseline", Suite: "baseline", NPeriods: 100, BurnIn: 50,
		NFirms: 100, NHouseholds: 500, NBanks: 10, ParamsHash: "sha256:0123456789abcdef0123456789abcdef",
		SeedStart: 7, NSeeds: 6,
	}
}

// fuzzJournalRecord returns a record of seed with a metric result per
// baseline metric, some of them not finite.
func fuzzJournalRecord(seed uint64) Record {
	r := Record{Seed: seed, Passed: seed%2 == 0, Score: 0.5 + float64(seed)/10, Periods: 100, Seconds: 0.25,
		NPass: 20, NWarn: 3, NFail: 2}
	for i := range validation.BaselineMetrics {
		r.Metrics = append(r.Metrics, MetricRecord{Value: float64(i) / 3, Status: validation.Status(i % 3), Score: 1 / float64(i+1)})
	}
	switch seed % 4 {
	case 1:
		r.Metrics[0].Value = math.NaN()
		r.Metrics[1].Score = math.Inf(-1)
		r.Deltas = []float64{-0.25, math.NaN(), math.Inf(1), 5e-324}
	case 2:
		r.NotEvaluable, r.Collapsed, r.Metrics, r.Score = true, true, nil, math.NaN()
	case 3:
		r.Score, r.Seconds = math.Copysign(0, -1), math.MaxFloat64
	}
	return r
}

// fuzzJournals writes real journals with Open and Append: a whole study,
// a shard whose seed range was changed (the header rewritten) with a seed
// journaled twice, and a journal with no records.
func fuzzJournals(f *testing.F) [][]byte {
	f.Helper()
	dir := f.TempDir()
	write := func(name string, h Header, seeds ...uint64) string {
		path := filepath.Join(dir, name)
		j, _, err := Open(path, h)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range seeds {
			if err := j.Append(fuzzJournalRecord(s)); err != nil {
				f.Fatal(err)
			}
		}
		if err := j.Close(); err != nil {
			f.Fatal(err)
		}
		return path
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	var out [][]byte
	out = append(out, read(write("whole.jsonl", fuzzJournalHeader(), 7, 8, 9, 10)))

	h := fuzzJournalHeader()
	h.Shard = &Shard{Index: 1, Count: 3}
	path := write("shard.jsonl", h, 8, 11)
	h.NSeeds = 30 // a longer study: the header is rewritten
	write("shard.jsonl", h, 14, 8, 17)
	out = append(out, read(path))

	out = append(out, read(write("empty.jsonl", fuzzJournalHeader())))
	for _, b := range out {
		if _, recs, good, err := parse(b); err != nil || good != len(b) {
			f.Fatalf("a real journal parses to %d records, %d of %d bytes, %v", len(recs), good, len(b), err)
		}
	}
	return out
}

// FuzzJournalParse feeds arbitrary journal contents to parse and checks
// what it promises (see parse, Open and Read):
//
//   - without a complete first line it returns errNoHeader; with a first
//     line that is not a journal header of JournalFormat, or a damaged
//     line before the last, an error of the class ErrUnusable (naming the
//     damaged line, which must be one); an error comes with no records and
//     good == 0;
//   - otherwise good is the length of a prefix of complete lines, and
//     what it leaves out is at most one torn line (no newline) or one
//     damaged last line; the header is the first line's, of JournalFormat;
//     the records are the first of each seed of the lines of that prefix,
//     in file order, and each reads back bit for bit;
//   - parsing data[:good] (the journal with its torn tail dropped, as
//     Open leaves it) gives the same header, records and length, and so
//     does the journal with its header rewritten from the parsed header
//     (as Open does for another seed range);
//   - a record appended to data[:good] (as Append writes it) is read back
//     after the others, unless its seed is already journaled.
func FuzzJournalParse(f *testing.F) {
	journals := fuzzJournals(f)
	for _, b := range journals {
		f.Add(b)
		// Torn tails, damaged lines, bit flips.
		f.Add(b[:len(b)-1])
		f.Add(b[:len(b)-15])
		f.Add(b[:len(b)/2])
		f.Add(b[:bytes.IndexByte(b, '\n')])
		f.Add(b[:bytes.IndexByte(b, '\n')+1])
		flipped := bytes.Clone(b)
		flipped[len(flipped)/3] ^= 0x04
		f.Add(flipped)
		lines := bytes.SplitAfter(b, []byte("\n"))
		if len(lines) > 2 {
			for _, garbage := range []string{"{garbage\n", "\n", "null\n", "{}\n", `{"seed":-1}` + "\n", `{"seed":1,"metrics":[[1,"OK",2]]}` + "\n"} {
				mid := slices.Clone(lines)
				mid[1] = []byte(garbage)
				f.Add(bytes.Join(mid, nil))
				f.Add(append(bytes.Clone(b), garbage...))
			}
		}
		f.Add(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
		f.Add(bytes.Replace(b, []byte(JournalFormat), []byte("bam-stability-journal/2"), 1))
		f.Add(append(bytes.Clone(b), b...)) // a header line again reads as a record of seed 0
	}
	for _, s := range []string{
		"", "\n", "hello\nworld\n", "null\n", "{}\n", `{"format":""}` + "\n",
		`{"format":"bam-stability-journal/1"}` + "\n",
		`{"format":"bam-stability-journal/1","shard":"0/0"}` + "\n",
		`{"format":"bam-stability-journal/1","shard":" 2/3"}` + "\n{\"seed\":18446744073709551615}\n",
		`{"FORMAT":"bam-stability-journal/1","Seed_Start":5}` + "\n" + `{"seed":1,"score":"NaN","seconds":"+Inf","deltas":["-Inf",1e-300]}` + "\n",
		`{"format":"bam-stability-journal/1"}` + "\n" + `{"seed":1,"score":1e400}` + "\n",
		`{"format":"bam-stability-journal/1"}` + "\n" + `{"seed":1}` + "\n" + `{"seed":1,"passed":true}` + "\n" + `{"seed":2`,
		`{"format":"bam-stability-journal/1"}` + "\n" + `{"seed":1}` + "\n" + "{garbage\n" + `{"seed":2`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("input too large (see fuzzMaxInput)")
		}
		h, recs, good, err := parse(data)
		if err != nil {
			checkJournalError(t, data, recs, good, err)
			return
		}
		checkJournal(t, data, h, recs, good)
		nl := bytes.IndexByte(data, '\n')

		// The journal without its torn tail.
		sameJournal(t, "data[:good]", data[:good], h, recs, good)
		// The header rewritten, as Open does for another seed range.
		hl, err := json.Marshal(h)
		if err != nil {
			t.Fatalf("the parsed header %+v does not encode: %v", h, err)
		}
		rewritten := slices.Concat(hl, []byte("\n"), data[nl+1:good])
		sameJournal(t, "the rewritten journal", rewritten, h, recs, len(rewritten))

		// A record appended as Append writes it.
		seen := map[uint64]bool{}
		for _, r := range recs {
			seen[r.Seed] = true
		}
		seed := uint64(len(data))
		for seen[seed] {
			seed++
		}
		for _, r := range []Record{fuzzJournalRecord(seed), fuzzJournalRecord(seed + 1)} {
			line, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			appended := slices.Concat(data[:good], line, []byte("\n"))
			want := recs
			if !seen[r.Seed] {
				want = append(slices.Clone(recs), r)
			}
			sameJournal(t, "the journal with a record appended", appended, h, want, len(appended))
			if len(recs) > 0 {
				// A seed journaled again is ignored.
				line, err := json.Marshal(fuzzJournalRecord(recs[0].Seed))
				if err != nil {
					t.Fatal(err)
				}
				again := slices.Concat(appended, line, []byte("\n"))
				sameJournal(t, "the journal with a seed again", again, h, want, len(again))
			}
		}
	})
}

// damagedLine matches the message of a damaged line.
var damagedLine = regexp.MustCompile(`^line ([0-9]+) is damaged: `)

// checkJournalError checks a refusal of parse.
func checkJournalError(t *testing.T, data []byte, recs []Record, good int, err error) {
	t.Helper()
	if recs != nil || good != 0 {
		t.Fatalf("parse failed (%v) but returned %d records and good = %d", err, len(recs), good)
	}
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		if err != errNoHeader {
			t.Fatalf("a journal without a newline: %v, want errNoHeader", err)
		}
		return
	}
	if errors.Is(err, errNoHeader) || !errors.Is(err, ErrUnusable) {
		t.Fatalf("a journal with a first line: %v (%T), want an error of the class ErrUnusable", err, err)
	}
	msg := err.Error()
	if strings.TrimSpace(msg) == "" || strings.Contains(msg, "\n") {
		t.Fatalf("error message %q is empty or not one line", msg)
	}
	var h Header
	if json.Unmarshal(data[:nl], &h) != nil || h.Format != JournalFormat {
		return // not a journal, or another format
	}
	m := damagedLine.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("a journal with a good header: error %q does not name a damaged line", msg)
	}
	n, _ := strconv.Atoi(m[1])
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n < 2 || n > len(lines) {
		t.Fatalf("error %q names line %d of %d", msg, n, len(lines))
	}
	line := lines[n-1]
	if n == len(lines) || (n == len(lines)-1 && len(lines[n]) == 0) || !bytes.HasSuffix(line, []byte("\n")) {
		t.Fatalf("error %q names the last line", msg)
	}
	var r Record
	if json.Unmarshal(line[:len(line)-1], &r) == nil {
		t.Fatalf("error %q names line %d, a record: %q", msg, n, line)
	}
	for i := 1; i < n-1; i++ {
		if json.Unmarshal(bytes.TrimSuffix(lines[i], []byte("\n")), &r) != nil {
			t.Fatalf("error %q, but line %d before it is damaged too", msg, i+1)
		}
	}
}

// checkJournal checks a journal parse accepted.
func checkJournal(t *testing.T, data []byte, h Header, recs []Record, good int) {
	t.Helper()
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || good <= nl || good > len(data) || data[good-1] != '\n' {
		t.Fatalf("good = %d of %d bytes, header line of %d", good, len(data), nl+1)
	}
	var want Header
	if err := json.Unmarshal(data[:nl], &want); err != nil || !reflect.DeepEqual(h, want) || h.Format != JournalFormat {
		t.Fatalf("header %+v; the first line decodes to %+v, %v", h, want, err)
	}
	// What is left out is one torn or damaged last line, or nothing.
	if tail := data[good:]; len(tail) > 0 {
		if i := bytes.IndexByte(tail, '\n'); i >= 0 {
			var r Record
			if i != len(tail)-1 {
				t.Fatalf("good = %d leaves %d complete lines out", good, bytes.Count(tail, []byte("\n")))
			}
			if json.Unmarshal(tail[:i], &r) == nil {
				t.Fatalf("good = %d leaves out the last line, a record: %q", good, tail)
			}
		}
	}
	// The records are the first of each seed.
	var first []Record
	seen := map[uint64]bool{}
	for _, line := range bytes.SplitAfter(data[nl+1:good], []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line[:len(line)-1], &r); err != nil {
			t.Fatalf("accepted the damaged line %q: %v", line, err)
		}
		if !seen[r.Seed] {
			seen[r.Seed] = true
			first = append(first, r)
		}
	}
	sameRecords(t, "the journal's lines", recs, first)
	// Each record reads back bit for bit.
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("record of seed %d does not encode: %v", r.Seed, err)
		}
		var back Record
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("record %s does not decode: %v", b, err)
		}
		if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
			t.Fatalf("record round trip:\n%s\n%s", b, b2)
		}
	}
}

// sameJournal checks that data parses to the header h, the records recs and
// good == n.
func sameJournal(t *testing.T, what string, data []byte, h Header, recs []Record, n int) {
	t.Helper()
	h2, recs2, good, err := parse(data)
	if err != nil || good != n || !reflect.DeepEqual(h2, h) {
		t.Fatalf("%s: header %+v, good %d, %v; want %+v, %d\n%q", what, h2, good, err, h, n, data)
	}
	sameRecords(t, what, recs2, recs)
}

// sameRecords checks that two lists of records are equal, as journaled.
func sameRecords(t *testing.T, what string, got, want []Record) {
	t.Helper()
	enc := func(rs []Record) string {
		b, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if len(got) != len(want) || enc(got) != enc(want) {
		t.Fatalf("%s: records\n%s\nwant\n%s", what, enc(got), enc(want))
	}
}
