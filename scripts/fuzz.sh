#!/usr/bin/env bash
# Runs each libFuzzer harness of fuzz/ (built by `make fuzz` into BUILD) for SECONDS seconds,
# from the committed corpus fuzz/corpus/<harness>, and prints what it measured.
#
#   scripts/fuzz.sh [BUILD [SECONDS]]     defaults: build-fuzz 600
#
# New inputs go to BUILD/fuzz-corpus/<harness>, never into the repository; with FUZZ_MERGE=1 the
# ones that reach code the committed corpus does not are merged into fuzz/corpus (libFuzzer's
# -merge keeps only those). A crash, a hang (10 s) or a single allocation above the harness's
# limit stops that harness, keeps the input in BUILD/fuzz-crashes/<harness>/ and fails the run.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
printf '%-8s %8s %12s %10s %8s %s\n' harness seconds executions "exec/s" corpus result
for harness in spec bundle frame; do
    exe=$build/bin/fuzz_$harness
    work=$build/fuzz-corpus/$harness
    crashes=$build/fuzz-crashes/$harness
    log=$build/fuzz-$harness.log
    mkdir -p "$work" "$crashes"
    # Inputs are small; an allocation far beyond them is one the input asked for.
    case $harness in
        frame) limits=(-malloc_limit_mb=64 -max_len=4096) ;;
        *) limits=(-malloc_limit_mb=512) ;;
    esac
    # The words of the format, where there is a dictionary of them.
    dict=$root/fuzz/$harness.dict
    [ -f "$dict" ] && limits+=(-dict="$dict")
    result=ok
    if ! "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 "${limits[@]}" \
        -print_final_stats=1 -artifact_prefix="$crashes/" "$work" "$root/fuzz/corpus/$harness" \
        >"$log" 2>&1; then
        result="FAILED (see $log and $crashes/)"
        status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    printf '%-8s %8s %12s %10s %8s %s\n' "$harness" "$seconds" "${runs:-?}" "${rate:-?}" \
        "${corpus:-?}" "$result"
    if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$result" = ok ]; then
        "$exe" -merge=1 "$root/fuzz/corpus/$harness" "$work" >>"$log" 2>&1
    fi
done
exit $status
