//go:build unix

package study

import (
	"os"
	"syscall"
)

// LockFile takes an exclusive advisory lock on f without waiting, so that
// two processes never append to the same journal; it fails at once if
// another process holds it. The lock ends when f is closed.
func LockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
