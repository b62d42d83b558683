//go:build !unix

package study

import "os"

// LockFile does nothing where advisory locks are not available.
func LockFile(*os.File) error { return nil }
