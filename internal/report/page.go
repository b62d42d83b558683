package report

// The pieces of a report page that the other HTML reports of the module
// (the robustness reports of package experiments, the calibration report)
// share with this one, for one look.

import (
	"bytes"
	"html/template"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// PageHead opens a report page in the style of the stability report (CSS):
// its head and title banner, up to the opening of <main>. It is the text of
// an html/template whose data has the fields Title and Subtitle; the page
// goes on with its sections and ends with "</main>\n</body>\n</html>\n".
const PageHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + CSS + `</style>
</head>
<body>
<header class="top"><h1>{{.Title}}</h1><p>{{.Subtitle}}</p></header>
<main>
`

// InlineSVG drops the XML prolog of an SVG drawn by gonum/plot (vgsvg) so
// that it can sit inside HTML. The SVG is trusted: it must be drawn by the
// program from numbers, with any text in it escaped by vgsvg.
func InlineSVG(svg []byte) template.HTML {
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	return template.HTML(svg) // drawn by gonum/plot from numbers, not user text
}

// NewPlot returns an empty plot in the style of the stability report's
// charts: sans-serif text, small ticks (at most five labels per axis), a
// light grid drawn over the plotters under.
func NewPlot(xLabel, yLabel string, under ...plot.Plotter) *plot.Plot {
	return reportPlot(xLabel, yLabel, under...)
}

// RenderSVG draws p on a white w×h SVG canvas and returns the <svg>
// element, of class "chart" (scaled down to the width of its container by
// CSS), without the XML prolog, to be embedded in a page; label is its
// accessible name. A panic of gonum/plot while drawing is returned as an
// error.
func RenderSVG(p *plot.Plot, w, h vg.Length, label string) (template.HTML, error) {
	return renderSVG(p, w, h, label)
}
