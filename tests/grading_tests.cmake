# Grading: in-process tests against the reference (no fork), and end-to-end tests that grade
# fixture submissions through the real sandboxed worker.
add_grader_test(grading)
target_compile_definitions(grading_test PRIVATE REFERENCE_LIB="$<TARGET_FILE:kl_reference>")

include(${CMAKE_CURRENT_SOURCE_DIR}/fixtures/fixtures.cmake OPTIONAL)
