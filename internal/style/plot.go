package style

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The pieces of gonum/plot figures that bam plot and the stability report
// share.

// NiceTicks are the tick marks of a linear axis: labels at multiples of a
// step of 1, 2 or 5 times a power of ten, the largest step that gives at
// least four labels, with as many decimals as the step needs and a proper
// minus sign; unlabelled minor ticks in between.
type NiceTicks struct{}

// Ticks returns the tick marks between lo and hi.
func (NiceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !Finite(lo) || !Finite(hi) || hi <= lo {
		return []plot.Tick{{Value: lo, Label: tickLabel(lo, 2)}}
	}
	k := int(math.Floor(math.Log10(hi - lo)))
	for ; ; k-- {
		for _, m := range []float64{5, 2, 1} {
			step := m * math.Pow(10, float64(k))
			first := math.Ceil(lo/step-1e-9) * step
			if n := int(math.Floor((hi-first)/step+1e-9)) + 1; n < 4 && k > -15 {
				continue
			}
			decimals := max(0, -k)
			minor := step / 5
			if m == 2 {
				minor = step / 4
			}
			var ticks []plot.Tick
			for i := math.Ceil(lo/minor - 1e-9); i*minor <= hi+minor*1e-9; i++ {
				v := i * minor
				t := plot.Tick{Value: v}
				if r := math.Abs(v/step - math.Round(v/step)); r < 1e-6 {
					t.Label = tickLabel(v, decimals)
				}
				ticks = append(ticks, t)
			}
			return ticks
		}
	}
}

// tickLabel formats v with decimals decimals and a proper minus sign (and
// no negative zero).
func tickLabel(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	if strings.HasPrefix(s, "-") {
		s = "−" + s[1:]
	}
	return s
}

// Shade is a plotter that fills the x-range [x0, x1] over the full height
// of the data area: the burn-in of the time-series panels. It does not
// change the axis ranges.
type Shade struct {
	X0, X1 float64
	Color  color.Color
}

// Plot implements plot.Plotter.
func (s Shade) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x0 := max(c.Min.X, min(c.Max.X, trX(s.X0)))
	x1 := max(c.Min.X, min(c.Max.X, trX(s.X1)))
	if x1 <= x0 {
		return
	}
	c.FillPolygon(s.Color, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// HShade is a plotter that fills the y-range [Y0, Y1] over the full width
// of the data area (the status bands of the report's charts). It does not
// change the axis ranges.
type HShade struct {
	Y0, Y1 float64
	Color  color.Color
}

// Plot implements plot.Plotter.
func (s HShade) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y0 := max(c.Min.Y, min(c.Max.Y, trY(s.Y0)))
	y1 := max(c.Min.Y, min(c.Max.Y, trY(s.Y1)))
	if y1 <= y0 {
		return
	}
	c.FillPolygon(s.Color, []vg.Point{{X: c.Min.X, Y: y0}, {X: c.Max.X, Y: y0}, {X: c.Max.X, Y: y1}, {X: c.Min.X, Y: y1}})
}

// SafeDraw calls draw, turning a panic of the plotting library into an
// error.
func SafeDraw(draw func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plotting failed: %v", r)
		}
	}()
	return draw()
}
