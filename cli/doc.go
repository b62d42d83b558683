// Package cli is the bam command line as a library: [Main] runs it.
// cmd/bam is a few lines calling Main, and a program of the user's that
// passes its own systems, extensions, parameters, variables or scenarios
// as options gets every bam command for the modified model:
//
//	func main() {
//		os.Exit(cli.Main(context.Background(), os.Args,
//			cli.Name("minwage"),
//			cli.Param(ecs.ExtFloat("wage_raise", 1.5, 1, 10, false, false, "factor of the raise")),
//			cli.System("raise_minimum_wage", newRaise),
//			cli.Scenario("min_wage_hike", scenarioTOML),
//		))
//	}
//
// ([Name], [System], [Extension], [Param], [Variable], [Variables],
// [Scenario]; see docs/custom-systems.md and docs/examples/minwage). A bad
// option (a name registered twice) is one line on stderr and exit status 2.
// Run folders are written and read with package results, which bam run
// and bam plot use.
//
// The commands, as the bam binary offers them:
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
//	bam sweep (--grid P=V,... | --lhs P=LO:HI --samples N | --design FILE) [--seeds N] --out DIR [SCENARIO]
//	                                     parameter sweep: configurations × seeds
//	                                     (journaled, resumable, shards); subcommands
//	                                     merge, slurm, plot
//	bam compare [--treatment SCENARIO] [--treat P=V] [--seeds N] --out DIR [SCENARIO]
//	                                     treatment vs baseline on the same seeds: bands,
//	                                     paired differences, t-test; merge, slurm
//	bam robustness [--seeds N] [--burn-in B] --out DIR [SCENARIO]
//	                                     the book's internal validity over seeds:
//	                                     co-movements, AR fits, statistics (spec §9.1);
//	                                     sensitivity, structural, merge, slurm
//	bam plot [-o FILE] [--panel NAME] [--burn-in N] RUN_DIR
//	                                     draw the figures of a run folder
//	bam bench [--quick] [--large] [--json FILE] [--seeds N --workers W]
//	                                     measure speed and memory
//	bam version                          print the version, commit, Go version and
//	                                     platform (also: bam --version)
//	bam completion bash|zsh|fish         print the shell's completion script
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
//	        Worker.wage,Lender.equity_base); writes collect-firms.csv,
//	        collect-households.csv, collect-banks.csv, collect-economy.csv
//	        (those of the kinds collected)
//	--format csv|parquet
//	        format of the collected data (collect-firms.parquet, ...);
//	        parquet also writes economy.parquet
//	--layout panel|long|wide
//	        layout of the collected data: panel (default; one file per
//	        agent kind and one for the economy series, a row per period and
//	        agent, a column per variable, firms and banks with persistent
//	        ids), long (collect.csv: period,agent,variable,value) or wide
//	        (collect-<variable>.csv, a row per period, a column per agent)
//	--wide  the same as --layout wide
//	--id-columns LIST
//	        start every table of the folder with the constant columns LIST:
//	        scenario and parameter names (seed, or scenario,seed,beta)
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
// exit status 3 like an unwritable output folder, and they are removed
// again if the run fails or is interrupted.
//
// It writes three files into a temporary folder next to the output folder
// (.DIR.tmp-XXXX) and renames it into place at the end, so that a failed or
// interrupted run leaves nothing behind:
//
//   - economy.csv: one row per period, the columns of bam.Columns; floats in
//     their shortest round-trip form, so equal runs give identical bytes;
//   - firms.csv: the last period's firms, one row per firm slot (firm = 0,
//     1, ...): production and debt (principal plus interest of the loans
//     of the period) at firms_run_production, then end-of-period price,
//     net_worth, labor, wage_offer, inventory, total_funds,
//     desired_production, vacancies, wage_bill and labor_productivity;
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
// firms.csv and run.json, read by column name) into one PNG, SVG, PDF or
// EPS image, by the extension of -o/--output (default RUN_DIR/figures.png):
// log real GDP, unemployment, inflation per year, productivity and real
// wage (time series, burn-in shaded), the Phillips (wage inflation per
// quarter), Okun (in growth rates) and Beveridge curves (after the burn-in)
// and the rank-size plot of the last period's firm output, with the
// post-burn-in statistics. --panel NAME draws one of them (gdp,
// unemployment, inflation, wages, phillips, okun, beveridge, firm_size);
// --size WIDTH,HEIGHT (in, cm, mm or pt: 3.5in,2.6in) sets the image's size,
// fonts scaling with it; --burn-in N sets the burn-in (default: the first
// half of the run). Several run folders of one scenario (bam plot
// runs/seed-* -o ensemble.pdf) are drawn as an ensemble: each series as its
// mean over the runs with a band from the 5th to the 95th percentile. The
// file is written to a temporary name and renamed, so a failure leaves
// nothing behind. bam run --plot draws figures.png into its output folder.
//
// # bam version
//
// bam version (and bam --version, -v) prints the version, the commit the
// binary was built from and whether the tree had uncommitted changes, the
// Go version and the platform:
//
//	bam version 3a70cb7-dirty
//	commit: 3a70cb71991482898342451bd4b358d28bfa64f0 (modified)
//	go: go1.26.8
//	platform: linux/amd64
//
// The version is the one stamped at link time (make build stamps git
// describe, the commit and whether the tree was modified with -ldflags
// -X), else the module version the go command recorded (go install
// module@version), else "devel"; the commit comes from the go command's
// VCS record, else from the stamp. run.json records the same version and
// commit, so that a binary built by go run or with -buildvcs=false still
// names its commit when stamped.
//
// # bam completion
//
// bam completion bash, zsh or fish prints a script that completes the
// commands, subcommands, flags and embedded scenario names in that shell,
// falling back to file names; the program lists the candidates itself
// (urfave/cli's protocol: the words typed, then
// --generate-bash-completion), so the completion of a program built on
// [Main] knows that program's commands. To install:
//
//	source <(bam completion bash)                                  # in ~/.bashrc
//	bam completion zsh > "${fpath[1]}/_bam"                        # or source <(bam completion zsh) after compinit
//	bam completion fish > ~/.config/fish/completions/bam.fish
//
// # Exit status
//
// One scheme for every command:
//
//	0    success
//	1    the work was done and a check failed: a pass rate below --gate
//	     (validate, stability, stability merge), two results that differ
//	     (stability compare --exact), an economy whose state went NaN or
//	     infinite (run: the periods run are written)
//	2    bad input, refused before any work: an unknown command or flag, a
//	     value out of range, a missing or malformed scenario, an unknown
//	     parameter or system, an existing non-empty --out, an output that
//	     is one of the inputs, an unusable input file (a damaged or foreign
//	     checkpoint, journal, result or run folder; journals of different
//	     studies; a missing folder to merge)
//	3    an I/O or internal failure: a file that cannot be read or written
//	     (permissions, a missing parent folder, a full disk), a journal in
//	     use by another process
//	130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM (a Slurm time
//	     limit); 129 by SIGHUP (the terminal closed). A second signal
//	     ends the process at once.
//
// Errors are one line on stderr, "bam: <message>". An unknown command,
// subcommand (at every level) or flag names the nearest ones, within an
// edit distance of 2 or by prefix, and flags are written as they are
// typed:
//
//	bam: unknown command "runn"; did you mean "run"? (see bam --help)
//	bam: calibrate: unknown subcommand "morriss"; did you mean "morris"? (see bam calibrate --help)
//	bam: run: unknown flag --sed; did you mean --seed? (see bam run --help)
package cli
