package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bam-abm/bam/results"
	"github.com/bam-abm/bam/scenarios"
)

// Main runs the bam command line with the arguments args (os.Args: the
// program name first) and returns the exit status (see the package
// documentation's scheme: 0, 1, 2 or 130). Output goes to os.Stdout and
// os.Stderr. SIGINT and SIGTERM cancel ctx's work: a command stops, keeps
// what is finished and returns 130.
//
// The options name the program and register the program's own systems,
// extensions, parameters, variables and scenarios (see [Option]), which
// every command then sees; an option that fails is one line on stderr and
// exit status 2.
func Main(ctx context.Context, args []string, opts ...Option) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) > 0 {
		args = args[1:]
	}
	return runWith(ctx, args, &env{stdout: os.Stdout, stderr: os.Stderr, now: time.Now}, opts)
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
	err := app.RunContext(ctx, append([]string{e.program()}, permuteArgs(app, args)...))
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "%s: %s\n", e.program(), oneLine(err.Error()))
	return exitCode(err)
}

// newApp builds the command-line application of environment e.
func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:    e.program(),
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
		OnUsageError:   usageErrorHandler(e),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return badInput("unknown command %q; commands: run, pipeline, params, validate, stability, plot, bench, help (see %s --help)", c.Args().First(), e.program())
			}
			return cli.ShowAppHelp(c)
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageErrorHandler(e)
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
	name           string           // the program's name (cli.Name); "" means "bam"
	// terminal reports whether a writer is a terminal (progress bars);
	// nil means isTerminal. Tests pretend with it.
	terminal func(w io.Writer) bool
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
// urfave/cli into an input error (exit status 2) naming the command.
func usageErrorHandler(e *env) cli.OnUsageErrorFunc {
	return func(c *cli.Context, err error, isSubcommand bool) error {
		if isSubcommand && c.Command != nil && c.Command.Name != "" {
			return badInput("%s: %v (see %s %s --help)", c.Command.Name, err, e.program(), c.Command.Name)
		}
		return badInput("%v (see %s --help)", err, e.program())
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

// versionString is the text of `bam --version` after "bam version".
func versionString() string {
	b := results.ReadBuildInfo()
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
