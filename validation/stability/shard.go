package stability

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Shard is one of Count disjoint parts of a study: the seeds s with
// (s − start) mod Count == Index, so that each shard gets an even spread
// of the seed range.
type Shard struct {
	Index, Count int
}

// ParseShard parses "i/N" (0 ≤ i < N).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/N with 0 <= i < N, e.g. 0/4", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// String returns "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// MarshalJSON writes the shard as "i/N".
func (s Shard) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads "i/N".
func (s *Shard) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	v, err := ParseShard(str)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Contains reports whether seed belongs to the shard of the study starting
// at start.
func (s Shard) Contains(start, seed uint64) bool {
	return seed >= start && (seed-start)%uint64(s.Count) == uint64(s.Index)
}

// Seeds returns the shard's seeds of the study start … start+n−1, in
// order.
func (s Shard) Seeds(start uint64, n int) []uint64 {
	var out []uint64
	for k := s.Index; k < n; k += s.Count {
		out = append(out, start+uint64(k))
	}
	return out
}

// JournalName returns the file name of the journal of scenario (a name safe
// for a file name) for the whole study (shard nil) or one shard:
// "baseline.journal.jsonl", "baseline.shard-1-of-4.journal.jsonl".
func JournalName(scenario string, shard *Shard) string {
	if shard == nil {
		return scenario + ".journal.jsonl"
	}
	return fmt.Sprintf("%s.shard-%d-of-%d.journal.jsonl", scenario, shard.Index, shard.Count)
}

// MarkerName returns the file name of the marker a finished shard writes
// next to its journal: "baseline.shard-1-of-4.done.json".
func MarkerName(scenario string, shard Shard) string {
	return fmt.Sprintf("%s.shard-%d-of-%d.done.json", scenario, shard.Index, shard.Count)
}

// ResultName returns the file name of a scenario's result document:
// "baseline.json".
func ResultName(scenario string) string { return scenario + ".json" }

// Marker is written when a shard has finished all its seeds: the study,
// the number of seeds, and how and where it ran (for the merged
// document's metadata).
type Marker struct {
	Header Header `json:"header"`
	// NSeeds is the number of the shard's seeds (all in the journal).
	NSeeds int `json:"n_seeds"`
	// Journal is the journal's file name (in the marker's folder).
	Journal string `json:"journal"`
	// WallSeconds is the wall time of the shard's last run, Workers its
	// number of workers, SeedSeconds the sum of the seeds' times.
	WallSeconds float64 `json:"wall_seconds"`
	Workers     int     `json:"workers"`
	SeedSeconds float64 `json:"seed_seconds"`
	// Host is the machine's host name, Finished the UTC time it finished.
	Host     string `json:"host"`
	Finished string `json:"finished"`
}
