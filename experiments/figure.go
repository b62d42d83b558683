package experiments

import (
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/bam-abm/bam/internal/style"
)

// drawGrid draws plots (rows of panels, aligned) on one canvas of the
// given size and writes it to w in format: png, svg or pdf. Drawing is
// guarded by style.SafeDraw.
func drawGrid(w io.Writer, format string, width, height vg.Length, plots [][]*plot.Plot) error {
	var cv interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "png":
		cv = vgimg.PngCanvas{Canvas: vgimg.New(width, height)}
	case "svg":
		cv = vgsvg.New(width, height)
	case "pdf":
		cv = vgpdf.New(width, height)
	default:
		return designError("format %q: want png, svg or pdf", format)
	}
	return style.SafeDraw(func() error {
		tiles := draw.Tiles{Rows: len(plots), Cols: len(plots[0]), PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
			PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
		canvases := plot.Align(plots, tiles, draw.New(cv))
		for i := range plots {
			for j := range plots[i] {
				plots[i][j].Draw(canvases[i][j])
			}
		}
		_, err := cv.WriteTo(w)
		return err
	})
}
