package stability

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Collected is one scenario's study gathered from the journals of one or
// more folders by [Collect].
type Collected struct {
	// Header is the study's header, without shard, with the first seed and
	// the number of seeds of the merged study.
	Header Header
	// Records holds one record per seed, sorted by seed.
	Records []Record
	// Journals are the journal files read, Markers the markers of finished
	// shards found next to them.
	Journals []string
	Markers  []Marker
}

// Collect reads every journal ("*.journal.jsonl") of the folders dirs and
// combines them by scenario. Each journal contributes the seeds its header
// says it holds (its study's seeds in its shard). It is an error if the
// journals of one scenario belong to different studies, if a seed is in
// two journals, if a shard of a sharded study has no journal, or if a
// journal lacks some of its seeds (an unfinished shard); the message names
// the seeds and the journals; these errors, and a folder that does not
// exist or holds no journal, are of the class [ErrUnusable]. The result
// is in suite order (baseline,
// growth_plus, buffer_stock), then by scenario name.
func Collect(dirs []string) ([]*Collected, error) {
	type journal struct {
		path string
		h    Header
		recs []Record
	}
	byScenario := map[string][]*journal{}
	markers := map[string]Marker{} // by journal path
	for _, dir := range dirs {
		paths, err := filepath.Glob(filepath.Join(dir, "*.journal.jsonl"))
		if err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				return nil, unusable(fmt.Errorf("%s: no such folder", dir))
			} else if err != nil {
				return nil, fmt.Errorf("%s: %w", dir, err)
			}
			return nil, unusable(fmt.Errorf("%s: no journal (*.journal.jsonl) there", dir))
		}
		for _, p := range paths {
			h, recs, err := Read(p)
			if err != nil {
				return nil, err
			}
			byScenario[h.Scenario] = append(byScenario[h.Scenario], &journal{p, h, recs})
		}
		mpaths, _ := filepath.Glob(filepath.Join(dir, "*.done.json"))
		for _, mp := range mpaths {
			b, err := os.ReadFile(mp)
			if err != nil {
				return nil, err
			}
			var m Marker
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, unusable(fmt.Errorf("shard marker %s: %w", mp, err))
			}
			markers[filepath.Join(dir, m.Journal)] = m
		}
	}

	var out []*Collected
	for scenario, js := range byScenario {
		slices.SortFunc(js, func(a, b *journal) int { return strings.Compare(a.path, b.path) })
		first := js[0]
		c := &Collected{}
		expected := map[uint64]string{} // seed → journal meant to hold it
		type shardSet struct {
			start uint64
			n     int
			count int
		}
		shardsSeen := map[shardSet]map[int]bool{}
		for _, j := range js {
			if !j.h.SameStudy(&first.h) {
				a, b := first.h, j.h
				a.Shard, b.Shard = nil, nil
				field, x, y := a.mismatch(&b)
				return nil, unusable(fmt.Errorf("%s: journals %s and %s belong to different studies (%s %s and %s)",
					scenario, first.path, j.path, field, x, y))
			}
			c.Journals = append(c.Journals, j.path)
			if m, ok := markers[j.path]; ok {
				c.Markers = append(c.Markers, m)
			}
			if j.h.Shard != nil {
				k := shardSet{j.h.SeedStart, j.h.NSeeds, j.h.Shard.Count}
				if shardsSeen[k] == nil {
					shardsSeen[k] = map[int]bool{}
				}
				shardsSeen[k][j.h.Shard.Index] = true
			}
			for _, s := range j.h.Seeds() {
				if other, ok := expected[s]; ok {
					return nil, unusable(fmt.Errorf("%s: seed %d is in two journals, %s and %s (overlapping studies or shards)",
						scenario, s, other, j.path))
				}
				expected[s] = j.path
			}
		}
		for k, idx := range shardsSeen {
			var missing []string
			for i := range k.count {
				if !idx[i] {
					missing = append(missing, strconv.Itoa(i)+"/"+strconv.Itoa(k.count))
				}
			}
			if len(missing) > 0 {
				return nil, unusable(fmt.Errorf("%s: no journal of shard %s (seeds %d…%d in %d shards) in %s",
					scenario, strings.Join(missing, ", "), k.start, k.start+uint64(k.n)-1, k.count, strings.Join(dirs, ", ")))
			}
		}
		incomplete := map[string][]uint64{}
		for _, j := range js {
			have := map[uint64]bool{}
			for _, r := range j.recs {
				if expected[r.Seed] == j.path {
					have[r.Seed] = true
					c.Records = append(c.Records, r)
				}
			}
			for _, s := range j.h.Seeds() {
				if !have[s] {
					incomplete[j.path] = append(incomplete[j.path], s)
				}
			}
		}
		if len(incomplete) > 0 {
			var parts []string
			for _, j := range js {
				if miss := incomplete[j.path]; len(miss) > 0 {
					parts = append(parts, fmt.Sprintf("%s lacks %d of its %d seeds (%s)",
						j.path, len(miss), len(j.h.Seeds()), seedList(miss)))
				}
			}
			return nil, unusable(fmt.Errorf("%s: seeds missing: %s; run the unfinished shards again (they resume)",
				scenario, strings.Join(parts, "; ")))
		}
		slices.SortFunc(c.Records, func(a, b Record) int { return cmp.Compare(a.Seed, b.Seed) })
		c.Header = first.h
		c.Header.Shard = nil
		c.Header.NSeeds = len(c.Records)
		if len(c.Records) > 0 {
			c.Header.SeedStart = c.Records[0].Seed
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, unusable(errors.New("no journals"))
	}
	slices.SortFunc(out, func(a, b *Collected) int {
		if c := cmp.Compare(suiteRank(a.Header.Scenario), suiteRank(b.Header.Scenario)); c != 0 {
			return c
		}
		return strings.Compare(a.Header.Scenario, b.Header.Scenario)
	})
	return out, nil
}

// suiteRank orders the suite scenarios first, in spec order.
func suiteRank(name string) int {
	for i, s := range []string{"baseline", "growth_plus", "buffer_stock"} {
		if s == name {
			return i
		}
	}
	return 3
}

// seedList writes up to 8 seeds, then the count of the others.
func seedList(seeds []uint64) string {
	var parts []string
	for i, s := range seeds {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(seeds)-8))
			break
		}
		parts = append(parts, strconv.FormatUint(s, 10))
	}
	return strings.Join(parts, ", ")
}
