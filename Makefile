# The two commands of the README, and the rest.
#   make        builds build/qorgan (the packages must be there)
#   make run    installs what is missing, builds, serves the demo
#   make check  installs what is missing, builds, runs every test,
#               then again under AddressSanitizer and UBSan, then fuzzes
#   make bench  measures and writes docs/BENCHMARKS.md
#   make fmt    formats the C sources

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DB         ?= var/qorgan.db
JOBS       ?= $(shell nproc)
CTEST       = ctest --output-on-failure --timeout 600
SOURCES     = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find src tests fuzz bench -name '*.[ch]')

.PHONY: all build deps run check check-release check-asan check-fuzz \
        check-format check-po bench fmt clean

all: build

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

deps:
	./scripts/deps.sh

run: deps
	$(MAKE) build
	mkdir -p var
	./$(BUILD)/qorgan serve --demo --db $(DB)

check: deps
	./scripts/e2e-deps.sh
	$(MAKE) check-format check-po check-release check-asan check-fuzz

check-release: build
	mkdir -p $(BUILD)/tmp
	cd $(BUILD) && $(CTEST) -L 'unit|api|e2e'

check-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DQORGAN_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	mkdir -p $(ASAN_BUILD)/tmp
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(CTEST) -L 'unit|api|e2e'

check-fuzz:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DQORGAN_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	cd $(FUZZ_BUILD) && $(CTEST) -L fuzz

check-format:
	@bad=$$(for f in $(SOURCES); do clang-format --dry-run -Werror $$f >/dev/null 2>&1 || echo $$f; done); \
	if [ -n "$$bad" ]; then echo "not formatted (make fmt):"; echo "$$bad"; exit 1; fi

check-po:
	./scripts/po-check.sh

bench: deps build
	./bench/run.sh $(BUILD)/qorgan

fmt:
	clang-format -i $(SOURCES)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
