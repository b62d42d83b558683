package sysmem

import (
	"testing"
	"testing/fstest"
)

const meminfo = "MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n"

func TestAvailable(t *testing.T) {
	tests := []struct {
		name   string
		files  fstest.MapFS
		bytes  uint64
		source string
		ok     bool
	}{
		{"nothing known", fstest.MapFS{}, 0, "", false},
		{"meminfo only", fstest.MapFS{"proc/meminfo": {Data: []byte(meminfo)}}, 20000000 * 1024, "MemAvailable in /proc/meminfo", true},
		{"meminfo without MemAvailable", fstest.MapFS{"proc/meminfo": {Data: []byte("MemTotal: 5 kB\n")}}, 0, "", false},
		{"cgroup v2 limit below MemAvailable", fstest.MapFS{
			"proc/meminfo":     {Data: []byte(meminfo)},
			"proc/self/cgroup": {Data: []byte("0::/slurm/uid_0/job_7/step_0\n")},
			"sys/fs/cgroup/slurm/uid_0/job_7/memory.max":        {Data: []byte("4294967296\n")},
			"sys/fs/cgroup/slurm/uid_0/job_7/memory.current":    {Data: []byte("1073741824\n")},
			"sys/fs/cgroup/slurm/uid_0/job_7/step_0/memory.max": {Data: []byte("max\n")},
		}, 3 << 30, "the memory cgroup limit (/sys/fs/cgroup/slurm/uid_0/job_7/memory.max)", true},
		{"cgroup v2 without a limit", fstest.MapFS{
			"proc/meminfo":                        {Data: []byte(meminfo)},
			"proc/self/cgroup":                    {Data: []byte("0::/user.slice\n")},
			"sys/fs/cgroup/user.slice/memory.max": {Data: []byte("max\n")},
		}, 20000000 * 1024, "MemAvailable in /proc/meminfo", true},
		{"cgroup v1 limit", fstest.MapFS{
			"proc/meminfo":     {Data: []byte(meminfo)},
			"proc/self/cgroup": {Data: []byte("4:cpu,cpuacct:/job\n3:memory:/job\n")},
			"sys/fs/cgroup/memory/job/memory.limit_in_bytes": {Data: []byte("2147483648\n")},
			"sys/fs/cgroup/memory/job/memory.usage_in_bytes": {Data: []byte("3147483648\n")},
		}, 0, "the memory cgroup limit (/sys/fs/cgroup/memory/job/memory.limit_in_bytes)", true},
		{"cgroup v1 unlimited", fstest.MapFS{
			"proc/meminfo":     {Data: []byte(meminfo)},
			"proc/self/cgroup": {Data: []byte("3:memory:/\n")},
			"sys/fs/cgroup/memory/memory.limit_in_bytes": {Data: []byte("9223372036854771712\n")},
		}, 20000000 * 1024, "MemAvailable in /proc/meminfo", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := available(tt.files)
			if ok != tt.ok || l.Bytes != tt.bytes || l.Source != tt.source {
				t.Errorf("got %+v, %v; want {%d %q}, %v", l, ok, tt.bytes, tt.source, tt.ok)
			}
		})
	}
}

func TestAvailableHere(t *testing.T) {
	l, ok := Available()
	if ok && (l.Bytes == 0 || l.Source == "") {
		t.Errorf("Available() = %+v on this machine: known but empty", l)
	}
}
