# The two commands of the README:
#   make demo   installs what grading needs (scripts/setup-deps.sh), builds the grader and grades
#               the bundled example submission, the empty template and a small class
#   make test   installs what the tests need too (scripts/setup-deps.sh test: Slurm, munge,
#               Chromium, clang, ...; no service is started), builds everything and runs every
#               test, then again under AddressSanitizer/UBSan, then the fuzzers for 20 s
# And: make package (the Debian package, build/package/kl-grader_<version>_<arch>.deb),
# make install (PREFIX=/usr/local), make student-kit (build/student-kit/ and its .tar.gz: a
# grader for students that needs nothing but glibc 2.34, docs/student-kit.md), make test-repeat
# N=20 [TESTS=regex] for a flaky test (docs/testing.md). Missing Debian packages are installed
# first, only those the target needs.

BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
PREFIX ?= /usr/local

.PHONY: all setup build demo test test-sanitize sanitize-build test-repeat bench bench-batch \
	bench-output bench-deps clean package install student-kit

all: build

# Which packages `setup` installs (scripts/setup-deps.sh) and whether the build must have the
# tests: set per target below, and in force for that target's prerequisites too (build, setup).
DEPS := build
BUILD_TESTS := AUTO
test test-sanitize sanitize-build test-repeat fuzz fuzz-build: DEPS := test
test test-sanitize sanitize-build test-repeat: BUILD_TESTS := ON
package: DEPS := package
student-kit: DEPS := kit
bench bench-batch bench-output: DEPS := bench

setup:
	@scripts/setup-deps.sh $(DEPS)

# AUTO builds the tests when their packages are installed, so `make demo` on a fresh machine
# builds the grader alone; `make test` asks for them (ON), and a missing one is an error.
build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DGRADER_BUILD_TESTS=$(BUILD_TESTS) $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The Debian package, made by CPack from what `make install` would install, under /usr.
package: build
	cmake --build $(BUILD_DIR) --target package
	@echo "make package: $$(ls $(BUILD_DIR)/package/kl-grader_*.deb)" \
		"(install it with: apt-get install ./$$(ls $(BUILD_DIR)/package/kl-grader_*.deb))"

# The grader and everything grading needs, under PREFIX (DESTDIR=... stages it elsewhere).
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# The student kit, from a build of its own (every library but glibc linked statically) in
# KIT_BUILD_DIR, into $(BUILD_DIR)/student-kit and $(BUILD_DIR)/student-kit.tar.gz. Compiled as
# the normal build is (RelWithDebInfo), so it grades alike; the kit's copies are stripped.
KIT_BUILD_DIR ?= build-kit
student-kit: setup
	cmake -S . -B $(KIT_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRADER_STATIC_KIT=ON \
		-DGRADER_KIT_DIR=$(abspath $(BUILD_DIR))/student-kit $(CMAKE_FLAGS)
	cmake --build $(KIT_BUILD_DIR) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD_DIR)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-sanitize
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20

# The grader and its tests built with AddressSanitizer and UBSan (never the submissions).
test-sanitize: sanitize-build
	ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

sanitize-build: setup
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=Debug -DGRADER_SANITIZE=ON \
		-DGRADER_BUILD_TESTS=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)

# For a test that fails only now and then: the normal suite, then the sanitized one, each test run
# up to N times until it fails (CTest's --repeat until-fail:N); TESTS=regex runs only the tests it
# matches (ctest -R). Every run of a test starts from an empty folder of its own and a
# clean environment (docs/testing.md), so a repeat sees nothing an earlier one left. N and TESTS
# are taken from make's command line only, never from the environment.
N := 5
TESTS :=
REPEAT = ctest --output-on-failure -j $(JOBS) --repeat until-fail:$(N) $(if $(TESTS),-R '$(TESTS)')
repeat_failed = { echo "test-repeat: the $(1) suite failed, see above (each test run up to $(N) \
	times)" >&2; exit 1; }
test-repeat: build
	@$(REPEAT) --test-dir $(BUILD_DIR) || $(call repeat_failed,normal ($(BUILD_DIR)))
	@$(MAKE) --no-print-directory sanitize-build
	@$(REPEAT) --test-dir $(SANITIZE_DIR) || $(call repeat_failed,sanitized ($(SANITIZE_DIR)))
	@echo "test-repeat: every test passed $(N) runs, in the normal and the sanitized suites"

bench: build
	@scripts/bench.sh $(BUILD_DIR)

# grader batch on classes of 100 and 1,000 submissions, at --jobs 1 and 2, and grader grade,
# side by side with the course notebook run as nbgrader runs it (when bench-deps is installed).
bench-batch: build
	@scripts/bench_batch.sh $(BUILD_DIR)

# grader grade of libraries printing 200,000 lines per call beside the same printing nothing,
# and grader batch of a class with one of them (needs bench-deps' hyperfine).
bench-output: build
	@scripts/bench_output.sh $(BUILD_DIR)

# Jupyter and the notebook's imports, for bench-batch's notebook figure, and hyperfine for
# bench-output (not needed by the tests).
bench-deps:
	@scripts/setup-bench-deps.sh

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(KIT_BUILD_DIR)

# libFuzzer harnesses of fuzz/ (docs/fuzzing.md), built with clang in a dir of their own; each
# runs for FUZZ_SECONDS from the committed corpus (`make test` runs them for 20 s).
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
.PHONY: fuzz fuzz-build
fuzz-build: setup
	cmake -S . -B $(FUZZ_DIR) -DGRADER_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ $(CMAKE_FLAGS)
	cmake --build $(FUZZ_DIR) -j $(JOBS)

fuzz: fuzz-build
	@scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)
