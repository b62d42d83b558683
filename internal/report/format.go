package report

// The numbers of the report in one format: a metric's values, its target
// and its changes with the same decimals (three significant digits of the
// metric's scale), scores with four decimals, pass rates in % with one,
// wall times in the unit that fits.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// Bounds of the decimals of a metric's numbers.
const (
	maxDecimals = 8
	sigDigits   = 3
)

// numFormat writes the numbers of one metric: fixed point with Decimals
// decimals and a true minus sign, "n/a" when not finite.
type numFormat struct{ Decimals int }

// decimalsFor returns the decimals that give sigDigits significant digits
// to a number of magnitude scale (0 to maxDecimals; 2 when scale is 0 or
// not finite).
func decimalsFor(scale float64) int {
	if !(scale > 0) || math.IsInf(scale, 0) {
		return 2
	}
	return max(0, min(maxDecimals, sigDigits-1-int(math.Floor(math.Log10(scale)))))
}

// metricFormat returns the number format of metric m: the decimals of the
// larger of the magnitudes of its mean and its std, or, when both are 0
// or unknown, of its target's numbers (so that a flat metric with a
// target of 0 ± 0.001 is written to the hundred-thousandth).
func metricFormat(m *reportMetric) numFormat {
	scale := 0.0
	for _, v := range []float64{m.MeanValue, m.StdValue} {
		if style.Finite(v) {
			scale = max(scale, math.Abs(v))
		}
	}
	if scale == 0 && m.Def != nil {
		for _, v := range targetNumbers(&m.Def.Target, m.Def.Check) {
			if style.Finite(v) {
				scale = max(scale, math.Abs(v))
			}
		}
	}
	return numFormat{decimalsFor(scale)}
}

// targetNumbers are the numbers a check's target is written with.
func targetNumbers(t *validation.Target, c validation.Check) []float64 {
	switch c {
	case validation.MeanTolerance:
		return []float64{t.Target, t.Tolerance}
	case validation.Range:
		return []float64{t.Min, t.Max}
	case validation.PctWithin:
		return []float64{t.Target, t.Min}
	case validation.Outlier:
		return []float64{t.MaxOutlier}
	case validation.Boolean:
		return []float64{t.Threshold}
	}
	return nil
}

// Num writes v.
func (f numFormat) Num(v float64) string { return style.Fixed(v, f.Decimals) }

// Signed writes v with an explicit sign.
func (f numFormat) Signed(v float64) string {
	s := f.Num(v)
	if style.Finite(v) && !strings.HasPrefix(s, "−") {
		s = "+" + s
	}
	return s
}

// Exact writes a target's constant with the format's decimals, or with
// more when it needs them to be written exactly (up to maxDecimals): a
// target is a constant of the spec, not a measurement.
func (f numFormat) Exact(v float64) string {
	d := f.Decimals
	for d < maxDecimals {
		if s := strconv.FormatFloat(v, 'f', d, 64); mustParse(s) == v {
			break
		}
		d++
	}
	return style.Fixed(v, d)
}

// mustParse parses a number written by strconv.
func mustParse(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// targetText describes the target of def in the numbers of f.
func targetText(def *validation.Metric, f numFormat) string {
	return def.Target.DescribeWith(def.Check, f.Exact)
}

// wallTime writes a wall time of sec seconds in the unit that fits:
// "850 ms", "4.2 s", "42 s", "3 min 05 s", "2 h 07 min" ("" when unknown).
func wallTime(sec float64) string {
	switch {
	case !style.Finite(sec) || sec < 0:
		return ""
	case sec < 1:
		return strconv.FormatFloat(math.Round(sec*1000), 'f', 0, 64) + " ms"
	case sec < 9.95:
		return strconv.FormatFloat(sec, 'f', 1, 64) + " s"
	case sec < 59.5:
		return strconv.FormatFloat(sec, 'f', 0, 64) + " s"
	case sec < 3599.5:
		s := int(math.Round(sec))
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
	m := int(math.Round(sec / 60))
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// description is the one line that says what metric m measures: its
// definition's, else that of the metric of the same name in the run's
// suite ("" if neither has one).
func description(r *reportRun, m *reportMetric) string {
	if m.Def != nil {
		if d := m.Def.Description(); d != "" {
			return d
		}
	}
	if def := stability.SuiteMetric(r.Suite, m.Name); def != nil {
		return def.Description()
	}
	return ""
}

// reproduceCommands are the commands that run again the seed of a study
// run r: bam run (the run's files) and bam validate (its scores), with the
// run's periods when known.
func reproduceCommands(r *reportRun, seed uint64) (run, validate string) {
	args := " " + shellWord(r.Scenario) + " --seed " + strconv.FormatUint(seed, 10)
	if r.NPeriods > 0 {
		args += " --periods " + strconv.Itoa(r.NPeriods)
	}
	return "bam run" + args, "bam validate" + args
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
