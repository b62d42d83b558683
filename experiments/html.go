package experiments

import (
	"bytes"
	"fmt"
	"html/template"
	"path/filepath"
	"slices"

	"github.com/bam-abm/bam/internal/report"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"
	"gonum.org/v1/plot/vg"
)

// IVHTML is the self-contained HTML report of an internal-validity study.
const IVHTML = "robustness.html"

// htmlTemplate is the robustness report, in the style of the stability
// report (report.CSS).
var htmlTemplate = template.Must(template.New("robustness").Parse(report.PageHead + `<div class="tiles">
{{range .Tiles}}<div class="tile plain"><div class="label">{{.Label}}</div><div class="value">{{.Value}}</div><div class="note">{{.Note}}</div></div>
{{end}}</div>
<h2>Co-movements with the GDP cycle</h2>
<p class="muted">Mean over the valid seeds of c<sub>k</sub> = corr(GDP cycle<sub>t</sub>, variable cycle<sub>t+k</sub>): k &gt; 0 means the variable lags GDP; |c| &lt; {{.Band}} counts as acyclical (the book's band). HP filter, λ = 1600.</p>
<div class="scroll"><table>
<tr><th>variable</th>{{range .Lags}}<th>{{.}}</th>{{end}}<th>modal peak lag</th><th>at lag 0</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td>{{range .Values}}<td class="num">{{.}}</td>{{end}}<td class="num">{{.Peak}}</td><td><span class="pill {{.Class}}">{{.Label}}</span></td></tr>
{{end}}</table></div>
<div class="panel">{{.Figure}}</div>
<h2>Statistics over the valid seeds</h2>
<div class="scroll"><table>
<tr><th>statistic</th><th>mean</th><th>std</th><th>min</th><th>max</th><th>CV</th></tr>
{{range .Stats}}<tr><td>{{.Name}}</td><td class="num">{{.Mean}}</td><td class="num">{{.Std}}</td><td class="num">{{.Min}}</td><td class="num">{{.Max}}</td><td class="num">{{.CV}}</td></tr>
{{end}}</table></div>
<footer>bam robustness: spec §9.1. The numbers are in internal.json, the text report in internal.txt.</footer>
</main>
</body>
</html>
`))

// WriteHTML writes robustness.html into dir: the study's key figures, the
// co-movement table, the figure (Plot, as inline SVG) and the statistics;
// self-contained (no external file or script).
func (r *IVResult) WriteHTML(dir string) error {
	var fig bytes.Buffer
	if err := r.Plot(&fig, "svg", 10*vg.Inch, 6*vg.Inch); err != nil {
		return fmt.Errorf("robustness: drawing the report's figure: %w", err)
	}
	type tile struct{ Label, Value, Note string }
	type row struct {
		Name, Peak, Label, Class string
		Values                   []string
	}
	type stat struct{ Name, Mean, Std, Min, Max, CV string }
	data := struct {
		Title, Subtitle string
		Tiles           []tile
		Band            float64
		Lags            []string
		Rows            []row
		Figure          template.HTML
		Stats           []stat
	}{
		Title:    "Internal validity of " + r.Scenario,
		Subtitle: fmt.Sprintf("seeds %d–%d, %d periods, burn-in %d", r.SeedStart, r.SeedStart+uint64(r.NSeeds)-1, r.NPeriods, r.BurnIn),
		Band:     AcycBand,
		Figure:   report.InlineSVG(fig.Bytes()),
	}
	data.Tiles = []tile{
		{"valid seeds", fmt.Sprintf("%d / %d", r.Valid, r.NSeeds), "not collapsed or degenerate"},
		{"collapse rate", style.Percent(r.CollapseRate, 0, "%"), fmt.Sprintf("degenerate %s", style.Percent(r.DegenerateRate, 0, "%"))},
		{"AR(1) of the mean cycle", style.Fixed(r.MeanAR.Phi[0], 3), "the book expects ≈ 0.8"},
		{"AR(2) per seed", "φ₁ " + style.Fixed(r.ARPhi1.Mean, 3), "± " + style.Fixed(r.ARPhi1.Std, 3) + "; φ₂ " + style.Fixed(r.ARPhi2.Mean, 3)},
	}
	for k := -MaxLag; k <= MaxLag; k++ {
		data.Lags = append(data.Lags, fmt.Sprintf("%+d", k))
	}
	for v, name := range CoVariables {
		rw := row{Name: name, Peak: "n/a", Label: cyclicality(r.CoMean[v][MaxLag])}
		for _, c := range r.CoMean[v] {
			rw.Values = append(rw.Values, style.Fixed(c, 2))
		}
		if isFinite(r.ModalPeakLag[v]) {
			rw.Peak = fmt.Sprintf("%+d", int(r.ModalPeakLag[v]))
		}
		rw.Class = map[string]string{"procyclical": "green", "countercyclical": "red", "acyclical": "plain", "undefined": "na"}[rw.Label]
		data.Rows = append(data.Rows, rw)
	}
	names := make([]string, 0, len(r.Stats))
	for k := range r.Stats {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, n := range names {
		s := r.Stats[n]
		data.Stats = append(data.Stats, stat{n, style.Value(s.Mean), style.Value(s.Std), style.Value(s.Min), style.Value(s.Max), style.Value(s.CV)})
	}
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, data); err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, IVHTML), b.Bytes()); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	return nil
}

// experimentsTemplate is the report of sensitivity or structural
// experiments, in the style of the stability report (report.CSS).
var experimentsTemplate = template.Must(template.New("experiments").Parse(report.PageHead + `<p class="muted">Per value: the mean over its valid seeds of c<sub>0</sub> = corr(GDP cycle<sub>t</sub>, variable cycle<sub>t</sub>) with the modal peak lag in brackets (k &gt; 0: the variable lags GDP), the mean AR φ₁ of the per-seed fits, mean unemployment and the std of GDP growth, and how many seeds collapsed or were degenerate (spec §9.2). The book's baseline value is marked.</p>
{{range .Experiments}}<h2 id="{{.Name}}">{{.Name}}</h2>
<div class="scroll"><table>
<tr><th>value</th>{{range $.Variables}}<th>{{.}} c<sub>0</sub> (peak)</th>{{end}}<th>AR φ₁</th><th>unemployment</th><th>GDP growth std</th><th>collapsed</th><th>degenerate</th></tr>
{{range .Rows}}<tr><td>{{.Label}}{{if .Baseline}} <span class="pill green">book baseline</span>{{end}}</td>{{range .Co}}<td class="num">{{.}}</td>{{end}}<td class="num">{{.Phi1}}</td><td class="num">{{.Unemployment}}</td><td class="num">{{.GrowthStd}}</td><td class="num">{{.Collapsed}}</td><td class="num">{{.Degenerate}}</td></tr>
{{end}}</table></div>
<div class="panel">{{.Figure}}</div>
{{end}}<footer>bam robustness {{.Kind}}: spec §9. The numbers are in {{.Kind}}.json, the text report in {{.Kind}}.txt.</footer>
</main>
</body>
</html>
`))

// writeExperimentsHTML writes <kind>.html into dir: per experiment, the
// table of Report and its figure (Plot, as inline SVG); self-contained.
func writeExperimentsHTML(dir, kind string, xs []*ExperimentResult) error {
	type row struct {
		Label                                                string
		Baseline                                             bool
		Co                                                   []string
		Phi1, Unemployment, GrowthStd, Collapsed, Degenerate string
	}
	type exp struct {
		Name   string
		Rows   []row
		Figure template.HTML
	}
	data := struct {
		Title, Subtitle, Kind string
		Variables             []string
		Experiments           []exp
	}{Title: "Robustness: " + kind + " experiments", Kind: kind, Variables: CoVariables}
	for _, x := range xs {
		var fig bytes.Buffer
		if err := x.Plot(&fig, "svg"); err != nil {
			return fmt.Errorf("robustness: drawing %s: %w", x.Name, err)
		}
		e := exp{Name: x.Name, Figure: report.InlineSVG(fig.Bytes())}
		for i, r := range x.Results {
			if data.Subtitle == "" {
				data.Subtitle = fmt.Sprintf("seeds %d–%d per value, %d periods, burn-in %d", r.SeedStart, r.SeedStart+uint64(r.NSeeds)-1, r.NPeriods, r.BurnIn)
			}
			ar, _ := r.MeanAR1()
			rw := row{Label: x.Labels[i], Baseline: x.Labels[i] == x.Baseline, Phi1: style.Fixed(ar.Phi[0], 3),
				Unemployment: style.Percent(r.Stats["unemployment_mean"].Mean, 1, "%"), GrowthStd: style.Value(r.Stats["gdp_growth_std"].Mean),
				Collapsed:  fmt.Sprintf("%d / %d", int(r.CollapseRate*float64(r.NSeeds)+0.5), r.NSeeds),
				Degenerate: fmt.Sprintf("%d / %d", r.NSeeds-r.Valid, r.NSeeds)}
			for v := range CoVariables {
				peak := "n/a"
				if isFinite(r.ModalPeakLag[v]) {
					peak = fmt.Sprintf("%+d", int(r.ModalPeakLag[v]))
				}
				rw.Co = append(rw.Co, style.Fixed(r.CoMean[v][MaxLag], 2)+" ("+peak+")")
			}
			e.Rows = append(e.Rows, rw)
		}
		data.Experiments = append(data.Experiments, e)
	}
	var b bytes.Buffer
	if err := experimentsTemplate.Execute(&b, data); err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, kind+".html"), b.Bytes()); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	return nil
}
