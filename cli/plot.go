package cli

// bam plot: the book's baseline figures (Delli Gatti et al. 2011, §3.9.1;
// spec §9.3–9.4 and §13.1) drawn from a run folder, or from several as an
// ensemble.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bam-abm/bam/results/figures"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam"
	"github.com/bam-abm/bam/internal/style"
	"github.com/bam-abm/bam/scenarios"
)

// figuresFile is the figure `bam run --plot` draws into the output folder,
// and the default output of `bam plot`.
const figuresFile = "figures.png"

// plotCommand is `bam plot [flags] RUN_DIR...`.
func plotCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "draw the figures of a run folder, or of several as an ensemble (PNG, SVG, PDF or EPS)",
		ArgsUsage: "RUN_DIR...",
		Description: "Draws the book's baseline figures from the output folder RUN_DIR of bam run\n" +
			"(economy.csv, firms.csv, run.json) into one image, a 3×3 grid of panels:\n" +
			"  gdp           log real GDP\n" +
			"  unemployment  unemployment rate (%)\n" +
			"  inflation     price inflation, year on year (% per year)\n" +
			"  wages         average labour productivity and the real wage\n" +
			"  phillips      wage inflation (% per quarter) against unemployment (Phillips curve)\n" +
			"  okun          GDP growth rate against unemployment growth rate (Okun curve in\n" +
			"                growth rates, IQR-filtered: bam validate's okun_correlation)\n" +
			"  beveridge     vacancy rate against unemployment (Beveridge curve)\n" +
			"  firm_size     last-period output of the firms with output > 0, rank-size, log-log\n" +
			"and the post-burn-in statistics. The burn-in (default: the first half of the run)\n" +
			"is shaded on the time series and left out of the scatter plots.\n\n" +
			"Several RUN_DIRs (runs of one scenario, say one per seed: bam plot runs/seed-*)\n" +
			"are drawn as an ensemble: each time series as its mean over the runs with a band\n" +
			"from the 5th to the 95th percentile of the runs in each period (90 % of them),\n" +
			"the scatter plots with the points of every run and the mean and 5th–95th\n" +
			"percentiles of the runs' correlations, the statistics likewise.\n\n" +
			"The format follows the extension of --output: .png (default RUN_DIR/" + figuresFile + "),\n" +
			".svg, .pdf (fonts embedded) or .eps. --size sets the size of the image, as\n" +
			"3.5in,2.6in for one panel at a paper's column width (in, cm, mm or pt); fonts\n" +
			"and lines scale with it, by the square root of the change.",
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "output",
				Aliases: []string{"o"},
				Usage:   "write the figure to `FILE`, .png, .svg, .pdf or .eps (default: RUN_DIR/" + figuresFile + " of one RUN_DIR)",
			},
			&cli.StringFlag{
				Name:  "panel",
				Usage: "draw the panel `NAME` only: " + strings.Join(figures.Panels(), ", "),
			},
			&cli.StringFlag{
				Name:        "size",
				Usage:       "the image's `WIDTH,HEIGHT` with units (in, cm, mm or pt), as 3.5in,2.6in",
				DefaultText: "16in,12in for the figure, 7in,5in for a panel",
			},
			&cli.IntFlag{
				Name:        "burn-in",
				Usage:       "the first `N` periods are burn-in",
				DefaultText: "the first half of the run",
			},
		},
		Action: func(c *cli.Context) error { return plotRunDir(c, e) },
	}
}

// plotRunDir is the action of `bam plot`.
func plotRunDir(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return badInput("plot: want one or more RUN_DIR arguments, got none; usage: bam plot [flags] RUN_DIR...")
	}
	dirs := c.Args().Slice()
	only := ""
	if c.IsSet("panel") {
		only = c.String("panel")
		if !slices.Contains(figures.Panels(), only) {
			return badInput("--panel %s: unknown panel; panels: %s", quoteArg(only), strings.Join(figures.Panels(), ", "))
		}
	}
	var opts []figures.Option
	if c.IsSet("size") {
		w, h, err := figures.ParseSize(c.String("size"))
		if err != nil {
			return badInput("--size %s: %v", quoteArg(c.String("size")), err)
		}
		opts = append(opts, figures.Size(w, h))
	}
	out := c.String("output")
	if !c.IsSet("output") {
		if len(dirs) > 1 {
			return badInput("plot: %d run folders and no --output; say where to write their figure, as -o ensemble.png", len(dirs))
		}
		out = filepath.Join(dirs[0], figuresFile)
	}
	format, err := imageFormat(out)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return badInput("--output %s: is a folder; want a .png, .svg, .pdf or .eps file name", out)
	}
	if c.IsSet("output") {
		if err := checkOutputFile("output", out); err != nil {
			return err
		}
	}

	var onlyPanel []string
	if only != "" {
		onlyPanel = []string{only}
	}
	runs := make([]*figures.Run, 0, len(dirs))
	for _, dir := range dirs {
		r, err := figures.Load(dir, onlyPanel...)
		if errors.Is(err, figures.ErrBadRun) {
			return &inputError{err}
		}
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	d, err := figures.NewEnsemble(runs...)
	if errors.Is(err, figures.ErrNotEnsemble) {
		return badInput("plot: %v", err)
	}
	if err != nil {
		return err
	}
	burnIn, err := resolveBurnIn(c.IsSet("burn-in"), c.Int("burn-in"), d.Periods())
	if err != nil {
		return err
	}
	if err := writeAtomic(c.Context, out, func(w io.Writer) error {
		if only != "" {
			return figures.DrawPanel(w, format, only, d, burnIn, opts...)
		}
		return figures.DrawFigure(w, format, d, burnIn, opts...)
	}); err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, out)
	return err
}

// imageFormat returns the image format of a file name by its extension:
// one of figures.Formats.
func imageFormat(path string) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if slices.Contains(figures.Formats, ext) {
		return ext, nil
	}
	return "", badInput("--output %s: want a file name ending in .png, .svg, .pdf or .eps", quoteArg(path))
}

// writeAtomic writes path with write: into a temporary file next to it,
// renamed to path at the end, so that a failure leaves nothing behind (and
// an existing file untouched). A cancellation of ctx (SIGINT, SIGTERM)
// returns at once with errInterrupted, even when write is stuck (a drawing
// library that does not return), and leaves nothing behind; write may
// still run on its goroutine until the process exits.
func writeAtomic(ctx context.Context, path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, pathErrCause(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	done := make(chan error, 1)
	go func() { done <- style.SafeDraw(func() error { return write(bw) }) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("drawing %s: %w", path, err)
		}
	case <-ctx.Done():
		return fmt.Errorf("writing %s %w", path, errInterrupted)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, pathErrCause(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, pathErrCause(err))
	}
	// CreateTemp makes the file private (0600); a figure is an ordinary file.
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, pathErrCause(err))
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, pathErrCause(err))
	}
	return nil
}

// addFigures draws figuresFile into the temporary output folder dir of
// `bam run` when --plot is given, from the finished simulation, and
// returns files with it appended (unchanged without --plot).
func addFigures(c *cli.Context, dir string, sim *bam.Simulation, sc *scenarios.Scenario, files []string) ([]string, error) {
	if !c.Bool("plot") {
		return files, nil
	}
	info := figures.Info{Scenario: sc.Name, Seed: sc.Params.Seed, PeriodsRun: len(sim.History.Rows), Collapsed: sim.Collapsed()}
	d := figures.FromSimulation(sim, info)
	if d.Periods() == 0 {
		return nil, errors.New("--plot: no period was run, nothing to draw")
	}
	path := filepath.Join(dir, figuresFile)
	if err := writeAtomic(c.Context, path, func(w io.Writer) error {
		return figures.DrawFigure(w, "png", d, d.Periods()/2)
	}); err != nil {
		return nil, err
	}
	return append(files, figuresFile), nil
}

// resolveBurnIn returns the burn-in of a run of n periods: the first half
// (n/2) unless set, in which case it must lie in [0, n).
func resolveBurnIn(set bool, burnIn, n int) (int, error) {
	if !set {
		return n / 2, nil
	}
	if burnIn < 0 || burnIn >= n {
		return 0, badInput("--burn-in %d: want 0 ≤ N < %d (the run has %d periods)", burnIn, n, n)
	}
	return burnIn, nil
}
