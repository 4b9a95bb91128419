#!/usr/bin/env bash
# Measures `grader summary` on real gradebooks: a class of N submissions (a mix of correct,
# wrong, copied-wrong, crashing and unfinished fixtures) is graded once with `grader batch`, then
# the page (--html) and the terminal summary are each made 5 times: median wall time, peak
# memory, and the page's size.
# Usage: scripts/bench_summary.sh [build-dir] [sizes...]   (default sizes: 42 1000)
set -euo pipefail
build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(42 1000)
cd "$(dirname "$0")/.."
grader=$(realpath "$build/bin/grader")
fixtures=$(realpath "$build/fixtures")
spec=$(realpath exercises.yaml)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mix=(good_c good_cpp good_c good_cpp good_c good_cpp good_c good_cpp
     wrong_log2 wrong_reversed_ratio wrong_tv_no_half wrong_tau_squared wrong_naive_logz
     wrong_marginal_cols wrong_no_max_shift wrong_sigma_as_variance example_partial_attempt
     hostile_segv_softmax hostile_abort_tv template_stub partial_ex1_only)
for lib in "${mix[@]}"; do
    [ -f "$fixtures/lib$lib.so" ] || { echo "bench: build the tests first (make build)" >&2; exit 1; }
done

median_of_5() {  # median_of_5 COMMAND...: prints "seconds peak_KiB"
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
    done | sort -n | sed -n 3p
}

printf '%-28s %10s %12s %12s\n' "what" "wall (s)" "peak (MiB)" "page (KiB)"
for n in "${sizes[@]}"; do
    mkdir -p "$tmp/class$n"
    for ((i = 0; i < n; i++)); do
        cp "$fixtures/lib${mix[i % ${#mix[@]}]}.so" "$tmp/class$n/$(printf 's%04d' "$i").so"
    done
    "$grader" batch "$tmp/class$n" --spec "$spec" --jobs 2 --time-limit 1 --quiet \
        --gradebook "$tmp/gb$n.sqlite" >/dev/null
    read -r s kib < <(median_of_5 "$grader" summary --gradebook "$tmp/gb$n.sqlite" --html "$tmp/page$n.html")
    size=$(du -k "$tmp/page$n.html" | cut -f1)
    awk -v l="summary --html, $n students" -v s="$s" -v k="$kib" -v p="$size" \
        'BEGIN { printf "%-28s %10.2f %12.1f %12d\n", l, s, k / 1024, p }'
    read -r s kib < <(median_of_5 "$grader" summary --gradebook "$tmp/gb$n.sqlite")
    awk -v l="summary (text), $n students" -v s="$s" -v k="$kib" \
        'BEGIN { printf "%-28s %10.2f %12.1f %12s\n", l, s, k / 1024, "-" }'
done
