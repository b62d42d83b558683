package cli

// completionFlag is the flag the shell completion scripts append to the
// words typed so far to ask the program for the next word's candidates
// (urfave/cli's protocol).
const completionFlag = "--generate-bash-completion"

// completing reports whether args (without the program name) ask for
// completions.
func completing(args []string) bool {
	return len(args) > 0 && args[len(args)-1] == completionFlag
}
