package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateReport runs a small Morris screening, writes its HTML
// report, and checks the refusals, none of which writes a report.
func TestCalibrateReport(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"beta": [1, 2.5, 5], "max_M": [2, 4]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	mo := filepath.Join(dir, "mo")
	if r := bamRun(t, "calibrate", "morris", "--firms", "20", "--households", "100", "--banks", "2", "--periods", "60",
		"--grid", grid, "--trajectories", "2", "--seeds", "1", "--out", mo); r.code != exitOK {
		t.Fatalf("morris: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	page := filepath.Join(dir, "calibration.html")
	r := bamRun(t, "calibrate", "report", "--morris", mo, "--out", page)
	if r.code != exitOK || r.stdout != page+"\n" {
		t.Fatalf("report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	html := readFile(t, page)
	// The scatter and a value chart per parameter.
	if n := strings.Count(html, "<svg"); n != 3 {
		t.Errorf("%d SVG figures, want 3", n)
	}
	for _, want := range []string{`<section id="morris">`, "<td>beta</td>", "<td>max_M</td>", "2 trajectories through 2 parameters", "morris.json"} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(html, `<section id="search">`) {
		t.Error("the report has a search section without --search")
	}

	// A cross.json holding another phase's result.
	wrong := filepath.Join(dir, "wrong")
	if err := os.Mkdir(wrong, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wrong, "cross.json"), []byte(readFile(t, filepath.Join(mo, "morris.json"))), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "refused.html")
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--out", out}, exitUsage, "give at least one of --morris DIR"},
		{[]string{"--morris", mo}, exitUsage, "--out FILE.html is required"},
		{[]string{"--morris", mo, "--out", filepath.Join(dir, "report.txt")}, exitUsage, "want a file name ending in .html"},
		{[]string{"--morris", mo, "--out", dir}, exitUsage, "is a folder"},
		{[]string{"--morris", mo, "--out", out, "extra"}, exitUsage, "no argument expected"},
		{[]string{"--morris", mo, "--search", mo, "--out", out}, exitUsage, "--search " + mo + ": the folder holds no search.json"},
		{[]string{"--cost", filepath.Join(dir, "none"), "--out", out}, exitUsage, "--cost " + filepath.Join(dir, "none") + ": no such folder"},
		{[]string{"--cross", wrong, "--out", out}, exitUsage, "is not a bam calibrate cross result"},
		{[]string{"--morris", mo, "--nope", "--out", out}, exitUsage, "calibrate report: unknown flag --nope"},
		{[]string{"--morris", mo, "--out", filepath.Join(dir, "no", "such", "r.html")}, exitFailure, "--out"},
	} {
		r := bamRun(t, append([]string{"calibrate", "report"}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and one line with %q", tt.args, r.code, r.stderr, tt.code, tt.msg)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused report wrote %s", out)
	}
}
