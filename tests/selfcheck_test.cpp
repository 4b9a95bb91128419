// A student's self-check against the public bundle, as they run it: a failing property whose calls
// are all their own functions is shrunk as against the spec, a failing value case shows its whole
// input, and `--repro DIR` writes C programs (value cases and properties) that fail on the wrong
// library and pass on a correct one, built with the Makefile beside them and the system's C
// compiler.
#define BOOST_TEST_MODULE selfcheck
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::Run;

const std::string kWrong = std::string(FIXTURE_DIR) + "/libwrong_log2.so";
const std::string kGood = std::string(FIXTURE_DIR) + "/libgood_c.so";

Run grader(const std::string& args) {
    return test_support::shell("cd " PROJECT_ROOT " && " GRADER_EXE " " + args);
}

// Written once: the public bundle made from the project's spec.
const std::string& bundle() {
    static const std::string path = [] {
        const std::string p = (test_support::temp_dir() / "public.json").string();
        const Run r = grader("bundle -o " + p);
        BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
        return p;
    }();
    return path;
}

const json& case_of(const json& report, const std::string& exercise, const std::string& id) {
    for (const json& e : report.at("exercises"))
        if (e.at("id") == exercise)
            for (const json& c : e.at("cases"))
                if (c.at("id") == id) return c;
    BOOST_FAIL("no case " + exercise + "/" + id + " in the report");
    static const json none;
    return none;
}

std::set<std::string> programs_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".c") out.insert(e.path().stem().string());
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(selfcheck)

BOOST_AUTO_TEST_CASE(a_property_of_the_students_own_functions_is_shrunk_against_the_bundle) {
    const Run r = grader("grade " + kWrong + " --spec " + bundle() + " --format json");
    BOOST_TEST(r.status == 1);
    const json report = json::parse(r.out.substr(r.out.find('{')));
    const json& decomposes = case_of(report, "ex1", "cross_entropy_decomposes");
    BOOST_TEST(decomposes.at("verdict") == "wrong");
    BOOST_REQUIRE(decomposes.at("shrunk").is_object());
    BOOST_TEST(decomposes.at("shrunk").at("inputs").size() > 0u, r.out);
}

BOOST_AUTO_TEST_CASE(a_failing_value_case_shows_its_whole_small_input) {
    const Run r = grader("grade " + kWrong + " --spec " + bundle());
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.out.find("p = [0.9, 0.04, 0.03, 0.02, 0.01]") != std::string::npos, r.out);
    // The shrunk property shows what the student's functions returned on the smaller input.
    BOOST_TEST(r.out.find("smallest failing input found") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("  K: got ") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(repro_programs_fail_on_the_wrong_library_and_pass_on_a_correct_one) {
    const fs::path dir = test_support::temp_dir() / "repro";
    const Run graded =
        grader("grade " + kWrong + " --spec " + bundle() + " --repro " + dir.string());
    BOOST_TEST(graded.status == 1);
    BOOST_TEST(graded.out.find("make -C " + dir.string() + " LIB=" + kWrong) != std::string::npos,
               graded.out);
    const std::set<std::string> programs = programs_in(dir);
    BOOST_TEST(programs.count("ex1_tokens_kl_pq") == 1u);
    BOOST_TEST(programs.count("ex1_kl_random") == 0u);  // hidden: not in the bundle at all
    BOOST_REQUIRE(fs::exists(dir / "Makefile"));

    // Every double of the input travels as a hex float literal.
    std::ifstream in(dir / "ex1_tokens_kl_pq.c");
    const std::string source((std::istreambuf_iterator<char>(in)), {});
    BOOST_TEST(source.find("0x1.ccccccccccccdp-1") != std::string::npos, source);  // 0.9

    const Run built = test_support::shell("make -C " + dir.string() + " LIB=" + kWrong);
    BOOST_REQUIRE_MESSAGE(built.status == 0, built.out);
    for (const std::string& p : programs) {
        const Run run = test_support::shell((dir / p).string());
        BOOST_TEST(run.status == 1, p << ":\n" << run.out);
        BOOST_TEST(run.out.find("FAIL") != std::string::npos, run.out);
    }
    const Run one = test_support::shell((dir / "ex1_tokens_kl_pq").string());
    BOOST_TEST(one.out.find("return value: expected 0.16") != std::string::npos, one.out);
    BOOST_TEST(one.out.find("tolerance rtol 1e-09") != std::string::npos, one.out);
    // A property gets its program too, on the shrunk input the report shows: the student's
    // three functions called on it and the check decided as the grader decides it.
    BOOST_TEST(programs.count("ex1_cross_entropy_decomposes") == 1u);
    const Run property = test_support::shell((dir / "ex1_cross_entropy_decomposes").string());
    BOOST_TEST(property.out.find("smallest failing input found") != std::string::npos,
               property.out);
    BOOST_TEST(property.out.find("  K: kl_divergence(p, q, n), called with") != std::string::npos,
               property.out);
    BOOST_TEST(property.out.find("`H == Hp + K`: does not hold") != std::string::npos,
               property.out);

    // The same programs, linked against a correct library: the failures are gone.
    const Run rebuilt = test_support::shell("make -B -C " + dir.string() + " LIB=" + kGood);
    BOOST_REQUIRE_MESSAGE(rebuilt.status == 0, rebuilt.out);
    for (const std::string& p : programs) {
        const Run run = test_support::shell((dir / p).string());
        BOOST_TEST(run.status == 0, p << ":\n" << run.out);
        BOOST_TEST(run.out.find("PASS") != std::string::npos, run.out);
    }
    BOOST_TEST(test_support::shell("make -C " + dir.string() + " LIB=" + kGood + " check").status ==
               0);
}

BOOST_AUTO_TEST_CASE(hidden_cases_never_get_a_repro) {
    const fs::path dir = test_support::temp_dir() / "repro_spec";
    const Run graded = grader("grade " + kWrong + " --reference " REFERENCE_LIB " --repro " +
                              dir.string() + " --format json");
    BOOST_TEST(graded.status == 1);
    const json report = json::parse(graded.out.substr(graded.out.find('{')));
    BOOST_TEST(case_of(report, "ex1", "kl_random").at("verdict") == "wrong");
    const std::set<std::string> programs = programs_in(dir);
    BOOST_TEST(programs.count("ex1_tokens_kl_pq") == 1u);
    BOOST_TEST(programs.count("ex1_kl_random") == 0u);
    BOOST_TEST(programs.count("ex1_kl_n1") == 0u);
}

BOOST_AUTO_TEST_CASE(a_later_run_replaces_the_programs_of_an_earlier_one) {
    const fs::path dir = test_support::temp_dir() / "repro_again";
    BOOST_TEST(
        grader("grade " + kWrong + " --spec " + bundle() + " --repro " + dir.string()).status == 1);
    BOOST_TEST(!programs_in(dir).empty());
    std::ofstream(dir / "mine.c") << "/* the student's own file */\n";
    const Run fixed = grader("grade " + kGood + " --spec " + bundle() + " --repro " + dir.string());
    BOOST_TEST(fixed.status == 0);
    BOOST_TEST((programs_in(dir) == std::set<std::string>{"mine"}));
    BOOST_TEST(fixed.out.find("no failing public case") != std::string::npos, fixed.out);
}

// A property that also calls another exercise's function: the program holds the reference's
// values for that call, as the grader uses them, and calls only the student's own functions.
BOOST_AUTO_TEST_CASE(a_property_program_writes_in_the_reference_values_of_other_exercises) {
    const fs::path dir = test_support::temp_dir() / "repro_other_exercise";
    const std::string partial = std::string(FIXTURE_DIR) + "/libexample_partial_attempt.so";
    const Run graded =
        grader("grade " + partial + " --reference " REFERENCE_LIB " --repro " + dir.string());
    BOOST_TEST(graded.status == 1);
    const std::string name = "ex9_matches_softened_distributions";
    BOOST_REQUIRE_MESSAGE(programs_in(dir).count(name) == 1u, graded.out);
    const Run built = test_support::shell("make -C " + dir.string() + " LIB=" + partial);
    BOOST_REQUIRE_MESSAGE(built.status == 0, built.out);
    const Run wrong = test_support::shell((dir / name).string());
    BOOST_TEST(wrong.status == 1, wrong.out);
    BOOST_TEST(
        wrong.out.find("softmax_t(logits, n, tau, p): the reference's values") != std::string::npos,
        wrong.out);
    BOOST_TEST(wrong.out.find("does not hold") != std::string::npos, wrong.out);
    const Run rebuilt = test_support::shell("make -B -C " + dir.string() + " LIB=" + kGood);
    BOOST_REQUIRE_MESSAGE(rebuilt.status == 0, rebuilt.out);
    const Run right = test_support::shell((dir / name).string());
    BOOST_TEST(right.status == 0, right.out);
    BOOST_TEST(right.out.find("PASS") != std::string::npos, right.out);
}

// Every C type the ABI has, in and out: int32_t outputs left unwritten or written past their end,
// float values beyond single-precision tolerance, a bool result, int64_t counts.
BOOST_AUTO_TEST_CASE(repro_programs_hold_every_type) {
    const std::string typed = TYPED_DIR;
    const std::string spec = std::string(PROJECT_ROOT) + "/tests/data/typed/exercises.yaml";
    for (const std::string wrong :
         {"unwritten", "overflow", "float_far", "sorted_strict", "bincount_off"}) {
        const fs::path dir = test_support::temp_dir() / ("typed_" + wrong);
        const std::string lib = typed + "/libtyped_" + wrong + ".so";
        const Run graded = grader("grade " + lib + " --spec " + spec + " --reference " + typed +
                                  "/libtyped_reference.so --repro " + dir.string());
        BOOST_TEST(graded.status == 1, wrong << ":\n" << graded.out);
        const std::set<std::string> programs = programs_in(dir);
        BOOST_TEST(!programs.empty(), wrong << ":\n" << graded.out);
        const Run built = test_support::shell("make -C " + dir.string() + " LIB=" + lib);
        BOOST_REQUIRE_MESSAGE(built.status == 0, built.out);
        for (const std::string& p : programs) {
            const Run run = test_support::shell((dir / p).string());
            BOOST_TEST(run.status == 1, wrong << " " << p << ":\n" << run.out);
        }
        const Run rebuilt = test_support::shell("make -B -C " + dir.string() + " LIB=" + typed +
                                                "/libtyped_good.so");
        BOOST_REQUIRE_MESSAGE(rebuilt.status == 0, rebuilt.out);
        for (const std::string& p : programs) {
            const Run run = test_support::shell((dir / p).string());
            BOOST_TEST(run.status == 0, wrong << " " << p << ":\n" << run.out);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
