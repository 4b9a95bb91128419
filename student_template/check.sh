#!/usr/bin/env bash
# Builds your submission and grades it against the public cases: what CI runs on every push,
# and what you can run yourself.
#
#   ./check.sh                 build, grade, print the report, write build/grader-report.xml
#   ./check.sh --install-deps  (as root, on a Debian or Ubuntu image without them) install the
#                              compiler, CMake and make, then do the above
#   ./check.sh --repro         the above, then write each failing public case as a C program
#                              in build/repro and build them: run one (build/repro/ex1_...) or
#                              step through it in gdb; it exits 1 until the case passes
#
# Exit status: 0 full marks on the public cases; 1 short of full marks (or the build failed);
# 2 the grader could not run. The JUnit report is written in every case but the last.
#
# The grader and the public cases, the first found of:
#   $GRADER and $GRADER_BUNDLE;
#   tools/grader and tools/public_cases.json;
#   the student kit your instructor gives (`make student-kit`): tools/student-kit/, unpacked
#   from tools/student-kit.tar.gz, or else downloaded from $GRADER_KIT_URL, on first use;
#   `grader` on PATH.
# The kit's grader needs nothing on the machine but glibc 2.34 or newer (any x86-64 Linux since
# 2021: Ubuntu 22.04, Debian 12, RHEL 9): no package to install.
set -uo pipefail
cd "$(dirname "$0")"

# Building needs a C++ compiler; CMake and make are used when they are there.
DEPS=(cmake g++ make)

install_deps=0
repro=0
for arg in "$@"; do
    case "$arg" in
        --install-deps) install_deps=1 ;;
        --repro) repro=1 ;;
        *) echo "check.sh: unknown option $arg (use --install-deps or --repro)" >&2; exit 2 ;;
    esac
done

if [ "$install_deps" = 1 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${DEPS[@]}" >/dev/null ||
        { echo "check.sh: installing ${DEPS[*]} failed" >&2; exit 2; }
fi

build=${BUILD_DIR:-build}
report=${GRADER_REPORT:-$build/grader-report.xml}
kit=tools/student-kit

# The kit, unpacked from the repository's tarball or downloaded once: tools/student-kit/.
unpack_kit() {
    local tarball=tools/student-kit.tar.gz
    [ -x "$kit/grader" ] && return 0
    if [ ! -f "$tarball" ] && [ -n "${GRADER_KIT_URL:-}" ]; then
        echo "== Downloading the student kit from $GRADER_KIT_URL"
        mkdir -p tools
        if command -v curl >/dev/null 2>&1; then
            curl -fsSL -o "$tarball.part" "$GRADER_KIT_URL"
        elif command -v wget >/dev/null 2>&1; then
            wget -q -O "$tarball.part" "$GRADER_KIT_URL"
        else
            echo "check.sh: neither curl nor wget is installed to download $GRADER_KIT_URL" >&2
            return 1
        fi || { echo "check.sh: could not download the student kit from $GRADER_KIT_URL" >&2
                rm -f "$tarball.part"; return 1; }
        mv "$tarball.part" "$tarball"
    fi
    [ -f "$tarball" ] || return 0
    echo "== Unpacking $tarball into tools/"
    tar -xzf "$tarball" -C tools ||
        { echo "check.sh: $tarball could not be unpacked; ask your instructor for a new one" >&2
          return 1; }
    [ -x "$kit/grader" ] ||
        { echo "check.sh: $tarball holds no student-kit/grader; ask your instructor" >&2
          return 1; }
}

grader=${GRADER:-}
bundle=${GRADER_BUNDLE:-}
if [ -z "$grader" ] && [ ! -x tools/grader ]; then
    unpack_kit || exit 2
fi
if [ -z "$grader" ]; then
    if [ -x tools/grader ]; then grader=tools/grader
    elif [ -x "$kit/grader" ]; then grader=$kit/grader
    elif command -v grader >/dev/null 2>&1; then grader=$(command -v grader)
    fi
fi
if [ -z "$bundle" ]; then
    bundle=tools/public_cases.json
    [ -f "$bundle" ] || [ ! -f "$kit/public_cases.json" ] || bundle=$kit/public_cases.json
fi
if [ -z "$grader" ]; then
    echo "check.sh: no grader: put it at tools/grader, the student kit at" \
        "tools/student-kit.tar.gz (or its address in \$GRADER_KIT_URL), the grader on PATH," \
        "or name it in \$GRADER" >&2
    exit 2
fi
if [ ! -f "$bundle" ]; then
    echo "check.sh: no public cases at $bundle: put them there or name them in \$GRADER_BUNDLE" >&2
    exit 2
fi

# A build that fails is the submission's failure: it gets a report of its own, so CI shows it
# where the grades would be.
build_failed() {
    mkdir -p "$(dirname "$report")"
    cat >"$report" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="build" tests="1" failures="1" errors="0" time="0.000">
  <testsuite name="build" tests="1" failures="1" errors="0" skipped="0" time="0.000">
    <testcase classname="build" name="build" time="0.000">
      <failure message="the submission does not build" type="build">See the job log for the compiler's messages.</failure>
    </testcase>
  </testsuite>
</testsuites>
XML
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        local result='{"version":1,"status":"error","max_score":0,"tests":[{"name":"build",'
        result+='"status":"error","score":0,"message":"the submission does not build"}]}'
        echo "result=$(printf '%s' "$result" | base64 -w0)" >>"$GITHUB_OUTPUT"
    fi
    echo "check.sh: the submission does not build (the compiler's messages are above)" >&2
    exit 1
}

echo "== Building $build/libsolution.so"
if command -v cmake >/dev/null 2>&1 && command -v make >/dev/null 2>&1; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null || build_failed
    cmake --build "$build" || build_failed
else
    # An image with a compiler and nothing else: what CMakeLists.txt does, by hand.
    mkdir -p "$build"
    "${CXX:-c++}" -std=c++17 -O2 -Wall -Wextra -shared -fPIC -I. -o "$build/libsolution.so" \
        solution.cpp -lm || build_failed
fi

echo "== Grading it against the public cases ($bundle)"
mkdir -p "$build" "$(dirname "$report")"
# One grading writes every report: the text one here, the JUnit one for CI, on GitHub the points
# for GitHub Classroom, and with --repro the failing public cases as C programs calling your
# functions with their exact inputs.
extra=()
[ -n "${GITHUB_OUTPUT:-}" ] && extra+=(--report "classroom:$build/classroom.json")
[ "$repro" = 1 ] && extra+=(--repro "$build/repro")
"$grader" grade "$build/libsolution.so" --spec "$bundle" --report "junit:$report" "${extra[@]}" |
    tee "$build/grader-report.txt"
status=${PIPESTATUS[0]}
[ "$status" -le 1 ] || { echo "check.sh: the grader could not run (exit $status)" >&2; exit 2; }
echo "== JUnit report: $report"

if [ "$repro" = 1 ]; then
    echo "== Failing public cases as C programs: $build/repro"
    make -s -j "$(nproc 2>/dev/null || echo 2)" -C "$build/repro" LIB="$build/libsolution.so" ||
        { echo "check.sh: the programs in $build/repro do not build" >&2; exit 2; }
fi

# On GitHub, the total goes on the run's summary page too, and the points go to GitHub
# Classroom: its reporter action reads them, base64-encoded, from this step's output `result`.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    grep '^Total:' "$build/grader-report.txt" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "result=$(base64 -w0 <"$build/classroom.json")" >>"$GITHUB_OUTPUT"
fi
exit "$status"
