package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// reportCmd runs `bam stability report args...`.
func reportCmd(t *testing.T, args ...string) result {
	t.Helper()
	return bamRun(t, append([]string{"stability", "report"}, args...)...)
}

// reportMetricSpec is a metric of a synthetic result file.
type reportMetricSpec struct {
	name, group string
	value       func(seed int) float64 // per-seed value
}

// reportSynth describes a synthetic result file.
type reportSynth struct {
	scenario, commit, timestamp string
	dirty                       bool
	nSeeds                      int
	metrics                     []reportMetricSpec
	failSeeds                   map[int]bool // seeds whose first metric FAILs
	withSeeds                   bool
	arraySeeds                  bool // per-seed metrics as positional [value, status, score] arrays
	passRate, meanScore         float64
}

// writeSynth writes the result file of s into dir and returns its path.
// The per-seed statuses are computed with the suite's definitions, except
// for the failing seeds, which FAIL their first metric.
func writeSynth(t *testing.T, dir, file string, s reportSynth) string {
	t.Helper()
	suite := stability.SuiteByName(s.scenario)
	type seedDoc struct {
		Seed    int  `json:"seed"`
		Passed  bool `json:"passed"`
		Score   any  `json:"score"`
		Metrics any  `json:"metrics"`
	}
	var seeds []seedDoc
	metrics := map[string]map[string]any{}
	var order []string
	var failing []map[string]any
	for k, m := range s.metrics {
		order = append(order, m.name)
		var vals []float64
		for seed := 0; seed < s.nSeeds; seed++ {
			vals = append(vals, m.value(seed))
		}
		metrics[m.name] = map[string]any{
			"mean_value": stats.Mean(vals), "std_value": stats.Std(vals),
			"mean_score": 0.9, "std_score": 0.05, "pass_rate": 1.0, "weight": 1.5, "group": m.group,
		}
		if k == 0 {
			metrics[m.name]["pass_rate"] = 1 - float64(len(s.failSeeds))/float64(s.nSeeds)
		}
	}
	for seed := 0; seed < s.nSeeds; seed++ {
		obj := map[string]any{}
		var arr []any
		passed := !s.failSeeds[seed]
		for k, m := range s.metrics {
			v := m.value(seed)
			st := "PASS"
			if d := stability.SuiteMetric(suite, m.name); d != nil {
				status, _ := d.Evaluate(v)
				st = status.String()
			}
			if k == 0 && s.failSeeds[seed] {
				st = "FAIL"
			}
			obj[m.name] = map[string]any{"value": v, "status": st, "score": 0.5}
			arr = append(arr, []any{v, st, 0.5})
		}
		var ms any = obj
		if s.arraySeeds {
			ms = arr
		}
		seeds = append(seeds, seedDoc{Seed: seed, Passed: passed, Score: 0.8 + 0.002*float64(seed%25), Metrics: ms})
		if !passed {
			failing = append(failing, map[string]any{"seed": seed, "failed_metrics": []string{s.metrics[0].name}})
		}
	}
	var mb bytes.Buffer
	mb.WriteByte('{')
	for i, name := range order {
		if i > 0 {
			mb.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		v, _ := json.Marshal(metrics[name])
		mb.Write(k)
		mb.WriteByte(':')
		mb.Write(v)
	}
	mb.WriteByte('}')
	doc := map[string]any{
		"metadata": map[string]any{
			"commit": s.commit + strings.Repeat("0", 40-len(s.commit)), "commit_short": s.commit,
			"timestamp": s.timestamp, "n_seeds": s.nSeeds, "n_periods": 1000, "n_workers": 2,
			"elapsed_seconds": 12, "dirty": s.dirty, "go_version": "go1.26.8", "version": "devel",
			"machine": map[string]any{"cpu": "Test CPU", "cores": 2, "os": "linux", "arch": "amd64"},
		},
		"scenario": s.scenario,
		"summary": map[string]any{
			"n_passed": s.nSeeds - len(s.failSeeds), "pass_rate": s.passRate,
			"mean_score": s.meanScore, "std_score": 0.01, "min_score": s.meanScore - 0.02, "max_score": s.meanScore + 0.02,
		},
		"metrics":             json.RawMessage(mb.Bytes()),
		"group_display_names": map[string]string{"TIME_SERIES": "Time Series", "CURVES": "Curves", "DISTRIBUTION": "Distribution"},
		"failing_seeds":       failing,
	}
	if doc["failing_seeds"] == nil {
		doc["failing_seeds"] = []any{}
	}
	if s.withSeeds {
		doc["seeds"] = seeds
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, file)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Synthetic metric values.
func waveValue(base, amp float64) func(int) float64 {
	return func(seed int) float64 { return base + amp*math.Sin(float64(seed)*1.7) }
}

// reportFixture writes the test's result files: baseline with per-seed
// results (seeds 3 and 7 failing), and two growth_plus runs from two
// commits, the older with per-seed results as arrays, the newer without
// per-seed results. It returns their paths in the order [gp new,
// baseline, gp old] (not time order).
func reportFixture(t *testing.T, dir string) []string {
	t.Helper()
	floor := func(seed int) float64 {
		if seed == 3 || seed == 7 {
			return 0.85
		}
		return 0.93 + 0.003*float64(seed%8)
	}
	bl := writeSynth(t, dir, "baseline.json", reportSynth{
		scenario: "baseline", commit: "c0ffee1", timestamp: "2026-11-20T10:00:00", nSeeds: 20, withSeeds: true,
		failSeeds: map[int]bool{3: true, 7: true}, passRate: 0.9, meanScore: 0.86,
		metrics: []reportMetricSpec{
			{"unemployment_pct_above_floor", "TIME_SERIES", floor},
			{"unemployment_rate_mean", "TIME_SERIES", waveValue(0.06, 0.004)},
			{"okun_correlation", "CURVES", waveValue(-0.87, 0.03)},
			{"firm_size_skewness", "DISTRIBUTION", waveValue(3.5, 1.2)},
			{"mystery_metric", "DISTRIBUTION", waveValue(1, 0.1)},
		},
	})
	gpMetrics := []reportMetricSpec{
		{"log_gdp_total_growth", "GROWTH", waveValue(0.7, 0.07)},
		{"unemployment_rate_mean", "TIME_SERIES", waveValue(0.068, 0.005)},
		{"price_ratio_floor", "FINANCIAL", waveValue(1.3, 0.02)},
	}
	gpOld := writeSynth(t, dir, "gp_old.json", reportSynth{
		scenario: "growth_plus", commit: "0ldc0mm", timestamp: "2026-11-01T09:00:00", dirty: true, nSeeds: 30,
		withSeeds: true, arraySeeds: true, failSeeds: map[int]bool{11: true}, passRate: 29.0 / 30, meanScore: 0.82,
		metrics: gpMetrics,
	})
	gpNew := writeSynth(t, dir, "gp_new.json", reportSynth{
		scenario: "growth_plus", commit: "9ewc0mm", timestamp: "2026-11-21T09:00:00", nSeeds: 100,
		passRate: 0.97, meanScore: 0.855, failSeeds: map[int]bool{5: true, 42: true, 77: true}, metrics: gpMetrics,
	})
	return []string{gpNew, bl, gpOld}
}

var (
	svgRE     = regexp.MustCompile(`(?s)<svg .*?</svg>`)
	ariaRE    = regexp.MustCompile(`aria-label="([^"]*)"`)
	sectionRE = regexp.MustCompile(`(?s)<section class="scenario" id="([^"]+)">(.*?)</section>`)
)

// svgCharts returns the inline SVG charts of page, checking that each is
// well-formed XML.
func svgCharts(t *testing.T, page string) []string {
	t.Helper()
	svgs := svgRE.FindAllString(page, -1)
	for i, s := range svgs {
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("SVG %d is not well-formed: %v\n%.300s", i, err, s)
			}
		}
	}
	return svgs
}

// chartLabels returns the aria-labels of the charts.
func chartLabels(svgs []string) []string {
	var out []string
	for _, s := range svgs {
		m := ariaRE.FindStringSubmatch(s)
		if m == nil {
			out = append(out, "")
			continue
		}
		out = append(out, m[1])
	}
	return out
}

// sections returns the scenario sections of page by id.
func sections(page string) map[string]string {
	out := map[string]string{}
	for _, m := range sectionRE.FindAllStringSubmatch(page, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestStabilityReport(t *testing.T) {
	dir := t.TempDir()
	files := reportFixture(t, dir)
	out := filepath.Join(dir, "report.html")
	r := reportCmd(t, append([]string{"-o", out}, files...)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.TrimSpace(r.stdout) != out {
		t.Errorf("stdout %q, want the report's path", r.stdout)
	}
	page := readFile(t, out)
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(page), "</html>") {
		t.Fatal("not an HTML page")
	}
	// Self-contained: no external asset.
	for _, bad := range []string{"<script", "<link", "src=\"http", "href=\"http", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if n := strings.Count(page, "<style>"); n != 1 {
		t.Errorf("%d <style> elements", n)
	}

	// One chart per expected chart: the overview; baseline: score
	// histogram and 5 metrics; growth_plus: 2 history charts and 3 metrics
	// (no score histogram: the latest run has no per-seed results).
	svgs := svgCharts(t, page)
	labels := chartLabels(svgs)
	want := []string{
		"pass rate by scenario",
		"score distribution of baseline",
		"unemployment_pct_above_floor across seeds", "unemployment_rate_mean across seeds",
		"okun_correlation across seeds", "firm_size_skewness across seeds", "mystery_metric across seeds",
		"pass rate across runs", "mean score across runs",
		"log_gdp_total_growth across seeds", "unemployment_rate_mean across seeds", "price_ratio_floor across seeds",
	}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("charts:\n got %q\nwant %q", labels, want)
	}

	// Summary cards with the colour bands.
	for _, want := range []string{
		`<div class="card" data-scenario="baseline">`,
		`<div class="kpi pass-rate red"><span class="label">pass rate</span><span class="value">90.0 %</span>`,
		`<div class="kpi score green"><span class="label">mean score ± std</span><span class="value">0.8600<small> ± 0.0100</small>`,
		`<div class="kpi pass-rate green"><span class="label">pass rate</span><span class="value">97.0 %</span>`,
		`<div class="kpi score green"><span class="label">mean score ± std</span><span class="value">0.8550<small>`,
		"latest of 2 runs",
		"pass rate &#43;0.3 pts, score &#43;0.0350 vs 0ldc0mm", // html/template writes + as &#43;
		`<span class="pill yellow">96.7 %</span>`,              // the older growth_plus run in the runs table
		`<span class="pill yellow">0.8200 ± 0.0100</span>`,
		"0ldc0mm (dirty)", "2026-11-01 09:00", "Test CPU, 2 cores, linux/amd64", "12 s", "devel, go1.26.8",
		"20 seeds (0–19)", "100 seeds",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	secs := sections(page)
	bl, gp := secs["sc-baseline"], secs["sc-growth_plus"]
	if bl == "" || gp == "" {
		t.Fatalf("sections: %v", secs)
	}
	if strings.Index(page, `id="sc-baseline"`) > strings.Index(page, `id="sc-growth_plus"`) {
		t.Error("sections not in spec order")
	}
	// Groups by display name, in order of appearance.
	for _, g := range []string{"<h3>Time Series</h3>", "<h3>Curves</h3>", "<h3>Distribution</h3>"} {
		if !strings.Contains(bl, g) {
			t.Errorf("baseline lacks group %s", g)
		}
	}
	if !(strings.Index(gp, "<h3>Growth</h3>") < strings.Index(gp, "<h3>Time Series</h3>") &&
		strings.Index(gp, "<h3>Time Series</h3>") < strings.Index(gp, "<h3>Financial</h3>")) {
		t.Error("growth_plus groups not in order of appearance")
	}

	// Failing seeds with the metrics that failed and their values.
	if n := strings.Count(bl, `<tr class="failing-seed">`); n != 2 {
		t.Errorf("baseline: %d failing-seed rows, want 2", n)
	}
	for _, seed := range []string{"3", "7"} {
		row := `<tr class="failing-seed"><td class="num">` + seed + `</td>`
		if !strings.Contains(bl, row) {
			t.Errorf("no failing row for seed %s", seed)
		}
	}
	// In the metric's one format: three significant digits, the target too.
	if !strings.Contains(bl, `unemployment_pct_above_floor = <span class="v">0.850</span> <span class="muted">(≥ 0.950 (min 0.900))</span>`) {
		t.Error("the failing metric's value and target are not shown")
	}
	// A line per failing seed that reproduces it, with the scenario.
	for _, seed := range []string{"3", "7"} {
		want := `reproduce: <code>bam run baseline --seed ` + seed + ` --periods 1000</code> · its scores: <code>bam validate baseline --seed ` + seed + ` --periods 1000</code>`
		if !strings.Contains(bl, want) {
			t.Errorf("no reproduce line for seed %s", seed)
		}
	}
	if n, rows := strings.Count(page, `<div class="repro">`), strings.Count(page, `<tr class="failing-seed">`); n != rows {
		t.Errorf("%d reproduce lines for %d failing seeds", n, rows)
	}
	if !strings.Contains(gp, "<code>bam run growth_plus --seed 42 --periods 1000</code>") {
		t.Error("no reproduce line for growth_plus seed 42")
	}
	// A one-line description per known metric, none for the unknown one.
	for _, want := range []string{
		`<div class="name">unemployment_rate_mean</div><div class="desc">mean unemployment rate</div>`,
		`<div class="name">okun_correlation</div><div class="desc">Okun curve in growth rates: corr(unemployment growth rate, GDP growth rate), IQR-filtered</div>`,
		`<div class="name">price_ratio_floor</div><div class="desc">1st percentile of the price ratio</div>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `<div class="name">mystery_metric</div><div class="desc">`) {
		t.Error("a description for the unknown metric")
	}
	if n, m := strings.Count(page, `<div class="desc">`), strings.Count(page, `<div class="name">`); n != m-1 {
		t.Errorf("%d descriptions for %d metrics (one unknown)", n, m)
	}
	// Numbers in one format: no exponent, no bare NaN in the text.
	text := regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(svgRE.ReplaceAllString(page, ""), "")
	text = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(text, " ") // the text, not the tags' colours
	if m := regexp.MustCompile(`.{0,40}([0-9][eE][-+−]?[0-9]|NaN).{0,20}`).FindString(text); m != "" {
		t.Errorf("a number in another format: %q", m)
	}
	if n := strings.Count(gp, `<tr class="failing-seed">`); n != 3 {
		t.Errorf("growth_plus: %d failing-seed rows, want 3", n)
	}

	// Each metric compared with the previous run.
	if n := strings.Count(gp, `<div class="facts change">vs 0ldc0mm: mean `); n != 3 {
		t.Errorf("%d metric changes, want 3", n)
	}
	if strings.Contains(bl, `class="facts change"`) {
		t.Error("a change for a scenario with one run")
	}

	// Without per-seed results: mean ± std only.
	if !strings.Contains(gp, "no per-seed results") || strings.Contains(bl, "no per-seed results") {
		t.Error("the no-seeds note is wrong")
	}
	if !strings.Contains(gp, "mean ± std over the seeds") {
		t.Error("growth_plus legend lacks the mean ± std entry")
	}

	// History charts in time order, though the newer file came first.
	hist := svgs[7]
	if i, j := strings.Index(hist, "0ldc0mm+"), strings.Index(hist, "9ewc0mm"); i < 0 || j < 0 || i > j {
		t.Errorf("history axis not in time order (%d, %d)", i, j)
	}

	// Target bands: the PASS tint in charts of known metrics only; the
	// unknown metric says so.
	passTint := "fill:#E2F2E0"
	for i, l := range labels {
		known := l != "mystery_metric across seeds" && strings.HasSuffix(l, "across seeds")
		if known && !strings.Contains(svgs[i], passTint) {
			t.Errorf("%s: no PASS band", l)
		}
		if l == "mystery_metric across seeds" && strings.Contains(svgs[i], passTint) {
			t.Errorf("%s: a PASS band without a definition", l)
		}
	}
	if !strings.Contains(bl, "target band unknown") || !strings.Contains(bl, "No target definition for: mystery_metric.") {
		t.Error("the unknown metric is not flagged")
	}
	// Bars by status: the FAILing seeds are drawn red in the first metric.
	if !strings.Contains(svgs[2], "fill:#C62828") {
		t.Error("failing seeds are not drawn in the FAIL colour")
	}
	if !strings.Contains(bl, "1 PASS · 17 WARN · 2 FAIL") || !strings.Contains(bl, "20 PASS") {
		t.Error("status counts missing")
	}
}

// Text from the files is escaped, in the HTML and in the SVG.
func TestStabilityReportEscapes(t *testing.T) {
	dir := t.TempDir()
	evil := `<img src=x onerror="alert(1)">&`
	p := writeSynth(t, dir, "evil.json", reportSynth{
		scenario: evil, commit: "<b>c</b>", timestamp: "2026-11-20T10:00:00", nSeeds: 5, withSeeds: true,
		failSeeds: map[int]bool{1: true}, passRate: 0.8, meanScore: 0.7,
		metrics: []reportMetricSpec{{`m<script>alert(2)</script>`, `G"</h3><i>`, waveValue(1, 0.1)}},
	})
	out := filepath.Join(dir, "r.html")
	if r := reportCmd(t, "-o", out, p); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	page := readFile(t, out)
	for _, bad := range []string{"<img", "<script", "<b>c</b>", "<i>"} {
		if strings.Contains(page, bad) {
			t.Errorf("unescaped %q in the page", bad)
		}
	}
	if !strings.Contains(page, "&lt;img src=x onerror=") {
		t.Error("the scenario name is missing")
	}
	svgCharts(t, page) // well-formed
	if !strings.Contains(page, `class="kpi pass-rate red"`) || !strings.Contains(page, `class="kpi score red"`) {
		t.Error("red colour classes missing")
	}
}

// The result files of a real (small) study.
func TestStabilityReportFromStudy(t *testing.T) {
	dir := t.TempDir()
	if r := bamRun(t, "stability", "--scenario", "baseline", "--seeds", "3", "--periods", "150", "--out", dir, "--gate", "0"); r.code != exitOK {
		t.Fatalf("stability: exit %d: %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "r.html")
	if r := reportCmd(t, filepath.Join(dir, "baseline.json"), "-o", out); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	page := readFile(t, out)
	if want := 2 + len(validation.BaselineMetrics); len(svgCharts(t, page)) != want {
		t.Errorf("want %d charts", want)
	}
	// The wall time in a unit that fits (the study takes well under a
	// second a seed: not "0 s").
	if !regexp.MustCompile(`<td class="num">([0-9]+ ms|[0-9.]+ s|[0-9]+ min [0-9]+ s)</td>`).MatchString(page) || strings.Contains(page, `<td class="num">0 s</td>`) {
		t.Error("no wall time in a sensible unit")
	}
	for _, want := range []string{"3 seeds (0–2)", "<td class=\"num\">150</td>", " cores, "} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "target band unknown") {
		t.Error("a baseline metric has no target band")
	}
}

// A `bam validate --json` file is a result file too.
func TestStabilityReportFromValidate(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "v.json")
	if r := bamRun(t, "validate", "baseline", "--seeds", "3", "--periods", "150", "--json", js, "--gate", "0"); r.code != exitOK {
		t.Fatalf("validate: exit %d: %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "r.html")
	if r := reportCmd(t, "-o", out, js); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	page := readFile(t, out)
	svgs := svgCharts(t, page)
	// Overview, score histogram and one chart per baseline metric.
	if want := 2 + len(validation.BaselineMetrics); len(svgs) != want {
		t.Errorf("%d charts, want %d", len(svgs), want)
	}
	for _, m := range validation.BaselineMetrics {
		if !strings.Contains(page, `<div class="name">`+m.Name+`</div>`) {
			t.Errorf("no chart for %s", m.Name)
		}
	}
	if strings.Contains(page, "target band unknown") {
		t.Error("a baseline metric has no target band")
	}
}

func TestStabilityReportBadInput(t *testing.T) {
	dir := t.TempDir()
	good := reportFixture(t, dir)[1]
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(readFile(t, good)), &doc); err != nil {
		t.Fatal(err)
	}
	variant := func(name string, edit func(map[string]any)) string {
		d := map[string]any{}
		for k, v := range doc {
			d[k] = v
		}
		edit(d)
		b, _ := json.Marshal(d)
		return write(name, string(b))
	}
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"no files", nil, "want one or more RESULT.json files"},
		{"missing", []string{filepath.Join(dir, "nope.json")}, "nope.json: no such file"},
		{"folder", []string{dir}, "is a directory"},
		{"empty", []string{write("empty.json", "  \n")}, "not JSON: the file is empty"},
		{"not JSON", []string{write("text.json", "scenario: baseline\n")}, "not JSON: invalid character"},
		{"truncated", []string{write("trunc.json", `{"scenario": "baseline", "metrics": {`)}, "not JSON: unexpected end of JSON input"},
		{"array", []string{write("arr.json", `[1, 2]`)}, "not a stability result: the JSON is not an object"},
		{"no scenario", []string{variant("nosc.json", func(d map[string]any) { delete(d, "scenario") })}, `no "scenario"`},
		{"scenario type", []string{variant("sctype.json", func(d map[string]any) { d["scenario"] = 7 })}, `"scenario" is a JSON number, want a string`},
		{"no metrics", []string{variant("nom.json", func(d map[string]any) { delete(d, "metrics") })}, `no "metrics"`},
		{"metrics type", []string{variant("mtype.json", func(d map[string]any) { d["metrics"] = 5 })}, `"metrics" is neither an object nor an array`},
		{"metric field type", []string{variant("mft.json", func(d map[string]any) {
			d["metrics"] = map[string]any{"x": map[string]any{"mean_value": map[string]any{}}}
		})}, `metric "x"`},
		{"no pass rate", []string{variant("nopr.json", func(d map[string]any) { delete(d, "summary"); delete(d, "seeds") })}, `no "pass_rate"`},
		{"seeds type", []string{variant("seeds.json", func(d map[string]any) { d["seeds"] = "all" })}, "seeds"},
		{"good then bad", []string{good, write("bad2.json", "{")}, "bad2.json: not JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.html")
			r := reportCmd(t, append([]string{"-o", out}, tc.args...)...)
			if r.code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, exitUsage, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "bam: ") || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.msg) {
				t.Errorf("stderr %q, want one line with %q", r.stderr, tc.msg)
			}
			if ents := entries(t, filepath.Dir(out)); len(ents) != 0 {
				t.Errorf("files written: %v", ents)
			}
		})
	}

	// An --output that is a folder is bad input too; a report that cannot
	// be written is a failure, and leaves nothing behind.
	if r := reportCmd(t, "-o", dir, good); r.code != exitUsage || !strings.Contains(r.stderr, "is a folder") {
		t.Errorf("--output folder: exit %d, %q", r.code, r.stderr)
	}
	missing := filepath.Join(dir, "no", "such", "r.html")
	if r := reportCmd(t, "-o", missing, good); r.code != exitFailure {
		t.Errorf("unwritable --output: exit %d, %q", r.code, r.stderr)
	}
	// Issue 12, case 2: an --output that is one of the inputs (a glob
	// typo), or that is not an .html file, is refused before anything is
	// read or written; the input is untouched.
	before := readFile(t, good)
	link := filepath.Join(t.TempDir(), "link.html")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-o", good, good}, {"-o", link, good}, {"-o", filepath.Join(t.TempDir(), "r.json"), good}, {"-o", filepath.Join(t.TempDir(), "r.txt"), good}} {
		r := reportCmd(t, args...)
		if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !(strings.Contains(r.stderr, "is the input") || strings.Contains(r.stderr, "ending in .html")) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, r.code, r.stderr)
		}
	}
	if readFile(t, good) != before {
		t.Error("the input was changed")
	}
	// A bad input leaves an existing report untouched.
	out := filepath.Join(t.TempDir(), "r.html")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := reportCmd(t, "-o", out, filepath.Join(dir, "nope.json")); r.code != exitUsage {
		t.Fatalf("exit %d", r.code)
	}
	if got := readFile(t, out); got != "old" {
		t.Errorf("existing report changed to %.40q", got)
	}
}
