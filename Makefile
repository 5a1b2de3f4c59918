# Dossier — build, run and test. `make run` and `make test` are the two
# set-up commands in README.md; both install missing system packages first.

GO      ?= go
BIN     ?= ./dossier
# cgo GLFW needs the GL and X11 headers; tests also need Xvfb and ImageMagick
# for the smoke test that opens the real window.
BUILD_PKGS := libgl1-mesa-dev xorg-dev
TEST_PKGS  := $(BUILD_PKGS) xvfb imagemagick xdotool strace
BENCH_PKGS := $(BUILD_PKGS) sqlite3 time
FUZZTIME ?= 30s

.PHONY: run build test bench bench-1m fuzz vet deps-build deps-test deps-bench clean

run: deps-build build
	$(BIN)

build:
	$(GO) build -o $(BIN) .

test: deps-test
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	@# Compiles PDFium (WebAssembly) into the user cache once without the race
	@# detector: race-instrumented, that compile takes minutes in every package.
	$(GO) test -count=1 -run '^TestPDFStartup$$' ./ingest
	$(GO) test -race -timeout 30m ./...
	@# Bleve's segment format, patched (third_party/zapx/DOSSIER.md): its own tests.
	cd third_party/zapx && $(GO) test -count=1 .

# Import and query benchmarks against SQLite FTS5 on BENCH_N real-language
# documents built from Debian packages (see docs/PERFORMANCE.md).
BENCH_N ?= 100000
bench: deps-bench build
	./bench/fetch-corpus.sh
	$(GO) run ./bench/cmd/dossierbench -bin $(BIN) -n $(BENCH_N)

# The same at 1,000,000 documents, one import per engine, reported in
# docs/PERFORMANCE-1M.md; needs ~20 GB free in the bench folder
# ($$DOSSIER_BENCH_DIR, default ~/.cache/dossier-bench).
bench-1m: deps-bench build
	./bench/fetch-corpus.sh
	$(GO) run ./bench/cmd/dossierbench -bin $(BIN) -n 1000000 -import-runs 1

# Every fuzz target for FUZZTIME each; findings land in testdata/fuzz/.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

deps-build:
	@./scripts/apt-need.sh $(BUILD_PKGS)
deps-test:
	@./scripts/apt-need.sh $(TEST_PKGS)
deps-bench:
	@./scripts/apt-need.sh $(BENCH_PKGS)

clean:
	rm -f $(BIN)
