package validation

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/bam-abm/bam/stats"
)

// The seed-0 baseline fixture of spec §5.4: the reference's per-period
// reductions (testdata/baseline_seed0_series.csv) and its quantities,
// intermediates and scores (testdata/baseline_seed0_expected.json).

type fixtureExpected struct {
	NPeriods        int     `json:"n_periods"`
	ActualPeriods   int     `json:"actual_periods"`
	BurnIn          int     `json:"burn_in"`
	NFirms          int     `json:"n_firms"`
	NHouseholds     int     `json:"n_households"`
	InitialAvgPrice float64 `json:"initial_avg_price"`
	Inputs          struct {
		FinalProduction []float64 `json:"final_production"`
	} `json:"inputs"`
	Quantities    map[string]float64 `json:"quantities"`
	Intermediates struct {
		OkunPairsBefore int        `json:"okun_pairs_before_filter"`
		OkunUBounds     [2]float64 `json:"okun_unemployment_growth_bounds"`
		OkunYBounds     [2]float64 `json:"okun_gdp_growth_bounds"`
		OkunPairsAfter  int        `json:"okun_pairs_after_filter"`
		Median          float64    `json:"final_production_median"`
		Max             float64    `json:"final_production_max"`
		Below5          int        `json:"final_production_n_below_5"`
		Below10         int        `json:"final_production_n_below_10"`
	} `json:"intermediates"`
	Results []struct {
		Name       string             `json:"name"`
		Quantity   string             `json:"quantity"`
		Check      string             `json:"check"`
		Target     map[string]any     `json:"target"`
		Weight     float64            `json:"weight"`
		Escalation float64            `json:"escalation"`
		Group      string             `json:"group"`
		Actual     float64            `json:"actual"`
		Status     string             `json:"status"`
		Score      float64            `json:"score"`
		Extra      map[string]float64 `json:"-"`
	} `json:"results"`
	TotalWeight float64 `json:"total_weight"`
	TotalScore  float64 `json:"total_score"`
	NPass       int     `json:"n_pass"`
	NWarn       int     `json:"n_warn"`
	NFail       int     `json:"n_fail"`
	Passed      bool    `json:"passed"`
}

type fixture struct {
	exp     fixtureExpected
	cols    map[string][]float64 // CSV columns; NaN for empty cells
	rec     *Record
	derived *Derived
}

func loadFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{cols: map[string][]float64{}}
	b, err := os.ReadFile("testdata/baseline_seed0_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &f.exp); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open("testdata/baseline_seed0_series.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	for _, row := range rows[1:] {
		for j, cell := range row {
			v := math.NaN()
			if cell != "" {
				if v, err = strconv.ParseFloat(cell, 64); err != nil {
					t.Fatalf("%s: %v", head[j], err)
				}
			}
			f.cols[head[j]] = append(f.cols[head[j]], v)
		}
	}
	f.rec = &Record{
		NPeriods: f.exp.NPeriods, NFirms: f.exp.NFirms, NHouseholds: f.exp.NHouseholds, RBar: 0.02,
		AvgPrice:             f.cols["Economy.avg_price"],
		Inflation:            f.cols["Economy.inflation"],
		Employed:             f.cols["Worker.employed.sum"],
		WageEmployedSum:      f.cols["Worker.wage.employed_sum"],
		Production:           f.cols["Producer.production.sum"],
		ProductivityWeighted: f.cols["Producer.labor_productivity.weighted_sum"],
		Vacancies:            f.cols["Employer.n_vacancies.sum"],
		FinalProduction:      f.exp.Inputs.FinalProduction,
	}
	f.derived = Derive(f.rec)
	return f
}

// relClose reports whether a and b agree within tol relative (or are both
// NaN, or exactly equal).
func relClose(a, b, tol float64) bool {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return true
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

func TestFixtureShape(t *testing.T) {
	f := loadFixture(t)
	if got := f.rec.Periods(); got != f.exp.ActualPeriods {
		t.Fatalf("T = %d, want %d", got, f.exp.ActualPeriods)
	}
	if b := BurnIn(DefaultBurnIn, f.exp.NPeriods); b != f.exp.BurnIn {
		t.Fatalf("burn-in %d, want %d", b, f.exp.BurnIn)
	}
	if w := TotalWeight(BaselineMetrics); w != f.exp.TotalWeight {
		t.Fatalf("total weight %v, want %v", w, f.exp.TotalWeight)
	}
}

// Derived series rebuilt from the eight input columns equal the fixture's
// derived columns bit for bit, except log_gdp (NumPy's vectorised log may
// differ by 1 ulp, §5.4).
func TestFixtureDerivedSeries(t *testing.T) {
	f := loadFixture(t)
	d := f.derived
	series := []struct {
		col  string
		got  []float64
		ulps float64
	}{
		{"unemployment", d.Unemployment, 0},
		{"avg_productivity", d.AvgProductivity, 0},
		{"avg_employed_wage", d.AvgEmployedWage, 0},
		{"real_wage", d.RealWage, 0},
		{"vacancy_rate", d.VacancyRate, 0},
		{"wage_inflation", d.WageInflation, 0},
		{"gdp_growth", d.GDPGrowth, 0},
		{"unemployment_growth", d.UnempGrowth, 0},
		{"log_gdp", d.LogGDP, 1},
	}
	for _, s := range series {
		want := f.cols[s.col]
		if len(s.got) != len(want) {
			t.Fatalf("%s: %d values, want %d", s.col, len(s.got), len(want))
		}
		off := 0
		for i := range want {
			g, w := s.got[i], want[i]
			if math.IsNaN(w) && math.IsNaN(g) {
				continue
			}
			if g != w {
				off++
				if diff := math.Abs(g - w); diff > s.ulps*ulp(w) {
					t.Errorf("%s[%d] = %v, want %v", s.col, i, g, w)
				}
			}
		}
		t.Logf("%-20s %4d of %d values differ by ≤ %v ulp", s.col, off, len(want), s.ulps)
	}
}

func ulp(x float64) float64 { return math.Nextafter(math.Abs(x), math.Inf(1)) - math.Abs(x) }

// The inflation recurrence of §3 in difference-over-base form reproduces
// the recorded inflation bit for bit from the recorded prices.
func TestFixtureInflationRecurrence(t *testing.T) {
	f := loadFixture(t)
	got := InflationFromPrices(f.exp.InitialAvgPrice, f.rec.AvgPrice)
	for i, w := range f.rec.Inflation {
		if got[i] != w {
			t.Errorf("π[%d] = %v, want %v", i, got[i], w)
		}
	}
}

// Every §5.1 quantity: bit for bit for means, stds, fractions, max,
// skewness and tail ratio; 1e−12 relative for the correlations and Okun's
// R² (§5.4 step 3), and for the unscored log-GDP statistics, whose input ℓ
// differs from NumPy's vectorised log by an ulp in 290 periods (their
// bit-for-bit agreement on the fixture's own ℓ is checked below).
func TestFixtureQuantities(t *testing.T) {
	f := loadFixture(t)
	q, in := BaselineQuantities(f.rec, f.derived, f.exp.BurnIn)
	loose := map[string]bool{"phillips_corr": true, "okun_corr": true, "okun_r_squared": true, "beveridge_corr": true,
		"log_gdp_mean": true, "log_gdp_std": true}
	exact := 0
	for name, want := range f.exp.Quantities {
		got, ok := q[name]
		if !ok {
			t.Errorf("quantity %s not computed", name)
			continue
		}
		if got == want {
			exact++
			continue
		}
		tol := 0.0
		if loose[name] {
			tol = 1e-12
		}
		if !relClose(got, want, tol) {
			t.Errorf("%s = %v, want %v (rel diff %.3g)", name, got, want, math.Abs(got-want)/math.Abs(want))
		} else {
			t.Logf("%s = %v, want %v (within 1e-12, rel diff %.3g)", name, got, want, math.Abs(got-want)/math.Abs(want))
		}
	}
	t.Logf("%d of %d quantities bit for bit", exact, len(f.exp.Quantities))
	lg := window(f.cols["log_gdp"], f.exp.BurnIn)
	if m, s := stats.Mean(lg), stats.Std(lg); m != f.exp.Quantities["log_gdp_mean"] || s != f.exp.Quantities["log_gdp_std"] {
		t.Errorf("log GDP mean/std of the fixture's ℓ: %v %v, want %v %v", m, s, f.exp.Quantities["log_gdp_mean"], f.exp.Quantities["log_gdp_std"])
	}
	x := f.exp.Intermediates
	if in.OkunPairsBefore != x.OkunPairsBefore || in.OkunPairsAfter != x.OkunPairsAfter {
		t.Errorf("Okun pairs %d → %d, want %d → %d", in.OkunPairsBefore, in.OkunPairsAfter, x.OkunPairsBefore, x.OkunPairsAfter)
	}
	if in.OkunUnempGrowthBounds != x.OkunUBounds || in.OkunGDPGrowthBounds != x.OkunYBounds {
		t.Errorf("Okun bounds %v %v, want %v %v", in.OkunUnempGrowthBounds, in.OkunGDPGrowthBounds, x.OkunUBounds, x.OkunYBounds)
	}
	if in.FinalProductionMedian != x.Median || in.FinalProductionMax != x.Max ||
		in.FinalProductionBelow5 != x.Below5 || in.FinalProductionBelow10 != x.Below10 {
		t.Errorf("firm-size intermediates %+v, want %+v", in, x)
	}
}

// The metric table equals the fixture's (names, quantities, checks, target
// blocks, weights, escalation, groups), and scoring the fixture's actual
// values reproduces every status exactly and every score within 1e−12; the
// total score, counts and verdict match.
func TestFixtureScoring(t *testing.T) {
	f := loadFixture(t)
	if len(f.exp.Results) != len(BaselineMetrics) {
		t.Fatalf("%d metrics, fixture has %d", len(BaselineMetrics), len(f.exp.Results))
	}
	q := Quantities{}
	for i, r := range f.exp.Results {
		m := &BaselineMetrics[i]
		if m.Name != r.Name || m.Quantity != r.Quantity || m.Check.String() != r.Check ||
			m.Weight != r.Weight || string(m.Group) != r.Group || Escalation(m.Weight) != r.Escalation {
			t.Errorf("metric %d: %+v, fixture %s %s %s w=%v m=%v %s", i, m, r.Name, r.Quantity, r.Check, r.Weight, r.Escalation, r.Group)
		}
		checkTargetBlock(t, m, r.Target)
		st, sc := m.Evaluate(r.Actual)
		if st.String() != r.Status || !relClose(sc, r.Score, 1e-12) {
			t.Errorf("%s(%v) = %s %v, want %s %v", r.Name, r.Actual, st, sc, r.Status, r.Score)
		}
		q[r.Quantity] = r.Actual
	}
	s := ScoreQuantities(BaselineMetrics, q)
	if !relClose(s.TotalScore, f.exp.TotalScore, 1e-12) || s.NPass != f.exp.NPass || s.NWarn != f.exp.NWarn ||
		s.NFail != f.exp.NFail || s.Passed != f.exp.Passed {
		t.Errorf("total %v %d/%d/%d passed=%v, want %v %d/%d/%d %v", s.TotalScore, s.NPass, s.NWarn, s.NFail, s.Passed,
			f.exp.TotalScore, f.exp.NPass, f.exp.NWarn, f.exp.NFail, f.exp.Passed)
	}
	t.Logf("total score %v (fixture %v)", s.TotalScore, f.exp.TotalScore)
}

func checkTargetBlock(t *testing.T, m *Metric, block map[string]any) {
	t.Helper()
	num := func(k string) float64 {
		v, ok := block[k].(float64)
		if !ok {
			t.Errorf("%s: target block has no %s", m.Name, k)
		}
		return v
	}
	tg := m.Target
	var ok bool
	switch m.Check {
	case MeanTolerance:
		ok = tg.Target == num("target") && tg.Tolerance == num("tolerance")
	case Range:
		ok = tg.Min == num("min") && tg.Max == num("max")
	case PctWithin:
		ok = tg.Target == num("target") && tg.Min == num("min")
	case Boolean:
		ok = tg.Threshold == num("threshold") && tg.Invert == block["invert"]
	}
	if !ok {
		t.Errorf("%s: target %+v, fixture %v", m.Name, tg, block)
	}
}

// End to end: the record built from the fixture, through Suite.Evaluate,
// gives the fixture's statuses, scores and total.
func TestFixtureEndToEnd(t *testing.T) {
	f := loadFixture(t)
	q, s := Baseline.Evaluate(f.rec, DefaultBurnIn)
	exact := 0
	for i, r := range f.exp.Results {
		got := s.Results[i]
		if got.Actual == r.Actual {
			exact++
		}
		if got.Status.String() != r.Status || !relClose(got.Actual, r.Actual, 1e-15) || !relClose(got.Score, r.Score, 1e-12) {
			t.Errorf("%s: %s actual %v score %v, want %s %v %v", r.Name, got.Status, got.Actual, got.Score, r.Status, r.Actual, r.Score)
		}
	}
	t.Logf("%d of %d metric values bit for bit, the rest within 1e-15 relative", exact, len(f.exp.Results))
	if !relClose(s.TotalScore, f.exp.TotalScore, 1e-12) || s.NPass != f.exp.NPass || s.NWarn != f.exp.NWarn || s.Passed != f.exp.Passed {
		t.Errorf("total %v (%d/%d/%d), want %v", s.TotalScore, s.NPass, s.NWarn, s.NFail, f.exp.TotalScore)
	}
	if len(q) < len(f.exp.Quantities) {
		t.Errorf("%d quantities, want at least %d", len(q), len(f.exp.Quantities))
	}
}
