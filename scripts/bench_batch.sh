#!/usr/bin/env bash
# Measures `grader batch` on classes of 100 and 1,000 submissions (half correct, a third wrong,
# the rest crashing), at --jobs 1 and 2: wall time, submissions per second, the grader's peak
# memory and its own CPU per submission (scheduling, comparing, recording; the students' code
# runs in the workers). Side by side, the same 100 graded one `grader grade` at a time.
# Then against what an instructor would otherwise run: the course notebook's solution cells
# executed in a fresh kernel, as nbgrader autogrades a submission (`jupyter nbconvert --to
# notebook --execute`, RUNS times, median), next to `grader grade` of one submission (median of
# RUNS) and `grader batch` per submission, with the ratios. `make bench-deps` installs Jupyter;
# without it the grader's figures are still printed.
# Usage: [RUNS=5] scripts/bench_batch.sh [build-dir] [sizes...]
set -euo pipefail
build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
cd "$(dirname "$0")/.."
grader=$(realpath "$build/bin/grader")
fixtures=$(realpath "$build/fixtures")
spec=$(realpath exercises.yaml)
notebook=$(realpath bench/notebook/kl_exercises.ipynb)
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The expected values' cache of this run only: the first grading fills it, as an instructor's
# first grading does.
cache=(--cache-dir "$tmp/cache")

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
        out=$("$grader" batch "$tmp/class$n" --spec "$spec" --jobs "$jobs" --quiet "${cache[@]}" \
              --gradebook "$tmp/gb-$n-$jobs.sqlite")
        end=$(date +%s%N)
        wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        cost=$(echo "$out" | sed -n 's/.*(\([0-9.]*\) ms per submission, peak memory \([0-9.]*\) MiB).*/\1 \2/p')
        awk -v l="batch of $n, --jobs $jobs" -v w="$wall" -v n="$n" -v c="$cost" \
            'BEGIN { split(c, x, " "); printf "%-34s %9.2f %8.1f %12.1f %22.1f\n", l, w, n / w, x[2], x[1] }'
        if [ "$jobs" -eq 2 ]; then
            batch_per_sub=$(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.4f", w / n }')
            batch_label="batch of $n, --jobs 2"
        fi
    done
    if [ "$n" -le 100 ]; then
        start=$(date +%s%N)
        for lib in "$tmp/class$n"/*.so; do "$grader" grade "$lib" --spec "$spec" --format json "${cache[@]}" >/dev/null || true; done
        end=$(date +%s%N)
        wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        awk -v l="$n x grader grade, one at a time" -v w="$wall" -v n="$n" \
            'BEGIN { printf "%-34s %9.2f %8.1f %12s %22s\n", l, w, n / w, "-", "-" }'
    fi
done

# --- Against the notebook ---------------------------------------------------------------------

# median_seconds CMD...: runs it $runs times, prints the median wall time in seconds.
median_seconds() {
    local times=()
    for ((i = 0; i < runs; i++)); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" |
        awk '{ printf "%.4f", $1 / 1e6 }'
}

good="$fixtures/libgood_c.so"
echo
echo "Against the notebook: median of $runs runs each, seconds per submission"
nb=""
# Debian's Jupyter runs Debian's python3; a python3 of another install earlier on PATH would have
# neither the kernel nor numpy.
nb_env=(env PATH="/usr/bin:/bin:$PATH" MPLBACKEND=Agg PYDEVD_DISABLE_FILE_VALIDATION=1)
if "${nb_env[@]}" jupyter nbconvert --version >/dev/null 2>&1 &&
   "${nb_env[@]}" python3 -c 'import ipykernel, numpy, scipy, matplotlib' 2>/dev/null; then
    # nbconvert starts a fresh kernel on every run, as nbgrader's autograder does.
    nb=$(cd "$tmp" && median_seconds "${nb_env[@]}" jupyter nbconvert --to notebook --execute \
         "$notebook" --output "$tmp/executed.ipynb")
else
    echo "bench: jupyter nbconvert, ipykernel, numpy, scipy or matplotlib is missing; install them" \
         "with \`make bench-deps\` to time the notebook too" >&2
fi
"$grader" grade "$good" --spec "$spec" "${cache[@]}" >/dev/null || true  # the cache filled
cold=$(median_seconds "$grader" grade "$good" --spec "$spec" --no-cache --workers 1)
one=$(median_seconds "$grader" grade "$good" --spec "$spec" "${cache[@]}" --workers 1)
grade=$(median_seconds "$grader" grade "$good" --spec "$spec" "${cache[@]}")

# The notebook is a correct solution: so is every submission of this class.
for ((i = 0; i < 100; i++)); do
    mkdir -p "$tmp/correct"
    cp "$fixtures/lib$([ $((i % 2)) -eq 0 ] && echo good_c || echo good_cpp).so" \
        "$tmp/correct/$(printf 's%04d' "$i").so"
done
start=$(date +%s%N)
"$grader" batch "$tmp/correct" --spec "$spec" --jobs 2 --quiet "${cache[@]}" \
    --gradebook "$tmp/gb-correct.sqlite" >/dev/null || true
end=$(date +%s%N)
correct_per_sub=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 / 100 }')

row() {  # row LABEL SECONDS TARGET
    awk -v l="$1" -v s="$2" -v nb="$nb" -v t="$3" 'BEGIN {
        if (nb == "") r = "-"; else r = sprintf("%.0fx", nb / s);
        printf "%-54s %10.3f %10s %10s\n", l, s, r, t }'
}
printf '%-54s %10s %10s %10s\n' "what" "s / sub" "vs nb" "target"
[ -n "$nb" ] && row "notebook, nbconvert --execute in a fresh kernel" "$nb" ""
row "grader grade, no cache, 1 worker" "$cold" ""
row "grader grade, cache warm, 1 worker" "$one" ""
row "grader grade, cache warm, 2 workers (the default)" "$grade" ">= 20x"
[ -n "${batch_per_sub:-}" ] && row "grader batch per submission ($batch_label)" "$batch_per_sub" ">= 50x"
row "grader batch per submission (100 correct, --jobs 2)" "$correct_per_sub" ">= 50x"
true
