package cli

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/internal/sysmem"
	"github.com/bam-abm/bam/scenarios"
)

// maxMemoryFlag is --max-memory, taken by the commands that build
// simulations (run, validate, stability, pipeline).
func maxMemoryFlag() cli.Flag {
	return &cli.StringFlag{
		Name: "max-memory",
		Usage: "refuse, before building anything, a run estimated to need more than `SIZE` " +
			"(e.g. 8GiB, 500MB; 0 or off turns the check off; default: the memory available to this process)",
	}
}

// memoryBudget is the memory a command may use: the --max-memory limit,
// or what the machine (or its memory cgroup) has available.
type memoryBudget struct {
	bytes  uint64
	source string // where bytes comes from, for the message
	off    bool   // no check: --max-memory 0, or the available memory is unknown
}

// parseMaxMemory resolves --max-memory (absent on commands without it:
// the default applies).
func parseMaxMemory(c *cli.Context) (memoryBudget, error) {
	text := strings.TrimSpace(c.String("max-memory"))
	if text == "" {
		l, ok := sysmem.Available()
		return memoryBudget{bytes: l.Bytes, source: l.Source, off: !ok}, nil
	}
	if text == "off" || text == "0" {
		return memoryBudget{off: true}, nil
	}
	n, err := humanize.ParseBytes(text)
	if err != nil {
		return memoryBudget{}, badInput("--max-memory %s: want a size such as 8GiB or 500MB, or 0 (off)", quoteArg(text))
	}
	return memoryBudget{bytes: n, source: "--max-memory"}, nil
}

// checkMemory refuses, as bad input, a command that would hold parallel
// simulations of sc at once (with the collection of specs each) when their
// estimated memory ([bam.EstimateMemory]) exceeds the budget of
// --max-memory. Call it before building any simulation: a run too large for
// the machine then ends in one line naming what to lower, not in the
// runtime's "out of memory" crash after minutes of swapping.
func checkMemory(c *cli.Context, sc *scenarios.Scenario, parallel int, specs []bam.CollectSpec) error {
	b, err := parseMaxMemory(c)
	if err != nil || b.off {
		return err
	}
	one := bam.EstimateMemory(&sc.Params)
	one.Collection = bam.CollectMemory(&sc.Params, specs)
	need := float64(one.Total()) * float64(max(parallel, 1))
	if need <= float64(b.bytes) {
		return nil
	}
	what, lower := "the run needs", "lower them"
	if parallel > 1 {
		what = fmt.Sprintf("%d simulations at once (--workers) need", parallel)
		lower = "lower them or --workers"
	}
	return badInput("%s: %s about %s, mostly %s, more than the %s available (%s); "+
		"%s, or set --max-memory (0 turns the check off)",
		sc.Source, what, fmtBytes(need), one.Largest(), humanize.IBytes(b.bytes), b.source, lower)
}

// fmtBytes formats a byte count that may exceed uint64 (a product of
// estimates) in binary units.
func fmtBytes(x float64) string {
	if x >= float64(1<<63) {
		return fmt.Sprintf("%.3g EiB", x/(1<<60))
	}
	return humanize.IBytes(uint64(x))
}
