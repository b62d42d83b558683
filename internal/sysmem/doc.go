// Package sysmem tells how much memory this process can still use, so that
// a command can refuse work that cannot fit before it allocates anything.
//
// On Linux it reads MemAvailable from /proc/meminfo and the limit of the
// process's memory cgroup (cgroup v2 memory.max minus memory.current, or
// cgroup v1 memory.limit_in_bytes minus memory.usage_in_bytes), which is how
// Slurm and container runtimes bound a job; the smaller one wins. Elsewhere
// nothing is known and [Available] says so.
package sysmem
