package results_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
)

// shortRun returns a finished simulation of the baseline with n periods.
func shortRun(t *testing.T, seed uint64, n int) *bam.Simulation {
	t.Helper()
	sc := scenarios.Default()
	sc.Params.Seed, sc.Params.NPeriods = seed, n
	sim, err := bam.NewFromScenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(n)
	return sim
}

func sameFloats(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) })
}

func TestWriteReadBack(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    func(sim *bam.Simulation) []results.Option
		collect string
		files   []string
	}{
		{"plain", nil, "", []string{"economy.csv", "firms.csv", "run.json"}},
		{"parquet", func(*bam.Simulation) []results.Option {
			return []results.Option{results.WithFormat(results.FormatParquet)}
		}, "", []string{"economy.csv", "firms.csv", "run.json", "economy.parquet"}},
		{"collected", nil, "Producer.price,Worker.wage", []string{"economy.csv", "firms.csv", "run.json", "collect-firms.csv", "collect-households.csv"}},
		{"collected parquet", func(*bam.Simulation) []results.Option {
			return []results.Option{results.WithFormat(results.FormatParquet)}
		}, "Lender.equity_base,gdp", []string{"economy.csv", "firms.csv", "run.json", "economy.parquet", "collect-banks.parquet", "collect-economy.parquet"}},
		{"collected long", func(*bam.Simulation) []results.Option {
			return []results.Option{results.WithLayout(results.LayoutLong)}
		},
			"Producer.price,Worker.wage", []string{"economy.csv", "firms.csv", "run.json", "collect.csv"}},
		{"collected wide", func(*bam.Simulation) []results.Option { return []results.Option{results.Wide()} },
			"Producer.price", []string{"economy.csv", "firms.csv", "run.json", "collect-Producer.price.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := scenarios.Default()
			sc.Params.Seed, sc.Params.NPeriods = 3, 30
			sim, err := bam.NewFromScenario(sc)
			if err != nil {
				t.Fatal(err)
			}
			var opts []results.Option
			if tc.collect != "" {
				spec, err := bam.ParseCollect(tc.collect)
				if err != nil {
					t.Fatal(err)
				}
				col, err := sim.Collect(spec...)
				if err != nil {
					t.Fatal(err)
				}
				opts = append(opts, results.Collected(col))
			}
			if tc.opts != nil {
				opts = append(opts, tc.opts(sim)...)
			}
			sim.Run(30)
			dir := filepath.Join(t.TempDir(), "run")
			m, err := results.Write(dir, sim, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.Files, tc.files) {
				t.Errorf("Files = %v, want %v", m.Files, tc.files)
			}
			for _, f := range tc.files {
				if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
					t.Errorf("%s: %v (size %v)", f, err, fi)
				}
			}
			got, err := results.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, m) {
				t.Errorf("ReadManifest = %+v\nwant %+v", got, m)
			}
			if m.Scenario != "baseline" || m.Seed != 3 || m.Periods != 30 || m.PeriodsRun != 30 || m.Population.Firms != 100 ||
				len(m.Pipeline) != sim.Pipeline.Len() || m.StartedAt == "" {
				t.Errorf("manifest %+v does not describe the run", m)
			}
			econ, err := results.ReadEconomy(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(econ.Names) != len(bam.Columns) || econ.Rows() != len(sim.History.Rows) {
				t.Fatalf("economy.csv: %d columns, %d rows; want %d, %d", len(econ.Names), econ.Rows(), len(bam.Columns), len(sim.History.Rows))
			}
			for k, c := range bam.Columns {
				if econ.Names[k] != c.Name || !sameFloats(econ.Columns[k], sim.History.Series(c.Name)) {
					t.Errorf("economy.csv column %d %s differs from the history's %s", k, econ.Names[k], c.Name)
				}
			}
			firms, err := results.ReadFirms(dir, "production", "price")
			if err != nil {
				t.Fatal(err)
			}
			price := make([]float64, len(sim.World.Firms.Producer))
			for i := range price {
				price[i] = sim.World.Firms.Producer[i].Price
			}
			if !sameFloats(firms.Column("production"), sim.History.FinalProduction) || !sameFloats(firms.Column("price"), price) {
				t.Errorf("firms.csv production/price differ from the simulation's")
			}
		})
	}
}

// TestWriteIsBamRun checks that the one call writes the bytes of the
// economy and firms writers (which bam run uses).
func TestWriteIsBamRun(t *testing.T) {
	sim := shortRun(t, 5, 20)
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := results.Write(dir, sim); err != nil {
		t.Fatal(err)
	}
	var econ, firms bytes.Buffer
	if err := results.WriteEconomy(&econ, sim.History.Rows); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteFirms(&firms, sim); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"economy.csv": econ.Bytes(), "firms.csv": firms.Bytes()} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v; bytes differ from the writer's", name, err)
		}
	}
	if !strings.HasPrefix(econ.String(), "period,") || strings.Count(econ.String(), "\n") != 21 {
		t.Errorf("economy.csv: want a header and 20 rows, got %q...", econ.String()[:min(80, econ.Len())])
	}
}

func TestTargetRefused(t *testing.T) {
	sim := shortRun(t, 1, 5)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path string)
		want  error // nil: accepted
	}{
		{"missing", func(*testing.T, string) {}, nil},
		{"missing parents", func(*testing.T, string) {}, nil},
		{"empty folder", func(t *testing.T, p string) { mkdir(t, p) }, nil},
		{"non-empty folder", func(t *testing.T, p string) {
			mkdir(t, p)
			writeFile(t, filepath.Join(p, "keep.txt"), "mine")
		}, results.ErrNotEmpty},
		{"a file", func(t *testing.T, p string) { writeFile(t, p, "mine") }, results.ErrNotFolder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, "run")
			if tc.name == "missing parents" {
				path = filepath.Join(root, "a", "b", "run")
			}
			tc.setup(t, path)
			checkErr := results.CheckTarget(path)
			_, err := results.Write(path, sim)
			if tc.want == nil {
				if checkErr != nil || err != nil {
					t.Fatalf("CheckTarget = %v, Write = %v; want both nil", checkErr, err)
				}
				if _, err := results.ReadManifest(path); err != nil {
					t.Errorf("written folder unreadable: %v", err)
				}
				return
			}
			if !errors.Is(checkErr, tc.want) || !errors.Is(err, tc.want) {
				t.Fatalf("CheckTarget = %v, Write = %v; want errors wrapping %v", checkErr, err, tc.want)
			}
			if b, err := os.ReadFile(filepath.Join(root, "run")); err == nil && string(b) != "mine" {
				t.Errorf("the file in the way was changed")
			}
			if ents, _ := os.ReadDir(root); len(ents) != 1 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}

func TestDiscardLeavesNothing(t *testing.T) {
	sim := shortRun(t, 1, 5)
	root := t.TempDir()
	r, err := results.Create(filepath.Join(root, "new", "parents", "run"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write(sim); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(r.Dir(), "run.json")); err != nil {
		t.Fatalf("before Discard: %v", err)
	}
	r.Discard()
	r.Discard() // twice is fine
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Errorf("Discard left %v", ents)
	}
	// A committed run is not discarded.
	r, err = results.Create(filepath.Join(root, "kept"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write(sim); err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	r.Discard()
	if _, err := results.ReadManifest(filepath.Join(root, "kept")); err != nil {
		t.Errorf("Discard after Commit removed the folder: %v", err)
	}
}

func TestCreateUnique(t *testing.T) {
	sim := shortRun(t, 1, 5)
	base := filepath.Join(t.TempDir(), "run")
	var got []string
	for range 3 {
		r, err := results.CreateUnique(base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Write(sim); err != nil {
			t.Fatal(err)
		}
		if err := r.Commit(); err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Target())
	}
	if want := []string{base, base + "-2", base + "-3"}; !slices.Equal(got, want) {
		t.Errorf("targets %v, want %v", got, want)
	}
}

func TestReadErrors(t *testing.T) {
	sim := shortRun(t, 1, 5)
	for _, tc := range []struct {
		name   string
		edit   func(t *testing.T, dir string)
		read   func(dir string) error
		format bool // a *FormatError; else an error wrapping fs.ErrNotExist
		msg    string
	}{
		{"no run.json", func(t *testing.T, d string) { remove(t, filepath.Join(d, "run.json")) },
			func(d string) error { _, err := results.ReadManifest(d); return err }, false, "run.json"},
		{"run.json without seed", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "run.json"), `{"scenario":"x"}`) },
			func(d string) error { _, err := results.ReadManifest(d); return err }, true, `no "seed" key`},
		{"no firms.csv", func(t *testing.T, d string) { remove(t, filepath.Join(d, "firms.csv")) },
			func(d string) error { _, err := results.ReadFirms(d); return err }, false, "firms.csv"},
		{"missing column", func(*testing.T, string) {},
			func(d string) error { _, err := results.ReadEconomy(d, "no_such_column"); return err }, true, `no column "no_such_column"`},
		{"not a number", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "economy.csv"), "period\nx\n") },
			func(d string) error { _, err := results.ReadEconomy(d); return err }, true, `line 2, column period: not a number: "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if _, err := results.Write(dir, sim); err != nil {
				t.Fatal(err)
			}
			tc.edit(t, dir)
			err := tc.read(dir)
			var fe *results.FormatError
			if err == nil || errors.As(err, &fe) != tc.format || !tc.format && !errors.Is(err, os.ErrNotExist) ||
				!strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), dir) {
				t.Errorf("error %v (%T); want one naming the file and %q, FormatError %v", err, err, tc.msg, tc.format)
			}
		})
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, p string) {
	t.Helper()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

// TestCommitFailureKeepsResults (issue 12, case 3): a commit that cannot
// put the results in place (here a file appeared in the target during the
// run) keeps them in a free target-2 and says where; the target is left
// as it is.
func TestCommitFailureKeepsResults(t *testing.T) {
	sim := shortRun(t, 1, 20)
	target := filepath.Join(t.TempDir(), "run")
	r, err := results.Create(target)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Discard()
	if _, err := r.Write(sim); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "other.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = r.Commit()
	if !errors.Is(err, results.ErrKept) || r.Kept() != target+"-2" || !strings.Contains(err.Error(), target+"-2") {
		t.Fatalf("commit: %v, kept in %q; want ErrKept and %s-2", err, r.Kept(), target)
	}
	r.Discard()
	if _, err := results.ReadManifest(target + "-2"); err != nil {
		t.Errorf("the kept results: %v", err)
	}
	if ents, _ := os.ReadDir(target); len(ents) != 1 {
		t.Errorf("the target was changed: %v", ents)
	}
}

// TestTargetSymlink (issue 12, case 13): --out a symbolic link to an empty
// folder is that folder, not "not a folder": the run is committed into it
// and the link stays.
func TestTargetSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	mkdir(t, real)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if _, err := results.Write(link, shortRun(t, 1, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := results.ReadManifest(real); err != nil {
		t.Errorf("the run is not in the linked folder: %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
}
