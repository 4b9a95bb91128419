#!/usr/bin/env bash
# Installs those of the named Debian packages that are missing: as root with apt-get; otherwise
# it prints the exact command to run and stops, so nothing is half-installed.
# Usage: apt-install.sh LABEL PACKAGE...   (LABEL starts each message: "setup", "bench-deps")
set -euo pipefail
label=$1
shift
missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "$label: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "$label: these Debian packages are missing: ${missing[*]}" >&2
    echo "$label: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
