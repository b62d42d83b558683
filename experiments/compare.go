package experiments

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/stats"
)

// ArmNames are the labels of a comparison's two arms.
var ArmNames = [2]string{"baseline", "treatment"}

// NewComparison returns the sweep of a policy comparison: the two arms,
// baseline and treatment, each run with the seeds SeedStart … +NSeeds−1
// (the same seeds: common random numbers) and their series kept, ready
// for Run and then Compare.
func NewComparison(baseline, treatment *scenarios.Scenario, seedStart uint64, nSeeds int) *Sweep {
	return &Sweep{
		Scenario: baseline, Arms: []*scenarios.Scenario{baseline, treatment},
		Design:    &Design{Kind: "arms", Params: []string{"arm"}, Configs: [][]string{{ArmNames[0]}, {ArmNames[1]}}},
		SeedStart: seedStart, NSeeds: nSeeds, KeepSeries: true,
	}
}

// Band is a per-period mean over seeds with its 95 % confidence interval
// (Student t over the seeds; NaN with fewer than two).
type Band struct {
	Mean, Lo, Hi []float64
}

// SeriesComparison is the comparison of one economy series.
type SeriesComparison struct {
	Name string
	// Baseline, Treatment and Diff (treatment − baseline, seed by seed)
	// per period 1 … Periods.
	Baseline, Treatment, Diff Band
	// BaselineMean and TreatmentMean are the post-burn-in means averaged
	// over seeds; DiffMean the mean of the seeds' paired differences,
	// DiffLo and DiffHi its 95 % confidence interval, T the paired t
	// statistic and P its two-sided p-value (n − 1 degrees of freedom).
	BaselineMean, TreatmentMean    float64
	DiffMean, DiffLo, DiffHi, T, P float64
}

// Comparison is the result of Compare.
type Comparison struct {
	NSeeds, BurnIn, Periods int
	Series                  []SeriesComparison
}

// Compare reads the kept series of a finished comparison (NewComparison,
// run into dir) and compares the named economy series (columns of
// economy.csv): per period, each arm's mean and the paired difference with
// their 95 % bands; over the post-burn-in window, the difference in means
// with its confidence interval and a paired t-test. The periods compared
// are those every job ran (a collapse shortens them). A comparison merged
// from shards (Merge, then CopySeries) compares the same way.
func (s *Sweep) Compare(dir string, series []string) (*Comparison, error) {
	if s.Design == nil || s.Design.Kind != "arms" || s.Design.Len() != 2 || !s.KeepSeries {
		return nil, designError("not a comparison of two arms with kept series (NewComparison)")
	}
	h, err := s.header()
	if err != nil {
		return nil, err
	}
	for _, name := range series {
		if !slices.Contains(SeriesNames(), name) {
			return nil, designError("--series %s: not an economy series (one of %v)", name, SeriesNames())
		}
	}
	data := [2][]map[string][]float64{}
	periods := math.MaxInt
	for arm := range 2 {
		for k := range s.NSeeds {
			jb := Job{Config: arm, Seed: s.SeedStart + uint64(k)}
			cols, err := readSeries(filepath.Join(dir, SeriesDir, SeriesName(jb)), series)
			if err != nil {
				return nil, err
			}
			data[arm] = append(data[arm], cols)
			periods = min(periods, len(cols[series[0]]))
		}
	}
	c := &Comparison{NSeeds: s.NSeeds, BurnIn: h.BurnIn, Periods: periods}
	x := make([]float64, s.NSeeds)
	for _, name := range series {
		sc := SeriesComparison{Name: name}
		for _, b := range []*Band{&sc.Baseline, &sc.Treatment, &sc.Diff} {
			b.Mean, b.Lo, b.Hi = make([]float64, periods), make([]float64, periods), make([]float64, periods)
		}
		for t := range periods {
			for i, band := range []*Band{&sc.Baseline, &sc.Treatment, &sc.Diff} {
				for k := range s.NSeeds {
					switch i {
					case 2:
						x[k] = data[1][k][name][t] - data[0][k][name][t]
					default:
						x[k] = data[i][k][name][t]
					}
				}
				band.Mean[t], _, band.Lo[t], band.Hi[t] = meanCI(x)
			}
		}
		var base, treat, diff []float64
		for k := range s.NSeeds {
			b := windowMean(data[0][k][name][:periods], h.BurnIn)
			tr := windowMean(data[1][k][name][:periods], h.BurnIn)
			base, treat, diff = append(base, b), append(treat, tr), append(diff, tr-b)
		}
		sc.BaselineMean, sc.TreatmentMean = stats.Mean(base), stats.Mean(treat)
		var sd float64
		sc.DiffMean, sd, sc.DiffLo, sc.DiffHi = meanCI(diff)
		sc.T, sc.P = pairedT(sc.DiffMean, sd, len(diff))
		c.Series = append(c.Series, sc)
	}
	return c, nil
}

// windowMean is the mean of x after burnIn periods (NaN if none).
func windowMean(x []float64, burnIn int) float64 {
	if burnIn >= len(x) {
		return math.NaN()
	}
	return stats.Mean(x[burnIn:])
}

// pairedT returns the paired t statistic of n differences with mean m and
// sample standard deviation sd, and its two-sided p-value. Differences
// that are all equal give t = ±Inf (p = 0) unless they are all 0 (t = NaN).
func pairedT(m, sd float64, n int) (t, p float64) {
	if n < 2 || math.IsNaN(sd) {
		return math.NaN(), math.NaN()
	}
	t = m / (sd / math.Sqrt(float64(n)))
	if math.IsNaN(t) {
		return t, math.NaN()
	}
	return t, 2 * (1 - distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.CDF(math.Abs(t)))
}

// readSeries reads the named columns of a kept series file
// (bam.History.WriteParquet) as float64s.
func readSeries(path string, names []string) (map[string][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: the kept series of a job: %v", ErrUnusable, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnusable, path, err)
	}
	index := map[string]int{}
	for i, col := range pf.Schema().Columns() {
		index[col[0]] = i
	}
	out := map[string][]float64{}
	for _, n := range names {
		if _, ok := index[n]; !ok {
			return nil, fmt.Errorf("%w: %s has no column %s", ErrUnusable, path, n)
		}
	}
	buf := make([]parquet.Row, 64)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, r := range buf[:n] {
				for _, name := range names {
					v := r[index[name]]
					var x float64
					switch v.Kind() {
					case parquet.Double:
						x = v.Double()
					case parquet.Int64:
						x = float64(v.Int64())
					case parquet.Int32:
						x = float64(v.Int32())
					default:
						x = math.NaN()
					}
					out[name] = append(out[name], x)
				}
			}
			if err != nil {
				break
			}
		}
		rows.Close()
	}
	if len(out[names[0]]) == 0 {
		return nil, fmt.Errorf("%w: %s holds no period", ErrUnusable, path)
	}
	return out, nil
}
