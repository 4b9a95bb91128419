# Boost.Test suite for the reference implementation; included from tests/CMakeLists.txt.
# It links the reference directly (not through the grader's loader) and holds it against every
# figure of the seed notebook in tests/data/seed_values.json plus numerical edge cases.
add_executable(reference_test ${PROJECT_SOURCE_DIR}/tests/reference_test.cpp)
target_link_libraries(reference_test PRIVATE
    kl_reference
    Boost::unit_test_framework
    nlohmann_json::nlohmann_json
    grader_warnings
    grader_sanitize
)
target_compile_definitions(reference_test PRIVATE
    BOOST_TEST_DYN_LINK
    SEED_VALUES_JSON="${PROJECT_SOURCE_DIR}/tests/data/seed_values.json"
)
grader_add_test(NAME reference COMMAND reference_test)
