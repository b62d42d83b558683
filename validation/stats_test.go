package validation

import (
	"bufio"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/bam-abm/bam/stats"
)

// readFloatsFile reads one float per line.
func readFloatsFile(path string) []float64 {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var x []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.ParseFloat(sc.Text(), 64)
		if err != nil {
			panic(err)
		}
		x = append(x, v)
	}
	return x
}

func TestFindPeaksSciPy(t *testing.T) {
	z := []float64{0, 1, 1, 1, 0, 2, 2, 3, 3, 3, 1, 5, 4, 4, 5, 5, 2, 1, 1, 0, 7, 7}
	z2 := []float64{0, 3, 0, 1, 0, 2, 0, 5, 0, 1, 0, 4, 0}
	tests := []struct {
		x          []float64
		dist, prom float64
		want       []int
	}{
		{z, 1, 0, []int{2, 8, 11, 14}}, // plateaus at their midpoint rounded down; end plateau never
		{z, 3, 0, []int{2, 8, 11, 14}},
		{z, 4, 0, []int{2, 8, 14}}, // tie 11 / 14 (both 5): the larger index is kept
		{z, 7, 0, []int{2, 14}},
		{z, 10, 0, []int{2, 14}},
		{z2, 2, 0, []int{1, 3, 5, 7, 9, 11}},
		{z2, 2, 2, []int{1, 5, 7, 11}},
		{z2, 3, 0, []int{1, 7, 11}},
		{z2, 5, 2, []int{1, 7}},
	}
	for _, tt := range tests {
		if got := FindPeaks(tt.x, tt.dist, tt.prom); !slices.Equal(got, tt.want) {
			t.Errorf("FindPeaks(d=%v, p=%v) = %v, want %v", tt.dist, tt.prom, got, tt.want)
		}
	}
	proms := []float64{1, 2, 5, 5}
	for i, p := range []int{2, 8, 11, 14} {
		if got := Prominence(z, p); got != proms[i] {
			t.Errorf("Prominence(%d) = %v, want %v", p, got, proms[i])
		}
	}
	// A cyclical log-GDP-like series: SciPy's peaks and troughs with
	// distance 20 and prominence 0.03.
	y := cycleSeries()
	wantP := []int{23, 45, 71, 130, 189, 252, 311, 371, 433, 492, 552, 614, 674, 736, 796, 855, 917, 977}
	wantT := []int{36, 99, 158, 221, 280, 339, 402, 461, 524, 583, 642, 705, 764, 827, 886, 945}
	if got := FindPeaks(y, 20, 0.03); !slices.Equal(got, wantP) {
		t.Errorf("peaks %v, want %v", got, wantP)
	}
	neg := make([]float64, len(y))
	for i := range y {
		neg[i] = -y[i]
	}
	if got := FindPeaks(neg, 20, 0.03); !slices.Equal(got, wantT) {
		t.Errorf("troughs %v, want %v", got, wantT)
	}
}

func cycleSeries() []float64 {
	y := make([]float64, 1000)
	for i := range y {
		t := float64(i)
		y[i] = 0.1*math.Sin(2*math.Pi*t/60) + 0.02*math.Sin(t*1.7) + 0.0005*t + 0.03*math.Sin(t*0.31)
	}
	return y
}

// Recessions on hand-made series: one peak-to-trough drop gives one
// episode from the peak to trough + 10; two episodes closer than 10 are
// bridged into one.
func TestRecessions(t *testing.T) {
	// Rise to a peak at 30, fall to a trough at 60, rise again.
	shape := func(n, peak, trough int) []float64 {
		y := make([]float64, n)
		for i := range y {
			switch {
			case i <= peak:
				y[i] = 0.01 * float64(i)
			case i <= trough:
				y[i] = 0.01*float64(peak) - 0.01*float64(i-peak)
			default:
				y[i] = 0.01*float64(peak) - 0.01*float64(trough-peak) + 0.01*float64(i-trough)
			}
		}
		return y
	}
	y := shape(200, 30, 60)
	n, l := Recessions(y, 1)
	// Mask [30, 70): MA5 keeps the kink points' positions.
	if n != 1 || l != 40 {
		t.Errorf("one recession: %d of mean length %v, want 1 of 40", n, l)
	}
	n, l = Recessions(y, 50)
	if n != 1 || l != 20 {
		t.Errorf("window from 50: %d of %v, want 1 of 20 (a straddling run starts at B)", n, l)
	}
	n, _ = Recessions(y, 100)
	if n != 0 {
		t.Errorf("window after the recession: %d episodes", n)
	}
	if n, l := Recessions(y[:9], 1); n != 0 || l != 0 {
		t.Error("fewer than 10 periods must give no recession")
	}
	// Two dips: peak 30 → trough 50 (mask [30, 60)), peak 65 → trough 90
	// (mask [65, 100)); the gap of 5 is bridged: one episode [30, 100).
	z := make([]float64, 200)
	for i := range z {
		fi := float64(i)
		switch {
		case i <= 30:
			z[i] = 0.01 * fi
		case i <= 50:
			z[i] = 0.3 - 0.01*(fi-30)
		case i <= 65:
			z[i] = 0.1 + 0.01*(fi-50)
		case i <= 90:
			z[i] = 0.25 - 0.01*(fi-65)
		default:
			z[i] = 0.0 + 0.01*(fi-90)
		}
	}
	n, l = Recessions(z, 1)
	if n != 1 || l != 70 {
		t.Errorf("bridged: %d of %v, want 1 of 70", n, l)
	}
}

func TestHPFilter(t *testing.T) {
	y := make([]float64, 12)
	for i := range y {
		y[i] = math.Log(float64(i+1)*3) + math.Sin(float64(i))*0.1
	}
	// NumPy dense solve of (I + 1600·KᵀK) τ = y.
	want := []float64{1.701985201265756, 1.8985777746316255, 2.094793239927121, 2.290240319577542,
		2.484648586683246, 2.677878100801474, 2.86988124734252, 3.0606832874851966,
		3.250401169683667, 3.4392662606438065, 3.6276001592721, 3.8157264288310007}
	trend, cycle := HPFilter(y, 1600)
	for i := range y {
		if !relClose(trend[i], want[i], 1e-11) || math.Abs(cycle[i]-(y[i]-trend[i])) > 0 {
			t.Errorf("trend[%d] = %v, want %v", i, trend[i], want[i])
		}
	}
	// A straight line is its own trend.
	line := []float64{1, 3, 5, 7, 9, 11}
	_, c := HPFilter(line, 1600)
	for i, v := range c {
		if math.Abs(v) > 1e-9 {
			t.Errorf("line cycle[%d] = %v", i, v)
		}
	}
	tr, c2 := HPFilter([]float64{1, 2}, 1600)
	if !slices.Equal(tr, []float64{1, 2}) || !slices.Equal(c2, []float64{0, 0}) {
		t.Errorf("n < 3: %v %v", tr, c2)
	}
}

func readFloats(t *testing.T, path string) []float64 {
	t.Helper()
	return readFloatsFile(path)
}

func TestTentR2(t *testing.T) {
	// 499 Laplace(0.001, 0.02) draws; the A.5 procedure in NumPy gives
	// 0.9976816395439896.
	x := readFloats(t, "testdata/laplace.txt")
	if got := TentR2(x); !relClose(got, 0.9976816395439896, 1e-12) {
		t.Errorf("TentR2 = %v, want 0.9976816395439896", got)
	}
	if TentR2(x[:19]) != 0 {
		t.Error("fewer than 20 values must give 0")
	}
	pos := make([]float64, 30)
	for i := range pos {
		pos[i] = float64(i)
	}
	if TentR2(pos) != 0 {
		t.Error("a side with fewer than 10 values must give 0")
	}
	// Both sides constant: the negative side (all −1) counts with R² = 0,
	// the non-negative side (all 0) is skipped.
	flat := make([]float64, 40)
	for i := range 20 {
		flat[i] = -1
	}
	if got := TentR2(flat); got != 0 {
		t.Errorf("constant sides: %v", got)
	}
}

func TestCCDFR2(t *testing.T) {
	// 300 Exponential(scale 2) draws, against the true CDF and a wrong
	// one (NumPy, A.6).
	x := readFloats(t, "testdata/expo.txt")
	ccdf := func(s float64) func(float64) float64 { return func(v float64) float64 { return math.Exp(-v / s) } }
	if got := CCDFR2(x, ccdf(2)); !relClose(got, 0.9818057791733453, 1e-12) {
		t.Errorf("CCDFR2(true) = %v", got)
	}
	if got := CCDFR2(x, ccdf(3)); !relClose(got, 0.7071258212327353, 1e-12) {
		t.Errorf("CCDFR2(wrong) = %v", got)
	}
	if CCDFR2(x[:10], ccdf(2)) != 0 {
		t.Error("fewer than 10 usable points must give 0")
	}
}

// The fits reach at least SciPy's likelihood on a Burr XII sample
// (n = 400, c = 3, d = 1.5, scale 2), and their CCDF R² are close to
// SciPy's (SciPy 1.10: SM 0.99623, Dagum 0.99087, beta-prime 0.99294).
func TestFitsAgainstSciPy(t *testing.T) {
	x := readFloats(t, "testdata/wealth.txt")
	tests := []struct {
		d        Dist
		scipyLL  float64
		scipyR2  float64
		paramTol float64
	}{
		{SinghMaddala, -484.33410806891493, 0.9962263949349122, 0},
		{Dagum, -485.6425257854106, 0.9908727923381289, 0},
		{BetaPrime, -484.04927947742533, 0.9929373940205978, 0},
	}
	res := FitWealth(x)
	for i, tt := range tests {
		r := res[i]
		if r.Err != nil {
			t.Fatalf("%s: %v", tt.d, r.Err)
		}
		if r.Fit.LogLik < tt.scipyLL-1e-3 {
			t.Errorf("%s: log-likelihood %v below SciPy's %v", tt.d, r.Fit.LogLik, tt.scipyLL)
		}
		if math.Abs(r.R2-tt.scipyR2) > 0.005 {
			t.Errorf("%s: R² %v, SciPy %v", tt.d, r.R2, tt.scipyR2)
		}
		if r.KS <= 0 || r.KS > 0.1 {
			t.Errorf("%s: KS %v", tt.d, r.KS)
		}
		t.Logf("%s: shape %v scale %v loglik %v (SciPy %v) R² %v (SciPy %v)", tt.d, r.Fit.Shape, r.Fit.Scale, r.Fit.LogLik, tt.scipyLL, r.R2, tt.scipyR2)
	}
	few := FitWealth(x[:49])
	for _, r := range few {
		if r.R2 != 0 || r.KS != 1 || r.Err == nil {
			t.Errorf("fewer than 50 values: %+v", r)
		}
	}
}

func TestDistCDFs(t *testing.T) {
	// At z = 1: SM 1 − 2^(−d); Dagum 2^(−k/s); beta-prime(1, 1) = 1/2.
	sm := Fit{Dist: SinghMaddala, Shape: [2]float64{3, 2}, Scale: 1}
	dg := Fit{Dist: Dagum, Shape: [2]float64{2, 4}, Scale: 1}
	bp := Fit{Dist: BetaPrime, Shape: [2]float64{1, 1}, Scale: 1}
	if got := sm.CDF(1); math.Abs(got-0.75) > 1e-15 {
		t.Errorf("SM CDF(1) = %v", got)
	}
	if got := dg.CDF(1); math.Abs(got-math.Pow(2, -0.5)) > 1e-15 {
		t.Errorf("Dagum CDF(1) = %v", got)
	}
	if got := bp.CDF(1); math.Abs(got-0.5) > 1e-15 {
		t.Errorf("beta-prime CDF(1) = %v", got)
	}
	for _, f := range []Fit{sm, dg, bp} {
		if f.CDF(0) != 0 || f.CDF(-1) != 0 || math.Abs(f.CDF(1e12)-1) > 1e-6 {
			t.Errorf("%s: CDF at 0 / −1 / ∞: %v %v %v", f.Dist, f.CDF(0), f.CDF(-1), f.CDF(1e12))
		}
		// The density integrates to the CDF: check numerically on [0.5, 2].
		a, b, n := 0.5, 2.0, 20000
		h := (b - a) / float64(n)
		s := 0.0
		for i := range n {
			s += math.Exp(f.logLik([]float64{math.Log(a + (float64(i)+0.5)*h)})) * h
		}
		if d := f.CDF(b) - f.CDF(a); math.Abs(s-d) > 1e-7 {
			t.Errorf("%s: ∫pdf = %v, ΔCDF = %v", f.Dist, s, d)
		}
	}
}

func TestMaxMinKS(t *testing.T) {
	nan := math.NaN()
	if stats.Max([]float64{1, 3, 2}) != 3 || stats.Min([]float64{1, 3, -2}) != -2 {
		t.Error("Max/Min")
	}
	if !math.IsNaN(stats.Max([]float64{1, nan})) || !math.IsNaN(stats.Min(nil)) {
		t.Error("Max/Min must propagate NaN and be NaN when empty (NumPy)")
	}
	uniform := func(v float64) float64 { return max(0, min(1, v)) }
	// One point at 0.5: D = max(1 − 0.5, 0.5 − 0).
	if got := KSStatistic([]float64{0.5}, uniform); got != 0.5 {
		t.Errorf("KS = %v", got)
	}
	// Points at the quartiles of U(0, 1): D = 1/4.
	if got := KSStatistic([]float64{0.75, 0.25, 0.5, 1}, uniform); got != 0.25 {
		t.Errorf("KS = %v", got)
	}
	a, b := stats.OLSLine([]float64{0, 1, 2, 3}, []float64{1, 3, 5, 7})
	if a != 1 || b != 2 {
		t.Errorf("OLSLine = %v, %v", a, b)
	}
	// By hand: slope 11.5/5 = 2.3, intercept 4.25 − 2.3·1.5 = 0.8.
	r := stats.Detrend([]float64{1, 3, 5, 8})
	for i, w := range []float64{0.2, -0.1, -0.4, 0.3} {
		if math.Abs(r[i]-w) > 1e-12 {
			t.Errorf("Detrend = %v", r)
		}
	}
}
