// Package calibration is the calibration tooling of validation spec §10:
// the parameter space (Space, DefaultSpace, ReadGrid), Morris screening
// (Trajectories, Morris), OAT sensitivity from spec §10's baselines
// (SensitivityBaseline, OAT; a screening in the same form:
// MorrisResult.Sensitivity) and the pairwise interactions of its INCLUDE
// parameters (Pairwise), the focused grid, grid screening and tiered
// stability (Focus, Search, Rank, ParseTiers, PlanTier), the winner's
// export as a scenario file (Export), cross-evaluation over scenarios
// (CrossEval, RankCross), the cost analysis (Cost, DefaultSwaps), the
// rescreen of one group at a winner (Rescreen, SensitivityCollapse),
// staged sweeps (StagedSweep, ParseStage), grid constraints (Constraint,
// Space.Constrain), the default pipeline of them (Pipeline), the HTML
// report of the phases' results (Report, with the readers ReadMorris,
// ReadSearch, ReadCross and ReadCost), and the scores and rules the
// phases share (Evaluate, Combined, Prune, CostClass).
//
// Every phase evaluates configurations × seeds on the journaled engine of
// package experiments (Execution), so it runs over workers, resumes after
// any stop and gives the same result whatever the number of workers; a
// phase is a chain of stages, and with Execution.Shard each process runs
// one shard of each stage (IncompleteError until the other shards have
// finished it), which is how a phase runs as Slurm job arrays. The
// score is the scenario's validation total_score (spec §4); a job that
// crashed (its state went NaN or infinite) or that could not be scored
// scores 0.
package calibration
