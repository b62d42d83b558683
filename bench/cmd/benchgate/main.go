package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

func main() {
	threshold := flag.Float64("threshold", 15, "flag changes worse than `PERCENT`")
	ignore := flag.String("ignore", "pct-of-period", "comma-separated `UNITS` not to check (informational metrics)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: benchgate [-threshold PERCENT] [-ignore UNITS] [FILE]")
		flag.PrintDefaults()
	}
	flag.Parse()
	in := io.Reader(os.Stdin)
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	if flag.NArg() == 1 {
		f, err := os.Open(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchgate:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	regs, err := gate(in, *threshold, strings.Split(*ignore, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgate:", err)
		os.Exit(2)
	}
	for _, r := range regs {
		fmt.Println(r)
	}
	if len(regs) > 0 {
		fmt.Printf("benchgate: %d regression(s) worse than %g%%\n", len(regs), *threshold)
		os.Exit(1)
	}
	fmt.Printf("benchgate: no regression worse than %g%%\n", *threshold)
}

// regression is one benchmark metric that got worse.
type regression struct {
	name, unit, old, new, delta, p string
}

// String formats the regression as one line.
func (r regression) String() string {
	return fmt.Sprintf("REGRESSION %s %s: %s -> %s (%s, %s)", r.name, r.unit, r.old, r.new, r.delta, r.p)
}

// errNoComparison reports input without a "vs base" column.
var errNoComparison = errors.New("no comparison in the input: want the CSV of benchstat -format csv OLD NEW")

// gate reads benchstat's CSV comparison from r and returns the metrics
// whose significant change is worse than threshold percent, skipping the
// units in ignore.
func gate(r io.Reader, threshold float64, ignore []string) ([]regression, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var (
		regs     []regression
		unit     string
		compared bool
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch {
		case len(rec) >= 7 && rec[0] == "" && rec[5] == "vs base":
			// A table's header: ",unit,CI,unit,CI,vs base,P".
			unit, compared = rec[1], true
			continue
		case len(rec) < 7 || unit == "" || rec[0] == "" || rec[0] == "geomean":
			// Configuration lines (goos: ...), file-name headers, blank
			// lines, geometric means and benchmarks in one run only.
			continue
		}
		if contains(ignore, unit) {
			continue
		}
		name, old, now, delta, p := rec[0], rec[1], rec[3], rec[5], rec[6]
		if old == "" || now == "" {
			continue
		}
		higherIsBetter := strings.HasSuffix(unit, "/s")
		worse := false
		switch delta {
		case "~", "":
			// Not significant.
		case "?":
			// One side is 0, so no ratio: worse if a cost appeared.
			o, err1 := strconv.ParseFloat(old, 64)
			n, err2 := strconv.ParseFloat(now, 64)
			worse = err1 == nil && err2 == nil && !higherIsBetter && o == 0 && n > 0
		default:
			d, err := strconv.ParseFloat(strings.TrimSuffix(delta, "%"), 64)
			if err != nil {
				return nil, fmt.Errorf("%s %s: delta %q is not a percentage", name, unit, delta)
			}
			worse = d > threshold
			if higherIsBetter {
				worse = d < -threshold
			}
		}
		if worse {
			regs = append(regs, regression{name, unit, old, now, delta, p})
		}
	}
	if !compared {
		return nil, errNoComparison
	}
	return regs, nil
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}
