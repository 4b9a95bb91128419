#!/usr/bin/env bash
# The test `package`: the Debian package `make package` builds (CPack, packaging/package.cmake),
# made here from the build into this test's own folder. It must hold what a grading host needs
# and nothing in the library folders, depend on the packages of every shared library its programs
# and references link (dpkg-shlibdeps), and pass lintian without an error.
#
#   package_test.sh CPACK BUILD_DIR VERSION FIXTURE_DIR
set -euo pipefail
cpack=$1
build=$2
version=$3
fixtures=$4
# Every file this test writes is in its own folder (CTest starts it in build/tests).
cd "$TMPDIR"
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
for tool in dpkg-deb dpkg-shlibdeps file lintian readelf; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool is missing: install what the tests need with scripts/setup-deps.sh test" >&2
        exit 1
    }
done

out=$TMPDIR/package
"$cpack" --config "$build/CPackConfig.cmake" -B "$out" >"$TMPDIR/cpack.log" 2>&1 ||
    { cat "$TMPDIR/cpack.log" >&2; echo "FAIL: cpack failed" >&2; exit 1; }
arch=$(dpkg --print-architecture)
deb=$out/kl-grader_${version}_${arch}.deb
[ -f "$deb" ] || { echo "FAIL: no $deb; cpack made: $(ls "$out")" >&2; exit 1; }

# The file list.
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >files.txt
for f in /usr/bin/grader /usr/libexec/kl-grader/grader-worker \
    /usr/libexec/kl-grader/libkl_reference.so /usr/libexec/kl-grader/libmi_reference.so \
    /usr/share/kl-grader/exercises.yaml /usr/share/kl-grader/mutual_information/exercises.yaml \
    /usr/share/kl-grader/student_template/kl_exercises.h \
    /usr/share/kl-grader/mutual_information/student_template/mi_exercises.h \
    /usr/include/kl-grader/kl_exercises.h /usr/include/kl-grader/mi_exercises.h \
    /usr/share/man/man1/grader.1.gz /usr/share/bash-completion/completions/grader \
    /usr/share/kl-grader/cluster/grade-shard.sbatch /usr/share/kl-grader/cluster/merge.sbatch \
    /usr/share/doc/kl-grader/README.md /usr/share/doc/kl-grader/docs/install.md \
    /usr/share/doc/kl-grader/copyright /usr/share/doc/kl-grader/changelog.gz; do
    grep -qx "$f" files.txt || fail "the package does not hold $f"
done
grep -v '^/usr/' files.txt | grep -v '^/$' >outside.txt && fail "files outside /usr: $(cat outside.txt)"
# No reference library (nor anything else) where a worker may read while it loads a submission.
grep -E '^/usr/(local/)?lib(32|64|x32)?/.' files.txt >inlib.txt &&
    fail "files in a library folder: $(cat inlib.txt)"

# Its fields, and a Depends read from the libraries it links: every library an ELF file of the
# package needs must come from a package it depends on.
for field in Package Version Architecture Maintainer Description Depends; do
    [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "the package has no $field"
done
[ "$(dpkg-deb -f "$deb" Package)" = kl-grader ] || fail "the package is not named kl-grader"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package's version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
case $depends in *-dev*) fail "the package depends on a -dev package: $depends" ;; esac
# The package that ships a library: dpkg knows a file by the path its package gave it, which on
# a merged-/usr system may be /lib/... or /usr/lib/..., and the file itself or a link to it.
owner_of() {
    local p candidates=("$1" "/usr$1" "${1#/usr}" "$(readlink -f "$1")")
    for p in "${candidates[@]}"; do
        dpkg -S "$p" 2>/dev/null | sed -n 1p | cut -d: -f1 | grep . && return 0
    done
    return 0
}
root=$TMPDIR/root
rm -rf "$root"
dpkg-deb -x "$deb" "$root"
needed=$(find "$root" -type f -exec file {} + | grep ELF | cut -d: -f1 |
    xargs -r readelf -d | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
[ -n "$needed" ] || fail "no ELF file of the package needs any library: were they read?"
for lib in $needed; do
    # Read to the end (no early exit): ldconfig killed by SIGPIPE would fail the pipeline.
    path=$(/sbin/ldconfig -p |
        awk -v l="$lib" '$1 == l && /x86-64|64bit|AArch64/ && !p { p = $NF } END { print p }')
    [ -n "$path" ] || path=$(/sbin/ldconfig -p | awk -v l="$lib" '$1 == l && !p { p = $NF } END { print p }')
    [ -n "$path" ] || { fail "$lib, needed by the package, is not on this machine"; continue; }
    owner=$(owner_of "$path")
    [ -n "$owner" ] || { fail "no Debian package owns $path ($lib)"; continue; }
    # The dependency may name the package, or a name it provides (libspdlog1.10 provides the
    # libspdlog1.10-fmt9 its shlibs file asks for).
    provided=$(dpkg-query -W -f='${Provides}' "$owner" 2>/dev/null | sed 's/([^)]*)//g; s/,/ /g')
    met=no
    for name in $owner $provided; do
        case ", $depends," in *", $name "* | *", $name,"*) met=yes ;; esac
    done
    [ $met = yes ] || fail "$lib (from $owner) is needed, but the package does not depend on it"
done

# The package's own files grade, unpacked anywhere (the grader finds its spec and reference from
# where it is): a correct submission from an empty folder, with no flags.
mkdir -p elsewhere
if (cd elsewhere && "$root/usr/bin/grader" grade "$fixtures/libgood_c.so" >report.txt 2>&1); then
    grep -qF "($root/usr/share/kl-grader/exercises.yaml)" elsewhere/report.txt ||
        fail "the unpacked grader did not grade with its own spec: $(head -3 elsewhere/report.txt)"
else
    fail "the unpacked package's grader did not give full marks: $(tail -5 elsewhere/report.txt)"
fi

# lintian: errors fail the test; warnings are printed, for the record.
lintian --fail-on error --tag-display-limit 0 "$deb" >lintian.txt 2>&1 || {
    cat lintian.txt >&2
    fail "lintian reports errors on $deb"
}
[ -s lintian.txt ] && { echo "lintian's remarks:"; cat lintian.txt; }

if [ "$failures" -ne 0 ]; then
    echo "$failures checks of the package failed ($deb)" >&2
    exit 1
fi
echo "$deb: $(wc -l <files.txt) paths, Depends: $depends; lintian: no error"
