# grader_add_test(NAME name COMMAND program [arg...] [ENVIRONMENT VAR=VALUE...])
#
# Every CTest test of the project is added with this, never with add_test: the test runs through
# tests/run_isolated.sh, in build/test-env/<name>/ made anew for each run (its HOME, TMPDIR and
# XDG_CACHE_HOME), with a fixed minimal environment instead of the caller's, so that GRADER, CI,
# TERM, a cache or a file in /tmp left by an earlier run cannot change what it does
# (docs/testing.md). ENVIRONMENT takes the place of the ENVIRONMENT test property, which the
# wrapper would clear. The test `tests_are_isolated` fails if a test does not go through it.
# Included from the top-level CMakeLists.txt, so that tests/ and fuzz/ both see it.
include_guard(GLOBAL)

function(grader_add_test)
    cmake_parse_arguments(PARSE_ARGV 0 T "" "NAME" "COMMAND;ENVIRONMENT")
    if(T_UNPARSED_ARGUMENTS OR NOT T_NAME OR NOT T_COMMAND)
        message(FATAL_ERROR "grader_add_test(NAME name COMMAND program [arg...] "
                            "[ENVIRONMENT VAR=VALUE...]): ${ARGV}")
    endif()
    # add_test turns a target named as the command into its file, but not an argument: the
    # program is one, after the wrapper.
    list(POP_FRONT T_COMMAND program)
    if(TARGET ${program})
        set(program $<TARGET_FILE:${program}>)
    endif()
    add_test(NAME ${T_NAME}
             COMMAND ${GRADER_TEST_WRAPPER} ${GRADER_TEST_ENV_ROOT} ${T_NAME} ${T_ENVIRONMENT}
                     -- ${program} ${T_COMMAND})
endfunction()

set(GRADER_TEST_WRAPPER ${CMAKE_CURRENT_LIST_DIR}/run_isolated.sh)
set(GRADER_TEST_ENV_ROOT ${CMAKE_BINARY_DIR}/test-env)
