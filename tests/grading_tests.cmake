# Grading: in-process tests against the reference (no fork), and end-to-end tests that grade
# fixture submissions through the real sandboxed worker.
add_grader_test(grading)
target_compile_definitions(grading_test PRIVATE REFERENCE_LIB="$<TARGET_FILE:kl_reference>")

include(${CMAKE_CURRENT_SOURCE_DIR}/fixtures/fixtures.cmake OPTIONAL)

if(TARGET fixture_good_c)
    add_fixture(template_stub ${PROJECT_SOURCE_DIR}/student_template/solution.cpp)
    add_grader_test(end_to_end)
    target_compile_definitions(end_to_end_test PRIVATE
        REFERENCE_LIB="$<TARGET_FILE:kl_reference>"
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(end_to_end_test grader kl_reference fixture_template_stub ${GRADING_FIXTURE_TARGETS})

    # Hostile submissions (good/solution.c with one HOSTILE_* switch each), graded end to end.
    add_grader_test(hostile)
    target_compile_definitions(hostile_test PRIVATE
        REFERENCE_LIB="$<TARGET_FILE:kl_reference>"
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    target_compile_definitions(hostile_test PRIVATE LOAD_DIR="${FIXTURE_DIR}/load"
        LANGUAGES_DIR="${FIXTURE_DIR}/languages"
        PROJECT_SPEC="${PROJECT_SOURCE_DIR}/exercises.yaml")
    add_dependencies(hostile_test grader kl_reference ${GRADING_FIXTURE_TARGETS}
                     ${LOAD_FIXTURE_TARGETS} ${LANGUAGE_FIXTURE_TARGETS})
    # The same suite as an unprivileged user (as root: nobody, through setpriv), as an instructor
    # grading on their own account runs the grader: the same verdicts are expected.
    grader_add_test(NAME hostile_unprivileged
                    COMMAND ${PROJECT_SOURCE_DIR}/tests/run_unprivileged.sh
                            $<TARGET_FILE:hostile_test>)
    # And where the kernel refuses new namespaces (a container that forbids them): Landlock and
    # seccomp alone must give the same verdicts.
    add_executable(no_namespaces ${CMAKE_CURRENT_SOURCE_DIR}/tools/no_namespaces.c)
    target_link_libraries(no_namespaces PRIVATE PkgConfig::LIBSECCOMP)
    grader_add_test(NAME hostile_without_namespaces
                    COMMAND no_namespaces $<TARGET_FILE:hostile_test>)
    grader_add_test(NAME sandbox_without_namespaces
                    COMMAND no_namespaces $<TARGET_FILE:sandbox_test>)

    # The types besides double (tests/data/typed): fixtures graded end to end, and the spec
    # validated by the grader as built.
    add_grader_test(typed)
    target_compile_definitions(typed_test PRIVATE
        TYPED_DIR="${FIXTURE_DIR}/typed"
        GRADER_EXE="$<TARGET_FILE:grader>")
    add_dependencies(typed_test grader ${TYPED_FIXTURE_TARGETS})
    grader_add_test(NAME typed_validates
                    COMMAND grader validate
                            --spec ${PROJECT_SOURCE_DIR}/tests/data/typed/exercises.yaml
                            --reference ${FIXTURE_DIR}/typed/libtyped_reference.so)

    # The mutual-information set (exercises/mutual_information) through the grader as built: the
    # same binary that grades the KL set.
    add_grader_test(exercise_sets)
    target_compile_definitions(exercise_sets_test PRIVATE
        GRADER_EXE="$<TARGET_FILE:grader>"
        MI_REFERENCE="$<TARGET_FILE:mi_reference>"
        KL_REFERENCE="$<TARGET_FILE:kl_reference>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(exercise_sets_test grader mi_reference kl_reference fixture_good_c
                     ${MI_FIXTURE_TARGETS})

    # One submission over two workers gives the report one worker gives.
    add_grader_test(parallel_runner)
    target_compile_definitions(parallel_runner_test PRIVATE
        REFERENCE_LIB="$<TARGET_FILE:kl_reference>"
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(parallel_runner_test grader kl_reference ${GRADING_FIXTURE_TARGETS})
endif()

# The expected values' cache, in process against the reference.
add_grader_test(expected_cache)
target_compile_definitions(expected_cache_test PRIVATE REFERENCE_LIB="$<TARGET_FILE:kl_reference>"
    GRADER_EXE="$<TARGET_FILE:grader>")
add_dependencies(expected_cache_test grader kl_reference)

add_grader_test(cli)
target_compile_definitions(cli_test PRIVATE
    REFERENCE_LIB="$<TARGET_FILE:kl_reference>"
    GRADER_EXE="$<TARGET_FILE:grader>")
add_dependencies(cli_test grader kl_reference)
if(TARGET fixture_wrong_naive_logz)
    # A wrong submission for the reproducibility test: its report holds shrunk inputs.
    target_compile_definitions(cli_test PRIVATE WRONG_LIB="${FIXTURE_DIR}/libwrong_naive_logz.so")
    add_dependencies(cli_test fixture_wrong_naive_logz)
endif()

# A student's self-check against the bundle: shrinking, whole inputs and --repro programs, which
# the test compiles with the system's C compiler.
if(TARGET fixture_wrong_log2 AND TARGET fixture_good_c)
    add_grader_test(selfcheck)
    target_compile_definitions(selfcheck_test PRIVATE
        REFERENCE_LIB="$<TARGET_FILE:kl_reference>"
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}"
        TYPED_DIR="${FIXTURE_DIR}/typed")
    add_dependencies(selfcheck_test grader kl_reference fixture_wrong_log2 fixture_good_c
                     fixture_example_partial_attempt ${TYPED_FIXTURE_TARGETS})
endif()

# Not a test: the isolation benchmark that scripts/bench.sh runs.
add_executable(bench_isolation ${CMAKE_CURRENT_SOURCE_DIR}/bench_isolation.cpp)
target_link_libraries(bench_isolation PRIVATE grader_core grader_warnings)
target_compile_definitions(bench_isolation PRIVATE PROJECT_ROOT="${PROJECT_SOURCE_DIR}"
    WORKER_EXE="$<TARGET_FILE:grader-worker>"
    REFERENCE_LIB="$<TARGET_FILE:kl_reference>" GRADER_EXE="$<TARGET_FILE:grader>")
add_dependencies(bench_isolation grader kl_reference)

# Not a test either: a malloc/free pair in the guarded heap against the C library's.
if(NOT GRADER_SANITIZE)
    add_executable(bench_heap ${CMAKE_CURRENT_SOURCE_DIR}/bench_heap.cpp
                              ${PROJECT_SOURCE_DIR}/grader/malloc_interpose.cpp)
    target_link_libraries(bench_heap PRIVATE grader_core grader_warnings)
endif()

# What grading adds after a failure (shrinking, diagnoses) and for a regrade (hashes, seeds).
add_grader_test(feedback)
target_compile_definitions(feedback_test PRIVATE REFERENCE_LIB="$<TARGET_FILE:kl_reference>")

# A whole class through `grader batch` (fixtures, broken files, the gradebook, exports).
if(TARGET fixture_good_c)
    add_grader_test(class)
    target_link_libraries(class_test PRIVATE SQLite::SQLite3)
    target_compile_definitions(class_test PRIVATE
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}"
        SANDBOX_BROKEN_DIR="${CMAKE_BINARY_DIR}/fixtures/broken")
    add_dependencies(class_test grader kl_reference fixture_template_stub sandbox_broken_files
                     ${GRADING_FIXTURE_TARGETS})
    set_tests_properties(class PROPERTIES TIMEOUT 1500)
endif()

# A class as each LMS gives it for download, graded from the folder and the zip, its grades
# exported in each LMS's import format (docs/lms.md).
if(TARGET fixture_good_c)
    add_grader_test(lms_class)
    target_link_libraries(lms_class_test PRIVATE SQLite::SQLite3 PkgConfig::LIBARCHIVE)
    target_compile_definitions(lms_class_test PRIVATE
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(lms_class_test grader kl_reference ${GRADING_FIXTURE_TARGETS})
    set_tests_properties(lms_class PROPERTIES TIMEOUT 900)
endif()

# Deadlines, extensions, late penalties and adjustments through the commands (docs/deadlines.md).
if(TARGET fixture_good_c)
    add_grader_test(deadlines)
    target_compile_definitions(deadlines_test PRIVATE
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(deadlines_test grader kl_reference ${GRADING_FIXTURE_TARGETS})
    set_tests_properties(deadlines PROPERTIES TIMEOUT 900)
endif()

# A real one-node Slurm cluster, started and stopped by the test (as root; needs slurmctld,
# slurmd, slurm-client and munge, which scripts/setup-deps.sh installs).
if(TARGET fixture_good_c)
    add_grader_test(slurm)
    target_compile_definitions(slurm_test PRIVATE
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(slurm_test grader kl_reference fixture_template_stub ${GRADING_FIXTURE_TARGETS})
    # Slurm's ports are the cluster's own: never two of these at once.
    set_tests_properties(slurm PROPERTIES TIMEOUT 1200 RUN_SERIAL TRUE)
endif()

# The Kubernetes manifest's pods and merge, run as an Indexed Job would run them (no cluster).
if(TARGET fixture_good_c)
    add_grader_test(kubernetes)
    target_link_libraries(kubernetes_test PRIVATE yaml-cpp)
    target_compile_definitions(kubernetes_test PRIVATE
        GRADER_EXE="$<TARGET_FILE:grader>"
        FIXTURE_DIR="${FIXTURE_DIR}")
    add_dependencies(kubernetes_test grader kl_reference fixture_template_stub ${GRADING_FIXTURE_TARGETS})
endif()
