package study

import "syscall"

// childAttr makes a child process die with this one (Pdeathsig): a bam
// killed with kill -9 leaves no orphaned go build or child bam behind.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
