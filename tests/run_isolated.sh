#!/bin/bash
# Runs one CTest test in an environment of its own (docs/testing.md): every test goes through
# this script (grader_add_test in tests/isolated_test.cmake; the test `tests_are_isolated` checks
# it), so that no test sees the caller's environment or what an earlier test or run left behind.
#
#   run_isolated.sh ROOT NAME [VAR=VALUE...] -- COMMAND [ARG...]
#
# ROOT/NAME is emptied and made again with home/, tmp/ and cache/, then COMMAND runs with only
# PATH, HOME, TMPDIR, XDG_CACHE_HOME, LANG and TERM set (pointing into ROOT/NAME), plus the
# VAR=VALUE the test asks for. What the test leaves in ROOT/NAME stays there until its next run,
# for a look after a failure.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: run_isolated.sh ROOT NAME [VAR=VALUE...] -- COMMAND [ARG...]" >&2
    exit 2
fi
root=$1
name=$2
shift 2
# The folder is removed whole: it must be NAME's own, inside ROOT.
case $name in
    '' | . | .. | */*)
        echo "run_isolated.sh: '$name' cannot name a folder of its own under $root" >&2
        exit 2
        ;;
esac
case $root in
    /*) ;;
    *)
        echo "run_isolated.sh: ROOT must be an absolute path, not '$root'" >&2
        exit 2
        ;;
esac
vars=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in
        [A-Za-z_]*=*) vars+=("$1") ;;
        *)
            echo "run_isolated.sh: '$1' is not VAR=VALUE (the command comes after --)" >&2
            exit 2
            ;;
    esac
    shift
done
if [ $# -lt 2 ]; then
    echo "run_isolated.sh: no command after --" >&2
    exit 2
fi
shift

dir=$root/$name
rm -rf "$dir"
mkdir -p "$dir/home" "$dir/tmp" "$dir/cache"

# /usr/sbin and /sbin: the Slurm test starts munged, slurmctld and slurmd from there.
exec env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$dir/home" \
    TMPDIR="$dir/tmp" \
    XDG_CACHE_HOME="$dir/cache" \
    LANG=C.UTF-8 \
    TERM=dumb \
    "${vars[@]}" \
    "$@"
