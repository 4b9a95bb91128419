#!/usr/bin/env bash
# Grades the bundled example attempt (as an instructor would, hidden cases included) and the
# empty student template (as a student would, against the public bundle).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
grader=$build/bin/grader
demo=$build/demo
mkdir -p "$demo"

echo "== Building the student template (the stubs) and the example attempt"
cmake -S student_template -B "$demo/template" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$demo/template" >/dev/null
cmake -S examples/partial_attempt -B "$demo/example" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$demo/example" >/dev/null

echo "== Writing the public bundle students self-check against: $demo/public_cases.json"
"$grader" bundle -o "$demo/public_cases.json"

status() { if [ "$1" -eq 0 ]; then echo "exit status 0: full marks"; elif [ "$1" -eq 1 ]; then echo "exit status 1: graded, short of full marks"; else echo "exit status $1: the grader could not do its job"; fi; }

echo
echo "== 1. The example attempt, graded by the instructor (all cases, hidden ones too)"
echo "   $grader grade $demo/example/libsolution.so"
echo
set +e
"$grader" grade "$demo/example/libsolution.so"
rc=$?
set -e
echo; status $rc
"$grader" grade "$demo/example/libsolution.so" --format json -o "$demo/example-report.json" || true
echo "   (the same report as JSON: $demo/example-report.json)"

echo
echo "== 2. The untouched template, self-checked by a student against the public bundle"
echo "   $grader grade $demo/template/libsolution.so --spec $demo/public_cases.json"
echo
set +e
"$grader" grade "$demo/template/libsolution.so" --spec "$demo/public_cases.json" | tail -n 25
rc=${PIPESTATUS[0]}
set -e
echo; status $rc

echo
echo "== 3. A small class graded by the instructor: grader batch, then grader export"
class=$demo/class
rm -rf "$class" "$demo/gradebook.sqlite"*
mkdir -p "$class/ada" "$class/grace"
cp "$demo/example/libsolution.so" "$class/ada/libsolution.so"
cp examples/partial_attempt/solution.c "$class/ada/"
cp "$demo/template/libsolution.so" "$class/grace/libsolution.so"
cp "$build/lib/libkl_reference.so" "$class/linus.so"
echo "This is not a submission." > "$class/README.txt"
printf 'id,name,email,sis_id,section\nada,"Lovelace, Ada",ada@example.org,S1,A\ngrace,Grace Hopper,grace@example.org,S2,A\nlinus,Linus,linus@example.org,S3,B\nmargaret,Margaret Hamilton,margaret@example.org,S4,B\n' > "$demo/roster.csv"
echo "   $grader batch $class --roster $demo/roster.csv --gradebook $demo/gradebook.sqlite --out $demo/reports"
echo
set +e
"$grader" batch "$class" --roster "$demo/roster.csv" --gradebook "$demo/gradebook.sqlite" --out "$demo/reports"
rc=$?
set -e
echo "exit status $rc (0: every submission was graded)"
echo
echo "   $grader export --gradebook $demo/gradebook.sqlite"
"$grader" export --gradebook "$demo/gradebook.sqlite"
