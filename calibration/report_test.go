package calibration

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bam-abm/bam/experiments"
)

// rankedOf builds a Ranked evaluation of values with the given mean, std,
// pass rate and seeds (k = 1).
func rankedOf(values []string, mean, std, pass float64, seeds int) Ranked {
	e := Evaluation{Values: values, NSeeds: seeds, Mean: mean, Std: std, PassRate: pass,
		FailSeeds: int(math.Round((1 - pass) * float64(seeds)))}
	e.Fails = e.FailSeeds
	return Ranked{Evaluation: e, Combined: e.Combined(1)}
}

// handMorris is a screening of beta (INCLUDE) and max_M (FIX), theta
// pinned.
func handMorris(t *testing.T) *MorrisResult {
	t.Helper()
	sp, err := NewSpace([]Param{
		{Name: "beta", Group: GroupBehavioral, Values: []string{"1", "2.5", "5"}},
		{Name: "max_M", Group: GroupBehavioral, Values: []string{"2", "4"}},
		{Name: "theta", Values: []string{"8"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &MorrisResult{Scenario: "baseline", Trajectories: 2, NSeeds: 3, Threshold: Threshold, Space: sp,
		Effects: []Effect{
			{Name: "beta", Group: GroupBehavioral, Effects: []float64{0.04, -0.06}, Mu: -0.01, MuStar: 0.05, Sigma: 0.0707, Class: Include,
				ValueScores: []ValueScore{{"1", 0.80, 2}, {"2.5", 0.83, 1}, {"5", 0.74, 1}}, BestValue: "2.5"},
			{Name: "max_M", Group: GroupBehavioral, Effects: []float64{0.01, 0.005}, Mu: 0.0075, MuStar: 0.0075, Sigma: 0.0035, Class: Fix,
				ValueScores: []ValueScore{{"2", 0.81, 2}, {"4", math.NaN(), 0}}, BestValue: "2"},
		},
		Configurations: []Evaluation{
			{Values: []string{"1", "2", "8"}, NSeeds: 3, Mean: 0.80, PassRate: 1},
			{Values: []string{"2.5", "2", "8"}, NSeeds: 3, Mean: 0.83, PassRate: 1},
		}}
}

// handSearch is a search of six configurations of beta × max_M with tiers
// 4:3 and 2:5.
func handSearch() *SearchResult {
	params := []string{"beta", "max_M"}
	c := func(b, m string) []string { return []string{b, m} }
	s := &SearchResult{Scenario: "baseline", Params: params, Rule: RankCombined, K: 1,
		Screening: []Ranked{
			rankedOf(c("2.5", "2"), 0.86, 0, 1, 1), rankedOf(c("1", "2"), 0.84, 0, 1, 1), rankedOf(c("5", "2"), 0.83, 0, 0, 1),
			rankedOf(c("2.5", "4"), 0.80, 0, 1, 1), rankedOf(c("1", "4"), 0.71, 0, 1, 1), rankedOf(c("5", "4"), 0, 0, 0, 1),
		},
		Tiers: []TierResult{
			{Tier: Tier{Top: 4, Seeds: 3}, FirstNewSeed: 1, NewSeeds: 2, Ranking: []Ranked{
				rankedOf(c("1", "2"), 0.85, 0.01, 1, 3), rankedOf(c("2.5", "2"), 0.85, 0.02, 2.0/3, 3),
				rankedOf(c("2.5", "4"), 0.80, 0.02, 2.0/3, 3), rankedOf(c("5", "2"), 0.82, 0.03, 1.0/3, 3)}},
			{Tier: Tier{Top: 2, Seeds: 5}, FirstNewSeed: 3, NewSeeds: 2, Ranking: []Ranked{
				rankedOf(c("1", "2"), 0.85, 0.01, 0.8, 5), rankedOf(c("2.5", "2"), 0.84, 0.02, 0.6, 5)}},
		}}
	s.Winner = s.Tiers[1].Ranking[0]
	return s
}

// handCross is a cross-evaluation of two configurations on two scenarios
// in which max_M is in tension: 2 is best on baseline, 4 on growth_plus.
func handCross() *CrossResult {
	a := newCrossRow([]string{"1", "2"}, []Ranked{rankedOf(nil, 0.86, 0.01, 0.99, 100), rankedOf(nil, 0.70, 0.05, 0.75, 100)})
	b := newCrossRow([]string{"1", "4"}, []Ranked{rankedOf(nil, 0.84, 0.01, 0.97, 100), rankedOf(nil, 0.78, 0.04, 0.96, 100)})
	rows := []CrossRow{a, b}
	x := &CrossResult{Params: []string{"beta", "max_M"}, Scenarios: []string{"baseline", "growth_plus"}, NSeeds: 100, Rule: RankStabilityFirst}
	order, _ := RankCross(rows, x.Rule)
	for _, i := range order {
		x.Ranking = append(x.Ranking, rows[i])
	}
	x.Tension = tensions(x.Params, x.Scenarios, rows)
	return x
}

// handCost is a cost analysis of two swaps and their combination, on a
// scenario whose name needs escaping in HTML.
func handCost() *CostResult {
	w := rankedOf([]string{"5", "2"}, 0.86, 0.01, 1, 20)
	swap := func(sw []Swap, values []string, mean float64) SwapCost {
		r := rankedOf(values, mean, 0.01, 1, 20)
		return SwapCost{Swaps: sw, Combined: r.Combined, Delta: r.Combined - w.Combined, Class: CostClass(r.Combined - w.Combined), Eval: r}
	}
	return &CostResult{Scenario: "baseline<winner>", NSeeds: 20, Winner: w,
		Swaps: []SwapCost{
			swap([]Swap{{"beta", "2.5"}}, []string{"2.5", "2"}, 0.8590),
			swap([]Swap{{"max_M", "4"}}, []string{"5", "4"}, 0.8300),
		},
		Combos: []SwapCost{swap([]Swap{{"beta", "2.5"}, {"max_M", "4"}}, []string{"2.5", "4"}, 0.8250)}}
}

// writeReport writes r into a new folder and returns the page.
func writeReport(t *testing.T, r *Report) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "calibration.html")
	if err := r.WriteHTML(path); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want the report alone (no temporary file left)", len(ents))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReportHTML writes a report of every phase from hand-made results
// and checks each section, its figures, names and numbers.
func TestReportHTML(t *testing.T) {
	page := writeReport(t, &Report{Morris: handMorris(t), Search: handSearch(), Cross: handCross(), Cost: handCost()})
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(page, "</html>\n") {
		t.Fatalf("not a whole page:\n%.200s", page)
	}
	// A scatter and two value charts, the screening's histogram and the
	// tier chart.
	if n := strings.Count(page, "<svg"); n != 5 {
		t.Errorf("%d SVG figures, want 5", n)
	}
	for _, want := range []string{
		"<title>Calibration of baseline, growth_plus, baseline&lt;winner&gt;</title>",
		`<section id="morris">`, `<section id="search">`, `<section id="cross">`, `<section id="cost">`,
		`aria-label="Morris screening: μ* against σ of each parameter"`, `aria-label="value scores of beta"`, `aria-label="value scores of max_M"`,
		// Morris: the effects, by μ*, with their classes; the best values
		// marked; 5 is more than 0.04 below beta's best, so pruned; the
		// value no configuration held.
		`<tr><td>beta</td><td>behavioral</td><td class="num">0.0500</td><td class="num">−0.0100</td><td class="num">0.0707</td><td class="num">2</td><td><span class="pill green">INCLUDE</span></td><td>2.5 (0.8300)</td></tr>`,
		`<td><span class="pill plain">FIX</span></td><td>2 (0.8100)</td>`,
		"<strong>★ 2.5: 0.8300</strong>", "<s>5: 0.7400</s>", "1: 0.8000", "4: n/a", "Not screened (one value): theta=8.",
		"threshold 0.02", "INCLUDE: beta</p>",
		// Search: the stages, their seeds and best combined scores.
		"6 configurations, each run once on seed 0", "blue: the 4 configurations that go on to tier 1; grey: the 2 others",
		`<tr><td>grid screening</td><td class="num">6</td><td class="num">1</td><td class="num">1 (seed 0)</td><td class="num">6</td><td class="num">0.8600</td>`,
		`<tr><td>tier 1 (top 4 to 3 seeds)</td><td class="num">4</td><td class="num">3</td><td class="num">2 (seeds 1–2)</td><td class="num">8</td><td class="num">0.8415</td>`,
		`<tr><td>tier 2 (top 2 to 5 seeds)</td><td class="num">2</td><td class="num">5</td><td class="num">2 (seeds 3–4)</td><td class="num">4</td><td class="num">0.6732</td>`,
		`beta=1 max_M=2 <span class="pill green">winner</span>`, "<strong>Winner</strong>: beta=1 max_M=2: combined 0.6732",
		// Cross: per scenario mean, std, pass rate and combined; the
		// lowest pass rate and balanced; the ranks under the other rules;
		// the tension.
		`<th colspan="4">baseline</th><th colspan="4">growth_plus</th>`, "<th rowspan=\"2\">rank score-first</th><th rowspan=\"2\">rank balanced</th>",
		`<tr><td class="num">1</td><td>max_M=4</td><td class="num">0.8400</td><td class="num">0.0100</td><td class="num">97.0 %</td><td class="num">0.8067</td>`,
		`<td class="num">96.0 %</td>`,
		`<tr><td>max_M</td><td>2</td><td>4</td></tr>`, "baseline: rank 2", "growth_plus: rank 1",
		"The same in every configuration: beta=1.",
		// Cost: Δ with its sign, classes, the combinations.
		`<tr><td>beta=2.5</td><td class="num">0.8590</td><td class="num">0.0100</td><td class="num">100.0 %</td><td class="num">0.8504</td><td class="num">−0.0010</td><td><span class="pill green">FREE</span></td></tr>`,
		`<span class="pill red">EXPENSIVE</span>`, "<h3>Combinations of the FREE and CHEAP swaps</h3>", "<td>beta=2.5 max_M=4</td>",
		"baseline&lt;winner&gt;: each swap", "The numbers are in morris.json, search.json, cross.json, cost.json",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<link", " src=", "<winner>", "NaN"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q: not self-contained or not escaped", bad)
		}
	}
}

// TestReportSections writes a report of each phase alone: its section and
// figures are there, the others' are not; a report of nothing is refused
// and writes nothing.
func TestReportSections(t *testing.T) {
	ids := []string{"morris", "search", "cross", "cost"}
	for _, tt := range []struct {
		id     string
		report *Report
		svgs   int
	}{
		{"morris", &Report{Morris: handMorris(t)}, 3},
		{"search", &Report{Search: handSearch()}, 2},
		{"cross", &Report{Cross: handCross()}, 0},
		{"cost", &Report{Cost: handCost()}, 0},
	} {
		page := writeReport(t, tt.report)
		for _, id := range ids {
			if has := strings.Contains(page, `<section id="`+id+`">`); has != (id == tt.id) {
				t.Errorf("report of %s: section %s present %v", tt.id, id, has)
			}
			if has := strings.Contains(page, `href="#`+id+`"`); has != (id == tt.id) {
				t.Errorf("report of %s: link to %s present %v", tt.id, id, has)
			}
		}
		if n := strings.Count(page, "<svg"); n != tt.svgs {
			t.Errorf("report of %s: %d SVG figures, want %d", tt.id, n, tt.svgs)
		}
	}
	path := filepath.Join(t.TempDir(), "empty.html")
	if err := (&Report{}).WriteHTML(path); !errors.Is(err, ErrEmptyReport) {
		t.Errorf("an empty report: %v, want ErrEmptyReport", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an empty report wrote %s", path)
	}
}

// TestReportWithoutTiers writes the report of a search without tiers: the
// screening's histogram but no tier chart, and the screening's best as
// the last stage.
func TestReportWithoutTiers(t *testing.T) {
	s := handSearch()
	s.Tiers, s.Winner = nil, s.Screening[0]
	page := writeReport(t, &Report{Search: s})
	if n := strings.Count(page, "<svg"); n != 1 {
		t.Errorf("%d SVG figures, want the histogram alone", n)
	}
	for _, want := range []string{"The screening&#39;s best configurations", "the 6 configurations", "<strong>Winner</strong>: beta=2.5 max_M=2: combined 0.8600"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestReadCrossCost writes a cross-evaluation and a cost analysis and
// reads them back; a folder without the file and a file of another phase
// are refused.
func TestReadCrossCost(t *testing.T) {
	dir := t.TempDir()
	x, c := handCross(), handCost()
	if err := x.Write(dir); err != nil {
		t.Fatal(err)
	}
	if err := c.Write(dir); err != nil {
		t.Fatal(err)
	}
	gx, err := ReadCross(dir)
	if err != nil || !reflect.DeepEqual(gx, x) {
		t.Errorf("ReadCross: %v\n got %+v\nwant %+v", err, gx, x)
	}
	gc, err := ReadCost(dir)
	if err != nil || !reflect.DeepEqual(gc, c) {
		t.Errorf("ReadCost: %v\n got %+v\nwant %+v", err, gc, c)
	}
	empty := t.TempDir()
	if _, err := ReadCross(empty); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadCross of a folder without cross.json: %v", err)
	}
	if _, err := ReadCost(empty); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadCost of a folder without cost.json: %v", err)
	}
	if err := os.Rename(filepath.Join(dir, CrossJSON), filepath.Join(empty, CostJSON)); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCost(empty); !errors.Is(err, experiments.ErrUnusable) {
		t.Errorf("ReadCost of a cross.json: %v, want ErrUnusable", err)
	}
}
