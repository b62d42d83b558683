package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	bam "github.com/bam-abm/bam"
	"github.com/bam-abm/bam/experiments"
	"github.com/bam-abm/bam/internal/buildinfo"
	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/results/figures"
	"github.com/bam-abm/bam/scenarios"
	"github.com/bam-abm/bam/validation/stability"
)

// Main runs the bam command line with the arguments args (os.Args: the
// program name first) and returns the exit status (see the package
// documentation's scheme: 0, 1, 2, 3, 130 or 143). Output goes to os.Stdout and
// os.Stderr. SIGINT and SIGTERM cancel ctx's work: a command stops, keeps
// what is finished and returns 130.
//
// The options name the program and register the program's own systems,
// extensions, parameters, variables and scenarios (see [Option]), which
// every command then sees; an option that fails is one line on stderr and
// exit status 2.
func Main(ctx context.Context, args []string, opts ...Option) int {
	ctx, stop := notifySignals(ctx)
	defer stop()
	if len(args) > 0 {
		args = args[1:]
	}
	return runWith(ctx, args, &env{stdout: os.Stdout, stderr: os.Stderr, now: time.Now}, opts)
}

// signalError is the cause of a context cancelled by a signal.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return "received " + e.sig.String() }

// notifySignals returns a copy of ctx cancelled, with a *signalError as
// its cause, by the first SIGINT or SIGTERM. After that first signal the
// signals have their default effect again: a second Ctrl-C ends the
// process at once, without the cleanup the first one allows.
func notifySignals(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(&signalError{s})
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel(context.Canceled)
		})
	}
}

// runWith applies opts to the environment e and runs the command line with
// the arguments args (without the program name).
func runWith(ctx context.Context, args []string, e *env, opts []Option) int {
	if err := applyOptions(e, opts); err != nil {
		fmt.Fprintf(e.stderr, "%s: %s\n", e.program(), oneLine(err.Error()))
		return exitUsage
	}
	return runEnv(ctx, args, e)
}

// Exit statuses: one scheme for every command (see the package
// documentation and docs/reliability.md).
const (
	exitOK          = 0   // success
	exitCheckFailed = 1   // the work was done and a check failed: gate, compare, non-finite state
	exitUsage       = 2   // bad input: flags, values, unusable input files or output targets
	exitFailure     = 3   // an I/O or internal failure
	exitSIGHUP      = 129 // interrupted by SIGHUP (128 + 1): the terminal closed
	exitSIGINT      = 130 // interrupted by SIGINT (128 + 2)
	exitSIGTERM     = 143 // interrupted by SIGTERM (128 + 15)
)

// exitStatusHelp is the exit-status scheme as `bam --help` prints it.
const exitStatusHelp = `Exit status, the same for every command:
   0    success
   1    the work was done and a check failed: a pass rate below --gate,
        results that differ (stability compare --exact), a state gone NaN/Inf
   2    bad input, refused before any work: flag, value, scenario, parameter,
        output target, or an unusable input file (checkpoint, journal, result)
   3    an I/O or internal failure (unwritable path, full disk, locked journal)
   130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM (e.g. a Slurm time limit);
        129 by SIGHUP (the terminal closed)`

// run runs the bam command line with the arguments args (without the
// program name) and returns the exit status. Normal output goes to stdout,
// log lines and the error message to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, &env{stdout: stdout, stderr: stderr, now: time.Now})
}

// runEnv is run with the environment e.
func runEnv(ctx context.Context, args []string, e *env) int {
	app := newApp(e)
	var err error
	switch {
	case completing(args):
		// The shell asks for completions: the words typed so far, which
		// may be incomplete, go to urfave/cli as they are.
		e.words = args[:len(args)-1]
		err = app.RunContext(ctx, append([]string{e.program()}, args...))
	default:
		if err = checkCommandPath(e, app, args); err == nil {
			err = app.RunContext(ctx, append([]string{e.program()}, permuteArgs(app, args)...))
		}
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "%s: %s\n", e.program(), oneLine(err.Error()))
	if code := exitCode(err); code != exitSIGINT {
		return code
	}
	return interruptedStatus(ctx)
}

// interruptedStatus is the exit status of a command interrupted through
// ctx: 143 when SIGTERM cancelled it, 129 for SIGHUP, else 130 (SIGINT, or a cancellation
// by the program embedding the command line).
func interruptedStatus(ctx context.Context) int {
	var se *signalError
	if errors.As(context.Cause(ctx), &se) {
		switch se.sig {
		case syscall.SIGTERM:
			return exitSIGTERM
		case syscall.SIGHUP:
			return exitSIGHUP
		}
	}
	return exitSIGINT
}

// newApp builds the command-line application of environment e.
func newApp(e *env) *cli.App {
	var app *cli.App
	app = &cli.App{
		Name:  e.program(),
		Usage: "run the BAM agent-based macroeconomic model",
		// --version is the app's own flag (below), so that it prints
		// what bam version prints; urfave/cli's is off without Version.
		Flags: []cli.Flag{&cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version (what " + e.program() + " version prints)"}},
		Description: "SCENARIO is an embedded scenario name (" + strings.Join(scenarios.Names(), ", ") +
			") or the path of a TOML scenario file; without it the embedded baseline is used.\n\n" +
			exitStatusHelp,
		Commands: []*cli.Command{
			runCommand(e),
			pipelineCommand(e),
			paramsCommand(e),
			benchCommand(e),
			validateCommand(e),
			stabilityCommand(e),
			sweepCommand(e),
			compareCommand(e),
			robustnessCommand(e),
			calibrateCommand(e),
			plotCommand(e),
			versionCommand(e),
			completionCommand(e),
		},
		// Shell completion (bam completion SHELL prints the scripts).
		EnableBashCompletion:      true,
		Writer:                    e.stdout,
		ErrWriter:                 e.stderr,
		DisableSliceFlagSeparator: true,
		// Errors are reported and mapped to exit statuses by run, never by
		// the library calling os.Exit.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageErrorHandler(e, "", func() []cli.Flag { return app.Flags }),
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				return printVersion(e)
			}
			if c.NArg() > 0 {
				return unknownCommand(e, "", c.Args().First(), c.App.Commands)
			}
			return cli.ShowAppHelp(c)
		},
	}
	setUsageErrors(e, "", app.Commands)
	tidyDefaults(app.Flags)
	tidyCommandDefaults(app.Commands)
	app.BashComplete = e.complete(func() []cli.Flag { return app.Flags }, app.Commands, "")
	setCompletion(e, app.Commands)
	return app
}

// setUsageErrors gives every command and subcommand (named after prefix)
// the usage-error handler: a bad flag anywhere is bad input (exit status
// 2) naming the command's full name ("calibrate morris").
func setUsageErrors(e *env, prefix string, cmds []*cli.Command) {
	for _, cmd := range cmds {
		name := strings.TrimSpace(prefix + " " + cmd.Name)
		cmd.OnUsageError = usageErrorHandler(e, name, func() []cli.Flag { return cmd.Flags })
		setUsageErrors(e, name, cmd.Subcommands)
	}
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
	name           string           // the program's name (cli.Name); "" means "bam"
	// terminal reports whether a writer is a terminal (progress bars);
	// nil means isTerminal. Tests pretend with it.
	terminal func(w io.Writer) bool
	// words are the words typed so far when the shell asks for
	// completions, the last being the one being typed (see complete).
	words []string
	// afterRecord, if set, is called after each seed a study journals
	// (tests interrupt a study with it).
	afterRecord func()
}

// isTerminal reports whether w is e's idea of a terminal.
func (e *env) isTerminal(w io.Writer) bool {
	if e.terminal != nil {
		return e.terminal(w)
	}
	return isTerminal(w)
}

// program returns the program's name: "bam" unless set with [Name].
func (e *env) program() string {
	if e.name == "" {
		return "bam"
	}
	return e.name
}

// usageErrorHandler returns the handler that turns a flag-parsing error of
// urfave/cli into an input error (exit status 2) naming the command name
// ("" for the program itself), with flags written as they are typed
// (--name) and, for an unknown flag, the nearest of the command's flags.
func usageErrorHandler(e *env, name string, flags func() []cli.Flag) cli.OnUsageErrorFunc {
	return func(c *cli.Context, err error, isSubcommand bool) error {
		msg := flagError(err, flags())
		if name != "" {
			return badInput("%s: %s (see %s %s --help)", name, msg, e.program(), name)
		}
		return badInput("%s (see %s --help)", msg, e.program())
	}
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

// checkError marks a check that failed after the work was done (a pass
// rate below the gate, two results that differ, an economy that went
// non-finite): the command exits with status 1.
type checkError struct{ err error }

func (e *checkError) Error() string { return e.err.Error() }
func (e *checkError) Unwrap() error { return e.err }

// checkFailed returns a check error with a formatted message.
func checkFailed(format string, args ...any) error {
	return &checkError{fmt.Errorf(format, args...)}
}

// exitCode maps an error returned by a command to the exit status; an
// interruption is exitSIGINT here (runEnv tells SIGTERM apart).
func exitCode(err error) int {
	var (
		ie  *inputError
		se  *scenarios.Error
		ce  cli.ExitCoder // urfave/cli's own errors, such as an unknown help topic
		fe  *results.FormatError
		nf  *bam.NonFiniteError
		che *checkError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errInterrupted):
		return exitSIGINT
	case errors.As(err, &che), errors.As(err, &nf):
		return exitCheckFailed
	case errors.As(err, &ie), errors.As(err, &se), errors.As(err, &ce), errors.As(err, &fe),
		errors.Is(err, stability.ErrUnusable), errors.Is(err, figures.ErrBadRun),
		errors.Is(err, experiments.ErrUnusable), errors.Is(err, experiments.ErrBadDesign):
		return exitUsage
	}
	return exitFailure
}

// oneLine joins the lines of a message, so that every error is one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(strings.TrimSpace(s))
}

// versionString is the one-line version of the stability report's
// footer: "VERSION (commit SHORT) GOVERSION".
func versionString() string {
	in := buildinfo.Read()
	return in.String() + " " + in.GoVersion
}
