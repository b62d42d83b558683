package owner

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		tag  string
		pid  int
		host string
		ok   bool
	}{
		{"123@node_01.cluster", 123, "node_01.cluster", true},
		{"1@h", 1, "h", true},
		{"0@h", 0, "", false},
		{"-5@h", 0, "", false},
		{"012@h", 0, "", false},
		{"12@", 0, "", false},
		{"12", 0, "", false},
		{"x@h", 0, "", false},
		{"12@a-b", 0, "", false},
		{"12@a@b", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		pid, host, ok := Parse(tt.tag)
		if pid != tt.pid || host != tt.host || ok != tt.ok {
			t.Errorf("Parse(%q) = %d, %q, %v; want %d, %q, %v", tt.tag, pid, host, ok, tt.pid, tt.host, tt.ok)
		}
	}
}

func TestTag(t *testing.T) {
	tag := Tag()
	pid, h, ok := Parse(tag)
	if !ok || pid != os.Getpid() || h != host() {
		t.Fatalf("Tag() = %q does not parse to this process", tag)
	}
	if strings.ContainsAny(tag, "-/ ") {
		t.Errorf("Tag() = %q holds a character file names or Parse cannot take", tag)
	}
}

// TestEnded checks the four cases: this process, a running child, the
// same child after it ended, and another host's process.
func TestEnded(t *testing.T) {
	if Ended(Tag()) {
		t.Error("this process is reported ended")
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start a child process to watch: %v", err)
	}
	tag := tagOf(cmd.Process.Pid, host())
	if Ended(tag) {
		t.Error("a running child is reported ended")
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if !Ended(tag) {
		t.Error("a child that was killed and reaped is not reported ended")
	}
	if Ended(tagOf(cmd.Process.Pid, host()+"_other")) {
		t.Error("a process of another host is reported ended")
	}
	if Ended("garbage") {
		t.Error("a malformed tag is reported ended")
	}
}
