#!/usr/bin/env bash
# Renders a page in headless Chromium (Debian's `chromium`) to a PNG: what tests/summary_class_test
# runs, and how docs/summary.png is made:
#   scripts/screenshot.sh PAGE.html OUT.png [WIDTH,HEIGHT]
# The flags keep Chromium off the network (no background fetches, no updates, no sync), in a new
# empty profile, removed afterwards; as root it needs --no-sandbox. A caller that must bound the
# time starts this script in a process group of its own and kills that group.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 PAGE.html OUT.png [WIDTH,HEIGHT]" >&2
    exit 2
fi
page=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1200,2400}
browser=$(command -v chromium || true)
if [ -z "$browser" ]; then
    echo "screenshot: chromium is not installed (scripts/setup-deps.sh installs it)" >&2
    exit 127
fi
# In /tmp, not under $TMPDIR: Chromium puts a Unix socket in its temporary folder, and a socket's
# path must fit in 108 bytes, which a test's TMPDIR deep in a build tree may not leave room for.
# Chromium's temporary folder is then the profile, so that all it writes goes when it does.
profile=$(mktemp -d /tmp/grader-chromium.XXXXXX)
trap 'rm -rf "$profile"' EXIT
sandbox=()
[ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox)
TMPDIR=$profile "$browser" --headless "${sandbox[@]}" --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --hide-scrollbars \
    --user-data-dir="$profile" --screenshot="$out" --window-size="$size" "file://$page"
