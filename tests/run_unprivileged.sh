#!/usr/bin/env bash
# Runs a test executable as an unprivileged user, the way an instructor grading on their own
# account or a student self-checking runs the grader: as root it becomes nobody (setpriv), with a
# home, a temporary directory and a working directory of its own; run by anyone else, it already
# is such a user and the test runs as it is.
# Usage: tests/run_unprivileged.sh TEST-EXECUTABLE [ARGS...]
set -euo pipefail
exe=$(readlink -f "$1")
shift

if [ "$(id -u)" -ne 0 ]; then
    echo "run_unprivileged: running as $(id -un) (uid $(id -u)), already unprivileged"
    exec "$exe" "$@"
fi

uid=65534
gid=65534
dir=$(mktemp -d /tmp/grader-unprivileged.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/home" "$dir/tmp" "$dir/work" "$dir/keep"
chown "$uid:$gid" "$dir/home" "$dir/tmp" "$dir/work"
chmod 0755 "$dir"

# The test reads its fixtures and the grader by absolute paths. When a directory above them is
# closed to other users (a checkout under /root, say), the test runs in a mount namespace of its
# own in which that directory is an open tmpfs holding only the way down to the tree.
real=$exe
closed=""
path=""
IFS=/ read -ra parts <<<"${real#/}"
for part in "${parts[@]::${#parts[@]}-1}"; do
    path="$path/$part"
    if ! setpriv --reuid=$uid --regid=$gid --clear-groups test -x "$path"; then
        closed=$path
        break
    fi
done

run() {
    exec setpriv --reuid=$uid --regid=$gid --clear-groups --inh-caps=-all \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME="$dir/home" TMPDIR="$dir/tmp" XDG_CACHE_HOME="$dir/home/.cache" LANG=C.UTF-8 \
        sh -c 'cd "$1" && shift && exec "$@"' sh "$dir/work" "$exe" "$@"
}

echo "run_unprivileged: running $exe as nobody (uid $uid)"
if [ -z "$closed" ]; then
    run "$@"
fi
echo "run_unprivileged: $closed is closed to other users; opening it in a mount namespace of the test's own"
export -f run
export dir exe uid gid closed
exec unshare --mount --propagation private bash -c '
    set -euo pipefail
    mount --bind "$closed" "$dir/keep"
    mount -t tmpfs -o mode=0755 tmpfs "$closed"
    for child in "$dir"/keep/* "$dir"/keep/.[!.]*; do
        [ -d "$child" ] || continue
        mkdir -p "$closed/${child##*/}"
        mount --bind "$child" "$closed/${child##*/}"
    done
    run "$@"
' bash "$@"
