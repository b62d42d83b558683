package scenarios_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bam-abm/bam/scenarios"
)

// TestTOMLRoundTrip writes every embedded scenario, changed by --set and
// given hooks, as TOML and reads it back to the same scenario.
func TestTOMLRoundTrip(t *testing.T) {
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []string{"beta=5", "consumer_matching=random", "max_M=2", "h_xi=0.0625"} {
			if err := sc.Set(a); err != nil {
				t.Fatal(err)
			}
		}
		if name == "baseline" {
			sc.Hooks = []scenarios.Hook{{After: "firms_run_production", Systems: []string{"a", "b"}}, {Remove: "c"}}
		}
		text := sc.TOML("calibrated\nby a test")
		if !strings.HasPrefix(string(text), "# calibrated\n# by a test\n") {
			t.Errorf("%s: the comment is not on top:\n%.80s", name, text)
		}
		back, err := scenarios.Parse("roundtrip.toml", text)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, text)
		}
		if !reflect.DeepEqual(back.Params, sc.Params) || back.Name != sc.Name || back.Description != sc.Description ||
			!reflect.DeepEqual(back.Extensions, sc.Extensions) || !reflect.DeepEqual(back.Hooks, sc.Hooks) || !reflect.DeepEqual(back.Pipeline, sc.Pipeline) {
			t.Errorf("%s: the scenario read back differs\n%s", name, text)
		}
	}
}
