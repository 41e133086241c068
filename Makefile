# Thin wrapper over CMake presets. Every target installs missing dependencies and
# rebuilds what is stale before it runs.
#   make demo       the bundled example cases: the manager's summary in the terminal and an
#                   HTML report of each (installs only the build dependencies and builds
#                   only bmil and its plugins)
#   make test       the whole test suite (release build)
#   make test-asan  the test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      the benchmarks
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
RELEASE := build/release
ASAN := build/debug-asan
BMIL := $(RELEASE)/bin/bmil

.PHONY: all deps build demo test test-asan bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

$(RELEASE)/CMakeCache.txt: | deps
	cmake --preset release

# A build tree configured by `make demo` has no tests: configure it again with them.
build: deps $(RELEASE)/CMakeCache.txt
	@grep -qs '^BMIL_BUILD_TESTS:BOOL=ON' $(RELEASE)/CMakeCache.txt || cmake --preset release
	cmake --build --preset release -j $(JOBS)

demo:
	@bash scripts/install-deps.sh --demo
	@[ -f $(RELEASE)/CMakeCache.txt ] || cmake --preset demo
	cmake --build $(RELEASE) --target bmil_bundle -j $(JOBS)
	@bash scripts/demo.sh $(RELEASE)

test: build
	ctest --preset release -j $(JOBS)

$(ASAN)/CMakeCache.txt: | deps
	cmake --preset debug-asan

test-asan: deps $(ASAN)/CMakeCache.txt
	cmake --build --preset debug-asan -j $(JOBS)
	ctest --preset debug-asan -j $(JOBS)

bench: build
	bash bench/run.sh $(RELEASE)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp' '*.h' '*.c')

clean:
	rm -rf build

# The fuzz targets (clang, ASan + UBSan): seeds made with the release build, then a bounded
# run of each; `bash scripts/fuzz.sh 3600` fuzzes longer (docs/fuzzing.md).
.PHONY: fuzz
fuzz: build
	bash scripts/fuzz.sh
