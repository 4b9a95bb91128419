#!/usr/bin/env bash
# Installs what `scripts/bench_batch.sh` needs to time the course notebook as nbgrader would run
# it: Debian's Jupyter (nbconvert and the IPython kernel) and what the notebook imports; and
# hyperfine, which `scripts/bench_output.sh` times with. Not needed to build or test the grader.
set -euo pipefail
pkgs=(jupyter-nbconvert python3-ipykernel python3-nbformat python3-numpy python3-scipy
      python3-matplotlib hyperfine)
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" bench-deps "${pkgs[@]}"
