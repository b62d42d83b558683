// Command benchgate flags performance regressions in a benchstat
// comparison. It reads the CSV output of benchstat comparing two runs
// (go tool benchstat -format csv old.txt new.txt) from a file or standard
// input and reports every benchmark whose change against the base is
// statistically significant (benchstat prints a delta rather than "~") and
// worse than the threshold:
//
//   - a time, size or count per op (sec/op, sec/agent, B/op, allocs/op, ...)
//     that grew by more than the threshold;
//   - a throughput (a unit ending in "/s") that fell by more than it;
//   - a value that was 0 in the base and is positive now (benchstat's "?"),
//     such as a period that starts to allocate.
//
// Usage:
//
//	go tool benchstat -format csv old.txt new.txt | go run ./bench/cmd/benchgate [-threshold 15] [-ignore units]
//
// The exit status is 0 when nothing regressed, 1 when something did, and 2
// when the input holds no comparison (benchstat was given one file, or the
// input is not benchstat's CSV).
package main
