// Package bench holds the engine-level benchmark suites. Component-level
// benchmarks live next to the code they measure (markets, loans, ecs/rng).
//
// The suites, one file each:
//
//   - BenchmarkSimulation (simulation_test.go): whole runs of 100 and 1000
//     periods, fresh simulation per iteration, at the seed table's sizes
//     (100/500/10, 200/1000/10, 500/2500/10); ns/period.
//   - BenchmarkPipeline (pipeline_test.go): one steady-state period at
//     100/500/10, 1000/5000/100, 5000/25000/500 and 20000/100000/2000;
//     ns/agent.
//   - BenchmarkMemory (memory_test.go): bytes and allocations per period and
//     per initialisation, and the live heap of a simulation (live-B,
//     live-B/agent).
//   - BenchmarkCriticalEvent (event_test.go): the time of one event inside
//     real periods (the markets' sampling and matching); its ns/op is the
//     event's, see the file's comment for the method.
//   - BenchmarkInit (init_test.go): building a simulation, 100 to 1000 firms
//     and 200 000 firms.
//   - BenchmarkLoanBook (loanbook_test.go): append, aggregate and purge of a
//     full loan book at the engine's sizes.
//   - BenchmarkScaling (scaling_test.go): one period from 305 to 1.22
//     million agents; the largest case only with BAM_BENCH_LARGE=1 or when
//     -bench names it.
//
// Every suite uses b.Loop, reports allocations and names its sub-benchmarks
// by population (firms=N), so that benchstat can compare runs:
//
//	go test -run '^$' -bench . -benchmem ./bench
//	go test -run '^$' -bench 'Pipeline|Simulation' -count 6 ./bench > new.txt
//	go tool benchstat old.txt new.txt
//
// make bench-compare BASE=<git ref> does the comparison against another
// commit and flags regressions (see docs/performance.md). Speed is measured
// here, never asserted; the one performance property that is asserted, zero
// allocations per steady-state period, is TestStepAllocatesNothing in the
// root package.
package bench
