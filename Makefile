# bam — developer tasks. `make help` lists them.
GO ?= go
STATICCHECK = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help build run test test-short race lint fmt ci clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the bam binary into ./bam
	$(GO) build -o bam ./cmd/bam

run: ## run the embedded baseline scenario (1000 periods) into ./runs/
	$(GO) run ./cmd/bam run

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

clean: ## remove build outputs
	rm -f bam *.prof *.test
