# bam — developer tasks. `make help` lists them.
GO ?= go
STATICCHECK = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

# What `bam version` and run.json report, stamped at link time
# (internal/buildinfo); a build outside a git clone stamps nothing.
BUILDINFO = github.com/bam-abm/bam/internal/buildinfo
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
MODIFIED ?= $(shell git rev-parse HEAD >/dev/null 2>&1 && { git diff --quiet HEAD -- && echo false || echo true; })
LDFLAGS = -X $(BUILDINFO).version=$(VERSION) -X $(BUILDINFO).commit=$(COMMIT) -X $(BUILDINFO).modified=$(MODIFIED)

.PHONY: help build run test test-short race lint fmt ci clean profile bench bench-compare bench-baseline pgo identical

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

build: ## build the bam binary into ./bam, stamped with git describe and the commit (bam version)
	$(GO) build -ldflags '$(LDFLAGS)' -o bam ./cmd/bam

run: ## run the embedded baseline scenario (1000 periods) into ./runs/
	$(GO) run -ldflags '$(LDFLAGS)' ./cmd/bam run

test: ## run every test, including the 20-seed equivalence gate
	$(GO) test -count=1 ./...

test-short: ## run the tests without the long fidelity runs
	$(GO) test -short ./...

race: ## run the short tests under the race detector
	$(GO) test -race -short ./...

lint: ## gofmt, go vet and staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(STATICCHECK) ./...

fmt: ## format the code
	gofmt -w $$(git ls-files '*.go')

ci: ## what CI runs
	bash .ci/run

identical: ## check that the model's output is byte-identical to that of BASE=<git ref> (runs, validate, stability)
	@test -n "$(BASE)" || { echo "usage: make identical BASE=<git ref>"; exit 2; }
	bash .ci/identical.sh $(BASE)

# Performance (not part of CI). See docs/performance.md.

FIRMS ?= 100
HOUSEHOLDS ?= $(shell echo $$(( 5 * $(FIRMS) )))
BANKS ?= $(shell b=$$(( $(FIRMS) / 10 )); echo $$(( b > 0 ? b : 1 )))
PROFILE_PERIODS ?= 1000

profile: ## CPU profile of a 1000-period run at FIRMS firms (default 100; 5 households, 0.1 bank per firm) into cpu.prof
	$(GO) build -ldflags '$(LDFLAGS)' -o bam ./cmd/bam
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	./bam run --quiet --periods $(PROFILE_PERIODS) --firms $(FIRMS) --households $(HOUSEHOLDS) --banks $(BANKS) \
		--cpuprofile cpu.prof --out "$$out/run"
	@echo "== $(PROFILE_PERIODS) periods, $(FIRMS) firms / $(HOUSEHOLDS) households / $(BANKS) banks: cumulative (by system: look for systems.*.Update)"
	$(GO) tool pprof -top -cum -nodecount 30 bam cpu.prof
	@echo "== flat"
	$(GO) tool pprof -top -nodecount 30 bam cpu.prof
	@echo "== open it in a browser: go tool pprof -http=:8080 cpu.prof"
	@echo "   (pprof samples at 100 Hz: for more samples use PROFILE_PERIODS=20000 or a larger FIRMS)"

bench: ## every benchmark of every package, with allocations
	$(GO) test -bench . -benchmem -run '^$$' ./...

BENCH ?= Pipeline|Simulation
BENCH_COUNT ?= 6
BENCH_THRESHOLD ?= 15

bench-compare: ## compare the bench/ suites (BENCH, default Pipeline|Simulation) of BASE=<git ref> and the working tree
	@test -n "$(BASE)" || { echo "usage: make bench-compare BASE=<git ref> [BENCH='Pipeline|Simulation'] [BENCH_COUNT=6]"; exit 2; }
	@set -e; tmp=$$(mktemp -d); \
	trap 'git worktree remove --force "$$tmp/base" >/dev/null 2>&1 || true; rm -rf "$$tmp"' EXIT; \
	git worktree add --quiet --detach "$$tmp/base" "$(BASE)"; \
	echo "== building the benchmarks of $(BASE) ($$(git rev-parse --short "$(BASE)")) and of the working tree"; \
	(cd "$$tmp/base" && $(GO) test -c -o "$$tmp/old.test" ./bench); \
	$(GO) test -c -o "$$tmp/new.test" ./bench; \
	echo "== running -bench '$(BENCH)' $(BENCH_COUNT) times each, alternating old and new"; \
	for i in $$(seq $(BENCH_COUNT)); do \
		echo "   round $$i of $(BENCH_COUNT)"; \
		(cd bench && "$$tmp/old.test" -test.run '^$$' -test.bench '$(BENCH)' -test.benchmem -test.count 1) >> "$$tmp/old.txt"; \
		(cd bench && "$$tmp/new.test" -test.run '^$$' -test.bench '$(BENCH)' -test.benchmem -test.count 1) >> "$$tmp/new.txt"; \
	done; \
	cp "$$tmp/old.txt" bench/old.out; cp "$$tmp/new.txt" bench/new.out; \
	echo "== raw results in bench/old.out and bench/new.out"; \
	$(GO) tool benchstat base=bench/old.out new=bench/new.out; \
	echo; \
	$(GO) tool benchstat -format csv base=bench/old.out new=bench/new.out 2>/dev/null \
		| $(GO) run ./bench/cmd/benchgate -threshold $(BENCH_THRESHOLD)

bench-baseline: ## regenerate bench/baseline.txt (Pipeline and Simulation, -count 6) on this machine
	@set -e; tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	commit=$$(git rev-parse --short HEAD); \
	if [ -n "$$(git status --porcelain --untracked-files=no)" ]; then commit="$$commit-dirty"; fi; \
	cpu=$$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); \
	echo "# bam bench baseline: $$cpu, $$(nproc) cores, $$($(GO) env GOVERSION), $$(date -u +%Y-%m-%d), commit $$commit" > "$$tmp"; \
	echo "# go test -bench 'Pipeline|Simulation' -count 6 -run '^\$$' ./bench" >> "$$tmp"; \
	$(GO) test -bench 'Pipeline|Simulation' -count 6 -run '^$$' ./bench | tee -a "$$tmp"; \
	cp "$$tmp" bench/baseline.txt; echo "wrote bench/baseline.txt"

clean: ## remove build outputs
	rm -f bam *.prof *.test trace.out bench/old.out bench/new.out

pgo: ## refresh cmd/bam/default.pgo, the CPU profile cmd/bam is built with (profile-guided optimisation), from validating seeds of the three scenarios
	$(GO) test -run '^$$' -bench '^BenchmarkSeed$$' -benchtime 30x -cpuprofile cmd/bam/default.pgo ./validation
	rm -f validation.test
