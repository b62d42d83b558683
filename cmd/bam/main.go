// Command bam runs the BAM (Bottom-up Adaptive Macroeconomics) agent-based
// model of Delli Gatti et al. (2011) from the command line.
//
// Usage:
//
//	bam run [flags] [SCENARIO]           run a scenario, write an output folder
//	bam pipeline [--set k=v] [SCENARIO]  print the resolved event pipeline
//	bam params [--set k=v] [SCENARIO]    print every parameter: value, range, doc
//	bam validate [--seeds N] [--workers W] [--json FILE] SCENARIO
//	                                     score seeds against the stylized facts
//	bam stability [--scenario all] [--seeds N] [--workers W] [--out DIR] [--shard i/N]
//	                                     seed-stability study (journaled, resumable);
//	                                     subcommands merge, compare, slurm, report
//	bam plot [-o FILE] [--panel NAME] [--burn-in N] RUN_DIR
//	                                     draw the figures of a run folder
//	bam bench [--quick] [--large] [--json FILE] [--seeds N --workers W]
//	                                     measure speed and memory
//	bam --version                        print the version
//	bam help [COMMAND]                   print help (also: bam COMMAND --help)
//
// SCENARIO is the name of an embedded scenario (such as "baseline") or the
// path of a TOML scenario file; without it the embedded baseline is used.
// Flags may come before or after SCENARIO; arguments after "--" are never
// taken for flags.
//
// # bam run
//
// bam run builds the simulation from the scenario and runs its n_periods
// periods (stopping early if the economy collapses). Flags:
//
//	--seed N, --periods N, --firms N, --households N, --banks N
//	        override seed, n_periods, n_firms, n_households and n_banks
//	--set name=value
//	        override any parameter by its name (repeatable), e.g.
//	        --set max_Z=3 --set theta=6; the dedicated flags above are
//	        applied after every --set
//	--out DIR
//	        output folder; default runs/<scenario>-seed<N>-<YYYYMMDD-HHMMSS>
//	        (with a -2, -3, ... suffix if that exists). An existing non-empty
//	        folder is never overwritten.
//	--log-level debug|info|warn|error
//	        level of the log on stderr (default warn)
//	--quiet, -q
//	        do not print the summary
//	--cpuprofile FILE, --trace FILE
//	        write a CPU profile (runtime/pprof) or an execution trace
//	        (runtime/trace) of the run's periods, not of the
//	        initialisation nor of writing the output, to FILE
//	--memprofile FILE
//	        write the allocation profile of the process (runtime/pprof
//	        "allocs", after a garbage collection) at the end of the run
//	--collect SPEC
//	        collect per-agent variables and economy series, SPEC being
//	        NAME[@SYSTEM],... (e.g. Producer.production@firms_run_production,
//	        Worker.wage,Lender.equity_base); writes collect.csv
//	--format csv|parquet
//	        format of the collected data (collect.parquet); parquet also
//	        writes economy.parquet
//	--wide  one file per collected variable, collect-<variable>.csv or
//	        .parquet, a row per period and a column per agent
//	--checkpoint-every K
//	        write a checkpoint of the whole simulation after every K-th
//	        period, and after the last one, into
//	        checkpoints/period-NNNNNN.ckpt of the output folder
//	--resume FILE
//	        continue the checkpoint FILE to a total of --periods periods
//	        (default: its n_periods) and write a new output folder; refused
//	        with SCENARIO, --set, --seed, --firms, --households or --banks,
//	        which the checkpoint fixes
//
// The collection flags are described in docs/results.md; a bad --collect is
// bad input (exit 2) found before anything is written. On a terminal (stdout
// and stderr not redirected) and without --quiet, a progress bar is shown
// on stderr while the periods run.
//
// Checkpoints (docs/results.md#checkpoints): a resumed run writes the same
// economy.csv and firms.csv as the run that was never stopped, and a
// run.json that differs in timing and its resumed_from record. Each
// checkpoint is written atomically and listed in run.json; a checkpoint
// that cannot be written stops the run (exit 1). A --resume FILE that is
// not a checkpoint ("not a bam checkpoint"), is of another format version
// ("checkpoint format 2 (written by bam ...), this bam reads 1") or is
// damaged ("corrupt checkpoint") is bad input (exit 2).
//
// Profile files are written at the given paths, never inside the output
// folder (a path inside --out is bad input, exit 2). They are created
// before the run starts, so that an unwritable path fails at once, with
// exit status 1 like an unwritable output folder, and they are removed
// again if the run fails or is interrupted.
//
// It writes three files into a temporary folder next to the output folder
// (.DIR.tmp-XXXX) and renames it into place at the end, so that a failed or
// interrupted run leaves nothing behind:
//
//   - economy.csv: one row per period, the columns of bam.Columns; floats in
//     their shortest round-trip form, so equal runs give identical bytes;
//   - firms.csv: the last period's firms, one row per firm slot (firm = 0,
//     1, ...): production at firms_run_production, then end-of-period price,
//     net_worth, labor, wage_offer, inventory, debt (sum over the firm's
//     loans), total_funds, desired_production, vacancies, wage_bill and
//     labor_productivity;
//   - run.json: the manifest: program version and VCS revision, scenario and
//     every resolved parameter, seed, periods requested and run, collapse,
//     population, pipeline, wall times, peak RSS, files and start time.
//
// With --collect or --format parquet it also writes the files of the
// collection there (listed in run.json).
// With --checkpoint-every the checkpoints are written there too, while the
// run lasts; after a crash the temporary folder keeps them.
//
// Then it prints a short summary on stdout: mean unemployment and inflation
// over the second half of the run, firm and bank exits per period, and wall
// times.
//
// # bam pipeline
//
// bam pipeline prints the scenario's pipeline after its pipeline list and
// hooks are applied, one system per line in execution order (a repeated
// market round appears once per execution).
//
// # bam params
//
// bam params prints a table of every parameter with its resolved value, its
// valid range and its meaning.
//
// # bam bench
//
// bam bench measures the engine on this machine and prints two tables: the
// seed table (small, medium and large economies: wall time of 1000 periods
// from a fresh simulation, periods/s) and the scaling table (610 to 122 000
// agents, --large adds 1 220 000: ms per period after a warm-up,
// agent-steps/s and peak RSS, each row measured in a child process of its
// own). With --seeds N it instead runs N independent seeds on 1 and on
// --workers goroutines and prints the throughput and the scaling
// efficiency. --json FILE also writes the results and a description of the
// machine as JSON; --quick measures little, for tests. See
// docs/performance.md.
//
// # bam plot
//
// bam plot draws the book's baseline figures from a run folder (economy.csv,
// firms.csv and run.json, read by column name) into one PNG or SVG image,
// by the extension of -o/--output (default RUN_DIR/figures.png): log real
// GDP, unemployment, annual inflation, productivity and real wage (time
// series, burn-in shaded), the Phillips, Okun and Beveridge curves (after
// the burn-in) and the rank-size plot of the last period's firm output,
// with the post-burn-in statistics. --panel NAME draws one of them (gdp,
// unemployment, inflation, wages, phillips, okun, beveridge, firm_size);
// --burn-in N sets the burn-in (default: the first half of the run). The
// file is written to a temporary name and renamed, so a failure leaves
// nothing behind. bam run --plot draws figures.png into its output folder.
//
// # Exit status
//
// 0 on success; 1 on a runtime failure (such as an output folder that cannot
// be written); 2 on bad input (unknown flag, missing or malformed scenario,
// unknown or out-of-range parameter, bad --set, unknown system in a
// pipeline, existing non-empty --out, a --resume file that is not a
// usable checkpoint); 130 when interrupted. Errors are one line on stderr,
// "bam: <message>".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/scenarios"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1   // runtime failure
	exitUsage       = 2   // bad input
	exitInterrupted = 130 // cancelled by a signal
)

// run runs the bam command line with the arguments args (without the
// program name) and returns the exit status. Normal output goes to stdout,
// log lines and the error message to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, &env{stdout: stdout, stderr: stderr, now: time.Now})
}

// runEnv is run with the environment e.
func runEnv(ctx context.Context, args []string, e *env) int {
	app := newApp(e)
	err := app.RunContext(ctx, append([]string{"bam"}, permuteArgs(app, args)...))
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "bam: %s\n", oneLine(err.Error()))
	return exitCode(err)
}

// newApp builds the command-line application of environment e.
func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:    "bam",
		Usage:   "run the BAM agent-based macroeconomic model",
		Version: versionString(),
		Description: "SCENARIO is an embedded scenario name (" + strings.Join(scenarios.Names(), ", ") +
			") or the path of a TOML scenario file; without it the embedded baseline is used.",
		Commands: []*cli.Command{
			runCommand(e),
			pipelineCommand(e),
			paramsCommand(e),
			benchCommand(e),
			validateCommand(e),
			stabilityCommand(e),
			plotCommand(e),
		},
		Writer:                    e.stdout,
		ErrWriter:                 e.stderr,
		DisableSliceFlagSeparator: true,
		// Errors are reported and mapped to exit statuses by run, never by
		// the library calling os.Exit.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageErrorHandler,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return badInput("unknown command %q; commands: run, pipeline, params, validate, stability, plot, bench, help (see bam --help)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageErrorHandler
	}
	return app
}

// permuteArgs moves a subcommand's flags before its positional arguments,
// so that `bam run my.toml --periods 100` means `bam run --periods 100
// my.toml` (urfave/cli v2 stops parsing flags at the first positional
// argument). The positional arguments are put after "--"; arguments after
// a "--" of the user stay positional. An argument that is not a known
// subcommand leaves args unchanged.
func permuteArgs(app *cli.App, args []string) []string {
	if len(args) == 0 {
		return args
	}
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.HasName(args[0]) {
			cmd = c
		}
	}
	if cmd == nil {
		return args
	}
	// Descend into subcommands (bam stability merge ...).
	head := []string{args[0]}
	for sub := true; sub && len(args) > len(head); {
		sub = false
		for _, c := range cmd.Subcommands {
			if c.HasName(args[len(head)]) {
				cmd, sub = c, true
				head = append(head, args[len(head)])
				break
			}
		}
	}
	noValue := map[string]bool{"help": true, "h": true}
	for _, f := range cmd.Flags {
		if _, ok := f.(*cli.BoolFlag); ok {
			for _, n := range f.Names() {
				noValue[n] = true
			}
		}
	}
	var flags, pos []string
	rest := args[len(head):]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			pos = append(pos, rest[i+1:]...)
			i = len(rest)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !noValue[name] && i+1 < len(rest) {
				flags = append(flags, rest[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	out := append(head, flags...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out
}

// env is the environment of the commands: output streams and clock.
type env struct {
	stdout, stderr io.Writer
	now            func() time.Time // start time of a run (names the default --out)
}

// usageErrorHandler turns a flag-parsing error of urfave/cli into an input
// error (exit status 2) naming the command.
func usageErrorHandler(c *cli.Context, err error, isSubcommand bool) error {
	if isSubcommand && c.Command != nil && c.Command.Name != "" {
		return badInput("%s: %v (see bam %s --help)", c.Command.Name, err, c.Command.Name)
	}
	return badInput("%v (see bam --help)", err)
}

// inputError marks bad input: the command exits with status 2.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// badInput returns an input error with a formatted message.
func badInput(format string, args ...any) error {
	return &inputError{fmt.Errorf(format, args...)}
}

// errInterrupted reports a run cancelled by a signal.
var errInterrupted = errors.New("interrupted")

// exitCode maps an error returned by a command to the exit status.
func exitCode(err error) int {
	var ie *inputError
	var se *scenarios.Error
	var ce cli.ExitCoder // urfave/cli's own errors, such as an unknown help topic
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errInterrupted):
		return exitInterrupted
	case errors.As(err, &ie), errors.As(err, &se), errors.As(err, &ce):
		return exitUsage
	}
	return exitFailure
}

// oneLine joins the lines of a message, so that every error is one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(strings.TrimSpace(s))
}

// buildInfo is what the binary knows about its own build.
type buildInfo struct {
	Version   string
	GitCommit string // "" if unknown
	GitDirty  *bool  // nil if unknown
	GoVersion string
}

// readBuildInfo returns the main module's version ("devel" if unknown) and
// the VCS revision recorded by the go command, when present.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: "devel", GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		b.Version = v
	}
	if bi.GoVersion != "" {
		b.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.GitCommit = s.Value
		case "vcs.modified":
			dirty := s.Value == "true"
			b.GitDirty = &dirty
		}
	}
	return b
}

// versionString is the text of `bam --version` after "bam version".
func versionString() string {
	b := readBuildInfo()
	v := b.Version
	if c := b.GitCommit; c != "" {
		if len(c) > 12 {
			c = c[:12]
		}
		if b.GitDirty != nil && *b.GitDirty {
			c += "-dirty"
		}
		v += " (commit " + c + ")"
	}
	return v + " " + b.GoVersion
}
