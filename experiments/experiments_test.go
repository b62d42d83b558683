package experiments

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation/stability"
)

func TestGrid(t *testing.T) {
	d, err := Grid([]Axis{{"theta", []string{"1", "4.0", "8"}}, {"max_Z", []string{"2", "3"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"1", "2"}, {"1", "3"}, {"4", "2"}, {"4", "3"}, {"8", "2"}, {"8", "3"}}
	if !slices.Equal(d.Params, []string{"theta", "max_Z"}) || len(d.Configs) != len(want) {
		t.Fatalf("Grid = %+v", d)
	}
	for i := range want {
		if !slices.Equal(d.Configs[i], want[i]) {
			t.Errorf("config %d = %v, want %v", i, d.Configs[i], want[i])
		}
	}
	sc, err := d.Apply(scenarios.Default(), 3)
	if err != nil || sc.Params.Theta != 4 || sc.Params.MaxZ != 3 {
		t.Errorf("Apply(3): theta %d, max_Z %d, %v", sc.Params.Theta, sc.Params.MaxZ, err)
	}
}

func TestDesignErrors(t *testing.T) {
	tests := []struct {
		name string
		make func() error
		msg  string
	}{
		{"unknown", func() error { _, err := Grid([]Axis{{"thetta", []string{"1"}}}); return err }, `unknown parameter "thetta"`},
		{"twice", func() error {
			_, err := Grid([]Axis{{"theta", []string{"1"}}, {"theta", []string{"2"}}})
			return err
		}, "theta given twice"},
		{"out of range", func() error { _, err := Grid([]Axis{{"h_rho", []string{"0.1", "2"}}}); return err }, "h_rho = 2: h_rho = 2 is out of range: want [0, 1]"},
		{"not an integer", func() error { _, err := Grid([]Axis{{"theta", []string{"4.5"}}}); return err }, "theta = 4.5"},
		{"seed", func() error { _, err := Grid([]Axis{{"seed", []string{"1"}}}); return err }, "seed cannot be swept"},
		{"empty range", func() error { _, err := ParseRange("beta=3:3"); return err }, "an empty range"},
		{"reversed range", func() error { _, err := LatinHypercube([]Range{{"beta", 5, 1}}, 4, 0); return err }, "an empty range"},
		{"range outside", func() error { _, err := LatinHypercube([]Range{{"h_xi", 0, 2}}, 4, 0); return err }, "h_xi = 2"},
		{"enum in lhs", func() error { _, err := LatinHypercube([]Range{{"consumer_matching", 0, 1}}, 4, 0); return err }, "samples numeric parameters"},
		{"no samples", func() error { _, err := LatinHypercube([]Range{{"beta", 1, 2}}, 0, 0); return err }, "--samples 0"},
		{"bad axis", func() error { _, err := ParseAxis("theta"); return err }, "want name=v1,v2"},
		{"empty value", func() error { _, err := ParseAxis("theta=1,,2"); return err }, "an empty value"},
		{"bad range", func() error { _, err := ParseRange("beta=a:2"); return err }, "want finite numbers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.make()
			if !errors.Is(err, ErrBadDesign) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v, want ErrBadDesign containing %q", err, tt.msg)
			}
		})
	}
}

// TestLatinHypercube checks the defining property (each of the n strata of
// each parameter holds exactly one configuration), integer rounding, and
// that the design depends only on its seed.
func TestLatinHypercube(t *testing.T) {
	ranges := []Range{{"beta", 0.5, 10}, {"h_xi", 0, 0.1}, {"theta", 1, 12}}
	const n = 64
	d, err := LatinHypercube(ranges, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	for j, r := range ranges[:2] {
		seen := make([]bool, n)
		for _, c := range d.Configs {
			x, err := strconv.ParseFloat(c[j], 64)
			if err != nil || x < r.Lo || x > r.Hi {
				t.Fatalf("%s = %s outside [%g, %g]", r.Param, c[j], r.Lo, r.Hi)
			}
			k := min(int((x-r.Lo)/(r.Hi-r.Lo)*n), n-1)
			if seen[k] {
				t.Errorf("%s: stratum %d used twice", r.Param, k)
			}
			seen[k] = true
		}
	}
	for _, c := range d.Configs {
		v, err := strconv.Atoi(c[2])
		if err != nil || v < 1 || v > 12 {
			t.Errorf("theta = %q: want an integer in [1, 12]", c[2])
		}
	}
	again, _ := LatinHypercube(ranges, n, 7)
	other, _ := LatinHypercube(ranges, n, 8)
	if !slices.EqualFunc(d.Configs, again.Configs, slices.Equal) {
		t.Error("the same seed gave another design")
	}
	if slices.EqualFunc(d.Configs, other.Configs, slices.Equal) {
		t.Error("another seed gave the same design")
	}
}

func TestReadDesign(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, p := range []string{
		write("d.csv", "# a design\ntheta, consumer_matching\n4,random\n8.0,loyalty\n"),
		write("d.toml", "[[config]]\ntheta = 4\nconsumer_matching = \"random\"\n[[config]]\ntheta = 8\nconsumer_matching = \"loyalty\"\n"),
	} {
		d, err := ReadDesign(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		got := map[string]string{}
		for i, c := range d.Configs {
			for j, v := range c {
				got[strconv.Itoa(i)+d.Params[j]] = v
			}
		}
		if got["0theta"] != "4" || got["1theta"] != "8" || got["0consumer_matching"] != "random" || len(d.Configs) != 2 {
			t.Errorf("%s: %+v", p, d)
		}
	}
	for _, tt := range []struct{ name, text, msg string }{
		{"bad.csv", "theta\nx\n", "row 2: "},
		{"short.csv", "theta,max_Z\n4\n", "wrong number of fields"},
		{"empty.csv", "theta\n", "at least one configuration"},
		{"keys.toml", "[[config]]\ntheta = 4\n[[config]]\nmax_Z = 2\n", "has no theta"},
		{"none.toml", "x = 1\n", "unknown key x"},
	} {
		if _, err := ReadDesign(write(tt.name, tt.text)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.msg)
		}
	}
}

func TestJnumRoundTrip(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1.0 / 3, math.MaxFloat64, math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1)} {
		b, err := jnum(x).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var y jnum
		if err := y.UnmarshalJSON(b); err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(float64(y)) != math.Float64bits(x) && !(math.IsNaN(x) && math.IsNaN(float64(y))) {
			t.Errorf("%v → %s → %v", x, b, float64(y))
		}
	}
}

// TestMeanCI checks the confidence interval against values worked by hand
// with the t table: t₀.₉₇₅,₁ = 12.7062, t₀.₉₇₅,₄ = 2.7764.
func TestMeanCI(t *testing.T) {
	tests := []struct {
		x                []float64
		mean, sd, lo, hi float64
	}{
		{[]float64{1, 3}, 2, math.Sqrt2, 2 - 12.7062, 2 + 12.7062},
		{[]float64{2, 4, 4, 4, 6}, 4, math.Sqrt(2), 4 - 2.7764*math.Sqrt(2)/math.Sqrt(5), 4 + 2.7764*math.Sqrt(2)/math.Sqrt(5)},
	}
	for _, tt := range tests {
		m, sd, lo, hi := meanCI(tt.x)
		for _, p := range [][2]float64{{m, tt.mean}, {sd, tt.sd}, {lo, tt.lo}, {hi, tt.hi}} {
			if math.Abs(p[0]-p[1]) > 1e-3 {
				t.Errorf("meanCI(%v) = %v %v [%v, %v], want %v %v [%v, %v]", tt.x, m, sd, lo, hi, tt.mean, tt.sd, tt.lo, tt.hi)
				break
			}
		}
	}
	if _, sd, lo, _ := meanCI([]float64{5}); !math.IsNaN(sd) || !math.IsNaN(lo) {
		t.Error("one value: want NaN std and interval")
	}
}

// smallSweep is a sweep of a tiny economy: 2 × 2 configurations × 3 seeds.
func smallSweep(t *testing.T) *Sweep {
	t.Helper()
	sc := scenarios.Default()
	for _, a := range []string{"n_firms=20", "n_households=100", "n_banks=3", "n_periods=60"} {
		if err := sc.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Grid([]Axis{{"theta", []string{"4", "8"}}, {"consumer_matching", []string{"loyalty", "random"}}})
	if err != nil {
		t.Fatal(err)
	}
	return &Sweep{Scenario: sc, Design: d, SeedStart: 5, NSeeds: 3, Score: true, KeepSeries: true}
}

// runAndWrite runs s into dir and writes its results.
func runAndWrite(t *testing.T, s *Sweep, dir string) {
	t.Helper()
	out, err := s.Run(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(dir, out.Summaries, Metadata{Source: "sweep"}); err != nil {
		t.Fatal(err)
	}
}

// results returns the contents of the result files of dir but sweep.json.
func results(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range []string{TidyCSV, TidyParquet, AggregateCSV, AggregateParquet} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(f + "\n" + string(data))
	}
	return b.String()
}

// TestSweepDeterministic checks that the results do not depend on the
// workers, on interruptions (a run stopped after some jobs and resumed)
// or on shards merged, and that the tables hold what they say.
func TestSweepDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 36 small simulations")
	}
	base := t.TempDir()
	one := filepath.Join(base, "one")
	s := smallSweep(t)
	s.Workers = 1
	if err := os.Mkdir(one, 0o755); err != nil {
		t.Fatal(err)
	}
	runAndWrite(t, s, one)
	want := results(t, one)

	// Two workers, stopped after 5 jobs, then resumed.
	two := filepath.Join(base, "two")
	_ = os.Mkdir(two, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	s2 := smallSweep(t)
	s2.Workers = 2
	s2.OnJob = func(done, _ int) {
		if done == 5 {
			cancel()
		}
	}
	if _, err := s2.Run(ctx, two); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	s2 = smallSweep(t)
	s2.Workers = 2
	out, err := s2.Run(context.Background(), two)
	if err != nil {
		t.Fatal(err)
	}
	if out.FromJournal < 5 || out.Ran+out.FromJournal != 12 {
		t.Errorf("resumed: %d from the journal, %d run; want at least 5 and 12 in all", out.FromJournal, out.Ran)
	}
	if err := s2.Write(two, out.Summaries, Metadata{}); err != nil {
		t.Fatal(err)
	}
	if got := results(t, two); got != want {
		t.Error("two workers and a resume gave other results than one worker")
	}

	// Three shards into their own folders, merged.
	var dirs []string
	for i := range 3 {
		d := filepath.Join(base, "shard"+strconv.Itoa(i))
		_ = os.Mkdir(d, 0o755)
		sh := smallSweep(t)
		sh.Shard = &stability.Shard{Index: i, Count: 3}
		if _, err := sh.Run(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	if _, _, _, err := Merge(dirs[:2]); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "4 of the sweep's 12 jobs are in none") {
		t.Errorf("merge of 2 of 3 shards: %v", err)
	}
	ms, sums, journals, err := Merge(dirs)
	if err != nil || len(journals) != 3 {
		t.Fatalf("merge: %v (%d journals)", err, len(journals))
	}
	merged := filepath.Join(base, "merged")
	_ = os.Mkdir(merged, 0o755)
	if err := ms.Write(merged, sums, Metadata{Source: "merge"}); err != nil {
		t.Fatal(err)
	}
	if err := CopySeries(ms, dirs, merged); err != nil {
		t.Fatal(err)
	}
	if got := results(t, merged); got != want {
		t.Error("merged shards gave other results than one machine")
	}
	// Every job's series, the same bytes in every folder; a missing one
	// makes the merge of the series fail.
	for _, jb := range s.Jobs() {
		a := readFile(t, filepath.Join(one, SeriesDir, SeriesName(jb)))
		if b := readFile(t, filepath.Join(merged, SeriesDir, SeriesName(jb))); a != b || !strings.HasPrefix(a, "PAR1") {
			t.Errorf("series of %+v differ or are not Parquet", jb)
		}
	}
	_ = os.Remove(filepath.Join(dirs[1], SeriesDir, SeriesName(Job{0, 6})))
	if err := CopySeries(ms, dirs, filepath.Join(base, "merged2")); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "config-0000-seed-6.parquet") {
		t.Errorf("a missing series file: %v", err)
	}

	// The tables: 12 tidy rows in configuration and seed order, 4
	// aggregate rows of 3 seeds.
	tidy := strings.Split(strings.TrimSpace(readFile(t, filepath.Join(one, TidyCSV))), "\n")
	if len(tidy) != 13 || !strings.HasPrefix(tidy[0], "theta,consumer_matching,seed,periods,collapsed,failed,gate_unemployment,") ||
		!strings.HasPrefix(tidy[1], "4,loyalty,5,60,false,,") || !strings.HasPrefix(tidy[12], "8,random,7,60,false,,") ||
		!strings.HasSuffix(tidy[0], ",score,passed,fails,series") || !strings.HasSuffix(tidy[1], ",series/config-0000-seed-5.parquet") {
		t.Errorf("sweep.csv:\n%s\n%s\n…\n%s", tidy[0], tidy[1], tidy[12])
	}
	agg := strings.Split(strings.TrimSpace(readFile(t, filepath.Join(one, AggregateCSV))), "\n")
	if len(agg) != 5 || !strings.HasPrefix(agg[0], "theta,consumer_matching,n_seeds,collapse_rate,failed,gate_unemployment_mean,gate_unemployment_std,gate_unemployment_ci95_lo,gate_unemployment_ci95_hi,") ||
		!strings.HasPrefix(agg[2], "4,random,3,0,0,") {
		t.Errorf("aggregate.csv:\n%s\n%s", agg[0], agg[2])
	}
}

// TestSweepJournalOfAnotherSweep checks that a journal of another sweep
// is refused and left as it was.
func TestSweepJournalOfAnotherSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	dir := t.TempDir()
	s := smallSweep(t)
	s.NSeeds = 1
	if _, err := s.Run(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(dir, JournalName(nil)))
	o := smallSweep(t)
	o.NSeeds = 1
	_ = o.Scenario.Set("n_periods=70")
	o.h = nil
	if _, err := o.Run(context.Background(), dir); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "n_periods 60 there, 70 here") {
		t.Errorf("another sweep: %v", err)
	}
	if readFile(t, filepath.Join(dir, JournalName(nil))) != before {
		t.Error("the refused sweep changed the journal")
	}
}

// TestSweepMoreSeeds checks that an unsharded sweep rerun with more seeds
// reuses the journaled jobs and gives what a fresh run of as many seeds
// gives, and that a shard's journal refuses another seed count.
func TestSweepMoreSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	grown, fresh := t.TempDir(), t.TempDir()
	s := smallSweep(t)
	s.NSeeds = 1
	if _, err := s.Run(context.Background(), grown); err != nil {
		t.Fatal(err)
	}
	s = smallSweep(t)
	s.NSeeds = 2
	o, err := s.Run(context.Background(), grown)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Design.Len(); o.FromJournal != want || o.Ran != want {
		t.Errorf("ran %d, %d from the journal; want %d and %d", o.Ran, o.FromJournal, want, want)
	}
	if err := s.Write(grown, o.Summaries, Metadata{}); err != nil {
		t.Fatal(err)
	}
	f := smallSweep(t)
	f.NSeeds = 2
	fo, err := f.Run(context.Background(), fresh)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(fresh, fo.Summaries, Metadata{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sweep.csv", "aggregate.csv"} {
		if readFile(t, filepath.Join(grown, name)) != readFile(t, filepath.Join(fresh, name)) {
			t.Errorf("%s of a sweep grown from 1 to 2 seeds differs from a fresh 2-seed sweep", name)
		}
	}
	shard := t.TempDir()
	a := smallSweep(t)
	a.NSeeds, a.Shard = 1, &stability.Shard{Index: 0, Count: 2}
	if _, err := a.Run(context.Background(), shard); err != nil {
		t.Fatal(err)
	}
	b := smallSweep(t)
	b.NSeeds, b.Shard = 2, &stability.Shard{Index: 0, Count: 2}
	if _, err := b.Run(context.Background(), shard); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "+1 there, ") {
		t.Errorf("a shard with another seed count: %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPlotSweep draws a synthetic aggregate: a line plot and a heat map
// are written; a heat map with a third varying parameter, or one value
// along an axis, is refused.
func TestPlotSweep(t *testing.T) {
	d, err := Grid([]Axis{{"theta", []string{"4", "8"}}, {"max_Z", []string{"2", "3"}}, {"max_H", []string{"2"}}})
	if err != nil {
		t.Fatal(err)
	}
	a := &Aggregate{Design: d, Columns: map[string][]float64{
		"gate_unemployment_mean": {0.05, 0.04, 0.06, math.NaN()}, "gate_unemployment_ci95_lo": {0.04, 0.03, 0.05, math.NaN()},
		"gate_unemployment_ci95_hi": {0.06, 0.05, 0.07, math.NaN()}, "collapse_rate": {0, 0, 0.5, 1},
	}}
	for _, o := range []PlotOptions{{Metric: "gate_unemployment", X: "theta"}, {Metric: "gate_unemployment", X: "theta", Y: "max_Z"}, {Metric: "collapse_rate", X: "max_Z"}} {
		var b strings.Builder
		if err := PlotSweep(&b, "svg", a, o); err != nil || !strings.Contains(b.String(), "<svg") {
			t.Errorf("%+v: %v", o, err)
		}
	}
	d3, _ := Grid([]Axis{{"theta", []string{"4", "8"}}, {"max_Z", []string{"2", "3"}}, {"max_H", []string{"2", "3"}}})
	a3 := &Aggregate{Design: d3, Columns: map[string][]float64{"gdp_mean": make([]float64, 8)}}
	var b strings.Builder
	if err := PlotSweep(&b, "png", a3, PlotOptions{Metric: "gdp", X: "theta", Y: "max_Z"}); !errors.Is(err, ErrBadDesign) || !strings.Contains(err.Error(), "max_H varies too") {
		t.Errorf("heat map with a third varying parameter: %v", err)
	}
	d2, _ := Grid([]Axis{{"theta", []string{"4", "8"}}, {"max_H", []string{"2"}}})
	a2 := &Aggregate{Design: d2, Columns: map[string][]float64{"gdp_mean": {1, 2}}}
	if err := PlotSweep(&b, "png", a2, PlotOptions{Metric: "gdp", X: "theta", Y: "max_H"}); !errors.Is(err, ErrBadDesign) || !strings.Contains(err.Error(), "at least two values") {
		t.Errorf("heat map along a single value: %v", err)
	}
}

// TestPairedT checks the paired t-test against a case worked by hand:
// differences 1, 2, 3 have mean 2, sd 1, t = 2√3 = 3.4641 and, with 2
// degrees of freedom, a two-sided p of 0.0742 (t table).
func TestPairedT(t *testing.T) {
	m, sd, _, _ := meanCI([]float64{1, 2, 3})
	tt, p := pairedT(m, sd, 3)
	if math.Abs(tt-2*math.Sqrt(3)) > 1e-12 || math.Abs(p-0.0742) > 5e-4 {
		t.Errorf("t = %v, p = %v; want 3.4641, 0.0742", tt, p)
	}
	if tt, p := pairedT(0, 0, 5); !math.IsNaN(tt) || !math.IsNaN(p) {
		t.Errorf("all differences 0: t = %v, p = %v; want NaN", tt, p)
	}
}

// TestCompare runs a small comparison (theta 8 against 2, four seeds) and
// checks the bands and the paired statistics against the kept series
// themselves.
func TestCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 8 small simulations")
	}
	base := smallSweep(t).Scenario
	treat := base.Clone()
	if err := treat.Set("theta=2"); err != nil {
		t.Fatal(err)
	}
	s := NewComparison(base, treat, 0, 4)
	dir := t.TempDir()
	if _, err := s.Run(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	c, err := s.Compare(dir, []string{"unemployment_rate", "gdp"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Periods != 60 || len(c.Series) != 2 || c.BurnIn != 30 {
		t.Fatalf("comparison of %d periods, %d series, burn-in %d", c.Periods, len(c.Series), c.BurnIn)
	}
	// By hand from the files: the per-period mean at period 40 and the
	// mean paired difference after the burn-in.
	u := c.Series[0]
	var at40, diff float64
	for k := range 4 {
		b, _ := readSeries(filepath.Join(dir, SeriesDir, SeriesName(Job{0, uint64(k)})), []string{"unemployment_rate"})
		tr, _ := readSeries(filepath.Join(dir, SeriesDir, SeriesName(Job{1, uint64(k)})), []string{"unemployment_rate"})
		at40 += b["unemployment_rate"][39] / 4
		var sb, st float64
		for p := 30; p < 60; p++ {
			sb += b["unemployment_rate"][p] / 30
			st += tr["unemployment_rate"][p] / 30
		}
		diff += (st - sb) / 4
	}
	if math.Abs(u.Baseline.Mean[39]-at40) > 1e-12 || math.Abs(u.DiffMean-diff) > 1e-12 {
		t.Errorf("period 40 mean %v (by hand %v), difference %v (by hand %v)", u.Baseline.Mean[39], at40, u.DiffMean, diff)
	}
	if !(u.DiffLo <= u.DiffMean && u.DiffMean <= u.DiffHi) || !(u.P >= 0 && u.P <= 1) {
		t.Errorf("interval %v … %v around %v, p = %v", u.DiffLo, u.DiffHi, u.DiffMean, u.P)
	}
	if err := c.Write(dir); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(readFile(t, filepath.Join(dir, CompareCSV))), "\n")
	if len(lines) != 3 || lines[0] != "series,baseline_mean,treatment_mean,diff_mean,diff_ci95_lo,diff_ci95_hi,t,p,n_seeds" {
		t.Errorf("compare.csv:\n%s", strings.Join(lines, "\n"))
	}
	if n := strings.Count(readFile(t, filepath.Join(dir, ComparePeriodsCSV)), "\n"); n != 1+2*60 {
		t.Errorf("compare_periods.csv has %d lines, want %d", n, 1+2*60)
	}
	var b strings.Builder
	if err := c.Plot(&b, "svg", 0, 0); err != nil || !strings.Contains(b.String(), "<svg") {
		t.Errorf("Plot: %v", err)
	}
	if _, err := s.Compare(dir, []string{"nope"}); !errors.Is(err, ErrBadDesign) {
		t.Errorf("an unknown series: %v", err)
	}
}

// TestSeedAnalysisBaseline analyses baseline seed 0 (1000 periods, burn-in
// 500) and checks it against what the reference gives over seeds 0–19
// (validation spec §9.1, mean ± std), within four standard deviations:
// unemployment's co-movement at lag 0 −0.9996 ± 0.0001, the real wage's
// +0.815 ± 0.025, the AR(2) φ₁ 0.864 ± 0.049 and φ₂ −0.100 ± 0.057, the
// Phillips correlation −0.391 ± 0.031; productivity is constant in the
// baseline, so its co-movements are undefined (NaN).
func TestSeedAnalysisBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 1000-period baseline seed")
	}
	a, err := RunSeedAnalysis(context.Background(), scenarios.Default(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	within := func(name string, got, mean, sd float64) {
		if !(math.Abs(got-mean) <= 4*sd) {
			t.Errorf("%s = %.4f, want %.4f ± 4 × %.4f", name, got, mean, sd)
		}
	}
	within("unemployment co-movement at lag 0", a.CoMovements[0][MaxLag], -0.9996, 0.0001)
	within("real wage co-movement at lag 0", a.CoMovements[4][MaxLag], 0.815, 0.025)
	within("AR φ₁", a.AR.Phi[0], 0.864, 0.049)
	within("AR φ₂", a.AR.Phi[1], -0.100, 0.057)
	within("Phillips", a.Stats["phillips"], -0.391, 0.031)
	for _, c := range a.CoMovements[1] {
		if !math.IsNaN(c) {
			t.Fatalf("productivity co-movements %v, want NaN (constant in the baseline)", a.CoMovements[1])
		}
	}
	if a.Degenerate != "" || a.Collapsed || len(a.GDPCycle) != 500 || len(a.IRF) != IRFSteps || a.IRF[0] != 1 {
		t.Errorf("degenerate %q, collapsed %v, cycle %d, IRF %v", a.Degenerate, a.Collapsed, len(a.GDPCycle), a.IRF)
	}
	if a.PeakLags[0] != 0 || !math.IsNaN(a.PeakLags[1]) {
		t.Errorf("peak lags %v: want unemployment at 0, productivity undefined", a.PeakLags)
	}
}

// TestInternalValidity runs a small study with one worker, then with two
// after an interruption: the same internal.json; and checks the
// aggregation rules on synthetic seeds.
func TestInternalValidity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs small simulations")
	}
	sc := smallSweep(t).Scenario
	_ = sc.Set("n_periods=120")
	run := func(dir string, workers int, stopAfter int) (*IVResult, error) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		iv := &InternalValidity{Scenario: sc, NSeeds: 5, BurnIn: 60, Workers: workers}
		if stopAfter > 0 {
			iv.OnSeed = func(done, _ int) {
				if done == stopAfter {
					cancel()
				}
			}
		}
		return iv.Run(ctx, dir)
	}
	a, b := t.TempDir(), t.TempDir()
	ra, err := run(a, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := ra.Write(a); err != nil {
		t.Fatal(err)
	}
	if _, err := run(b, 2, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted: %v", err)
	}
	rb, err := run(b, 2, 0)
	if err != nil || rb.FromJournal < 2 {
		t.Fatalf("resumed: %v, %d from the journal", err, rb.FromJournal)
	}
	if err := rb.Write(b); err != nil {
		t.Fatal(err)
	}
	if readFile(t, filepath.Join(a, IVJSON)) != readFile(t, filepath.Join(b, IVJSON)) {
		t.Error("internal.json differs between one worker and two workers resumed")
	}
	// A rerun with more seeds extends the study: only the new seeds run.
	more := &InternalValidity{Scenario: sc, NSeeds: 7, BurnIn: 60, Workers: 2}
	rm, err := more.Run(context.Background(), b)
	if err != nil || rm.Ran != 2 || rm.FromJournal != 5 || len(rm.Seeds) != 7 {
		t.Fatalf("extended to 7 seeds: %v, ran %d, %d from the journal", err, rm.Ran, rm.FromJournal)
	}
	fresh := t.TempDir()
	rf, err := (&InternalValidity{Scenario: sc, NSeeds: 7, BurnIn: 60, Workers: 2}).Run(context.Background(), fresh)
	if err != nil {
		t.Fatal(err)
	}
	if err := rm.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := rf.Write(fresh); err != nil {
		t.Fatal(err)
	}
	if readFile(t, filepath.Join(b, IVJSON)) != readFile(t, filepath.Join(fresh, IVJSON)) {
		t.Error("internal.json of a study extended to 7 seeds differs from one of 7 seeds")
	}
	// Two shards into one folder, merged: the same internal.json.
	sh := t.TempDir()
	for i := range 2 {
		iv := &InternalValidity{Scenario: sc, NSeeds: 5, BurnIn: 60, Workers: 1, Shard: &stability.Shard{Index: i, Count: 2}}
		if _, err := iv.Run(context.Background(), sh); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, _, err := MergeInternal([]string{sh}); !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "seed 1 is in none") {
				t.Errorf("merge of one of two shards: %v", err)
			}
		}
	}
	mr, journals, err := MergeInternal([]string{sh})
	if err != nil || len(journals) != 2 {
		t.Fatalf("merge: %v, %d journals", err, len(journals))
	}
	if err := mr.Write(sh); err != nil {
		t.Fatal(err)
	}
	if readFile(t, filepath.Join(a, IVJSON)) != readFile(t, filepath.Join(sh, IVJSON)) {
		t.Error("internal.json of merged shards differs from one machine's")
	}

	// Aggregation: a degenerate seed is left out; the modal peak lag takes
	// the smallest lag on a tie; the AR summaries are over the valid seeds.
	mk := func(seed uint64, deg string, lag float64, phi float64) *SeedAnalysis {
		a := &SeedAnalysis{Seed: seed, Degenerate: deg, GDPCycle: []float64{1, -1, 2, -2, 1, 0, -1, 1},
			AR: stats.AR{Phi: []float64{phi, 0}}, Stats: map[string]float64{"x": float64(seed)}}
		for range CoVariables {
			c := make([]float64, 2*MaxLag+1)
			c[MaxLag] = 0.1 * float64(seed)
			a.CoMovements, a.PeakLags = append(a.CoMovements, c), append(a.PeakLags, lag)
		}
		return a
	}
	r := &IVResult{SeedStart: 0, Seeds: []*SeedAnalysis{mk(0, "collapsed", 3, 9), mk(1, "", 2, 0.5), mk(2, "", -1, 0.7), mk(3, "", 2, 0.9), mk(4, "", -1, 0.6)}}
	r.aggregate(false)
	if r.Valid != 4 || r.DegenerateRate != 0.2 || r.BaselineSeed != 1 || r.ModalPeakLag[0] != -1 ||
		math.Abs(r.ARPhi1.Mean-0.675) > 1e-12 || math.Abs(r.CoMean[0][MaxLag]-0.25) > 1e-12 || r.Stats["x"].Min != 1 {
		t.Errorf("valid %d, degenerate %v, baseline seed %d, modal lag %v, φ₁ %v, c_0 %v, x min %v",
			r.Valid, r.DegenerateRate, r.BaselineSeed, r.ModalPeakLag[0], r.ARPhi1.Mean, r.CoMean[0][MaxLag], r.Stats["x"].Min)
	}
}

// TestRobustnessExperimentLists checks the experiments against the tables
// of spec §9.2 and §9.3.
func TestRobustnessExperimentLists(t *testing.T) {
	want := map[string][]string{
		"credit_market":           {"max_H=1", "max_H=2", "max_H=3", "max_H=4", "max_H=6"},
		"goods_market":            {"max_Z=2", "max_Z=3", "max_Z=4", "max_Z=5", "max_Z=6"},
		"labor_applications":      {"max_M=2", "max_M=3", "max_M=4", "max_M=5", "max_M=6"},
		"contract_length":         {"theta=1", "theta=4", "theta=6", "theta=8", "theta=10", "theta=12", "theta=14"},
		"economy_size":            {"100/500/10", "200/1000/20", "500/2500/50", "1000/5000/100", "100/500/20", "100/1000/10", "200/500/10"},
		"entry_neutrality":        {"profit_tax_rate=0", "profit_tax_rate=0.3", "profit_tax_rate=0.5", "profit_tax_rate=0.7", "profit_tax_rate=0.9"},
		"pa_off_goods_market":     {"random, max_Z=2", "random, max_Z=3", "random, max_Z=4", "random, max_Z=5", "random, max_Z=6"},
		"preferential_attachment": {"on (loyalty)", "off (random)"},
	}
	for _, x := range append(SensitivityExperiments(), StructuralExperiments()...) {
		var labels []string
		for _, v := range x.Variations {
			labels = append(labels, v.Label)
			sc := scenarios.Default()
			if x.Scenario != "" {
				var err error
				if sc, err = scenarios.Load(x.Scenario); err != nil {
					t.Fatal(err)
				}
			}
			for _, a := range v.Sets {
				if err := sc.Set(a); err != nil {
					t.Errorf("%s, %s: %v", x.Name, v.Label, err)
				}
			}
		}
		if !slices.Equal(labels, want[x.Name]) {
			t.Errorf("%s: %v, want %v", x.Name, labels, want[x.Name])
		}
		if x.Baseline != "" && !slices.Contains(labels, x.Baseline) {
			t.Errorf("%s: baseline %s is not one of its values", x.Name, x.Baseline)
		}
		delete(want, x.Name)
	}
	if len(want) > 0 {
		t.Errorf("experiments missing: %v", want)
	}
}

// TestKeptSeriesIDs: kept series carry the job's provenance as metadata
// and, with SeriesIDColumns, the configuration, seed and swept parameters
// as leading columns.
func TestKeptSeriesIDs(t *testing.T) {
	s := smallSweep(t)
	s.Score = false
	s.NSeeds = 1
	s.SeriesIDColumns = []string{"config", "seed", "theta", "consumer_matching"}
	dir := t.TempDir()
	runAndWrite(t, s, dir)
	for c := range s.Design.Len() {
		jb := Job{Config: c, Seed: 5}
		path := filepath.Join(dir, SeriesDir, SeriesName(jb))
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		pf, err := parquet.OpenFile(f, fi.Size())
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for _, p := range pf.Schema().Columns() {
			cols = append(cols, p[0])
		}
		if !slices.Equal(cols[:5], []string{"config", "seed", "theta", "consumer_matching", "period"}) {
			t.Errorf("config %d: columns %v", c, cols[:5])
		}
		rows := make([]parquet.Row, 1)
		rr := pf.RowGroups()[0].Rows()
		if n, _ := rr.ReadRows(rows); n != 1 {
			t.Fatal("no row")
		}
		rr.Close()
		theta, matching := s.Design.Configs[c][0], s.Design.Configs[c][1]
		r := rows[0]
		if r[0].Int64() != int64(c) || r[1].Int64() != 5 || r[2].Kind() != parquet.Int64 || strconv.FormatInt(r[2].Int64(), 10) != theta || string(r[3].ByteArray()) != matching {
			t.Errorf("config %d: id values %v, want %d 5 %s %s", c, r[:4], c, theta, matching)
		}
		for k, want := range map[string]string{"bam.config": strconv.Itoa(c), "bam.seed": "5", "bam.param.theta": theta,
			"bam.param.consumer_matching": matching, "bam.scenario": "baseline", "bam.n_firms": "20"} {
			if got, ok := pf.Lookup(k); !ok || got != want {
				t.Errorf("config %d: %s = %q, want %q", c, k, got, want)
			}
		}
		f.Close()
		// The readers take the series by name, id columns or not.
		if got, err := readSeries(path, []string{"unemployment_rate"}); err != nil || len(got["unemployment_rate"]) != 60 {
			t.Errorf("readSeries: %v", err)
		}
	}
	for _, tt := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"config,seed", []string{"config", "seed"}, false},
		{"seed, config ,beta", []string{"seed", "config", "beta"}, false},
		{"config", []string{"config"}, false},
		{"config,config", nil, true},
		{"config,,seed", nil, true},
		{"conf", nil, true},
	} {
		got, err := ParseSeriesIDColumns(tt.in)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("ParseSeriesIDColumns(%q) = %v, %v", tt.in, got, err)
		}
	}
}
