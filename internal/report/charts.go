package report

// Charts of `bam stability report`: gonum/plot plots rendered to SVG
// (vgsvg) and embedded inline in the HTML page.

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation"
)

// Chart sizes.
const (
	metricChartW = 3.1 * vg.Inch
	metricChartH = 1.85 * vg.Inch
	wideChartW   = 6.2 * vg.Inch
	wideChartH   = 2.9 * vg.Inch
)

// Colour bands of the dashboard (spec §8.4): pass rate green ≥ 97 %,
// yellow ≥ 96 %, red below; mean score green ≥ 0.85, yellow ≥ 0.80.
const (
	passRateGreen  = 0.97
	passRateYellow = 0.96
	scoreGreen     = 0.85
	scoreYellow    = 0.80
)

// bandClass returns the colour class of a value against the green and
// yellow thresholds: "green", "yellow", "red", or "na" when it is NaN.
func bandClass(v, green, yellow float64) string {
	switch {
	case math.IsNaN(v):
		return "na"
	case v >= green:
		return "green"
	case v >= yellow:
		return "yellow"
	}
	return "red"
}

// bandColor is the strong colour of a band class.
func bandColor(class string) color.Color {
	switch class {
	case "green":
		return style.Pass
	case "yellow":
		return style.Warn
	case "red":
		return style.Fail
	}
	return style.UnknownBar
}

// sansFont is the report's chart font.
func sansFont(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// reportPlot returns an empty plot in the report's style: sans-serif
// text, small ticks, a light grid drawn over the plotters under.
func reportPlot(xLabel, yLabel string, under ...plot.Plotter) *plot.Plot {
	p := plot.New()
	p.Add(under...)
	p.Title.TextStyle.Font = sansFont(10)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sansFont(8.5)
		a.Label.TextStyle.Color = style.DarkText
		a.Tick.Label.Font = sansFont(8)
		a.Tick.Label.Color = style.DarkText
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(2)
		a.Color = style.AxisText
		a.Tick.Color = a.Color
		a.Tick.Marker = sparseTicks{}
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.Legend.TextStyle.Font = sansFont(8)
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = style.Grid, style.Grid
	g.Vertical.Width, g.Horizontal.Width = 0.4, 0.4
	p.Add(g)
	return p
}

// sparseTicks are niceTicks with at most five labels: the labels of every
// other major tick are dropped while there are more, for small charts.
type sparseTicks struct{}

// Ticks returns the tick marks between lo and hi.
func (sparseTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := style.NiceTicks{}.Ticks(lo, hi)
	for {
		var labelled []int
		for i, t := range ts {
			if t.Label != "" {
				labelled = append(labelled, i)
			}
		}
		if len(labelled) <= 5 {
			return ts
		}
		for k, i := range labelled {
			if k%2 == 1 {
				ts[i].Label = ""
			}
		}
	}
}

// renderSVG draws p on a w×h SVG canvas and returns the <svg> element,
// without the XML prolog, to be embedded in the page; label is its
// accessible name.
func renderSVG(p *plot.Plot, w, h vg.Length, label string) (template.HTML, error) {
	c := vgsvg.New(w, h)
	err := style.SafeDraw(func() error {
		dc := draw.New(c)
		dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: w, Y: 0}, {X: w, Y: h}, {X: 0, Y: h}})
		p.Draw(draw.Crop(dc, vg.Points(2), -vg.Points(8), vg.Points(2), -vg.Points(4)))
		return nil
	})
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	// Liberation Sans has the metrics of Arial and Helvetica: a browser
	// without it lays the text out the same with those.
	s = strings.ReplaceAll(s, "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	s = strings.Replace(s, "<svg ", `<svg class="chart" role="img" aria-label="`+html.EscapeString(label)+`" `, 1)
	// Text passed to the canvas is escaped by vgsvg (html.EscapeString);
	// everything else in s is generated here.
	return template.HTML(s), nil
}

// rect is a filled rectangle in data coordinates.
type rect struct {
	x0, x1, y0, y1 float64
	fill           color.Color
}

// rects draws filled rectangles with a thin white outline (histogram
// and bar-chart bars).
type rects []rect

// Plot implements plot.Plotter.
func (rs rects) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	outline := draw.LineStyle{Color: style.White, Width: vg.Points(0.5)}
	for _, r := range rs {
		if !(r.x1 > r.x0) || !(r.y1 > r.y0) {
			continue
		}
		pts := []vg.Point{
			{X: trX(r.x0), Y: trY(r.y0)}, {X: trX(r.x1), Y: trY(r.y0)},
			{X: trX(r.x1), Y: trY(r.y1)}, {X: trX(r.x0), Y: trY(r.y1)},
		}
		c.FillPolygon(r.fill, c.ClipPolygonXY(pts))
		c.StrokeLines(outline, c.ClipLinesXY(append(pts, pts[0]))...)
	}
}

// DataRange implements plot.DataRanger.
func (rs rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range rs {
		xmin, xmax = min(xmin, r.x0), max(xmax, r.x1)
		ymin, ymax = min(ymin, r.y0), max(ymax, r.y1)
	}
	return xmin, xmax, ymin, ymax
}

// refLine is a dashed line across the data area at x = v (vertical) or
// y = v, without changing the axis ranges.
type refLine struct {
	v        float64
	vertical bool
	color    color.Color
}

// Plot implements plot.Plotter.
func (l refLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	st := draw.LineStyle{Color: l.color, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	var pts []vg.Point
	if l.vertical {
		x := trX(l.v)
		if x < c.Min.X || x > c.Max.X {
			return
		}
		pts = []vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}}
	} else {
		y := trY(l.v)
		if y < c.Min.Y || y > c.Max.Y {
			return
		}
		pts = []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}}
	}
	c.StrokeLines(st, pts)
}

// errBar is a horizontal (along x) or vertical error bar with caps from
// lo to hi at the other coordinate at.
type errBar struct {
	lo, hi, at float64
	vertical   bool
	color      color.Color
}

// Plot implements plot.Plotter.
func (e errBar) Plot(c draw.Canvas, p *plot.Plot) {
	if !style.Finite(e.lo) || !style.Finite(e.hi) {
		return
	}
	trX, trY := p.Transforms(&c)
	st := draw.LineStyle{Color: e.color, Width: vg.Points(1.2)}
	cw := vg.Points(3)
	if e.vertical {
		x, y0, y1 := trX(e.at), trY(e.lo), trY(e.hi)
		c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x, Y: y0}, {X: x, Y: y1}})...)
		for _, y := range []vg.Length{y0, y1} {
			c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x - cw, Y: y}, {X: x + cw, Y: y}})...)
		}
		return
	}
	y, x0, x1 := trY(e.at), trX(e.lo), trX(e.hi)
	c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x0, Y: y}, {X: x1, Y: y}})...)
	for _, x := range []vg.Length{x0, x1} {
		c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x, Y: y - cw}, {X: x, Y: y + cw}})...)
	}
}

// DataRange implements plot.DataRanger.
func (e errBar) DataRange() (xmin, xmax, ymin, ymax float64) {
	if e.vertical {
		return e.at, e.at, e.lo, e.hi
	}
	return e.lo, e.hi, e.at, e.at
}

// labelStyle is the text style of value labels in charts.
func labelStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color: c, Font: sansFont(size), XAlign: draw.XCenter, YAlign: draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// passRateChart draws the pass rate (%) of the latest run of each
// scenario as bars from 0 % coloured by the pass-rate band.
func passRateChart(runs []*reportRun) (template.HTML, error) {
	p, err := passRatePlot(runs)
	if err != nil {
		return "", err
	}
	w := min(wideChartW, vg.Inch*(1.6+1.3*vg.Length(len(runs))))
	return renderSVG(p, w, wideChartH, "pass rate by scenario")
}

// passRatePlot is the plot of passRateChart.
func passRatePlot(runs []*reportRun) (*plot.Plot, error) {
	// From 0 %: the bars' heights are the pass rates.
	const yMin = 0.0
	p := reportPlot("", "pass rate (%)", passRateZones(yMin)...)
	var bars rects
	var ticks []plot.Tick
	var lx, ly []float64
	var labels []string
	for i, r := range runs {
		x := float64(i)
		ticks = append(ticks, plot.Tick{Value: x, Label: r.Scenario})
		if !style.Finite(r.PassRate) {
			continue
		}
		v := 100 * r.PassRate
		bars = append(bars, rect{x - 0.32, x + 0.32, yMin, v, bandColor(bandClass(r.PassRate, passRateGreen, passRateYellow))})
		lx, ly = append(lx, x), append(ly, v)
		labels = append(labels, style.Fixed(v, 1)+" %")
	}
	p.Add(bars)
	if len(labels) > 0 {
		l, err := valueLabels(lx, ly, labels)
		if err != nil {
			return nil, err
		}
		p.Add(l)
	}
	p.Add(refLine{v: 100 * stability.DefaultGate, color: style.MarkLine})
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Label.Font = sansFont(9)
	p.X.Min, p.X.Max = -0.6, float64(len(runs))-0.4
	p.Y.Min, p.Y.Max = yMin, 100+0.12*(100-yMin)
	return p, nil
}

// valueLabels returns labels centred just above the points (xs[i], ys[i]).
func valueLabels(xs, ys []float64, labels []string) (*plotter.Labels, error) {
	xys := make(plotter.XYs, len(xs))
	for i := range xs {
		xys[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = labelStyle(8.5, style.DarkText)
	}
	l.Offset = vg.Point{Y: vg.Points(2)}
	return l, nil
}

// passRateZones shades the pass-rate bands (in %) from yMin up.
func passRateZones(yMin float64) []plot.Plotter {
	return []plot.Plotter{
		style.HShade{Y0: yMin, Y1: 100 * passRateYellow, Color: style.FailTint},
		style.HShade{Y0: 100 * passRateYellow, Y1: 100 * passRateGreen, Color: style.WarnTint},
		style.HShade{Y0: 100 * passRateGreen, Y1: 1e9, Color: style.PassTint},
	}
}

// scoreZones shades the score bands from lo to hi along x (vertical
// bands) or y.
func scoreZones(vertical bool) []plot.Plotter {
	if vertical {
		return []plot.Plotter{
			style.Shade{X0: -1e9, X1: scoreYellow, Color: style.FailTint}, style.Shade{X0: scoreYellow, X1: scoreGreen, Color: style.WarnTint}, style.Shade{X0: scoreGreen, X1: 1e9, Color: style.PassTint},
		}
	}
	return []plot.Plotter{
		style.HShade{Y0: -1e9, Y1: scoreYellow, Color: style.FailTint}, style.HShade{Y0: scoreYellow, Y1: scoreGreen, Color: style.WarnTint}, style.HShade{Y0: scoreGreen, Y1: 1e9, Color: style.PassTint},
	}
}

// runLabelShort labels a run on a history axis: its tag or short commit
// (+ for a dirty tree), and the date (with the time when withTime).
func runLabelShort(r *reportRun, withTime bool) string {
	l := r.Meta.Tag
	if l == "" {
		l = r.Meta.CommitShort
	}
	if l == "" {
		l = fmt.Sprintf("file %d", r.Order+1)
	}
	if r.Meta.Dirty != nil && *r.Meta.Dirty {
		l += "+"
	}
	if !r.Meta.Time.IsZero() {
		layout := "2006-01-02"
		if withTime {
			layout = "2006-01-02 15:04"
		}
		l += "\n" + r.Meta.Time.Format(layout)
	}
	return l
}

// runLabels labels the runs on a history axis, with the time of day when
// the dates alone would repeat a label.
func runLabels(runs []*reportRun) []string {
	labels := make([]string, len(runs))
	seen := map[string]bool{}
	dup := false
	for i, r := range runs {
		labels[i] = runLabelShort(r, false)
		dup = dup || seen[labels[i]]
		seen[labels[i]] = true
	}
	if dup {
		for i, r := range runs {
			labels[i] = runLabelShort(r, true)
		}
	}
	return labels
}

// historyChart draws the pass rate (score false, on an axis from 0 %) or
// the mean score ± std (score true) of the runs of one scenario, in time
// order.
func historyChart(runs []*reportRun, score bool) (template.HTML, error) {
	p, err := historyPlot(runs, score)
	if err != nil {
		return "", err
	}
	title := "pass rate"
	if score {
		title = "mean score"
	}
	return renderSVG(p, wideChartW, wideChartH, title+" across runs")
}

// historyPlot is the plot of historyChart.
func historyPlot(runs []*reportRun, score bool) (*plot.Plot, error) {
	var ticks []plot.Tick
	var pts plotter.XYs
	var bars []plot.Plotter
	lo, hi := math.Inf(1), math.Inf(-1)
	labels := runLabels(runs)
	for i, r := range runs {
		x := float64(i)
		ticks = append(ticks, plot.Tick{Value: x, Label: labels[i]})
		v := 100 * r.PassRate
		if score {
			v = r.MeanScore
		}
		if !style.Finite(v) {
			continue
		}
		pts = append(pts, plotter.XY{X: x, Y: v})
		lo, hi = min(lo, v), max(hi, v)
		if score && style.Finite(r.StdScore) {
			bars = append(bars, errBar{lo: v - r.StdScore, hi: v + r.StdScore, at: x, vertical: true, color: style.PassBar})
			lo, hi = min(lo, v-r.StdScore), max(hi, v+r.StdScore)
		}
	}
	var under []plot.Plotter
	yLabel := "pass rate (%)"
	if score {
		yLabel = "mean score ± std"
		under = scoreZones(false)
	} else {
		under = passRateZones(-1e9)
	}
	p := reportPlot("", yLabel, under...)
	p.Add(bars...)
	if len(pts) > 0 {
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = style.PassBar, vg.Points(1.3)
		s.Shape, s.Color, s.Radius = draw.CircleGlyph{}, style.PassBar, vg.Points(2.8)
		p.Add(l, s)
	}
	if score {
		lo, hi = math.Min(lo, scoreYellow-0.01), math.Max(hi, scoreGreen+0.01)
		pad := 0.1 * (hi - lo)
		p.Y.Min, p.Y.Max = lo-pad, math.Min(1, hi+pad)
	} else {
		// From 0 %, as the overview's bars.
		p.Y.Min, p.Y.Max = 0, 105
		p.Add(refLine{v: 100 * stability.DefaultGate, color: style.MarkLine})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.4, float64(len(runs))-0.6
	return p, nil
}

// histogram counts values into k equal bins over [lo, hi], split by the
// category cat[i] of each value (0 … len(colors)−1), and returns stacked
// bars.
func histogram(vals []float64, cat []int, colors []color.Color, lo, hi float64, k int) (rects, float64) {
	if len(vals) == 0 {
		return nil, 0
	}
	width := (hi - lo) / float64(k)
	counts := make([][]int, k)
	for i := range counts {
		counts[i] = make([]int, len(colors))
	}
	for i, v := range vals {
		b := int((v - lo) / width)
		b = max(0, min(k-1, b))
		counts[b][cat[i]]++
	}
	var rs rects
	top := 0.0
	for b := range counts {
		x0 := lo + float64(b)*width
		y := 0.0
		for c, n := range counts[b] {
			if n == 0 {
				continue
			}
			rs = append(rs, rect{x0, x0 + width, y, y + float64(n), colors[c]})
			y += float64(n)
		}
		top = max(top, y)
	}
	return rs, top
}

// binCount is the number of histogram bins for n values: √n within
// [6, 30].
func binCount(n int) int { return max(6, min(30, int(math.Ceil(math.Sqrt(float64(n)))))) }

// histRange returns the binning range of values from lo to hi: the range
// itself, or a narrow one around a single value.
func histRange(lo, hi, axisW float64) (float64, float64, int) {
	if hi > lo {
		return lo, hi, 0
	}
	w := axisW / 40
	if !(w > 0) {
		w = math.Max(math.Abs(lo)*0.01, 1e-9)
	}
	return lo - w/2, hi + w/2, 1
}

// scoreChart draws the histogram of the seeds' total scores over the
// score bands, with the mean marked.
func scoreChart(r *reportRun) (template.HTML, error) {
	var vals []float64
	for _, s := range r.Seeds {
		if !s.NotEvaluable && style.Finite(s.Score) {
			vals = append(vals, s.Score)
		}
	}
	if len(vals) == 0 {
		return "", nil
	}
	dlo, dhi := stats.Min(vals), stats.Max(vals)
	w := dhi - dlo
	if w == 0 {
		w = 0.02
	}
	axLo, axHi := dlo-0.15*w, dhi+0.15*w
	blo, bhi, k := histRange(dlo, dhi, axHi-axLo)
	if k == 0 {
		k = binCount(len(vals))
	}
	cat := make([]int, len(vals))
	bars, top := histogram(vals, cat, []color.Color{style.PassBar}, blo, bhi, k)
	p := reportPlot("total score", "seeds", scoreZones(true)...)
	p.Add(bars)
	if m := stats.Mean(vals); style.Finite(m) {
		p.Add(refLine{v: m, vertical: true, color: style.MarkLine})
	}
	p.X.Min, p.X.Max = axLo, axHi
	p.Y.Min, p.Y.Max = 0, top*1.08
	return renderSVG(p, wideChartW, wideChartH, "score distribution of "+r.Scenario)
}

// statusRegion is an x-range with one status of a metric's check.
type statusRegion struct {
	x0, x1 float64
	status validation.Status
}

// statusRegions returns the PASS, WARN and FAIL ranges of def's check
// over [lo, hi]: the status is evaluated between consecutive boundaries
// of the check (spec §4.3), so the edges are exact.
func statusRegions(def *validation.Metric, lo, hi float64) []statusRegion {
	t := &def.Target
	m := validation.Escalation(def.Weight)
	r := t.Max - t.Min
	cuts := []float64{
		lo, hi,
		t.Target, t.Target - t.Tolerance, t.Target + t.Tolerance,
		t.Target - 2*m*t.Tolerance, t.Target + 2*m*t.Tolerance,
		t.Target - 2*t.Tolerance, t.Target + 2*t.Tolerance,
		t.Min, t.Max, t.Min - 0.5*m*r, t.Max + 0.5*m*r,
		math.Max(0, t.Min-(t.Target-t.Min)*(m-1)),
		t.MaxOutlier, 2 * m * t.MaxOutlier, t.Threshold,
	}
	var xs []float64
	for _, c := range cuts {
		if style.Finite(c) && c >= lo && c <= hi {
			xs = append(xs, c)
		}
	}
	slices.Sort(xs)
	var out []statusRegion
	for i := 0; i+1 < len(xs); i++ {
		a, b := xs[i], xs[i+1]
		if !(b > a) {
			continue
		}
		st, _ := def.Evaluate((a + b) / 2)
		if n := len(out); n > 0 && out[n-1].status == st && out[n-1].x1 == a {
			out[n-1].x1 = b
			continue
		}
		out = append(out, statusRegion{a, b, st})
	}
	return out
}

// passEdges returns the edges of the PASS ranges of def that are finite
// boundaries of the check, within [lo, hi].
func passEdges(def *validation.Metric, lo, hi float64) []float64 {
	var out []float64
	for _, rg := range statusRegions(def, lo, hi) {
		if rg.status != validation.Pass {
			continue
		}
		if rg.x0 > lo {
			out = append(out, rg.x0)
		}
		if rg.x1 < hi {
			out = append(out, rg.x1)
		}
	}
	return out
}

// metricAxis returns the x-range of a metric chart showing the data range
// [dlo, dhi] and, when def is known, the edges of the PASS band that lie
// within twice the data's width of it.
func metricAxis(dlo, dhi float64, def *validation.Metric) (float64, float64) {
	w := dhi - dlo
	if !(w > 0) {
		w = math.Max(math.Abs(dlo)*0.1, 1e-3)
		if def != nil {
			if e := passEdges(def, dlo-1e6, dhi+1e6); len(e) > 0 {
				near := math.Inf(1)
				for _, x := range e {
					near = math.Min(near, math.Abs(x-dlo))
				}
				if near > 0 && near < 10*w {
					w = math.Max(near/1.5, w*0.2)
				}
			}
		}
	}
	lo, hi := dlo, dhi
	if def != nil {
		for _, x := range passEdges(def, dlo-2*w, dhi+2*w) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	pad := 0.08 * math.Max(hi-lo, w)
	return lo - pad, hi + pad
}

// regionTint is the shading of a status region.
func regionTint(st validation.Status) color.Color {
	switch st {
	case validation.Pass:
		return style.PassTint
	case validation.Warn:
		return style.WarnTint
	}
	return style.FailTint
}

// statusCategory maps a status string to a histogram category: 0 PASS,
// 1 WARN, 2 FAIL, 3 unknown.
func statusCategory(s string) int {
	switch s {
	case "PASS":
		return 0
	case "WARN":
		return 1
	case "FAIL":
		return 2
	}
	return 3
}

// statusColors are the bar colours of the categories of statusCategory.
var statusColors = []color.Color{style.PassBar, style.WarnBar, style.Fail, style.UnknownBar}

// metricValues returns the finite per-seed values of metric m in r, their
// status categories, and the number of seeds whose value is not finite.
func metricValues(r *reportRun, m *reportMetric) (vals []float64, cats []int, nonFinite int) {
	for _, s := range r.Seeds {
		sm, ok := s.Metrics[m.Name]
		if !ok {
			continue
		}
		if !style.Finite(sm.Value) {
			nonFinite++
			continue
		}
		st := sm.Status
		if st == "" && m.Def != nil {
			s, _ := m.Def.Evaluate(sm.Value)
			st = s.String()
		}
		vals = append(vals, sm.Value)
		cats = append(cats, statusCategory(st))
	}
	return vals, cats, nonFinite
}

// metricChart draws one metric against its target band: the histogram of
// its per-seed values stacked by status when the run has them, else its
// mean ± std. The band (PASS green, WARN yellow, FAIL red) is shaded when
// the metric's definition is known.
func metricChart(r *reportRun, m *reportMetric, vals []float64, cats []int) (template.HTML, error) {
	hist := len(vals) > 0
	var dlo, dhi float64
	switch {
	case hist:
		dlo, dhi = stats.Min(vals), stats.Max(vals)
	case style.Finite(m.MeanValue):
		sd := m.StdValue
		if !style.Finite(sd) {
			sd = 0
		}
		dlo, dhi = m.MeanValue-sd, m.MeanValue+sd
	default:
		return "", nil
	}
	axLo, axHi := metricAxis(dlo, dhi, m.Def)
	var under []plot.Plotter
	if m.Def != nil {
		for _, rg := range statusRegions(m.Def, axLo, axHi) {
			under = append(under, style.Shade{X0: rg.x0, X1: rg.x1, Color: regionTint(rg.status)})
		}
	}
	yLabel := "seeds"
	if !hist {
		yLabel = ""
	}
	p := reportPlot("", yLabel, under...)
	if hist {
		blo, bhi, k := histRange(dlo, dhi, axHi-axLo)
		if k == 0 {
			k = binCount(len(vals))
		}
		bars, top := histogram(vals, cats, statusColors, blo, bhi, k)
		p.Add(bars)
		p.Y.Min, p.Y.Max = 0, top*1.1
	} else {
		p.Add(errBar{lo: dlo, hi: dhi, at: 0.5, color: style.PassBar})
		s, err := plotter.NewScatter(plotter.XYs{{X: m.MeanValue, Y: 0.5}})
		if err != nil {
			return "", err
		}
		s.Shape, s.Color, s.Radius = draw.CircleGlyph{}, style.PassBar, vg.Points(3.2)
		p.Add(s)
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = plot.ConstantTicks{}
		p.Y.Tick.Length = 0
		p.Y.Label.Text = "mean ± std"
	}
	p.X.Min, p.X.Max = axLo, axHi
	return renderSVG(p, metricChartW, metricChartH, m.Name+" across seeds")
}
