// The command line as a user meets it: exit codes, where reports go, and errors as sentences.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace {

struct Run {
    int status = -1;
    std::string out;  // stdout and stderr together
};

// Runs the grader from the repository root, as the README does.
Run grader(const std::string& args) {
    const std::string command = "cd " PROJECT_ROOT " && " GRADER_EXE " " + args + " 2>&1";
    Run r;
    FILE* pipe = popen(command.c_str(), "r");
    BOOST_REQUIRE(pipe);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int raw = pclose(pipe);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
}

std::string temp_file(const std::string& name, const std::string& content) {
    const std::string path = "/tmp/grader_cli_test_" + name;
    std::ofstream(path) << content;
    return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(full_marks_exit_zero_with_json_and_no_other_flag) {
    const Run r = grader("grade " REFERENCE_LIB " --format json");
    BOOST_TEST(r.status == 0);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc.at("score").get<int>() == doc.at("max_score").get<int>());
    BOOST_TEST(doc.at("load_error").is_null());
    BOOST_TEST(doc.at("exercises").size() == 10u);
}

BOOST_AUTO_TEST_CASE(a_library_that_cannot_load_is_graded_with_exit_one) {
    const std::string junk = temp_file("junk.so", "this is not a shared library\n");
    const Run r = grader("grade " + junk + " --format json");
    BOOST_TEST(r.status == 1);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc.at("score").get<int>() == 0);
    BOOST_TEST(doc.at("load_error").is_string());
}

BOOST_AUTO_TEST_CASE(a_missing_library_is_a_load_error_not_a_crash) {
    const Run r = grader("grade /nonexistent/libnothing.so");
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.out.find("could not be loaded") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_arguments_exit_two) {
    BOOST_TEST(grader("grade " REFERENCE_LIB " --format yaml").status == 2);
    BOOST_TEST(grader("frobnicate").status == 2);
    BOOST_TEST(grader("grade").status == 2);
    const Run r = grader("grade " REFERENCE_LIB " --format yaml");
    BOOST_TEST(r.out.find("unknown report format \"yaml\"; use text, json, junit or gradescope") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_broken_spec_exits_two_naming_the_line) {
    const std::string spec = temp_file(
        "bad.yaml", "version: 1\nfunctions: {}\nexercises:\n  - id: ex1\n    functons: []\n");
    const Run r = grader("grade " REFERENCE_LIB " --spec " + spec);
    BOOST_TEST(r.status == 2);
    BOOST_TEST(
        r.out.find(spec +
                   ":5: an exercise: unknown key \"functons\" (did you mean \"functions\"?)") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_reference_exits_two) {
    const Run r = grader("grade " REFERENCE_LIB " --reference /nonexistent/libref.so");
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out.find("the reference library /nonexistent/libref.so does not exist") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(validate_passes_on_the_project_spec) {
    const Run r = grader("validate");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find(": valid") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(list_and_header_describe_the_spec) {
    const Run list = grader("list");
    BOOST_TEST(list.status == 0);
    BOOST_TEST(list.out.find("kl_divergence") != std::string::npos);
    const Run header = grader("header");
    BOOST_TEST(header.status == 0);
    BOOST_TEST(
        header.out.find("double kl_divergence(const double *p, const double *q, size_t n);") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(students_self_check_against_the_bundle_without_the_reference) {
    const std::string bundle = "/tmp/grader_cli_test_public.json";
    BOOST_TEST(grader("bundle -o " + bundle).status == 0);
    const Run r = grader("grade " REFERENCE_LIB " --spec " + bundle +
                         " --reference /nonexistent/libref.so --format json");
    BOOST_TEST(r.status == 0);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc.at("public_only").get<bool>());
}

BOOST_AUTO_TEST_CASE(reports_go_to_the_output_file) {
    const std::string path = "/tmp/grader_cli_test_report.xml";
    std::remove(path.c_str());
    const Run r = grader("grade " REFERENCE_LIB " --format junit -o " + path);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.empty());
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    BOOST_TEST(s.str().find("<testsuites") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
