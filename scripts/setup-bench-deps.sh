#!/usr/bin/env bash
# Installs what `scripts/bench_batch.sh` needs to time the course notebook as nbgrader would run
# it: Debian's Jupyter (nbconvert and the IPython kernel) and what the notebook imports. Not
# needed to build or test the grader. As root it runs apt-get; otherwise it prints the command.
set -euo pipefail
pkgs=(jupyter-nbconvert python3-ipykernel python3-nbformat python3-numpy python3-scipy
      python3-matplotlib)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "bench-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "bench-deps: these Debian packages are missing: ${missing[*]}" >&2
    echo "bench-deps: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
