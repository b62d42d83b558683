package study

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/bam-abm/bam/internal/owner"
)

// BuildAt builds the main package pkg (such as "./cmd/bam") of the git
// repository repo at commit in a temporary worktree, and returns the
// binary and a cleanup that removes the worktree and the binary (call it
// when done, also after an error of the caller's). A commit that does not
// build is an error with the compiler's last line.
func BuildAt(ctx context.Context, repo, commit, pkg string) (bin string, cleanup func(), err error) {
	tmp, err := os.MkdirTemp("", "bam-history-")
	if err != nil {
		return "", nil, err
	}
	wt := filepath.Join(tmp, "worktree")
	cleanup = func() {
		_, _ = Git(context.WithoutCancel(ctx), repo, "worktree", "remove", "--force", "--force", wt)
		_ = os.RemoveAll(tmp)
	}
	// Locked with its owner, so that git never prunes it while this process
	// runs, and PruneStale removes it once this process has ended.
	if _, err := Git(ctx, repo, "worktree", "add", "--detach", "--quiet", "--lock", "--reason", worktreeReason+owner.Tag(), wt, commit); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("git worktree add: %w", err)
	}
	name := filepath.Base(pkg)
	if name == "." || name == string(filepath.Separator) {
		name = "main"
	}
	bin = filepath.Join(tmp, name)
	build := Command(ctx, "go", "build", "-buildvcs=auto", "-o", bin, pkg)
	build.Dir = wt
	var berr bytes.Buffer
	build.Stderr = &berr
	if err := build.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("does not build: %s", lastLine(berr.String(), err))
	}
	return bin, cleanup, nil
}

// worktreeReason starts the lock reason of BuildAt's worktrees; the owner
// tag (PID@HOST) follows.
const worktreeReason = "bam build of a commit, by process "

// PruneStale removes the worktrees of repo that BuildAt made for a
// process of this host that has ended (kill -9 during bam stability
// --commits), with their temporary folders, then lets git prune the
// records of worktrees whose folders are gone. It returns the worktrees
// removed. Worktrees of running processes, of other hosts and of the user
// are left alone.
func PruneStale(ctx context.Context, repo string) ([]string, error) {
	out, err := Git(ctx, repo, "worktree", "list", "--porcelain")
	if err != nil {
		return nil, fmt.Errorf("git worktree list: %w", err)
	}
	var removed []string
	for _, block := range strings.Split(out, "\n\n") {
		var path, reason string
		for _, l := range strings.Split(block, "\n") {
			if p, ok := strings.CutPrefix(l, "worktree "); ok {
				path = p
			}
			if r, ok := strings.CutPrefix(l, "locked "); ok {
				reason = r
			}
		}
		tag, ok := strings.CutPrefix(reason, worktreeReason)
		if path == "" || !ok || !owner.Ended(tag) {
			continue
		}
		if _, err := Git(ctx, repo, "worktree", "remove", "--force", "--force", path); err != nil {
			// Its folder may be gone already: unlock it for the prune below.
			_, _ = Git(ctx, repo, "worktree", "unlock", path)
		}
		if tmp := filepath.Dir(path); strings.HasPrefix(filepath.Base(tmp), "bam-history-") {
			_ = os.RemoveAll(tmp)
		}
		removed = append(removed, path)
	}
	if _, err := Git(ctx, repo, "worktree", "prune"); err != nil {
		return removed, fmt.Errorf("git worktree prune: %w", err)
	}
	return removed, nil
}

// Command is exec.CommandContext for the child processes of a study (go
// build, a child bam): on Linux the child is killed when this process
// dies, even by kill -9, so that nothing is left running.
func Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = childAttr()
	return cmd
}

// Git runs git (in dir, if not "") and returns its trimmed output; an
// error is git's last line on stderr.
func Git(ctx context.Context, dir string, args ...string) (string, error) {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", errors.New(lastLine(stderr.String(), err))
	}
	return strings.TrimSpace(string(out)), nil
}

// lastLine returns the last non-empty line of s, or err's text.
func lastLine(s string, err error) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	if l := strings.TrimSpace(ls[len(ls)-1]); l != "" {
		return l
	}
	return err.Error()
}
