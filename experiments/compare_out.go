package experiments

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"
)

// The files a comparison writes besides the sweep's.
const (
	CompareCSV        = "compare.csv"
	ComparePeriodsCSV = "compare_periods.csv"
)

// Write writes the comparison's tables into dir: compare.csv (one row per
// series: the arms' post-burn-in means, the paired difference with its
// 95 % interval, t and p) and compare_periods.csv (one row per series and
// period: each arm's mean and band, and the difference's), atomically.
func (c *Comparison) Write(dir string) error {
	sum := &table{n: len(c.Series)}
	name := sum.add("series", kString)
	cols := map[string]*column{}
	for _, n := range []string{"baseline_mean", "treatment_mean", "diff_mean", "diff_ci95_lo", "diff_ci95_hi", "t", "p"} {
		cols[n] = sum.add(n, kFloat)
	}
	nSeeds := sum.add("n_seeds", kInt)
	for _, s := range c.Series {
		name.s = append(name.s, s.Name)
		for n, v := range map[string]float64{"baseline_mean": s.BaselineMean, "treatment_mean": s.TreatmentMean,
			"diff_mean": s.DiffMean, "diff_ci95_lo": s.DiffLo, "diff_ci95_hi": s.DiffHi, "t": s.T, "p": s.P} {
			cols[n].f = append(cols[n].f, v)
		}
		nSeeds.i = append(nSeeds.i, int64(c.NSeeds))
	}
	per := &table{n: len(c.Series) * c.Periods}
	pname, period := per.add("series", kString), per.add("period", kInt)
	var bands []*column
	for _, arm := range []string{"baseline", "treatment", "diff"} {
		for _, st := range []string{"_mean", "_ci95_lo", "_ci95_hi"} {
			bands = append(bands, per.add(arm+st, kFloat))
		}
	}
	for _, s := range c.Series {
		for t := range c.Periods {
			pname.s = append(pname.s, s.Name)
			period.i = append(period.i, int64(t+1))
			for i, b := range []*Band{&s.Baseline, &s.Treatment, &s.Diff} {
				bands[3*i].f = append(bands[3*i].f, b.Mean[t])
				bands[3*i+1].f = append(bands[3*i+1].f, b.Lo[t])
				bands[3*i+2].f = append(bands[3*i+2].f, b.Hi[t])
			}
		}
	}
	for f, t := range map[string]*table{CompareCSV: sum, ComparePeriodsCSV: per} {
		var b bytes.Buffer
		if err := t.writeCSV(&b); err != nil {
			return err
		}
		if err := stability.WriteFileAtomic(filepath.Join(dir, f), b.Bytes()); err != nil {
			return fmt.Errorf("compare: %w", err)
		}
	}
	return nil
}

// Plot draws the comparison to w in format (png, svg or pdf): one row per
// series, the two arms' per-period means with their 95 % bands on the
// left (baseline blue, treatment orange), the paired difference with its
// band and zero on the right; the burn-in is shaded.
func (c *Comparison) Plot(w io.Writer, format string, width, height vg.Length) error {
	rows := len(c.Series)
	if width == 0 || height == 0 {
		width, height = 10*vg.Inch, vg.Length(rows)*2.6*vg.Inch
	}
	plots := make([][]*plot.Plot, rows)
	for i, s := range c.Series {
		lv, df := plot.New(), plot.New()
		lv.Title.Text = fmt.Sprintf("%s: baseline (blue), treatment (orange), 95 %% bands", s.Name)
		df.Title.Text = fmt.Sprintf("treatment − baseline: %s (95 %% CI %s … %s, p = %s)",
			style.Value(s.DiffMean), style.Value(s.DiffLo), style.Value(s.DiffHi), style.Value(s.P))
		for _, p := range []*plot.Plot{lv, df} {
			p.X.Label.Text = "period"
			p.X.Tick.Marker, p.Y.Tick.Marker = style.NiceTicks{}, style.NiceTicks{}
			p.Add(style.Shade{X0: 0, X1: float64(c.BurnIn), Color: style.BurnIn})
		}
		if err := addBand(lv, &s.Baseline, style.Blue); err != nil {
			return err
		}
		if err := addBand(lv, &s.Treatment, style.Orange); err != nil {
			return err
		}
		if err := addBand(df, &s.Diff, style.MarkLine); err != nil {
			return err
		}
		zero := plotter.NewFunction(func(float64) float64 { return 0 })
		zero.Color, zero.Dashes = style.Fail, []vg.Length{vg.Points(3), vg.Points(3)}
		df.Add(zero)
		plots[i] = []*plot.Plot{lv, df}
	}
	return drawGrid(w, format, width, height, plots)
}

// addBand draws a per-period band (periods 1, 2, …): its mean line and its
// interval as a light polygon.
func addBand(p *plot.Plot, b *Band, col color.Color) error {
	xs := make([]float64, len(b.Mean))
	for t := range xs {
		xs[t] = float64(t + 1)
	}
	return addBandAt(p, xs, b, col)
}

// addBandAt draws a band at the abscissae xs.
func addBandAt(p *plot.Plot, xs []float64, b *Band, col color.Color) error {
	var line, lo, hi plotter.XYs
	for t := range b.Mean {
		x := xs[t]
		if isFinite(b.Mean[t]) {
			line = append(line, plotter.XY{X: x, Y: b.Mean[t]})
		}
		if isFinite(b.Lo[t]) && isFinite(b.Hi[t]) {
			lo = append(lo, plotter.XY{X: x, Y: b.Lo[t]})
			hi = append(hi, plotter.XY{X: x, Y: b.Hi[t]})
		}
	}
	if len(lo) > 1 {
		for i, j := 0, len(hi)-1; i < j; i, j = i+1, j-1 {
			hi[i], hi[j] = hi[j], hi[i]
		}
		poly, err := plotter.NewPolygon(append(lo, hi...))
		if err != nil {
			return err
		}
		r, g, bl, _ := col.RGBA()
		poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 60}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	if len(line) > 1 {
		l, err := plotter.NewLine(line)
		if err != nil {
			return err
		}
		l.Color = col
		p.Add(l)
	}
	return nil
}
