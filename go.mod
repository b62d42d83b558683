module github.com/bam-abm/bam

go 1.26

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/mlange-42/arche v0.15.3
	github.com/urfave/cli/v2 v2.27.7
	gonum.org/v1/gonum v0.17.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
	github.com/cpuguy83/go-md2man/v2 v2.0.7 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	github.com/xrash/smetrics v0.0.0-20240521201337-686a1a2994c1 // indirect
	golang.org/x/perf v0.0.0-20250813145418-2f7363a06fe1 // indirect
)

tool golang.org/x/perf/cmd/benchstat
