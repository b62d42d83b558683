package experiments

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"
)

// The files an internal-validity study writes.
const (
	IVJSON = "internal.json"
	IVText = "internal.txt"
)

// jstat is a StatSummary in JSON.
type jstat struct {
	Mean jnum `json:"mean"`
	Std  jnum `json:"std"`
	Min  jnum `json:"min"`
	Max  jnum `json:"max"`
	CV   jnum `json:"cv"`
}

func toJstat(s StatSummary) jstat {
	return jstat{jnum(s.Mean), jnum(s.Std), jnum(s.Min), jnum(s.Max), jnum(s.CV)}
}

// Write writes internal.json (every cross-seed output and the per-seed
// co-movements, AR fits and flags), internal.txt (Report), internal.png
// (Plot) and robustness.html (WriteHTML) into dir, atomically.
func (r *IVResult) Write(dir string) error {
	type seed struct {
		Seed        uint64   `json:"seed"`
		Degenerate  string   `json:"degenerate,omitempty"`
		Collapsed   bool     `json:"collapsed"`
		ARPhi       []jnum   `json:"ar_phi"`
		ARR2        jnum     `json:"ar_r2"`
		CoMovements [][]jnum `json:"co_movements"`
		PeakLags    []jnum   `json:"peak_lags"`
		SizeShape   string   `json:"size_shape"`
	}
	doc := struct {
		Format         string           `json:"format"`
		Scenario       string           `json:"scenario"`
		NPeriods       int              `json:"n_periods"`
		BurnIn         int              `json:"burn_in"`
		SeedStart      uint64           `json:"seed_start"`
		NSeeds         int              `json:"n_seeds"`
		Valid          int              `json:"valid_seeds"`
		CollapseRate   jnum             `json:"collapse_rate"`
		DegenerateRate jnum             `json:"degenerate_rate"`
		Variables      []string         `json:"variables"`
		Lags           []int            `json:"lags"`
		CoMean         [][]jnum         `json:"co_movements_mean"`
		CoStd          [][]jnum         `json:"co_movements_std"`
		ModalPeakLag   []jnum           `json:"modal_peak_lag"`
		BaselineSeed   uint64           `json:"baseline_seed"`
		ARPhi1         jstat            `json:"ar_phi1"`
		ARPhi2         jstat            `json:"ar_phi2"`
		ARR2           jstat            `json:"ar_r2"`
		MeanAR1        jnum             `json:"mean_cycle_ar1_phi"`
		MeanIRF        []jnum           `json:"mean_cycle_irf"`
		Stats          map[string]jstat `json:"statistics"`
		Seeds          []seed           `json:"seeds"`
	}{Format: IVFormat, Scenario: r.Scenario, NPeriods: r.NPeriods, BurnIn: r.BurnIn, SeedStart: r.SeedStart, NSeeds: r.NSeeds,
		Valid: r.Valid, CollapseRate: jnum(r.CollapseRate), DegenerateRate: jnum(r.DegenerateRate), Variables: CoVariables,
		ModalPeakLag: toJnums(r.ModalPeakLag), BaselineSeed: r.BaselineSeed, ARPhi1: toJstat(r.ARPhi1), ARPhi2: toJstat(r.ARPhi2),
		ARR2: toJstat(r.ARR2), MeanAR1: jnum(r.MeanAR.Phi[0]), MeanIRF: toJnums(r.MeanIRF), Stats: map[string]jstat{}}
	for k := -MaxLag; k <= MaxLag; k++ {
		doc.Lags = append(doc.Lags, k)
	}
	for v := range CoVariables {
		doc.CoMean, doc.CoStd = append(doc.CoMean, toJnums(r.CoMean[v])), append(doc.CoStd, toJnums(r.CoStd[v]))
	}
	for k, v := range r.Stats {
		doc.Stats[k] = toJstat(v)
	}
	for _, a := range r.Seeds {
		s := seed{Seed: a.Seed, Degenerate: a.Degenerate, Collapsed: a.Collapsed, ARPhi: toJnums(a.AR.Phi), ARR2: jnum(a.AR.R2),
			PeakLags: toJnums(a.PeakLags), SizeShape: a.SizeShape}
		for _, c := range a.CoMovements {
			s.CoMovements = append(s.CoMovements, toJnums(c))
		}
		doc.Seeds = append(doc.Seeds, s)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, IVJSON), append(b, '\n')); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	var t bytes.Buffer
	if err := r.Report(&t); err != nil {
		return err
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, IVText), t.Bytes()); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	var fig bytes.Buffer
	if err := r.Plot(&fig, "png", 0, 0); err != nil {
		return fmt.Errorf("robustness: drawing %s: %w", IVFigure, err)
	}
	if err := stability.WriteFileAtomic(filepath.Join(dir, IVFigure), fig.Bytes()); err != nil {
		return fmt.Errorf("robustness: %w", err)
	}
	return r.WriteHTML(dir)
}

// cyclicality labels a co-movement at lag 0: acyclical inside the 0.2
// band, else pro- or countercyclical.
func cyclicality(c float64) string {
	switch {
	case !isFinite(c):
		return "undefined"
	case c > AcycBand:
		return "procyclical"
	case c < -AcycBand:
		return "countercyclical"
	}
	return "acyclical"
}

// Report writes the text report: the study, the co-movements (mean ± std
// at every lag, the label at lag 0, the modal peak lag), the AR fits and
// the summary statistics.
func (r *IVResult) Report(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "internal validity of %s: seeds %d–%d, %d periods, burn-in %d\n", r.Scenario, r.SeedStart,
		r.SeedStart+uint64(r.NSeeds)-1, r.NPeriods, r.BurnIn)
	fmt.Fprintf(&b, "valid seeds %d of %d (collapsed %s, degenerate %s)\n\n", r.Valid, r.NSeeds,
		style.Percent(r.CollapseRate, 0, "%"), style.Percent(r.DegenerateRate, 0, "%"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "co-movement with the GDP cycle\t")
	for k := -MaxLag; k <= MaxLag; k++ {
		fmt.Fprintf(tw, "%+d\t", k)
	}
	fmt.Fprint(tw, "peak lag\tat lag 0\t\n")
	for v, name := range CoVariables {
		fmt.Fprintf(tw, "%s\t", name)
		for k := range 2*MaxLag + 1 {
			fmt.Fprintf(tw, "%s\t", style.Fixed(r.CoMean[v][k], 2))
		}
		peak := "n/a"
		if isFinite(r.ModalPeakLag[v]) {
			peak = fmt.Sprintf("%+d", int(r.ModalPeakLag[v]))
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", peak, cyclicality(r.CoMean[v][MaxLag]))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "(mean over the valid seeds; c_k = corr(GDP cycle_t, variable cycle_{t+k}): k > 0, the variable lags GDP; |c| < %g acyclical)\n\n", AcycBand)
	fmt.Fprintf(&b, "AR(2) of the GDP cycle, per seed: φ₁ %s ± %s, φ₂ %s ± %s, R² %s\n", style.Fixed(r.ARPhi1.Mean, 3),
		style.Fixed(r.ARPhi1.Std, 3), style.Fixed(r.ARPhi2.Mean, 3), style.Fixed(r.ARPhi2.Std, 3), style.Fixed(r.ARR2.Mean, 3))
	fmt.Fprintf(&b, "AR(1) of the mean cycle: φ₁ %s; impulse response", style.Fixed(r.MeanAR.Phi[0], 3))
	for i, v := range r.MeanIRF {
		if i < 8 {
			fmt.Fprintf(&b, " %s", style.Fixed(v, 2))
		}
	}
	b.WriteString(" …\n\n")
	names := make([]string, 0, len(r.Stats))
	for k := range r.Stats {
		names = append(names, k)
	}
	slices.Sort(names)
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "statistic\tmean\tstd\tmin\tmax\tCV")
	for _, n := range names {
		s := r.Stats[n]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", n, style.Value(s.Mean), style.Value(s.Std), style.Value(s.Min), style.Value(s.Max), style.Value(s.CV))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
