# The report part: renders hand-built Results in every format (included from tests/CMakeLists.txt).
add_executable(report_test ${CMAKE_CURRENT_LIST_DIR}/report_test.cpp)
target_link_libraries(report_test PRIVATE
    grader_core Boost::unit_test_framework nlohmann_json::nlohmann_json grader_warnings)
target_compile_definitions(report_test PRIVATE BOOST_TEST_DYN_LINK)
grader_add_test(NAME report COMMAND report_test)
