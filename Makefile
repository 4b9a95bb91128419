# The two commands of the README:
#   make demo   builds everything and grades the bundled example submission, the empty template
#               and a small class
#   make test   builds everything and runs every test (then again under AddressSanitizer/UBSan)
# Missing Debian packages are installed first (scripts/setup-deps.sh).

BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all setup build demo test test-sanitize bench bench-batch clean

all: build

setup:
	@scripts/setup-deps.sh

build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD_DIR)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-sanitize

# The grader and its tests built with AddressSanitizer and UBSan (never the submissions).
test-sanitize: setup
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=Debug -DGRADER_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

bench: build
	@scripts/bench.sh $(BUILD_DIR)

# grader batch on classes of 100 and 1,000 submissions, at --jobs 1 and 2.
bench-batch: build
	@scripts/bench_batch.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
