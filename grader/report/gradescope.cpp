// Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder
// Specifications"). The top-level score is given explicitly, so Gradescope does not re-add the
// tests. Texts are plain ("output_format": "text") so nothing a student prints is read as HTML
// or Markdown, and they use the text report's wording.

#include <cmath>
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

using json = nlohmann::ordered_json;  // fields in the order written, for people reading it

std::string join_safe_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        if (!out.empty()) out += '\n';
        out += terminal_safe(line);
    }
    return out;
}

json test_json(const result::ExerciseResult& e, std::size_t exercise_number,
               const result::CaseResult& c, std::size_t case_number) {
    const bool pass = c.verdict == result::Verdict::Pass;
    std::string output = pass ? "passed" : fmt::format("{}", result::name(c.verdict));
    const std::string details = join_safe_lines(case_details(c));
    if (!details.empty()) output += '\n' + details;
    return {
        {"name", fmt::format("{} / {} ({})", e.id, c.id, case_function(c))},
        {"number", fmt::format("{}.{}", exercise_number, case_number)},
        {"score", c.points},
        {"max_score", c.max_points},
        {"status", pass ? "passed" : "failed"},
        {"output", output},
        {"output_format", "text"},
        // Hidden cases show their verdict and message only once grades are published.
        {"visibility", c.hidden ? "after_published" : "visible"},
    };
}

std::string overall_output(const result::Result& r) {
    std::vector<std::string> lines;
    if (r.load_error) lines.push_back(load_error_sentence(r));
    lines.push_back(total_line(r));
    if (r.public_only) lines.emplace_back(public_only_note());
    for (const std::string& warning : r.sandbox_warnings) lines.push_back("Warning: " + warning);
    std::string out = join_safe_lines(lines);
    // output_section has escaped its "| " lines already.
    const std::vector<std::string> section = output_section(r.output);
    if (!section.empty()) out += "\n\n";
    for (std::size_t i = 0; i < section.size(); ++i) out += (i ? "\n" : "") + section[i];
    return out;
}

}  // namespace

void render_gradescope(const result::Result& r, std::ostream& out) {
    json tests = json::array();
    if (r.load_error) {
        tests.push_back({
            {"name", "load"},
            {"number", "0"},
            {"score", 0},
            {"max_score", r.max_score()},
            {"status", "failed"},
            {"output", terminal_safe(load_error_sentence(r))},
            {"output_format", "text"},
            {"visibility", "visible"},
        });
    } else {
        for (std::size_t i = 0; i < r.exercises.size(); ++i)
            for (std::size_t k = 0; k < r.exercises[i].cases.size(); ++k)
                tests.push_back(test_json(r.exercises[i], i + 1, r.exercises[i].cases[k], k + 1));
    }
    const json results = {
        {"score", awarded_score(r)},
        {"execution_time", std::isfinite(r.seconds) && r.seconds > 0 ? r.seconds : 0.0},
        {"output", overall_output(r)},
        {"output_format", "text"},
        {"visibility", "visible"},
        {"stdout_visibility", "hidden"},
        {"tests", std::move(tests)},
    };
    write_json(results, out);
}

}  // namespace grader::report
