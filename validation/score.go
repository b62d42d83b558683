package validation

import (
	"encoding/json"
	"math"
	"strconv"
)

// Status is the outcome of one metric check (spec §1).
type Status int

// Statuses, from best to worst.
const (
	Pass Status = iota
	Warn
	Fail
)

// String returns "PASS", "WARN" or "FAIL".
func (s Status) String() string {
	switch s {
	case Pass:
		return "PASS"
	case Warn:
		return "WARN"
	case Fail:
		return "FAIL"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// MarshalJSON writes the status as its string.
func (s Status) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Check is a metric's check type (spec §4.3).
type Check int

// Check types.
const (
	MeanTolerance Check = iota // |x − target| within a tolerance
	Range                      // x within [min, max]
	PctWithin                  // a share at or above a target share
	Outlier                    // a share at or below a maximum outlier share
	Boolean                    // x strictly below (invert) or above a threshold
)

// String returns the reference's name of the check type.
func (c Check) String() string {
	switch c {
	case MeanTolerance:
		return "MEAN_TOLERANCE"
	case Range:
		return "RANGE"
	case PctWithin:
		return "PCT_WITHIN"
	case Outlier:
		return "OUTLIER"
	case Boolean:
		return "BOOLEAN"
	}
	return "Check(" + strconv.Itoa(int(c)) + ")"
}

// MarshalJSON writes the check type as its string.
func (c Check) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// Group is a metric's report group (spec §4.1); it does not affect scoring.
type Group string

// Metric groups.
const (
	TimeSeries     Group = "TIME_SERIES"
	Curves         Group = "CURVES"
	Distribution   Group = "DISTRIBUTION"
	Growth         Group = "GROWTH"
	Financial      Group = "FINANCIAL"
	GrowthRateDist Group = "GROWTH_RATE_DIST"
)

// GroupDisplayNames are the report names of the groups (spec §8.2).
var GroupDisplayNames = map[Group]string{
	TimeSeries: "Time Series", Curves: "Curves", Distribution: "Distribution",
	Growth: "Growth", Financial: "Financial", GrowthRateDist: "Growth Rate Distribution",
}

// Target is a metric's target block (spec §4.1). Which fields are used
// depends on the check type:
//
//   - MeanTolerance: Target (c) and Tolerance (τ); optional hard bounds Min
//     and/or Max when HardMin / HardMax are set;
//   - Range: Min and Max;
//   - PctWithin: Target (p*) and Min (p_min);
//   - Outlier: MaxOutlier (o) and Penalty (k, 2.0 when 0);
//   - Boolean: Threshold (θ) and Invert (pass when x < θ, else when x > θ).
type Target struct {
	Target, Tolerance float64
	Min, Max          float64
	HardMin, HardMax  bool
	MaxOutlier        float64
	Penalty           float64
	Threshold         float64
	Invert            bool
}

// Metric is one scored metric of a scenario (spec §4.1).
type Metric struct {
	// Name identifies the metric in reports ("unemployment_rate_mean").
	Name string
	// Quantity is the name of the computed quantity the metric scores.
	Quantity string
	// Check is the check type and Target its parameters.
	Check  Check
	Target Target
	// Weight is the metric's weight in the total score; it also sets the
	// escalation multiplier of the WARN→FAIL boundary (§4.2).
	Weight float64
	// Group is the report group.
	Group Group
}

// Escalation returns the weight-based multiplier m(w) = clamp(5 − 2w, 0.5,
// 5) of spec §4.2.
func Escalation(w float64) float64 { return max(0.5, min(5.0, 5-2*w)) }

// Evaluate scores the actual value x against metric m (spec §4.3): the
// status and the score in [0, 1]. A NaN x scores 0 and FAILs, except a
// MEAN_TOLERANCE check with hard bounds, which ends in WARN (spec §2).
func (m *Metric) Evaluate(x float64) (Status, float64) {
	return evaluate(m.Check, &m.Target, Escalation(m.Weight), x)
}

func evaluate(c Check, t *Target, esc, x float64) (Status, float64) {
	nan := math.IsNaN(x)
	switch c {
	case MeanTolerance:
		st, sc := meanTolerance(t.Target, t.Tolerance, esc, x)
		if t.HardMin || t.HardMax {
			switch {
			case t.HardMin && x < t.Min, t.HardMax && x > t.Max:
				st = Fail
			case st == Fail:
				if s1, _ := meanTolerance(t.Target, t.Tolerance, 1, x); s1 == Fail {
					st = Warn
				}
			}
		}
		return st, sc
	case Range:
		if nan {
			return Fail, 0
		}
		return rangeCheck(t.Min, t.Max, esc, x)
	case PctWithin:
		if nan {
			return Fail, 0
		}
		return pctWithin(t.Target, t.Min, esc, x)
	case Outlier:
		if nan {
			return Fail, 0
		}
		k := t.Penalty
		if k == 0 {
			k = 2
		}
		return outlier(t.MaxOutlier, k, esc, x)
	case Boolean:
		ok := x > t.Threshold
		if t.Invert {
			ok = x < t.Threshold
		}
		if ok {
			return Pass, 1
		}
		return Fail, 0
	}
	return Fail, 0
}

// meanTolerance: score max(0, 1 − (|x−c|/τ)/2); PASS within τ, WARN within
// τ·2·m. A NaN x gives score 0 and FAIL. τ = 0 scores 1 on target, else 0.
func meanTolerance(c, tol, esc, x float64) (Status, float64) {
	if math.IsNaN(x) {
		return Fail, 0
	}
	d := math.Abs(x - c)
	var score float64
	if tol == 0 {
		if d == 0 {
			score = 1
		}
	} else {
		score = math.Max(0, 1-(d/tol)/2)
	}
	switch {
	case d <= tol:
		return Pass, score
	case d <= tol*2*esc:
		return Warn, score
	}
	return Fail, score
}

// rangeCheck: 1 − 0.25·(|x−c|/(R/2)) inside [lo, hi], max(0, 0.75 − d/R)
// outside; PASS inside, WARN within 0.5·m·R of the range.
func rangeCheck(lo, hi, esc, x float64) (Status, float64) {
	r := hi - lo
	var score float64
	inside := x >= lo && x <= hi
	switch {
	case r == 0:
		if x == lo {
			score = 1
		}
	case inside:
		c := (lo + hi) / 2
		score = 1 - 0.25*(math.Abs(x-c)/(r/2))
	default:
		d := math.Min(math.Abs(x-lo), math.Abs(x-hi))
		score = math.Max(0, 0.75-d/r)
	}
	band := 0.5 * esc * r
	switch {
	case inside:
		return Pass, score
	case x >= lo-band && x <= hi+band:
		return Warn, score
	}
	return Fail, score
}

// pctWithin: 1 at or above p*, 0.75…1 between p_min and p*, falling to 0
// below p_min; PASS at or above p*, WARN down to max(0, p_min − (p* −
// p_min)·(m − 1)).
func pctWithin(target, floor, esc, x float64) (Status, float64) {
	var score float64
	switch {
	case x >= target:
		score = 1
	case x >= floor:
		score = 0.75 + 0.25*(x-floor)/(target-floor)
	case floor > 0:
		score = math.Max(0, 0.75*(1-(floor-x)/floor))
	}
	switch {
	case x >= target:
		return Pass, score
	case x >= math.Max(0, floor-(target-floor)*(esc-1)):
		return Warn, score
	}
	return Fail, score
}

// outlier: 1 at or below o, else max(0, exp(−k·(x−o)/o)) (0 when o = 0);
// PASS at or below o, WARN up to o·2·m.
func outlier(o, k, esc, x float64) (Status, float64) {
	var score float64
	switch {
	case x <= o:
		score = 1
	case o == 0:
		score = 0
	default:
		score = math.Max(0, math.Exp(-k*(x-o)/o))
	}
	switch {
	case x <= o:
		return Pass, score
	case x <= o*2*esc:
		return Warn, score
	}
	return Fail, score
}

// Describe returns the target block in a short human form, such as
// "0.065 ± 0.025", "[0.6, 0.7]", "≥ 0.95 (min 0.9)", "≤ 0.02" or "< 0.2".
func (t *Target) Describe(c Check) string { return t.DescribeWith(c, shortest) }

// MetricResult is one metric's outcome in a validation run.
type MetricResult struct {
	Name     string  `json:"name"`
	Quantity string  `json:"-"`
	Status   Status  `json:"status"`
	Actual   float64 `json:"actual"`
	Score    float64 `json:"score"`
	Weight   float64 `json:"weight"`
	Group    Group   `json:"group"`
}

// Score is the result of scoring one run against a scenario's metrics
// (the reference's ValidationScore, spec §1, §4.4).
type Score struct {
	// Results holds one entry per metric, in the scenario's metric order.
	Results []MetricResult
	// TotalScore is Σ score·weight / Σ weight (NaN for a non-evaluable
	// buffer-stock seed, §7.1).
	TotalScore float64
	// NPass, NWarn and NFail count the statuses.
	NPass, NWarn, NFail int
	// Passed is NFail == 0.
	Passed bool
}

// ScoreQuantities evaluates every metric of metrics against the quantity it
// names in q (a quantity missing from q counts as NaN) and totals the
// result (spec §4.4).
func ScoreQuantities(metrics []Metric, q Quantities) *Score {
	s := &Score{Results: make([]MetricResult, len(metrics))}
	num, den := 0.0, 0.0
	for i := range metrics {
		m := &metrics[i]
		x, ok := q[m.Quantity]
		if !ok {
			x = math.NaN()
		}
		st, sc := m.Evaluate(x)
		s.Results[i] = MetricResult{Name: m.Name, Quantity: m.Quantity, Status: st, Actual: x, Score: sc, Weight: m.Weight, Group: m.Group}
		switch st {
		case Pass:
			s.NPass++
		case Warn:
			s.NWarn++
		default:
			s.NFail++
		}
		num += sc * m.Weight
		den += m.Weight
	}
	s.TotalScore = num / den
	s.Passed = s.NFail == 0
	return s
}

// Quantities maps a quantity name (spec §5.1, §6.4, §7.2) to its value.
type Quantities map[string]float64

// TotalWeight returns the sum of the metrics' weights.
func TotalWeight(metrics []Metric) float64 {
	w := 0.0
	for i := range metrics {
		w += metrics[i].Weight
	}
	return w
}
