#!/usr/bin/env bash
# Installs the Debian packages the build needs, if any are missing. As root it runs apt-get;
# otherwise it prints the exact command to run and stops, so nothing is half-installed.
set -euo pipefail
pkgs=(cmake g++ make pkg-config libyaml-cpp-dev libspdlog-dev libfmt-dev libboost-test-dev
      libffi-dev libseccomp-dev nlohmann-json3-dev libcli11-dev libssl-dev
      libsqlite3-dev libsqlitecpp-dev libcsv-dev time
      slurmctld slurmd slurm-client munge)
pkgs+=(clang libclang-rt-14-dev)  # make fuzz: clang and libFuzzer's runtime
pkgs+=(libxml2-dev libpng-dev chromium)  # the summary page's tests: parse it, render it
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
