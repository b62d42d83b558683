package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	const rev = "3a70cb7d1e2f00112233445566778899aabbccdd"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-12-04T01:00:00Z"}, {Key: "vcs.modified", Value: modified},
		}
	}
	main := func(version string, settings []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: Module, Version: version}, Settings: settings}
	}
	yes, no := true, false
	tests := []struct {
		name    string
		s       stamp
		bi      *debug.BuildInfo
		version string
		from    string
		commit  string
		dirty   *bool
		short   string
		str     string
	}{
		{"nothing recorded", stamp{}, nil, "devel", "", "", nil, "", "devel"},
		{"go run -buildvcs=false", stamp{}, main("(devel)", nil), "devel", "", "", nil, "", "devel"},
		{"go build in a clone", stamp{}, main("(devel)", vcs("false")), "devel", "", rev, &no, "3a70cb7d1e2f", "devel (commit 3a70cb7d1e2f)"},
		{"modified clone", stamp{}, main("v0.0.0-20261204010000-3a70cb7d1e2f+dirty", vcs("true")),
			"v0.0.0-20261204010000-3a70cb7d1e2f+dirty", "module", rev, &yes, "3a70cb7d1e2f-dirty",
			"v0.0.0-20261204010000-3a70cb7d1e2f+dirty (commit 3a70cb7d1e2f-dirty)"},
		{"go install @version", stamp{}, main("v1.2.0", nil), "v1.2.0", "module", "", nil, "", "v1.2.0"},
		{"stamped, no VCS record", stamp{"3a70cb7-dirty", rev, "true"}, main("(devel)", nil),
			"3a70cb7-dirty", "stamp", rev, &yes, "3a70cb7d1e2f-dirty", "3a70cb7-dirty (commit 3a70cb7d1e2f-dirty)"},
		{"stamped clean", stamp{"v0.3.0", rev, "false"}, main("(devel)", nil), "v0.3.0", "stamp", rev, &no, "3a70cb7d1e2f", "v0.3.0 (commit 3a70cb7d1e2f)"},
		{"stamp without modified", stamp{"v0.3.0", rev, ""}, nil, "v0.3.0", "stamp", rev, nil, "3a70cb7d1e2f", "v0.3.0 (commit 3a70cb7d1e2f)"},
		{"the VCS record wins for the commit", stamp{"v0.3.0", "0000000000000000000000000000000000000000", "true"},
			main("(devel)", vcs("false")), "v0.3.0", "stamp", rev, &no, "3a70cb7d1e2f", "v0.3.0 (commit 3a70cb7d1e2f)"},
		{"another program, bam a dependency", stamp{},
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "example.com/minwage", Version: "(devel)"},
				Deps: []*debug.Module{{Path: "gonum.org/v1/gonum", Version: "v0.17.0"}, {Path: Module, Version: "v0.4.0"}}, Settings: vcs("false")},
			"v0.4.0", "module", rev, &no, "3a70cb7d1e2f", "v0.4.0"},
		{"another program, bam replaced by a folder", stamp{},
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "example.com/minwage", Version: "(devel)"},
				Deps: []*debug.Module{{Path: Module, Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../.."}}}},
			"devel", "", "", nil, "", "devel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := resolve(tt.s, tt.bi)
			if in.Version != tt.version || in.From != tt.from || in.Commit != tt.commit {
				t.Errorf("version %q from %q, commit %q; want %q from %q, %q", in.Version, in.From, in.Commit, tt.version, tt.from, tt.commit)
			}
			if (in.Modified == nil) != (tt.dirty == nil) || in.Modified != nil && *in.Modified != *tt.dirty {
				t.Errorf("modified %v, want %v", in.Modified, tt.dirty)
			}
			if got := in.ShortCommit(); got != tt.short {
				t.Errorf("ShortCommit() = %q, want %q", got, tt.short)
			}
			if got := in.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			if in.OS != runtime.GOOS || in.Arch != runtime.GOARCH {
				t.Errorf("platform %s/%s, want %s/%s", in.OS, in.Arch, runtime.GOOS, runtime.GOARCH)
			}
			wantGo := runtime.Version()
			if tt.bi != nil {
				wantGo = tt.bi.GoVersion
			}
			if in.GoVersion != wantGo {
				t.Errorf("Go version %q, want %q", in.GoVersion, wantGo)
			}
		})
	}
}

// TestReadMatchesRuntime checks Read against this test binary's own record.
func TestReadMatchesRuntime(t *testing.T) {
	in := Read()
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this binary")
	}
	if in.GoVersion != bi.GoVersion {
		t.Errorf("GoVersion %q, debug.ReadBuildInfo says %q", in.GoVersion, bi.GoVersion)
	}
	if version == "" && bi.Main.Version == "(devel)" && in.Version != "devel" {
		t.Errorf("Version %q, want devel for an unstamped work-tree build", in.Version)
	}
}
