package experiments

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/stats"
)

// IVFigure is the figure an internal-validity study writes.
const IVFigure = "internal.png"

// Plot draws the study like the book's Fig. 3.9, to w in format (png, svg
// or pdf): one panel per co-movement variable, the mean curve over lags
// −4 … +4 with its ± one-std band and the baseline seed's curve (dashed),
// the ±0.2 acyclicality band marked; and a last panel with the impulse
// responses of the mean cycle's AR(1) and of the mean per-seed AR(2).
func (r *IVResult) Plot(w io.Writer, format string, width, height vg.Length) error {
	if width == 0 || height == 0 {
		width, height = 10*vg.Inch, 6*vg.Inch
	}
	lags := make([]float64, 2*MaxLag+1)
	for i := range lags {
		lags[i] = float64(i - MaxLag)
	}
	var baseline *SeedAnalysis
	for _, a := range r.Seeds {
		if a.Seed == r.BaselineSeed {
			baseline = a
		}
	}
	plots := [][]*plot.Plot{make([]*plot.Plot, 3), make([]*plot.Plot, 3)}
	for v, name := range CoVariables {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s (%s at lag 0)", name, cyclicality(r.CoMean[v][MaxLag]))
		p.X.Label.Text = "lag k (k > 0: lags GDP)"
		p.Y.Min, p.Y.Max = -1, 1
		for _, y := range []float64{-AcycBand, AcycBand} {
			band := plotter.NewFunction(func(float64) float64 { return y })
			band.Color, band.Dashes = style.Grid, []vg.Length{vg.Points(2), vg.Points(2)}
			p.Add(band)
		}
		b := &Band{Mean: r.CoMean[v], Lo: make([]float64, len(lags)), Hi: make([]float64, len(lags))}
		for k := range lags {
			b.Lo[k], b.Hi[k] = r.CoMean[v][k]-r.CoStd[v][k], r.CoMean[v][k]+r.CoStd[v][k]
		}
		if err := addBandAt(p, lags, b, style.Blue); err != nil {
			return err
		}
		if baseline != nil {
			var pts plotter.XYs
			for k, c := range baseline.CoMovements[v] {
				if isFinite(c) {
					pts = append(pts, plotter.XY{X: lags[k], Y: c})
				}
			}
			if len(pts) > 1 {
				l, err := plotter.NewLine(pts)
				if err != nil {
					return err
				}
				l.Color, l.Dashes = style.Orange, []vg.Length{vg.Points(4), vg.Points(2)}
				p.Add(l)
			}
		}
		if !isFinite(r.CoMean[v][MaxLag]) {
			p.Title.Text = name + " (undefined: constant over the window)"
		}
		p.X.Tick.Marker = style.NiceTicks{}
		plots[v/3][v%3] = p
	}
	irf := plot.New()
	irf.Title.Text = "impulse responses to a unit shock"
	labels := []string{"AR(1) of the mean cycle, φ₁ " + style.Fixed(r.MeanAR.Phi[0], 2), "mean per-seed AR(2)"}
	irf.X.Label.Text = "steps after the shock"
	steps := make([]float64, IRFSteps)
	for i := range steps {
		steps[i] = float64(i)
	}
	for i, curve := range [][]float64{r.MeanIRF, irfOf(r.ARPhi1.Mean, r.ARPhi2.Mean)} {
		var pts plotter.XYs
		for k, v := range curve {
			if isFinite(v) {
				pts = append(pts, plotter.XY{X: steps[k], Y: v})
			}
		}
		if len(pts) < 2 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = style.Blue
		if i == 1 {
			l.Color = style.Orange
		}
		irf.Add(l)
		irf.Legend.Add(labels[i], l)
	}
	irf.Legend.Top = true // the responses decay from 1: the upper right is empty
	irf.X.Tick.Marker, irf.Y.Tick.Marker = style.NiceTicks{}, style.NiceTicks{}
	plots[1][2] = irf
	return drawGrid(w, format, width, height, plots)
}

// irfOf is the impulse response of an AR(2) with the given coefficients
// (all NaN if either is not finite).
func irfOf(phi1, phi2 float64) []float64 {
	if !isFinite(phi1) || !isFinite(phi2) {
		out := make([]float64, IRFSteps)
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	return stats.IRF([]float64{phi1, phi2}, IRFSteps)
}
