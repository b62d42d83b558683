package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bam-abm/bam/internal/style"

	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// maxFailingRows caps the failing-seeds table of a scenario.
const maxFailingRows = 500

// File is one result file of a report: its name as the user gave it and
// its decoded document.
type File struct {
	Path   string
	Result *stability.Result
}

// Options are the page's title and what its footer says: the program's
// version line and the time the page was generated.
type Options struct {
	Title     string
	Version   string
	Generated time.Time
}

// Write writes the self-contained HTML report of files to w: a card per
// scenario, the runs and their metadata, the pass rate per scenario, the
// history when several files hold one scenario, and for the latest run of
// each the score distribution, every metric's distribution against its
// target band and the failing seeds. Drawing may panic inside gonum/plot
// on degenerate data; callers that write files recover (see cli).
func Write(w io.Writer, files []File, opts Options) error {
	runs := make([]*reportRun, len(files))
	for i, f := range files {
		runs[i] = newReportRun(f.Path, f.Result)
		runs[i].Order = i
	}
	page, err := buildReportPage(runs, opts)
	if err != nil {
		return err
	}
	return reportTemplate.Execute(w, page)
}

// reportPage is the data of the HTML template.
type reportPage struct {
	Title, Generated, Version string
	NFiles                    int
	Cards                     []reportCard
	PassRateSVG               template.HTML
	Runs                      []reportRunRow
	Sections                  []reportSection
}

// reportCard is the summary card of a scenario (its latest run).
type reportCard struct {
	Scenario, Anchor, Run                  string
	PassRate, PassClass, PassNote          string
	Score, ScoreStd, ScoreClass, ScoreNote string
	Delta                                  string
	NRuns                                  int
}

// reportRunRow is one row of the runs table.
type reportRunRow struct {
	Scenario, Anchor, File, Commit, CommitFull, Date string
	Dirty                                            bool
	Seeds, Periods, Workers, Machine, Elapsed        string
	Version, PassRate, PassClass, Score, ScoreClass  string
	Latest                                           bool
	N                                                int // file number on the command line
	Meta                                             [][2]string
}

// reportSection is the drill-down of a scenario.
type reportSection struct {
	Scenario, Anchor, Suite, Run string
	NRuns                        int
	HistoryPass, HistoryScore    template.HTML
	Tiles                        []reportTile
	ScoreSVG                     template.HTML
	HasSeeds                     bool
	Groups                       []reportGroup
	Failing                      []reportFailRow
	NFailing, NFailingHidden     int
	NoTargets                    []string
}

// reportTile is a summary tile of a section.
type reportTile struct{ Label, Value, Class, Note string }

// reportGroup is a metric group of a section.
type reportGroup struct {
	Name    string
	Metrics []reportMetricCard
}

// reportMetricCard is one metric's chart and caption.
type reportMetricCard struct {
	Name, Desc, Target, Stats, PassRate, PassClass, Weight, Note string
	Counts, Change                                               string
	SVG                                                          template.HTML
}

// reportFailRow is a row of the failing-seeds table, with the commands
// that reproduce the seed.
type reportFailRow struct {
	Seed, Score      string
	NotEvaluable     bool
	Metrics          []reportFailMetric
	RunCmd, ScoreCmd string
}

// reportFailMetric is a failed metric of a seed with its value ("" when
// the file has no per-seed values) and its target.
type reportFailMetric struct{ Name, Value, Target string }

// buildReportPage lays out the report of runs.
func buildReportPage(runs []*reportRun, opts Options) (*reportPage, error) {
	page := &reportPage{
		Title: opts.Title, NFiles: len(runs), Version: opts.Version,
		Generated: opts.Generated.UTC().Format("2006-01-02 15:04 UTC"),
	}
	byScenario := groupRunsByScenario(runs)
	var latest []*reportRun
	for _, rs := range byScenario {
		last := rs[len(rs)-1]
		latest = append(latest, last)
		page.Cards = append(page.Cards, makeCard(rs))
		for _, r := range rs {
			page.Runs = append(page.Runs, makeRunRow(r, r == last))
		}
	}
	var err error
	if page.PassRateSVG, err = passRateChart(latest); err != nil {
		return nil, fmt.Errorf("pass-rate chart: %w", err)
	}
	for _, rs := range byScenario {
		sec, err := makeSection(rs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rs[0].Scenario, err)
		}
		page.Sections = append(page.Sections, sec)
	}
	return page, nil
}

// groupRunsByScenario groups the runs by scenario: the suites' scenarios
// in spec order, then the others in order of appearance; each group in
// time order (metadata timestamp, else command-line order), the latest
// last.
func groupRunsByScenario(runs []*reportRun) [][]*reportRun {
	rank := map[string]int{}
	for i, s := range validation.Suites {
		rank[s.Name] = i - len(validation.Suites)
	}
	var names []string
	groups := map[string][]*reportRun{}
	for _, r := range runs {
		if _, ok := groups[r.Scenario]; !ok {
			names = append(names, r.Scenario)
			if _, known := rank[r.Scenario]; !known {
				rank[r.Scenario] = len(names)
			}
		}
		groups[r.Scenario] = append(groups[r.Scenario], r)
	}
	sort.SliceStable(names, func(i, j int) bool { return rank[names[i]] < rank[names[j]] })
	out := make([][]*reportRun, 0, len(names))
	for _, n := range names {
		rs := groups[n]
		sort.SliceStable(rs, func(i, j int) bool {
			a, b := rs[i], rs[j]
			if !a.Meta.Time.IsZero() && !b.Meta.Time.IsZero() && !a.Meta.Time.Equal(b.Meta.Time) {
				return a.Meta.Time.Before(b.Meta.Time)
			}
			return a.Order < b.Order
		})
		out = append(out, rs)
	}
	return out
}

// scenarioAnchor is the id of a scenario's section.
func scenarioAnchor(name string) string {
	var b strings.Builder
	b.WriteString("sc-")
	for _, c := range name {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// runDescription describes a run in one line: commit, date, seeds,
// periods.
func runDescription(r *reportRun) string {
	var parts []string
	if c := commitLabel(r); c != "" {
		parts = append(parts, "commit "+c)
	}
	if d := runDate(r); d != "" {
		parts = append(parts, d)
	}
	if s := seedsText(r); s != "" {
		parts = append(parts, s)
	}
	if r.NPeriods > 0 {
		parts = append(parts, strconv.Itoa(r.NPeriods)+" periods")
	}
	return strings.Join(parts, " · ")
}

// commitLabel is the tag and short commit of a run, marked "(dirty)"
// when the working tree differed.
func commitLabel(r *reportRun) string {
	c := r.Meta.CommitShort
	if r.Meta.Tag != "" {
		c = strings.TrimSpace(r.Meta.Tag + " " + c)
	}
	if c != "" && r.Meta.Dirty != nil && *r.Meta.Dirty {
		c += " (dirty)"
	}
	return c
}

// runDate is the run's timestamp as written, else the commit date.
func runDate(r *reportRun) string {
	switch {
	case !r.Meta.Time.IsZero():
		return r.Meta.Time.Format("2006-01-02 15:04")
	case r.Meta.Timestamp != "":
		return r.Meta.Timestamp
	}
	return r.Meta.CommitDate
}

// seedsText is "N seeds" with their range when known.
func seedsText(r *reportRun) string {
	n := r.NSeeds
	if n == 0 {
		return ""
	}
	s := strconv.Itoa(n) + " seeds"
	switch {
	case len(r.Seeds) > 0:
		s += fmt.Sprintf(" (%d–%d)", r.Seeds[0].Seed, r.Seeds[len(r.Seeds)-1].Seed)
	case r.Meta.SeedStart >= 0:
		s += fmt.Sprintf(" (%d–%d)", r.Meta.SeedStart, r.Meta.SeedStart+int64(n)-1)
	}
	return s
}

// scoreText formats a score with four decimals.
func scoreText(v float64) string { return style.Fixed(v, 4) }

// passedText is "N of M seeds pass".
func passedText(r *reportRun) string {
	switch {
	case r.NPassed >= 0 && r.NSeeds > 0:
		return fmt.Sprintf("%d of %d seeds pass", r.NPassed, r.NSeeds)
	case r.NSeeds > 0:
		return fmt.Sprintf("%d seeds", r.NSeeds)
	}
	return ""
}

// makeCard builds the card of a scenario from its runs in time order.
func makeCard(rs []*reportRun) reportCard {
	r := rs[len(rs)-1]
	c := reportCard{
		Scenario: r.Scenario, Anchor: scenarioAnchor(r.Scenario), Run: runDescription(r), NRuns: len(rs),
		PassRate: style.Percent(r.PassRate, 1, " %"), PassClass: bandClass(r.PassRate, passRateGreen, passRateYellow),
		Score: scoreText(r.MeanScore), ScoreStd: scoreText(r.StdScore),
		ScoreClass: bandClass(r.MeanScore, scoreGreen, scoreYellow),
	}
	c.PassNote = passedText(r)
	if n := len(r.Failing); n > 0 || r.NPassed >= 0 {
		c.PassNote = strings.TrimPrefix(c.PassNote+fmt.Sprintf(" · %d failing", n), " · ")
	}
	if style.Finite(r.MinScore) && style.Finite(r.MaxScore) {
		c.ScoreNote = "min " + scoreText(r.MinScore) + " – max " + scoreText(r.MaxScore)
	}
	if len(rs) > 1 {
		prev := rs[len(rs)-2]
		var parts []string
		if d := 100 * (r.PassRate - prev.PassRate); style.Finite(d) {
			parts = append(parts, "pass rate "+signed(d, 1)+" pts")
		}
		if d := r.MeanScore - prev.MeanScore; style.Finite(d) {
			parts = append(parts, "score "+signed(d, 4))
		}
		if len(parts) > 0 {
			from := prev.Meta.CommitShort
			if from == "" {
				from = "the previous run"
			}
			c.Delta = strings.Join(parts, ", ") + " vs " + from
		}
	}
	return c
}

// signed formats v with prec decimals and an explicit sign.
func signed(v float64, prec int) string {
	s := style.Fixed(v, prec)
	if v >= 0 {
		s = "+" + s
	}
	return s
}

// makeRunRow builds the runs-table row of r.
func makeRunRow(r *reportRun, latest bool) reportRunRow {
	row := reportRunRow{
		Scenario: r.Scenario, Anchor: scenarioAnchor(r.Scenario), File: r.Path,
		Commit: commitLabel(r), CommitFull: r.Meta.Commit, Date: runDate(r),
		Seeds: seedsText(r), Machine: r.Meta.Machine, Version: r.Meta.Version,
		PassRate: style.Percent(r.PassRate, 1, " %"), PassClass: bandClass(r.PassRate, passRateGreen, passRateYellow),
		Score: scoreText(r.MeanScore) + " ± " + scoreText(r.StdScore), ScoreClass: bandClass(r.MeanScore, scoreGreen, scoreYellow),
		Latest: latest, N: r.Order + 1, Meta: r.Meta.All,
	}
	if row.Version != "" && r.Meta.GoVersion != "" && !strings.Contains(row.Version, r.Meta.GoVersion) {
		row.Version += ", " + r.Meta.GoVersion
	}
	if r.NPeriods > 0 {
		row.Periods = strconv.Itoa(r.NPeriods)
	}
	if r.Meta.NWorkers > 0 {
		row.Workers = strconv.Itoa(r.Meta.NWorkers)
	}
	row.Elapsed = wallTime(r.Meta.Elapsed)
	return row
}

// makeSection builds the drill-down of a scenario from its runs in time
// order: history charts over the runs, and the latest run's details.
func makeSection(rs []*reportRun) (reportSection, error) {
	r := rs[len(rs)-1]
	sec := reportSection{
		Scenario: r.Scenario, Anchor: scenarioAnchor(r.Scenario), Run: runDescription(r),
		NRuns: len(rs), HasSeeds: r.Seeds != nil,
	}
	if r.Suite != nil {
		sec.Suite = r.Suite.Name
	}
	var err error
	if len(rs) > 1 {
		if sec.HistoryPass, err = historyChart(rs, false); err != nil {
			return sec, fmt.Errorf("pass-rate history: %w", err)
		}
		if sec.HistoryScore, err = historyChart(rs, true); err != nil {
			return sec, fmt.Errorf("score history: %w", err)
		}
	}
	scoreRange := "n/a"
	if style.Finite(r.MinScore) && style.Finite(r.MaxScore) {
		scoreRange = scoreText(r.MinScore) + " – " + scoreText(r.MaxScore)
	}
	sec.Tiles = []reportTile{
		{"mean score", scoreText(r.MeanScore), bandClass(r.MeanScore, scoreGreen, scoreYellow), "green ≥ 0.85, yellow ≥ 0.80"},
		{"pass rate", style.Percent(r.PassRate, 1, " %"), bandClass(r.PassRate, passRateGreen, passRateYellow), passedText(r)},
		{"std of score", scoreText(r.StdScore), "plain", "population std over the seeds"},
		{"score range", scoreRange, "plain", "min – max"},
	}
	if sec.HasSeeds {
		if sec.ScoreSVG, err = scoreChart(r); err != nil {
			return sec, fmt.Errorf("score chart: %w", err)
		}
	}
	var prev *reportRun
	if len(rs) > 1 {
		prev = rs[len(rs)-2]
	}
	if sec.Groups, err = metricGroups(r, prev); err != nil {
		return sec, err
	}
	for _, m := range r.Metrics {
		if m.Def == nil {
			sec.NoTargets = append(sec.NoTargets, m.Name)
		}
	}
	sec.NFailing = len(r.Failing)
	sec.Failing, sec.NFailingHidden = failRows(r)
	return sec, nil
}

// metricGroups builds the metric charts of r grouped by metric group, the
// groups in order of their first metric; prev is the scenario's previous
// run (nil if none), to which each metric is compared.
func metricGroups(r, prev *reportRun) ([]reportGroup, error) {
	var groups []reportGroup
	index := map[string]int{}
	prevMetrics := map[string]*reportMetric{}
	if prev != nil {
		for _, m := range prev.Metrics {
			prevMetrics[m.Name] = m
		}
	}
	for _, m := range r.Metrics {
		card, err := metricCard(r, m)
		if err != nil {
			return nil, fmt.Errorf("metric %s: %w", m.Name, err)
		}
		if pm := prevMetrics[m.Name]; pm != nil {
			card.Change = metricChange(m, pm, prev)
		}
		g, ok := index[m.groupTxt]
		if !ok {
			g = len(groups)
			index[m.groupTxt] = g
			groups = append(groups, reportGroup{Name: m.groupTxt})
		}
		groups[g].Metrics = append(groups[g].Metrics, card)
	}
	return groups, nil
}

// metricChange describes how metric m moved since the same metric pm of
// the previous run prev: "vs COMMIT: mean +x, pass rate +y pts".
func metricChange(m, pm *reportMetric, prev *reportRun) string {
	var parts []string
	if d := m.MeanValue - pm.MeanValue; style.Finite(d) {
		parts = append(parts, "mean "+m.num.Signed(d))
	}
	if d := 100 * (m.PassRate - pm.PassRate); style.Finite(d) {
		parts = append(parts, "pass rate "+signed(d, 1)+" pts")
	}
	if len(parts) == 0 {
		return ""
	}
	from := prev.Meta.CommitShort
	if from == "" {
		from = "previous run"
	}
	return "vs " + from + ": " + strings.Join(parts, ", ")
}

// metricCard builds the chart and caption of metric m of run r.
func metricCard(r *reportRun, m *reportMetric) (reportMetricCard, error) {
	vals, cats, nonFinite := metricValues(r, m)
	card := reportMetricCard{
		Name: m.Name, Desc: description(r, m), Target: m.targetText,
		Stats:    "mean " + m.num.Num(m.MeanValue) + " ± " + m.num.Num(m.StdValue),
		PassRate: style.Percent(m.PassRate, 1, " %"), PassClass: bandClass(m.PassRate, passRateGreen, passRateYellow),
	}
	if card.Target == "" {
		card.Target = "unknown"
	}
	if style.Finite(m.Weight) {
		card.Weight = strconv.FormatFloat(m.Weight, 'g', -1, 64)
	}
	if len(vals) > 0 {
		var n [4]int
		for _, c := range cats {
			n[c]++
		}
		var parts []string
		for i, name := range []string{"PASS", "WARN", "FAIL", "status unknown"} {
			if n[i] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n[i], name))
			}
		}
		card.Counts = strings.Join(parts, " · ")
	} else if m.NWarn >= 0 || m.NFail >= 0 {
		card.Counts = fmt.Sprintf("%d WARN · %d FAIL", max(m.NWarn, 0), max(m.NFail, 0))
	}
	var notes []string
	if nonFinite > 0 {
		notes = append(notes, fmt.Sprintf("%d seeds with a non-finite value not drawn", nonFinite))
	}
	if len(vals) == 0 && r.Seeds != nil {
		notes = append(notes, "no per-seed values: mean ± std")
	}
	if m.Def == nil {
		notes = append(notes, "target band unknown")
	}
	card.Note = strings.Join(notes, "; ")
	var err error
	card.SVG, err = metricChart(r, m, vals, cats)
	return card, err
}

// failRows builds the failing-seeds table of r (at most maxFailingRows
// rows) and returns the number of rows left out.
func failRows(r *reportRun) ([]reportFailRow, int) {
	bySeed := map[uint64]*stability.SeedResult{}
	for i := range r.Seeds {
		bySeed[r.Seeds[i].Seed] = &r.Seeds[i]
	}
	defs := map[string]*reportMetric{}
	for _, m := range r.Metrics {
		defs[m.Name] = m
	}
	failing := r.Failing
	hidden := 0
	if len(failing) > maxFailingRows {
		hidden = len(failing) - maxFailingRows
		failing = failing[:maxFailingRows]
	}
	rows := make([]reportFailRow, 0, len(failing))
	for _, f := range failing {
		row := reportFailRow{Seed: strconv.FormatUint(f.Seed, 10), Score: "n/a"}
		row.RunCmd, row.ScoreCmd = reproduceCommands(r, f.Seed)
		s := bySeed[f.Seed]
		if s != nil {
			row.Score = scoreText(s.Score)
			row.NotEvaluable = s.NotEvaluable
		}
		if len(f.FailedMetrics) == 0 && (s == nil || s.NotEvaluable || math.IsNaN(s.Score)) {
			row.NotEvaluable = true
		}
		for _, name := range f.FailedMetrics {
			fm := reportFailMetric{Name: name}
			if s != nil {
				if sm, ok := s.Metrics[name]; ok {
					fm.Value = numFor(defs[name]).Num(sm.Value)
				}
			}
			if d := defs[name]; d != nil && d.targetText != "" {
				fm.Target = d.targetText
			}
			row.Metrics = append(row.Metrics, fm)
		}
		rows = append(rows, row)
	}
	return rows, hidden
}

// numFor is the number format of m, or of four decimals when the metric is
// not in the run's summary.
func numFor(m *reportMetric) numFormat {
	if m == nil {
		return numFormat{4}
	}
	return m.num
}

// reportTemplate is the HTML page. Every value is escaped by html/template;
// the SVG charts are generated by renderSVG.
// CSS is the style sheet of bam's HTML reports (the stability report and
// the robustness report of package experiments), for one look.
const CSS = `:root { --green:#2e7d32; --green-bg:#e2f2e0; --yellow:#a66f00; --yellow-bg:#fff3cd; --red:#c62828; --red-bg:#fce5e5;
  --ink:#222831; --muted:#5f6b7a; --line:#dde2e8; --panel:#ffffff; --page:#f4f6f9; --accent:#265ea0; }
* { box-sizing: border-box; }
body { margin:0; background:var(--page); color:var(--ink); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif; }
header.top { background:#1f2a3a; color:#fff; padding:18px 32px; }
header.top h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header.top p { margin:0; color:#c5cfdb; font-size:13px; }
main { max-width:1280px; margin:0 auto; padding:20px 32px 48px; }
h2 { font-size:19px; margin:34px 0 10px; padding-bottom:6px; border-bottom:2px solid var(--line); }
h3 { font-size:15px; margin:22px 0 8px; color:#34404f; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
.muted { color:var(--muted); }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(300px,1fr)); gap:14px; }
.card { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:14px 16px; box-shadow:0 1px 2px rgba(0,0,0,.04); }
.card h3 { margin:0; font-size:17px; } .card .run { font-size:12px; color:var(--muted); margin:2px 0 10px; }
.kpis { display:flex; gap:10px; }
.kpi { flex:1; border-radius:6px; padding:8px 10px; }
.kpi .label { display:block; font-size:11px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.kpi .value { display:block; font-size:21px; font-weight:650; font-variant-numeric:tabular-nums; }
.kpi .value small { font-size:13px; font-weight:500; }
.kpi .note { display:block; font-size:11.5px; color:var(--muted); }
.green { --c:var(--green); --bg:var(--green-bg); } .yellow { --c:var(--yellow); --bg:var(--yellow-bg); }
.red { --c:var(--red); --bg:var(--red-bg); } .na { --c:#777; --bg:#eee; } .plain { --c:#8a96a6; --bg:#f1f3f5; }
.kpi, .tile { border-left:5px solid var(--c,#999); background:var(--bg,#f1f3f5); }
.kpi.green .value,.kpi.yellow .value,.kpi.red .value { color:var(--c); }
.delta { font-size:12px; color:var(--muted); margin-top:8px; }
.pill { display:inline-block; padding:1px 8px; border-radius:10px; font-weight:600; font-variant-numeric:tabular-nums; color:var(--c); background:var(--bg); }
.panel { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; margin:12px 0; }
.panel h4 { margin:0 0 6px; font-size:13.5px; }
.charts { display:flex; flex-wrap:wrap; gap:14px; }
.charts .panel { margin:0; flex:1 1 440px; }
.panel.overview, .panel.score-dist { width:fit-content; max-width:100%; }
svg.chart { display:block; width:auto; height:auto; max-width:100%; }
.metrics svg.chart { width:100%; }
table { border-collapse:collapse; width:100%; background:var(--panel); font-size:12.5px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
td.path { overflow-wrap:anywhere; min-width:8em; }
th { background:#eef1f5; font-weight:600; }
td.num { font-variant-numeric:tabular-nums; white-space:nowrap; }
.pill { white-space:nowrap; }
code { font:11.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; background:#f1f3f5; padding:0 4px; border-radius:3px; overflow-wrap:anywhere; }
.repro { font-size:11.5px; color:var(--muted); margin-top:3px; }
.scroll { overflow-x:auto; border:1px solid var(--line); border-radius:8px; }
details > summary { cursor:pointer; color:var(--accent); font-size:12.5px; }
dl.meta { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:6px 0; font-size:12px; }
dl.meta dt { color:var(--muted); } dl.meta dd { margin:0; word-break:break-all; }
.tiles { display:grid; grid-template-columns:repeat(auto-fill,minmax(200px,1fr)); gap:10px; margin:10px 0; }
.tile { border-radius:6px; padding:8px 12px; }
.tile .label { font-size:11px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.tile .value { font-size:20px; font-weight:650; font-variant-numeric:tabular-nums; color:var(--c); }
.tile.plain .value { color:var(--ink); }
.tile .note { font-size:11.5px; color:var(--muted); }
.metrics { display:grid; grid-template-columns:repeat(auto-fill,minmax(290px,1fr)); gap:12px; }
figure.metric { margin:0; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:8px 10px 10px; }
figure.metric figcaption .name { font-weight:650; font-size:13px; word-break:break-all; }
figure.metric figcaption .desc { font-size:12px; margin:1px 0 2px; }
figure.metric figcaption .facts { font-size:11.5px; color:var(--muted); }
figure.metric .note { font-size:11px; color:var(--red); }
.legend { display:flex; flex-wrap:wrap; gap:14px; font-size:12px; color:var(--muted); margin:4px 0 8px; }
.legend span.sw { display:inline-block; width:12px; height:12px; border-radius:2px; vertical-align:-2px; margin-right:4px; border:1px solid rgba(0,0,0,.12); }
.failed-metric { display:inline-block; margin:1px 8px 1px 0; white-space:nowrap; }
.failed-metric .v { color:var(--red); font-weight:600; font-variant-numeric:tabular-nums; }
.ok { color:var(--green); font-weight:600; }
footer { color:var(--muted); font-size:12px; margin-top:40px; }
`

var reportTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bam {{.Version}}">
<title>{{.Title}}</title>
<style>
` + CSS + `</style>
</head>
<body>
<header class="top">
<h1>{{.Title}}</h1>
<p>{{.NFiles}} result file{{if ne .NFiles 1}}s{{end}} · generated {{.Generated}} by bam {{.Version}}</p>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
<div class="cards">
{{- range .Cards}}
<div class="card" data-scenario="{{.Scenario}}">
<h3><a href="#{{.Anchor}}">{{.Scenario}}</a></h3>
<div class="run">{{.Run}}{{if gt .NRuns 1}} · latest of {{.NRuns}} runs{{end}}</div>
<div class="kpis">
<div class="kpi pass-rate {{.PassClass}}"><span class="label">pass rate</span><span class="value">{{.PassRate}}</span><span class="note">{{.PassNote}}</span></div>
<div class="kpi score {{.ScoreClass}}"><span class="label">mean score ± std</span><span class="value">{{.Score}}<small> ± {{.ScoreStd}}</small></span><span class="note">{{.ScoreNote}}</span></div>
</div>
{{- if .Delta}}<div class="delta">{{.Delta}}</div>{{end}}
</div>
{{- end}}
</div>
<div class="panel overview">
<h4>Pass rate by scenario <span class="muted">(latest run; bands: green ≥ 97 %, yellow ≥ 96 %, red below; dashed: the 96.2 % gate)</span></h4>
{{.PassRateSVG}}
</div>
</section>

<section id="runs">
<h2>Runs</h2>
<div class="scroll">
<table class="runs">
<thead><tr><th>#</th><th>scenario</th><th>commit</th><th>date</th><th>seeds</th><th>periods</th><th>workers</th><th>machine</th><th>wall time</th><th>program</th><th>pass rate</th><th>score</th><th>file</th></tr></thead>
<tbody>
{{- range .Runs}}
<tr{{if .Latest}} class="latest"{{end}}>
<td class="num">{{.N}}</td>
<td><a href="#{{.Anchor}}">{{.Scenario}}</a></td>
<td class="path" title="{{.CommitFull}}">{{.Commit}}</td>
<td class="num">{{.Date}}</td>
<td>{{.Seeds}}</td>
<td class="num">{{.Periods}}</td>
<td class="num">{{.Workers}}</td>
<td>{{.Machine}}</td>
<td class="num">{{.Elapsed}}</td>
<td>{{.Version}}</td>
<td class="num"><span class="pill {{.PassClass}}">{{.PassRate}}</span></td>
<td class="num"><span class="pill {{.ScoreClass}}">{{.Score}}</span></td>
<td class="path">{{.File}}{{if .Meta}}<details><summary>metadata</summary><dl class="meta">{{range .Meta}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl></details>{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
</div>
</section>

{{range .Sections}}
<section class="scenario" id="{{.Anchor}}">
<h2>{{.Scenario}}{{if and .Suite (ne .Suite .Scenario)}} <span class="muted">(suite {{.Suite}})</span>{{end}}</h2>
<p class="muted">{{.Run}}</p>
<div class="tiles">
{{- range .Tiles}}
<div class="tile {{.Class}}"><div class="label">{{.Label}}</div><div class="value">{{.Value}}</div><div class="note">{{.Note}}</div></div>
{{- end}}
</div>
{{- if gt .NRuns 1}}
<h3>Across runs</h3>
<div class="charts history">
<div class="panel"><h4>Pass rate <span class="muted">(by metadata timestamp; + marks a dirty tree)</span></h4>{{.HistoryPass}}</div>
<div class="panel"><h4>Mean score ± std</h4>{{.HistoryScore}}</div>
</div>
{{- end}}
<h3>Score distribution</h3>
{{- if .ScoreSVG}}
<div class="panel score-dist"><h4>Total score over the seeds <span class="muted">(dashed: the mean; bands: green ≥ 0.85, yellow ≥ 0.80)</span></h4>{{.ScoreSVG}}</div>
{{- else}}
<p class="muted no-seeds">The file holds no per-seed results: the score is shown as mean ± std only ({{(index .Tiles 0).Value}} ± {{(index .Tiles 2).Value}}).</p>
{{- end}}
<h3>Metrics against their targets</h3>
<div class="legend">
<span><span class="sw" style="background:#e2f2e0"></span>PASS band</span>
<span><span class="sw" style="background:#fff3cd"></span>WARN band</span>
<span><span class="sw" style="background:#fce5e5"></span>FAIL</span>
{{- if .HasSeeds}}
<span><span class="sw" style="background:#265ea0"></span>seeds that PASS</span>
<span><span class="sw" style="background:#eb8c00"></span>WARN</span>
<span><span class="sw" style="background:#c62828"></span>FAIL</span>
{{- else}}
<span>● mean ± std over the seeds</span>
{{- end}}
</div>
{{- range .Groups}}
<div class="group">
<h3>{{.Name}}</h3>
<div class="metrics">
{{- range .Metrics}}
<figure class="metric">
{{.SVG}}
<figcaption>
<div class="name">{{.Name}}</div>
{{- if .Desc}}<div class="desc">{{.Desc}}</div>{{end}}
<div class="facts">target {{.Target}}{{if .Weight}} · weight {{.Weight}}{{end}} · {{.Stats}}</div>
<div class="facts">pass rate <span class="pill {{.PassClass}}">{{.PassRate}}</span>{{if .Counts}} · {{.Counts}}{{end}}</div>
{{- if .Change}}<div class="facts change">{{.Change}}</div>{{end}}
{{- if .Note}}<div class="note">{{.Note}}</div>{{end}}
</figcaption>
</figure>
{{- end}}
</div>
</div>
{{- end}}
<h3 id="{{.Anchor}}-failing">Failing seeds</h3>
{{- if .Failing}}
<details open>
<summary>{{.NFailing}} failing seed{{if ne .NFailing 1}}s{{end}}</summary>
<div class="scroll">
<table class="failing">
<thead><tr><th>seed</th><th>score</th><th>failed metrics (value; target)</th></tr></thead>
<tbody>
{{- range .Failing}}
<tr class="failing-seed"><td class="num">{{.Seed}}</td><td class="num">{{.Score}}</td><td>
{{- if .Metrics}}{{range .Metrics}}<span class="failed-metric">{{.Name}}{{if .Value}} = <span class="v">{{.Value}}</span>{{end}}{{if .Target}} <span class="muted">({{.Target}})</span>{{end}}</span>{{end}}
{{- else if .NotEvaluable}}<span class="muted">not evaluable (the growth_plus run of this seed collapsed)</span>
{{- else}}<span class="muted">no metric named</span>{{end}}
<div class="repro">reproduce: <code>{{.RunCmd}}</code> · its scores: <code>{{.ScoreCmd}}</code></div></td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- if .NFailingHidden}}<p class="muted">… and {{.NFailingHidden}} more.</p>{{end}}
</details>
{{- else}}
<p class="ok">No failing seed.</p>
{{- end}}
{{- if .NoTargets}}
<p class="muted">No target definition for: {{range $i, $n := .NoTargets}}{{if $i}}, {{end}}{{$n}}{{end}}.</p>
{{- end}}
</section>
{{end}}
<footer>Statuses and bands as in the validation suites (docs/validation.md); pass rate = share of seeds with no FAIL; a metric's pass rate = share of seeds where it did not FAIL.</footer>
</main>
</body>
</html>
`))
