package cli

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/internal/buildinfo"
)

// versionCommand is `bam version`, which `bam --version` prints too.
func versionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, the commit it was built from, the Go version and the platform",
		Description: "Prints the version (stamped by make build from git describe, else the module\n" +
			"version the go command recorded, else devel), the commit and whether the tree had\n" +
			"uncommitted changes (from the go command's VCS record, else the make build stamp),\n" +
			"the Go version and the platform, one \"key: value\" per line after the first.\n" +
			"run.json records the same version and commit. bam --version prints the same.",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return badInput("version: unexpected argument %s; usage: %s version", quoteArgs(c.Args().Slice()), e.program())
			}
			return printVersion(e)
		},
	}
}

// printVersion writes the version text to e.stdout.
func printVersion(e *env) error {
	if _, err := fmt.Fprint(e.stdout, versionText(e.program(), buildinfo.Read())); err != nil {
		return fmt.Errorf("writing the version: %w", err)
	}
	return nil
}

// versionText is the text of `bam version` for the program named program:
//
//	bam version v0.3.0-2-g3a70cb7
//	commit: 3a70cb7d1e2f00112233445566778899aabbccdd (modified)
//	commit time: 2026-12-04T01:00:00Z
//	go: go1.26.8
//	platform: linux/amd64
//
// "commit time" only when the go command recorded it; a commit that is
// not known says why.
func versionText(program string, in buildinfo.Info) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s version %s\n", program, in.Version)
	switch {
	case in.Commit == "":
		b.WriteString("commit: unknown (not recorded: built by go run, with -buildvcs=false or outside a clone, and not stamped with -ldflags -X as make build does)\n")
	case in.Modified == nil:
		fmt.Fprintf(&b, "commit: %s\n", in.Commit)
	case *in.Modified:
		fmt.Fprintf(&b, "commit: %s (modified)\n", in.Commit)
	default:
		fmt.Fprintf(&b, "commit: %s (clean)\n", in.Commit)
	}
	if in.Time != "" {
		fmt.Fprintf(&b, "commit time: %s\n", in.Time)
	}
	if in.Program != "" {
		fmt.Fprintf(&b, "module: %s (the version above is that of %s, a dependency)\n", in.Program, buildinfo.Module)
	}
	fmt.Fprintf(&b, "go: %s\n", in.GoVersion)
	fmt.Fprintf(&b, "platform: %s/%s\n", in.OS, in.Arch)
	return b.String()
}
