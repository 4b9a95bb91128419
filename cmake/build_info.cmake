# cmake -P cmake/build_info.cmake -DSOURCE_DIR=... -DOUTPUT=.../build_info.hpp -DBUILD_TYPE=...
#     -DCOMPILER="GNU 12.2.0"
# Writes the header grader/main.cpp takes `grader --version`'s build line and the manual page's
# date from. Run at every build, not only at configure time, so that a commit made since is
# never shown as the one built; the file is replaced only when its text changes, so an unchanged
# commit rebuilds nothing.
foreach(var SOURCE_DIR OUTPUT BUILD_TYPE COMPILER)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "build_info.cmake: -D${var}=... is missing")
    endif()
endforeach()

set(commit "")
set(date "")
find_package(Git QUIET)
# Reading the commit must not take the index's lock from a git command the user runs meanwhile.
set(ENV{GIT_OPTIONAL_LOCKS} 0)
if(GIT_FOUND AND EXISTS ${SOURCE_DIR}/.git)
    execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
                    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE commit
                    ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${GIT_EXECUTABLE} log -1 --format=%cs
                    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE date
                    ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
if(commit STREQUAL "")
    # Not a clone (a tarball), no git, or one git will not read (another user's clone).
    set(build "commit unknown")
else()
    set(build "git ${commit}")
endif()
if(BUILD_TYPE STREQUAL "")
    set(BUILD_TYPE "no build type")
endif()
string(APPEND build ", ${BUILD_TYPE}, ${COMPILER}")
if(date STREQUAL "")
    # Honours SOURCE_DATE_EPOCH, so a package built from a tarball is reproducible.
    string(TIMESTAMP date "%Y-%m-%d" UTC)
endif()

set(text "// Written by cmake/build_info.cmake at each build: do not edit.\n")
string(APPEND text "#pragma once\n")
string(APPEND text "#define GRADER_BUILD \"${build}\"\n")
string(APPEND text "#define GRADER_BUILD_DATE \"${date}\"\n")
file(WRITE ${OUTPUT}.new "${text}")
file(COPY_FILE ${OUTPUT}.new ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.new)
