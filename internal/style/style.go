package style

import (
	"image/color"
	"math"
	"strconv"
)

// The palette. The figures of bam plot draw series in Blue and Orange, the
// scatter plots' points in Dots, the burn-in in BurnIn and the grid in
// Grid; the report's status colours (Pass, Warn, Fail, their tints for
// shaded bands and the bars of its charts) match the CSS of its page.
var (
	// Figures.
	Blue     = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	Orange   = color.RGBA{R: 230, G: 110, B: 0, A: 255}
	Dots     = color.NRGBA{R: 31, G: 119, B: 180, A: 110}
	BurnIn   = color.RGBA{R: 228, G: 228, B: 228, A: 255}
	Grid     = color.RGBA{R: 200, G: 200, B: 200, A: 255}
	DarkText = color.RGBA{R: 40, G: 40, B: 40, A: 255}
	AxisText = color.RGBA{R: 120, G: 120, B: 120, A: 255}

	// Statuses: marks, then the light tints of bands.
	Pass     = color.RGBA{R: 46, G: 125, B: 50, A: 255}
	Warn     = color.RGBA{R: 230, G: 160, B: 0, A: 255}
	Fail     = color.RGBA{R: 198, G: 40, B: 40, A: 255}
	PassTint = color.RGBA{R: 226, G: 242, B: 224, A: 255}
	WarnTint = color.RGBA{R: 255, G: 243, B: 205, A: 255}
	FailTint = color.RGBA{R: 252, G: 229, B: 229, A: 255}

	// Bars of the report's charts (a failing bar is Fail), marker lines
	// and light strokes.
	PassBar    = color.RGBA{R: 38, G: 94, B: 160, A: 255}
	WarnBar    = color.RGBA{R: 235, G: 140, B: 0, A: 255}
	UnknownBar = color.RGBA{R: 120, G: 130, B: 145, A: 255}
	MarkLine   = color.RGBA{R: 50, G: 50, B: 60, A: 255}
	White      = color.RGBA{R: 255, G: 255, B: 255, A: 255}
)

// Finite reports whether v is neither NaN nor ±Inf.
func Finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Fixed formats v with prec digits after the point and a true minus sign
// (U+2212), or "n/a" when v is not finite: the numbers of figures and
// reports. A magnitude of 1e15 or more is written with an exponent
// (4 significant digits) instead of dozens of digits.
func Fixed(v float64, prec int) string {
	if !Finite(v) {
		return "n/a"
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if math.Abs(v) >= 1e15 {
		s = strconv.FormatFloat(v, 'g', 4, 64) // not dozens of digits
	}
	if len(s) > 0 && s[0] == '-' {
		s = "−" + s[1:]
	}
	return s
}

// Value formats a metric's value in a table: four decimals from 0.001 to
// 100 000 (and 0), four significant digits otherwise, "NaN" for NaN.
func Value(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case x == 0 || (math.Abs(x) >= 1e-3 && math.Abs(x) < 1e5):
		return strconv.FormatFloat(x, 'f', 4, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// Percent formats the share x as a percentage with decimals decimals
// followed by unit ("%" in the command's tables, " %" in figures and the
// report), or "n/a" when x is not finite.
func Percent(x float64, decimals int, unit string) string {
	if !Finite(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', decimals, 64) + unit
}
