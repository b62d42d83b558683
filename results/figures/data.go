package figures

// Data preparation: reading a run folder and turning its series into the
// points of each panel. Everything here is pure (no drawing) and
// table-tested in data_test.go.

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/internal/style"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/stats"
)

// Columns of economy.csv and firms.csv the figures read.
const (
	colPeriod       = "period"
	colUnemployment = "unemployment_rate"
	colInflation    = "inflation"
	colLogGDP       = "log_gdp"
	colRealWage     = "real_wage"
	colProductivity = "avg_productivity"
	colWageInfl     = "wage_inflation"
	colUnempGrowth  = "unemployment_growth"
	colGDPGrowth    = "gdp_growth"
	colVacancyRate  = "vacancy_rate"
	colProduction   = "production"
)

// Info is what the figures say of a run (from its run.json): the titles
// name the scenario and seed and say when the economy collapsed.
type Info struct {
	Scenario   string
	Seed       uint64
	PeriodsRun int  // 0 if run.json does not say
	Collapsed  bool // the economy collapsed before n_periods
}

// Run is the content of a run folder needed to draw its figures, read by
// [Load] or taken from a simulation by [FromSimulation].
type Run struct {
	info Info
	// econ maps a column name of economy.csv to its values, one per row.
	econ map[string][]float64
	// production is firms.csv's production column (nil when not needed).
	production []float64
	// members are the runs of an ensemble (see NewEnsemble), nil for a
	// run; an ensemble's econ holds only the periods of its members.
	members []*Run
}

// Periods returns the number of periods (rows of the economy series; of
// an ensemble, the periods that any of its runs reached).
func (d *Run) Periods() int { return len(d.econ[colPeriod]) }

// col returns the economy column name (nil if it was not loaded).
func (d *Run) col(name string) []float64 { return d.econ[name] }

// ErrBadRun marks an error of [Load] that is the run folder's, not the
// machine's: a missing folder or file, or a file that is not what bam run
// writes (test with errors.Is).
var ErrBadRun = errors.New("not a run folder")

// badRun is an error of the run folder, wrapping ErrBadRun.
type badRun struct{ msg string }

func (e *badRun) Error() string { return e.msg }
func (e *badRun) Unwrap() error { return ErrBadRun }

// runFileError turns an error of a results reader for the file name of
// the run folder dir into Load's error: a missing file or bad content is
// the folder's (ErrBadRun) naming the file, an I/O error the machine's.
func runFileError(dir, name string, err error) error {
	var fe *results.FormatError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &badRun{fmt.Sprintf("%s: no such file (is %s the output folder of bam run?)", filepath.Join(dir, name), dir)}
	case errors.As(err, &fe):
		return &badRun{err.Error()}
	}
	return err
}

// Load reads from the run folder dir (with the readers of package
// results) what the named panels need (every panel when none is named):
// run.json, the economy columns and, for the firm-size panel, firms.csv's
// production. Errors of the folder wrap [ErrBadRun]; an unknown panel is
// an error too.
func Load(dir string, panelNames ...string) (*Run, error) {
	var cols []string
	firms := false
	for _, ps := range panels {
		if len(panelNames) == 0 || slices.Contains(panelNames, ps.name) {
			cols = append(cols, ps.cols...)
			firms = firms || ps.firms
		}
	}
	for _, n := range panelNames {
		if _, ok := findPanel(n); !ok {
			return nil, fmt.Errorf("unknown panel %q; panels: %s", n, strings.Join(Panels(), ", "))
		}
	}
	return loadRunData(dir, cols, firms)
}

// loadRunData reads run.json, the economy columns cols (and period) and, if
// firms, firms.csv's production column from the run folder dir.
func loadRunData(dir string, cols []string, firms bool) (*Run, error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &badRun{dir + ": no such folder"}
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", dir, err)
	case !fi.IsDir():
		return nil, &badRun{dir + ": not a folder (want the output folder of bam run)"}
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		return nil, runFileError(dir, results.ManifestFile, err)
	}
	info := Info{Scenario: m.Scenario, Seed: m.Seed, PeriodsRun: m.PeriodsRun, Collapsed: m.Collapsed}
	names := append([]string{colPeriod}, cols...)
	econ, err := readRows(dir, results.EconomyFile, results.ReadEconomy, names)
	if err != nil {
		return nil, err
	}
	d := &Run{info: info, econ: make(map[string][]float64, len(names))}
	for k, name := range names {
		d.econ[name] = econ.Columns[k]
	}
	if firms {
		prod, err := readRows(dir, results.FirmsFile, results.ReadFirms, []string{colProduction})
		if err != nil {
			return nil, err
		}
		d.production = prod.Columns[0]
	}
	return d, nil
}

// readRows reads the columns names of the file name of the run folder dir
// with read, which must have at least one data row.
func readRows(dir, name string, read func(string, ...string) (*results.Table, error), names []string) (*results.Table, error) {
	t, err := read(dir, names...)
	if err != nil {
		return nil, runFileError(dir, name, err)
	}
	if t.Rows() == 0 {
		return nil, &badRun{filepath.Join(dir, name) + ": no data rows after the header"}
	}
	return t, nil
}

// FromSimulation is the Run of a finished simulation, equal to what
// [Load] reads back from its output folder; info names the run in the
// titles.
func FromSimulation(sim *bam.Simulation, info Info) *Run {
	d := &Run{info: info, econ: make(map[string][]float64, len(bam.Columns))}
	for _, c := range bam.Columns {
		d.econ[c.Name] = sim.History.Series(c.Name)
	}
	d.production = slices.Clone(sim.History.FinalProduction)
	return d
}

// burnInSpan returns the x-range shaded as burn-in on the time-series
// panels: from the first period to halfway between the last burn-in period
// and the first one after it (to the last period if the whole run is
// burn-in). ok is false when there is no burn-in to shade.
func burnInSpan(periods []float64, burnIn int) (x0, x1 float64, ok bool) {
	n := len(periods)
	if burnIn <= 0 || n == 0 {
		return 0, 0, false
	}
	b := min(burnIn, n)
	x0 = periods[0]
	if b == n {
		return x0, periods[n-1], true
	}
	return x0, (periods[b-1] + periods[b]) / 2, true
}

// xyPoints pairs xs[i]·sx with ys[i]·sy, dropping the pairs with a
// non-finite coordinate (such as log GDP after a collapse).
func xyPoints(xs, ys []float64, sx, sy float64) plotter.XYs {
	n := min(len(xs), len(ys))
	pts := make(plotter.XYs, 0, n)
	for i := range n {
		x, y := xs[i]*sx, ys[i]*sy
		if style.Finite(x) && style.Finite(y) {
			pts = append(pts, plotter.XY{X: x, Y: y})
		}
	}
	return pts
}

// after returns xs without its first burnIn values.
func after(xs []float64, burnIn int) []float64 { return xs[min(burnIn, len(xs)):] }

// positive returns the finite values of y that are > 0, in order.
func positive(y []float64) []float64 {
	var out []float64
	for _, v := range y {
		if v > 0 && style.Finite(v) {
			out = append(out, v)
		}
	}
	return out
}

// rankSize returns the rank-size points of the firm-size distribution:
// the positive outputs sorted from the largest down, at x = rank (1 =
// largest firm). Firms with zero output are left out (they have no place
// on a log axis).
func rankSize(production []float64) plotter.XYs {
	y := positive(production)
	slices.Sort(y)
	slices.Reverse(y)
	pts := make(plotter.XYs, len(y))
	for i, v := range y {
		pts[i] = plotter.XY{X: float64(i + 1), Y: v}
	}
	return pts
}

// okunPoints returns the post-burn-in pairs (unemployment growth, GDP
// growth) that pass the IQR outlier filter of the Okun correlation (spec
// §9.4), and the number of pairs it dropped.
func okunPoints(unempGrowth, gdpGrowth []float64, burnIn int) (x, y []float64, dropped int) {
	u, g := after(unempGrowth, burnIn), after(gdpGrowth, burnIn)
	n := min(len(u), len(g))
	x, y = stats.IQRFilter(u[:n], g[:n])
	return x, y, n - len(x)
}

// logTicks are the tick marks of a log-scale axis drawn as a linear axis
// of log10 values: labels at 1, 2 and 5 times the powers of ten (plus the
// ends of a range that holds fewer than two of those), unlabelled minor
// ticks at the other integer multiples. Values and bounds are log10 of the
// data.
type logTicks struct{}

// Ticks returns the tick marks between 10^lo and 10^hi, at log10 values.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := math.Pow(10, lo), math.Pow(10, hi)
	if !style.Finite(lo) || !style.Finite(hi) || !(b >= a) {
		return nil
	}
	var ticks []plot.Tick
	labelled := 0
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		p := math.Pow(10, e)
		for m := 1; m < 10; m++ {
			v := float64(m) * p
			if v < a*(1-1e-9) || v > b*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: math.Log10(v)}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
				labelled++
			}
			ticks = append(ticks, t)
		}
	}
	if labelled < 2 {
		// A narrow range: label its ends too, so that the axis reads.
		ticks = append(ticks,
			plot.Tick{Value: lo, Label: strconv.FormatFloat(roundSig(a, 2), 'g', -1, 64)},
			plot.Tick{Value: hi, Label: strconv.FormatFloat(roundSig(b, 2), 'g', -1, 64)})
	}
	return ticks
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	if v == 0 || !style.Finite(v) {
		return v
	}
	s := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*s) / s
}

// log10Points returns the points with both coordinates replaced by their
// base-10 logarithms (all must be > 0).
func log10Points(pts plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, p := range pts {
		out[i] = plotter.XY{X: math.Log10(p.X), Y: math.Log10(p.Y)}
	}
	return out
}

// logRange returns log10 axis limits for positive values vs: log10 of
// their minimum and maximum, widened by log10(2) on both sides when they
// are equal. ok is false when vs is empty.
func logRange(vs []float64) (lo, hi float64, ok bool) {
	if len(vs) == 0 {
		return 0, 0, false
	}
	lo, hi = math.Log10(slices.Min(vs)), math.Log10(slices.Max(vs))
	if lo == hi {
		lo, hi = lo-math.Log10(2), hi+math.Log10(2)
	}
	return lo, hi, true
}

// headroom returns the range of the finite values of the series widened
// by below and above times its size, downwards and upwards (room off the
// frame, and for a legend). A series that does not vary is given a span of
// a tenth of its magnitude (at least 0.1). ok is false when there is no finite
// value.
func headroom(below, above float64, series ...[]float64) (lo, hi float64, ok bool) {
	lo, hi, ok = finiteRange(series...)
	if !ok {
		return 0, 0, false
	}
	span := hi - lo
	if span == 0 {
		span = max(math.Abs(hi), 1) * 0.1
		lo, hi = lo-span/2, hi+span/2
	}
	return lo - below*span, hi + above*span, true
}

// okunDiffs returns the pairs (Δu_t, Δ log GDP_t) of the gate's Okun
// correlation (bam.GateMetrics.Okun, spec §13.3): the changes into the
// periods after the burn-in (the first one into period burnIn+1, from at
// least the second period), without the outliers of the IQR filter.
func okunDiffs(u, logGDP []float64, burnIn int) (du, dy []float64) {
	n := min(len(u), len(logGDP))
	for k := max(burnIn, 1); k < n; k++ {
		du = append(du, u[k]-u[k-1])
		dy = append(dy, logGDP[k]-logGDP[k-1])
	}
	return stats.IQRFilter(du, dy)
}

// summary are the statistics of one run after its burn-in printed beside
// the panels of the full figure (definitions of spec §9.4).
type summary struct {
	UMean, UStd, PiMean, PiStd float64
	RealWage, Productivity     float64
	Ratio, Vacancy             float64
	Phillips, Beveridge        float64
	// OkunGrowth is bam validate's okun_correlation (growth rates),
	// OkunDiff the gate's (differences).
	OkunGrowth, OkunDiff float64
	Skew, MaxMedian      float64
	// Positive is the number of firms with output > 0 of Firms.
	Positive, Firms int
}

// summarize returns the summary of the run d after its first burnIn
// periods.
func summarize(d *Run, burnIn int) summary {
	u := after(d.col(colUnemployment), burnIn)
	pi := after(d.col(colInflation), burnIn)
	rw := after(d.col(colRealWage), burnIn)
	ap := after(d.col(colProductivity), burnIn)
	vac := after(d.col(colVacancyRate), burnIn)
	wi := after(d.col(colWageInfl), burnIn)
	ox, oy, _ := okunPoints(d.col(colUnempGrowth), d.col(colGDPGrowth), burnIn)
	dx, dy := okunDiffs(d.col(colUnemployment), d.col(colLogGDP), burnIn)
	pos := positive(d.production)
	maxMedian := math.NaN()
	if len(pos) > 0 {
		s := slices.Clone(pos)
		slices.Sort(s)
		maxMedian = s[len(s)-1] / stats.PercentileSorted(s, 50)
	}
	return summary{
		UMean: stats.Mean(u), UStd: stats.Std(u), PiMean: stats.Mean(pi), PiStd: stats.Std(pi),
		RealWage: stats.Mean(rw), Productivity: stats.Mean(ap), Ratio: stats.Mean(rw) / stats.Mean(ap),
		Vacancy:  stats.Mean(vac),
		Phillips: stats.Corr(u, wi), Beveridge: stats.Corr(u, vac),
		OkunGrowth: stats.Corr(ox, oy), OkunDiff: stats.Corr(dx, dy),
		Skew: stats.Skew(pos), MaxMedian: maxMedian,
		Positive: len(pos), Firms: len(d.production),
	}
}

// Labels of the two Okun correlations, wherever a value appears.
const (
	okunGrowthLabel = "Okun corr, growth rates (bam validate)"
	okunDiffLabel   = "Okun corr, differences (equivalence gate)"
)

// summaryLines returns the post-burn-in statistics printed beside the
// panels of the full figure (definitions of spec §9.4, over the periods
// after burnIn): of the run, or of an ensemble the mean over its runs
// with the 5th and 95th percentiles in brackets.
func summaryLines(d *Run, burnIn int) []string {
	periods := d.col(colPeriod)
	window := "no period after the burn-in"
	if n := len(periods); burnIn < n {
		window = fmt.Sprintf("periods %s–%s", fmtPeriod(periods[burnIn]), fmtPeriod(periods[n-1]))
	}
	runs := d.runs()
	ss := make([]summary, len(runs))
	for i, r := range runs {
		ss[i] = summarize(r, burnIn)
	}
	// v formats the field get of the summaries with f, then unit: the
	// value of a run, the mean [5th, 95th percentile] of an ensemble.
	v := func(get func(summary) float64, f func(float64) string, unit ...string) string {
		u := strings.Join(unit, "")
		if len(ss) == 1 {
			return f(get(ss[0])) + u
		}
		vs := make([]float64, len(ss))
		for i, s := range ss {
			vs[i] = get(s)
		}
		sp := spreadOf(vs)
		return f(sp.Mean) + " [" + f(sp.Lo) + ", " + f(sp.Hi) + "]" + u
	}
	pct := func(x float64) string { return style.Percent(x, 2, "") }
	fix := func(prec int) func(float64) string { return func(x float64) string { return style.Fixed(x, prec) } }
	head := []string{"After the burn-in (" + window + ")"}
	firms := fmt.Sprintf("firms with output > 0: %d of %d", ss[0].Positive, ss[0].Firms)
	if len(ss) > 1 {
		head = []string{
			fmt.Sprintf("After the burn-in (%s), %d runs", window, len(ss)),
			"mean over the runs [" + bandLabel + "]",
		}
		of := strconv.Itoa(ss[0].Firms)
		if slices.ContainsFunc(ss, func(s summary) bool { return s.Firms != ss[0].Firms }) {
			of = v(func(s summary) float64 { return float64(s.Firms) }, fix(1))
		}
		firms = "firms with output > 0: " + v(func(s summary) float64 { return float64(s.Positive) }, fix(1)) + " of " + of
	}
	return append(head,
		"unemployment: mean "+v(func(s summary) float64 { return s.UMean }, pct, " %")+", std "+v(func(s summary) float64 { return s.UStd }, pct, " %"),
		"annual inflation: mean "+v(func(s summary) float64 { return s.PiMean }, pct, " %")+", std "+v(func(s summary) float64 { return s.PiStd }, pct, " %"),
		"real wage "+v(func(s summary) float64 { return s.RealWage }, fix(3))+", productivity "+v(func(s summary) float64 { return s.Productivity }, fix(3)),
		"real wage / productivity "+v(func(s summary) float64 { return s.Ratio }, fix(3)),
		"vacancy rate: mean "+v(func(s summary) float64 { return s.Vacancy }, pct, " %"),
		"Phillips corr(u, wage inflation): "+v(func(s summary) float64 { return s.Phillips }, fix(3)),
		okunGrowthLabel+": "+v(func(s summary) float64 { return s.OkunGrowth }, fix(3)),
		okunDiffLabel+": "+v(func(s summary) float64 { return s.OkunDiff }, fix(4)),
		"Beveridge corr(u, vacancy rate): "+v(func(s summary) float64 { return s.Beveridge }, fix(3)),
		firms,
		"firm size: skewness "+v(func(s summary) float64 { return s.Skew }, fix(2))+", max/median "+v(func(s summary) float64 { return s.MaxMedian }, fix(2)),
	)
}

// fmtPeriod formats a period number.
func fmtPeriod(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }
