package bam

import (
	"math"

	"github.com/bam-abm/bam/stats"
)

// GateMetrics are the six metrics of bamengine's cross-implementation
// equivalence gate (spec §13.3), measured over the periods after burn-in.
type GateMetrics struct {
	Unemployment float64 `json:"unemployment"` // mean u_t
	Inflation    float64 `json:"inflation"`    // mean π_t
	SizeSkew     float64 `json:"size_skew"`    // skewness of last-period output over firms with output > 0
	Phillips     float64 `json:"phillips"`     // corr(u_t, wage inflation_t)
	Okun         float64 `json:"okun"`         // corr(Δu_t, Δ ln Y_t), IQR-filtered
	Beveridge    float64 `json:"beveridge"`    // corr(u_t, vacancy rate_t)
}

// Gate computes the gate metrics from a history, using the periods with
// 0-based index ≥ burnIn (the changes entering Okun's law start with the one
// into period burnIn). It needs burnIn ≥ 1 and more than burnIn+1 periods.
func (h *History) Gate(burnIn int) GateMetrics {
	rows := h.Rows
	if burnIn < 1 || len(rows) <= burnIn+1 {
		nan := math.NaN()
		return GateMetrics{nan, nan, nan, nan, nan, nan}
	}
	ss := rows[burnIn:]
	n := len(ss)
	u, pi, wi, vac := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	du, dy := make([]float64, n), make([]float64, n)
	for k := range ss {
		r := &ss[k]
		p := &rows[burnIn+k-1]
		u[k], pi[k], wi[k], vac[k] = r.Unemployment, r.Inflation, r.WageInflation, r.VacancyRate
		du[k] = r.Unemployment - p.Unemployment
		dy[k] = r.LogGDP - p.LogGDP
	}
	fu, fy := stats.IQRFilter(du, dy)
	var pos []float64
	for _, y := range h.FinalProduction {
		if y > 0 {
			pos = append(pos, y)
		}
	}
	return GateMetrics{
		Unemployment: stats.Mean(u),
		Inflation:    stats.Mean(pi),
		SizeSkew:     stats.Skew(pos),
		Phillips:     stats.Corr(u, wi),
		Okun:         stats.Corr(fu, fy),
		Beveridge:    stats.Corr(u, vac),
	}
}
