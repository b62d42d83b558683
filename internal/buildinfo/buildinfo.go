package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Module is the module path of bam.
const Module = "github.com/bam-abm/bam"

// Stamped at link time with -ldflags -X (see the package documentation);
// empty when not stamped.
var (
	version  string // e.g. v0.3.0-12-g3a70cb7-dirty (git describe --tags --always --dirty)
	commit   string // the full commit hash (git rev-parse HEAD)
	modified string // "true" or "false": the tree had uncommitted changes to tracked files
)

// Info is what a binary knows about its build.
type Info struct {
	// Version is bam's version: the stamped one, else the module's
	// version recorded by the go command, else "devel".
	Version string
	// Commit is the full commit hash the binary was built from, "" if
	// unknown.
	Commit string
	// Modified reports whether the tree had uncommitted changes; nil if
	// unknown.
	Modified *bool
	// Time is the commit's time as the go command records it (RFC 3339),
	// "" if unknown.
	Time string
	// GoVersion is the Go toolchain that built the binary, e.g. go1.26.8.
	GoVersion string
	// OS and Arch are the platform it was built for (GOOS, GOARCH).
	OS, Arch string
	// Program is the main module's path when it is not bam's (a program
	// of the user's calling cli.Main), "" for bam's own binaries. Version
	// is then still bam's, from the module's dependency record, and
	// Commit that of the program's tree.
	Program string
	// From says where Version comes from: "stamp" (-ldflags -X),
	// "module" (the go command's record) or "" (neither: "devel").
	From string
}

// Read returns the build information of the running binary.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(stamp{version, commit, modified}, bi)
}

// stamp holds the link-time values.
type stamp struct{ version, commit, modified string }

// resolve combines the stamped values s with the go command's record bi
// (nil when the binary has none).
func resolve(s stamp, bi *debug.BuildInfo) Info {
	in := Info{Version: "devel", GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi != nil {
		if bi.GoVersion != "" {
			in.GoVersion = bi.GoVersion
		}
		mod := &bi.Main
		if mod.Path != Module && mod.Path != "" {
			in.Program = mod.Path
			mod = nil
			for _, d := range bi.Deps {
				if d.Path == Module {
					mod = d
					if d.Replace != nil {
						// A replacement by another module version is
						// that version; by a local folder, a work tree.
						mod = d.Replace
					}
				}
			}
		}
		if mod != nil && mod.Version != "" && mod.Version != "(devel)" {
			in.Version, in.From = mod.Version, "module"
		}
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				in.Commit = kv.Value
			case "vcs.modified":
				in.Modified = boolPtr(kv.Value == "true")
			case "vcs.time":
				in.Time = kv.Value
			}
		}
	}
	// The stamp fills in what the go command did not record; a version
	// stamped from git describe is preferred to the module's, which for a
	// build from a clone is at best a pseudo-version.
	if s.version != "" {
		in.Version, in.From = s.version, "stamp"
	}
	if in.Commit == "" && s.commit != "" {
		in.Commit = s.commit
		switch s.modified {
		case "true":
			in.Modified = boolPtr(true)
		case "false":
			in.Modified = boolPtr(false)
		}
	}
	return in
}

func boolPtr(b bool) *bool { return &b }

// ShortCommit returns the first 12 characters of the commit with
// "-dirty" when the tree was modified, or "" when the commit is unknown.
func (in Info) ShortCommit() string {
	c := in.Commit
	if c == "" {
		return ""
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if in.Modified != nil && *in.Modified {
		c += "-dirty"
	}
	return c
}

// String is the one-line form of bam's version, as the checkpoints
// record it: "VERSION (commit SHORT)", or "VERSION" when the commit is
// unknown or is that of another program's tree (Program set).
func (in Info) String() string {
	if c := in.ShortCommit(); c != "" && in.Program == "" {
		return in.Version + " (commit " + c + ")"
	}
	return in.Version
}
