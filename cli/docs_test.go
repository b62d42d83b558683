package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// repoDocs returns the README and docs/*.md of the repository, by path.
func repoDocs(t *testing.T) map[string]string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join("..", "README.md"), filepath.Join("..", "systems", "doc.go"))
	docs := map[string]string{}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs[p] = string(b)
	}
	return docs
}

// TestDocsPipelineCount checks every "N executions of M systems" of the
// documents against what bam pipeline prints for the baseline.
func TestDocsPipelineCount(t *testing.T) {
	r := bamRun(t, "pipeline")
	if r.code != exitOK {
		t.Fatalf("bam pipeline: exit %d, %s", r.code, r.stderr)
	}
	names := lines(r.stdout)
	systems := slices.Clone(names)
	slices.Sort(systems)
	systems = slices.Compact(systems)
	phrase := regexp.MustCompile(`(\d+)\s+executions\s+of\s+(\d+)\s+systems`)
	found := 0
	for path, doc := range repoDocs(t) {
		for _, m := range phrase.FindAllStringSubmatch(doc, -1) {
			found++
			n, _ := strconv.Atoi(m[1])
			k, _ := strconv.Atoi(m[2])
			if n != len(names) || k != len(systems) {
				t.Errorf("%s says %q; bam pipeline prints %d executions of %d systems", path, m[0], len(names), len(systems))
			}
		}
	}
	if found < 3 {
		t.Errorf("the documents say \"N executions of M systems\" %d times; want it in the README, architecture.md and configuration.md at least", found)
	}
	if r := bamRun(t, "pipeline", "--help"); !strings.Contains(strings.Join(strings.Fields(r.stdout), " "),
		strconv.Itoa(len(names))+" executions of "+strconv.Itoa(len(systems))+" systems") {
		t.Errorf("bam pipeline --help does not say %d executions of %d systems:\n%s", len(names), len(systems), r.stdout)
	}
}

// TestDocsSpeedFigure checks that the speed per period is stated once,
// in docs/performance.md's "Speed per period" with its date and command,
// and that the README links there instead of quoting a figure.
func TestDocsSpeedFigure(t *testing.T) {
	docs := repoDocs(t)
	perf := docs[filepath.Join("..", "docs", "performance.md")]
	_, sec, ok := strings.Cut(perf, "\n## Speed per period\n")
	if !ok {
		t.Fatal(`docs/performance.md has no "## Speed per period" section`)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	headline := regexp.MustCompile(`\*\*[0-9.]+ ms per period\*\*`)
	if n := len(headline.FindAllString(perf, -1)); n != 1 {
		t.Errorf("docs/performance.md states %d bold figures \"**X ms per period**\", want 1", n)
	}
	for _, want := range []string{"ms per period**", "Measured on 20", "commit `", "./bam bench"} {
		if !strings.Contains(sec, want) {
			t.Errorf("the Speed per period section lacks %q", want)
		}
	}
	readme := docs[filepath.Join("..", "README.md")]
	figure := regexp.MustCompile(`\d+(\.\d+)?\s*(ms|µs|us|ns)\s+(per|a|/)\s*period`)
	if m := figure.FindString(readme); m != "" {
		t.Errorf("README.md quotes a speed per period (%q): link to docs/performance.md#speed-per-period instead", m)
	}
	if !strings.Contains(readme, "docs/performance.md#speed-per-period") {
		t.Error("README.md does not link to docs/performance.md#speed-per-period")
	}
}
