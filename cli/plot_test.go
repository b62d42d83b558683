package cli

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bam-abm/bam/results/figures"

	"github.com/bam-abm/bam/internal/style"
)

// plotTestRun makes a real 200-period run of the baseline and returns its
// output folder.
func plotTestRun(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if r := bamRun(t, "run", "--periods", "200", "--out", dir, "-q"); r.code != 0 {
		t.Fatalf("bam run: exit %d, stderr %q", r.code, r.stderr)
	}
	return dir
}

// plotCopyRun copies the files of the run folder src into a new folder.
func plotCopyRun(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// plotEditCSV rewrites the CSV file path with edit.
func plotEditCSV(t *testing.T, path string, edit func(recs [][]string) [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(edit(recs)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// plotSetColumn sets every value of the column name of the CSV file path to v.
func plotSetColumn(t *testing.T, path, name, v string) {
	t.Helper()
	plotEditCSV(t, path, func(recs [][]string) [][]string {
		i := slices.Index(recs[0], name)
		if i < 0 {
			t.Fatalf("%s: no column %s", path, name)
		}
		for _, r := range recs[1:] {
			r[i] = v
		}
		return recs
	})
}

// plotDecodePNG decodes the PNG file path and checks its size.
func plotDecodePNG(t *testing.T, path string, w, h int) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("%s: %d×%d pixels, want %d×%d", path, b.Dx(), b.Dy(), w, h)
	}
	return img
}

// plotCheckNotBlank fails unless img has some ink (between 1 % and 70 %
// of non-white pixels) and a luminance spread.
func plotCheckNotBlank(t *testing.T, name string, img image.Image) {
	t.Helper()
	b := img.Bounds()
	var n, ink float64
	var sum, sum2 float64
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (float64(r) + float64(g) + float64(bl)) / (3 * 0xffff)
			n++
			sum += l
			sum2 += l * l
			if l < 0.97 {
				ink++
			}
		}
	}
	mean := sum / n
	sd := math.Sqrt(sum2/n - mean*mean)
	if frac := ink / n; frac < 0.01 || frac > 0.7 || sd < 0.05 {
		t.Errorf("%s looks blank or flooded: %.1f%% non-white pixels, luminance sd %.3f", name, 100*frac, sd)
	}
}

// plotCheckSVG fails unless the file path is well-formed XML with an svg
// root element and some text.
func plotCheckSVG(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	root, texts := "", 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "text" {
				texts++
			}
		}
	}
	if root != "svg" || texts < 10 {
		t.Errorf("%s: root element %q, %d text elements", path, root, texts)
	}
}

// plotNoTempFiles fails if dir holds a temporary file of writeAtomic.
func plotNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	for _, n := range entries(t, dir) {
		if strings.Contains(n, ".tmp-") {
			t.Errorf("%s: temporary file %s left behind", dir, n)
		}
	}
}

func TestPlotFigure(t *testing.T) {
	dir := plotTestRun(t)
	r := bamRun(t, "plot", dir)
	want := filepath.Join(dir, figuresFile)
	if r.code != 0 || r.stdout != want+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	img := plotDecodePNG(t, want, 1920, 1440)
	plotCheckNotBlank(t, figuresFile, img)

	svg := filepath.Join(t.TempDir(), "Fig.SVG")
	if r := bamRun(t, "plot", "-o", svg, dir); r.code != 0 {
		t.Fatalf("svg: exit %d, stderr %q", r.code, r.stderr)
	}
	plotCheckSVG(t, svg)

	// Flags after RUN_DIR, and plotting again replaces the figure.
	if r := bamRun(t, "plot", dir, "--burn-in", "20"); r.code != 0 {
		t.Fatalf("again: exit %d, stderr %q", r.code, r.stderr)
	}
	plotDecodePNG(t, want, 1920, 1440)
	plotNoTempFiles(t, dir)
}

func TestPlotPanels(t *testing.T) {
	dir := plotTestRun(t)
	out := t.TempDir()
	sums := map[[32]byte]string{}
	for _, name := range figures.Panels() {
		path := filepath.Join(out, name+".png")
		r := bamRun(t, "plot", "--panel", name, "-o", path, dir)
		if r.code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
		plotCheckNotBlank(t, name, plotDecodePNG(t, path, 840, 600))
		sum := sha256.Sum256([]byte(readFile(t, path)))
		if other, dup := sums[sum]; dup {
			t.Errorf("panels %s and %s are the same image", name, other)
		}
		sums[sum] = name

		svg := filepath.Join(out, name+".svg")
		if r := bamRun(t, "plot", "--panel", name, "-o", svg, dir); r.code != 0 {
			t.Fatalf("%s svg: exit %d, stderr %q", name, r.code, r.stderr)
		}
		plotCheckSVG(t, svg)
	}
	if got := entries(t, dir); len(got) != 3 {
		t.Errorf("bam plot -o wrote into the run folder: %v", got)
	}
}

// plotShadedColumns returns the first and last pixel column of img in
// which most of the middle band of rows has the burn-in colour.
func plotShadedColumns(img image.Image) (first, last int) {
	b := img.Bounds()
	first, last = -1, -1
	y0, y1 := b.Min.Y+b.Dy()/4, b.Max.Y-b.Dy()/4
	for x := b.Min.X; x < b.Max.X; x++ {
		n := 0
		for y := y0; y < y1; y++ {
			if color.RGBAModel.Convert(img.At(x, y)) == style.BurnIn {
				n++
			}
		}
		if n > (y1-y0)*2/3 {
			if first < 0 {
				first = x
			}
			last = x
		}
	}
	return first, last
}

func TestPlotBurnInShading(t *testing.T) {
	dir := plotTestRun(t)
	out := t.TempDir()
	width := map[string]float64{}
	left := map[string]int{}
	for _, n := range []string{"0", "50", "100", "150"} {
		path := filepath.Join(out, "gdp"+n+".png")
		if r := bamRun(t, "plot", "--panel", "gdp", "--burn-in", n, "-o", path, dir); r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		first, last := plotShadedColumns(plotDecodePNG(t, path, 840, 600))
		width[n], left[n] = float64(last-first+1), first
		if n == "0" && first >= 0 {
			t.Errorf("--burn-in 0: shaded columns %d–%d", first, last)
		}
	}
	// The shading runs from period 1 to period N+0.5, so its width is
	// (N−0.5)·px, px pixels per period, less a pixel or two of
	// anti-aliasing at each edge.
	px := (width["150"] - width["50"]) / 100
	t.Logf("shaded widths %v px from column %d, %.2f px per period", width, left["50"], px)
	if px < 2 || px > 5 {
		t.Fatalf("%.2f px per period, want about 720/199", px)
	}
	if mid := (width["50"] + width["150"]) / 2; math.Abs(width["100"]-mid) > 2 {
		t.Errorf("--burn-in 100: %v px shaded, want %v", width["100"], mid)
	}
	for _, n := range []string{"50", "100", "150"} {
		b, _ := strconv.Atoi(n)
		if want := (float64(b) - 0.5) * px; math.Abs(width[n]-want) > 6 {
			t.Errorf("--burn-in %s: %v px shaded, want %.1f", n, width[n], want)
		}
		if left[n] != left["50"] {
			t.Errorf("--burn-in %s: shading starts at column %d, not %d", n, left[n], left["50"])
		}
	}
}

func TestPlotColumnsByName(t *testing.T) {
	dir := plotTestRun(t)
	if r := bamRun(t, "plot", dir); r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	orig := readFile(t, filepath.Join(dir, figuresFile))

	// Reversed columns and extra ones draw the same figure.
	cp := plotCopyRun(t, dir)
	for _, f := range []string{economyFile, firmsFile} {
		plotEditCSV(t, filepath.Join(cp, f), func(recs [][]string) [][]string {
			for i, r := range recs {
				slices.Reverse(r)
				extra := "extra"
				if i > 0 {
					extra = "not a number"
				}
				recs[i] = append(r, extra)
			}
			return recs
		})
	}
	if r := bamRun(t, "plot", cp); r.code != 0 {
		t.Fatalf("reordered: exit %d, stderr %q", r.code, r.stderr)
	}
	if readFile(t, filepath.Join(cp, figuresFile)) != orig {
		t.Error("reordered columns give another figure")
	}
}

func TestPlotOnlyNeededFiles(t *testing.T) {
	dir := plotCopyRun(t, plotTestRun(t))
	if err := os.Remove(filepath.Join(dir, firmsFile)); err != nil {
		t.Fatal(err)
	}
	plotEditCSV(t, filepath.Join(dir, economyFile), func(recs [][]string) [][]string {
		i := slices.Index(recs[0], "vacancy_rate")
		for k, r := range recs {
			recs[k] = slices.Delete(r, i, i+1)
		}
		return recs
	})
	out := t.TempDir()
	for _, tc := range []struct {
		panel string
		code  int
	}{{"gdp", 0}, {"phillips", 0}, {"beveridge", 2}, {"firm_size", 2}} {
		r := bamRun(t, "plot", "--panel", tc.panel, "-o", filepath.Join(out, tc.panel+".png"), dir)
		if r.code != tc.code {
			t.Errorf("--panel %s: exit %d, want %d (stderr %q)", tc.panel, r.code, tc.code, r.stderr)
		}
	}
}

func TestPlotDegenerateRun(t *testing.T) {
	// A run that collapses in period 1: one row, log GDP −Inf, no firm
	// with output > 0.
	dir := filepath.Join(t.TempDir(), "run")
	r := bamRun(t, "run", "--firms", "2", "--households", "10", "--banks", "1", "--periods", "50",
		"--set", "net_worth_ratio=0", "--out", dir, "-q", "--plot")
	if r.code != 0 {
		t.Fatalf("bam run: exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, economyFile)), "-Inf") {
		t.Fatal("the collapsed run has no -Inf log GDP; the test needs another run")
	}
	plotDecodePNG(t, filepath.Join(dir, figuresFile), 1920, 1440)
	out := t.TempDir()
	for _, name := range figures.Panels() {
		path := filepath.Join(out, name+".svg")
		if r := bamRun(t, "plot", "--panel", name, "-o", path, dir); r.code != 0 {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
			continue
		}
		plotCheckSVG(t, path)
	}

	// NaN values in a longer run are skipped too.
	cp := plotCopyRun(t, plotTestRun(t))
	plotSetColumn(t, filepath.Join(cp, economyFile), "wage_inflation", "NaN")
	plotSetColumn(t, filepath.Join(cp, firmsFile), "production", "0")
	if r := bamRun(t, "plot", cp); r.code != 0 {
		t.Errorf("NaN wage inflation: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRunPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if r := bamRun(t, "run", "--periods", "200", "--plot", "--out", dir, "-q"); r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var m struct {
		Files []string `json:"files"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, manifestFile))), &m); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(m.Files, figuresFile) {
		t.Errorf("run.json files %v lack %s", m.Files, figuresFile)
	}
	slices.Sort(m.Files)
	if got := entries(t, dir); !slices.Equal(got, m.Files) {
		t.Errorf("folder holds %v, run.json lists %v", got, m.Files)
	}
	img := plotDecodePNG(t, filepath.Join(dir, figuresFile), 1920, 1440)
	plotCheckNotBlank(t, "bam run --plot", img)

	// bam plot draws the same figure from the files.
	again := filepath.Join(t.TempDir(), "again.png")
	if r := bamRun(t, "plot", "-o", again, dir); r.code != 0 {
		t.Fatalf("bam plot: exit %d, stderr %q", r.code, r.stderr)
	}
	if readFile(t, again) != readFile(t, filepath.Join(dir, figuresFile)) {
		t.Error("bam run --plot and bam plot draw different figures")
	}
}

func TestPlotBadInput(t *testing.T) {
	base := plotTestRun(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) // breaks the copy dir of the run
		args  []string                       // after "plot"; @RUN@ is the run folder, @OUT@ an empty one
		want  string
	}{
		{"no argument", nil, nil, "want one or more RUN_DIR arguments, got none"},
		{"two arguments, no output", nil, []string{"@RUN@", "@RUN@"}, "plot: 2 run folders and no --output; say where to write their figure"},
		{"ensemble of two scenarios", func(t *testing.T, dir string) {
			other := filepath.Join(dir, "other")
			if err := os.CopyFS(other, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			m := readFile(t, filepath.Join(other, manifestFile))
			if err := os.WriteFile(filepath.Join(other, manifestFile), []byte(strings.Replace(m, `"scenario": "baseline"`, `"scenario": "growth_plus"`, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"-o", "@OUT@/e.png", "@RUN@", "@RUN@/other"},
			"plot: the runs do not form an ensemble: scenario baseline (seed 0) and scenario growth_plus (seed 0)"},
		{"a bad folder among several", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "empty"), 0o755) },
			[]string{"-o", "@OUT@/e.png", "@RUN@", "@RUN@/empty"}, "@RUN@/empty/run.json: no such file"},
		{"missing folder", func(t *testing.T, dir string) { os.RemoveAll(dir) }, []string{"@RUN@"}, "no such folder"},
		{"a file", func(t *testing.T, dir string) {
			os.RemoveAll(dir)
			os.WriteFile(dir, []byte("x"), 0o644)
		}, []string{"@RUN@"}, "not a folder"},
		{"no run.json", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, manifestFile)) }, []string{"@RUN@"},
			"run.json: no such file"},
		{"malformed run.json", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, manifestFile), []byte(`{"scenario": "baseline", "seed": 0`), 0o644)
		}, []string{"@RUN@"}, "run.json: malformed JSON"},
		{"run.json without seed", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, manifestFile), []byte(`{"scenario": "baseline"}`), 0o644)
		}, []string{"@RUN@"}, `run.json: no "seed" key`},
		{"no economy.csv", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, economyFile)) }, []string{"@RUN@"},
			"economy.csv: no such file"},
		{"empty economy.csv", func(t *testing.T, dir string) { os.WriteFile(filepath.Join(dir, economyFile), nil, 0o644) },
			[]string{"@RUN@"}, "economy.csv: empty file"},
		{"economy.csv header only", func(t *testing.T, dir string) {
			plotEditCSV(t, filepath.Join(dir, economyFile), func(recs [][]string) [][]string { return recs[:1] })
		}, []string{"@RUN@"}, "economy.csv: no data rows"},
		{"economy.csv without a column", func(t *testing.T, dir string) {
			plotEditCSV(t, filepath.Join(dir, economyFile), func(recs [][]string) [][]string {
				recs[0][slices.Index(recs[0], "log_gdp")] = "log_gdp_renamed"
				return recs
			})
		}, []string{"@RUN@"}, `economy.csv: no column "log_gdp"`},
		{"economy.csv bad number", func(t *testing.T, dir string) {
			plotEditCSV(t, filepath.Join(dir, economyFile), func(recs [][]string) [][]string {
				recs[7][slices.Index(recs[0], "unemployment_rate")] = "6%"
				return recs
			})
		}, []string{"@RUN@"}, `economy.csv: line 8, column unemployment_rate: not a number: "6%"`},
		{"economy.csv ragged", func(t *testing.T, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, economyFile), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("1,2,3\n")
			f.Close()
		}, []string{"@RUN@"}, "economy.csv: record on line 202: wrong number of fields"},
		{"no firms.csv", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, firmsFile)) }, []string{"@RUN@"},
			"firms.csv: no such file"},
		{"firms.csv without production", func(t *testing.T, dir string) {
			plotEditCSV(t, filepath.Join(dir, firmsFile), func(recs [][]string) [][]string {
				recs[0][slices.Index(recs[0], "production")] = "output"
				return recs
			})
		}, []string{"@RUN@"}, `firms.csv: no column "production"`},
		{"unknown panel", nil, []string{"--panel", "gpd", "@RUN@"},
			"--panel gpd: unknown panel; panels: gdp, unemployment, inflation, wages, phillips, okun, beveridge, firm_size"},
		{"bad extension", nil, []string{"-o", "@OUT@/fig.jpg", "@RUN@"}, "--output @OUT@/fig.jpg: want a file name ending in .png, .svg, .pdf or .eps"},
		{"no extension", nil, []string{"-o", "@OUT@/fig", "@RUN@"}, "want a file name ending in .png, .svg, .pdf or .eps"},
		{"size without units", nil, []string{"--size", "3.5,2.6", "@RUN@"}, "--size 3.5,2.6: width 3.5: no unit; want in, cm, mm or pt (as in 3.5in)"},
		{"size of one side", nil, []string{"--size", "3.5in", "@RUN@"}, "--size 3.5in: want WIDTH,HEIGHT with a unit (in, cm, mm or pt), as in 3.5in,2.6in"},
		{"size in pixels", nil, []string{"--size", "800px,600px", "@RUN@"}, `--size 800px,600px: width "800px": want a number with a unit: in, cm, mm or pt`},
		{"size too small", nil, []string{"--panel", "okun", "--size", "2cm,2cm", "@RUN@"}, "--size 2cm,2cm: width 2cm: want 1 in (2.54 cm) to 60 in"},
		{"size too large", nil, []string{"--size", "3.5in,100in", "@RUN@"}, "--size 3.5in,100in: height 100in: want 1 in (2.54 cm) to 60 in"},
		{"size negative", nil, []string{"--size=-3in,2in", "@RUN@"}, `width "-3in": want a positive number before in`},
		{"size empty", nil, []string{"--size", "", "@RUN@"}, `--size "": want WIDTH,HEIGHT`},
		{"output is a folder", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "x.png"), 0o755) },
			[]string{"-o", "@RUN@/x.png", "@RUN@"}, "is a folder"},
		{"burn-in too long", nil, []string{"--burn-in", "200", "@RUN@"}, "--burn-in 200: want 0 ≤ N < 200 (the run has 200 periods)"},
		{"negative burn-in", nil, []string{"--burn-in=-1", "@RUN@"}, "--burn-in -1"},
		{"burn-in not a number", nil, []string{"--burn-in", "half", "@RUN@"}, "burn-in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := plotCopyRun(t, base)
			out := t.TempDir()
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			var before []string
			if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
				before = entries(t, dir)
			}
			args := []string{"plot"}
			for _, a := range tc.args {
				a = strings.ReplaceAll(a, "@RUN@", dir)
				args = append(args, strings.ReplaceAll(a, "@OUT@", out))
			}
			r := bamRun(t, args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			msg := strings.ReplaceAll(strings.ReplaceAll(r.stderr, dir, "@RUN@"), out, "@OUT@")
			want := strings.ReplaceAll(strings.ReplaceAll(tc.want, "@RUN@", dir), "@OUT@", out)
			if l := lines(r.stderr); len(l) != 1 || !strings.HasPrefix(r.stderr, "bam: ") ||
				!strings.Contains(r.stderr, want) {
				t.Errorf("stderr %q, want one line containing %q", msg, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
			if before != nil {
				if after := entries(t, dir); !slices.Equal(after, before) {
					t.Errorf("run folder changed: %v → %v", before, after)
				}
			}
			if got := entries(t, out); len(got) != 0 {
				t.Errorf("wrote %v", got)
			}
		})
	}
}

func TestPlotUnwritableOutput(t *testing.T) {
	dir := plotTestRun(t)
	out := filepath.Join(t.TempDir(), "missing", "fig.png")
	r := bamRun(t, "plot", "-o", out, dir)
	if r.code != exitFailure || !strings.Contains(r.stderr, "creating "+out) || len(lines(r.stderr)) != 1 {
		t.Errorf("exit %d, stderr %q; want %d and one line naming %s", r.code, r.stderr, exitFailure, out)
	}
}

func TestWriteAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeAtomic(context.Background(), path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		panic("boom")
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error %v, want one reporting the panic", err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("existing file changed to %q", got)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"f.png"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestResolveBurnIn(t *testing.T) {
	for _, tc := range []struct {
		set         bool
		burnIn, n   int
		want        int
		inputErrMsg string
	}{
		{false, 0, 1000, 500, ""},
		{false, 0, 201, 100, ""},
		{false, 0, 1, 0, ""},
		{true, 0, 200, 0, ""},
		{true, 199, 200, 199, ""},
		{true, 200, 200, 0, "--burn-in 200: want 0 ≤ N < 200"},
		{true, -1, 200, 0, "--burn-in -1"},
	} {
		got, err := resolveBurnIn(tc.set, tc.burnIn, tc.n)
		if tc.inputErrMsg != "" {
			var ie *inputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.inputErrMsg) {
				t.Errorf("resolveBurnIn(%v, %d, %d): error %v, want an input error containing %q", tc.set, tc.burnIn, tc.n, err, tc.inputErrMsg)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("resolveBurnIn(%v, %d, %d) = %d, %v; want %d", tc.set, tc.burnIn, tc.n, got, err, tc.want)
		}
	}
}

// TestPlotExplodedRun (issue 12, case 5): a run whose prices reach 1e97
// used to hang bam plot inside gonum/plot's rasteriser; now the panels out
// of the drawable range are drawn empty with a note, and the figure is
// written.
func TestPlotExplodedRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	r := bamRun(t, "run", "--quiet", "--set", "new_firm_price_markup=1e100", "--periods", "500", "--out", dir, "--log-level", "error")
	if r.code != exitOK {
		t.Fatalf("run: exit %d, %s", r.code, r.stderr)
	}
	for _, out := range []string{"f.png", "f.svg"} {
		out = filepath.Join(t.TempDir(), out)
		done := make(chan result, 1)
		go func() { done <- bamRun(t, "plot", "-o", out, dir) }()
		select {
		case r := <-done:
			if r.code != exitOK {
				t.Errorf("plot %s: exit %d, %s", out, r.code, r.stderr)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("plot %s did not finish in a minute", out)
		}
	}
}

// TestWriteAtomicInterrupted (issue 12, case 5): a cancelled context stops
// a write that never returns, at once, and leaves nothing behind.
func TestWriteAtomicInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	block := make(chan struct{})
	defer close(block)
	start := time.Now()
	err := writeAtomic(ctx, filepath.Join(dir, "f.png"), func(io.Writer) error { <-block; return nil })
	if !errors.Is(err, errInterrupted) || time.Since(start) > 5*time.Second {
		t.Errorf("error %v after %v; want errInterrupted at once", err, time.Since(start))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

// plotPDFTexts returns the strings the PDF b shows (the operands of Tj in
// its content streams, which gonum's PDF writer compresses), unescaped.
func plotPDFTexts(t *testing.T, b []byte) []string {
	t.Helper()
	stream := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	show := regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\)\s*Tj`)
	var out []string
	for _, m := range stream.FindAllSubmatch(b, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // an uncompressed stream: no text of gonum's
		}
		d, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("inflating a stream: %v", err)
		}
		for _, s := range show.FindAllStringSubmatch(string(d), -1) {
			out = append(out, regexp.MustCompile(`\\(.)`).ReplaceAllString(s[1], "$1"))
		}
	}
	return out
}

// plotPanelTitles are the beginnings of the titles of the panels.
var plotPanelTitles = map[string]string{
	"gdp": "Log real GDP", "unemployment": "Unemployment rate", "inflation": "Price inflation per year",
	"wages": "Productivity and real wage", "phillips": "Phillips curve, wage inflation per quarter",
	"okun": "Okun curve, growth rates", "beveridge": "Beveridge curve", "firm_size": "Firm-size distribution",
}

// plotCheckPDF fails unless the file path is a one-page PDF of w × h
// points showing every text of want (the beginning of a string shown).
func plotCheckPDF(t *testing.T, path string, w, h float64, want ...string) {
	t.Helper()
	b := []byte(readFile(t, path))
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
		t.Fatalf("%s: not a PDF (%.10q … %.10q)", path, b, b[max(0, len(b)-10):])
	}
	if n := bytes.Count(b, []byte("/Type /Page\n")); n != 1 {
		t.Errorf("%s: %d pages", path, n)
	}
	box := fmt.Sprintf("/MediaBox [0 0 %.2f %.2f]", w, h)
	if !bytes.Contains(b, []byte(box)) {
		t.Errorf("%s: no %s", path, box)
	}
	texts := plotPDFTexts(t, b)
	for _, s := range want {
		if !slices.ContainsFunc(texts, func(x string) bool { return strings.HasPrefix(x, s) }) {
			t.Errorf("%s: no text %q among %d", path, s, len(texts))
		}
	}
}

func TestPlotPDFAndEPS(t *testing.T) {
	dir := plotTestRun(t)
	out := t.TempDir()
	pdf := filepath.Join(out, "fig.pdf")
	if r := bamRun(t, "plot", "-o", pdf, dir); r.code != 0 || r.stdout != pdf+"\n" {
		t.Fatalf("pdf: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	var titles []string
	for _, name := range figures.Panels() {
		titles = append(titles, plotPanelTitles[name])
	}
	plotCheckPDF(t, pdf, 1152, 864, append(titles, "After the burn-in")...)

	eps := filepath.Join(out, "Fig.EPS")
	if r := bamRun(t, "plot", "-o", eps, dir); r.code != 0 {
		t.Fatalf("eps: exit %d, stderr %q", r.code, r.stderr)
	}
	b := readFile(t, eps)
	if !strings.HasPrefix(b, "%!PS-Adobe-3.0 EPSF-3.0\n") || !strings.Contains(b, "%%BoundingBox: 0 0 1152 864\n") {
		t.Errorf("%s: not an EPS of 16 × 12 in: %.100q", eps, b)
	}
	for _, title := range titles {
		if !strings.Contains(b, "\n("+title) {
			t.Errorf("%s: no title %q", eps, title)
		}
	}
	plotNoTempFiles(t, out)
}

func TestPlotSize(t *testing.T) {
	dir := plotTestRun(t)
	out := t.TempDir()
	for _, tc := range []struct {
		size   string
		w, h   float64 // pt
		pw, ph int     // PNG pixels at 120 dpi
	}{
		{"3.5in,2.6in", 252, 187.2, 420, 312},
		{"9cm,6.5cm", 255.12, 184.25, 425, 307},
		{"89mm,66mm", 252.28, 187.09, 420, 312},
		{"3.5,2.6in", 252, 187.2, 420, 312},
	} {
		pdf := filepath.Join(out, "okun.pdf")
		if r := bamRun(t, "plot", "--panel", "okun", "--size", tc.size, "-o", pdf, dir); r.code != 0 {
			t.Fatalf("--size %s: exit %d, stderr %q", tc.size, r.code, r.stderr)
		}
		plotCheckPDF(t, pdf, tc.w, tc.h, plotPanelTitles["okun"])
		png := filepath.Join(out, "okun.png")
		if r := bamRun(t, "plot", "--panel", "okun", "--size", tc.size, "-o", png, dir); r.code != 0 {
			t.Fatalf("--size %s png: exit %d, stderr %q", tc.size, r.code, r.stderr)
		}
		plotCheckNotBlank(t, tc.size, plotDecodePNG(t, png, tc.pw, tc.ph))
	}
	// The full figure at another size too.
	png := filepath.Join(out, "fig.png")
	if r := bamRun(t, "plot", "--size", "8in,6in", "-o", png, dir); r.code != 0 {
		t.Fatalf("figure: exit %d, stderr %q", r.code, r.stderr)
	}
	plotCheckNotBlank(t, "8in,6in", plotDecodePNG(t, png, 960, 720))
}

// plotSeeds makes runs of 200 periods of the baseline for the seeds, in
// the folders seed-N of a new folder, and returns their paths.
func plotSeeds(t *testing.T, seeds ...int) []string {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for _, s := range seeds {
		dir := filepath.Join(root, fmt.Sprintf("seed-%d", s))
		if r := bamRun(t, "run", "--seed", strconv.Itoa(s), "--periods", "200", "--out", dir, "-q"); r.code != 0 {
			t.Fatalf("bam run: exit %d, stderr %q", r.code, r.stderr)
		}
		dirs = append(dirs, dir)
	}
	return dirs
}

func TestPlotEnsemble(t *testing.T) {
	dirs := plotSeeds(t, 0, 1, 2)
	out := t.TempDir()
	ens := filepath.Join(out, "ensemble.pdf")
	r := bamRun(t, append([]string{"plot", "-o", ens}, dirs...)...)
	if r.code != 0 || r.stdout != ens+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	plotCheckPDF(t, ens, 1152, 864, "BAM \x97 scenario baseline, 3 runs (seeds 0\x962)", "mean of 3 runs",
		"5th\x9695th percentile of 3 runs", "After the burn-in (periods 101\x96200), 3 runs", plotPanelTitles["okun"])

	// A panel of the ensemble, and of one of its runs: not the same image.
	one, three := filepath.Join(out, "one.png"), filepath.Join(out, "three.png")
	if r := bamRun(t, "plot", "--panel", "unemployment", "-o", one, dirs[0]); r.code != 0 {
		t.Fatalf("one: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := bamRun(t, append([]string{"plot", "--panel", "unemployment", "-o", three}, dirs...)...); r.code != 0 {
		t.Fatalf("three: exit %d, stderr %q", r.code, r.stderr)
	}
	plotCheckNotBlank(t, "ensemble panel", plotDecodePNG(t, three, 840, 600))
	if readFile(t, one) == readFile(t, three) {
		t.Error("the ensemble's panel is the panel of its first run")
	}
	// The run folders are read, not written.
	for _, d := range dirs {
		if got := entries(t, d); len(got) != 3 {
			t.Errorf("%s holds %v", d, got)
		}
	}
}
