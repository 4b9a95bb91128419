#!/usr/bin/env bash
# Compares two grader builds on the same submissions: runs `grader grade LIB` with each, taking
# turns so that a busy machine slows both alike, and prints the median and best wall times and
# the median CPU time (user + system, the worker included), which a busy machine disturbs less.
# Usage: scripts/bench_ab.sh OLD_GRADER NEW_GRADER RUNS LIB...
#   e.g. scripts/bench_ab.sh build-base/bin/grader build/bin/grader 30 build/fixtures/libgood_c.so
# Each grader finds the reference beside itself (../lib/libkl_reference.so), as `grade` does.
set -euo pipefail
old=$1 new=$2 runs=$3
shift 3
cd "$(dirname "$0")/.."

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# Prints "wall_us cpu_us" for one run.
run_us() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$tmp" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    # The last line: a failing exit status adds a line before it.
    awk -v w=$(( (end - start) / 1000 )) 'END { printf "%d %d\n", w, ($1 + $2) * 1e6 }' "$tmp"
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
best() { printf '%s\n' "$@" | sort -n | head -n 1; }

[ -x /usr/bin/time ] || { echo "bench_ab: needs GNU time: apt-get install time" >&2; exit 1; }
for lib in "$@"; do
    wa=() wb=() ca=() cb=()
    for ((i = 0; i < runs; i++)); do
        read -r w c < <(run_us "$old" grade "$lib"); wa+=("$w"); ca+=("$c")
        read -r w c < <(run_us "$new" grade "$lib"); wb+=("$w"); cb+=("$c")
    done
    awk -v l="$(basename "$lib")" -v ma="$(median "${wa[@]}")" -v mb="$(median "${wb[@]}")" \
        -v ba="$(best "${wa[@]}")" -v bb="$(best "${wb[@]}")" \
        -v ca="$(median "${ca[@]}")" -v cb="$(median "${cb[@]}")" 'BEGIN {
        printf "%-26s wall median %6.1f -> %6.1f ms (%+5.1f%%), best %6.1f -> %6.1f ms; CPU median %6.1f -> %6.1f ms (%+5.1f%%)\n",
               l, ma / 1000, mb / 1000, (mb - ma) * 100 / ma, ba / 1000, bb / 1000,
               ca / 1000, cb / 1000, (cb - ca) * 100 / ca }'
done
