#!/usr/bin/env bash
# What a submission's printing costs. `grader grade` of libraries with a debug print left in a
# loop (kl_divergence prints 200,000 lines on every call, some 700 MB over a grade:
# tests/fixtures/good/solution.c's HOSTILE_PRINT_LOOP, good/solution_cpp.cpp's for std::cout),
# each timed side by side with the same library printing nothing; then `grader batch` of a class
# of 20 correct submissions, and of the same class with one of them printing in a loop.
# Expected values are cached first (as for an instructor's second grading). Needs hyperfine
# (`make bench-deps`) and the test fixtures (`make build`).
# Usage: [RUNS=10] [GRADER=path/to/grader] scripts/bench_output.sh [build-dir] [raw]
#   GRADER  another grader binary to time, e.g. one built before a change (default: build-dir's)
#   raw     also the write(1, ...) flooder: about 30 s a run, the worker's own system calls
set -euo pipefail
build=${1:-build}
raw=${2:-}
cd "$(dirname "$0")/.."
grader=$(realpath "${GRADER:-$build/bin/grader}")
fixtures=$(realpath "$build/fixtures")
spec=$(realpath exercises.yaml)
runs=${RUNS:-10}
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine: make bench-deps" >&2; exit 1; }
[ -f "$fixtures/libhostile_print_loop.so" ] || { echo "bench: build the tests first (make build)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(--spec "$spec" --cache-dir "$tmp/cache" --format json -o /dev/null)
"$grader" grade "$fixtures/libgood_c.so" "${common[@]}"  # fills the cache

# pair LABEL SILENT FLOODER [RUNS]: medians, and the flooder's time over the silent one's.
pair() {
    local label=$1 silent=$2 flood=$3 n=${4:-$runs}
    hyperfine -N --style none --warmup 1 --runs "$n" --export-json "$tmp/pair.json" \
        "$grader grade $fixtures/lib$silent.so ${common[*]}" \
        "$grader grade $fixtures/lib$flood.so ${common[*]}" >/dev/null
    python3 - "$tmp/pair.json" "$label" "$silent" "$flood" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b = r[0]["median"], r[1]["median"]
ca, cb = (x["user"] + x["system"] for x in r)
print(f"{sys.argv[2]:<33} {sys.argv[3]:>9} {a:6.3f} s {ca:6.3f} s   {sys.argv[4]:<31}"
      f"{b:7.3f} s {cb:6.3f} s  {b / a:6.1f}x {cb / ca:6.1f}x")
EOF
}

# Wall: median; CPU: the mean of user + system time, the workers' included (steadier on a busy
# machine).
echo "grader grade, median of $runs ($grader)"
printf '%-33s %27s   %-47s %15s\n' "print in the loop" "printing nothing (wall, CPU)" \
    "printing 200,000 lines per call (wall, CPU)" "ratio wall, CPU"
pair "printf" good_c hostile_print_loop
pair "fprintf(stderr, ...)" good_c hostile_print_loop_stderr
pair "puts + fflush(stdout)" good_c hostile_print_loop_puts
pair "std::cout << ... << std::endl" good_cpp hostile_print_loop_cout
pair "the same, sync_with_stdio(false)" good_cpp hostile_print_loop_cout_nosync
if [ "$raw" = raw ]; then pair "write(1, ...)" good_c hostile_print_loop_write 1; fi

# A class of 20 correct submissions, then the same with one replaced by the printf flooder.
for class in calm flood; do
    mkdir -p "$tmp/$class"
    for ((i = 0; i < 20; i++)); do cp "$fixtures/libgood_c.so" "$tmp/$class/$(printf 's%02d' "$i").so"; done
done
cp "$fixtures/libhostile_print_loop.so" "$tmp/flood/s07.so"
batch() { echo "$grader batch $tmp/$1 --spec $spec --cache-dir $tmp/cache --jobs 2 --quiet --force --gradebook $tmp/$1.sqlite"; }
hyperfine -N --style none --warmup 1 --runs "$(( (runs + 1) / 2 ))" --export-json "$tmp/batch.json" \
    "$(batch calm)" "$(batch flood)" >/dev/null
python3 - "$tmp/batch.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
a, b = r[0]["median"], r[1]["median"]
print(f"\ngrader batch --jobs 2 of 20 correct submissions: {a:.2f} s; with one of them printing "
      f"200,000 lines per call: {b:.2f} s ({b / a:.2f}x)")
EOF
