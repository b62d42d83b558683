package experiments

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// Merge reads the sweep journals (sweep*.journal.jsonl) of the folders
// dirs — the shards of one sweep, or whole runs of it — and returns the
// sweep they belong to and one summary per job, ready for [Sweep.Write].
// Every journal must belong to the same sweep (apart from its shard); a
// job in two journals, a job in none (a *MissingJobsError), a folder
// without journals and a damaged journal are errors of the class
// ErrUnusable naming the files. The sweep returned has no scenario but its
// name: it can Write, not Run.
func Merge(dirs []string) (*Sweep, []Summary, []string, error) {
	first, done, journals, err := readJournals(dirs)
	if err != nil {
		return nil, nil, nil, err
	}
	s := &Sweep{Scenario: &scenarios.Scenario{Name: first.Scenario}, Design: first.Design,
		SeedStart: first.SeedStart, NSeeds: first.NSeeds, BurnIn: first.BurnIn, Score: first.Score, KeepSeries: first.KeepSeries}
	h := *first
	h.Shard = nil
	s.h = &h
	sums, err := s.complete(done)
	if err != nil {
		return nil, nil, nil, err
	}
	return s, sums, journals, nil
}

// Gather reads every job of s — all of them, whatever its Shard — from the
// sweep journals in dir (its shards' and an unsharded run's): the
// summaries in Jobs order of the unsharded sweep. Journals of another
// sweep are an error of the class ErrUnusable; jobs in no journal yet are
// a *MissingJobsError.
func (s *Sweep) Gather(dir string) ([]Summary, error) {
	h, err := s.header()
	if err != nil {
		return nil, err
	}
	first, done, journals, err := readJournals([]string{dir})
	if err != nil {
		return nil, err
	}
	a, b := *first, *h
	a.Shard, b.Shard = nil, nil
	if a.NSeeds < b.NSeeds {
		a.NSeeds = b.NSeeds // an unsharded journal extended by a rerun with more seeds
	}
	if x, y := mustJSON(&a), mustJSON(&b); x != y {
		return nil, fmt.Errorf("%w: %s belongs to another sweep (%s)", ErrUnusable, journals[0], headerDiff(&a, &b))
	}
	whole := *s
	whole.Shard = nil
	return whole.complete(done)
}

// readJournals reads the sweep journals of dirs, checking that they
// belong to one sweep and that no job is in two of them: the first
// journal's header, every job's summary and the journals' paths.
func readJournals(dirs []string) (*header, map[Job]Summary, []string, error) {
	var journals []string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			return nil, nil, nil, fmt.Errorf("%w: %s: no such folder", ErrUnusable, d)
		}
		m, err := filepath.Glob(filepath.Join(d, "sweep*.journal.jsonl"))
		if err != nil {
			return nil, nil, nil, err
		}
		if len(m) == 0 {
			return nil, nil, nil, fmt.Errorf("%w: %s holds no sweep journal", ErrUnusable, d)
		}
		journals = append(journals, m...)
	}
	slices.Sort(journals)
	journals = slices.Compact(journals)
	var first *header
	var firstPath string
	done := map[Job]Summary{}
	from := map[Job]string{}
	for _, path := range journals {
		line, recs, err := readJournal(path)
		if err != nil {
			return nil, nil, nil, err
		}
		var h header
		if err := json.Unmarshal(line, &h); err != nil || h.Format != SweepFormat || h.Design == nil {
			return nil, nil, nil, fmt.Errorf("%w: %s is not a bam sweep journal", ErrUnusable, path)
		}
		if first == nil {
			first, firstPath = &h, path
		} else {
			a, b := h, *first
			a.Shard, b.Shard = nil, nil
			if x, y := mustJSON(&a), mustJSON(&b); x != y {
				return nil, nil, nil, fmt.Errorf("%w: %s and %s belong to different sweeps (%s)", ErrUnusable, firstPath, path, headerDiff(&b, &a))
			}
		}
		for i, r := range recs {
			sum, err := decodeSummary(r)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%w: journal %s: record %d: %v", ErrUnusable, path, i+1, err)
			}
			jb := Job{sum.Config, sum.Seed}
			if prev, dup := from[jb]; dup && prev != path {
				return nil, nil, nil, fmt.Errorf("%w: configuration %d, seed %d is in both %s and %s", ErrUnusable, jb.Config, jb.Seed, prev, path)
			}
			if _, dup := done[jb]; !dup {
				done[jb], from[jb] = sum, path
			}
		}
	}
	return first, done, journals, nil
}

// MissingJobsError is the error of merging journals that do not hold
// every job of their sweep (shards still running or failed); it is of the
// class ErrUnusable.
type MissingJobsError struct {
	Missing, Total int
	First          Job // the first missing job, in Jobs order
}

func (e *MissingJobsError) Error() string {
	return fmt.Sprintf("%v: %d of the sweep's %d jobs are in none of the journals (the first: configuration %d, seed %d); run the unfinished shards again (they resume)",
		ErrUnusable, e.Missing, e.Total, e.First.Config, e.First.Seed)
}

// Unwrap makes a *MissingJobsError an ErrUnusable.
func (e *MissingJobsError) Unwrap() error { return ErrUnusable }

// complete returns the summary of every job of s from done, in Jobs
// order, or a *MissingJobsError.
func (s *Sweep) complete(done map[Job]Summary) ([]Summary, error) {
	var sums []Summary
	jobs := s.Jobs()
	miss := &MissingJobsError{Total: len(jobs)}
	for _, jb := range jobs {
		sum, ok := done[jb]
		if !ok {
			if miss.Missing == 0 {
				miss.First = jb
			}
			miss.Missing++
			continue
		}
		sums = append(sums, sum)
	}
	if miss.Missing > 0 {
		return nil, miss
	}
	return sums, nil
}

// mustJSON returns the JSON of v (a header, which always encodes).
func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// CopySeries gathers the kept series (Sweep.KeepSeries) of a merged
// sweep's folders dirs into out/series, so that the merged folder holds
// every job's file: each file of a dir's series folder is copied
// (atomically) unless out already has the same file. It is an error if a
// job of s has no file in any of them.
func CopySeries(s *Sweep, dirs []string, out string) error {
	if !s.KeepSeries {
		return nil
	}
	dst := filepath.Join(out, SeriesDir)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("sweep merge: %w", err)
	}
	for _, jb := range s.Jobs() {
		name := SeriesName(jb)
		target := filepath.Join(dst, name)
		if _, err := os.Stat(target); err == nil {
			continue
		}
		found := false
		for _, d := range dirs {
			b, err := os.ReadFile(filepath.Join(d, SeriesDir, name))
			if err != nil {
				continue
			}
			if err := stability.WriteFileAtomic(target, b); err != nil {
				return fmt.Errorf("sweep merge: %w", err)
			}
			found = true
			break
		}
		if !found {
			return fmt.Errorf("%w: the kept series %s of configuration %d, seed %d is in none of the folders", ErrUnusable, name, jb.Config, jb.Seed)
		}
	}
	return nil
}
