//go:build !linux

package study

import "syscall"

// childAttr is nil where the system cannot tie a child's life to its
// parent's (see child_linux.go).
func childAttr() *syscall.SysProcAttr { return nil }
