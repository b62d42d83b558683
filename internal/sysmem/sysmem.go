package sysmem

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// Limit is the memory a process can still use and where that figure comes
// from.
type Limit struct {
	// Bytes is the memory available.
	Bytes uint64
	// Source says where Bytes comes from, e.g. "MemAvailable in
	// /proc/meminfo" or "the memory cgroup limit (/sys/fs/cgroup/job/memory.max)".
	Source string
}

// Available returns the memory this process can still use, and false when
// it is not known (not Linux, or /proc unreadable). It reads a few small
// files; call it once per command.
func Available() (Limit, bool) {
	return available(os.DirFS("/"))
}

// available is Available on the file system fsys, rooted at "/".
func available(fsys fs.FS) (Limit, bool) {
	var best Limit
	found := false
	take := func(l Limit) {
		if !found || l.Bytes < best.Bytes {
			best, found = l, true
		}
	}
	if b, err := fs.ReadFile(fsys, "proc/meminfo"); err == nil {
		if kb, ok := meminfoField(b, "MemAvailable"); ok {
			take(Limit{Bytes: kb * 1024, Source: "MemAvailable in /proc/meminfo"})
		}
	}
	if l, ok := cgroupLimit(fsys); ok {
		take(l)
	}
	return best, found
}

// meminfoField returns the value of field (in kB) in /proc/meminfo's
// content b.
func meminfoField(b []byte, field string) (uint64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		v, err := strconv.ParseUint(f[0], 10, 64)
		return v, err == nil
	}
	return 0, false
}

// cgroupLimit returns the room left under the memory limit of this
// process's cgroup: v2 (the "0::" line of /proc/self/cgroup) or v1 (its
// "memory" controller line). No limit ("max", or v1's huge default) is
// no figure.
func cgroupLimit(fsys fs.FS) (Limit, bool) {
	b, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		return Limit{}, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		rel := strings.TrimPrefix(parts[2], "/")
		switch {
		case parts[0] == "0" && parts[1] == "":
			// v2: the limit may sit on the cgroup or any ancestor.
			for dir := rel; ; dir = path.Dir(dir) {
				base := path.Join("sys/fs/cgroup", dir)
				if l, ok := room(fsys, base, "memory.max", "memory.current"); ok {
					return l, true
				}
				if dir == "." || dir == "" || dir == "/" {
					break
				}
			}
		case hasController(parts[1], "memory"):
			base := path.Join("sys/fs/cgroup/memory", rel)
			if l, ok := room(fsys, base, "memory.limit_in_bytes", "memory.usage_in_bytes"); ok {
				return l, true
			}
		}
	}
	return Limit{}, false
}

// hasController reports whether the comma-separated list holds name.
func hasController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// room returns limit − usage read from the files limitFile and usageFile
// of the cgroup folder base; no limit (unreadable, "max", or at least
// 2⁶² bytes, cgroup v1's "unlimited") is no figure.
func room(fsys fs.FS, base, limitFile, usageFile string) (Limit, bool) {
	lb, err := fs.ReadFile(fsys, path.Join(base, limitFile))
	if err != nil {
		return Limit{}, false
	}
	limit, err := strconv.ParseUint(strings.TrimSpace(string(lb)), 10, 64)
	if err != nil || limit >= 1<<62 {
		return Limit{}, false
	}
	var usage uint64
	if ub, err := fs.ReadFile(fsys, path.Join(base, usageFile)); err == nil {
		usage, _ = strconv.ParseUint(strings.TrimSpace(string(ub)), 10, 64)
	}
	left := uint64(0)
	if limit > usage {
		left = limit - usage
	}
	return Limit{Bytes: left, Source: "the memory cgroup limit (/" + path.Join(base, limitFile) + ")"}, true
}
