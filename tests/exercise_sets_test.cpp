// Two exercise sets, one grader: the mutual-information set (exercises/mutual_information) is
// validated and graded by the same binary that grades the KL set, and nothing in that binary or
// in the grader's sources names one of its functions.
#define BOOST_TEST_MODULE exercise_sets
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/shell.hpp"

namespace {

const std::string kSpec = "exercises/mutual_information/exercises.yaml";
const std::string kFunctions[] = {"joint_entropy", "conditional_entropy", "mutual_information",
                                  "joint_counts", "mi_from_samples"};

using test_support::Run;

Run grader(const std::string& args) {
    return test_support::shell("cd " PROJECT_ROOT " && " GRADER_EXE " " + args);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string mi_fixture(const std::string& name) {
    return std::string(FIXTURE_DIR) + "/mi/lib" + name + ".so";
}

// Exercise id -> (score, max score) from a JSON report.
std::map<std::string, std::pair<int, int>> scores(const std::string& json) {
    std::map<std::string, std::pair<int, int>> out;
    const nlohmann::json report = nlohmann::json::parse(json);
    for (const auto& e : report["exercises"])
        out[e["id"].get<std::string>()] = {e["score"].get<int>(), e["max_score"].get<int>()};
    return out;
}

Run grade_mi(const std::string& library) {
    return grader("grade " + library + " --spec " + kSpec +
                  " --reference " MI_REFERENCE " --format json --no-timings --no-cache");
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_reference_validates) {
    const Run r = grader("validate --spec " + kSpec + " --reference " MI_REFERENCE);
    BOOST_TEST(r.status == 0, r.out);
}

BOOST_AUTO_TEST_CASE(a_correct_submission_scores_full_marks) {
    const Run r = grade_mi(mi_fixture("mi_good"));
    BOOST_TEST(r.status == 0, r.out);
    const auto s = scores(r.out);
    BOOST_TEST(s.size() == 2u);
    for (const auto& [id, score] : s) BOOST_TEST(score.first == score.second, id);
}

BOOST_AUTO_TEST_CASE(bits_instead_of_nats_lose_the_information_exercise_only) {
    const Run r = grade_mi(mi_fixture("mi_log2"));
    BOOST_TEST(r.status == 1, r.out);
    const auto s = scores(r.out);
    BOOST_TEST(s.at("entropy").first == s.at("entropy").second);
    BOOST_TEST(s.at("information").first < s.at("information").second);
}

BOOST_AUTO_TEST_CASE(the_student_template_grades_to_zero_cleanly) {
    const Run r = grade_mi(mi_fixture("mi_template_stub"));
    BOOST_TEST(r.status == 1, r.out);
    for (const auto& [id, score] : scores(r.out)) BOOST_TEST(score.first == 0, id);
}

BOOST_AUTO_TEST_CASE(the_committed_header_is_the_generated_one) {
    const Run r = grader("header --spec " + kSpec);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out == read_file(std::string(PROJECT_ROOT) +
                                  "/exercises/mutual_information/student_template/mi_exercises.h"),
               "regenerate it: grader header --spec "
                   << kSpec
                   << " -o "
                      "exercises/mutual_information/student_template/mi_exercises.h");
    BOOST_TEST(r.out.find("#include <stdint.h>") != std::string::npos);
    // Its guard is its own: a student of both courses can include both headers.
    BOOST_TEST(r.out.find("#ifndef MUTUAL_INFORMATION_EXERCISES_H") != std::string::npos);
    BOOST_TEST(r.out.find("KL_") == std::string::npos);
    BOOST_TEST(r.out.find("double mi_from_samples(const int32_t *x, const int32_t *y, size_t n, "
                          "int32_t kx, int32_t ky);") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_same_binary_grades_both_sets_and_names_neither_set_s_functions) {
    // The KL set, with the grader's defaults (exercises.yaml at the root is still the KL set).
    const Run kl = grader("grade " FIXTURE_DIR "/libgood_c.so --reference " KL_REFERENCE
                          " --format json --no-timings --no-cache");
    BOOST_TEST(kl.status == 0, kl.out);
    BOOST_TEST(scores(kl.out).count("ex1") == 1u);
    BOOST_TEST(grade_mi(mi_fixture("mi_good")).status == 0);

    // Nothing was compiled in for the new set: its functions are named neither in the binary
    // nor anywhere in the grader's sources.
    const std::string binary = read_file(GRADER_EXE);
    BOOST_TEST_REQUIRE(binary.size() > 100000u);
    for (const std::string& f : kFunctions) {
        BOOST_TEST(binary.find(f) == std::string::npos, f << " is in the grader binary");
        for (const auto& entry :
             std::filesystem::recursive_directory_iterator(std::string(PROJECT_ROOT) + "/grader"))
            if (entry.is_regular_file())
                BOOST_TEST(read_file(entry.path()).find(f) == std::string::npos,
                           f << " is named in " << entry.path());
    }
}
