#!/usr/bin/env bash
# Measures `grader batch` on classes of 100 and 1,000 submissions (half correct, a third wrong,
# the rest crashing), at --jobs 1 and 2: wall time, submissions per second, the grader's peak
# memory and its own CPU per submission (scheduling, comparing, recording; the students' code
# runs in the workers). Side by side, the same 100 graded one `grader grade` at a time.
# Usage: scripts/bench_batch.sh [build-dir] [sizes...]
set -euo pipefail
build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
cd "$(dirname "$0")/.."
grader=$(realpath "$build/bin/grader")
fixtures=$(realpath "$build/fixtures")
spec=$(realpath exercises.yaml)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mix=(good_c good_cpp good_c good_cpp good_c good_cpp good_c good_cpp good_c good_cpp
     wrong_log2 wrong_reversed_ratio wrong_tv_no_half wrong_tau_squared wrong_naive_logz
     wrong_marginal_cols wrong_no_max_shift
     hostile_segv_softmax hostile_abort_tv hostile_sigfpe)
for lib in "${mix[@]}"; do
    [ -f "$fixtures/lib$lib.so" ] || { echo "bench: build the tests first (make build)" >&2; exit 1; }
done

make_class() {  # make_class N DIR
    mkdir -p "$2"
    for ((i = 0; i < $1; i++)); do
        cp "$fixtures/lib${mix[i % ${#mix[@]}]}.so" "$2/$(printf 's%04d' "$i").so"
    done
}

printf '%-34s %9s %8s %12s %22s\n' "what" "wall (s)" "subs/s" "peak (MiB)" "grader CPU / sub (ms)"
for n in "${sizes[@]}"; do
    make_class "$n" "$tmp/class$n"
    for jobs in 1 2; do
        start=$(date +%s%N)
        out=$("$grader" batch "$tmp/class$n" --spec "$spec" --jobs "$jobs" --quiet \
              --gradebook "$tmp/gb-$n-$jobs.sqlite")
        end=$(date +%s%N)
        wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        cost=$(echo "$out" | sed -n 's/.*(\([0-9.]*\) ms per submission, peak memory \([0-9.]*\) MiB).*/\1 \2/p')
        awk -v l="batch of $n, --jobs $jobs" -v w="$wall" -v n="$n" -v c="$cost" \
            'BEGIN { split(c, x, " "); printf "%-34s %9.2f %8.1f %12.1f %22.1f\n", l, w, n / w, x[2], x[1] }'
    done
    if [ "$n" -le 100 ]; then
        start=$(date +%s%N)
        for lib in "$tmp/class$n"/*.so; do "$grader" grade "$lib" --spec "$spec" --format json >/dev/null || true; done
        end=$(date +%s%N)
        wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        awk -v l="$n x grader grade, one at a time" -v w="$wall" -v n="$n" \
            'BEGIN { printf "%-34s %9.2f %8.1f %12s %22s\n", l, w, n / w, "-", "-" }'
    fi
done
