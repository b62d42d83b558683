package figures

// Drawing for `bam plot`: one gonum/plot Plot per panel, composed on one
// canvas (vgimg for PNG, vgsvg for SVG) with draw.Tiles.

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
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure geometry. A PNG has figureDPI pixels per inch: the full figure is
// 1920×1440 pixels, one panel 840×600.
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

// panelSpec is one panel of the figure.
type panelSpec struct {
	// name is the --panel name.
	name string
	// cols are the economy.csv columns the panel needs, besides period.
	cols []string
	// firms tells whether the panel needs firms.csv.
	firms bool
	// build draws the panel from d with the first burnIn periods as
	// burn-in.
	build func(d *Run, burnIn int) (*plot.Plot, error)
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

// newPlot returns a plot with a title, axis labels and a light grid, drawn
// above the plotters under.
func newPlot(title, xLabel, yLabel string, under ...plot.Plotter) *plot.Plot {
	p := plot.New()
	p.Add(under...)
	p.Title.Text = title
	p.Title.Padding = 4
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = style.Grid, style.Grid
	g.Vertical.Width, g.Horizontal.Width = 0.5, 0.5
	p.Add(g)
	p.X.Tick.Marker, p.Y.Tick.Marker = style.NiceTicks{}, style.NiceTicks{}
	return p
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
func buildDrawable(ps panelSpec, d *Run, burnIn int) (*plot.Plot, error) {
	p, err := ps.build(d, burnIn)
	if err != nil || drawable(p) {
		return p, err
	}
	q := newPlot(p.Title.Text+"\n(not drawn: values beyond ±1e15 or not finite)", p.X.Label.Text, p.Y.Label.Text)
	q.X.Min, q.X.Max, q.Y.Min, q.Y.Max = 0, 1, 0, 1
	return q, nil
}

// timeSeries returns a time-series plot of the economy columns cols
// (scaled by scale) against the period, with the burn-in shaded; names
// label the lines in a legend when there is more than one.
func timeSeries(d *Run, burnIn int, title, yLabel string, scale float64, cols, names []string) (*plot.Plot, error) {
	periods := d.col(colPeriod)
	var under []plot.Plotter
	if x0, x1, ok := burnInSpan(periods, burnIn); ok {
		under = append(under, style.Shade{X0: x0, X1: x1, Color: style.BurnIn})
	}
	p := newPlot(title, labelPeriod, yLabel, under...)
	lineColors := []color.Color{style.Blue, style.Orange}
	for i, name := range cols {
		l, err := plotter.NewLine(xyPoints(periods, d.col(name), 1, scale))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		l.Color = lineColors[i%len(lineColors)]
		l.Width = 1
		p.Add(l)
		if len(cols) > 1 {
			p.Legend.Add(names[i], l)
		}
	}
	if n := len(periods); n > 0 {
		p.X.Min, p.X.Max = periods[0], periods[n-1]
	}
	return p, nil
}

// scatter returns a scatter plot of the points (xs[i]·100, ys[i]·100), in
// percent.
func scatter(title, xLabel, yLabel string, xs, ys []float64) (*plot.Plot, error) {
	p := newPlot(title, xLabel, yLabel)
	s, err := plotter.NewScatter(xyPoints(xs, ys, 100, 100))
	if err != nil {
		return nil, err
	}
	s.Color = style.Dots
	s.Radius = vg.Points(1.8)
	s.Shape = draw.CircleGlyph{}
	p.Add(s)
	return p, nil
}

// corrNote is the correlation in a scatter panel's title.
func corrNote(r float64) string { return "corr " + style.Fixed(r, 2) }

// buildGDP draws log real GDP.
func buildGDP(d *Run, burnIn int) (*plot.Plot, error) {
	return timeSeries(d, burnIn, "Log real GDP", "log real GDP (log units)", 1, []string{colLogGDP}, nil)
}

// buildUnemployment draws the unemployment rate.
func buildUnemployment(d *Run, burnIn int) (*plot.Plot, error) {
	return timeSeries(d, burnIn, "Unemployment rate", "unemployment rate (%)", 100, []string{colUnemployment}, nil)
}

// buildInflation draws the annual (year-on-year) price inflation.
func buildInflation(d *Run, burnIn int) (*plot.Plot, error) {
	return timeSeries(d, burnIn, "Annual inflation (price level, year on year)", "inflation (% per year)", 100, []string{colInflation}, nil)
}

// buildWages draws average labour productivity and the real wage.
func buildWages(d *Run, burnIn int) (*plot.Plot, error) {
	p, err := timeSeries(d, burnIn, "Productivity and real wage", "goods per worker per quarter", 1,
		[]string{colProductivity, colRealWage}, []string{"average productivity", "real wage"})
	if err != nil {
		return nil, err
	}
	// The legend sits top left, in room left above the lines.
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), -vg.Points(4)
	p.Legend.TextStyle.Font.Size = 10
	p.Legend.ThumbnailWidth = vg.Points(18)
	p.Legend.Padding = vg.Points(3)
	if lo, hi, ok := headroom(0.3, d.col(colProductivity), d.col(colRealWage)); ok {
		p.Y.Min, p.Y.Max = lo, hi
	}
	return p, nil
}

// buildPhillips draws the Phillips curve: wage inflation against
// unemployment, after the burn-in.
func buildPhillips(d *Run, burnIn int) (*plot.Plot, error) {
	u, wi := after(d.col(colUnemployment), burnIn), after(d.col(colWageInfl), burnIn)
	return scatter("Phillips curve ("+corrNote(stats.Corr(u, wi))+")",
		"unemployment rate (%)", "wage inflation (% per quarter)", u, wi)
}

// buildOkun draws the Okun curve: GDP growth against unemployment growth,
// after the burn-in, without the outliers of the IQR filter.
func buildOkun(d *Run, burnIn int) (*plot.Plot, error) {
	x, y, dropped := okunPoints(d.col(colUnempGrowth), d.col(colGDPGrowth), burnIn)
	title := "Okun curve (" + corrNote(stats.Corr(x, y))
	if dropped > 0 {
		title += fmt.Sprintf(", %d outliers hidden", dropped)
	}
	return scatter(title+")", "unemployment growth (% per quarter)", "real GDP growth (% per quarter)", x, y)
}

// buildBeveridge draws the Beveridge curve: the vacancy rate against
// unemployment, after the burn-in.
func buildBeveridge(d *Run, burnIn int) (*plot.Plot, error) {
	u, v := after(d.col(colUnemployment), burnIn), after(d.col(colVacancyRate), burnIn)
	return scatter("Beveridge curve ("+corrNote(stats.Corr(u, v))+")",
		"unemployment rate (%)", "vacancy rate (%)", u, v)
}

// buildFirmSize draws the rank-size plot of the last period's firm output
// on log-log axes, over the firms with output > 0.
func buildFirmSize(d *Run, _ int) (*plot.Plot, error) {
	pts := rankSize(d.production)
	last := ""
	if ps := d.col(colPeriod); len(ps) > 0 {
		last = ", period " + fmtPeriod(ps[len(ps)-1])
	}
	title := fmt.Sprintf("Firm-size distribution (%d firms with output > 0%s)", len(pts), last)
	p := newPlot(title, "rank (1 = largest firm, log scale)", "output (goods per quarter, log scale)")
	if len(pts) == 0 {
		return p, nil
	}
	s, err := plotter.NewScatter(log10Points(pts))
	if err != nil {
		return nil, err
	}
	s.Color = style.Blue
	s.Radius = vg.Points(2)
	s.Shape = draw.CircleGlyph{}
	p.Add(s)
	ranks, outs := make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		ranks[i], outs[i] = pt.X, pt.Y
	}
	// Log-log axes are drawn as linear axes of log10 values with log tick
	// marks (gonum's LogScale misplaces the axis labels).
	p.X.Min, p.X.Max, _ = logRange(ranks)
	p.Y.Min, p.Y.Max, _ = logRange(outs)
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks{}, logTicks{}
	return p, nil
}

// runLabel names the run of info: "scenario NAME, seed N".
func runLabel(info Info) string {
	s := fmt.Sprintf("scenario %s, seed %d", info.Scenario, info.Seed)
	if info.Collapsed {
		s += " (the economy collapsed)"
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
func figureTitle(info Info, periods []float64, burnIn int) string {
	s := "BAM — " + runLabel(info)
	if n := len(periods); n > 0 {
		s += fmt.Sprintf(", periods %s–%s", fmtPeriod(periods[0]), fmtPeriod(periods[n-1]))
	}
	if b := burnInLabel(periods, burnIn); b != "" {
		s += "; " + b + " (shaded; left out of the scatter plots)"
	}
	return s
}

// panelSubtitle is the second title line of a single panel.
func panelSubtitle(info Info, periods []float64, burnIn int) string {
	s := runLabel(info)
	if b := burnInLabel(periods, burnIn); b != "" {
		s += "; " + b
	}
	return s
}

// newCanvas returns a canvas of size w×h for format ("png" or "svg") and
// a function writing it out, with a white background.
func newCanvas(format string, w, h vg.Length) (vg.CanvasWriterTo, error) {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(figureDPI))}
	case "svg":
		c = vgsvg.New(w, h)
	default:
		return nil, fmt.Errorf("unknown image format %q", format)
	}
	dc := draw.New(c)
	dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: w, Y: 0}, {X: w, Y: h}, {X: 0, Y: h}})
	return c, nil
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

// DrawFigure draws the full figure of d (every panel, the title and the
// summary statistics) as format ("png" or "svg") to w, the first burnIn
// periods shaded as burn-in and left out of the statistics. Drawing may
// panic inside gonum/plot on degenerate data: wrap it in style.SafeDraw or
// recover.
func DrawFigure(w io.Writer, format string, d *Run, burnIn int) error {
	c, err := newCanvas(format, figureWidth, figureHeight)
	if err != nil {
		return err
	}
	dc := draw.New(c)
	title := textStyle(17, draw.XCenter)
	dc.FillText(title, vg.Point{X: figureWidth / 2, Y: figureHeight - vg.Points(12)},
		figureTitle(d.info, d.col(colPeriod), burnIn))

	grid := make([][]*plot.Plot, gridRows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, gridCols)
	}
	for i, ps := range panels {
		p, err := buildDrawable(ps, d, burnIn)
		if err != nil {
			return fmt.Errorf("panel %s: %w", ps.name, err)
		}
		grid[i/gridCols][i%gridCols] = p
	}
	tiles := draw.Tiles{
		Rows: gridRows, Cols: gridCols,
		PadTop: vg.Points(44), PadBottom: vg.Points(10), PadLeft: vg.Points(10), PadRight: vg.Points(20),
		PadX: vg.Points(28), PadY: vg.Points(22),
	}
	canvases := plot.Align(grid, tiles, dc)
	for r := range grid {
		for col, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][col])
			}
		}
	}
	// The free tile holds the summary statistics.
	k := len(panels)
	drawSummary(tiles.At(dc, k%gridCols, k/gridCols), summaryLines(d, burnIn))
	_, err = c.WriteTo(w)
	return err
}

// drawSummary writes lines into the tile c, the first as a heading.
func drawSummary(c draw.Canvas, lines []string) {
	head, body := textStyle(13, draw.XLeft), textStyle(12, draw.XLeft)
	x := c.Min.X + vg.Points(30)
	y := c.Max.Y - vg.Points(20)
	for i, l := range lines {
		st := body
		if i == 0 {
			st = head
		}
		c.FillText(st, vg.Point{X: x, Y: y}, l)
		y -= st.Height(l) * 1.45
	}
}

// DrawPanel draws the panel called name (see [Panels]) of d as format to
// w, like [DrawFigure].
func DrawPanel(w io.Writer, format, name string, d *Run, burnIn int) error {
	ps, ok := findPanel(name)
	if !ok {
		return fmt.Errorf("unknown panel %q; panels: %s", name, strings.Join(Panels(), ", "))
	}
	p, err := buildDrawable(ps, d, burnIn)
	if err != nil {
		return fmt.Errorf("panel %s: %w", ps.name, err)
	}
	p.Title.Text += "\n" + panelSubtitle(d.info, d.col(colPeriod), burnIn)
	c, err := newCanvas(format, panelWidth, panelHeight)
	if err != nil {
		return err
	}
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, vg.Points(4), -vg.Points(10), vg.Points(4), -vg.Points(4)))
	_, err = c.WriteTo(w)
	return err
}
