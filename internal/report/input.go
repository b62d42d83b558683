package report

// The result files of the report, decoded by the one reader of
// result documents (stability.ReadResult), with what the report adds: each
// metric's target definition (from the file or from its suite), its
// group's display name and its target in words.

import (
	"math"

	"github.com/bam-abm/bam/validation"
	"github.com/bam-abm/bam/validation/stability"
)

// reportRun is one decoded result file: one scenario's seed-stability run.
type reportRun struct {
	*stability.Result
	// Path is the file name as given on the command line.
	Path string
	// Order is the file's position on the command line.
	Order int
	// Suite is the validation suite whose metric definitions give the
	// target bands (nil if none fits).
	Suite *validation.Suite
	// Metrics are the per-metric statistics in the file's order, with
	// their definitions.
	Metrics []*reportMetric
}

// reportMetric is one metric's statistics over the seeds of a run, with
// its definition.
type reportMetric struct {
	*stability.MetricSummary
	Def                  *validation.Metric // target definition; nil if unknown
	DefFromFile          bool               // Def was read from the file
	targetText, groupTxt string
	// num writes the metric's values, target and changes.
	num numFormat
}

// newReportRun returns the report's view of the result res read from path.
func newReportRun(path string, res *stability.Result) *reportRun {
	r := &reportRun{Result: res, Path: path, Suite: res.ValidationSuite()}
	for _, m := range res.Metrics {
		def := m.Definition()
		r.Metrics = append(r.Metrics, &reportMetric{MetricSummary: m, Def: def, DefFromFile: def != nil})
	}
	r.resolveTargets()
	return r
}

// resolveTargets gives every metric without a definition from the file
// the definition of its suite, with the file's weight, and fills in the
// groups and the target descriptions.
func (r *reportRun) resolveTargets() {
	for _, m := range r.Metrics {
		if m.Def == nil {
			m.Def = stability.SuiteMetric(r.Suite, m.Name)
			if m.Def != nil {
				c := *m.Def
				m.Def = &c
			}
		}
		if m.Def != nil {
			if w := m.Weight; w > 0 {
				m.Def.Weight = w
			} else if math.IsNaN(w) {
				m.Weight = m.Def.Weight
			}
			if m.Group == "" {
				m.Group = string(m.Def.Group)
			}
		}
		m.num = metricFormat(m)
		if m.Def != nil {
			m.targetText = targetText(m.Def, m.num)
		}
		m.groupTxt = r.groupName(m.Group)
	}
}

// groupName returns the display name of a metric group: the file's, the
// validation package's, or the group itself ("Other" if empty).
func (r *reportRun) groupName(g string) string {
	if n := r.GroupNames[g]; n != "" {
		return n
	}
	if n := validation.GroupDisplayNames[validation.Group(g)]; n != "" {
		return n
	}
	if g == "" {
		return "Other"
	}
	return g
}
