package figures

import (
	"bytes"
	"compress/zlib"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w, h float64 // points
		err  string  // a part of the error, "" for none
	}{
		{"3.5in,2.6in", 252, 187.2, ""},
		{"9cm,6.5cm", 9 / 2.54 * 72, 6.5 / 2.54 * 72, ""},
		{"89mm,65mm", 89 / 25.4 * 72, 65 / 25.4 * 72, ""},
		{"252pt,187pt", 252, 187, ""},
		{"3.5in,6cm", 252, 6 / 2.54 * 72, ""},
		{" 3.5in , 2.6in ", 252, 187.2, ""},
		{"3.5,2.6in", 252, 187.2, ""}, // the height's unit for both
		{"1in,60in", 72, 4320, ""},
		{"3.5in", 0, 0, "want WIDTH,HEIGHT"},
		{"3.5in,2.6in,1in", 0, 0, "want WIDTH,HEIGHT"},
		{"", 0, 0, "want WIDTH,HEIGHT"},
		{"3.5x2.6in", 0, 0, "want WIDTH,HEIGHT"},
		{"3.5,2.6", 0, 0, "width 3.5: no unit"},
		{"3.5in,2.6", 0, 0, "height 2.6: no unit"},
		{"3.5px,2.6in", 0, 0, `width "3.5px": want a number with a unit`},
		{"abcin,2.6in", 0, 0, `width "abcin": want a positive number before in`},
		{"0in,2.6in", 0, 0, "want a positive number"},
		{"-3in,2.6in", 0, 0, "want a positive number"},
		{"NaNin,2.6in", 0, 0, "want a positive number"},
		{"Infin,2.6in", 0, 0, "want a positive number"},
		{"0.5in,2.6in", 0, 0, "width 0.5in: want 1 in (2.54 cm) to 60 in"},
		{"3.5in,2m", 0, 0, `height "2m": want a number with a unit`},
		{"3.5in,61in", 0, 0, "height 61in: want 1 in"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			w, h, err := ParseSize(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "\n") {
					t.Errorf("ParseSize(%q) = %v, %v, %v; want one line containing %q", tc.in, w, h, err, tc.err)
				}
				return
			}
			if err != nil || math.Abs(w.Points()-tc.w) > 1e-9 || math.Abs(h.Points()-tc.h) > 1e-9 {
				t.Errorf("ParseSize(%q) = %vpt, %vpt, %v; want %vpt, %vpt", tc.in, w.Points(), h.Points(), err, tc.w, tc.h)
			}
		})
	}
}

func TestResolveScale(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []Option
		w, h  vg.Length
		scale float64
	}{
		{"default", nil, panelWidth, panelHeight, 1},
		{"column width", []Option{Size(3.5*vg.Inch, 2.6*vg.Inch)}, 3.5 * vg.Inch, 2.6 * vg.Inch, math.Sqrt(0.5)},
		{"height decides, at the floor", []Option{Size(7*vg.Inch, 1.25*vg.Inch)}, 7 * vg.Inch, 1.25 * vg.Inch, minScale},
		{"height decides", []Option{Size(14*vg.Inch, 2.5*vg.Inch)}, 14 * vg.Inch, 2.5 * vg.Inch, math.Sqrt(0.5)},
		{"twice as large", []Option{Size(14*vg.Inch, 10*vg.Inch)}, 14 * vg.Inch, 10 * vg.Inch, math.Sqrt(2)},
		{"large", []Option{Size(60*vg.Inch, 60*vg.Inch)}, 60 * vg.Inch, 60 * vg.Inch, math.Sqrt(60.0 / 7)},
		{"huge, at the ceiling", []Option{Size(100*vg.Inch, 100*vg.Inch)}, 100 * vg.Inch, 100 * vg.Inch, maxScale},
		{"zero keeps the default", []Option{Size(0, 0)}, panelWidth, panelHeight, 1},
		{"last option wins", []Option{Size(14*vg.Inch, 10*vg.Inch), Size(7*vg.Inch, 5*vg.Inch)}, panelWidth, panelHeight, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, h, s := resolve(panelWidth, panelHeight, tc.opts)
			if w != tc.w || h != tc.h || math.Abs(s-tc.scale) > 1e-12 {
				t.Errorf("resolve = %v, %v, %v; want %v, %v, %v", w, h, s, tc.w, tc.h, tc.scale)
			}
		})
	}
}

func TestTextEncodings(t *testing.T) {
	for _, tc := range []struct {
		in, pdf, eps string
	}{
		{"Log real GDP", "Log real GDP", "Log real GDP"},
		{"corr −0.38", "corr \x960.38", "corr -0.38"},
		{"periods 1–500", "periods 1\x96500", "periods 1-500"},
		{"BAM — scenario", "BAM \x97 scenario", "BAM -- scenario"},
		{"16 × 12 ± 1 · é", "16 \xd7 12 \xb1 1 \xb7 \xe9", "16 x 12 +/- 1 . ?"},
		{"≥ 0.95", ">= 0.95", ">= 0.95"},
		{"Δu", "du", "du"},
		{"π", "?", "?"},
		{`(a) \ b)`, `(a) \ b)`, `\(a\) \\ b\)`},
	} {
		if got := cp1252(tc.in); got != tc.pdf {
			t.Errorf("cp1252(%q) = %q, want %q", tc.in, got, tc.pdf)
		}
		if got := postScriptASCII(tc.in); got != tc.eps {
			t.Errorf("postScriptASCII(%q) = %q, want %q", tc.in, got, tc.eps)
		}
	}
}

// pdfStreams returns the content of the streams of the PDF b, inflated
// when they are compressed.
func pdfStreams(t *testing.T, b []byte) []string {
	t.Helper()
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	var out []string
	for _, m := range re.FindAllSubmatch(b, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out = append(out, string(m[1])) // not compressed
			continue
		}
		d, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("inflating a stream: %v", err)
		}
		out = append(out, string(d))
	}
	return out
}

// pdfTexts returns the strings the PDF b shows (the operands of Tj),
// unescaped.
func pdfTexts(t *testing.T, b []byte) []string {
	t.Helper()
	re := regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\)\s*Tj`)
	var out []string
	for _, s := range pdfStreams(t, b) {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			out = append(out, regexp.MustCompile(`\\(.)`).ReplaceAllString(m[1], "$1"))
		}
	}
	return out
}

// pdfMediaBox returns the page size of the PDF b, in points.
func pdfMediaBox(t *testing.T, b []byte) (w, h float64) {
	t.Helper()
	m := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no /MediaBox")
	}
	w, _ = strconv.ParseFloat(string(m[1]), 64)
	h, _ = strconv.ParseFloat(string(m[2]), 64)
	return w, h
}
