package stability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bam-abm/bam/validation"
)

// Metadata is the "metadata" object of a result document: the spec §8.2
// fields, then where, how and how fast the study ran. It is the only part
// of a document that depends on the machine, the time, the number of
// workers, interruptions or sharding.
type Metadata struct {
	// Commit is the full hash of the engine's commit, CommitShort its first
	// 12 digits, CommitDate its date; nil when unknown.
	Commit      *string `json:"commit"`
	CommitShort *string `json:"commit_short"`
	CommitDate  *string `json:"commit_date"`
	// Dirty tells whether the working tree differed from the commit (nil
	// when unknown).
	Dirty *bool `json:"dirty"`
	// Branch and Tag of the commit (nil when unknown).
	Branch *string `json:"branch"`
	Tag    *string `json:"tag"`
	// Version is the program's version, Program its name ("bam") and
	// GoVersion the Go release it was built with.
	Version   *string `json:"version"`
	Program   string  `json:"program"`
	GoVersion string  `json:"go_version"`
	// Timestamp is the UTC time the document was written,
	// "YYYY-MM-DDTHH:MM:SS".
	Timestamp string `json:"timestamp"`
	// NSeeds, NPeriods, NWorkers and ElapsedSeconds as in spec §8.2.
	NSeeds         int `json:"n_seeds"`
	NPeriods       int `json:"n_periods"`
	NWorkers       int `json:"n_workers"`
	ElapsedSeconds int `json:"elapsed_seconds"`
	// The rest of the study: first seed, suite, burn-in, population,
	// parameter hash and the gate.
	SeedStart   uint64  `json:"seed_start"`
	Suite       string  `json:"suite"`
	BurnIn      int     `json:"burn_in"`
	NFirms      int     `json:"n_firms"`
	NHouseholds int     `json:"n_households"`
	NBanks      int     `json:"n_banks"`
	ParamsHash  string  `json:"params_hash"`
	Gate        float64 `json:"gate"`
	// Source says how the document was made: "run" (bam stability),
	// "merge" (bam stability merge) or "validate" (converted from an old
	// bam validate --json).
	Source string `json:"source"`
	// Shards is the number of shards merged (0 for a single run).
	Shards int `json:"shards,omitempty"`
	// Machine describes the machine (for a merge: the one that merged).
	Machine Machine `json:"machine"`
	// Timings of the study.
	Timings Timings `json:"timings"`
}

// Machine describes a machine.
type Machine struct {
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Hostname string `json:"hostname"`
}

// Timings are the times of a study.
type Timings struct {
	// WallSeconds is the wall time of the run that wrote the document (for
	// a merge: the longest shard's).
	WallSeconds float64 `json:"wall_seconds"`
	// SeedsRun were run by that run; SeedsFromJournal were found already
	// done in the journal.
	SeedsRun         int `json:"seeds_run"`
	SeedsFromJournal int `json:"seeds_from_journal"`
	// SeedSeconds is the sum of every seed's time on its worker and
	// SecondsPerSeed its mean.
	SeedSeconds    float64 `json:"seed_seconds"`
	SecondsPerSeed float64 `json:"seconds_per_seed"`
	// GrowthPlusReused counts the buffer-stock seeds that reused a Growth+
	// result instead of running the Growth+ companion again.
	GrowthPlusReused int `json:"growth_plus_reused,omitempty"`
	// Shards holds the markers' timings of a merge.
	Shards []ShardTiming `json:"shards,omitempty"`
}

// ShardTiming is one shard's run, from its marker.
type ShardTiming struct {
	Shard       string  `json:"shard"`
	WallSeconds float64 `json:"wall_seconds"`
	Workers     int     `json:"workers"`
	Host        string  `json:"host"`
	Finished    string  `json:"finished"`
}

// SuiteByName returns the validation suite called name, or nil.
func SuiteByName(name string) *validation.Suite {
	for _, s := range validation.Suites {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Aggregate sorts recs by seed and returns the stability statistics of the
// study with header h. Two records of one seed are an error.
func Aggregate(h *Header, recs []Record) (*validation.Stability, error) {
	suite := SuiteByName(h.Suite)
	if suite == nil {
		return nil, fmt.Errorf("unknown suite %q", h.Suite)
	}
	recs = slices.Clone(recs)
	slices.SortFunc(recs, func(a, b Record) int {
		switch {
		case a.Seed < b.Seed:
			return -1
		case a.Seed > b.Seed:
			return 1
		}
		return 0
	})
	results := make([]*validation.Result, len(recs))
	for i := range recs {
		if i > 0 && recs[i].Seed == recs[i-1].Seed {
			return nil, fmt.Errorf("%s: seed %d twice", h.Scenario, recs[i].Seed)
		}
		r, err := recs[i].Result(suite, h.BurnIn)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Scenario, err)
		}
		results[i] = r
	}
	return validation.Aggregate(h.Scenario, suite, results), nil
}

// FilePassRate is the pass rate of a result document (spec §8.2): passing
// seeds over all seeds, a non-evaluable buffer-stock seed counting as a
// failure.
func FilePassRate(st *validation.Stability) float64 {
	if st.NSeeds == 0 {
		return 0
	}
	return float64(st.NPassed) / float64(st.NSeeds)
}

// Document renders the result document of a study (header h, one record
// per seed in any order) with the given metadata: the object of spec §8.2
// (metadata, scenario, summary, metrics in the suite's order,
// group_display_names, failing_seeds sorted by seed), 2-space indented,
// followed by "seeds", every seed's result (seed, passed, score,
// not_evaluable when set, and each metric's value, status and score) on
// one line each. Floats are in shortest round-trip form and NaN or ±Inf is
// null, so equal records give equal bytes. The summary's pass rate counts
// every seed ([FilePassRate]); its score statistics, like the per-metric
// ones, cover the evaluable seeds.
func Document(h *Header, recs []Record, meta Metadata) ([]byte, *validation.Stability, error) {
	st, err := Aggregate(h, recs)
	if err != nil {
		return nil, nil, err
	}
	doc := document{
		Metadata: meta,
		Scenario: h.Scenario,
		Summary: summary{
			NPassed: st.NPassed, PassRate: DocFloat(FilePassRate(st)),
			MeanScore: DocFloat(st.MeanScore), StdScore: DocFloat(st.StdScore),
			MinScore: DocFloat(st.MinScore), MaxScore: DocFloat(st.MaxScore),
		},
		Metrics:      MetricStatsObject{Stats: st.Metrics},
		FailingSeeds: []DocFailingSeed{},
	}
	for _, f := range st.FailingSeeds {
		doc.FailingSeeds = append(doc.FailingSeeds, DocFailingSeed{Seed: f.Seed, FailedMetrics: f.FailedMetrics})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	// Splice in "seeds", one compact line per seed.
	b = bytes.TrimSuffix(b, []byte("\n}"))
	b = append(b, ",\n  \"seeds\": ["...)
	for i, r := range st.Results {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		b = appendSeed(b, r)
	}
	if len(st.Results) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "]\n}\n"...)
	return b, st, nil
}

type document struct {
	Metadata     Metadata          `json:"metadata"`
	Scenario     string            `json:"scenario"`
	Summary      summary           `json:"summary"`
	Metrics      MetricStatsObject `json:"metrics"`
	GroupNames   groupNames        `json:"group_display_names"`
	FailingSeeds []DocFailingSeed  `json:"failing_seeds"`
}

type summary struct {
	NPassed   int      `json:"n_passed"`
	PassRate  DocFloat `json:"pass_rate"`
	MeanScore DocFloat `json:"mean_score"`
	StdScore  DocFloat `json:"std_score"`
	MinScore  DocFloat `json:"min_score"`
	MaxScore  DocFloat `json:"max_score"`
}

// groupOrder is the order of group_display_names (spec §8.2).
var groupOrder = []validation.Group{
	validation.TimeSeries, validation.Curves, validation.Distribution,
	validation.Growth, validation.Financial, validation.GrowthRateDist,
}

// groupNames writes validation.GroupDisplayNames in spec order.
type groupNames struct{}

// MarshalJSON writes the object in order.
func (groupNames) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, g := range groupOrder {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(string(g))
		v, _ := json.Marshal(validation.GroupDisplayNames[g])
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// appendSeed appends one seed's result as a compact object.
func appendSeed(b []byte, r *validation.Result) []byte {
	b = fmt.Appendf(b, `{"seed":%d,"passed":%t,"score":`, r.Seed, r.Passed)
	b = appendDocFloat(b, r.TotalScore)
	if r.NotEvaluable {
		b = append(b, `,"not_evaluable":true`...)
	}
	b = append(b, `,"metrics":{`...)
	for i, m := range r.Results {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(m.Name)
		b = append(b, k...)
		b = append(b, `:{"value":`...)
		b = appendDocFloat(b, m.Actual)
		b = append(b, `,"status":"`...)
		b = append(b, m.Status.String()...)
		b = append(b, `","score":`...)
		b = appendDocFloat(b, m.Score)
		b = append(b, '}')
	}
	return append(b, "}}"...)
}

// DefaultGate is the pass-rate gate of the reference's CI (validation spec
// §8.3): bam validate and bam stability exit 1 below it, and the report
// marks it.
const DefaultGate = 0.962
