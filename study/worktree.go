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
		_, _ = Git(context.WithoutCancel(ctx), repo, "worktree", "remove", "--force", wt)
		_ = os.RemoveAll(tmp)
	}
	if _, err := Git(ctx, repo, "worktree", "add", "--detach", "--quiet", wt, commit); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("git worktree add: %w", err)
	}
	name := filepath.Base(pkg)
	if name == "." || name == string(filepath.Separator) {
		name = "main"
	}
	bin = filepath.Join(tmp, name)
	build := exec.CommandContext(ctx, "go", "build", "-buildvcs=auto", "-o", bin, pkg)
	build.Dir = wt
	var berr bytes.Buffer
	build.Stderr = &berr
	if err := build.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("does not build: %s", lastLine(berr.String(), err))
	}
	return bin, cleanup, nil
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
