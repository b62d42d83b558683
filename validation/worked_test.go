package validation

import (
	"math"
	"testing"
)

// The worked examples of spec §5.3 (baseline seeds 0 and 1), §6.6
// (Growth+ seed 0) and §7.4 (buffer-stock seed 0): the reference's actual
// values, statuses and scores. Scores printed with few digits are compared
// to that precision.

type workedRow struct {
	name   string
	actual float64
	status string
	score  float64
	tol    float64
}

func TestWorkedExamples(t *testing.T) {
	tests := []struct {
		name    string
		metrics []Metric
		rows    []workedRow
		total   float64
		counts  [3]int
	}{
		{"baseline seed 0", BaselineMetrics, workedBaseline, 0.8771877604066506, [3]int{24, 1, 0}},
		{"baseline seed 1", BaselineMetrics, workedBaselineSeed1, 0.8949559355014638, [3]int{23, 2, 0}},
		{"growth_plus seed 0", GrowthPlusMetrics, workedGrowthPlus, 0.8622740337643199, [3]int{54, 12, 0}},
		{"buffer_stock seed 0", BufferStockMetrics, workedBufferStock, 0.8959554180413747, [3]int{8, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.rows) != len(tt.metrics) {
				t.Fatalf("%d rows, %d metrics", len(tt.rows), len(tt.metrics))
			}
			q := Quantities{}
			for i, r := range tt.rows {
				m := &tt.metrics[i]
				if m.Name != r.name {
					t.Fatalf("metric %d is %s, worked example has %s", i+1, m.Name, r.name)
				}
				st, sc := m.Evaluate(r.actual)
				if st.String() != r.status || math.Abs(sc-r.score) > r.tol*math.Max(1, math.Abs(r.score)) {
					t.Errorf("#%d %s(%v) = %s %v, want %s %v", i+1, r.name, r.actual, st, sc, r.status, r.score)
				}
				if prev, ok := q[m.Quantity]; ok && prev != r.actual {
					t.Errorf("quantity %s has two actual values %v and %v", m.Quantity, prev, r.actual)
				}
				q[m.Quantity] = r.actual
			}
			s := ScoreQuantities(tt.metrics, q)
			if got := [3]int{s.NPass, s.NWarn, s.NFail}; got != tt.counts {
				t.Errorf("counts %v, want %v", got, tt.counts)
			}
			// Totals are exact only where every score is printed in full.
			if math.Abs(s.TotalScore-tt.total) > 1e-5 {
				t.Errorf("total %v, want %v", s.TotalScore, tt.total)
			}
			if !s.Passed {
				t.Errorf("seed did not pass")
			}
		})
	}
}

func TestTotalWeights(t *testing.T) {
	for _, tt := range []struct {
		name    string
		metrics []Metric
		n       int
		w       float64
	}{
		{"baseline", BaselineMetrics, 25, 32.75},
		{"growth_plus", GrowthPlusMetrics, 66, 86.75},
		{"buffer_stock", BufferStockMetrics, 8, 16.5},
	} {
		if len(tt.metrics) != tt.n || TotalWeight(tt.metrics) != tt.w {
			t.Errorf("%s: %d metrics weighing %v, want %d weighing %v", tt.name, len(tt.metrics), TotalWeight(tt.metrics), tt.n, tt.w)
		}
	}
	groups := map[Group]int{}
	for _, m := range GrowthPlusMetrics {
		groups[m.Group]++
	}
	want := map[Group]int{TimeSeries: 16, Curves: 6, Distribution: 4, Growth: 8, Financial: 23, GrowthRateDist: 9}
	for g, n := range want {
		if groups[g] != n {
			t.Errorf("growth_plus group %s has %d metrics, want %d", g, groups[g], n)
		}
	}
}

var workedBaseline = []workedRow{
	{"unemployment_rate_mean", 0.067496, "PASS", 0.95008, 1e-5},
	{"unemployment_absolute_ceiling", 0.18000000000000005, "PASS", 1.0, 1e-1},
	{"unemployment_std", 0.028398344740494984, "PASS", 0.7900413814876254, 1e-12},
	{"unemployment_pct_above_floor", 0.97, "PASS", 1.0, 1e-1},
	{"unemployment_pct_below_ceiling", 0.952, "PASS", 1.0, 1e-1},
	{"inflation_rate_mean", 0.009600694241675707, "WARN", 0.32667823736126167, 1e-12},
	{"inflation_non_degenerate", 0.009600694241675707, "PASS", 0.7980034712083786, 1e-12},
	{"inflation_pct_in_bounds", 0.997, "PASS", 1.0, 1e-1},
	{"inflation_std", 0.02078281638843653, "PASS", 0.9608591805781735, 1e-12},
	{"real_wage_mean", 0.33368218969065183, "PASS", 0.8947031615108635, 1e-12},
	{"real_wage_std", 0.01359605572732543, "PASS", 0.9201972136337285, 1e-12},
	{"productivity_flatness", 0.0, "PASS", 1.0, 1e-1},
	{"wage_to_productivity_ratio", 0.6673643793813037, "PASS", 0.9131781030934812, 1e-12},
	{"vacancy_rate_mean", 0.12638, "PASS", 0.9396666666666664, 1e-12},
	{"vacancy_rate_pct_in_bounds", 0.948, "PASS", 1.0, 1e-1},
	{"phillips_correlation", -0.3158519370068644, "PASS", 0.9546089588812617, 1e-12},
	{"phillips_negative_sign", -0.3158519370068644, "PASS", 0.9079259685034322, 1e-12},
	{"okun_correlation", -0.9098472338479863, "PASS", 0.8752727967000244, 1e-12},
	{"okun_r_squared", 0.8278219889408323, "PASS", 0.9221780110591677, 1e-12},
	{"beveridge_correlation", -0.16456755482551996, "PASS", 0.8086977771141091, 1e-12},
	{"beveridge_negative_sign", -0.16456755482551996, "PASS", 0.83228377741276, 1e-12},
	{"firm_size_skewness", 2.2925252489985755, "PASS", 0.8218069582776987, 1e-12},
	{"firm_size_pct_below", 0.98, "PASS", 0.7763157894736843, 1e-12},
	{"firm_size_tail_ratio", 3.5, "PASS", 0.84375, 1e-5},
	{"firm_size_pct_below_medium", 1.0, "PASS", 1.0, 1e-1},
}
var workedBaselineSeed1 = []workedRow{
	{"unemployment_rate_mean", 0.055812, "PASS", 0.81624, 1e-5},
	{"unemployment_absolute_ceiling", 0.134, "PASS", 1.0, 1e-1},
	{"unemployment_std", 0.025304953191025645, "PASS", 0.8673761702243589, 1e-12},
	{"unemployment_pct_above_floor", 0.92, "WARN", 0.8500000000000002, 1e-12},
	{"unemployment_pct_below_ceiling", 0.992, "PASS", 1.0, 1e-1},
	{"inflation_rate_mean", 0.009923643322365236, "WARN", 0.3320607220394205, 1e-12},
	{"inflation_non_degenerate", 0.009923643322365236, "PASS", 0.7996182166118262, 1e-12},
	{"inflation_pct_in_bounds", 0.999, "PASS", 1.0, 1e-1},
	{"inflation_std", 0.020196214543600353, "PASS", 0.9901892728199824, 1e-12},
	{"real_wage_mean", 0.3362951838418488, "PASS", 0.9382530640308131, 1e-12},
	{"real_wage_std", 0.01627963067082774, "PASS", 0.786018466458613, 1e-12},
	{"productivity_flatness", 0.0, "PASS", 1.0, 1e-1},
	{"wage_to_productivity_ratio", 0.6725903676836976, "PASS", 0.8870481615815115, 1e-12},
	{"vacancy_rate_mean", 0.129916, "PASS", 0.9985999999999999, 1e-12},
	{"vacancy_rate_pct_in_bounds", 0.996, "PASS", 1.0, 1e-1},
	{"phillips_correlation", -0.3674660388620561, "PASS", 0.8972599568199378, 1e-12},
	{"phillips_negative_sign", -0.3674660388620561, "PASS", 0.933733019431028, 1e-12},
	{"okun_correlation", -0.892262861073419, "PASS", 0.9066734623688946, 1e-12},
	{"okun_r_squared", 0.7961330132509234, "PASS", 0.9538669867490766, 1e-12},
	{"beveridge_correlation", -0.31711633873485284, "PASS", 0.9473784897589571, 1e-12},
	{"beveridge_negative_sign", -0.31711633873485284, "PASS", 0.9085581693674264, 1e-12},
	{"firm_size_skewness", 5.595921426015743, "PASS", 0.9946710318880143, 1e-12},
	{"firm_size_pct_below", 0.96, "PASS", 0.8289473684210527, 1e-12},
	{"firm_size_tail_ratio", 8.0, "PASS", 0.875, 1e-3},
	{"firm_size_pct_below_medium", 0.99, "PASS", 1.0, 1e-1},
}
var workedGrowthPlus = []workedRow{
	{"unemployment_rate_mean", 0.069856, "PASS", 0.8786, 1e-4},
	{"unemployment_absolute_ceiling", 0.14600000000000002, "PASS", 1.0, 1e-1},
	{"unemployment_std", 0.02886512192941507, "PASS", 0.9716280482353767, 1e-12},
	{"unemployment_pct_above_floor", 0.984, "PASS", 1.0, 1e-1},
	{"unemployment_pct_below_ceiling", 1.0, "PASS", 1.0, 1e-1},
	{"inflation_rate_mean", 0.0018976283975184708, "WARN", 0.2779525679503694, 1e-12},
	{"inflation_hard_ceiling_upper", 0.088438738516474, "PASS", 1.0, 1e-1},
	{"inflation_hard_floor", -0.0679947152066764, "PASS", 1.0, 1e-1},
	{"inflation_non_degenerate", 0.0018976283975184708, "PASS", 0.7594881419875923, 1e-12},
	{"inflation_pct_in_bounds", 0.774, "WARN", 0.725625, 1e-6},
	{"log_gdp_mean", 8.800720566313412, "PASS", 0.7268014157835303, 1e-12},
	{"log_gdp_trend", 0.0015111775004062527, "PASS", 0.9944112497968737, 1e-12},
	{"log_gdp_trend_positive", 0.0015111775004062527, "PASS", 1.0, 1e-1},
	{"log_gdp_total_growth", 0.693809541851838, "PASS", 0.9716450380471254, 1e-12},
	{"vacancy_rate_mean", 0.127048, "PASS", 0.9507999999999999, 1e-12},
	{"vacancy_rate_pct_in_bounds", 0.992, "PASS", 1.0, 1e-1},
	{"phillips_correlation", -0.32183014271038046, "PASS", 0.9479665080995773, 1e-12},
	{"phillips_negative_sign", -0.32183014271038046, "PASS", 0.9109150713551902, 1e-12},
	{"okun_correlation", -0.8392939190291326, "PASS", 0.9987391411234512, 1e-12},
	{"okun_weak_fail", -0.8392939190291326, "PASS", 1.0, 1e-1},
	{"beveridge_correlation", -0.3192762622535973, "PASS", 0.9493420565941794, 1e-12},
	{"beveridge_negative_sign", -0.3192762622535973, "PASS", 0.9096381311267987, 1e-12},
	{"firm_size_skewness", 2.7497953331037768, "PASS", 0.9374488332759442, 1e-12},
	{"firm_size_pct_below", 0.96, "WARN", 0.6499999999999999, 1e-12},
	{"firm_size_tail_ratio", 3.5879433285740574, "PASS", 0.8492464580358786, 1e-12},
	{"firm_size_pct_below_medium", 0.81, "PASS", 1.0, 1e-1},
	{"productivity_growth", 1.040139216607911, "PASS", 0.9215280118627937, 1e-12},
	{"real_wage_growth", 0.9521020109224915, "PASS", 0.8586442935160654, 1e-12},
	{"productivity_wage_correlation", 0.8250824759314523, "PASS", 0.9443528045206085, 1e-12},
	{"wage_productivity_ratio_mean", 0.5898180099063132, "WARN", 0.6481800990631319, 1e-12},
	{"wage_productivity_ratio_std", 0.0320118599549306, "PASS", 0.9100592997746529, 1e-12},
	{"productivity_trend", 0.0014632606350023726, "PASS", 0.9816303175011862, 1e-12},
	{"n_recessions", 9.0, "WARN", 0.5833333333333334, 1e-12},
	{"avg_recession_length", 21.22222222222222, "PASS", 0.7576388888888889, 1e-12},
	{"bankruptcies_mean", 0.872, "PASS", 0.6239999999999999, 1e-12},
	{"real_interest_rate_mean", 0.019465095244319604, "WARN", 0.38930190488639205, 1e-12},
	{"real_interest_rate_std", 0.025789161040835604, "PASS", 0.9605419479582199, 1e-12},
	{"real_interest_rate_pct_in_bounds", 0.93, "PASS", 1.0, 1e-1},
	{"financial_fragility_mean", 0.03913812645841158, "WARN", 0.28276252916823175, 1e-12},
	{"financial_fragility_cv", 0.11278858094184606, "PASS", 0.7674286308865379, 1e-12},
	{"fragility_gdp_correlation", 0.6339947925140462, "PASS", 0.9330026037429768, 1e-12},
	{"price_ratio_mean", 1.5101078050342993, "PASS", 0.6622304874142517, 1e-12},
	{"price_ratio_cv", 0.062463272177364706, "PASS", 0.7653954511085294, 1e-12},
	{"price_ratio_floor", 1.24259598918482, "PASS", 1.0, 1e-1},
	{"price_ratio_gdp_correlation", -0.7455429519047576, "PASS", 0.9358700437229477, 1e-12},
	{"price_ratio_low_end", 1.3471875456521425, "PASS", 0.9528124543478576, 1e-12},
	{"price_dispersion_mean", 0.07494824197448159, "WARN", 0.0, 1e-1},
	{"price_dispersion_std", 0.02842620891356523, "PASS", 0.7142069637855077, 1e-12},
	{"price_dispersion_gdp_correlation", 0.3193357475947138, "PASS", 0.9096678737973569, 1e-12},
	{"equity_dispersion_mean", 0.8479697255156664, "WARN", 0.0979697255156664, 1e-12},
	{"equity_dispersion_cv", 0.15497157940280873, "WARN", 0.45579876294943744, 1e-12},
	{"equity_dispersion_gdp_correlation", 0.5995502172477739, "PASS", 0.9502248913761131, 1e-12},
	{"sales_dispersion_mean", 1.0117602814997544, "PASS", 0.5117602814997544, 1e-12},
	{"sales_dispersion_cv", 0.27923121672222595, "PASS", 0.5584624334444519, 1e-12},
	{"sales_dispersion_gdp_correlation", 0.6529398837275322, "PASS", 0.9235300581362339, 1e-12},
	{"minsky_hedge_pct", 0.9963600000000001, "WARN", 0.09546666666666648, 1e-12},
	{"minsky_ponzi_pct", 0.0007199999999999999, "WARN", 0.2589999999999999, 1e-12},
	{"output_growth_pct_tight", 0.9959919839679359, "PASS", 1.0, 1e-1},
	{"output_growth_pct_normal", 1.0, "PASS", 1.0, 1e-1},
	{"output_growth_outliers", 0.0, "PASS", 1.0, 1e-1},
	{"output_growth_tent_r2", 0.9781796993534501, "PASS", 0.8227343354885, 1e-12},
	{"output_growth_positive_frac", 0.6653306613226453, "PASS", 0.9861866590323504, 1e-12},
	{"networth_growth_pct_tight", 0.88, "PASS", 1.0, 1e-1},
	{"networth_growth_pct_normal", 0.94, "PASS", 1.0, 1e-1},
	{"networth_growth_outliers", 0.030000000000000027, "PASS", 1.0, 1e-1},
	{"networth_growth_tent_r2", 0.9480209679715683, "PASS", 0.8242557600406166, 1e-12},
}
var workedBufferStock = []workedRow{
	{"sm_ccdf_r2", 0.8329264324903822, "PASS", 0.8323160812259555, 1e-12},
	{"dagum_ccdf_r2", 0.9155383993371558, "PASS", 0.9611540016571106, 1e-12},
	{"gb2_ccdf_r2", 0.9391026465681942, "PASS", 0.9022433835795145, 1e-12},
	{"best_r2", 0.9391026465681942, "PASS", 0.9529911781060195, 1e-12},
	{"wealth_gini", 0.24434471473608999, "PASS", 0.7869539289467417, 1e-12},
	{"wealth_skewness", 1.0074696439713449, "PASS", 0.7767089286300708, 1e-12},
	{"mean_mpc", 0.9687815189743331, "PASS", 0.9686974683761117, 1e-12},
	{"pct_dissaving", 0.3642691415313225, "PASS", 0.9357308584686775, 1e-12},
}
