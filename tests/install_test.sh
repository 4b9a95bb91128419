#!/usr/bin/env bash
# The test `install`: what `cmake --install` puts under a prefix grades on its own, as an
# instructor on a shared host runs it (issue 22): installed to a temporary prefix, the grader is
# run from a folder that holds nothing of the project, with no --spec and no --reference.
#
#   install_test.sh CMAKE BUILD_DIR FIXTURE_DIR
set -euo pipefail
cmake=$1
build=$2
fixtures=$3
cd "$TMPDIR"  # every file this test writes is in its own folder (CTest starts it in build/tests)
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

prefix=$TMPDIR/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$TMPDIR/install.log" ||
    { cat "$TMPDIR/install.log" >&2; echo "FAIL: cmake --install failed" >&2; exit 1; }

# What a grading host needs, where docs/install.md says it is.
for f in bin/grader libexec/kl-grader/grader-worker \
    libexec/kl-grader/libkl_reference.so libexec/kl-grader/libmi_reference.so \
    share/kl-grader/exercises.yaml share/kl-grader/mutual_information/exercises.yaml \
    share/kl-grader/student_template/kl_exercises.h share/kl-grader/student_template/solution.cpp \
    share/kl-grader/student_template/CMakeLists.txt share/kl-grader/student_template/check.sh \
    share/kl-grader/mutual_information/student_template/mi_exercises.h \
    share/kl-grader/mutual_information/student_template/solution.c \
    include/kl-grader/kl_exercises.h include/kl-grader/mi_exercises.h \
    share/man/man1/grader.1.gz share/bash-completion/completions/grader \
    share/kl-grader/cluster/grade-shard.sbatch share/kl-grader/cluster/merge.sbatch \
    share/doc/kl-grader/README.md share/doc/kl-grader/docs/install.md \
    share/doc/kl-grader/docs/spec.md share/doc/kl-grader/copyright \
    share/doc/kl-grader/changelog.gz; do
    [ -f "$prefix/$f" ] || fail "cmake --install did not install $f"
done
[ -x "$prefix/share/kl-grader/student_template/check.sh" ] ||
    fail "the students' check.sh was installed without its execute bit"
# The reference libraries stay out of every library folder a worker may read while it loads a
# submission (grader/sandbox/worker_root.cpp): nothing at all is installed under lib*.
for d in "$prefix"/lib "$prefix"/lib32 "$prefix"/lib64 "$prefix"/libx32; do
    [ -e "$d" ] && fail "cmake --install put something in $d: $(cd "$d" && find . -type f | head -5)"
done

grader=$prefix/bin/grader
elsewhere=$TMPDIR/elsewhere
mkdir -p "$elsewhere"
cd "$elsewhere"

# No flags, from a folder without exercises.yaml: the installed spec and reference.
if "$grader" grade "$fixtures/libgood_c.so" --format json --no-timings -o report.json \
    2>grade.err; then
    grep -q '"full_marks": true' report.json || fail "the installed grader did not give full marks"
    spec_sha=$(sha256sum "$prefix/share/kl-grader/exercises.yaml" | cut -d' ' -f1)
    grep -q "\"spec_sha256\": \"$spec_sha\"" report.json ||
        fail "the report was not graded with the installed spec ($spec_sha)"
    ref_sha=$(sha256sum "$prefix/libexec/kl-grader/libkl_reference.so" | cut -d' ' -f1)
    grep -q "\"reference_sha256\": \"$ref_sha\"" report.json ||
        fail "the report was not graded with the installed reference ($ref_sha)"
else
    fail "grader grade libgood_c.so with no flags failed ($?): $(cat grade.err)"
fi

# A path the user gives is a path: exref.so is the file here, not a name for the loader to search.
cp "$prefix/libexec/kl-grader/libkl_reference.so" exref.so
"$grader" grade "$fixtures/libgood_c.so" --reference exref.so >/dev/null 2>grade.err ||
    fail "--reference exref.so (a file in the working directory) failed: $(cat grade.err)"

# The second exercise set, from the installed files.
"$grader" grade "$fixtures/mi/libmi_good.so" \
    --spec "$prefix/share/kl-grader/mutual_information/exercises.yaml" \
    --reference "$prefix/libexec/kl-grader/libmi_reference.so" >/dev/null 2>grade.err ||
    fail "the mutual-information set did not grade from the installed files: $(cat grade.err)"

# The working directory's exercises.yaml comes before the installed one (docs/install.md).
first_line() { "$@" >listed.txt && head -n 1 listed.txt; }
kl_title=$(first_line "$grader" list)
mkdir own && cp "$prefix/share/kl-grader/mutual_information/exercises.yaml" own/exercises.yaml
own_title=$(cd own && first_line "$grader" list)
[ "$own_title" != "$kl_title" ] ||
    fail "grader list in a folder with its own exercises.yaml listed the installed spec"
given_title=$(cd own && first_line "$grader" list --spec "$prefix/share/kl-grader/exercises.yaml")
[ "$given_title" = "$kl_title" ] ||
    fail "--spec did not win over the working directory's exercises.yaml"

# The version a package manager (and a bug report) can show.
"$grader" --version >version.txt
grep -q '^grader (kl-grader) [0-9]' version.txt || fail "grader --version: $(cat version.txt)"
grep -q '^build: ' version.txt || fail "grader --version says nothing of the build: $(cat version.txt)"

if [ "$failures" -ne 0 ]; then
    echo "$failures checks of the installed grader failed (the install is in $prefix)" >&2
    exit 1
fi
echo "installed to $prefix: graded from $elsewhere with no flags, full marks"
