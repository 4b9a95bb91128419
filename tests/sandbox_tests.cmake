# The sandbox suite: fixture submissions (hostile: one misbehaviour each; broken: files that are
# not loadable libraries), and the end-to-end test that drives real workers. Included from
# tests/CMakeLists.txt. Fixtures never get the warnings or sanitizer targets: they are meant to be
# bad, and the worker loads them without the sanitizer runtime's help.

set(SANDBOX_FIXTURE_DIR ${CMAKE_BINARY_DIR}/fixtures)
set(SANDBOX_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR})
find_package(Threads REQUIRED)

set(SANDBOX_HOSTILE baseline segfault spin overflow const_input exit_mid_call garbage prints memory
    forbidden threads ctor_crash ctor_exit ctor_loop ctor_fork
    channel ctor_close late_exit ctor_alarm)
set(SANDBOX_FIXTURE_DEFINITIONS)
set(SANDBOX_FIXTURE_TARGETS)

function(sandbox_fixture name source)
    add_library(fixture_${name} MODULE ${source})
    target_link_libraries(fixture_${name} PRIVATE m Threads::Threads)
    set_target_properties(fixture_${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SANDBOX_FIXTURE_DIR})
endfunction()

foreach(name IN LISTS SANDBOX_HOSTILE)
    sandbox_fixture(${name} ${SANDBOX_SOURCE_DIR}/fixtures/hostile/${name}.c)
    list(APPEND SANDBOX_FIXTURE_TARGETS fixture_${name})
endforeach()
sandbox_fixture(mangled ${SANDBOX_SOURCE_DIR}/fixtures/broken/mangled.cpp)
sandbox_fixture(undefined_symbol ${SANDBOX_SOURCE_DIR}/fixtures/broken/undefined_symbol.c)
list(APPEND SANDBOX_FIXTURE_TARGETS fixture_mangled fixture_undefined_symbol)
foreach(target IN LISTS SANDBOX_FIXTURE_TARGETS)
    string(TOUPPER ${target} define)
    list(APPEND SANDBOX_FIXTURE_DEFINITIONS "${define}=\"$<TARGET_FILE:${target}>\"")
endforeach()

# Files that are not libraries, made by the build (never committed as binaries).
set(SANDBOX_BROKEN_DIR ${SANDBOX_FIXTURE_DIR}/broken)
file(MAKE_DIRECTORY ${SANDBOX_BROKEN_DIR}/directory.so)
file(WRITE ${SANDBOX_BROKEN_DIR}/empty.so "")
file(WRITE ${SANDBOX_BROKEN_DIR}/text.so "This is my homework, I could not get it to compile.\n")
add_executable(sandbox_make_broken ${SANDBOX_SOURCE_DIR}/fixtures/broken/make_broken.c)
set(SANDBOX_BROKEN_FILES)
foreach(kind truncated class32 aarch64 executable glibc299 glibcxx macho pe)
    add_custom_command(
        OUTPUT ${SANDBOX_BROKEN_DIR}/${kind}.so
        COMMAND sandbox_make_broken ${kind} $<TARGET_FILE:fixture_baseline> ${SANDBOX_BROKEN_DIR}/${kind}.so
        DEPENDS sandbox_make_broken fixture_baseline
        COMMENT "Making the broken fixture ${kind}.so")
    list(APPEND SANDBOX_BROKEN_FILES ${SANDBOX_BROKEN_DIR}/${kind}.so)
endforeach()
add_custom_target(sandbox_broken_files ALL DEPENDS ${SANDBOX_BROKEN_FILES})

add_executable(sandbox_test ${SANDBOX_SOURCE_DIR}/sandbox_test.cpp)
target_link_libraries(sandbox_test PRIVATE grader_core Boost::unit_test_framework grader_warnings)
target_compile_definitions(sandbox_test PRIVATE
    BOOST_TEST_DYN_LINK
    WORKER_EXE="$<TARGET_FILE:grader-worker>"
    GRADER_EXE="$<TARGET_FILE:grader>"
    SANDBOX_BROKEN_DIR="${SANDBOX_BROKEN_DIR}"
    ${SANDBOX_FIXTURE_DEFINITIONS})
add_dependencies(sandbox_test grader sandbox_broken_files ${SANDBOX_FIXTURE_TARGETS})
grader_add_test(NAME sandbox COMMAND sandbox_test)
set_tests_properties(sandbox PROPERTIES TIMEOUT 120)
