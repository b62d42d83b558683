package calibration

// The figures of the calibration report: gonum/plot plots in the style of
// the stability report (report.NewPlot), embedded as inline SVG
// (report.RenderSVG).

import (
	"fmt"
	"html/template"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/bam-abm/bam/internal/report"
	"github.com/bam-abm/bam/internal/style"
)

// Chart sizes.
const (
	scatterW, scatterH = 8.6 * vg.Inch, 4.6 * vg.Inch
	smallW, smallH     = 3.1 * vg.Inch, 1.85 * vg.Inch
	wideW, wideH       = 6 * vg.Inch, 3 * vg.Inch
)

// sans is the charts' font.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// labelText is the style of text drawn in a chart.
func labelText(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: sans(size), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
}

// guide is a dashed line across the data area at x = v (vertical) or
// y = v, without changing the axis ranges.
type guide struct {
	v        float64
	vertical bool
	color    color.Color
}

// Plot implements plot.Plotter.
func (g guide) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	st := draw.LineStyle{Color: g.color, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	if g.vertical {
		if x := trX(g.v); x >= c.Min.X && x <= c.Max.X {
			c.StrokeLines(st, []vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})
		}
		return
	}
	if y := trY(g.v); y >= c.Min.Y && y <= c.Max.Y {
		c.StrokeLines(st, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})
	}
}

// box fills the data rectangle [x0, x1] × [y0, y1], clipped to the data
// area, without changing the axis ranges.
type box struct {
	x0, x1, y0, y1 float64
	color          color.Color
}

// Plot implements plot.Plotter.
func (b box) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := []vg.Point{{X: trX(b.x0), Y: trY(b.y0)}, {X: trX(b.x1), Y: trY(b.y0)}, {X: trX(b.x1), Y: trY(b.y1)}, {X: trX(b.x0), Y: trY(b.y1)}}
	c.FillPolygon(b.color, c.ClipPolygonXY(pts))
}

// labelBackground is laid under a point's label, so that a grid or
// threshold line does not cross its letters.
var labelBackground = color.NRGBA{R: 255, G: 255, B: 255, A: 210}

// pointLabels writes a label beside each point, placed where it overlaps
// neither an earlier label nor a point: to the right, the left, above or
// below the point, else further up or down on either side, joined to the
// point by a leader line; a label that fits nowhere goes to the right (the
// left at the right edge), over what is there.
type pointLabels struct {
	xys    plotter.XYs
	labels []string
	style  text.Style
	gap    vg.Length // from the point's centre
}

// Plot implements plot.Plotter.
func (l pointLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var taken []vg.Rectangle
	for _, xy := range l.xys {
		pt := vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
		taken = append(taken, vg.Rectangle{Min: vg.Point{X: pt.X - l.gap/2, Y: pt.Y - l.gap/2}, Max: vg.Point{X: pt.X + l.gap/2, Y: pt.Y + l.gap/2}})
	}
	overlaps := func(r vg.Rectangle) bool {
		for _, t := range taken {
			if r.Min.X < t.Max.X && t.Min.X < r.Max.X && r.Min.Y < t.Max.Y && t.Min.Y < r.Max.Y {
				return true
			}
		}
		return false
	}
	inside := func(r vg.Rectangle) bool {
		return r.Min.X >= c.Min.X && r.Max.X <= c.Max.X && r.Min.Y >= c.Min.Y && r.Max.Y <= c.Max.Y
	}
	for i, xy := range l.xys {
		pt := vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
		w, h := l.style.Width(l.labels[i]), l.style.Height(l.labels[i])
		corners := []vg.Point{ // the label's lower-left corner
			{X: pt.X + l.gap, Y: pt.Y - h/2}, {X: pt.X - l.gap - w, Y: pt.Y - h/2},
			{X: pt.X - w/2, Y: pt.Y + l.gap}, {X: pt.X - w/2, Y: pt.Y - l.gap - h},
		}
		for k := 1; k <= 4; k++ {
			dy := vg.Length(k) * h
			corners = append(corners, vg.Point{X: pt.X + l.gap, Y: pt.Y - h/2 + dy}, vg.Point{X: pt.X + l.gap, Y: pt.Y - h/2 - dy},
				vg.Point{X: pt.X - l.gap - w, Y: pt.Y - h/2 + dy}, vg.Point{X: pt.X - l.gap - w, Y: pt.Y - h/2 - dy})
		}
		at, k := corners[0], -1
		for j, cn := range corners {
			r := vg.Rectangle{Min: cn, Max: vg.Point{X: cn.X + w, Y: cn.Y + h}}
			if inside(r) && !overlaps(r) {
				at, k = cn, j
				break
			}
		}
		if k < 0 && !inside(vg.Rectangle{Min: at, Max: vg.Point{X: at.X + w, Y: at.Y + h}}) {
			at = corners[1] // at the right edge: the left side
		}
		if k >= 4 { // moved up or down: a leader line to the label's near end
			end := vg.Point{X: at.X, Y: at.Y + h/2}
			if at.X < pt.X {
				end.X = at.X + w
			}
			c.StrokeLines(draw.LineStyle{Color: style.AxisText, Width: vg.Points(0.5)}, []vg.Point{pt, end})
		}
		taken = append(taken, vg.Rectangle{Min: at, Max: vg.Point{X: at.X + w, Y: at.Y + h}})
		c.FillPolygon(labelBackground, []vg.Point{at, {X: at.X + w, Y: at.Y}, {X: at.X + w, Y: at.Y + h}, {X: at.X, Y: at.Y + h}})
		c.FillText(l.style, at, l.labels[i])
	}
}

// scatter returns the points xys drawn with glyph g in colour col.
func scatter(xys plotter.XYs, col color.Color, g draw.GlyphDrawer, radius vg.Length) (*plotter.Scatter, error) {
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: radius, Shape: g}
	return s, nil
}

// finiteXY reports whether both coordinates are finite.
func finiteXY(x, y float64) bool { return style.Finite(x) && style.Finite(y) }

// morrisScatter draws each parameter in the μ*–σ plane, labelled, with
// the threshold lines and the FIX region shaded; INCLUDE parameters are
// filled green discs, FIX ones grey rings.
func morrisScatter(m *MorrisResult) (template.HTML, error) {
	th := m.Threshold
	if !(th > 0) {
		th = Threshold // the screening's default
	}
	hiX, hiY := th, th
	var inc, fix, all plotter.XYs
	var names []string
	for _, e := range sortedEffects(m.Effects) {
		if !finiteXY(e.MuStar, e.Sigma) {
			continue
		}
		xy := plotter.XY{X: e.MuStar, Y: e.Sigma}
		hiX, hiY = max(hiX, e.MuStar), max(hiY, e.Sigma)
		if e.Class == Include {
			inc = append(inc, xy)
		} else {
			fix = append(fix, xy)
		}
		all, names = append(all, xy), append(names, e.Name)
	}
	p := report.NewPlot("μ* (mean |elementary effect|)", "σ (sample std of the effects)",
		box{0, th, 0, th, style.BurnIn}, guide{th, true, style.MarkLine}, guide{th, false, style.MarkLine})
	for _, set := range []struct {
		xys   plotter.XYs
		col   color.Color
		shape draw.GlyphDrawer
	}{{fix, style.UnknownBar, draw.RingGlyph{}}, {inc, style.Pass, draw.CircleGlyph{}}} {
		if len(set.xys) == 0 {
			continue
		}
		s, err := scatter(set.xys, set.col, set.shape, vg.Points(3.2))
		if err != nil {
			return "", err
		}
		p.Add(s)
	}
	p.Add(pointLabels{xys: all, labels: names, style: labelText(7.5, style.DarkText), gap: vg.Points(4.5)})
	p.X.Min, p.X.Max = 0, hiX*1.12
	p.Y.Min, p.Y.Max = 0, hiY*1.08
	return renderChart(p, scatterW, scatterH, "Morris screening: μ* against σ of each parameter")
}

// valueRange returns the score axis of the value charts: every finite
// value score of the effects, padded (at least 0.02 wide).
func valueRange(es []Effect) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, e := range es {
		for _, s := range e.ValueScores {
			if style.Finite(s.Score) {
				lo, hi = min(lo, s.Score), max(hi, s.Score)
			}
		}
	}
	if lo > hi {
		return 0, 1
	}
	pad := max((hi-lo)*0.12, 0.01)
	return lo - pad, hi + pad
}

// valueChart draws the value scores of a parameter on the score axis
// [lo, hi]: a point per value, the best one larger and orange, and for an
// INCLUDE parameter the band more than AutoPrune below the best shaded.
func valueChart(e Effect, lo, hi float64) (template.HTML, error) {
	var xys, best plotter.XYs
	var ticks []plot.Tick
	bestScore := math.NaN()
	for i, s := range e.ValueScores {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: s.Value})
		if !style.Finite(s.Score) {
			continue
		}
		xy := plotter.XY{X: float64(i), Y: s.Score}
		xys = append(xys, xy)
		if s.Value == e.BestValue {
			best, bestScore = append(best, xy), s.Score
		}
	}
	p := report.NewPlot("", "mean score")
	if e.Class == Include && style.Finite(bestScore) {
		p.Add(style.HShade{Y0: -1e9, Y1: bestScore - AutoPrune, Color: style.FailTint})
	}
	if len(xys) > 1 {
		l, err := plotter.NewLine(xys)
		if err != nil {
			return "", err
		}
		l.Color, l.Width = style.Grid, vg.Points(1)
		p.Add(l)
	}
	if len(xys) > 0 {
		s, err := scatter(xys, style.PassBar, draw.CircleGlyph{}, vg.Points(2.6))
		if err != nil {
			return "", err
		}
		p.Add(s)
	}
	if len(best) > 0 {
		s, err := scatter(best, style.Orange, draw.CircleGlyph{}, vg.Points(4))
		if err != nil {
			return "", err
		}
		p.Add(s)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.5, float64(len(e.ValueScores))-0.5
	p.Y.Min, p.Y.Max = lo, hi
	return renderChart(p, smallW, smallH, "value scores of "+e.Name)
}

// screeningHistogram draws the distribution of the grid screening's
// single-seed scores, the configurations that go on to the first tier in
// blue, the others grey.
func screeningHistogram(s *SearchResult) (template.HTML, error) {
	if len(s.Screening) == 0 {
		return "", nil
	}
	on := len(s.Screening)
	if len(s.Tiers) > 0 {
		on = min(s.Tiers[0].Top, on)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range s.Screening {
		if style.Finite(x.Mean) {
			lo, hi = min(lo, x.Mean), max(hi, x.Mean)
		}
	}
	if lo > hi {
		return "", nil
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-0.005, hi+0.005
	}
	k := max(6, min(30, int(math.Ceil(math.Sqrt(float64(len(s.Screening)))))))
	width := (hi - lo) / float64(k)
	counts := [2][]float64{make([]float64, k), make([]float64, k)} // went on, stopped
	for i, x := range s.Screening {
		if !style.Finite(x.Mean) {
			continue
		}
		b := max(0, min(k-1, int((x.Mean-lo)/width)))
		if i < on {
			counts[0][b]++
		} else {
			counts[1][b]++
		}
	}
	p := report.NewPlot("single-seed score", "configurations")
	top := 0.0
	for b := range k {
		top = max(top, counts[0][b]+counts[1][b])
	}
	// The stacks: the grey bars from 0 to the total first, the blue ones
	// over them, to their count.
	for cat := 1; cat >= 0; cat-- {
		bins := make([]plotter.HistogramBin, k)
		n := 0.0
		for b := range bins {
			w := counts[0][b]
			if cat == 1 {
				w += counts[1][b]
			}
			bins[b] = plotter.HistogramBin{Min: lo + float64(b)*width, Max: lo + float64(b+1)*width, Weight: w}
			n += counts[cat][b]
		}
		if n == 0 {
			continue
		}
		col := []color.Color{style.PassBar, style.UnknownBar}[cat]
		h := &plotter.Histogram{Bins: bins, Width: width, FillColor: col, LineStyle: draw.LineStyle{Color: style.White, Width: vg.Points(0.5)}}
		p.Add(h)
	}
	p.X.Min, p.X.Max = lo-(hi-lo)*0.04, hi+(hi-lo)*0.04
	p.Y.Min, p.Y.Max = 0, top*1.1
	return renderChart(p, wideW, wideH, "grid screening: distribution of the single-seed scores")
}

// stageChart draws, per stage, the combined score of each configuration
// ranked there (of the screening, those that go on to the first tier),
// spread sideways by rank: filled if it goes on to the next stage, a ring
// if it stops; the winner's path in orange. Nothing without tiers.
func stageChart(s *SearchResult) (template.HTML, error) {
	if len(s.Tiers) == 0 || len(s.Screening) == 0 {
		return "", nil
	}
	stages := [][]Ranked{s.Screening[:min(s.Tiers[0].Top, len(s.Screening))]}
	ticks := []plot.Tick{{Value: 0, Label: "screening (1 seed)"}}
	for i, t := range s.Tiers {
		stages = append(stages, t.Ranking)
		ticks = append(ticks, plot.Tick{Value: float64(i + 1), Label: fmt.Sprintf("tier %d (%d seeds)", i+1, t.Seeds)})
	}
	var on, off, path plotter.XYs
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, rs := range stages {
		next := len(rs) // how many go on: in the last tier, the finalists
		if i+1 < len(stages) {
			next = len(stages[i+1])
		}
		for j, x := range rs {
			if !style.Finite(x.Combined) {
				continue
			}
			jitter := 0.0
			if len(rs) > 1 {
				jitter = (math.Mod(float64(j)*0.6180339887, 1) - 0.5) * 0.7
			}
			xy := plotter.XY{X: float64(i) + jitter, Y: x.Combined}
			lo, hi = min(lo, x.Combined), max(hi, x.Combined)
			if j < next {
				on = append(on, xy)
			} else {
				off = append(off, xy)
			}
			if slices.Equal(x.Values, s.Winner.Values) {
				path = append(path, xy)
			}
		}
	}
	if lo > hi {
		return "", nil
	}
	p := report.NewPlot("", "combined score")
	if len(path) > 1 {
		l, err := plotter.NewLine(path)
		if err != nil {
			return "", err
		}
		l.Color, l.Width = style.Orange, vg.Points(1.5)
		p.Add(l)
	}
	for _, set := range []struct {
		xys   plotter.XYs
		col   color.Color
		shape draw.GlyphDrawer
	}{{off, style.UnknownBar, draw.RingGlyph{}}, {on, style.PassBar, draw.CircleGlyph{}}, {path, style.Orange, draw.CircleGlyph{}}} {
		if len(set.xys) == 0 {
			continue
		}
		sc, err := scatter(set.xys, set.col, set.shape, vg.Points(2.6))
		if err != nil {
			return "", err
		}
		p.Add(sc)
	}
	pad := max((hi-lo)*0.08, 0.005)
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.5, float64(len(stages))-0.5
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	return renderChart(p, wideW, wideH, "combined score of the survivors by stage")
}

// renderChart renders a chart of the report.
var renderChart = report.RenderSVG
