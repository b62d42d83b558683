package results

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/bam-abm/bam/internal/owner"
)

// TestFindStale checks that only the temporary run folders of ended
// processes of this host are listed: not this process's, a running
// process's, another host's, an untagged one, a file, nor a committed run.
func TestFindStale(t *testing.T) {
	parent := t.TempDir()
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Skipf("cannot run a child process to get an ended PID: %v", err)
	}
	running := exec.Command("sleep", "30")
	if err := running.Start(); err != nil {
		t.Skipf("cannot start a child process: %v", err)
	}
	defer func() { _ = running.Process.Kill(); _ = running.Wait() }()
	_, host, _ := owner.Parse(owner.Tag())
	tag := func(pid int, host string) string { return strconv.Itoa(pid) + "@" + host }

	mk := func(name string, dir bool) string {
		p := filepath.Join(parent, name)
		var err error
		if dir {
			err = os.Mkdir(p, 0o755)
		} else {
			err = os.WriteFile(p, nil, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := mk(tempPrefix("killed-run")+tag(ended.Process.Pid, host)+"-123", true)
	mk(tempPrefix("mine")+owner.Tag()+"-1", true)
	mk(tempPrefix("running")+tag(running.Process.Pid, host)+"-2", true)
	mk(tempPrefix("elsewhere")+tag(ended.Process.Pid, host+"_other")+"-3", true)
	mk(tempPrefix("old")+"4567", true)
	mk(tempPrefix("a-file")+tag(ended.Process.Pid, host)+"-5", false)
	mk("committed-run", true)

	r, err := Create(filepath.Join(parent, "live"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Discard()

	got, err := FindStale(parent)
	if err != nil {
		t.Fatal(err)
	}
	wantStale := []Stale{{Dir: want, Target: filepath.Join(parent, "killed-run"), PID: ended.Process.Pid}}
	if !slices.Equal(got, wantStale) {
		t.Errorf("FindStale = %+v, want %+v", got, wantStale)
	}
	if s, err := FindStale(filepath.Join(parent, "missing")); s != nil || err != nil {
		t.Errorf("FindStale of a missing folder = %v, %v; want none", s, err)
	}
}
