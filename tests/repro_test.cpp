// The C programs of --repro evaluate a property's lets and checks as the grader does. Checked by
// difference: random checks over every construct of the check language (each builtin, both
// forms of min and max, negation, the four operators, every relation, scalars broadcasting
// against arrays, NaN from log and sqrt of negatives, a let) are decided by the grader's own
// evaluator (grading/check_eval) and by the program the repro writes, compiled with the system's
// C compiler; the two must agree on every check.
#define BOOST_TEST_MODULE repro
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "grader/grading/check_eval.hpp"
#include "grader/repro/property_program.hpp"
#include "grader/repro/repro_dir.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace grader;

// A random expression over the inputs a, b (three values each) and s (one), and the let w.
std::string expression(std::mt19937& rng, int depth) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char* const kLeaves[] = {"a", "b", "s", "w", "0", "1", "0.5", "2", "3.25", "1e-3"};
    if (depth == 0 || pick(3) == 0) return kLeaves[pick(10)];
    const std::string x = expression(rng, depth - 1);
    switch (pick(8)) {
        case 0:
            return "-" + x;
        case 1: {
            static const char* const kOne[] = {"sum", "abs", "sqrt", "log",
                                               "exp", "len", "min",  "max"};
            return std::string(kOne[pick(8)]) + "(" + x + ")";
        }
        case 2:
            return std::string(pick(2) ? "min" : "max") + "(" + x + ", " +
                   expression(rng, depth - 1) + ")";
        default: {
            static const char kOps[] = {'+', '-', '*', '/'};
            return "(" + x + " " + kOps[pick(4)] + " " + expression(rng, depth - 1) + ")";
        }
    }
}

struct Compared {
    std::size_t agree = 0, holds = 0, fails = 0;
    std::vector<std::string> differ;
};

Compared compare_once(std::uint32_t seed, const fs::path& dir) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> value(-2.0, 3.0);
    grading::Instance inst;
    inst.inputs = {{"a", {value(rng), value(rng), value(rng)}},
                   {"b", {value(rng), value(rng), value(rng)}},
                   {"s", {value(rng)}}};
    grading::PreparedCase pc;
    pc.id = "random_checks";
    pc.property = true;
    pc.tolerance = {1e-9, 1e-12};
    pc.lets.push_back({"w", spec::parse_expression("a / sum(abs(a)) + b"), "a / sum(abs(a)) + b"});
    static const char* const kRelations[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};
    for (int k = 0; k < 150; ++k) {
        const std::string lhs = expression(rng, 3);
        // Half of them compare an expression with itself, as it is or nudged either way by
        // less than atol, so that equalities hold often enough to matter and the slack of <=
        // and >= decides some.
        static const char* const kNudges[] = {"", " + 1e-13", " - 1e-13"};
        const std::string rhs =
            rng() % 2 ? expression(rng, 3) : "(" + lhs + kNudges[rng() % 3] + ")";
        const std::string text = lhs + kRelations[rng() % 6] + rhs;
        pc.checks.push_back(spec::parse_check(text));
    }

    // The grader's decisions.
    std::map<std::string, std::vector<double>, std::less<>> env(inst.inputs.begin(),
                                                                inst.inputs.end());
    const spec::Lookup lookup = [&](std::string_view n) -> std::optional<spec::Value> {
        const auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
    env["w"] = spec::evaluate(pc.lets[0].expr, lookup);
    std::vector<bool> expected;
    for (const spec::Check& c : pc.checks)
        expected.push_back(!grading::failed_check(c, lookup, pc.tolerance));

    // The program's.
    grading::Prepared prepared;
    const std::string source =
        grader::repro::property_program("ex/random_checks", "random", prepared, pc, inst, false);
    const fs::path c_file = dir / ("checks_" + std::to_string(seed) + ".c");
    std::ofstream(c_file) << source;
    const fs::path exe = fs::path(c_file).replace_extension();
    const test_support::Run built = test_support::shell(
        "cc -std=c99 -O0 -Wall -Werror -o " + exe.string() + " " + c_file.string() + " -lm");
    BOOST_REQUIRE_MESSAGE(built.status == 0, built.out);
    const test_support::Run run = test_support::shell(exe.string());
    std::vector<bool> got;
    std::istringstream lines(run.out);
    bool in_checks = false;
    for (std::string line; std::getline(lines, line);) {
        if (line == "checks:") in_checks = true;
        if (!in_checks || line.rfind("  `", 0) != 0) continue;
        got.push_back(line.size() >= 7 && line.compare(line.size() - 7, 7, ": holds") == 0);
    }
    BOOST_REQUIRE_MESSAGE(got.size() == expected.size(), run.out);
    Compared out;
    bool all = true;
    for (std::size_t i = 0; i < got.size(); ++i) {
        all = all && expected[i];
        (expected[i] ? out.holds : out.fails) += 1;
        if (got[i] == expected[i])
            ++out.agree;
        else
            out.differ.push_back(pc.checks[i].text +
                                 (expected[i] ? " (grader: holds)" : " (grader: fails)"));
    }
    // And its exit status: 0 exactly when every check holds.
    BOOST_TEST((run.status == 0) == all, run.out);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(repro_programs)

BOOST_AUTO_TEST_CASE(programs_decide_every_check_as_the_grader_does) {
    const fs::path dir = test_support::temp_dir() / "checks";
    fs::create_directories(dir);
    std::size_t holds = 0, fails = 0;
    for (std::uint32_t seed = 1; seed <= 8; ++seed) {
        const Compared c = compare_once(seed, dir);
        for (const std::string& d : c.differ) BOOST_ERROR("seed " << seed << ": " << d);
        holds += c.holds;
        fails += c.fails;
    }
    // Both answers were tried, many times each.
    BOOST_TEST(holds > 100u);
    BOOST_TEST(fails > 100u);
}

BOOST_AUTO_TEST_CASE(a_check_naming_nothing_gets_no_program_and_says_why) {
    grading::PreparedCase pc;
    pc.property = true;
    pc.checks.push_back(spec::parse_check("K >= 0"));
    BOOST_CHECK_EXCEPTION(grader::repro::property_program("ex/p", "", grading::Prepared{}, pc,
                                                          grading::Instance{}, false),
                          Error, [](const Error& e) {
                              return std::string(e.what()).find("'K'") != std::string::npos;
                          });
}

BOOST_AUTO_TEST_SUITE_END()
