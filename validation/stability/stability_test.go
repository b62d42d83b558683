package stability

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam/validation"
)

func testHeader() Header {
	return Header{
		Format: JournalFormat, Scenario: "baseline", Suite: "baseline", NPeriods: 100, BurnIn: 50,
		NFirms: 100, NHouseholds: 500, NBanks: 10, ParamsHash: "sha256:0", SeedStart: 0, NSeeds: 4,
	}
}

func testRecord(seed uint64) Record {
	r := Record{Seed: seed, Passed: seed%2 == 0, Score: 0.5 + float64(seed)/10, Periods: 100, Seconds: 0.01}
	for i := range validation.BaselineMetrics {
		r.Metrics = append(r.Metrics, MetricRecord{Value: float64(i) / 3, Status: validation.Status(i % 3), Score: 1 / float64(i+1)})
	}
	return r
}

func TestFloatRoundTrip(t *testing.T) {
	for _, v := range []float64{0, -0.1, 1.0 / 3, 1e-300, 5e-324, math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1)} {
		b, err := json.Marshal(Float(v))
		if err != nil {
			t.Fatal(err)
		}
		var got Float
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if math.Float64bits(float64(got)) != math.Float64bits(v) && !(math.IsNaN(v) && math.IsNaN(float64(got))) {
			t.Errorf("%v → %s → %v", v, b, got)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	r := testRecord(3)
	r.Metrics[2].Value = math.NaN()
	r.Metrics[3].Score = math.Inf(-1)
	r.Deltas = []float64{-0.25, math.NaN()}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got Record
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(got)
	if string(b) != string(b2) {
		t.Errorf("round trip:\n%s\n%s", b, b2)
	}
	if _, err := got.Result(validation.GrowthPlus, 50); err == nil {
		t.Error("a baseline record fits the growth_plus suite")
	}
}

func TestJournalAppendReopenAndTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, recs, err := Open(path, testHeader())
	if err != nil || len(recs) != 0 {
		t.Fatal(err, recs)
	}
	for s := range uint64(3) {
		if err := j.Append(testRecord(s)); err != nil {
			t.Fatal(err)
		}
	}
	// A second process cannot open it while it is open.
	if _, _, err := Open(path, testHeader()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second open: %v", err)
	}
	j.Close()

	// Tear the last line, then reopen: two records, the tail dropped.
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, b[:len(b)-15], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, recs, err := Read(path); err != nil || len(recs) != 2 {
		t.Fatalf("Read of a torn journal: %d records, %v", len(recs), err)
	}
	j, recs, err = Open(path, testHeader())
	if err != nil || len(recs) != 2 {
		t.Fatalf("reopen: %d records, %v", len(recs), err)
	}
	if err := j.Append(testRecord(2)); err != nil {
		t.Fatal(err)
	}
	j.Close()
	_, recs, err = Read(path)
	if err != nil || len(recs) != 3 {
		t.Fatalf("after append: %d records, %v", len(recs), err)
	}
	for i, l := range strings.Split(strings.TrimSuffix(readString(t, path), "\n"), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("line %d: %s", i+1, l)
		}
	}

	// A damaged line before the last is an error.
	lines := strings.SplitAfter(readString(t, path), "\n")
	lines[1] = "{garbage\n"
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Read(path); err == nil || !strings.Contains(err.Error(), "line 2 is damaged") {
		t.Errorf("damaged line: %v", err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJournalMismatchAndRange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, _, err := Open(path, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	_ = j.Append(testRecord(1))
	j.Close()
	h := testHeader()
	h.NPeriods = 200
	var me *MismatchError
	if _, _, err := Open(path, h); !errors.As(err, &me) || me.Field != "n_periods" {
		t.Fatalf("mismatch: %v", err)
	}
	// Another seed range of the same study rewrites the header and keeps
	// the records.
	h = testHeader()
	h.NSeeds = 10
	j, recs, err := Open(path, h)
	if err != nil || len(recs) != 1 {
		t.Fatalf("longer study: %d records, %v", len(recs), err)
	}
	_ = j.Append(testRecord(7))
	j.Close()
	got, recs, err := Read(path)
	if err != nil || got.NSeeds != 10 || len(recs) != 2 {
		t.Fatalf("after rewrite: %+v, %d records, %v", got, len(recs), err)
	}
	// A range that does not contain the journal's (fewer seeds, or others)
	// is refused and leaves the journal as it was (issue 12, case 13).
	before := readString(t, path)
	for _, r := range []struct {
		start uint64
		n     int
	}{{got.SeedStart, 3}, {got.SeedStart + 1, 10}, {got.SeedStart + 5, 20}} {
		h = testHeader()
		h.SeedStart, h.NSeeds = r.start, r.n
		var re *RangeError
		_, _, err := Open(path, h)
		if !errors.As(err, &re) || !errors.Is(err, ErrUnusable) || re.Journal.NSeeds != 10 || re.Want.NSeeds != r.n {
			t.Errorf("seeds %d+%d over a journal of %d+10: error %v, want a *RangeError", r.start, r.n, got.SeedStart, err)
		}
		if readString(t, path) != before {
			t.Errorf("a refused range changed the journal")
		}
	}
	// A range containing it is a longer study.
	h = testHeader()
	h.SeedStart, h.NSeeds = got.SeedStart, 12
	if j, _, err := Open(path, h); err != nil {
		t.Errorf("a range containing the journal's: %v", err)
	} else {
		j.Close()
	}
	// Not a journal.
	other := filepath.Join(t.TempDir(), "x.jsonl")
	_ = os.WriteFile(other, []byte("hello\nworld\n"), 0o644)
	if _, _, err := Open(other, testHeader()); err == nil || !strings.Contains(err.Error(), "not a bam stability journal") {
		t.Errorf("foreign file: %v", err)
	}
}

func TestShards(t *testing.T) {
	var all []uint64
	for i := range 3 {
		s := Shard{Index: i, Count: 3}
		seeds := s.Seeds(10, 8)
		for _, x := range seeds {
			if !s.Contains(10, x) {
				t.Errorf("%v does not contain its seed %d", s, x)
			}
		}
		all = append(all, seeds...)
	}
	slices.Sort(all)
	if !slices.Equal(all, []uint64{10, 11, 12, 13, 14, 15, 16, 17}) {
		t.Errorf("shards cover %v", all)
	}
	for _, bad := range []string{"", "1", "3/3", "-1/2", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, err := ParseShard("2/5"); err != nil || s != (Shard{2, 5}) {
		t.Errorf("ParseShard(2/5) = %v, %v", s, err)
	}
}

func TestDocumentIsOrderIndependent(t *testing.T) {
	h := testHeader()
	recs := []Record{testRecord(2), testRecord(0), testRecord(3), testRecord(1)}
	a, st, err := Document(&h, recs, Metadata{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(recs)
	recs[0].Seconds = 99 // timings never enter the results
	b, _, err := Document(&h, recs, Metadata{})
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("the document depends on the records' order or timings")
	}
	if !json.Valid(a) {
		t.Fatalf("invalid JSON:\n%s", a)
	}
	if st.NSeeds != 4 || FilePassRate(st) != 0.5 {
		t.Errorf("%d seeds, pass rate %v", st.NSeeds, FilePassRate(st))
	}
	if _, _, err := Document(&h, append(recs, testRecord(1)), Metadata{}); err == nil {
		t.Error("a seed twice was accepted")
	}
}
