#!/usr/bin/env bash
# Installs the Debian packages one task needs, those that are missing (scripts/apt-install.sh:
# as root with apt-get, never starting a service; otherwise it prints the command to run).
#
#   setup-deps.sh [build]  building and grading (make build, make demo, make install):
#                          the compiler, CMake and the grader's own libraries
#   setup-deps.sh package  the above, and what `make package` needs (dpkg-shlibdeps, file)
#   setup-deps.sh kit      the build's, and the static archives of libarchive's own libraries
#                          (make student-kit: a grader linking everything but glibc statically)
#   setup-deps.sh test     the above, and what only the tests need (make test)
#   setup-deps.sh bench    the build's, and GNU time (make bench)
set -euo pipefail
what=${1:-build}

build=(cmake g++ make pkg-config libyaml-cpp-dev libspdlog-dev libfmt-dev libffi-dev
       libseccomp-dev nlohmann-json3-dev libcli11-dev libssl-dev libsqlite3-dev libsqlitecpp-dev
       libcsv-dev libarchive-dev)
package=(dpkg-dev file)
# The build's -dev packages ship the .a archives the student kit links, but for these three of
# libarchive's dependencies (its Libs.private), whose archives come with their own -dev packages.
kit=(libacl1-dev libzstd-dev liblz4-dev)
test=(libboost-test-dev             # every suite is a Boost.Test executable
      libxml2-dev libpng-dev chromium  # the summary page's tests: parse it, render it
      slurmctld slurmd slurm-client munge  # the Slurm test's one-node cluster (it starts the daemons)
      clang libclang-rt-14-dev      # make fuzz: clang and libFuzzer's runtime
      gfortran rustc                # submissions in Fortran and Rust, graded by the hostile suite
      lintian bash-completion       # the package test checks the .deb with lintian; man_page
                                    # runs the completion as bash-completion does
      debootstrap)                  # student_kit: minimal Debian 12 and 13 roots to run the kit in

case $what in
    build) pkgs=("${build[@]}") ;;
    package) pkgs=("${build[@]}" "${package[@]}") ;;
    kit) pkgs=("${build[@]}" "${kit[@]}") ;;
    test) pkgs=("${build[@]}" "${package[@]}" "${kit[@]}" "${test[@]}") ;;
    bench) pkgs=("${build[@]}" time) ;;
    *)
        echo "setup-deps.sh: '$what' is not a set of packages: build, package, kit, test or bench" >&2
        exit 2
        ;;
esac
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "setup ($what)" "${pkgs[@]}"
