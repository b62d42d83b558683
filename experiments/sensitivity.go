package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/bam-abm/bam/ecs"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/stats"
	"github.com/bam-abm/bam/validation/stability"
)

// Variation is one value of a robustness experiment: a label and the
// assignments (name=value, as --set) that make it from the experiment's
// scenario.
type Variation struct {
	Label string
	Sets  []string
}

// RobustnessExperiment is a one-at-a-time experiment of spec §9.2 or a
// structural experiment of §9.3: the internal-validity analysis of each
// variation of a scenario. Scenario, if not "", names the scenario the
// variations start from (the taxation scenario for entry neutrality);
// else the study's.
type RobustnessExperiment struct {
	Name       string
	Scenario   string
	Variations []Variation
	// Baseline is the label of the book's baseline value ("" if none).
	Baseline string
}

// values builds the variations of one parameter.
func values(param string, vs ...string) []Variation {
	out := make([]Variation, len(vs))
	for i, v := range vs {
		out[i] = Variation{Label: param + "=" + v, Sets: []string{param + "=" + v}}
	}
	return out
}

// SensitivityExperiments are the five experiments of spec §9.2, with the
// book's baseline value of each.
func SensitivityExperiments() []RobustnessExperiment {
	var size []Variation
	for _, v := range []string{"100/500/10", "200/1000/20", "500/2500/50", "1000/5000/100", "100/500/20", "100/1000/10", "200/500/10"} {
		p := strings.Split(v, "/")
		size = append(size, Variation{Label: v, Sets: []string{"n_firms=" + p[0], "n_households=" + p[1], "n_banks=" + p[2]}})
	}
	return []RobustnessExperiment{
		{Name: "credit_market", Variations: values("max_H", "1", "2", "3", "4", "6"), Baseline: "max_H=2"},
		{Name: "goods_market", Variations: values("max_Z", "2", "3", "4", "5", "6"), Baseline: "max_Z=2"},
		{Name: "labor_applications", Variations: values("max_M", "2", "3", "4", "5", "6"), Baseline: "max_M=4"},
		{Name: "contract_length", Variations: values("theta", "1", "4", "6", "8", "10", "12", "14"), Baseline: "theta=8"},
		{Name: "economy_size", Variations: size, Baseline: "100/500/10"},
	}
}

// StructuralExperiments are the experiments of spec §9.3: preferential
// attachment off (random consumer matching) against on, the Z sweep with
// it off, and entry neutrality (a profit tax without redistribution, the
// taxation scenario, at 0, 0.3, 0.5, 0.7, 0.9).
func StructuralExperiments() []RobustnessExperiment {
	z := values("max_Z", "2", "3", "4", "5", "6")
	for i := range z {
		z[i].Sets = append([]string{"consumer_matching=random"}, z[i].Sets...)
		z[i].Label = "random, " + z[i].Label
	}
	return []RobustnessExperiment{
		{Name: "preferential_attachment", Variations: []Variation{{Label: "on (loyalty)", Sets: []string{"consumer_matching=loyalty"}},
			{Label: "off (random)", Sets: []string{"consumer_matching=random"}}}, Baseline: "on (loyalty)"},
		{Name: "pa_off_goods_market", Variations: z},
		{Name: "entry_neutrality", Scenario: "taxation", Variations: values("profit_tax_rate", "0", "0.3", "0.5", "0.7", "0.9"), Baseline: "profit_tax_rate=0"},
	}
}

// ExperimentResult is the outcome of one experiment: a result per
// variation, in order.
type ExperimentResult struct {
	Name     string
	Baseline string
	Labels   []string
	Results  []*IVResult
}

// RunExperiment runs the internal-validity analysis of each variation of
// e on base (or on e.Scenario with base's population, periods and --set
// when e names one) with the seeds of iv, each in its own journaled
// folder dir/<experiment>/<variation>/, aggregating over every seed with
// finite values (spec §9.2).
func RunExperiment(ctx context.Context, e RobustnessExperiment, base *scenarios.Scenario, iv InternalValidity, dir string) (*ExperimentResult, error) {
	start := base
	if e.Scenario != "" {
		sc, err := scenarios.Load(e.Scenario)
		if err != nil {
			return nil, err
		}
		for _, a := range []string{"n_firms", "n_households", "n_banks", "n_periods"} {
			spec, _ := ecs.LookupParam(a)
			if err := sc.Set(a + "=" + spec.Text(&base.Params)); err != nil {
				return nil, err
			}
		}
		start = sc
	}
	out := &ExperimentResult{Name: e.Name, Baseline: e.Baseline}
	for i, v := range e.Variations {
		sc := start.Clone()
		for _, a := range v.Sets {
			if err := sc.Set(a); err != nil {
				return nil, designError("%s, %s: %v", e.Name, v.Label, err)
			}
		}
		sub := filepath.Join(dir, e.Name, fmt.Sprintf("%02d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, err
		}
		run := iv
		run.Scenario, run.AllFinite = sc, true
		res, err := run.Run(ctx, sub)
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", e.Name, v.Label, err)
		}
		out.Labels, out.Results = append(out.Labels, v.Label), append(out.Results, res)
	}
	return out, nil
}

// MeanAR1 returns the mean AR fit of a variation for the sensitivity
// report (spec §9.2): the average intercept and average φ₁ of the
// per-seed fits, as an AR(1), with its impulse response.
func (r *IVResult) MeanAR1() (stats.AR, []float64) {
	ar := stats.AR{Const: r.ARConst.Mean, Phi: []float64{r.ARPhi1.Mean}, R2: nan}
	return ar, stats.IRF(ar.Phi, IRFSteps)
}

// Report writes the experiment as a table: per variation, each variable's
// mean co-movement at lag 0 and modal peak lag, the mean AR φ₁, mean
// unemployment and GDP-growth std, and the collapse and degenerate
// counts.
func (x *ExperimentResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", x.Name)
	if x.Baseline != "" {
		fmt.Fprintf(&b, " (book baseline %s)", x.Baseline)
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "value\t")
	for _, v := range CoVariables {
		fmt.Fprintf(tw, "%s c0 (peak)\t", v)
	}
	fmt.Fprintln(tw, "AR φ₁\tunemployment\tGDP growth std\tcollapsed\tdegenerate")
	for i, r := range x.Results {
		fmt.Fprintf(tw, "%s\t", x.Labels[i])
		for v := range CoVariables {
			peak := "n/a"
			if isFinite(r.ModalPeakLag[v]) {
				peak = fmt.Sprintf("%+d", int(r.ModalPeakLag[v]))
			}
			fmt.Fprintf(tw, "%s (%s)\t", style.Fixed(r.CoMean[v][MaxLag], 2), peak)
		}
		ar, _ := r.MeanAR1()
		nc := int(r.CollapseRate*float64(r.NSeeds) + 0.5)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%d/%d\n", style.Fixed(ar.Phi[0], 3), style.Percent(r.Stats["unemployment_mean"].Mean, 1, "%"),
			style.Value(r.Stats["gdp_growth_std"].Mean), nc, r.NSeeds, r.NSeeds-r.Valid, r.NSeeds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String()+"\n")
	return err
}

// WriteExperiments writes name.json (per experiment and variation: the
// co-movement means and stds, modal peak lags, the mean AR fit and its
// IRF, the statistics, collapse and degenerate counts), name.txt (Report
// of each), a figure per experiment, name-<experiment>.png (Plot), and
// name.html, a self-contained report of the tables and figures, into dir,
// atomically.
func WriteExperiments(dir, name string, xs []*ExperimentResult) error {
	type variation struct {
		Label        string           `json:"label"`
		CoMean       [][]jnum         `json:"co_movements_mean"`
		CoStd        [][]jnum         `json:"co_movements_std"`
		ModalPeakLag []jnum           `json:"modal_peak_lag"`
		MeanARConst  jnum             `json:"mean_ar_const"`
		MeanARPhi1   jnum             `json:"mean_ar_phi1"`
		MeanIRF      []jnum           `json:"mean_ar_irf"`
		Stats        map[string]jstat `json:"statistics"`
		Collapsed    int              `json:"collapsed"`
		Degenerate   int              `json:"degenerate"`
		NSeeds       int              `json:"n_seeds"`
	}
	type experiment struct {
		Name       string      `json:"name"`
		Baseline   string      `json:"baseline,omitempty"`
		Variations []variation `json:"variations"`
	}
	doc := struct {
		Format      string       `json:"format"`
		Variables   []string     `json:"variables"`
		Experiments []experiment `json:"experiments"`
	}{Format: "bam-robustness-" + name + "/1", Variables: CoVariables}
	var text strings.Builder
	for _, x := range xs {
		e := experiment{Name: x.Name, Baseline: x.Baseline}
		for i, r := range x.Results {
			ar, irf := r.MeanAR1()
			v := variation{Label: x.Labels[i], ModalPeakLag: toJnums(r.ModalPeakLag), MeanARConst: jnum(ar.Const), MeanARPhi1: jnum(ar.Phi[0]),
				MeanIRF: toJnums(irf), Stats: map[string]jstat{}, Collapsed: int(r.CollapseRate*float64(r.NSeeds) + 0.5),
				Degenerate: r.NSeeds - r.Valid, NSeeds: r.NSeeds}
			for c := range CoVariables {
				v.CoMean, v.CoStd = append(v.CoMean, toJnums(r.CoMean[c])), append(v.CoStd, toJnums(r.CoStd[c]))
			}
			for k, s := range r.Stats {
				v.Stats[k] = toJstat(s)
			}
			e.Variations = append(e.Variations, v)
		}
		doc.Experiments = append(doc.Experiments, e)
		if err := x.Report(&text); err != nil {
			return err
		}
		if err := writeExperimentFigure(dir, name, x); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, name+".json"), append(b, '\n')); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, name+".txt"), []byte(text.String())); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	return writeExperimentsHTML(dir, name, xs)
}
