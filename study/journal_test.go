package study

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJournal checks the journal's promises: records survive a reopen, a
// torn or damaged last line is dropped and cut off, a damaged line before
// the last is refused, a header the caller rejects is refused with the file
// unchanged, and a second open of the same journal fails while the first
// holds it.
func TestJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	accept := func([]byte) error { return nil }
	j, recs, err := OpenJournal(path, map[string]int{"study": 1}, accept)
	if err != nil || len(recs) != 0 {
		t.Fatalf("new journal: %v, %d records", err, len(recs))
	}
	if _, _, err := OpenJournal(path, map[string]int{"study": 1}, accept); err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("a second open while the first holds it: %v", err)
	}
	for _, v := range []int{1, 2, 3} {
		if err := j.Append(map[string]int{"job": v}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(1); err == nil {
		t.Error("Append after Close succeeded")
	}
	whole := readAll(t, path)
	if want := "{\"study\":1}\n{\"job\":1}\n{\"job\":2}\n{\"job\":3}\n"; whole != want {
		t.Fatalf("journal = %q, want %q", whole, want)
	}

	for _, tail := range []string{`{"job":4`, "{\"job\":4,,}\n", "garbage\n"} {
		if err := os.WriteFile(path, []byte(whole+tail), 0o644); err != nil {
			t.Fatal(err)
		}
		j, recs, err := OpenJournal(path, nil, accept)
		if err != nil || len(recs) != 3 || string(recs[2]) != `{"job":3}` {
			t.Fatalf("tail %q: %v, %d records", tail, err, len(recs))
		}
		if err := j.Append(map[string]int{"job": 4}); err != nil {
			t.Fatal(err)
		}
		j.Close()
		if got := readAll(t, path); got != whole+"{\"job\":4}\n" {
			t.Errorf("tail %q: after the append the journal is %q", tail, got)
		}
	}

	damaged := strings.Replace(whole, `{"job":2}`, `{"job":2`, 1)
	if err := os.WriteFile(path, []byte(damaged), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenJournal(path, nil, accept); !errors.Is(err, ErrDamagedJournal) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("damaged line 3: %v", err)
	}
	if _, _, err := ReadJournal(path); !errors.Is(err, ErrDamagedJournal) {
		t.Errorf("ReadJournal of a damaged journal: %v", err)
	}

	if err := os.WriteFile(path, []byte(whole), 0o644); err != nil {
		t.Fatal(err)
	}
	other := errors.New("another study")
	if _, _, err := OpenJournal(path, nil, func([]byte) error { return other }); !errors.Is(err, other) {
		t.Errorf("a rejected header: %v", err)
	}
	if readAll(t, path) != whole {
		t.Error("a rejected open changed the journal")
	}
	head, recs, err := ReadJournal(path)
	if err != nil || string(head) != `{"study":1}` || len(recs) != 3 {
		t.Errorf("ReadJournal: %q, %d records, %v", head, len(recs), err)
	}

	// A torn header (a crash while creating the journal) starts afresh.
	if err := os.WriteFile(path, []byte(`{"stu`), 0o644); err != nil {
		t.Fatal(err)
	}
	j, recs, err = OpenJournal(path, map[string]int{"study": 2}, accept)
	if err != nil || len(recs) != 0 {
		t.Fatalf("torn header: %v, %d records", err, len(recs))
	}
	j.Close()
	if got := readAll(t, path); got != "{\"study\":2}\n" {
		t.Errorf("after a torn header the journal is %q", got)
	}
}

func readAll(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
