package main

import (
	"context"
	"os"

	"github.com/bam-abm/bam/cli"
)

func main() { os.Exit(cli.Main(context.Background(), os.Args)) }
