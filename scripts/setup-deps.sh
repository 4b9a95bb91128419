#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, if any are missing.
set -euo pipefail
pkgs=(cmake g++ make pkg-config libyaml-cpp-dev libspdlog-dev libfmt-dev libboost-test-dev
      libffi-dev libseccomp-dev nlohmann-json3-dev libcli11-dev libssl-dev
      libsqlite3-dev libsqlitecpp-dev libcsv-dev time
      slurmctld slurmd slurm-client munge)
pkgs+=(clang libclang-rt-14-dev)  # make fuzz: clang and libFuzzer's runtime
pkgs+=(libxml2-dev libpng-dev chromium)  # the summary page's tests: parse it, render it
pkgs+=(gfortran rustc)  # submissions in Fortran and Rust, graded by the hostile suite
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" setup "${pkgs[@]}"
