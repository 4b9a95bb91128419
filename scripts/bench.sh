#!/usr/bin/env bash
# Measures what grading costs: wall time and peak memory of `grader grade` on the reference
# (every case, hidden ones included), on the public bundle, and of `grader validate`.
# Usage: scripts/bench.sh [build-dir] [runs]
set -euo pipefail
build=${1:-build}
runs=${2:-20}
cd "$(dirname "$0")/.."
grader=$build/bin/grader
ref=$build/lib/libkl_reference.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$grader" bundle -o "$tmp/public.json"

# Runs a command `runs` times; prints the median and best wall time and the peak RSS.
measure() {
    local label=$1; shift
    local times=() rss=0
    for ((i = 0; i < runs; i++)); do
        local start end
        start=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
        local r; r=$(tail -n 1 "$tmp/rss")
        (( r > rss )) && rss=$r
    done
    local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    local median best
    median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
    best=$(echo "$sorted" | head -n 1)
    awk -v l="$label" -v m="$median" -v b="$best" -v r="$rss" \
        'BEGIN { printf "%-44s median %7.1f ms   best %7.1f ms   peak RSS %6.1f MiB\n", l, m / 1000, b / 1000, r / 1024 }'
}

[ -x /usr/bin/time ] || { echo "bench: needs GNU time: apt-get install time" >&2; exit 1; }
cases=$("$grader" grade "$ref" --format json | grep -o '"instances": [0-9]*' | awk '{s += $2} END {print s}')
echo "grader grade on the reference: $cases case instances; $runs runs each"
measure "grade reference (all cases, text)" "$grader" grade "$ref"
measure "grade reference (all cases, json)" "$grader" grade "$ref" --format json
measure "grade reference (public bundle)" "$grader" grade "$ref" --spec "$tmp/public.json"
measure "validate (reference in process, no sandbox)" "$grader" validate
echo
"$build/bin/bench_isolation" "$runs"
