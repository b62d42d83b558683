package figures

// Drawing for `bam plot`: one gonum/plot Plot per panel, composed on one
// canvas (see newCanvas) with draw.Tiles.

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"github.com/bam-abm/bam/internal/style"

	"github.com/bam-abm/bam/stats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure geometry at the default size, at which fonts, lines and marks
// have their nominal sizes (scale 1). A PNG has figureDPI pixels per inch:
// the full figure is 1920×1440 pixels, one panel 840×600.
const (
	figureDPI    = 120
	figureWidth  = 16 * vg.Inch
	figureHeight = 12 * vg.Inch
	panelWidth   = 7 * vg.Inch
	panelHeight  = 5 * vg.Inch
	gridCols     = 3
	gridRows     = 3
)

// Axis labels.
const (
	labelPeriod = "period (quarter)"
)

// drawCtx is what every panel is drawn with: the burn-in and the scale of
// fonts, lines and marks (1 at the default size, see Size).
type drawCtx struct {
	burnIn int
	scale  float64
}

// pt is v points at the scale of c.
func (c drawCtx) pt(v float64) vg.Length { return vg.Points(v * c.scale) }

// panelSpec is one panel of the figure.
type panelSpec struct {
	// name is the --panel name.
	name string
	// cols are the economy.csv columns the panel needs, besides period.
	cols []string
	// firms tells whether the panel needs firms.csv.
	firms bool
	// build draws the panel of d (a run or an ensemble).
	build func(d *Run, c drawCtx) (*plot.Plot, error)
}

// panels are the panels of the full figure, in reading order.
var panels = []panelSpec{
	{"gdp", []string{colLogGDP}, false, buildGDP},
	{"unemployment", []string{colUnemployment}, false, buildUnemployment},
	{"inflation", []string{colInflation}, false, buildInflation},
	{"wages", []string{colProductivity, colRealWage}, false, buildWages},
	{"phillips", []string{colUnemployment, colWageInfl}, false, buildPhillips},
	{"okun", []string{colUnempGrowth, colGDPGrowth}, false, buildOkun},
	{"beveridge", []string{colUnemployment, colVacancyRate}, false, buildBeveridge},
	{"firm_size", nil, true, buildFirmSize},
}

// Panels returns the names of the panels, in the figure's order: gdp,
// unemployment, inflation, wages, phillips, okun, beveridge, firm_size.
func Panels() []string {
	names := make([]string, len(panels))
	for i, p := range panels {
		names[i] = p.name
	}
	return names
}

// findPanel returns the panel called name.
func findPanel(name string) (panelSpec, bool) {
	for _, p := range panels {
		if p.name == name {
			return p, true
		}
	}
	return panelSpec{}, false
}

// Nominal font sizes (points at scale 1).
const (
	fontTitle  = 12
	fontLabel  = 12
	fontTick   = 10
	fontLegend = 10
)

// newPlot returns a plot with a title, axis labels and a light grid, drawn
// above the plotters under, with fonts and lines at the scale of c.
func newPlot(c drawCtx, title, xLabel, yLabel string, under ...plot.Plotter) *plot.Plot {
	p := plot.New()
	p.Add(under...)
	p.Title.Text = title
	p.Title.Padding = c.pt(4)
	p.Title.TextStyle.Font.Size = c.pt(fontTitle)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = c.pt(fontLabel)
		a.Tick.Label.Font.Size = c.pt(fontTick)
		a.Tick.Length = c.pt(8)
		a.Padding = c.pt(5)
		a.LineStyle.Width = c.pt(0.5)
		a.Tick.LineStyle.Width = c.pt(0.5)
		a.Tick.Marker = style.NiceTicks{}
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font.Size = c.pt(fontLegend)
	p.Legend.ThumbnailWidth = c.pt(18)
	p.Legend.Padding = c.pt(3)
	// The legend sits top left, in the headroom left above the data.
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = c.pt(6), -c.pt(4)
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = style.Grid, style.Grid
	g.Vertical.Width, g.Horizontal.Width = c.pt(0.5), c.pt(0.5)
	p.Add(g)
	return p
}

// fitTitle shrinks the title font of p (to no less than 70 % of its size)
// so that its longest line fits in width.
func fitTitle(p *plot.Plot, width vg.Length) {
	st := p.Title.TextStyle
	if w := st.Width(p.Title.Text); w > width && w > 0 {
		p.Title.TextStyle.Font.Size = max(st.Font.Size*0.7, st.Font.Size*width/w)
	}
}

// fitAxisLabels shrinks the axis labels of p, to be drawn on c, so that
// each fits along its axis (to no less than half its size). gonum/plot
// makes room for a label longer than its axis by shrinking the data area,
// by an amount that depends on the canvas, which plot.Align does not
// foresee: the panels of a small figure would no longer line up.
func fitAxisLabels(p *plot.Plot, c draw.Canvas) {
	const fill = 0.9
	fit := func(st *text.Style, txt string, room vg.Length) {
		if w := st.Width(txt); w > fill*room && w > 0 && room > 0 {
			st.Font.Size = max(st.Font.Size/2, st.Font.Size*fill*room/w)
		}
	}
	if yl := p.Y.Label.Text; yl != "" {
		p.Y.Label.Text = ""
		da := p.DataCanvas(c)
		p.Y.Label.Text = yl
		fit(&p.Y.Label.TextStyle, yl, da.Max.Y-da.Min.Y)
	}
	if xl := p.X.Label.Text; xl != "" {
		p.X.Label.Text = ""
		da := p.DataCanvas(c)
		p.X.Label.Text = xl
		fit(&p.X.Label.TextStyle, xl, da.Max.X-da.Min.X)
	}
}

// Margins of the ranges of the panels, as fractions of the data's span:
// room between the data and the frame, and above the data for a legend of
// one, two or three entries.
const (
	padFrac       = 0.04
	legendRoom1   = 0.22
	legendRoom2   = 0.32
	legendRoom3   = 0.45
	logPadFrac    = 0.04
	maxDotsAlpha  = 110
	minDotsAlpha  = 30
	bandAlpha     = 70
	bandGreyLevel = 150
)

// legendRoom is the headroom above the data for a legend of n entries.
func legendRoom(n int) float64 {
	switch {
	case n <= 0:
		return padFrac
	case n == 1:
		return legendRoom1
	case n == 2:
		return legendRoom2
	}
	return legendRoom3
}

// maxDrawable bounds the axis values a panel can draw: beyond it the tick
// labels run to dozens of digits and gonum/plot's layout overflows to
// infinite coordinates (and its rasteriser never returns).
const maxDrawable = 1e15

// drawable reports whether the axis ranges of p are finite and within
// ±maxDrawable.
func drawable(p *plot.Plot) bool {
	for _, v := range []float64{p.X.Min, p.X.Max, p.Y.Min, p.Y.Max} {
		if !style.Finite(v) || math.Abs(v) > maxDrawable {
			return false
		}
	}
	return true
}

// buildDrawable builds panel ps of d, or, when its values are out of the
// drawable range (a run whose state exploded), an empty panel with its
// title that says so.
func buildDrawable(ps panelSpec, d *Run, c drawCtx) (*plot.Plot, error) {
	p, err := ps.build(d, c)
	if err != nil || drawable(p) {
		return p, err
	}
	q := newPlot(c, p.Title.Text+"\n(not drawn: values beyond ±1e15 or not finite)", p.X.Label.Text, p.Y.Label.Text)
	q.X.Min, q.X.Max, q.Y.Min, q.Y.Max = 0, 1, 0, 1
	return q, nil
}

// tint is col (its colour without its transparency) with alpha a.
func tint(col color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(col).(color.NRGBA)
	n.A = a
	return n
}

// bandPolygons returns the filled band of b from Lo to Hi, one polygon per
// stretch of periods with values, in col.
func bandPolygons(b band, col color.Color, xf, yf func(float64) float64) ([]plot.Plotter, error) {
	var out []plot.Plotter
	for _, seg := range b.segments() {
		var ring plotter.XYs
		for i := seg[0]; i < seg[1]; i++ {
			ring = append(ring, plotter.XY{X: xf(b.X[i]), Y: yf(b.Hi[i])})
		}
		for i := seg[1] - 1; i >= seg[0]; i-- {
			ring = append(ring, plotter.XY{X: xf(b.X[i]), Y: yf(b.Lo[i])})
		}
		pg, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, err
		}
		pg.Color = col
		pg.LineStyle.Width = 0
		out = append(out, pg)
	}
	return out, nil
}

// identity is the identity of float64.
func identity(v float64) float64 { return v }

// bandSwatch is the legend symbol of the bands: a grey fill.
func bandSwatch() *plotter.Polygon {
	pg, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}})
	pg.Color = tint(color.Gray{Y: bandGreyLevel}, 255-bandAlpha)
	pg.LineStyle.Width = 0
	return pg
}

// timeSeries returns a time-series plot of the economy columns cols
// (scaled by scale) against the period, with the burn-in shaded; names
// label the lines in a legend when there is more than one. Of an ensemble
// each column is drawn as its mean over the runs with the band from the
// 5th to the 95th percentile, said in the legend. The y range leaves room
// off the frame (and for the legend).
func timeSeries(d *Run, c drawCtx, title, yLabel string, scale float64, cols, names []string) (*plot.Plot, error) {
	periods := d.col(colPeriod)
	var under []plot.Plotter
	if x0, x1, ok := burnInSpan(periods, c.burnIn); ok {
		under = append(under, style.Shade{X0: x0, X1: x1, Color: style.BurnIn})
	}
	p := newPlot(c, title, labelPeriod, yLabel, under...)
	lineColors := []color.Color{style.Blue, style.Orange}
	runs := d.runs()
	var drawn [][]float64
	entries := 0
	for i, name := range cols {
		col := lineColors[i%len(lineColors)]
		xs, ys := periods, d.col(name)
		if len(runs) > 1 {
			b := ensembleBand(runs, name, scale)
			pgs, err := bandPolygons(b, tint(col, bandAlpha), identity, identity)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			p.Add(pgs...)
			xs, ys = b.X, b.Mean
			drawn = append(drawn, b.Lo, b.Hi)
		}
		l, err := plotter.NewLine(xyPoints(xs, ys, 1, scaleOf(len(runs), scale)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		l.Color = col
		l.Width = c.pt(1)
		p.Add(l)
		drawn = append(drawn, scaled(ys, scaleOf(len(runs), scale)))
		switch {
		case len(runs) > 1 && len(cols) > 1:
			p.Legend.Add(names[i]+", mean", l)
			entries++
		case len(runs) > 1:
			p.Legend.Add(fmt.Sprintf("mean of %d runs", len(runs)), l)
			entries++
		case len(cols) > 1:
			p.Legend.Add(names[i], l)
			entries++
		}
	}
	if len(runs) > 1 {
		p.Legend.Add(fmt.Sprintf("%s of %d runs", bandLabel, len(runs)), bandSwatch())
		entries++
	}
	if n := len(periods); n > 0 {
		p.X.Min, p.X.Max = periods[0], periods[n-1]
	}
	if lo, hi, ok := headroom(padFrac, legendRoom(entries), drawn...); ok {
		p.Y.Min, p.Y.Max = lo, hi
	}
	return p, nil
}

// scaleOf is the scale to apply to the drawn values: the columns' of a
// run, 1 for an ensemble's means (already scaled by ensembleBand).
func scaleOf(runs int, scale float64) float64 {
	if runs > 1 {
		return 1
	}
	return scale
}

// scaled returns the values of vs times s.
func scaled(vs []float64, s float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = v * s
	}
	return out
}

// scatter returns a scatter plot of the points (xs[i]·100, ys[i]·100), in
// percent, of runs runs (the points fainter the more runs share the
// panel), with room between the points and the frame.
func scatter(c drawCtx, title, xLabel, yLabel string, xs, ys []float64, runs int) (*plot.Plot, error) {
	p := newPlot(c, title, xLabel, yLabel)
	pts := xyPoints(xs, ys, 100, 100)
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	alpha := uint8(max(minDotsAlpha, min(maxDotsAlpha, maxDotsAlpha/math.Sqrt(float64(runs)))))
	s.Color = tint(style.Dots, alpha)
	s.Radius = c.pt(1.8)
	if runs > 1 {
		s.Radius = c.pt(1.4)
	}
	s.Shape = draw.CircleGlyph{}
	p.Add(s)
	px, py := make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		px[i], py[i] = pt.X, pt.Y
	}
	if lo, hi, ok := headroom(padFrac, padFrac, px); ok {
		p.X.Min, p.X.Max = lo, hi
	}
	if lo, hi, ok := headroom(padFrac, padFrac, py); ok {
		p.Y.Min, p.Y.Max = lo, hi
	}
	return p, nil
}

// corrNote is the correlation in a scatter panel's title: of a run, or of
// an ensemble the mean of the runs' correlations with their 5th and 95th
// percentiles in brackets (as ensembleNote says).
func corrNote(rs []float64) string {
	if len(rs) == 1 {
		return "corr " + style.Fixed(rs[0], 2)
	}
	sp := spreadOf(rs)
	return fmt.Sprintf("corr %s [%s, %s]", style.Fixed(sp.Mean, 2), style.Fixed(sp.Lo, 2), style.Fixed(sp.Hi, 2))
}

// ensembleNote says how an ensemble is drawn, under the title of its
// figure or panel.
const ensembleNote = "Lines: the mean over the runs; bands: their " + bandLabel +
	" in each period; corr: the mean of the runs' correlations [" + bandLabel + "]"

// buildGDP draws log real GDP.
func buildGDP(d *Run, c drawCtx) (*plot.Plot, error) {
	return timeSeries(d, c, "Log real GDP", "log real GDP (log units)", 1, []string{colLogGDP}, nil)
}

// buildUnemployment draws the unemployment rate.
func buildUnemployment(d *Run, c drawCtx) (*plot.Plot, error) {
	return timeSeries(d, c, "Unemployment rate", "unemployment rate (%)", 100, []string{colUnemployment}, nil)
}

// buildInflation draws the annual (year-on-year) price inflation.
func buildInflation(d *Run, c drawCtx) (*plot.Plot, error) {
	return timeSeries(d, c, "Price inflation per year (year on year)", "inflation (% per year)", 100, []string{colInflation}, nil)
}

// buildWages draws average labour productivity and the real wage.
func buildWages(d *Run, c drawCtx) (*plot.Plot, error) {
	return timeSeries(d, c, "Productivity and real wage", "goods per worker per quarter", 1,
		[]string{colProductivity, colRealWage}, []string{"average productivity", "real wage"})
}

// pooled returns the points (x, y) of every run, of the series xs and ys
// of each run after the burn-in, and each run's correlation of them.
func pooled(d *Run, burnIn int, xcol, ycol string) (xs, ys, corrs []float64) {
	for _, r := range d.runs() {
		x, y := after(r.col(xcol), burnIn), after(r.col(ycol), burnIn)
		n := min(len(x), len(y))
		xs, ys = append(xs, x[:n]...), append(ys, y[:n]...)
		corrs = append(corrs, stats.Corr(x[:n], y[:n]))
	}
	return xs, ys, corrs
}

// buildPhillips draws the Phillips curve: wage inflation (quarter on
// quarter) against unemployment, after the burn-in.
func buildPhillips(d *Run, c drawCtx) (*plot.Plot, error) {
	u, wi, rs := pooled(d, c.burnIn, colUnemployment, colWageInfl)
	return scatter(c, "Phillips curve, wage inflation per quarter ("+corrNote(rs)+")",
		"unemployment rate (%)", "wage inflation (% per quarter)", u, wi, d.Runs())
}

// buildOkun draws the Okun curve in growth rates (bam validate's
// okun_correlation): GDP growth against unemployment growth, after the
// burn-in, without the outliers of the IQR filter.
func buildOkun(d *Run, c drawCtx) (*plot.Plot, error) {
	var xs, ys, rs []float64
	dropped := 0
	for _, r := range d.runs() {
		x, y, n := okunPoints(r.col(colUnempGrowth), r.col(colGDPGrowth), c.burnIn)
		xs, ys = append(xs, x...), append(ys, y...)
		rs = append(rs, stats.Corr(x, y))
		dropped += n
	}
	title := "Okun curve, growth rates (" + corrNote(rs)
	if dropped > 0 {
		title += fmt.Sprintf(", %d outliers hidden", dropped)
	}
	return scatter(c, title+")", "unemployment growth rate (% per quarter)", "real GDP growth rate (% per quarter)", xs, ys, d.Runs())
}

// buildBeveridge draws the Beveridge curve: the vacancy rate against
// unemployment, after the burn-in.
func buildBeveridge(d *Run, c drawCtx) (*plot.Plot, error) {
	u, v, rs := pooled(d, c.burnIn, colUnemployment, colVacancyRate)
	return scatter(c, "Beveridge curve ("+corrNote(rs)+")", "unemployment rate (%)", "vacancy rate (%)", u, v, d.Runs())
}

// buildFirmSize draws the rank-size plot of the last period's firm output
// on log-log axes, over the firms with output > 0: of an ensemble, the
// mean output at each rank over the runs with the band of its 5th to 95th
// percentile.
func buildFirmSize(d *Run, c drawCtx) (*plot.Plot, error) {
	runs := d.runs()
	last := lastPeriodLabel(runs)
	var pts plotter.XYs
	var b band
	var title string
	if len(runs) == 1 {
		pts = rankSize(d.production)
		title = fmt.Sprintf("Firm-size distribution (%d firms with output > 0, %s)", len(pts), last)
	} else {
		b = rankBand(runs)
		for i := range b.X {
			if b.Mean[i] > 0 {
				pts = append(pts, plotter.XY{X: b.X[i], Y: b.Mean[i]})
			}
		}
		title = fmt.Sprintf("Firm-size distribution (%s, %d runs)", last, len(runs))
	}
	p := newPlot(c, title, "rank (1 = largest firm, log scale)", "output (goods per quarter, log scale)")
	if len(pts) == 0 {
		return p, nil
	}
	ranks, outs := make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		ranks[i], outs[i] = pt.X, pt.Y
	}
	if len(runs) > 1 {
		pgs, err := bandPolygons(b, tint(style.Blue, bandAlpha), math.Log10, math.Log10)
		if err != nil {
			return nil, err
		}
		p.Add(pgs...)
		outs = append(outs, positive(b.Lo)...)
		outs = append(outs, positive(b.Hi)...)
	}
	s, err := plotter.NewScatter(log10Points(pts))
	if err != nil {
		return nil, err
	}
	s.Color = style.Blue
	s.Radius = c.pt(2)
	s.Shape = draw.CircleGlyph{}
	p.Add(s)
	if len(runs) > 1 {
		s.Radius = c.pt(1.5)
		p.Legend.Add(fmt.Sprintf("mean of %d runs", len(runs)), s)
		p.Legend.Add(bandLabel, bandSwatch())
		p.Legend.Left = false
	}
	// Log-log axes are drawn as linear axes of log10 values with log tick
	// marks (gonum's LogScale misplaces the axis labels), with room
	// between the points and the frame.
	xlo, xhi, _ := logRange(ranks)
	ylo, yhi, _ := logRange(outs)
	p.X.Min, p.X.Max = padded(xlo, xhi, logPadFrac)
	p.Y.Min, p.Y.Max = padded(ylo, yhi, logPadFrac)
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks{}, logTicks{}
	return p, nil
}

// lastPeriodLabel names the period of the firm-size panel: "period N",
// the last period of the runs, or "last period of each run" when they
// ended at different periods.
func lastPeriodLabel(runs []*Run) string {
	label := ""
	for i, r := range runs {
		ps := r.col(colPeriod)
		if len(ps) == 0 {
			continue
		}
		l := "period " + fmtPeriod(ps[len(ps)-1])
		if i > 0 && l != label {
			return "last period of each run"
		}
		label = l
	}
	return label
}

// padded returns [lo, hi] widened on both sides by frac of its span.
func padded(lo, hi, frac float64) (float64, float64) {
	pad := frac * (hi - lo)
	return lo - pad, hi + pad
}

// runLabel names the runs of d: "scenario NAME, seed N", or of an
// ensemble "scenario NAME, N runs (seeds …)".
func runLabel(d *Run) string {
	runs := d.runs()
	var s string
	if len(runs) == 1 {
		s = fmt.Sprintf("scenario %s, seed %d", d.info.Scenario, d.info.Seed)
		if d.info.Collapsed {
			s += " (the economy collapsed)"
		}
		return s
	}
	s = fmt.Sprintf("scenario %s, %d runs (%s)", d.info.Scenario, len(runs), seedsLabel(runs))
	if n := collapsedCount(runs); n > 0 {
		s += fmt.Sprintf(" (%d collapsed)", n)
	}
	return s
}

// burnInLabel describes the burn-in: its periods, or "" if there is none.
func burnInLabel(periods []float64, burnIn int) string {
	if burnIn <= 0 || len(periods) == 0 {
		return ""
	}
	return fmt.Sprintf("burn-in: periods %s–%s", fmtPeriod(periods[0]), fmtPeriod(periods[min(burnIn, len(periods))-1]))
}

// figureTitle is the title of the full figure.
func figureTitle(d *Run, burnIn int) string {
	periods := d.col(colPeriod)
	s := "BAM — " + runLabel(d)
	if n := len(periods); n > 0 {
		s += fmt.Sprintf(", periods %s–%s", fmtPeriod(periods[0]), fmtPeriod(periods[n-1]))
	}
	if b := burnInLabel(periods, burnIn); b != "" {
		s += "; " + b + " (shaded; left out of the scatter plots)"
	}
	return s
}

// panelSubtitle is the second title line of a single panel.
func panelSubtitle(d *Run, burnIn int) string {
	s := runLabel(d)
	if b := burnInLabel(d.col(colPeriod), burnIn); b != "" {
		s += "; " + b
	}
	return s
}

// panelEnsembleNote is the third title line of a scatter panel of an
// ensemble, which says what the brackets of its correlation are ("" for
// the other panels, whose legends say what their lines and bands are).
func panelEnsembleNote(name string) string {
	switch name {
	case "phillips", "okun", "beveridge":
		return "points of every run; corr: mean of the runs [" + bandLabel + "]"
	}
	return ""
}

// textStyle is a left- or centre-aligned text style of size pt.
func textStyle(pt vg.Length, xAlign text.XAlignment) text.Style {
	return text.Style{
		Color:   style.DarkText,
		Font:    font.From(plot.DefaultFont, pt),
		XAlign:  xAlign,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// fitText returns st with its font shrunk so that the widest of lines
// fits in width (st itself if they fit).
func fitText(st text.Style, width vg.Length, lines ...string) text.Style {
	widest := vg.Length(0)
	for _, l := range lines {
		widest = max(widest, st.Width(l))
	}
	if widest > width && widest > 0 {
		st.Font.Size *= width / widest
	}
	return st
}

// DrawFigure draws the full figure of d (every panel, the title and the
// summary statistics) as format (one of [Formats]) to w, the first burnIn
// periods shaded as burn-in and left out of the statistics; d may be an
// ensemble of [NewEnsemble]. Options set its size ([Size]). Drawing may
// panic inside gonum/plot on degenerate data: wrap it in style.SafeDraw or
// recover.
func DrawFigure(w io.Writer, format string, d *Run, burnIn int, opts ...Option) error {
	width, height, scale := resolve(figureWidth, figureHeight, opts)
	c, err := newCanvas(format, width, height)
	if err != nil {
		return err
	}
	ctx := drawCtx{burnIn: burnIn, scale: scale}
	dc := draw.New(c)
	head := figureTitle(d, burnIn)
	title := fitText(textStyle(ctx.pt(17), draw.XCenter), width-ctx.pt(20), head)
	dc.FillText(title, vg.Point{X: width / 2, Y: height - ctx.pt(12)}, head)
	padTop := ctx.pt(44)
	if d.Runs() > 1 {
		note := fitText(textStyle(ctx.pt(12), draw.XCenter), width-ctx.pt(20), ensembleNote)
		dc.FillText(note, vg.Point{X: width / 2, Y: height - ctx.pt(14) - title.Height(head)}, ensembleNote)
		padTop += note.Height(ensembleNote)
	}

	tiles := draw.Tiles{
		Rows: gridRows, Cols: gridCols,
		PadTop: padTop, PadBottom: ctx.pt(10), PadLeft: ctx.pt(10), PadRight: ctx.pt(20),
		PadX: ctx.pt(28), PadY: ctx.pt(22),
	}
	grid, canvases, err := layoutPanels(d, ctx, tiles, dc)
	if err != nil {
		return err
	}
	for r := range grid {
		for col, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][col])
			}
		}
	}
	// The free tile holds the summary statistics.
	k := len(panels)
	drawSummary(tiles.At(dc, k%gridCols, k/gridCols), ctx, summaryLines(d, burnIn))
	_, err = c.WriteTo(w)
	return err
}

// layoutPanels builds the panels of d into the grid of tiles on dc and
// returns them with the canvases to draw each on, aligned by plot.Align so
// that the data areas of a row share their top and bottom, those of a
// column their sides.
func layoutPanels(d *Run, ctx drawCtx, tiles draw.Tiles, dc draw.Canvas) ([][]*plot.Plot, [][]draw.Canvas, error) {
	grid := make([][]*plot.Plot, gridRows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, gridCols)
	}
	for i, ps := range panels {
		p, err := buildDrawable(ps, d, ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("panel %s: %w", ps.name, err)
		}
		tile := tiles.At(dc, i%gridCols, i/gridCols)
		fitTitle(p, tile.Size().X)
		fitAxisLabels(p, tile)
		grid[i/gridCols][i%gridCols] = p
	}
	return grid, plot.Align(grid, tiles, dc), nil
}

// drawSummary writes lines into the tile t, the first as a heading (the
// first two of an ensemble's), shrunk to fit its width and height.
func drawSummary(t draw.Canvas, c drawCtx, lines []string) {
	const leading = 1.45
	x := t.Min.X + c.pt(30)
	top := c.pt(20)
	avail := t.Max.X - x
	head := fitText(textStyle(c.pt(13), draw.XLeft), avail, lines...)
	body := fitText(textStyle(c.pt(12), draw.XLeft), avail, lines...)
	nHead := 1
	if len(lines) > 1 && strings.HasPrefix(lines[1], "mean over the runs") {
		nHead = 2
	}
	style := func(i int) text.Style {
		if i < nHead {
			return head
		}
		return body
	}
	need := vg.Length(0)
	for i, l := range lines {
		need += style(i).Height(l) * leading
	}
	if room := t.Max.Y - t.Min.Y - top; need > room && need > 0 {
		head.Font.Size *= room / need
		body.Font.Size *= room / need
	}
	y := t.Max.Y - top
	for i, l := range lines {
		st := style(i)
		t.FillText(st, vg.Point{X: x, Y: y}, l)
		y -= st.Height(l) * leading
	}
}

// DrawPanel draws the panel called name (see [Panels]) of d as format to
// w, like [DrawFigure], 7 × 5 in unless an option sets its size ([Size]).
func DrawPanel(w io.Writer, format, name string, d *Run, burnIn int, opts ...Option) error {
	ps, ok := findPanel(name)
	if !ok {
		return fmt.Errorf("unknown panel %q; panels: %s", name, strings.Join(Panels(), ", "))
	}
	width, height, scale := resolve(panelWidth, panelHeight, opts)
	ctx := drawCtx{burnIn: burnIn, scale: scale}
	p, err := buildDrawable(ps, d, ctx)
	if err != nil {
		return fmt.Errorf("panel %s: %w", ps.name, err)
	}
	p.Title.Text += "\n" + panelSubtitle(d, burnIn)
	if note := panelEnsembleNote(ps.name); d.Runs() > 1 && note != "" {
		p.Title.Text += "\n" + note
	}
	fitTitle(p, width-ctx.pt(8))
	c, err := newCanvas(format, width, height)
	if err != nil {
		return err
	}
	area := draw.Crop(draw.New(c), ctx.pt(4), -ctx.pt(10), ctx.pt(4), -ctx.pt(4))
	fitAxisLabels(p, area)
	p.Draw(area)
	_, err = c.WriteTo(w)
	return err
}
