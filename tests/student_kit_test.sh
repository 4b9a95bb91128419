#!/usr/bin/env bash
# The test `student_kit`: the kit of `make student-kit` (docs/student-kit.md) grades in minimal
# Debian 12 and 13 roots that hold none of the grader's libraries, as root and as nobody, with
# every sandbox layer; a wrong library's self-check there is shrunk and its --repro programs fail
# on it and pass on a correct one; a library built in the Debian 13 root with its g++ (glibc
# 2.38) grades there, and the instructor's grader, built on Debian 12, says in words why it cannot load it.
#
#   student_kit_test.sh KIT_DIR ROOTS_DIR PROJECT_ROOT INSTRUCTOR_GRADER
#
# ROOTS_DIR keeps the debootstrapped roots between runs (in the build tree): only the first run
# downloads them. Without Debian's mirror the test fails, saying so; it never skips.
set -euo pipefail
kit=$1
roots=$2
project=$3
instructor=$4
cd "$TMPDIR"
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
mirror=http://deb.debian.org/debian
if [ "$(id -u)" != 0 ]; then
    echo "FAIL: student_kit runs as root (debootstrap, and mount namespaces to enter the roots)," \
        "as make test does in CI; it runs the kit's grader as nobody itself" >&2
    exit 1
fi
# What --require-sandbox demands as root (uid-drop) and as anyone else (userns).
layers=(process rlimits no_new_privs seccomp landlock mountns pidns netns ipcns)

for f in grader grader-worker public_cases.json kl_exercises.h README.md template/check.sh \
    template/.github/workflows/grade.yml template/.gitlab-ci.yml; do
    [ -e "$kit/$f" ] || fail "the kit $kit has no $f"
done
[ -f "$kit.tar.gz" ] || fail "no tarball $kit.tar.gz beside the kit"
[ "$failures" = 0 ] || exit 1

# Only glibc's libraries, and no glibc newer than 2.34 (make_student_kit.cmake refuses to write
# such a kit; checked again here on what is there).
for exe in grader grader-worker; do
    needed=$(readelf -d "$kit/$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
    for lib in $needed; do
        case $lib in
            libc.so.6 | libm.so.6 | ld-linux-x86-64.so.2) ;;
            *) fail "the kit's $exe needs $lib, which is not glibc's" ;;
        esac
    done
    newest=$(objdump -T "$kit/$exe" | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2,2n -u | tail -1)
    [ "${newest#GLIBC_2.}" -le 34 ] || fail "the kit's $exe needs $newest, newer than GLIBC_2.34"
    echo "the kit's $exe needs: ${needed}and $newest at most"
done

# A minimal Debian, made once and kept: a root that is complete has the file .complete.
make_root() {
    local suite=$1 root=$roots/$1
    shift
    [ -f "$root/.complete" ] && return 0
    rm -rf "$root" "$root.partial"
    mkdir -p "$roots"
    local start=$SECONDS
    echo "debootstrap --variant=minbase $* $suite from $mirror (once; kept in $roots)"
    if ! debootstrap --variant=minbase "$@" "$suite" "$root.partial" "$mirror" \
        >"$roots/$suite.log" 2>&1; then
        tail -20 "$roots/$suite.log" >&2
        echo "FAIL: debootstrap could not make a Debian $suite root from $mirror (is Debian's" \
            "mirror reachable from here?); its log: $roots/$suite.log" >&2
        exit 1
    fi
    mv "$root.partial" "$root"
    touch "$root/.complete"
    echo "debootstrap of $suite: $((SECONDS - start)) s"
}

# The libraries the instructor's grader loads, but libstdc++ and libgcc_s, which the students'
# C++ libraries need: a minimal Debian 13 has some of them (apt uses OpenSSL, g++ pulls in
# SQLite), so while the kit grades they are hidden (/dev/null mounted over them) in its namespace.
grader_libraries=(libyaml-cpp libsqlite3 libSQLiteCpp libcrypto libssl libarchive libcsv libffi
                  libseccomp libspdlog libfmt libxml2 libnettle libhogweed libacl liblzma libzstd
                  liblz4 libbz2 libz)

# in_root ROOT USER COMMAND...: COMMAND with ROOT as its / (the kit at /kit, this test's work
# folder at /work), as root or as nobody; with HIDE=1 in the environment, the grader's libraries
# hidden. Not chroot: a chrooted process may not create user namespaces, and its / is not a mount
# point, so the worker would lose layers. A mount namespace whose root is pivoted to ROOT is a
# container's root, where the worker builds its own.
work=$TMPDIR/work
mkdir -p "$work"
chmod 1777 "$work"  # nobody writes its reports there too
in_root() {
    HIDDEN="${grader_libraries[*]}" unshare --mount --propagation private --fork -- /bin/bash -c '
        set -e
        root=$1 kit=$2 work=$3 user=$4
        shift 4
        mount --bind "$root" "$root"
        if [ "${HIDE:-0}" = 1 ]; then
            for lib in $HIDDEN; do
                for file in "$root"/usr/lib/x86_64-linux-gnu/"$lib".so*; do
                    if [ -f "$file" ] && [ ! -L "$file" ]; then mount --bind /dev/null "$file"; fi
                done
            done
        fi
        mkdir -p "$root/kit" "$root/work" "$root/.old-root"
        mount --bind -o ro "$kit" "$root/kit"
        mount --bind "$work" "$root/work"
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
        cd "$root"
        pivot_root . .old-root
        cd /
        umount -l /.old-root
        env=(env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/tmp TMPDIR=/tmp)
        if [ "$user" = root ]; then
            exec "${env[@]}" "$@"
        fi
        exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "${env[@]}" "$@"
    ' bash "$1" "$kit" "$work" "$2" "${@:3}"
}

# grade SUITE USER LIBRARY EXPECTED_EXIT NAME: the kit's grader on /work/LIBRARY in the root, its
# JSON report in $work/NAME.json; every layer required (--require-sandbox exits 2 without one).
grade() {
    local suite=$1 user=$2 lib=$3 expected=$4 name=$5 status=0
    HIDE=1 in_root "$roots/$suite" "$user" /kit/grader grade "/work/$lib" \
        --spec /kit/public_cases.json \
        --require-sandbox --no-timings --format json -o "/work/$name.json" \
        2>"$work/$name.err" || status=$?
    if [ "$status" != "$expected" ]; then
        fail "$suite, as $user: the kit's grader exited $status on $lib, not $expected:" \
            "$(cat "$work/$name.err")"
        return 1
    fi
    local report=$work/$name.json own=userns
    [ "$user" = root ] && own=uid-drop
    local sandbox
    sandbox=$(sed -n '/^  "sandbox": {/,/^  }/p' "$report")
    for layer in "${layers[@]}" "$own"; do
        grep -q "\"$layer\"" <<<"$sandbox" ||
            fail "$suite, as $user: no sandbox layer $layer in $report: $sandbox"
    done
    grep -q '"warnings": \[\]' <<<"$sandbox" ||
        fail "$suite, as $user: the sandbox warned: $sandbox"
    local score
    score=$(grep -E '^  "(max_)?score"' "$report" | grep -oE '[0-9.]+' | paste -sd/)
    echo "$suite, as $user: $lib graded $score, every layer in force"
}

# The stub of the template (each function returns NAN) and a correct solution, built here with
# Debian 12's compiler: both load on either root.
c++ -std=c++17 -O2 -shared -fPIC -I"$project/student_template" \
    -o "$work/libstub.so" "$project/student_template/solution.cpp" -lm
c++ -std=c++17 -O2 -shared -fPIC -I"$project/student_template" \
    -o "$work/libgood.so" "$project/tests/fixtures/good/solution_cpp.cpp" -lm
chmod 0644 "$work"/*.so

make_root bookworm
make_root trixie --include=g++
for suite in bookworm trixie; do
    present=()
    for lib in "${grader_libraries[@]}"; do
        compgen -G "$roots/$suite/usr/lib/x86_64-linux-gnu/$lib.so*" >/dev/null &&
            present+=("$lib")
    done
    echo "$suite: the kit grades with these of the grader's libraries hidden: ${present[*]:-none}"
    # Hidden means unreadable as a library: an empty file.
    if [ ${#present[@]} -gt 0 ]; then
        HIDE=1 in_root "$roots/$suite" root /bin/sh -c \
            "! test -s \"\$(ls /usr/lib/x86_64-linux-gnu/${present[0]}.so* | head -1)\"" ||
            fail "$suite: ${present[0]} is not hidden"
    fi
    for user in root nobody; do
        if grade "$suite" "$user" libstub.so 1 "$suite-$user-stub"; then
            grep -Eq '^  "score": 0(\.0)?,' "$work/$suite-$user-stub.json" ||
                fail "$suite, as $user: the stub scored more than 0"
        fi
        if grade "$suite" "$user" libgood.so 0 "$suite-$user-good"; then
            grep -q '"full_marks": true' "$work/$suite-$user-good.json" ||
                fail "$suite, as $user: the correct solution did not get full marks"
        fi
    done
done

# A wrong library's self-check in Debian 13, as a student runs it: its failing property is shrunk,
# and the --repro programs the kit's grader writes (value cases and the property) build with
# this machine's compiler, fail on the wrong library and pass on the correct one.
cc -std=c99 -O2 -shared -fPIC -DMISTAKE_LOG2 -I"$project/student_template" \
    -o "$work/libwrong.so" "$project/tests/fixtures/good/solution.c" -lm
chmod 0644 "$work/libwrong.so"
status=0
in_root "$roots/trixie" nobody /kit/grader grade /work/libwrong.so --spec /kit/public_cases.json \
    --no-timings --repro /work/repro >"$work/wrong.txt" 2>&1 || status=$?
[ "$status" = 1 ] || fail "the kit's grader exited $status on libwrong.so, not 1: $(cat "$work/wrong.txt")"
grep -q 'smallest failing input found' "$work/wrong.txt" ||
    fail "the kit's self-check of libwrong.so shrank nothing: $(head -40 "$work/wrong.txt")"
property=$work/repro/ex1_cross_entropy_decomposes
if [ ! -f "$property.c" ]; then
    fail "the kit's --repro wrote no program for the failing property: $(ls "$work/repro")"
elif ! make -s -C "$work/repro" LIB="$work/libwrong.so" >"$work/repro.log" 2>&1; then
    fail "the kit's --repro programs do not build: $(cat "$work/repro.log")"
else
    status=0
    "$property" >"$work/property.txt" 2>&1 || status=$?
    [ "$status" = 1 ] || fail "the property's program exited $status on libwrong.so, not 1"
    grep -q '`H == Hp + K`: does not hold' "$work/property.txt" ||
        fail "the property's program did not say its check fails: $(cat "$work/property.txt")"
    make -s -B -C "$work/repro" LIB="$work/libgood.so" >"$work/repro.log" 2>&1 &&
        make -s -C "$work/repro" LIB="$work/libgood.so" check >>"$work/repro.log" 2>&1 ||
        fail "the kit's --repro programs do not pass on the correct library: $(cat "$work/repro.log")"
fi

# A library built with Debian 13's g++ that calls std::stoi: glibc 2.38's headers turn its
# strtol into __isoc23_strtol@GLIBC_2.38, so it loads on Debian 13 but not on Debian 12.
cp "$project/tests/fixtures/good/solution_cpp.cpp" "$work/newer.cpp"
cat >>"$work/newer.cpp" <<'CPP'
#include <string>
extern "C" int parse_count(const char* text) { return std::stoi(text); }
CPP
mkdir -p "$work/include"
cp "$project/student_template/kl_exercises.h" "$work/include/"
in_root "$roots/trixie" root g++ -std=c++17 -O2 -shared -fPIC -I/work/include \
    -o /work/libnewer.so /work/newer.cpp -lm 2>"$work/newer.err" ||
    fail "g++ in the Debian 13 root could not build libnewer.so: $(cat "$work/newer.err")"
if [ -f "$work/libnewer.so" ]; then
    chmod 0644 "$work/libnewer.so"
    # Not `objdump | grep -q`: grep leaving early fails objdump with SIGPIPE, and so the pipe.
    symbols=$(objdump -T "$work/libnewer.so")
    grep -q 'GLIBC_2\.38' <<<"$symbols" ||
        fail "libnewer.so, built by Debian 13's g++, does not need GLIBC_2.38"
    if grade trixie root libnewer.so 0 trixie-newer; then
        grep -q '"full_marks": true' "$work/trixie-newer.json" ||
            fail "the kit's grader in Debian 13 did not give libnewer.so full marks"
    fi
    # The instructor's grader, built on this Debian 12 (glibc 2.36): the library cannot load
    # here, and the report says why and what to do.
    status=0
    "$instructor" grade "$work/libnewer.so" --spec "$kit/public_cases.json" --no-timings \
        >"$work/instructor.txt" 2>&1 || status=$?
    [ "$status" = 1 ] || fail "the instructor's grader exited $status on libnewer.so, not 1"
    grep -q 'needs version 2.38 of the GNU C library (glibc)' "$work/instructor.txt" ||
        fail "the instructor's grader did not say libnewer.so needs glibc 2.38:" \
            "$(head -20 "$work/instructor.txt")"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "student_kit: every check passed"
