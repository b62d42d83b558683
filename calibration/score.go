package calibration

import (
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/bam-abm/bam/experiments"
)

// Evaluation is a configuration's scores over its seeds (spec §10): the
// mean score, its sample standard deviation (n − 1; 0 for one seed), the
// pass rate (the share of seeds whose verdict passed), the number of
// seeds that failed and the total of FAIL statuses over the seeds.
type Evaluation struct {
	Values    []string `json:"values"`
	NSeeds    int      `json:"n_seeds"`
	Mean      float64  `json:"mean"`
	Std       float64  `json:"std"`
	PassRate  float64  `json:"pass_rate"`
	FailSeeds int      `json:"fail_seeds"`
	Fails     int      `json:"fails"`
}

// JobScore is the score of one job: the validation total_score, or 0 for a
// job that crashed (its state went NaN or infinite) or has no finite score.
func JobScore(s *experiments.Summary) float64 {
	if s.Failed != "" || math.IsNaN(s.Score) || math.IsInf(s.Score, 0) {
		return 0
	}
	return s.Score
}

// Evaluate aggregates the summaries of one configuration's seeds. A
// crashed job passes no check: it counts as a failing seed.
func Evaluate(values []string, sums []experiments.Summary) Evaluation {
	e := Evaluation{Values: values, NSeeds: len(sums)}
	if len(sums) == 0 {
		e.Mean, e.Std = math.NaN(), math.NaN()
		return e
	}
	scores := make([]float64, len(sums))
	passed := 0
	for i := range sums {
		scores[i] = JobScore(&sums[i])
		if sums[i].Passed && sums[i].Failed == "" {
			passed++
		} else {
			e.FailSeeds++
		}
		e.Fails += sums[i].Fails
	}
	e.Mean = mean(scores)
	e.Std = sampleStd(scores)
	e.PassRate = float64(passed) / float64(len(sums))
	return e
}

// Combined is the multi-seed score of spec §10: mean · pass_rate ·
// (1 − k · std).
func Combined(mean, passRate, std, k float64) float64 {
	return mean * passRate * (1 - k*std)
}

// Combined returns the evaluation's combined score with k.
func (e *Evaluation) Combined(k float64) float64 { return Combined(e.Mean, e.PassRate, e.Std, k) }

// mean is the arithmetic mean (NaN for no values).
func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return stat.Mean(x, nil)
}

// sampleStd is the sample standard deviation (n − 1 in the denominator,
// gonum's stat.StdDev); 0 for fewer than two values.
func sampleStd(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	return stat.StdDev(x, nil)
}
