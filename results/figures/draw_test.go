package figures

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/scenarios"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// panelTitles are the beginnings of the panels' titles, in the figure's
// order: what a reader sees of each panel, its unit or definition said.
var panelTitles = []string{
	"Log real GDP",
	"Unemployment rate",
	"Price inflation per year",
	"Productivity and real wage",
	"Phillips curve, wage inflation per quarter",
	"Okun curve, growth rates",
	"Beveridge curve",
	"Firm-size distribution",
}

var (
	simOnce sync.Once
	simRuns []*Run
	simGate []bam.GateMetrics
)

// simulated returns three real 150-period runs of the baseline (seeds
// 0–2) and their gate metrics after a burn-in of 75, made once.
func simulated(t *testing.T) ([]*Run, []bam.GateMetrics) {
	t.Helper()
	simOnce.Do(func() {
		for seed := range uint64(3) {
			sc := scenarios.Default()
			sc.Params.Seed = seed
			sim, err := bam.NewFromScenario(sc)
			if err != nil {
				panic(err)
			}
			sim.Run(150)
			simRuns = append(simRuns, FromSimulation(sim, Info{Scenario: sc.Name, Seed: seed, PeriodsRun: 150, Collapsed: sim.Collapsed()}))
			simGate = append(simGate, sim.History.Gate(75))
		}
	})
	return simRuns, simGate
}

// svgTexts returns the text of the <text> elements of an SVG.
func svgTexts(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	in := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("SVG: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			in = v.Name.Local == "text"
		case xml.CharData:
			if in {
				out = append(out, string(v))
			}
		case xml.EndElement:
			in = false
		}
	}
}

// epsTexts returns the strings an EPS shows (the operands of show),
// unescaped.
func epsTexts(b []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^\(((?:[^()\\]|\\.)*)\) show$`).FindAllSubmatch(b, -1) {
		out = append(out, regexp.MustCompile(`\\(.)`).ReplaceAllString(string(m[1]), "$1"))
	}
	return out
}

// hasPrefixed reports whether one of texts begins with p.
func hasPrefixed(texts []string, p string) bool {
	return slices.ContainsFunc(texts, func(s string) bool { return strings.HasPrefix(s, p) })
}

// The figure in every format: a well-formed file with every panel.
func TestDrawFigureFormats(t *testing.T) {
	runs, _ := simulated(t)
	ens, err := NewEnsemble(runs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Run{runs[0], ens} {
		for _, format := range Formats {
			t.Run(format+"/"+strconv.Itoa(d.Runs())+" runs", func(t *testing.T) {
				var b bytes.Buffer
				if err := DrawFigure(&b, format, d, 75); err != nil {
					t.Fatal(err)
				}
				var texts []string
				enc := func(s string) string { return s }
				switch format {
				case "png":
					if !bytes.HasPrefix(b.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
						t.Fatal("not a PNG")
					}
					return
				case "svg":
					texts = svgTexts(t, b.Bytes())
				case "pdf":
					if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(b.Bytes()), []byte("%%EOF")) {
						t.Fatalf("not a PDF: %.20q … %.20q", b.Bytes(), b.Bytes()[b.Len()-20:])
					}
					if n := bytes.Count(b.Bytes(), []byte("/Type /Page\n")); n != 1 {
						t.Errorf("%d pages, want 1", n)
					}
					if w, h := pdfMediaBox(t, b.Bytes()); w != 1152 || h != 864 {
						t.Errorf("page %v × %v pt, want 1152 × 864 (16 × 12 in)", w, h)
					}
					if !bytes.Contains(b.Bytes(), []byte("/FontFile2")) {
						t.Error("the fonts are not embedded")
					}
					texts, enc = pdfTexts(t, b.Bytes()), cp1252
				case "eps":
					if !bytes.HasPrefix(b.Bytes(), []byte("%!PS-Adobe-3.0 EPSF-3.0\n")) ||
						!bytes.Contains(b.Bytes(), []byte("\n%%BoundingBox: 0 0 1152 864\n")) {
						t.Fatalf("not an EPS of 16 × 12 in: %.120q", b.Bytes())
					}
					texts, enc = epsTexts(b.Bytes()), postScriptASCII
					enc2 := enc
					enc = func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(enc2(s), `\(`, "("), `\)`, ")") }
				}
				for _, title := range append(slices.Clone(panelTitles), "After the burn-in", "BAM — scenario baseline") {
					if !hasPrefixed(texts, enc(title)) {
						t.Errorf("no text beginning %q among %d", enc(title), len(texts))
					}
				}
				if d.Runs() > 1 && !hasPrefixed(texts, enc("mean of 3 runs")) {
					t.Error("the ensemble's legend is missing")
				}
			})
		}
	}
}

// pdfFontSizes returns the font sizes the PDF b sets (the operands of Tf).
func pdfFontSizes(t *testing.T, b []byte) []float64 {
	t.Helper()
	var out []float64
	re := regexp.MustCompile(`/\w+ ([0-9.]+) Tf`)
	for _, s := range pdfStreams(t, b) {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			out = append(out, v)
		}
	}
	return out
}

// A panel at a paper's column width: the page has the size asked for and
// the fonts shrink less than the panel, staying legible.
func TestDrawPanelSize(t *testing.T) {
	runs, _ := simulated(t)
	for _, tc := range []struct {
		name             string
		opts             []Option
		w, h             float64 // pt
		minFont, maxFont float64 // pt
	}{
		{"default", nil, 504, 360, 10, 12},
		{"3.5in,2.6in", []Option{Size(3.5*vg.Inch, 2.6*vg.Inch)}, 252, 187.2, 7, 8.5},
		{"9cm,6cm", []Option{Size(9*vg.Centimeter, 6*vg.Centimeter)}, 255.12, 170.08, 6.5, 8.5},
		{"14in,10in", []Option{Size(14*vg.Inch, 10*vg.Inch)}, 1008, 720, 14, 17},
	} {
		for _, name := range Panels() {
			var b bytes.Buffer
			if err := DrawPanel(&b, "pdf", name, runs[0], 75, tc.opts...); err != nil {
				t.Fatal(err)
			}
			if w, h := pdfMediaBox(t, b.Bytes()); math.Abs(w-tc.w) > 0.01 || math.Abs(h-tc.h) > 0.01 {
				t.Errorf("%s %s: page %v × %v pt, want %v × %v", tc.name, name, w, h, tc.w, tc.h)
			}
			sizes := pdfFontSizes(t, b.Bytes())
			if len(sizes) == 0 {
				t.Fatalf("%s %s: no text", tc.name, name)
			}
			if lo, hi := slices.Min(sizes), slices.Max(sizes); lo < tc.minFont-0.01 || hi > tc.maxFont+0.01 {
				t.Errorf("%s %s: fonts %.2f–%.2f pt, want within %v–%v", tc.name, name, lo, hi, tc.minFont, tc.maxFont)
			}
			if !hasPrefixed(pdfTexts(t, b.Bytes()), panelTitles[slices.Index(Panels(), name)]) {
				t.Errorf("%s %s: no title", tc.name, name)
			}
		}
	}
}

// inside reports whether every finite value of vs lies strictly inside
// (lo, hi).
func inside(vs []float64, lo, hi float64) bool {
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) && !(v > lo && v < hi) {
			return false
		}
	}
	return true
}

// No panel draws its data along the frame: log GDP at its ceiling (the
// first periods of a run without growth), the largest firm, the points of
// the scatter plots all lie inside the axis ranges.
func TestPanelHeadroom(t *testing.T) {
	periods := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	cols := map[string][]float64{
		colLogGDP:       {5.52, 5.52, 5.52, 5.4, 5.36, 5.45, 5.52, 5.52},
		colUnemployment: {0, 0, 0.05, 0.15, 0.1, 0.04, 0.06, 0.08},
		colInflation:    {0.1, 0.05, -0.05, 0, 0.02, 0.01, 0.03, 0.1},
		colProductivity: {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
		colRealWage:     {0.45, 0.3, 0.35, 0.33, 0.34, 0.36, 0.32, 0.35},
		colWageInfl:     {0, 0.01, -0.02, 0.02, 0.01, -0.01, 0.005, 0},
		colUnempGrowth:  {0, 0.1, -0.1, 0.2, -0.3, 0.05, 0.1, -0.05},
		colGDPGrowth:    {0, -0.01, 0.01, -0.02, 0.03, 0, -0.01, 0.01},
		colVacancyRate:  {0.1, 0.12, 0.14, 0.09, 0.13, 0.11, 0.15, 0.1},
	}
	run := handRun("baseline", 0, periods, cols, []float64{14, 10, 5, 2, 2, 1, 0.5, 0})
	shifted := map[string][]float64{}
	for k, v := range cols {
		shifted[k] = make([]float64, len(v))
		for i := range v {
			shifted[k][i] = v[i] * 1.01
		}
	}
	ens, err := NewEnsemble(run, handRun("baseline", 1, periods, shifted, []float64{20, 9, 4, 3, 1}))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Run{run, ens} {
		for _, tc := range []struct {
			panel  string
			xs, ys []float64 // values as drawn
		}{
			{"gdp", nil, cols[colLogGDP]},
			{"unemployment", nil, scaled(cols[colUnemployment], 100)},
			{"inflation", nil, scaled(cols[colInflation], 100)},
			{"wages", nil, append(slices.Clone(cols[colProductivity]), cols[colRealWage]...)},
			{"phillips", scaled(after(cols[colUnemployment], 2), 100), scaled(after(cols[colWageInfl], 2), 100)},
			{"beveridge", scaled(after(cols[colUnemployment], 2), 100), scaled(after(cols[colVacancyRate], 2), 100)},
			{"firm_size", []float64{0}, []float64{math.Log10(14), math.Log10(0.5)}},
		} {
			ps, _ := findPanel(tc.panel)
			p, err := ps.build(d, drawCtx{burnIn: 2, scale: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !inside(tc.ys, p.Y.Min, p.Y.Max) {
				t.Errorf("%d runs, %s: y range [%v, %v] does not hold %v off the frame", d.Runs(), tc.panel, p.Y.Min, p.Y.Max, tc.ys)
			}
			if tc.xs != nil && !inside(tc.xs, p.X.Min, p.X.Max) {
				t.Errorf("%d runs, %s: x range [%v, %v] does not hold %v off the frame", d.Runs(), tc.panel, p.X.Min, p.X.Max, tc.xs)
			}
			if d.Runs() > 1 && tc.panel == "gdp" {
				// The band reaches 1.01 × 5.52: inside too.
				if !inside([]float64{5.52 * 1.01}, p.Y.Min, p.Y.Max) {
					t.Errorf("gdp: the band leaves the range [%v, %v]", p.Y.Min, p.Y.Max)
				}
			}
		}
	}
}

// The summary names both Okun correlations, and the one of differences
// is the equivalence gate's (bam.History.Gate) of the same run.
func TestOkunDefinitions(t *testing.T) {
	runs, gates := simulated(t)
	for i, d := range runs {
		s := summarize(d, 75)
		if math.Abs(s.OkunDiff-gates[i].Okun) > 1e-12 {
			t.Errorf("seed %d: Okun of differences %v, the gate's %v", i, s.OkunDiff, gates[i].Okun)
		}
		if math.Abs(s.OkunGrowth-s.OkunDiff) < 1e-6 {
			t.Errorf("seed %d: the two Okun correlations agree (%v): is one of them the other?", i, s.OkunGrowth)
		}
		if s.Phillips != gates[i].Phillips || s.Beveridge != gates[i].Beveridge {
			t.Errorf("seed %d: Phillips %v / %v, Beveridge %v / %v", i, s.Phillips, gates[i].Phillips, s.Beveridge, gates[i].Beveridge)
		}
	}
	lines := strings.Join(summaryLines(runs[0], 75), "\n")
	for _, want := range []string{okunGrowthLabel + ": ", okunDiffLabel + ": "} {
		if !strings.Contains(lines, want) {
			t.Errorf("the summary lacks %q:\n%s", want, lines)
		}
	}
	ps, _ := findPanel("okun")
	p, err := ps.build(runs[0], drawCtx{burnIn: 75, scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Title.Text, "growth rates") || !strings.Contains(p.X.Label.Text, "growth rate") {
		t.Errorf("the Okun panel does not say its definition: %q, %q", p.Title.Text, p.X.Label.Text)
	}
}

// The statistics of an ensemble are the means of its runs', with their
// percentiles.
func TestEnsembleSummary(t *testing.T) {
	runs, gates := simulated(t)
	ens, err := NewEnsemble(runs...)
	if err != nil {
		t.Fatal(err)
	}
	var okun []float64
	for _, g := range gates {
		okun = append(okun, g.Okun)
	}
	sp := spreadOf(okun)
	lines := summaryLines(ens, 75)
	want := okunDiffLabel + ": " + fixed4(sp.Mean) + " [" + fixed4(sp.Lo) + ", " + fixed4(sp.Hi) + "]"
	if !slices.Contains(lines, want) {
		t.Errorf("summary lacks %q:\n%s", want, strings.Join(lines, "\n"))
	}
	if !strings.HasSuffix(lines[0], ", 3 runs") || !strings.Contains(lines[1], "5th–95th percentile") {
		t.Errorf("heading %q / %q", lines[0], lines[1])
	}
	// The correlation in a scatter panel's title is the mean of the runs'.
	ps, _ := findPanel("phillips")
	p, err := ps.build(ens, drawCtx{burnIn: 75, scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ph []float64
	for _, g := range gates {
		ph = append(ph, g.Phillips)
	}
	if s := spreadOf(ph); !strings.Contains(p.Title.Text, corrNote(ph)) || !strings.Contains(corrNote(ph), "["+fixed2(s.Lo)+", "+fixed2(s.Hi)+"]") {
		t.Errorf("Phillips title %q, correlations %v", p.Title.Text, ph)
	}
}

func fixed4(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 4, 64), "-", "−", 1)
}
func fixed2(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 2, 64), "-", "−", 1)
}

// The data areas of the figure's panels line up, rows and columns, at any
// size: gonum/plot shrinks the data area of a panel whose axis label is
// longer than its axis, which plot.Align does not foresee.
func TestFigureAligned(t *testing.T) {
	runs, _ := simulated(t)
	for _, in := range []float64{16, 12, 10, 8, 6} {
		w, h := vg.Length(in)*vg.Inch, vg.Length(in*0.75)*vg.Inch
		c, err := newCanvas("svg", w, h)
		if err != nil {
			t.Fatal(err)
		}
		ctx := drawCtx{burnIn: 75, scale: lookScale(in/16, in/16)}
		tiles := draw.Tiles{Rows: gridRows, Cols: gridCols, PadTop: ctx.pt(44), PadBottom: ctx.pt(10),
			PadLeft: ctx.pt(10), PadRight: ctx.pt(20), PadX: ctx.pt(28), PadY: ctx.pt(22)}
		grid, cs, err := layoutPanels(runs[0], ctx, tiles, draw.New(c))
		if err != nil {
			t.Fatal(err)
		}
		var rects [gridRows][gridCols]vg.Rectangle
		for r := range grid {
			for col, p := range grid[r] {
				if p != nil {
					rects[r][col] = p.DataCanvas(cs[r][col]).Rectangle
				}
			}
		}
		for r := range gridRows {
			for col := range gridCols {
				a := rects[r][col]
				if a == (vg.Rectangle{}) {
					continue
				}
				if b := rects[r][0]; math.Abs(float64(a.Min.Y-b.Min.Y)) > 1 || math.Abs(float64(a.Max.Y-b.Max.Y)) > 1 {
					t.Errorf("%v in: panel %d,%d spans y %.1f–%.1f, panel %d,0 %.1f–%.1f", in, r, col, a.Min.Y, a.Max.Y, r, b.Min.Y, b.Max.Y)
				}
				if b := rects[0][col]; math.Abs(float64(a.Min.X-b.Min.X)) > 1 || math.Abs(float64(a.Max.X-b.Max.X)) > 1 {
					t.Errorf("%v in: panel %d,%d spans x %.1f–%.1f, panel 0,%d %.1f–%.1f", in, r, col, a.Min.X, a.Max.X, col, b.Min.X, b.Max.X)
				}
				if a.Max.Y > h-ctx.pt(44) {
					t.Errorf("%v in: panel %d,%d reaches into the title (%.1f > %.1f)", in, r, col, a.Max.Y, h-ctx.pt(44))
				}
			}
		}
	}
}
