// The command line as a user meets it: exit codes, where reports go, and errors as sentences.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace {

using test_support::Run;

// Runs the grader from the repository root, as the README does.
Run grader(const std::string& args) {
    return test_support::shell("cd " PROJECT_ROOT " && " GRADER_EXE " " + args);
}

std::string temp_file(const std::string& name, const std::string& content) {
    const std::string path = (test_support::temp_dir() / name).string();
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
    BOOST_TEST(
        r.out.find(
            "unknown report format \"yaml\"; use text, json, junit, gradescope or classroom") !=
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

BOOST_AUTO_TEST_CASE(a_bare_reference_name_is_a_file_in_the_working_directory) {
    // The loader would search its library folders for "exref.so": a path the user gives is a
    // path (issue 22).
    const auto dir = test_support::temp_dir() / "bare_reference";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(REFERENCE_LIB, dir / "exref.so",
                               std::filesystem::copy_options::overwrite_existing);
    const Run r =
        test_support::shell("cd " + dir.string() +
                            " && " GRADER_EXE " grade " REFERENCE_LIB " --spec " PROJECT_ROOT
                            "/exercises.yaml --reference exref.so");
    BOOST_TEST(r.status == 0, r.out);
}

BOOST_AUTO_TEST_CASE(from_another_folder_the_build_trees_spec_and_reference_are_found) {
    // build/ is laid out as an install prefix is: build/share/kl-grader/exercises.yaml is the
    // repository's spec, build/lib the reference.
    const auto dir = test_support::temp_dir() / "elsewhere";
    std::filesystem::create_directories(dir);
    const Run r = test_support::shell("cd " + dir.string() +
                                      " && " GRADER_EXE " grade " REFERENCE_LIB
                                      " --format json --no-timings");
    BOOST_TEST(r.status == 0, r.out);
}

BOOST_AUTO_TEST_CASE(version_names_the_version_and_the_build) {
    const Run r = grader("--version");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.rfind("grader (kl-grader) ", 0) == 0u, r.out);
    BOOST_TEST(r.out.find("\nbuild: ") != std::string::npos, r.out);
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
    const std::string bundle = (test_support::temp_dir() / "public.json").string();
    BOOST_TEST(grader("bundle -o " + bundle).status == 0);
    const Run r = grader("grade " REFERENCE_LIB " --spec " + bundle +
                         " --reference /nonexistent/libref.so --format json");
    BOOST_TEST(r.status == 0);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc.at("public_only").get<bool>());
}

// The bundle records the glibc of the machine that wrote it: a library needing more is loaded
// here but warned of, in the words the grading machine would refuse it with.
BOOST_AUTO_TEST_CASE(self_check_warns_of_a_library_the_grading_machine_cannot_load) {
    const std::string bundle = (test_support::temp_dir() / "public_glibc.json").string();
    BOOST_TEST(grader("bundle -o " + bundle).status == 0);
    const Run same = grader("grade " REFERENCE_LIB " --spec " + bundle);
    BOOST_TEST(same.status == 0);
    BOOST_TEST(same.out.find("GNU C library") == std::string::npos, same.out);

    std::ifstream in(bundle);
    auto doc = nlohmann::json::parse(in);
    doc["grading_glibc"] = "2.1";
    const std::string old = temp_file("public_old_glibc.json", doc.dump());
    const Run r = grader("grade " REFERENCE_LIB " --spec " + old);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find(" of the GNU C library (glibc)") != std::string::npos, r.out);
    BOOST_TEST(
        r.out.find("but the course's grading machine has glibc 2.1: it was built on a "
                   "newer system than the one grading it. Build it in the course's CI or "
                   "container, or on a system whose glibc is 2.1 or older") != std::string::npos,
        r.out);
}

BOOST_AUTO_TEST_CASE(reports_go_to_the_output_file) {
    const std::string path = (test_support::temp_dir() / "report.xml").string();
    std::remove(path.c_str());
    const Run r = grader("grade " REFERENCE_LIB " --format junit -o " + path);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.empty());
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    BOOST_TEST(s.str().find("<testsuites") != std::string::npos);
}

// One grading, several reports: --report FORMAT:FILE beside the one on stdout, each the same
// grading's (the JSON's score is the text's total); a wrong --report is refused before grading.
BOOST_AUTO_TEST_CASE(more_reports_from_one_grading) {
    const std::string xml = (test_support::temp_dir() / "more.xml").string();
    const std::string js = (test_support::temp_dir() / "more.json").string();
    std::remove(xml.c_str());
    std::remove(js.c_str());
    const Run r = grader("grade " REFERENCE_LIB " --no-timings --report junit:" + xml +
                         " --report json:" + js);
    BOOST_TEST(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Total: 140/140") != std::string::npos, r.out);
    std::ifstream xml_in(xml);
    const std::string junit((std::istreambuf_iterator<char>(xml_in)), {});
    BOOST_TEST(junit.find("<testsuites") != std::string::npos, junit);
    std::ifstream json_in(js);
    const auto doc = nlohmann::json::parse(json_in);
    BOOST_TEST(doc.at("score").get<double>() == 140.0);

    const Run no_colon = grader("grade " REFERENCE_LIB " --report junit");
    BOOST_TEST(no_colon.status == 2);
    BOOST_TEST(no_colon.out.find("write it FORMAT:FILE") != std::string::npos, no_colon.out);
    const Run unknown = grader("grade " REFERENCE_LIB " --report xml:" + xml);
    BOOST_TEST(unknown.status == 2);
    BOOST_TEST(unknown.out.find("unknown report format \"xml\"") != std::string::npos, unknown.out);
    BOOST_TEST(unknown.out.find("Total:") == std::string::npos, unknown.out);
}

#ifdef WRONG_LIB
// Reproducible reports: the same submission, spec and seed give byte-identical JSON apart from
// the fields that are timings, and with --no-timings byte-identical JSON.
BOOST_AUTO_TEST_CASE(two_runs_give_the_same_json_apart_from_timings) {
    const std::string args = "grade " WRONG_LIB " --format json --seed 77";
    const Run a = grader(args + " --no-timings"), b = grader(args + " --no-timings");
    BOOST_TEST(a.status == 1);
    BOOST_TEST(a.out == b.out);
    const auto doc = nlohmann::json::parse(a.out);
    BOOST_TEST(!doc.contains("seconds"));
    BOOST_TEST(a.out.find("\"seconds\"") == std::string::npos);
    // The report holds what makes this worth checking: shrunk inputs and a diagnosis.
    BOOST_TEST(a.out.find("\"shrunk\": {") != std::string::npos);
    BOOST_TEST(a.out.find("\"kind\": \"overflow\"") != std::string::npos);

    const Run c = grader(args), d = grader(args);
    auto without_timings = [](const std::string& text) {
        nlohmann::json j = nlohmann::json::parse(text);
        std::function<void(nlohmann::json&)> strip = [&](nlohmann::json& v) {
            if (v.is_object()) {
                v.erase("seconds");
                for (auto& [k, item] : v.items()) strip(item);
            } else if (v.is_array()) {
                for (auto& item : v) strip(item);
            }
        };
        strip(j);
        return j;
    };
    BOOST_TEST(c.out != d.out);                                    // the timings differ...
    BOOST_TEST(without_timings(c.out) == without_timings(d.out));  // ...and nothing else
    BOOST_TEST(without_timings(c.out) == nlohmann::json::parse(a.out));
}
#endif

BOOST_AUTO_TEST_CASE(the_json_report_records_hashes_and_seeds) {
    const Run r = grader("grade " REFERENCE_LIB " --format json --seed 8812");
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc.at("spec_sha256").get<std::string>().size() == 64u);
    BOOST_TEST(doc.at("reference_sha256").get<std::string>().size() == 64u);
    BOOST_TEST(doc.at("submission_sha256") == doc.at("reference_sha256"));  // graded itself
    BOOST_TEST(!doc.at("grader_version").get<std::string>().empty());
    const auto& seed = doc.at("seed");
    BOOST_TEST(seed.at("public").get<std::string>() == "20261125");
    BOOST_TEST(seed.at("hidden").get<std::string>() == "8812");
    BOOST_TEST(seed.at("hidden_from").get<std::string>() == "seed");
    BOOST_TEST(!seed.at("per_student").get<bool>());
    BOOST_TEST(doc.at("sandbox").at("layers").size() > 0u);
}

BOOST_AUTO_TEST_CASE(a_student_gets_hidden_inputs_of_their_own_and_a_regrade_reproduces_them) {
    const std::string secret_text = "course secret for the cli test 0123456789";
    const std::string secret = temp_file("course.secret", secret_text + "\n");
    const std::string base = "grade " REFERENCE_LIB " --format json --no-timings --secret-file " +
                             secret + " --student ";
    const Run alice = grader(base + "alice"), bob = grader(base + "bob");
    BOOST_TEST(alice.status == 0);
    const auto a = nlohmann::json::parse(alice.out), b = nlohmann::json::parse(bob.out);
    BOOST_TEST(a.at("seed").at("per_student").get<bool>());
    BOOST_TEST(a.at("seed").at("student").get<std::string>() == "alice");
    BOOST_TEST(a.at("seed").at("hidden") != b.at("seed").at("hidden"));
    BOOST_TEST(a.at("seed").at("public") == b.at("seed").at("public"));
    // The secret itself appears nowhere.
    BOOST_TEST(alice.out.find(secret_text) == std::string::npos);
    // A regrade with the recorded seed draws the same inputs: the same report but for where
    // the seed came from.
    const Run regrade = grader("grade " REFERENCE_LIB " --format json --no-timings --seed " +
                               a.at("seed").at("hidden").get<std::string>());
    auto r = nlohmann::json::parse(regrade.out);
    BOOST_TEST(r.at("seed").at("hidden") == a.at("seed").at("hidden"));
    r.erase("seed");
    auto a2 = a;
    a2.erase("seed");
    BOOST_TEST(r == a2);
    // The text report says whose inputs they were.
    const Run text = grader("grade " REFERENCE_LIB " --secret-file " + secret + " --student alice");
    BOOST_TEST(text.out.find("alice's own, from the course secret") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_a_secret_hidden_inputs_are_not_per_student_and_the_report_says_so) {
    const Run r = grader("grade " REFERENCE_LIB " --student alice");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("hidden inputs are not per-student") != std::string::npos);
    const std::string missing = (test_support::temp_dir() / "missing.secret").string();
    BOOST_TEST(grader("grade " REFERENCE_LIB " --secret-file " + missing).status == 2);
    const std::string secret = temp_file("course2.secret", "0123456789abcdef0123\n");
    const Run both = grader("grade " REFERENCE_LIB " --student a --seed 3 --secret-file " + secret);
    BOOST_TEST(both.status == 2);
    BOOST_TEST(both.out.find("give --seed or --secret-file, not both") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
