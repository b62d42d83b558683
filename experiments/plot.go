package experiments

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/bam-abm/bam/internal/style"
)

// Aggregate is a sweep's aggregate table as read back from its folder:
// one row per configuration.
type Aggregate struct {
	// Design is the sweep's design (from sweep.json).
	Design *Design
	// Columns holds every numeric column by name (n_seeds, collapse_rate,
	// gate_unemployment_mean, …), one value per configuration.
	Columns map[string][]float64
	// Metrics lists the metrics with a _mean column, in table order.
	Metrics []string
}

// ReadAggregate reads sweep.json and aggregate.csv of a finished sweep's
// folder.
func ReadAggregate(dir string) (*Aggregate, error) {
	b, err := os.ReadFile(filepath.Join(dir, SweepJSON))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: no finished sweep here (%v)", ErrUnusable, dir, err)
	}
	var doc document
	if err := json.Unmarshal(b, &doc); err != nil || doc.Format != SweepFormat || doc.Design == nil {
		return nil, fmt.Errorf("%w: %s is not a bam sweep's sweep.json", ErrUnusable, filepath.Join(dir, SweepJSON))
	}
	f, err := os.Open(filepath.Join(dir, AggregateCSV))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnusable, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != doc.Design.Len()+1 {
		return nil, fmt.Errorf("%w: %s: not the aggregate table of its sweep.json", ErrUnusable, filepath.Join(dir, AggregateCSV))
	}
	a := &Aggregate{Design: doc.Design, Columns: map[string][]float64{}}
	for j, name := range rows[0] {
		if j < len(doc.Design.Params) {
			continue
		}
		col := make([]float64, len(rows)-1)
		for i, r := range rows[1:] {
			if col[i], err = strconv.ParseFloat(r[j], 64); err != nil {
				return nil, fmt.Errorf("%w: %s: row %d, %s: %q is not a number", ErrUnusable, AggregateCSV, i+2, name, r[j])
			}
		}
		a.Columns[name] = col
		if m, ok := strings.CutSuffix(name, "_mean"); ok {
			a.Metrics = append(a.Metrics, m)
		}
	}
	return a, nil
}

// PlotOptions are the choices of PlotSweep.
type PlotOptions struct {
	// Metric is the summary drawn (a name of Aggregate.Metrics, such as
	// gate_unemployment or unemployment_rate_std; collapse_rate also).
	Metric string
	// X is the parameter along the x axis; Y, if set, a second one: the
	// figure is then a heat map of the metric's mean.
	X, Y string
	// Width and Height are the figure's size (0: 6 × 4 inches).
	Width, Height vg.Length
}

// PlotSweep draws a sweep's aggregate to w in format ("png", "svg" or
// "pdf"; see PlotFormat). Against one parameter it draws the
// metric's mean over seeds with its 95 % confidence band, one line per
// combination of the other parameters; against two, a heat map of the mean
// (the design may then have no other parameter with several values).
// Configurations whose mean is not finite are left out (a heat-map cell
// stays blank) and the title says how many.
func PlotSweep(w io.Writer, format string, a *Aggregate, o PlotOptions) error {
	x := slices.Index(a.Design.Params, o.X)
	if x < 0 {
		return designError("--x %s: not a parameter of the sweep (it varies %s)", o.X, strings.Join(a.Design.Params, ", "))
	}
	mean, lo, hi := a.Columns[o.Metric+"_mean"], a.Columns[o.Metric+"_ci95_lo"], a.Columns[o.Metric+"_ci95_hi"]
	if o.Metric == "collapse_rate" {
		mean = a.Columns["collapse_rate"]
	}
	if mean == nil {
		return designError("--metric %s: not a metric of the sweep (for example gate_unemployment, gdp_mean, collapse_rate)", o.Metric)
	}
	if !a.numeric(x) {
		return designError("--x %s: its values are not numbers", o.X)
	}
	width, height := o.Width, o.Height
	if width == 0 || height == 0 {
		width, height = 6*vg.Inch, 4*vg.Inch
	}
	p := plot.New()
	p.X.Label.Text = o.X
	if o.Y == "" {
		p.Y.Label.Text = o.Metric
		p.Title.Text = o.Metric + ": mean over seeds and 95 % interval"
		skipped, err := a.lines(p, x, mean, lo, hi)
		if err != nil {
			return err
		}
		if skipped > 0 {
			p.Title.Text += fmt.Sprintf(" (%d configurations without a finite mean left out)", skipped)
		}
	} else {
		y := slices.Index(a.Design.Params, o.Y)
		if y < 0 || y == x {
			return designError("--y %s: not another parameter of the sweep (it varies %s)", o.Y, strings.Join(a.Design.Params, ", "))
		}
		if !a.numeric(y) {
			return designError("--y %s: its values are not numbers", o.Y)
		}
		p.Y.Label.Text = o.Y
		p.Title.Text = o.Metric + ": mean over seeds"
		if err := a.heatMap(p, x, y, mean); err != nil {
			return err
		}
	}
	p.X.Tick.Marker = style.NiceTicks{}
	p.Y.Tick.Marker = style.NiceTicks{}
	return style.SafeDraw(func() error {
		wt, err := p.WriterTo(width, height, format)
		if err != nil {
			return err
		}
		_, err = wt.WriteTo(w)
		return err
	})
}

// PlotFormat returns the format of a figure file from its extension: png,
// svg or pdf; false for any other. (gonum/plot's EPS starts with "%%!PS",
// which is not an EPS header, so EPS is not offered.)
func PlotFormat(path string) (string, bool) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	return ext, slices.Contains([]string{"png", "svg", "pdf"}, ext)
}

// numeric reports whether every value of parameter j is a number.
func (a *Aggregate) numeric(j int) bool {
	for _, c := range a.Design.Configs {
		if _, err := strconv.ParseFloat(c[j], 64); err != nil {
			return false
		}
	}
	return true
}

// value returns parameter j of configuration i as a number.
func (a *Aggregate) value(i, j int) float64 {
	v, _ := strconv.ParseFloat(a.Design.Configs[i][j], 64)
	return v
}

// lines adds one line (and band) per combination of the parameters other
// than x, and returns the number of configurations left out.
func (a *Aggregate) lines(p *plot.Plot, x int, mean, lo, hi []float64) (int, error) {
	groups := map[string][]int{}
	var keys []string
	for i, c := range a.Design.Configs {
		var parts []string
		for j, v := range c {
			if j != x {
				parts = append(parts, a.Design.Params[j]+"="+v)
			}
		}
		k := strings.Join(parts, ", ")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	colors := []color.Color{style.Blue, style.Orange, style.Pass, style.Fail, style.PassBar, style.WarnBar, style.UnknownBar, style.MarkLine}
	skipped := 0
	for g, k := range keys {
		idx := groups[k]
		slices.SortFunc(idx, func(i, j int) int { return cmpFloat(a.value(i, x), a.value(j, x)) })
		var line, band plotter.XYs
		var upper plotter.XYs
		for _, i := range idx {
			if !isFinite(mean[i]) {
				skipped++
				continue
			}
			line = append(line, plotter.XY{X: a.value(i, x), Y: mean[i]})
			if lo != nil && isFinite(lo[i]) && isFinite(hi[i]) {
				band = append(band, plotter.XY{X: a.value(i, x), Y: lo[i]})
				upper = append(upper, plotter.XY{X: a.value(i, x), Y: hi[i]})
			}
		}
		col := colors[g%len(colors)]
		if len(band) > 1 {
			slices.Reverse(upper)
			poly, err := plotter.NewPolygon(append(band, upper...))
			if err != nil {
				return 0, err
			}
			r, gg, b, _ := col.RGBA()
			poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(gg >> 8), B: uint8(b >> 8), A: 50}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		if len(line) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(line)
		if err != nil {
			return 0, err
		}
		l.Color, pts.Color = col, col
		p.Add(l, pts)
		if k != "" {
			p.Legend.Add(k, l, pts)
		}
	}
	p.Legend.Top = true
	return skipped, nil
}

// cmpFloat orders numbers.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// grid is the heat map's grid: the sorted values of the two parameters
// and the metric at each cell (NaN where no configuration has it).
type grid struct {
	xs, ys []float64
	z      [][]float64 // z[c][r]: column c (x), row r (y)
}

func (g *grid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g *grid) Z(c, r int) float64 { return g.z[c][r] }
func (g *grid) X(c int) float64    { return g.xs[c] }
func (g *grid) Y(r int) float64    { return g.ys[r] }

// heatMap adds the heat map of mean over parameters x and y.
func (a *Aggregate) heatMap(p *plot.Plot, x, y int, mean []float64) error {
	for j, name := range a.Design.Params {
		if j == x || j == y {
			continue
		}
		first := a.Design.Configs[0][j]
		for _, c := range a.Design.Configs {
			if c[j] != first {
				return designError("a heat map of %s and %s: %s varies too; plot it against one parameter, or sweep only these two", a.Design.Params[x], a.Design.Params[y], name)
			}
		}
	}
	g := &grid{}
	for i := range a.Design.Configs {
		g.xs = append(g.xs, a.value(i, x))
		g.ys = append(g.ys, a.value(i, y))
	}
	slices.Sort(g.xs)
	slices.Sort(g.ys)
	g.xs, g.ys = slices.Compact(g.xs), slices.Compact(g.ys)
	if len(g.xs) < 2 || len(g.ys) < 2 {
		return designError("a heat map of %s and %s needs at least two values of each", a.Design.Params[x], a.Design.Params[y])
	}
	g.z = make([][]float64, len(g.xs))
	for c := range g.z {
		g.z[c] = make([]float64, len(g.ys))
		for r := range g.z[c] {
			g.z[c][r] = math.NaN()
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range a.Design.Configs {
		c, _ := slices.BinarySearch(g.xs, a.value(i, x))
		r, _ := slices.BinarySearch(g.ys, a.value(i, y))
		g.z[c][r] = mean[i]
		if isFinite(mean[i]) {
			lo, hi = math.Min(lo, mean[i]), math.Max(hi, mean[i])
		}
	}
	if !(lo <= hi) {
		return designError("no configuration has a finite mean to draw")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	pal := moreland.SmoothBlueRed()
	pal.SetMin(lo)
	pal.SetMax(hi)
	hm := plotter.NewHeatMap(g, pal.Palette(64))
	hm.NaN = color.Transparent
	p.Add(hm)
	p.Title.Text += fmt.Sprintf(" (blue %s … red %s)", style.Value(lo), style.Value(hi))
	return nil
}
