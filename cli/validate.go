package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/validation/stability"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation"
)

// validateCommand is `bam validate [flags] [SCENARIO]`.
func validateCommand(e *env) *cli.Command {
	flags := studyPopulationFlags("")
	flags = append(flags,
		setFlag(),
		&cli.StringFlag{Name: "seeds", Value: "1", Usage: "validate `N` seeds"},
		&cli.StringFlag{Name: "seed-start", Aliases: []string{"seed"}, Usage: "first seed `S` (default: the scenario's seed, 0 for the embedded scenarios)"},
		&cli.StringFlag{Name: "workers", Usage: "run `W` seeds at once (default: the number of CPUs); the results do not depend on it"},
		maxMemoryFlag(),
		&cli.StringFlag{Name: "burn-in", Value: strconv.Itoa(validation.DefaultBurnIn), DefaultText: fixedBurnIn(validation.DefaultBurnIn), Usage: "burn-in `B` in periods; < 1 or ≥ n_periods means n_periods/2"},
		&cli.StringFlag{Name: "json", Usage: "also write the results as JSON to `FILE`"},
		&cli.StringFlag{Name: "gate", Value: strconv.FormatFloat(stability.DefaultGate, 'g', -1, 64), Usage: "exit 1 when the pass rate is below `RATE` (0…1)"},
	)
	return &cli.Command{
		Name:      "validate",
		Usage:     "score a scenario against the reference's validation targets over one or many seeds",
		ArgsUsage: "[SCENARIO]",
		Description: "Runs SCENARIO (an embedded name or a TOML file; default: the embedded baseline) for\n" +
			"seeds S … S+N−1 and scores each run against the metrics of its validation suite:\n" +
			"baseline, growth_plus or buffer_stock, chosen by the extensions in the scenario's\n" +
			"pipeline (a scenario named like a suite must have that suite's extensions).\n" +
			"One seed prints every metric with its value, target, status and score; several\n" +
			"seeds print the pass rate, the score's mean ± std, per-metric statistics and the\n" +
			"failing seeds. A seed passes when no metric FAILs. Exit status 0 when the pass rate\n" +
			"is at least --gate, 1 when it is not, 2 on bad input, 3 on an I/O failure, 130/143/129\n" +
			"when interrupted by SIGINT/SIGTERM/SIGHUP.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return validateScenario(c, e) },
	}
}

// validateRequest is the resolved input of `bam validate`.
type validateRequest struct {
	sc      *scenarios.Scenario
	suite   *validation.Suite
	seeds   []uint64
	workers int
	burnIn  int
	gate    float64
	json    string
	opts    validation.Options
}

// parseValidate resolves the command line of `bam validate`; every error is
// bad input.
func parseValidate(c *cli.Context) (*validateRequest, error) {
	sc, err := loadScenario(c)
	if err != nil {
		return nil, err
	}
	if err := applyStudyPopulation(c, sc); err != nil {
		return nil, err
	}
	req := &validateRequest{sc: sc, json: c.String("json")}
	if c.IsSet("json") {
		if err := checkOutputFile("json", req.json); err != nil {
			return nil, err
		}
	}
	n, err := strconv.Atoi(c.String("seeds"))
	if err != nil || n < 1 {
		return nil, badInput("--seeds %s: want an integer >= 1", quoteArg(c.String("seeds")))
	}
	start := sc.Params.Seed
	text := strconv.FormatUint(start, 10)
	if c.IsSet("seed-start") {
		text = c.String("seed-start")
	}
	if start, err = parseSeedStart("seed-start", text, n); err != nil {
		return nil, err
	}
	for k := range n {
		req.seeds = append(req.seeds, start+uint64(k))
	}
	req.workers = runtime.NumCPU()
	if c.IsSet("workers") {
		if req.workers, err = strconv.Atoi(c.String("workers")); err != nil || req.workers < 1 {
			return nil, badInput("--workers %s: want an integer >= 1", quoteArg(c.String("workers")))
		}
	}
	if req.burnIn, err = strconv.Atoi(c.String("burn-in")); err != nil {
		return nil, badInput("--burn-in %s: want an integer", quoteArg(c.String("burn-in")))
	}
	req.gate, err = strconv.ParseFloat(c.String("gate"), 64)
	if err != nil || !(req.gate >= 0 && req.gate <= 1) {
		return nil, badInput("--gate %s: want a number in [0, 1]", quoteArg(c.String("gate")))
	}
	req.opts.BurnIn = req.burnIn

	// Build the simulation once: it checks the parameters and the pipeline,
	// and its pipeline decides the suite.
	if err := checkMemory(c, sc, min(req.workers, n), nil); err != nil {
		return nil, err
	}
	sim, err := newSimulation(sc)
	if err != nil {
		return nil, err
	}
	if req.suite, err = validation.SuiteFor(sc, sim.Pipeline.Names()); err != nil {
		return nil, &inputError{err}
	}
	if req.suite == validation.BufferStock {
		if req.opts.GrowthPlus, err = validation.GrowthPlusCompanion(sc); err != nil {
			return nil, &inputError{err}
		}
	}
	return req, nil
}

// validateScenario is the action of `bam validate`.
func validateScenario(c *cli.Context, e *env) error {
	req, err := parseValidate(c)
	if err != nil {
		return err
	}
	var bar *seedProgress
	if isCharDevice(e.stdout) && len(req.seeds) > 1 {
		bar = newSeedProgress(e.stdout, len(req.seeds))
	}
	started := time.Now()
	cfg := validation.StabilityConfig{
		Scenario: req.sc, Suite: req.suite, Seeds: req.seeds, Workers: req.workers, Options: req.opts,
	}
	if bar != nil {
		cfg.Progress = bar.update
	}
	st, err := validation.RunStability(c.Context, cfg)
	if bar != nil {
		bar.clear()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || c.Context.Err() != nil {
			return fmt.Errorf("validate %w", errInterrupted)
		}
		return fmt.Errorf("validate: %w", err)
	}
	elapsed := time.Since(started)

	if len(req.seeds) == 1 {
		err = printSeedTable(e.stdout, req, st)
	} else {
		err = printStability(e.stdout, req, st, elapsed)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	// The table is printed first, so that a --json that fails at the end
	// (a full disk) loses nothing that was computed.
	if req.json != "" {
		b, err := validateJSON(req, st)
		if err != nil {
			return fmt.Errorf("validate: %w", err)
		}
		if err := writeAtomic(c.Context, req.json, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return fmt.Errorf("validate: --json: %w", err)
		}
	}
	if !(st.PassRate >= req.gate) {
		return checkFailed("validate: pass rate %s is below the gate %s", style.Percent(st.PassRate, 1, "%"), style.Percent(req.gate, 1, "%"))
	}
	return nil
}

// validateHeader describes the run in one line.
func validateHeader(req *validateRequest) string {
	p := &req.sc.Params
	return fmt.Sprintf("%s (suite %s): %d firms, %d households, %d banks, %d periods, burn-in %d",
		req.sc.Name, req.suite.Name, p.NFirms, p.NHouseholds, p.NBanks, p.NPeriods,
		validation.BurnIn(req.burnIn, p.NPeriods))
}

// printSeedTable prints one seed's metrics and verdict.
func printSeedTable(w io.Writer, req *validateRequest, st *validation.Stability) error {
	r := st.Results[0]
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nseed %d: %d periods run", validateHeader(req), r.Seed, r.Periods)
	if r.Collapsed {
		b.WriteString(" (the economy collapsed)")
	}
	b.WriteString("\n\n")
	if r.NotEvaluable {
		fmt.Fprintf(&b, "not evaluable: the growth_plus run of this seed collapsed (total score %s)\n", style.Value(r.GrowthPlus.TotalScore))
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "metric\tvalue\ttarget\tstatus\tscore\tweight")
		for i, m := range r.Results {
			mt := &req.suite.Metrics[i]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.4f\t%g\n", m.Name, style.Value(m.Actual), mt.Target.Describe(mt.Check), m.Status, m.Score, m.Weight)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	verdict := "PASS"
	if !r.Passed {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "\nverdict: %s (%d PASS, %d WARN, %d FAIL), total score %s\n", verdict, r.NPass, r.NWarn, r.NFail, style.Value(r.TotalScore))
	if len(st.Degraded) > 0 {
		fmt.Fprintf(&b, "warning: growth_plus metrics degraded by buffer-stock consumption: %s\n", strings.Join(st.Degraded, ", "))
	}
	b.WriteString(okunNote(req.suite))
	_, err := w.Write(b.Bytes())
	return err
}

// okunNote names the definition of the suite's Okun metrics, which is not
// the equivalence gate's ("" for a suite without them).
func okunNote(s *validation.Suite) string {
	for i := range s.Metrics {
		if s.Metrics[i].Quantity == "okun_corr" {
			return "note: okun_* correlate growth rates (u_t/u_{t-1} - 1, Y_t/Y_{t-1} - 1); the equivalence gate's Okun\n" +
				"      (README, bam.GateMetrics) correlates differences (u_t - u_{t-1}, ln Y_t - ln Y_{t-1}), near -1\n"
		}
	}
	return ""
}

// printStability prints the aggregate of many seeds.
func printStability(w io.Writer, req *validateRequest, st *validation.Stability, elapsed time.Duration) error {
	var b bytes.Buffer
	first, last := req.seeds[0], req.seeds[len(req.seeds)-1]
	fmt.Fprintf(&b, "%s\nseeds %d–%d (%d), %d workers, %s\n\n", validateHeader(req), first, last, st.NSeeds,
		min(req.workers, st.NSeeds), fmtDuration(elapsed))
	gate := "PASS"
	if !(st.PassRate >= req.gate) {
		gate = "FAIL"
	}
	fmt.Fprintf(&b, "pass rate   %s (%d of %d", style.Percent(st.PassRate, 1, "%"), st.NPassed, st.NValid)
	if st.NValid != st.NSeeds {
		fmt.Fprintf(&b, " evaluable; %d not evaluable", st.NSeeds-st.NValid)
	}
	fmt.Fprintf(&b, "), gate %s: %s\n", style.Percent(req.gate, 1, "%"), gate)
	fmt.Fprintf(&b, "score       %.4f ± %.4f (min %.4f, max %.4f)\n\n", st.MeanScore, st.StdScore, st.MinScore, st.MaxScore)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tmean\tstd\ttarget\tmean score\tpass rate\tWARN\tFAIL")
	for i, m := range st.Metrics {
		mt := &req.suite.Metrics[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.4f\t%s\t%d\t%d\n", m.Name, style.Value(m.MeanValue), style.Value(m.StdValue),
			mt.Target.Describe(mt.Check), m.MeanScore, style.Percent(m.PassRate, 1, "%"), m.NWarn, m.NFail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if note := okunNote(req.suite); note != "" {
		b.WriteString("\n" + note)
	}
	if len(st.FailingSeeds) == 0 {
		b.WriteString("\nfailing seeds: none\n")
	} else {
		fmt.Fprintf(&b, "\nfailing seeds (%d):\n", len(st.FailingSeeds))
		for _, f := range st.FailingSeeds {
			why := strings.Join(f.FailedMetrics, ", ")
			if why == "" {
				why = "not evaluable (growth_plus collapsed)"
			}
			fmt.Fprintf(&b, "  seed %d: %s\n", f.Seed, why)
		}
	}
	if len(st.Degraded) > 0 {
		fmt.Fprintf(&b, "warning: growth_plus metrics degraded by buffer-stock consumption: %s\n", strings.Join(st.Degraded, ", "))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// isCharDevice reports whether w is a character device (a terminal), so that
// a progress bar is drawn only there and never into a pipe or file.
func isCharDevice(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// seedProgress draws "[#####.....] done/total seeds" on one terminal line.
type seedProgress struct {
	w       io.Writer
	total   int
	started time.Time
}

func newSeedProgress(w io.Writer, total int) *seedProgress {
	p := &seedProgress{w: w, total: total, started: time.Now()}
	p.update(0, total)
	return p
}

const seedBarWidth = 30

func (p *seedProgress) update(done, total int) {
	k := seedBarWidth * done / max(total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d seeds  %s", strings.Repeat("#", k), strings.Repeat(".", seedBarWidth-k),
		done, total, fmtDuration(time.Since(p.started)))
}

// clear erases the bar's line.
func (p *seedProgress) clear() { fmt.Fprint(p.w, "\r\033[K") }

// validateJSON renders the results as the validate document
// (stability.ValidateDocument): indented JSON with a final newline.
func validateJSON(req *validateRequest, st *validation.Stability) ([]byte, error) {
	p := &req.sc.Params
	return stability.NewValidateDocument(st, stability.ValidateInfo{
		Scenario: req.sc.Name, Suite: req.suite.Name, SeedStart: req.seeds[0],
		NPeriods: p.NPeriods, BurnIn: validation.BurnIn(req.burnIn, p.NPeriods),
		NFirms: p.NFirms, NHouseholds: p.NHouseholds, NBanks: p.NBanks, Gate: req.gate,
	}).Encode()
}
