package experiments

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"
)

// valueColors colour an experiment's values, in order.
var valueColors = []color.Color{style.Blue, style.Orange, style.Pass, style.Fail, style.PassBar, style.WarnBar, style.UnknownBar, style.MarkLine}

// Plot draws the experiment as a grid like the book's sensitivity
// figures, to w in format (png, svg or pdf): one panel per co-movement
// variable with the mean curve over lags of every value (a colour each,
// in the legend), and a last panel with the mean unemployment and the std
// of GDP growth of each value (the entry comparison reads there) or, for
// preferential attachment, the log GDP of each value's baseline seed (the
// book's PA comparison).
func (x *ExperimentResult) Plot(w io.Writer, format string) error {
	width, height := 12*vg.Inch, 7*vg.Inch
	plots := [][]*plot.Plot{make([]*plot.Plot, 3), make([]*plot.Plot, 3)}
	for v, name := range CoVariables {
		p := plot.New()
		p.Title.Text = x.Name + ": " + name
		p.X.Label.Text = "lag k (k > 0: lags GDP)"
		p.Y.Min, p.Y.Max = -1, 1
		for i, r := range x.Results {
			var pts plotter.XYs
			for k, c := range r.CoMean[v] {
				if isFinite(c) {
					pts = append(pts, plotter.XY{X: float64(k - MaxLag), Y: c})
				}
			}
			if len(pts) < 2 {
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return err
			}
			l.Color = valueColors[i%len(valueColors)]
			if x.Labels[i] == x.Baseline {
				l.Width = vg.Points(2.5)
			}
			p.Add(l)
			if v == 0 {
				p.Legend.Add(x.Labels[i], l)
			}
		}
		// Unemployment's co-movements are negative: the legend sits in
		// the empty upper half of its panel.
		p.Legend.Top, p.Legend.Left = true, true
		p.X.Tick.Marker = style.NiceTicks{}
		plots[v/3][v%3] = p
	}
	if x.Name == "preferential_attachment" {
		gdp, err := x.gdpPaths()
		if err != nil {
			return err
		}
		plots[1][2] = gdp
	} else {
		lv, err := x.levels()
		if err != nil {
			return err
		}
		plots[1][2] = lv
	}
	return drawGrid(w, format, width, height, plots)
}

// gdpPaths is the panel of the PA comparison (book §3.10.2): log GDP of
// each variation's baseline seed over the window.
func (x *ExperimentResult) gdpPaths() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "log GDP of the baseline seed, after the burn-in"
	p.X.Label.Text = "period"
	for i, r := range x.Results {
		for _, a := range r.Seeds {
			if a.Seed != r.BaselineSeed {
				continue
			}
			var pts plotter.XYs
			for t, v := range a.LogGDP {
				if isFinite(v) {
					pts = append(pts, plotter.XY{X: float64(r.BurnIn + t + 1), Y: v})
				}
			}
			if len(pts) < 2 {
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			l.Color = valueColors[i%len(valueColors)]
			p.Add(l)
		}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = style.NiceTicks{}, style.NiceTicks{}
	return p, nil
}

// levels is the panel of each value's mean unemployment and GDP-growth
// volatility (the entry-neutrality comparison).
func (x *ExperimentResult) levels() (*plot.Plot, error) {
	lv := plot.New()
	lv.Title.Text = "mean unemployment, 10 × std of GDP growth"
	lv.X.Label.Text = "value"
	ticks := make([]plot.Tick, len(x.Labels))
	for i, label := range x.Labels {
		if _, v, ok := strings.Cut(label, "="); ok && !strings.Contains(v, "=") {
			label = v // "theta=8" reads "8" under an axis named by the title
		}
		ticks[i] = plot.Tick{Value: float64(i + 1), Label: label}
	}
	var un, gs plotter.XYs
	for i, r := range x.Results {
		if m := r.Stats["unemployment_mean"].Mean; isFinite(m) {
			un = append(un, plotter.XY{X: float64(i + 1), Y: m})
		}
		if s := r.Stats["gdp_growth_std"].Mean; isFinite(s) {
			gs = append(gs, plotter.XY{X: float64(i + 1), Y: 10 * s})
		}
	}
	for i, pts := range []plotter.XYs{un, gs} {
		if len(pts) == 0 {
			continue
		}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		c := []color.Color{style.Blue, style.Orange}[i]
		l.Color, s.Color = c, c
		lv.Add(l, s)
		lv.Legend.Add([]string{"unemployment", "10 × GDP-growth std"}[i], l, s)
	}
	lv.Legend.Top, lv.Legend.Left = true, true
	lv.X.Min, lv.X.Max = 0.5, float64(len(x.Labels))+0.5
	lv.X.Tick.Marker, lv.Y.Tick.Marker = plot.ConstantTicks(ticks), style.NiceTicks{}
	return lv, nil
}

// writeExperimentFigure writes <kind>-<name>.png of x into dir.
func writeExperimentFigure(dir, kind string, x *ExperimentResult) error {
	var b bytes.Buffer
	if err := x.Plot(&b, "png"); err != nil {
		return fmt.Errorf("robustness: drawing %s: %w", x.Name, err)
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, kind+"-"+x.Name+".png"), b.Bytes()); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	return nil
}
