package figures

// Ensembles: several runs of one scenario (typically one per seed) drawn
// together, each series as its mean over the runs with a band from the
// 5th to the 95th percentile. Everything here is pure and table-tested in
// ensemble_test.go.

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/stats"
	"gonum.org/v1/plot/plotter"
)

// The band of an ensemble: from the bandLo-th to the bandHi-th percentile
// (type 7, stats.Percentile) of the runs' values, 90 % of them.
const (
	bandLo = 5
	bandHi = 95
)

// bandLabel names the band in legends and titles.
const bandLabel = "5th–95th percentile"

// ErrNotEnsemble marks an error of [NewEnsemble]: the runs do not form an
// ensemble (none, or runs of different scenarios). Test with errors.Is.
var ErrNotEnsemble = errors.New("the runs do not form an ensemble")

// NewEnsemble returns the ensemble of runs, to be drawn by [DrawFigure]
// and [DrawPanel] with every time series as its mean over the runs and a
// band from the 5th to the 95th percentile of their values in each
// period (over the runs that reached it), the scatter plots with the
// points of every run and the mean and percentiles of the runs'
// correlations, and the summary statistics as the mean and percentiles
// of the runs' values. The runs must be of one scenario (typically one per
// seed); ensembles among them are taken apart. One run is returned as it
// is. Errors wrap [ErrNotEnsemble].
func NewEnsemble(runs ...*Run) (*Run, error) {
	var members []*Run
	for _, r := range runs {
		members = append(members, r.runs()...)
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("%w: no run", ErrNotEnsemble)
	}
	if len(members) == 1 {
		return members[0], nil
	}
	first := members[0].info
	for _, m := range members[1:] {
		if m.info.Scenario != first.Scenario {
			return nil, fmt.Errorf("%w: scenario %s (seed %d) and scenario %s (seed %d)",
				ErrNotEnsemble, first.Scenario, first.Seed, m.info.Scenario, m.info.Seed)
		}
	}
	e := &Run{info: first, members: members}
	e.econ = map[string][]float64{colPeriod: unionPeriods(members)}
	for _, m := range members {
		e.info.Collapsed = e.info.Collapsed || m.info.Collapsed
		e.info.PeriodsRun = max(e.info.PeriodsRun, m.info.PeriodsRun)
	}
	return e, nil
}

// runs returns the runs of d: its members, or d itself.
func (d *Run) runs() []*Run {
	if len(d.members) > 0 {
		return d.members
	}
	return []*Run{d}
}

// Runs returns the number of runs d holds: 1 for a run, more for an
// ensemble of [NewEnsemble].
func (d *Run) Runs() int { return len(d.runs()) }

// unionPeriods returns the periods of any of the runs, ascending.
func unionPeriods(runs []*Run) []float64 {
	var ps []float64
	for _, r := range runs {
		ps = append(ps, r.col(colPeriod)...)
	}
	slices.Sort(ps)
	return slices.Compact(ps)
}

// band is an ensemble's series: at each period X, the mean of the runs'
// finite values and their 5th and 95th percentiles; N is the number of
// runs with a finite value there.
type band struct {
	X, Mean, Lo, Hi []float64
	N               []int
}

// ensembleBand returns the band of the column name (scaled by scale) over
// runs, at the periods of any run; a period where no run has a finite
// value has NaN mean and percentiles.
func ensembleBand(runs []*Run, name string, scale float64) band {
	periods := unionPeriods(runs)
	at := make(map[float64]int, len(periods))
	for i, p := range periods {
		at[p] = i
	}
	vals := make([][]float64, len(periods))
	for _, r := range runs {
		ys := r.col(name)
		for k, p := range r.col(colPeriod) {
			if k < len(ys) && style.Finite(ys[k]*scale) {
				vals[at[p]] = append(vals[at[p]], ys[k]*scale)
			}
		}
	}
	b := band{X: periods}
	for _, v := range vals {
		b.Mean = append(b.Mean, stats.Mean(v))
		b.Lo = append(b.Lo, stats.Percentile(v, bandLo))
		b.Hi = append(b.Hi, stats.Percentile(v, bandHi))
		b.N = append(b.N, len(v))
	}
	return b
}

// rankBand returns the band of the runs' rank-size curves of the last
// period's output: at rank k, the mean and percentiles of the k-th largest
// positive output over the runs with at least k firms with output > 0.
func rankBand(runs []*Run) band {
	var curves []plotter.XYs
	longest := 0
	for _, r := range runs {
		c := rankSize(r.production)
		curves = append(curves, c)
		longest = max(longest, len(c))
	}
	var b band
	for k := range longest {
		var v []float64
		for _, c := range curves {
			if k < len(c) {
				v = append(v, c[k].Y)
			}
		}
		b.X = append(b.X, float64(k+1))
		b.Mean = append(b.Mean, stats.Mean(v))
		b.Lo = append(b.Lo, stats.Percentile(v, bandLo))
		b.Hi = append(b.Hi, stats.Percentile(v, bandHi))
		b.N = append(b.N, len(v))
	}
	return b
}

// segments returns the index ranges [i, j) of the longest runs of
// consecutive points of b whose mean and band are finite: the pieces of
// the band to fill (a gap where no run has a value leaves a gap).
func (b band) segments() [][2]int {
	var out [][2]int
	start := -1
	for i := range b.X {
		ok := style.Finite(b.Mean[i]) && style.Finite(b.Lo[i]) && style.Finite(b.Hi[i])
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(b.X)})
	}
	return out
}

// spread is a statistic over the runs of an ensemble: the mean of its
// finite values and their 5th and 95th percentiles, and how many runs
// had one.
type spread struct {
	Mean, Lo, Hi float64
	N            int
}

// spreadOf returns the spread of the values vs of the runs, leaving out
// those that are not finite.
func spreadOf(vs []float64) spread {
	var f []float64
	for _, v := range vs {
		if style.Finite(v) {
			f = append(f, v)
		}
	}
	return spread{Mean: stats.Mean(f), Lo: stats.Percentile(f, bandLo), Hi: stats.Percentile(f, bandHi), N: len(f)}
}

// seedsLabel lists the seeds of runs: "seed 3", "seeds 0–19" for a
// range, else up to six of them ("seeds 1, 4, 9, …").
func seedsLabel(runs []*Run) string {
	seeds := make([]uint64, len(runs))
	for i, r := range runs {
		seeds[i] = r.info.Seed
	}
	slices.Sort(seeds)
	seeds = slices.Compact(seeds)
	if len(seeds) == 1 {
		return "seed " + strconv.FormatUint(seeds[0], 10)
	}
	if seeds[len(seeds)-1]-seeds[0] == uint64(len(seeds)-1) {
		return fmt.Sprintf("seeds %d–%d", seeds[0], seeds[len(seeds)-1])
	}
	var parts []string
	for i, s := range seeds {
		if i == 6 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, strconv.FormatUint(s, 10))
	}
	return "seeds " + strings.Join(parts, ", ")
}

// collapsedCount is the number of runs whose economy collapsed.
func collapsedCount(runs []*Run) int {
	n := 0
	for _, r := range runs {
		if r.info.Collapsed {
			n++
		}
	}
	return n
}

// finiteRange returns the smallest and largest finite value of the
// series; ok is false when there is none.
func finiteRange(series ...[]float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			if style.Finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	return lo, hi, lo <= hi
}
