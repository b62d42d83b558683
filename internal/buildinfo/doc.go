// Package buildinfo says which bam a binary is: its version, the commit it
// was built from and whether the tree was modified, the Go version and the
// platform. `bam version`, run.json's manifest and the checkpoints' header
// all read it here, so that they agree.
//
// Two sources, in this order:
//
//   - the values stamped at link time with -ldflags -X (the Makefile's
//     build and run targets stamp them from git):
//
//     go build -ldflags "-X github.com/bam-abm/bam/internal/buildinfo.version=$(git describe --tags --always --dirty)
//     -X github.com/bam-abm/bam/internal/buildinfo.commit=$(git rev-parse HEAD)
//     -X github.com/bam-abm/bam/internal/buildinfo.modified=false" ./cmd/bam
//
//   - what the go command records in every binary ([debug.ReadBuildInfo]):
//     the module's version (set by go install module@version, and by go
//     build from a tagged clone since Go 1.24) and, unless the build ran
//     with -buildvcs=false (or outside a clone), the VCS revision and
//     whether the tree was modified.
//
// A build with neither, such as `go run -buildvcs=false ./cmd/bam`, is
// version "devel" with no commit.
package buildinfo
