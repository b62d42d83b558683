package figures

// Output formats and sizes: the canvases of PNG, SVG, PDF and EPS, the
// text encodings the PDF and EPS canvases need, and the --size syntax.

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	// The formats of draw.NewFormattedCanvas.
	_ "gonum.org/v1/plot/vg/vgeps"
	_ "gonum.org/v1/plot/vg/vgpdf"
	_ "gonum.org/v1/plot/vg/vgsvg"
)

// Formats are the image formats the figures are drawn in, named as the
// extension of the file: PNG (figureDPI pixels per inch), SVG, PDF (fonts
// embedded) and EPS.
var Formats = []string{"png", "svg", "pdf", "eps"}

// An Option changes how [DrawFigure] and [DrawPanel] draw.
type Option func(*options)

// options are the settings of the Options.
type options struct {
	w, h vg.Length // 0: the default size
}

// Size draws the figure (or the panel) w wide and h high instead of its
// default size (16 × 12 in for the figure, 7 × 5 in for a panel). Fonts,
// lines and marks scale with the square root of the smaller of the two
// ratios to the default size, so that a panel at a paper's column width
// (3.5 in) keeps text of 7–8.5 pt. Sizes of 0 keep the default; see
// [ParseSize] for the syntax of the command line.
func Size(w, h vg.Length) Option {
	return func(o *options) { o.w, o.h = w, h }
}

// resolve applies opts and returns the size, defaulting to w0 × h0, and
// the scale of fonts, lines and marks at that size.
func resolve(w0, h0 vg.Length, opts []Option) (w, h vg.Length, scale float64) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	w, h = w0, h0
	if o.w > 0 && o.h > 0 {
		w, h = o.w, o.h
	}
	return w, h, lookScale(float64(w/w0), float64(h/h0))
}

// Bounds of the scale of fonts, lines and marks: below minScale text is no
// longer legible, above maxScale it dwarfs the data.
const (
	minScale = 0.55
	maxScale = 3
)

// lookScale is the scale of fonts, lines and marks of a figure rw and rh
// times as wide and high as its default: the square root of the smaller
// ratio (text shrinks less than the figure), within [minScale, maxScale].
func lookScale(rw, rh float64) float64 {
	return max(minScale, min(maxScale, math.Sqrt(min(rw, rh))))
}

// Bounds of a size given to ParseSize.
const (
	minSide = 1 * vg.Inch
	maxSide = 60 * vg.Inch
)

// units are the length units of ParseSize.
var units = []struct {
	name string
	len  vg.Length
}{
	{"in", vg.Inch}, {"cm", vg.Centimeter}, {"mm", vg.Millimeter}, {"pt", vg.Points(1)},
}

// ParseSize parses a figure size "WIDTH,HEIGHT", each a number with a unit
// (in, cm, mm or pt), as in "3.5in,2.6in" or "9cm,6.5cm"; a unit given only
// after the height applies to both ("3.5,2.6in"). Each side must lie
// between 1 in and 60 in. The error says what was wrong, in one line.
func ParseSize(s string) (w, h vg.Length, err error) {
	parts := strings.Split(strings.TrimSpace(s), ",")
	if len(parts) != 2 {
		return 0, 0, fmt.Errorf("want WIDTH,HEIGHT with a unit (in, cm, mm or pt), as in 3.5in,2.6in")
	}
	ws, hs := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
	hu, hok := unitOf(hs)
	if _, wok := unitOf(ws); !wok && hok && isNumber(ws) {
		ws += hu // "3.5,2.6in": the height's unit for both
	}
	if w, err = parseLength(ws, "width"); err != nil {
		return 0, 0, err
	}
	if h, err = parseLength(hs, "height"); err != nil {
		return 0, 0, err
	}
	return w, h, nil
}

// unitOf returns the unit suffix of s, if it has one of units.
func unitOf(s string) (string, bool) {
	for _, u := range units {
		if strings.HasSuffix(s, u.name) {
			return u.name, true
		}
	}
	return "", false
}

// isNumber reports whether s is a decimal number.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// parseLength parses one side of a size, a number with a unit.
func parseLength(s, side string) (vg.Length, error) {
	for _, u := range units {
		num, ok := strings.CutSuffix(s, u.name)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%s %q: want a positive number before %s", side, s, u.name)
		}
		l := vg.Length(v) * u.len
		if l < minSide || l > maxSide {
			return 0, fmt.Errorf("%s %s: want 1 in (2.54 cm) to 60 in", side, s)
		}
		return l, nil
	}
	if isNumber(s) {
		return 0, fmt.Errorf("%s %s: no unit; want in, cm, mm or pt (as in 3.5in)", side, s)
	}
	return 0, fmt.Errorf("%s %q: want a number with a unit: in, cm, mm or pt (as in 3.5in)", side, s)
}

// newCanvas returns a canvas of size w×h for format (one of Formats) with
// a white background. The PDF and EPS canvases get their text in the
// encodings their fonts have (see textCanvas).
func newCanvas(format string, w, h vg.Length) (vg.CanvasWriterTo, error) {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		// gonum's png format draws at 96 dpi; the figures have figureDPI.
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(figureDPI))}
	case "svg":
		var err error
		if c, err = draw.NewFormattedCanvas(w, h, format); err != nil {
			return nil, err
		}
	case "pdf", "eps":
		fc, err := draw.NewFormattedCanvas(w, h, format)
		if err != nil {
			return nil, err
		}
		if format == "pdf" {
			c = textCanvas{CanvasWriterTo: fc, enc: cp1252}
		} else {
			c = epsCanvas{textCanvas{CanvasWriterTo: fc, enc: postScriptASCII}}
		}
	default:
		return nil, fmt.Errorf("unknown image format %q; formats: %s", format, strings.Join(Formats, ", "))
	}
	dc := draw.New(c)
	dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: w, Y: 0}, {X: w, Y: h}, {X: 0, Y: h}})
	return c, nil
}

// textCanvas hands the text drawn on it to its canvas through enc. The
// layout (text widths, alignment) is gonum's, measured on the original
// text before it reaches the canvas.
//
// gonum's PDF canvas embeds its fonts with the Windows-1252 code page but
// writes the bytes of a string as they come, so UTF-8 text such as the
// figures' minus signs and dashes would print as two or three wrong
// glyphs; its EPS canvas writes the string into a PostScript string as it
// is (no escapes), in the fonts' standard encoding.
type textCanvas struct {
	vg.CanvasWriterTo
	enc func(string) string
}

// FillString implements vg.Canvas.
func (c textCanvas) FillString(f font.Face, pt vg.Point, s string) {
	c.CanvasWriterTo.FillString(f, pt, c.enc(s))
}

// epsCanvas mends the header of gonum's EPS canvas, which begins
// "%%!PS-Adobe-3.0 EPSF-3.0" (a DSC comment, not PostScript's magic
// "%!PS") and writes "%%Creator" without its colon: file(1), viewers and
// LaTeX take such a file for plain text.
type epsCanvas struct{ textCanvas }

// WriteTo implements io.WriterTo.
func (c epsCanvas) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	if _, err := c.textCanvas.WriteTo(&b); err != nil {
		return 0, err
	}
	out := b.Bytes()
	if rest, ok := bytes.CutPrefix(out, []byte("%%!PS-Adobe")); ok {
		out = append([]byte("%!PS-Adobe"), rest...)
	}
	out = bytes.Replace(out, []byte("\n%%Creator "), []byte("\n%%Creator: "), 1)
	n, err := w.Write(out)
	return int64(n), err
}

// cp1252Specials are the characters of Windows-1252's bytes 0x80–0x9F;
// its bytes 0xA0–0xFF are Latin-1's.
var cp1252Specials = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// asciiFallbacks write the characters of the figures that a code page
// lacks.
var asciiFallbacks = map[rune]string{
	'−': "-", '–': "-", '—': "--", '±': "+/-", '×': "x", '·': ".", '…': "...",
	'≥': ">=", '≤': "<=", '≈': "~", '’': "'", '‘': "'", '“': `"`, '”': `"`,
	'Δ': "d", '°': " deg", '\u00a0': " ",
}

// cp1252 encodes s in Windows-1252, the code page of gonum's PDF fonts:
// the minus sign (U+2212), which it lacks, as its en dash, other missing
// characters by asciiFallbacks or as "?".
func cp1252(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch sp, ok := cp1252Specials[r]; {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b.WriteByte(byte(r))
		case ok:
			b.WriteByte(sp)
		case r == '−':
			b.WriteByte(cp1252Specials['–'])
		default:
			b.WriteString(fallback(r))
		}
	}
	return b.String()
}

// postScriptASCII writes s as the content of a PostScript string in
// ASCII: the characters outside it by asciiFallbacks (or "?"), the
// backslash and the parentheses escaped.
func postScriptASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteRune(r)
		default:
			b.WriteString(fallback(r))
		}
	}
	return b.String()
}

// fallback is the ASCII stand-in of r.
func fallback(r rune) string {
	if f, ok := asciiFallbacks[r]; ok {
		return f
	}
	return "?"
}

// isASCII reports whether s is plain ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
