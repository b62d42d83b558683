package cli

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/bam-abm/bam/internal/buildinfo"
)

// parseVersion splits the text of bam version into the version of its
// first line ("NAME version V") and its "key: value" lines.
func parseVersion(t *testing.T, program, text string) (string, map[string]string) {
	t.Helper()
	l := lines(text)
	if len(l) < 3 {
		t.Fatalf("version text has %d lines, want at least 3:\n%s", len(l), text)
	}
	v, ok := strings.CutPrefix(l[0], program+" version ")
	if !ok || v == "" || strings.Contains(v, " ") {
		t.Fatalf("first line %q, want %q", l[0], program+" version VERSION")
	}
	fields := map[string]string{}
	for _, line := range l[1:] {
		k, val, ok := strings.Cut(line, ": ")
		if !ok || val == "" {
			t.Fatalf("line %q is not \"key: value\"", line)
		}
		if _, dup := fields[k]; dup {
			t.Fatalf("key %q twice", k)
		}
		fields[k] = val
	}
	return v, fields
}

func TestVersionText(t *testing.T) {
	const rev = "3a70cb7d1e2f00112233445566778899aabbccdd"
	yes, no := true, false
	base := buildinfo.Info{Version: "v0.3.0", GoVersion: "go1.26.8", OS: "linux", Arch: "amd64"}
	with := func(f func(*buildinfo.Info)) buildinfo.Info { in := base; f(&in); return in }
	tests := []struct {
		name   string
		in     buildinfo.Info
		commit string // the commit line's value
		extra  map[string]string
	}{
		{"no commit", base, "unknown", nil},
		{"clean", with(func(in *buildinfo.Info) { in.Commit, in.Modified = rev, &no }), rev + " (clean)", nil},
		{"modified", with(func(in *buildinfo.Info) { in.Commit, in.Modified = rev, &yes }), rev + " (modified)", nil},
		{"modified unknown", with(func(in *buildinfo.Info) { in.Commit = rev }), rev, nil},
		{"commit time", with(func(in *buildinfo.Info) { in.Commit, in.Modified, in.Time = rev, &no, "2026-12-04T01:00:00Z" }),
			rev + " (clean)", map[string]string{"commit time": "2026-12-04T01:00:00Z"}},
		{"another program", with(func(in *buildinfo.Info) { in.Program = "example.com/minwage" }), "unknown",
			map[string]string{"module": "example.com/minwage (the version above is that of github.com/bam-abm/bam, a dependency)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, f := parseVersion(t, "prog", versionText("prog", tt.in))
			if v != tt.in.Version {
				t.Errorf("version %q, want %q", v, tt.in.Version)
			}
			if c := f["commit"]; !strings.HasPrefix(c, tt.commit) || tt.commit != "unknown" && c != tt.commit {
				t.Errorf("commit %q, want %q", c, tt.commit)
			}
			if f["go"] != tt.in.GoVersion || f["platform"] != tt.in.OS+"/"+tt.in.Arch {
				t.Errorf("go %q, platform %q", f["go"], f["platform"])
			}
			want := 3 + len(tt.extra)
			if len(f) != want {
				t.Errorf("%d keys %v, want %d", len(f), f, want)
			}
			for k, w := range tt.extra {
				if f[k] != w {
					t.Errorf("%s: %q, want %q", k, f[k], w)
				}
			}
		})
	}
}

// TestVersion checks bam version and bam --version against what the
// go command recorded in this binary, and run.json against both.
func TestVersion(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this binary")
	}
	// What the go command recorded: the VCS settings, and the values
	// stamped with -ldflags -X (the -ldflags setting holds them).
	var rev, modified string
	stamped := map[string]string{}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		case "-ldflags":
			for _, f := range strings.Fields(s.Value) {
				if k, v, ok := strings.Cut(strings.TrimPrefix(f, buildinfo.Module+"/internal/buildinfo."), "="); ok && len(k) < len(f) {
					stamped[k] = v
				}
			}
		}
	}
	if rev == "" {
		rev, modified = stamped["commit"], stamped["modified"]
	}
	var texts []string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		r := bamRun(t, args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		texts = append(texts, r.stdout)
	}
	if texts[1] != texts[0] || texts[2] != texts[0] {
		t.Errorf("bam --version and -v differ from bam version:\n%s\n%s\n%s", texts[0], texts[1], texts[2])
	}
	v, f := parseVersion(t, "bam", texts[0])
	wantV := bi.Main.Version
	if wantV == "(devel)" || wantV == "" {
		wantV = "devel"
	}
	if sv := stamped["version"]; sv != "" {
		wantV = sv
	}
	if v != wantV {
		t.Errorf("version %q, want %q (debug.ReadBuildInfo: %q)", v, wantV, bi.Main.Version)
	}
	if f["go"] != bi.GoVersion {
		t.Errorf("go %q, debug.ReadBuildInfo says %q", f["go"], bi.GoVersion)
	}
	if f["platform"] != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("platform %q", f["platform"])
	}
	switch c := f["commit"]; {
	case rev == "" && !strings.HasPrefix(c, "unknown"):
		t.Errorf("commit %q, want unknown: the binary records none", c)
	case rev != "" && !strings.HasPrefix(c, rev):
		t.Errorf("commit %q, want %s", c, rev)
	case modified == "true" && !strings.HasSuffix(c, "(modified)"), modified == "false" && !strings.HasSuffix(c, "(clean)"):
		t.Errorf("commit %q, vcs.modified %s", c, modified)
	}

	// run.json records the same version, commit and Go version.
	out := filepath.Join(t.TempDir(), "out")
	r := bamRun(t, append([]string{"run", "--quiet", "--periods", "2", "--out", out}, small...)...)
	if r.code != 0 {
		t.Fatalf("run: exit %d, stderr %q", r.code, r.stderr)
	}
	var m manifest
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, manifestFile))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Version != v || m.GoVersion != f["go"] {
		t.Errorf("run.json version %q, go %q; bam version says %q, %q", m.Version, m.GoVersion, v, f["go"])
	}
	if commit := strings.Fields(f["commit"])[0]; commit == "unknown" && m.GitCommit != "" || commit != "unknown" && m.GitCommit != commit {
		t.Errorf("run.json git_commit %q; bam version says %q", m.GitCommit, f["commit"])
	}
	if f["commit"] != "unknown" && m.GitDirty != nil && *m.GitDirty != strings.HasSuffix(f["commit"], "(modified)") {
		t.Errorf("run.json git_dirty %v; bam version says %q", *m.GitDirty, f["commit"])
	}
}
