# `make package`: the Debian package kl-grader_<version>_<arch>.deb, built by CPack from what
# `cmake --install` installs (the grader, its worker, both exercise sets, the guides, the manual
# page and the bash completion), under /usr. Its Depends are read from the shared libraries the
# programs link (dpkg-shlibdeps, from dpkg-dev; CPack also needs `file`), so the package says what
# a fresh Debian 12 must have and nothing more. `scripts/setup-deps.sh package` installs both.

set(GRADER_PACKAGE_MAINTAINER
    "kl-grader maintainers <maintainers@users.noreply.r-seed-2e410527.example>"
    CACHE STRING "The Maintainer field of the Debian package")

# Debian wants a copyright file and, for a package that is its own upstream, changelog.gz in
# /usr/share/doc/<package> (compressed without a name or time stamp: the same bytes every build).
set(GRADER_CHANGELOG_GZ ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
find_program(GZIP_PROGRAM gzip REQUIRED)
add_custom_command(
    OUTPUT ${GRADER_CHANGELOG_GZ}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
    COMMAND ${GZIP_PROGRAM} -9 -n -c ${CMAKE_CURRENT_LIST_DIR}/changelog > ${GRADER_CHANGELOG_GZ}
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/changelog
    COMMENT "Compressing the package's changelog")
add_custom_target(grader_changelog ALL DEPENDS ${GRADER_CHANGELOG_GZ})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright ${GRADER_CHANGELOG_GZ}
        DESTINATION ${GRADER_DOCDIR})

# The changelog's newest entry must be this version, or the package would say two things.
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/changelog GRADER_CHANGELOG_TOP LIMIT_COUNT 1)
if(NOT GRADER_CHANGELOG_TOP MATCHES "^kl-grader \\(${PROJECT_VERSION}\\) ")
    message(FATAL_ERROR "packaging/changelog starts with \"${GRADER_CHANGELOG_TOP}\", not version "
                        "${PROJECT_VERSION} of project() in CMakeLists.txt: add an entry for it")
endif()

# CPack runs the build's `preinstall` target before it installs, and that target builds
# everything first, by default: the test `package` would then rebuild the grader under the tests
# running beside it (a new commit, a source touched since the build). Without the dependency the
# package is made from the build as it is; `make package` and `make install` build first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kl-grader)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${GRADER_PACKAGE_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
# Debian installs no binary with its symbols (they would go in a -dbgsym package).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${GRADER_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Students' submissions and the template are built with these; grading needs neither.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, g++")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "grader for students' compiled shared libraries (KL-divergence exercises)")
set(CPACK_PACKAGE_DESCRIPTION
    "grader grades a student's submission, a shared library exporting the C
functions of an exercise set, against the set's reference implementation. It
calls each function on many inputs in an isolated worker process (namespaces,
resource limits, Landlock, seccomp) and compares the outputs under the
tolerances of the spec, exercises.yaml.
.
Reports are written for people, JSON, JUnit and Gradescope; a class is graded
in parallel into an SQLite gradebook and exported as CSV for an LMS, or sharded
over a Slurm or Kubernetes cluster.
.
The package holds the KL-divergence and mutual-information exercise sets with
their reference libraries, headers and student templates.")
include(CPack)
