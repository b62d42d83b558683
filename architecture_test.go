package bam_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// module is the module path of this repository.
const module = "github.com/bam-abm/bam"

// layerRow is one row of the layer table of docs/architecture.md.
type layerRow struct {
	pkg     string   // import path
	imports []string // module-internal imports, as the table lists them
	line    int
}

// readLayerTable parses the table under "## Layers" of docs/architecture.md:
// the first column names the package in backticks (`bam` is the module
// root), the last lists its module-internal imports in backticks, or "—".
func readLayerTable(t *testing.T) []layerRow {
	t.Helper()
	f, err := os.Open("docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tick := regexp.MustCompile("`([^`]+)`")
	path := func(name string) string {
		if name == "bam" {
			return module
		}
		return module + "/" + name
	}
	var rows []layerRow
	in := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## Layers"
			continue
		case !in || !strings.HasPrefix(line, "| `"):
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 3 {
			t.Fatalf("docs/architecture.md:%d: a layer row needs package, contents and imports: %q", n, line)
		}
		name := tick.FindStringSubmatch(cells[0])
		row := layerRow{pkg: path(name[1]), line: n}
		for _, m := range tick.FindAllStringSubmatch(cells[len(cells)-1], -1) {
			row.imports = append(row.imports, path(m[1]))
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal(`docs/architecture.md has no layer table under "## Layers"`)
	}
	return rows
}

// listedPackage is what go list says of a package.
type listedPackage struct {
	ImportPath string
	Imports    []string
}

// modulePackages lists the module's packages and their module-internal
// (non-test) imports with go list.
func modulePackages(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		// A package built for a main with a PGO profile is listed as
		// "path [main]": the variant is the same package.
		base := func(path string) string { p, _, _ := strings.Cut(path, " "); return p }
		var internal []string
		for _, imp := range p.Imports {
			imp = base(imp)
			if imp == module || strings.HasPrefix(imp, module+"/") {
				internal = append(internal, imp)
			}
		}
		slices.Sort(internal)
		pkgs[base(p.ImportPath)] = slices.Compact(internal)
	}
	return pkgs
}

// TestLayers checks the layer table of docs/architecture.md against the
// code: every package of the module has a row, a row's imports are exactly
// the package's module-internal imports, and a package imports only
// packages listed above it, so that the table is true and imports only go
// down the layers.
func TestLayers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module; not in -short mode")
	}
	rows := readLayerTable(t)
	pkgs := modulePackages(t)
	above := map[string]bool{}
	for _, r := range rows {
		imports, ok := pkgs[r.pkg]
		if !ok {
			t.Errorf("docs/architecture.md:%d: %s is not a package of the module", r.line, r.pkg)
			continue
		}
		listed := slices.Sorted(slices.Values(r.imports))
		if !slices.Equal(listed, imports) {
			t.Errorf("docs/architecture.md:%d: %s imports %v, the table says %v", r.line, r.pkg, short(imports), short(listed))
		}
		for _, imp := range imports {
			if !above[imp] {
				t.Errorf("%s imports %s, which is not above it in the layer table", short([]string{r.pkg}), short([]string{imp}))
			}
		}
		above[r.pkg] = true
	}
	for p := range pkgs {
		if !above[p] {
			t.Errorf("package %s has no row in the layer table of docs/architecture.md", p)
		}
	}
}

// short drops the module path from import paths.
func short(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
		if out[i] == "" {
			out[i] = "bam"
		}
	}
	return out
}

// TestPackageDocs checks that every package of the module keeps its
// package documentation in a doc.go, where a reader looks for it first.
func TestPackageDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module; not in -short mode")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Dir}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, dir, _ := strings.Cut(line, " ")
		b, err := os.ReadFile(filepath.Join(dir, "doc.go"))
		if err != nil {
			t.Errorf("%s has no doc.go", path)
			continue
		}
		if !strings.Contains(string(b), "\n// Package ") && !strings.HasPrefix(string(b), "// Package ") &&
			!strings.Contains(string(b), "// Command ") {
			t.Errorf("%s: doc.go has no package comment", path)
		}
	}
}
