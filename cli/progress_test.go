package cli

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bam-abm/bam/validation/stability"
)

func TestJournalCounts(t *testing.T) {
	tests := []struct {
		ran, fromJournal int
		unit, journal    string
		want             string
		note             string // journalNote(fromJournal, ran+fromJournal, journal)
	}{
		{300, 0, "jobs", "journal", "300 jobs run now", ""},
		{180, 120, "seeds", "journal", "120 of 300 seeds from the journal, 180 run now", " (120 of 300 from the journal)"},
		{0, 8, "evaluations", "journals", "8 of 8 evaluations from the journals, 0 run now", " (8 of 8 from the journals)"},
		{0, 0, "seeds", "journal", "0 seeds run now", ""},
	}
	for _, tt := range tests {
		if got := journalCounts(tt.ran, tt.fromJournal, tt.unit, tt.journal); got != tt.want {
			t.Errorf("journalCounts(%d, %d) = %q, want %q", tt.ran, tt.fromJournal, got, tt.want)
		}
		if got := journalNote(tt.fromJournal, tt.ran+tt.fromJournal, tt.journal); got != tt.note {
			t.Errorf("journalNote(%d, %d) = %q, want %q", tt.fromJournal, tt.ran+tt.fromJournal, got, tt.note)
		}
	}
}

func TestShardSize(t *testing.T) {
	tests := []struct {
		n    int
		sh   *stability.Shard
		want int
	}{
		{10, nil, 10},
		{10, &stability.Shard{Index: 0, Count: 3}, 4}, // 0, 3, 6, 9
		{10, &stability.Shard{Index: 2, Count: 3}, 3}, // 2, 5, 8
		{2, &stability.Shard{Index: 2, Count: 3}, 0},
	}
	for _, tt := range tests {
		if got := shardSize(tt.n, tt.sh); got != tt.want {
			t.Errorf("shardSize(%d, %v) = %d, want %d", tt.n, tt.sh, got, tt.want)
		}
	}
}

// TestRerunSaysFromJournal reruns journaled studies with more seeds on a
// terminal: the progress bar's label and the summary say how many of the
// seeds came from the journal.
func TestRerunSaysFromJournal(t *testing.T) {
	tty := func(w io.Writer) bool { _, ok := w.(*fakeTTY); return ok }
	pop := []string{"--firms", "20", "--households", "100", "--periods", "60", "--banks", "3"}
	tests := []struct {
		name          string
		first, second []string
		bar, summary  string
	}{
		{"stability", []string{"stability", "--scenario", "baseline", "--seeds", "2", "--burn-in", "30", "--gate", "0"},
			[]string{"stability", "--scenario", "baseline", "--seeds", "5", "--burn-in", "30", "--gate", "0"},
			"baseline: seeds to run (2 of 5 from the journal)", "baseline: 2 of 5 seeds from the journal "},
		{"stability, two scenarios", []string{"stability", "--scenario", "baseline", "--seeds", "2", "--burn-in", "30", "--gate", "0"},
			[]string{"stability", "--scenario", "baseline,growth_plus", "--seeds", "3", "--burn-in", "30", "--gate", "0"},
			"baseline: seeds to run in 2 scenarios (2 of 6 from the journals)", "baseline: 2 of 3 seeds from the journal "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if r := bamRun(t, append(append(tt.first, pop...), "--out", out)...); r.code != exitOK {
				t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
			}
			var stdout, stderr fakeTTY
			args := append(append(tt.second, pop...), "--out", out)
			code := runEnv(context.Background(), args, &env{stdout: &stdout, stderr: &stderr, now: time.Now, terminal: tty})
			if code != exitOK {
				t.Fatalf("rerun: exit %d: %s", code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.bar) {
				t.Errorf("the bar lacks %q: %q", tt.bar, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.summary) {
				t.Errorf("the summary lacks %q:\n%s", tt.summary, stdout.String())
			}
		})
	}
}
