// Package owner tags the temporary files and folders a process makes with
// that process (its PID and host), so that a later process can tell the
// leftovers of one that ended without cleaning up (kill -9, a crash, a
// node lost) from those of one still running, and clean them.
//
// A tag names a process on one host; leftovers of another host are never
// judged stale, since their process cannot be looked up from here (on a
// file system shared by cluster nodes).
package owner
