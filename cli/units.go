package cli

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Units people read: times in the unit that suits their size, a time per
// period always in milliseconds (the unit of bam bench and
// docs/performance.md), counts with three significant digits.

// fmtDuration formats d with a unit suited to its size: "850 µs",
// "39.0 ms", "2.35 s", "2 min 18 s", "1 h 05 min".
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d < time.Hour:
		s := d.Round(time.Second)
		return fmt.Sprintf("%d min %02d s", int(s/time.Minute), int(s%time.Minute/time.Second))
	}
	m := d.Round(time.Minute)
	return fmt.Sprintf("%d h %02d min", int(m/time.Hour), int(m%time.Hour/time.Minute))
}

// fmtPerPeriod formats the wall time of one period in milliseconds with
// three significant digits: "0.0394 ms", "9.42 ms", "123 ms".
func fmtPerPeriod(d time.Duration) string {
	return sig3(float64(d)/float64(time.Millisecond)) + " ms"
}

// sig3 formats x with three significant digits in fixed notation (no
// exponent): 0.0394, 0.427, 1.24, 35.4, 354, 1238.
func sig3(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	decimals := max(0, 2-int(math.Floor(math.Log10(math.Abs(x)))))
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	// Rounding can add a digit (9.995 → 10.00): format again.
	if r, _ := strconv.ParseFloat(s, 64); decimals > 0 && math.Abs(r) >= math.Pow(10, float64(3-decimals)) {
		s = strconv.FormatFloat(x, 'f', decimals-1, 64)
	}
	return s
}
