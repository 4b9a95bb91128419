# The test `tests_are_isolated` (cmake -P, from tests/CMakeLists.txt): every CTest test of the
# build dir BUILD runs through the wrapper WRAPPER in a folder of its own under ENV_ROOT, with no
# ENVIRONMENT property (the wrapper clears it: grader_add_test's ENVIRONMENT takes its place); and
# the wrapper hands its command nothing of the caller's environment. A test added with add_test
# instead of grader_add_test fails here, whatever the machine it is run on.
foreach(var CTEST BUILD WRAPPER ENV_ROOT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_isolated.cmake: -D${var}=... is missing")
    endif()
endforeach()

set(problems "")

# The tests as CTest will run them, with their properties.
execute_process(COMMAND ${CTEST} --show-only=json-v1 --test-dir ${BUILD}
                OUTPUT_VARIABLE json ERROR_VARIABLE error RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "ctest --show-only=json-v1 --test-dir ${BUILD} failed (${status}): ${error}")
endif()
string(JSON count LENGTH "${json}" tests)
# This test and at least one other: fewer means the listing was not read.
if(count LESS 2)
    message(FATAL_ERROR "ctest lists ${count} tests in ${BUILD}")
endif()
math(EXPR last "${count} - 1")
set(names "")
foreach(i RANGE ${last})
    string(JSON name GET "${json}" tests ${i} name)
    list(APPEND names ${name})
    string(JSON words ERROR_VARIABLE no_command LENGTH "${json}" tests ${i} command)
    if(no_command OR words LESS 5)
        string(CONCAT problem "${name}: its command does not go through ${WRAPPER} "
                              "(add it with grader_add_test, tests/isolated_test.cmake)")
        list(APPEND problems "${problem}")
        continue()
    endif()
    string(JSON program GET "${json}" tests ${i} command 0)
    string(JSON root GET "${json}" tests ${i} command 1)
    string(JSON folder GET "${json}" tests ${i} command 2)
    if(NOT program STREQUAL WRAPPER)
        string(CONCAT problem "${name}: runs ${program}, not through ${WRAPPER} "
                              "(add it with grader_add_test, tests/isolated_test.cmake)")
        list(APPEND problems "${problem}")
    elseif(NOT root STREQUAL ENV_ROOT OR NOT folder STREQUAL name)
        string(CONCAT problem "${name}: runs in ${root}/${folder}, not in a folder of its own "
                              "(${ENV_ROOT}/${name})")
        list(APPEND problems "${problem}")
    endif()
    string(JSON properties ERROR_VARIABLE no_properties GET "${json}" tests ${i} properties)
    if(NOT no_properties)
        string(JSON n LENGTH "${properties}")
        if(n GREATER 0)
            math(EXPR n_last "${n} - 1")
            foreach(j RANGE ${n_last})
                string(JSON property GET "${properties}" ${j} name)
                if(property MATCHES "^ENVIRONMENT")
                    string(CONCAT problem "${name}: its ${property} property would be cleared "
                                          "by the wrapper (give grader_add_test ENVIRONMENT "
                                          "VAR=VALUE instead)")
                    list(APPEND problems "${problem}")
                endif()
            endforeach()
        endif()
    endif()
endforeach()
list(LENGTH names unique_before)
list(REMOVE_DUPLICATES names)
list(LENGTH names unique_after)
if(NOT unique_before EQUAL unique_after)
    list(APPEND problems "two tests share a name, and so a folder")
endif()

# The wrapper itself, called from a polluted environment: only its own variables get through.
set(probe_root "$ENV{TMPDIR}")
if(probe_root STREQUAL "")
    set(probe_root ${ENV_ROOT}/tests_are_isolated.probe)
endif()
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env GRADER=/bin/false GRADER_BUNDLE=/nonexistent CI=true
            TERM=xterm-256color NO_COLOR=1 HOME=/nonexistent XDG_CACHE_HOME=/nonexistent
            TMPDIR=/nonexistent SLURM_ARRAY_TASK_ID=3 JOB_COMPLETION_INDEX=2
            ${WRAPPER} ${probe_root} probe KEPT=yes -- /usr/bin/env
    OUTPUT_VARIABLE seen ERROR_VARIABLE error RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    list(APPEND problems "the wrapper failed (${status}): ${error}")
endif()
string(REGEX MATCHALL "(^|\n)[^=\n]+=" seen_names "${seen}")
string(REGEX REPLACE "[\n=]" "" seen_names "${seen_names}")
list(SORT seen_names)
set(expected HOME KEPT LANG PATH TERM TMPDIR XDG_CACHE_HOME)
if(NOT seen_names STREQUAL expected)
    list(APPEND problems "the wrapper's command sees ${seen_names}, not ${expected}:\n${seen}")
endif()
foreach(var HOME TMPDIR XDG_CACHE_HOME)
    string(FIND "\n${seen}" "\n${var}=${probe_root}/probe/" at)
    if(at EQUAL -1)
        list(APPEND problems "the wrapper's ${var} is not in its test's folder:\n${seen}")
    endif()
endforeach()

if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "Tests that are not isolated (docs/testing.md):\n  ${text}")
endif()
message(STATUS "${count} tests, each through ${WRAPPER} in a folder of its own")
