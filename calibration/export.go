package calibration

import (
	"fmt"
	"strings"

	"github.com/bam-abm/bam/scenarios"
)

// WinnerTOML is the file the winner of a search is exported to.
const WinnerTOML = "winner.toml"

// Export returns base with the configuration's values set, and its
// scenario file (scenarios.Scenario.TOML) with a comment saying where it
// came from. The scenario keeps base's name, so that bam validate and bam
// stability score it with the same suite.
func Export(base *scenarios.Scenario, params, values []string, comment string) (*scenarios.Scenario, []byte, error) {
	if len(params) != len(values) {
		return nil, nil, fmt.Errorf("calibrate: %d values for %d parameters", len(values), len(params))
	}
	sc := base.Clone()
	for i, p := range params {
		if err := sc.Set(p + "=" + values[i]); err != nil {
			return nil, nil, fmt.Errorf("calibrate: exporting %s=%s: %w", p, values[i], err)
		}
	}
	sc.Description = strings.TrimSpace(base.Description + " (calibrated by bam calibrate)")
	return sc, sc.TOML(comment), nil
}
