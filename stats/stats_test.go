package stats

import (
	"bufio"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
)

// Expected values in this file were computed with NumPy 1.24.2 and SciPy
// 1.10.1 (the versions of the reference's worked examples) on the same
// inputs, or by hand where noted.

// vec returns the first n values of the test vector
// sin(0.7·k·i)·1000/(i+1) + 3·cos(1.3·i), k = 1 or 1.7, as NumPy computed
// them (testdata/vec.txt, testdata/vec17.txt: Go's sin and cos may differ
// from the C library's by an ulp).
func vec(n int, k float64) []float64 {
	path := "testdata/vec.txt"
	if k != 1 {
		path = "testdata/vec17.txt"
	}
	return readFloatsFile(path)[:n]
}

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

// relClose reports whether a and b agree to the relative tolerance tol.
func relClose(a, b, tol float64) bool {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return true
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

func TestSumMeanStdNumPy(t *testing.T) {
	tests := []struct {
		n              int
		sum, mean, std float64
	}{
		{1, 3.0, 3.0, 0.0},
		{5, 933.8516419687993, 186.77032839375985, 131.45220026947217},
		{7, 753.9685751955554, 107.70979645650792, 168.2477261551976},
		{8, 628.3188338111206, 78.53985422639008, 175.28572073846732},
		{9, 556.4951434974698, 61.832793721941094, 171.88424200567292},
		{13, 767.184571518483, 59.01419780911408, 144.00455623312195},
		{16, 714.2315822666642, 44.63947389166651, 133.86071571431327},
		{128, 690.6208852280122, 5.395475665843845, 51.74088526792364},
		{129, 695.3729866299002, 5.390488268448839, 51.53997991964608},
		{136, 683.9141568275622, 5.028780564908546, 50.23578751827316},
		{200, 693.5346662110376, 3.4676733310551877, 41.57691864779942},
		{1000, 690.741848349803, 0.690741848349803, 18.793983501688206},
		{4097, 691.4207154808801, 0.16876268378835246, 9.476113067912943},
	}
	for _, tt := range tests {
		x := vec(tt.n, 1)
		if got := Sum(x); got != tt.sum {
			t.Errorf("Sum(n=%d) = %v, want %v", tt.n, got, tt.sum)
		}
		if got := Mean(x); got != tt.mean {
			t.Errorf("Mean(n=%d) = %v, want %v", tt.n, got, tt.mean)
		}
		if got := Std(x); got != tt.std {
			t.Errorf("Std(n=%d) = %v, want %v", tt.n, got, tt.std)
		}
	}
}

// Hand-computed cases where the pairwise order decides the result: 1e16
// absorbs a following 1 (ulp(1e16) = 2, ties to even), so a left-to-right
// sum loses ones that the pairwise sum keeps.
func TestPairwiseOrder(t *testing.T) {
	x := make([]float64, 16)
	for i := range x {
		x[i] = 1
	}
	x[0], x[8] = 1e16, -1e16
	// Accumulator 0 gets 1e16 + (−1e16) = 0; accumulators 1…7 get 2 each.
	if got := Sum(x); got != 14 {
		t.Errorf("16 values: %v, want 14 (a left-to-right sum gives 7)", got)
	}
	y := make([]float64, 200)
	for i := range y {
		y[i] = 1
	}
	y[0], y[8] = 1e16, -1e16
	// Split at 96: the first block cancels exactly within accumulator 0.
	if got := Sum(y); got != 198 {
		t.Errorf("200 values: %v, want 198 (a left-to-right sum gives 191)", got)
	}
	a, b, c := 0.1, 0.2, 0.3
	if got := Sum([]float64{a, b, c}); got != (a+b)+c {
		t.Errorf("short sums are left to right: %v", got)
	}
	if !math.IsNaN(Mean(nil)) || !math.IsNaN(Std(nil)) || Sum(nil) != 0 {
		t.Errorf("empty: mean %v std %v sum %v", Mean(nil), Std(nil), Sum(nil))
	}
}

func TestPercentileNumPy(t *testing.T) {
	x := vec(37, 1)
	tests := []struct{ p, want float64 }{
		{0, -125.6497413844349}, {1, -125.18145949881519}, {5, -82.32874392468553},
		{25, -24.92113683165927}, {50, 1.2859201712977963}, {75, 36.20194690309864},
		{95, 235.48190382063783}, {99, 324.83213176210205}, {100, 325.91257706937984},
		{12.5, -54.06382424660339},
	}
	for _, tt := range tests {
		if got := Percentile(x, tt.p); got != tt.want {
			t.Errorf("Percentile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := Median(x); got != 1.2859201712977963 {
		t.Errorf("Median(37) = %v", got)
	}
	if got := Median(vec(36, 1)); got != 2.142960085648898 {
		t.Errorf("Median(36) = %v", got)
	}
	// By hand: [1 2 3 4] at 25 % is h = 0.75, g ≥ 0.5: 2 − 1·0.25.
	if got := Percentile([]float64{4, 3, 2, 1}, 25); got != 1.75 {
		t.Errorf("Percentile([1..4], 25) = %v", got)
	}
	if !math.IsNaN(Percentile(nil, 50)) || !math.IsNaN(Median(nil)) {
		t.Error("empty percentile is not NaN")
	}
}

func TestSkewSciPy(t *testing.T) {
	tests := []struct {
		n    int
		want float64
	}{{3, -0.706898718089825}, {10, 0.6112349552738519}, {100, 3.4106982069726994}, {1000, 11.14670813571115}}
	for _, tt := range tests {
		if got := Skew(vec(tt.n, 1)); got != tt.want {
			t.Errorf("Skew(n=%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	// By hand: [1 2 3 10]: m2 = 12.5, m3 = 45, g1 = 45 / 12.5^1.5.
	if got, want := Skew([]float64{1, 2, 3, 10}), 45/math.Sqrt(12.5*12.5*12.5); math.Abs(got-want) > 1e-15 {
		t.Errorf("Skew([1 2 3 10]) = %v, want %v", got, want)
	}
	if !math.IsNaN(Skew([]float64{3.3, 3.3, 3.3})) || !math.IsNaN(Skew(nil)) {
		t.Error("constant or empty skew is not NaN")
	}
}

func TestExKurtSciPy(t *testing.T) {
	tests := []struct {
		n    int
		want float64
	}{{4, -1.0229889287481622}, {10, -1.1221782538155858}, {100, 16.81001666301182}, {1000, 194.94212280106683}}
	for _, tt := range tests {
		if got := ExKurt(vec(tt.n, 1)); !relClose(got, tt.want, 1e-14) {
			t.Errorf("ExKurt(n=%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	if !math.IsNaN(ExKurt([]float64{2, 2})) || !math.IsNaN(ExKurt(nil)) {
		t.Error("constant or empty kurtosis is not NaN")
	}
}

func TestCorrAndSlopeNumPy(t *testing.T) {
	tests := []struct {
		n           int
		corr, slope float64
	}{
		{2, 1.0, 319.9113401047192},
		{3, 0.8535536419310635, 161.45628853468997},
		{10, 0.4649994734718888, -37.292102978320735},
		{500, 0.45659042679187434, -0.016425351254365842},
	}
	for _, tt := range tests {
		x, y := vec(tt.n, 1), vec(tt.n, 1.7)
		if got := Corr(x, y); !relClose(got, tt.corr, 1e-13) {
			t.Errorf("Corr(n=%d) = %v, want %v", tt.n, got, tt.corr)
		}
		if got := OLSSlope(Indices(tt.n), x); !relClose(got, tt.slope, 1e-12) {
			t.Errorf("OLSSlope(n=%d) = %v, want %v", tt.n, got, tt.slope)
		}
	}
	if !math.IsNaN(Corr([]float64{1, 1, 1}, []float64{1, 2, 3})) || !math.IsNaN(Corr([]float64{1}, []float64{2})) {
		t.Error("degenerate correlation is not NaN")
	}
	if got := Corr([]float64{1, 2, 3}, []float64{3, 2, 1}); got != -1 {
		t.Errorf("perfect negative correlation %v", got)
	}
}

func TestIQRFilterPairs(t *testing.T) {
	// x quartiles of 1…8: Q1 = 2.75, Q3 = 6.25, bounds [−2.5, 11.5];
	// y has one outlier (100) that removes its pair.
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{1, 1, 1, 1, 1, 1, 1, 100}
	fx, fy := IQRFilter(x, y)
	if !slices.Equal(fx, x[:7]) || !slices.Equal(fy, y[:7]) {
		t.Errorf("filtered %v %v", fx, fy)
	}
	lo, hi := IQRBounds(x)
	if lo != -2.5 || hi != 11.5 {
		t.Errorf("bounds %v %v", lo, hi)
	}
	fx, _ = IQRFilter([]float64{1, 2, 100}, []float64{1, 2, 3})
	if len(fx) != 3 {
		t.Errorf("fewer than 4 pairs must not be filtered: %v", fx)
	}
}

func TestMA5AndDetCorr(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 100}
	y := MA5(x)
	want := []float64{1, 2, 3, 4, 23.6, 6, 100}
	for i := range y {
		if math.Abs(y[i]-want[i]) > 1e-12 {
			t.Errorf("MA5[%d] = %v, want %v", i, y[i], want[i])
		}
	}
	if got := MA5([]float64{1, 2, 3}); !slices.Equal(got, []float64{1, 2, 3}) {
		t.Errorf("short MA5 %v", got)
	}
	// A linear trend plus the same cycle: detrended correlation 1.
	a, b := make([]float64, 50), make([]float64, 50)
	for i := range a {
		c := math.Sin(float64(i) * 0.9)
		a[i], b[i] = 3+0.5*float64(i)+c, -2-4*float64(i)+2*c
	}
	if got := DetCorr(a, b); math.Abs(got-1) > 1e-12 {
		t.Errorf("DetCorr = %v, want 1", got)
	}
	if DetCorr(a[:9], b[:9]) != 0 {
		t.Error("DetCorr of fewer than 10 points is not 0")
	}
	flat := make([]float64, 20)
	if DetCorr(flat, a[:20]) != 0 {
		t.Error("DetCorr of a constant is not 0")
	}
}

func TestCVWithinFrac(t *testing.T) {
	if got := CV([]float64{1, 3}); got != 0.5 {
		t.Errorf("CV = %v", got)
	}
	if got := CV([]float64{-1, -3}); got != Std([]float64{-1, -3})/eps {
		t.Errorf("CV with a negative mean = %v (the mean is floored, not made absolute)", got)
	}
	x := []float64{-0.2, -0.05, 0, 0.05, 0.1, math.NaN(), math.Inf(1)}
	if got := Within(x, -0.05, 0.05); got != 0.6 {
		t.Errorf("Within = %v, want 3/5", got)
	}
	if Within([]float64{math.NaN()}, 0, 1) != 0 {
		t.Error("Within of no finite value is not 0")
	}
	if got := Frac([]float64{1, 2, 3, 4}, func(v float64) bool { return v >= 2 }); got != 0.75 {
		t.Errorf("Frac = %v", got)
	}
}

func TestGini(t *testing.T) {
	g := make([]float64, 50)
	for i := range g {
		g[i] = math.Abs(math.Sin(float64(i)*1.3))*10 - 1
	}
	tests := []struct {
		x    []float64
		want float64
	}{
		{g, 0.3335161961453903}, // NumPy, A.6 formula
		{[]float64{1, 1, 1, 1}, 0},
		{[]float64{10, 0, 0, 0}, 0.75}, // by hand: 2·40/(4·10) − 5/4
		{nil, 0},
		{[]float64{1, -1}, 0},
	}
	for _, tt := range tests {
		if got := Gini(tt.x); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("Gini(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
}
