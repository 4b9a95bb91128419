// GitHub Classroom's autograding result: the JSON its reporter action
// (classroom-resources/autograding-grading-reporter) reads, base64-encoded, from a step output
// named `result` (student_template/check.sh does the encoding). The reporter adds up the tests'
// `score` and the `max_score` and posts "Points X/Y" on the run, which is what the Classroom
// dashboard shows; so the tests' scores add up to the report's total, and a library that could
// not be loaded is one test scoring 0 of everything. Messages use the text report's wording,
// and a hidden case shows its verdict and message only, as everywhere.

#include <ostream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grader/report/details.hpp"
#include "grader/report/escape.hpp"
#include "grader/report/json_value.hpp"
#include "grader/report/report.hpp"

namespace grader::report {
namespace {

using json = nlohmann::ordered_json;

json test_json(std::string name, const char* status, double score, const std::string& message) {
    return {
        {"name", std::move(name)}, {"status", status}, {"score", score}, {"message", message},
        {"test_code", ""},         {"filename", ""},   {"line_no", 0},   {"duration", 0},
    };
}

std::string message_of(const result::CaseResult& c) {
    if (c.verdict == result::Verdict::Pass) return "";
    std::string out(result::name(c.verdict));
    for (const std::string& line : case_details(c)) out += '\n' + terminal_safe(line);
    return out;
}

}  // namespace

void render_classroom(const result::Result& r, std::ostream& out) {
    json tests = json::array();
    if (r.load_error) {
        tests.push_back(test_json("load", "error", 0, terminal_safe(load_error_sentence(r))));
    } else {
        for (const auto& e : r.exercises)
            for (const auto& c : e.cases)
                tests.push_back(test_json(fmt::format("{} ({})", case_path(e, c), case_function(c)),
                                          c.verdict == result::Verdict::Pass ? "pass" : "fail",
                                          c.points, message_of(c)));
    }
    const char* status = r.load_error                        ? "error"
                         : awarded_score(r) == r.max_score() ? "pass"
                                                             : "fail";
    const json results = {
        {"version", 1},
        {"status", status},
        {"max_score", r.max_score()},
        {"tests", std::move(tests)},
    };
    write_json(results, out);
}

}  // namespace grader::report
