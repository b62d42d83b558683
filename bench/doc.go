// Package bench holds the engine-level benchmark suites: whole periods at
// several population sizes and initialisation. Component-level benchmarks
// live next to the code they measure (markets, loans, systems).
//
// Run them with
//
//	go test -bench . -benchmem ./bench
package bench
