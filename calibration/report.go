package calibration

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/internal/report"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"
)

// Report is the HTML report of a calibration (spec §10): the results of
// its phases, as the phases return them or as ReadMorris, ReadSearch,
// ReadCross and ReadCost read them back. Every section is optional; a nil
// one is left out of the page.
type Report struct {
	Morris *MorrisResult
	Search *SearchResult
	Cross  *CrossResult
	Cost   *CostResult
}

// ErrEmptyReport is returned by Report.WriteHTML for a report without any
// section.
var ErrEmptyReport = errors.New("calibrate: a report needs at least one section (a Morris screening, a search, a cross-evaluation or a cost analysis)")

// WriteHTML writes the report to path as one self-contained HTML page
// (inline CSS and SVG figures, no script, nothing fetched), in the style of
// the stability and robustness reports, atomically (path holds its old
// content or the whole page, never a part). Its sections:
//
//   - Morris screening: the μ*–σ plane (each parameter labelled, the
//     threshold lines drawn, INCLUDE and FIX told apart by colour and
//     shape), the effects table, and each parameter's value scores with
//     its best value marked (and, for an INCLUDE parameter, the values
//     that the automatic pruning of the focused grid drops);
//   - search: the distribution of the grid screening's single-seed
//     scores, each stage's survival (configurations, seeds, evaluations,
//     best combined score), the combined scores of the survivors by stage
//     with the winner's path, the last stage's best configurations and
//     the winner;
//   - cross-evaluation: per configuration and scenario the mean, std,
//     pass rate and combined score, the lowest pass rate, the balanced
//     score, the failing seeds and the ranks under the three rankings, in
//     the order of the result's ranking; and the scenario tension;
//   - cost analysis: each swap's and combination's scores, Δ combined and
//     class.
//
// Scores have four decimals and pass rates are percentages with one.
func (r *Report) WriteHTML(path string) error {
	page, err := r.render()
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(path, page); err != nil {
		return fmt.Errorf("calibrate: writing the report: %w", err)
	}
	return nil
}

// render returns the page.
func (r *Report) render() ([]byte, error) {
	if r.Morris == nil && r.Search == nil && r.Cross == nil && r.Cost == nil {
		return nil, ErrEmptyReport
	}
	pg := &reportPage{Title: "Calibration report"}
	var parts, scs []string
	add := func(id, title, file string, scenarios ...string) {
		pg.Nav = append(pg.Nav, navLink{ID: id, Title: title})
		pg.Files = append(pg.Files, file)
		parts = append(parts, title)
		for _, sc := range scenarios {
			if !slices.Contains(scs, sc) {
				scs = append(scs, sc)
			}
		}
	}
	var err error
	if m := r.Morris; m != nil {
		add("morris", "Morris screening", MorrisJSON, m.Scenario)
		if pg.Morris, err = morrisSection(m); err != nil {
			return nil, err
		}
		inc := len(m.Included())
		pg.Tiles = append(pg.Tiles, tile{"screened parameters", fmt.Sprint(len(m.Effects)),
			fmt.Sprintf("%d INCLUDE, %d FIX (threshold %s)", inc, len(m.Effects)-inc, setting(m.Threshold))})
	}
	if s := r.Search; s != nil {
		add("search", "Grid screening and tiered stability", SearchJSON, s.Scenario)
		if pg.Search, err = searchSection(s); err != nil {
			return nil, err
		}
		w := s.Winner
		pg.Tiles = append(pg.Tiles, tile{"search winner: combined", score(w.Combined),
			fmt.Sprintf("mean %s, pass rate %s over %d seeds", score(w.Mean), pct(w.PassRate), w.NSeeds)})
	}
	if x := r.Cross; x != nil {
		add("cross", "Cross-evaluation", CrossJSON, x.Scenarios...)
		pg.Cross = crossSection(x)
		if len(x.Ranking) > 0 {
			first := x.Ranking[0]
			pg.Tiles = append(pg.Tiles, tile{"cross-evaluation first: lowest pass rate", pct(first.MinPassRate),
				fmt.Sprintf("of %d scenarios; balanced %s (%s)", len(x.Scenarios), score(first.Balanced), x.Rule)})
		}
	}
	if c := r.Cost; c != nil {
		add("cost", "Cost analysis", CostJSON, c.Scenario)
		pg.Cost = costSection(c)
		pg.Tiles = append(pg.Tiles, tile{"cost analysis", fmt.Sprintf("%d swaps", len(c.Swaps)), classCounts(c.Swaps)})
	}
	if len(scs) > 0 {
		pg.Title = "Calibration of " + strings.Join(scs, ", ")
	}
	pg.Subtitle = strings.Join(parts, " · ") + " (spec §10)"
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, pg); err != nil {
		return nil, fmt.Errorf("calibrate: the report: %w", err)
	}
	return b.Bytes(), nil
}

// score formats a score: four decimals.
func score(x float64) string { return style.Fixed(x, 4) }

// setting formats a setting of a phase (a threshold, k) as it was given.
func setting(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// pct formats a pass rate: a percentage with one decimal.
func pct(x float64) string { return style.Percent(x, 1, " %") }

// signedScore formats a change in score with its sign.
func signedScore(x float64) string {
	if x > 0 {
		return "+" + score(x)
	}
	return score(x)
}

// classCounts counts the swaps of each cost class ("FREE 2, CHEAP 1").
func classCounts(xs []SwapCost) string {
	var parts []string
	for _, c := range []string{Free, Cheap, Moderate, Expensive} {
		n := 0
		for _, x := range xs {
			if x.Class == c {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, n))
		}
	}
	return strings.Join(parts, ", ")
}

// The data of the page.
type (
	reportPage struct {
		Title, Subtitle string
		Nav             []navLink
		Tiles           []tile
		Morris          *morrisView
		Search          *searchView
		Cross           *crossView
		Cost            *costView
		Files           []string
	}
	navLink struct{ ID, Title string }
	tile    struct{ Label, Value, Note string }

	morrisView struct {
		Intro, Included string
		Threshold       string
		Scatter         template.HTML
		Effects         []effectRow
		Values          []valueFigure
		Common          string
	}
	effectRow struct {
		Name, Group, MuStar, Mu, Sigma, Class, Pill, Best string
		N                                                 int
	}
	valueFigure struct {
		Name, Class, Pill, Note string
		SVG                     template.HTML
		Values                  []valueCell
	}
	valueCell struct {
		Value, Score string
		Best, Pruned bool
	}

	searchView struct {
		Intro, Common, Winner string
		Histogram, Stages     template.HTML
		OnFirst, Stopped      int
		Survival              []stageRow
		FinalTitle            string
		Final                 []rankedRow
	}
	stageRow struct {
		Stage, Seeds, NewSeeds, Best, Mean, PassRate, Config string
		Configs, Evaluations                                 int
	}
	rankedRow struct {
		Rank, NSeeds, Fails                   int
		Mean, Std, PassRate, Combined, Config string
		Winner                                bool
	}

	crossView struct {
		Intro, Common string
		Scenarios     []string
		OtherRules    []string
		Rows          []crossRow
		Tension       []tensionRow
		Bests         []string
	}
	crossRow struct {
		Rank                      int
		Config, MinPass, Balanced string
		FailSeeds                 int
		Scores                    []crossScore
		OtherRanks                []int
	}
	crossScore struct{ Mean, Std, PassRate, Combined string }
	tensionRow struct {
		Param string
		Best  []string
	}

	costView struct {
		Intro         string
		Swaps, Combos []costRow
	}
	costRow struct {
		Swap, Mean, Std, PassRate, Combined, Delta, Class, Pill string
	}
)

// classPill is the colour class of a Morris class.
func classPill(class string) string {
	if class == Include {
		return "green"
	}
	return "plain"
}

// costPill is the colour class of a cost class.
func costPill(class string) string {
	switch class {
	case Free, Cheap:
		return "green"
	case Moderate:
		return "yellow"
	}
	return "red"
}

// morrisSection builds the Morris screening's section.
func morrisSection(m *MorrisResult) (*morrisView, error) {
	v := &morrisView{
		Intro: fmt.Sprintf("%s: %d trajectories through %d parameters, %d unique configurations × %d seeds (from %d). A parameter is INCLUDE if μ* or σ exceeds %s, else FIX.",
			m.Scenario, m.Trajectories, len(m.Effects), len(m.Configurations), m.NSeeds, m.SeedStart, setting(m.Threshold)),
		Included:  strings.Join(m.Included(), ", "),
		Threshold: setting(m.Threshold),
	}
	if v.Included == "" {
		v.Included = "none"
	}
	if m.Space != nil {
		var fixed []string
		for _, p := range m.Space.Params {
			if len(p.Values) == 1 {
				fixed = append(fixed, p.Name+"="+p.Values[0])
			}
		}
		v.Common = strings.Join(fixed, " ")
	}
	es := sortedEffects(m.Effects)
	for _, e := range es {
		row := effectRow{Name: e.Name, Group: e.Group, MuStar: score(e.MuStar), Mu: score(e.Mu), Sigma: score(e.Sigma),
			Class: e.Class, Pill: classPill(e.Class), Best: "n/a", N: len(e.Effects)}
		for _, s := range e.ValueScores {
			if s.Value == e.BestValue {
				row.Best = s.Value + " (" + score(s.Score) + ")"
			}
		}
		v.Effects = append(v.Effects, row)
	}
	if len(es) == 0 {
		return v, nil
	}
	var err error
	if v.Scatter, err = morrisScatter(m); err != nil {
		return nil, fmt.Errorf("calibrate: the report's Morris plot: %w", err)
	}
	lo, hi := valueRange(es)
	for _, e := range es {
		f := valueFigure{Name: e.Name, Class: e.Class, Pill: classPill(e.Class)}
		kept := e.ValueScores
		if e.Class == Include {
			keep := Prune(e.ValueScores, AutoPrune)
			kept = nil
			for _, s := range e.ValueScores {
				if slices.Contains(keep, s.Value) {
					kept = append(kept, s)
				}
			}
			f.Note = fmt.Sprintf("the focused grid keeps the values at most %s below the best (--prune auto)", setting(AutoPrune))
		} else {
			f.Note = "FIX: pinned to its best value in the focused grid"
		}
		for _, s := range e.ValueScores {
			pruned := e.Class == Include && !slices.ContainsFunc(kept, func(k ValueScore) bool { return k.Value == s.Value })
			f.Values = append(f.Values, valueCell{Value: s.Value, Score: score(s.Score), Best: s.Value == e.BestValue, Pruned: pruned})
		}
		if f.SVG, err = valueChart(e, lo, hi); err != nil {
			return nil, fmt.Errorf("calibrate: the report's value scores of %s: %w", e.Name, err)
		}
		v.Values = append(v.Values, f)
	}
	return v, nil
}

// sortedEffects returns the effects by μ*, largest first (as morris.txt).
func sortedEffects(es []Effect) []Effect {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b Effect) int { return cmpDesc(a.MuStar, b.MuStar) })
	return out
}

// commonText returns the "NAME=VALUE ..." text of the parameters with one
// value in every configuration, and the positions of the others.
func commonText(params []string, configs [][]string) (string, []int) {
	var b strings.Builder
	vary := writeCommon(&b, params, configs)
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), "the same in every configuration: "), "\n"), vary
}

// searchSection builds the search's section.
func searchSection(s *SearchResult) (*searchView, error) {
	configs := make([][]string, len(s.Screening))
	for i, x := range s.Screening {
		configs[i] = x.Values
	}
	common, vary := commonText(s.Params, configs)
	v := &searchView{Common: common}
	seed := "one seed"
	if len(s.Tiers) > 0 && s.Tiers[0].FirstNewSeed > 0 {
		seed = fmt.Sprintf("seed %d", s.Tiers[0].FirstNewSeed-1)
	}
	v.Intro = fmt.Sprintf("%s: %d configurations, each run once on %s and ranked by that score; then %d tiers, ranked by %s (k = %s), each extending its best configurations to more seeds and running only the new ones.",
		s.Scenario, len(s.Screening), seed, len(s.Tiers), s.Rule, setting(s.K))
	v.Winner = fmt.Sprintf("%s: combined %s (mean %s, std %s, pass rate %s, %d FAIL statuses) over %d seeds.",
		configText(s.Params, s.Winner.Values), score(s.Winner.Combined), score(s.Winner.Mean), score(s.Winner.Std),
		pct(s.Winner.PassRate), s.Winner.Fails, s.Winner.NSeeds)
	v.OnFirst = len(s.Screening)
	if len(s.Tiers) > 0 {
		v.OnFirst = min(s.Tiers[0].Top, len(s.Screening))
	}
	v.Stopped = len(s.Screening) - v.OnFirst
	if len(s.Screening) > 0 {
		best := s.Screening[0]
		v.Survival = append(v.Survival, stageRow{Stage: "grid screening", Configs: len(s.Screening), Seeds: "1", NewSeeds: "1 (" + seed + ")",
			Evaluations: len(s.Screening), Best: score(best.Combined), Mean: score(best.Mean), PassRate: pct(best.PassRate),
			Config: configTextOf(s.Params, best.Values, vary)})
	}
	for i, t := range s.Tiers {
		row := stageRow{Stage: fmt.Sprintf("tier %d (top %d to %d seeds)", i+1, t.Top, t.Seeds), Configs: len(t.Ranking),
			NewSeeds: "none", Evaluations: len(t.Ranking) * t.NewSeeds, Seeds: "n/a", Best: "n/a", Mean: "n/a", PassRate: "n/a"}
		if t.NewSeeds > 0 {
			row.NewSeeds = fmt.Sprintf("%d (seeds %d–%d)", t.NewSeeds, t.FirstNewSeed, t.FirstNewSeed+uint64(t.NewSeeds)-1)
		}
		if len(t.Ranking) > 0 {
			best := t.Ranking[0]
			row.Seeds, row.Best, row.Mean, row.PassRate = fmt.Sprint(best.NSeeds), score(best.Combined), score(best.Mean), pct(best.PassRate)
			row.Config = configTextOf(s.Params, best.Values, vary)
		}
		v.Survival = append(v.Survival, row)
	}
	final := s.Screening
	v.FinalTitle = "The screening's best configurations"
	if len(s.Tiers) > 0 {
		final = s.Tiers[len(s.Tiers)-1].Ranking
		v.FinalTitle = fmt.Sprintf("The last tier's best configurations (tier %d)", len(s.Tiers))
	}
	for i, x := range final[:min(10, len(final))] {
		v.Final = append(v.Final, rankedRow{Rank: i + 1, NSeeds: x.NSeeds, Fails: x.Fails, Mean: score(x.Mean), Std: score(x.Std),
			PassRate: pct(x.PassRate), Combined: score(x.Combined), Config: configTextOf(s.Params, x.Values, vary),
			Winner: slices.Equal(x.Values, s.Winner.Values)})
	}
	var err error
	if v.Histogram, err = screeningHistogram(s); err != nil {
		return nil, fmt.Errorf("calibrate: the report's screening histogram: %w", err)
	}
	if v.Stages, err = stageChart(s); err != nil {
		return nil, fmt.Errorf("calibrate: the report's tier chart: %w", err)
	}
	return v, nil
}

// crossSection builds the cross-evaluation's section.
func crossSection(x *CrossResult) *crossView {
	configs := make([][]string, len(x.Ranking))
	for i, row := range x.Ranking {
		configs[i] = row.Values
	}
	common, vary := commonText(x.Params, configs)
	v := &crossView{Common: common, Scenarios: x.Scenarios,
		Intro: fmt.Sprintf("%d configurations, each on %s over %d seeds (from %d); combined = mean · pass rate · (1 − std) per scenario. Rows in the order of the %s ranking.",
			len(x.Ranking), strings.Join(x.Scenarios, ", "), x.NSeeds, x.SeedStart, x.Rule)}
	var others [][]int // per other rule, the rank of each row
	for _, rule := range []string{RankStabilityFirst, RankScoreFirst, RankBalanced} {
		if rule == x.Rule {
			continue
		}
		order, err := RankCross(x.Ranking, rule)
		if err != nil {
			continue
		}
		rank := make([]int, len(order))
		for pos, i := range order {
			rank[i] = pos + 1
		}
		v.OtherRules = append(v.OtherRules, rule)
		others = append(others, rank)
	}
	for i, row := range x.Ranking {
		r := crossRow{Rank: i + 1, Config: configTextOf(x.Params, row.Values, vary), MinPass: pct(row.MinPassRate),
			Balanced: score(row.Balanced), FailSeeds: row.FailSeeds}
		for _, s := range row.Scores {
			r.Scores = append(r.Scores, crossScore{score(s.Mean), score(s.Std), pct(s.PassRate), score(s.Combined)})
		}
		for _, rank := range others {
			r.OtherRanks = append(r.OtherRanks, rank[i])
		}
		v.Rows = append(v.Rows, r)
	}
	for s, name := range x.Scenarios {
		best := -1
		for i, row := range x.Ranking {
			if s < len(row.Scores) && (best < 0 || row.Scores[s].Combined > x.Ranking[best].Scores[s].Combined) {
				best = i
			}
		}
		if best >= 0 {
			v.Bests = append(v.Bests, fmt.Sprintf("%s: rank %d (combined %s)", name, best+1, score(x.Ranking[best].Scores[s].Combined)))
		}
	}
	for _, t := range x.Tension {
		row := tensionRow{Param: t.Param}
		for _, s := range x.Scenarios {
			row.Best = append(row.Best, t.Best[s])
		}
		v.Tension = append(v.Tension, row)
	}
	return v
}

// costSection builds the cost analysis's section.
func costSection(c *CostResult) *costView {
	w := c.Winner
	v := &costView{Intro: fmt.Sprintf("%s: each swap put into the winner alone, over seeds %d–%d; Δ is the change in combined = mean · pass rate · (1 − std) against the winner's %s (mean %s, std %s, pass rate %s). FREE |Δ| < 0.002, CHEAP < 0.005, MODERATE < 0.010, else EXPENSIVE.",
		c.Scenario, c.SeedStart, c.SeedStart+uint64(c.NSeeds)-1, score(w.Combined), score(w.Mean), score(w.Std), pct(w.PassRate))}
	rows := func(xs []SwapCost) []costRow {
		var out []costRow
		for _, x := range xs {
			var parts []string
			for _, s := range x.Swaps {
				parts = append(parts, s.Param+"="+s.Value)
			}
			out = append(out, costRow{Swap: strings.Join(parts, " "), Mean: score(x.Eval.Mean), Std: score(x.Eval.Std), PassRate: pct(x.Eval.PassRate),
				Combined: score(x.Combined), Delta: signedScore(x.Delta), Class: x.Class, Pill: costPill(x.Class)})
		}
		return out
	}
	v.Swaps, v.Combos = rows(c.Swaps), rows(c.Combos)
	return v
}

// reportTemplate is the page: report.PageHead, then the sections.
var reportTemplate = template.Must(template.New("calibration").Parse(report.PageHead + `<nav class="muted">Sections: {{range $i, $n := .Nav}}{{if $i}} · {{end}}<a href="#{{$n.ID}}">{{$n.Title}}</a>{{end}}</nav>
<div class="tiles">
{{range .Tiles}}<div class="tile plain"><div class="label">{{.Label}}</div><div class="value">{{.Value}}</div><div class="note">{{.Note}}</div></div>
{{end}}</div>
{{with .Morris}}<section id="morris">
<h2>Morris screening</h2>
<p class="muted">{{.Intro}}{{if .Common}} Not screened (one value): {{.Common}}.{{end}}</p>
{{if .Scatter}}<div class="panel overview"><h4>μ* against σ of the elementary effects <span class="muted">(green discs: INCLUDE; grey rings: FIX, in the shaded square; dashed: the threshold {{.Threshold}})</span></h4>{{.Scatter}}</div>
{{end}}<h3>Effects</h3>
<div class="scroll"><table class="effects">
<tr><th>parameter</th><th>group</th><th>μ*</th><th>μ</th><th>σ</th><th>effects</th><th>class</th><th>best value (score)</th></tr>
{{range .Effects}}<tr><td>{{.Name}}</td><td>{{.Group}}</td><td class="num">{{.MuStar}}</td><td class="num">{{.Mu}}</td><td class="num">{{.Sigma}}</td><td class="num">{{.N}}</td><td><span class="pill {{.Pill}}">{{.Class}}</span></td><td>{{.Best}}</td></tr>
{{end}}</table></div>
<p>INCLUDE: {{.Included}}</p>
{{if .Values}}<h3>Value scores</h3>
<p class="muted">Each value's score is the mean score of the evaluated configurations holding it (one scale for every parameter); the best value is marked ★. For an INCLUDE parameter the shaded band lies more than the pruning margin below the best: its values, struck out, leave the focused grid.</p>
<div class="metrics">
{{range .Values}}<figure class="metric">
{{.SVG}}
<figcaption>
<div class="name">{{.Name}} <span class="pill {{.Pill}}">{{.Class}}</span></div>
<div class="facts">{{range $i, $c := .Values}}{{if $i}} · {{end}}{{if $c.Best}}<strong>★ {{$c.Value}}: {{$c.Score}}</strong>{{else if $c.Pruned}}<s>{{$c.Value}}: {{$c.Score}}</s>{{else}}{{$c.Value}}: {{$c.Score}}{{end}}{{end}}</div>
<div class="facts">{{.Note}}</div>
</figcaption>
</figure>
{{end}}</div>
{{end}}</section>
{{end}}{{with .Search}}<section id="search">
<h2>Grid screening and tiered stability</h2>
<p class="muted">{{.Intro}}{{if .Common}} The same in every configuration: {{.Common}}.{{end}}</p>
<div class="charts">
{{if .Histogram}}<div class="panel"><h4>Grid screening: single-seed scores <span class="muted">({{if .Stages}}blue: the {{.OnFirst}} configurations that go on to tier 1; grey: the {{.Stopped}} others{{else}}the {{.OnFirst}} configurations{{end}})</span></h4>{{.Histogram}}</div>
{{end}}{{if .Stages}}<div class="panel"><h4>Combined score of the survivors by stage <span class="muted">(blue discs: go on to the next stage, in the last tier the finalists; grey rings: stop there; orange: the winner)</span></h4>{{.Stages}}</div>
{{end}}</div>
<h3>Tier survival</h3>
<div class="scroll"><table class="survival">
<tr><th>stage</th><th>configurations</th><th>seeds each</th><th>new seeds</th><th>evaluations</th><th>best combined</th><th>its mean</th><th>its pass rate</th><th>its configuration</th></tr>
{{range .Survival}}<tr><td>{{.Stage}}</td><td class="num">{{.Configs}}</td><td class="num">{{.Seeds}}</td><td class="num">{{.NewSeeds}}</td><td class="num">{{.Evaluations}}</td><td class="num">{{.Best}}</td><td class="num">{{.Mean}}</td><td class="num">{{.PassRate}}</td><td>{{.Config}}</td></tr>
{{end}}</table></div>
<h3>{{.FinalTitle}}</h3>
<div class="scroll"><table class="final">
<tr><th>rank</th><th>seeds</th><th>mean</th><th>std</th><th>pass rate</th><th>FAILs</th><th>combined</th><th>configuration</th></tr>
{{range .Final}}<tr><td class="num">{{.Rank}}</td><td class="num">{{.NSeeds}}</td><td class="num">{{.Mean}}</td><td class="num">{{.Std}}</td><td class="num">{{.PassRate}}</td><td class="num">{{.Fails}}</td><td class="num">{{.Combined}}</td><td>{{.Config}}{{if .Winner}} <span class="pill green">winner</span>{{end}}</td></tr>
{{end}}</table></div>
<p><strong>Winner</strong>: {{.Winner}}</p>
</section>
{{end}}{{with .Cross}}<section id="cross">
<h2>Cross-evaluation</h2>
<p class="muted">{{.Intro}}{{if .Common}} The same in every configuration: {{.Common}}.{{end}}</p>
<div class="scroll"><table class="cross">
<tr><th rowspan="2">rank</th><th rowspan="2">configuration</th>{{range .Scenarios}}<th colspan="4">{{.}}</th>{{end}}<th rowspan="2">lowest pass rate</th><th rowspan="2">balanced</th><th rowspan="2">failing seeds</th>{{range .OtherRules}}<th rowspan="2">rank {{.}}</th>{{end}}</tr>
<tr>{{range .Scenarios}}<th>mean</th><th>std</th><th>pass rate</th><th>combined</th>{{end}}</tr>
{{range .Rows}}<tr><td class="num">{{.Rank}}</td><td>{{.Config}}</td>{{range .Scores}}<td class="num">{{.Mean}}</td><td class="num">{{.Std}}</td><td class="num">{{.PassRate}}</td><td class="num">{{.Combined}}</td>{{end}}<td class="num">{{.MinPass}}</td><td class="num">{{.Balanced}}</td><td class="num">{{.FailSeeds}}</td>{{range .OtherRanks}}<td class="num">{{.}}</td>{{end}}</tr>
{{end}}</table></div>
<p class="muted">The best configuration of each scenario (highest combined): {{range $i, $b := .Bests}}{{if $i}}; {{end}}{{$b}}{{end}}.</p>
<h3>Scenario tension</h3>
{{if .Tension}}<p class="muted">The parameters whose value in each scenario's best configuration is not the same everywhere: where the scenarios pull a parameter different ways.</p>
<div class="scroll"><table class="tension">
<tr><th>parameter</th>{{range .Scenarios}}<th>best on {{.}}</th>{{end}}</tr>
{{range .Tension}}<tr><td>{{.Param}}</td>{{range .Best}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table></div>
{{else}}<p class="ok">None: the best configuration of each scenario agrees on every parameter.</p>
{{end}}</section>
{{end}}{{with .Cost}}<section id="cost">
<h2>Cost analysis</h2>
<p class="muted">{{.Intro}}</p>
<div class="scroll"><table class="cost">
<tr><th>swap</th><th>mean</th><th>std</th><th>pass rate</th><th>combined</th><th>Δ combined</th><th>class</th></tr>
{{range .Swaps}}<tr><td>{{.Swap}}</td><td class="num">{{.Mean}}</td><td class="num">{{.Std}}</td><td class="num">{{.PassRate}}</td><td class="num">{{.Combined}}</td><td class="num">{{.Delta}}</td><td><span class="pill {{.Pill}}">{{.Class}}</span></td></tr>
{{end}}</table></div>
{{if .Combos}}<h3>Combinations of the FREE and CHEAP swaps</h3>
<div class="scroll"><table class="combos">
<tr><th>swaps</th><th>mean</th><th>std</th><th>pass rate</th><th>combined</th><th>Δ combined</th><th>class</th></tr>
{{range .Combos}}<tr><td>{{.Swap}}</td><td class="num">{{.Mean}}</td><td class="num">{{.Std}}</td><td class="num">{{.PassRate}}</td><td class="num">{{.Combined}}</td><td class="num">{{.Delta}}</td><td><span class="pill {{.Pill}}">{{.Class}}</span></td></tr>
{{end}}</table></div>
{{end}}</section>
{{end}}<footer>bam calibrate report: spec §10 (docs/calibration.md). The numbers are in {{range $i, $f := .Files}}{{if $i}}, {{end}}{{$f}}{{end}}, with the text reports beside them.</footer>
</main>
</body>
</html>
`))
