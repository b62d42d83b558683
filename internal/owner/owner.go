package owner

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Tag returns this process's tag, "PID@HOST", with the host name reduced
// to letters, digits, '.' and '_' (other bytes become '_'), so that the tag
// can be part of a file name and contains no '-'. It calls os.Hostname.
func Tag() string {
	return tagOf(os.Getpid(), host())
}

// tagOf is the tag of process pid on host.
func tagOf(pid int, host string) string {
	return fmt.Sprintf("%d@%s", pid, host)
}

// host returns the sanitized host name ("unknown" if it cannot be read).
func host() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "unknown"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_':
			return r
		}
		return '_'
	}, h)
}

// Parse splits a tag into the PID and host; ok is false if tag is not one.
func Parse(tag string) (pid int, host string, ok bool) {
	p, h, found := strings.Cut(tag, "@")
	if !found || h == "" || strings.ContainsAny(h, "@-/") {
		return 0, "", false
	}
	pid, err := strconv.Atoi(p)
	if err != nil || pid <= 0 || strconv.Itoa(pid) != p {
		return 0, "", false
	}
	return pid, h, true
}

// Ended reports whether tag names a process of this host that no longer
// runs. It is false for a malformed tag, another host's process, this
// process, and a process that runs (or whose state cannot be known), so
// that a leftover judged stale is one that nothing can still be using. A
// PID reused by a new process keeps the leftover until that process ends.
func Ended(tag string) bool {
	pid, h, ok := Parse(tag)
	if !ok || h != host() || pid == os.Getpid() {
		return false
	}
	return !alive(pid)
}

// alive reports whether process pid may exist: signal 0 checks without
// sending anything. Only "no such process" counts as ended; any other
// answer (EPERM: it runs under another user) counts as alive.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}
