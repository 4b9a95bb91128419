// JUnit XML, in the shape Jenkins, GitLab and GitHub test reporters read (the Ant/Surefire
// schema): <testsuites> holds one <testsuite> per exercise, each holding one <testcase> per case.
// A wrong value is a <failure>; anything that kept the call from giving a value (crash,
// time-out, missing symbol...) is an <error>, as JUnit separates failed assertions from tests
// that broke.

#include <cmath>
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "grader/report/details.hpp"
#include "grader/report/escape.hpp"
#include "grader/report/report.hpp"

namespace grader::report {
namespace {

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    double seconds = 0;
};

Counts count(const result::ExerciseResult& e) {
    Counts n;
    for (const result::CaseResult& c : e.cases) {
        ++n.tests;
        if (c.verdict == result::Verdict::Wrong)
            ++n.failures;
        else if (c.verdict != result::Verdict::Pass)
            ++n.errors;
        if (std::isfinite(c.seconds) && c.seconds > 0) n.seconds += c.seconds;
    }
    return n;
}

// Surefire's time pattern allows at most three decimals and no exponent.
std::string junit_time(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
    return fmt::format("{:.3f}", seconds);
}

std::string attr(std::string_view text) {
    return xml_escape(text, true);
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += line + '\n';
    return out;
}

void write_case(const result::ExerciseResult& e, const result::CaseResult& c, std::ostream& out) {
    out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", attr(e.id),
                       attr(fmt::format("{} ({})", c.id, case_function(c))), junit_time(c.seconds));
    if (c.verdict == result::Verdict::Pass) {
        out << "/>\n";
        return;
    }
    const char* element = c.verdict == result::Verdict::Wrong ? "failure" : "error";
    out << fmt::format(">\n      <{} message=\"{}\" type=\"{}\">", element, attr(c.message),
                       result::name(c.verdict))
        << xml_escape(join_lines(case_details(c))) << fmt::format("</{}>\n", element)
        << "    </testcase>\n";
}

// Student output: the schemas allow <system-out> only inside a <testsuite> (or <testcase>), and
// the output belongs to no single case, so it goes in the last suite.
void write_output(const result::Output& output, std::ostream& out) {
    // The raw text, not the "| " lines: CI shows <system-out> apart from the results already.
    std::string text = output.text;
    for (const std::string& note : output_notes(output)) {
        if (!text.empty() && !text.ends_with('\n')) text += '\n';
        text += note + '\n';
    }
    if (text.empty()) return;
    out << "    <system-out>" << xml_escape(text) << "</system-out>\n";
}

}  // namespace

void render_junit(const result::Result& r, std::ostream& out) {
    const std::string suites_name = r.spec_title.empty() ? "grader" : r.spec_title;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    if (r.load_error) {
        out << fmt::format(
            "<testsuites name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"{}\">\n",
            attr(suites_name), junit_time(r.seconds));
        out << "  <testsuite name=\"load\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" "
               "time=\"0.000\">\n";
        out << fmt::format(
            "    <testcase classname=\"load\" name=\"load\" time=\"0.000\">\n"
            "      <error message=\"{}\" type=\"load\">{}</error>\n"
            "    </testcase>\n",
            attr(load_error_sentence(r)), xml_escape(load_error_sentence(r) + '\n'));
        write_output(r.output, out);
        out << "  </testsuite>\n</testsuites>\n";
        return;
    }

    Counts total;
    for (const result::ExerciseResult& e : r.exercises) {
        const Counts n = count(e);
        total.tests += n.tests;
        total.failures += n.failures;
        total.errors += n.errors;
    }
    out << fmt::format(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "time=\"{}\">\n",
        attr(suites_name), total.tests, total.failures, total.errors, junit_time(r.seconds));
    for (std::size_t i = 0; i < r.exercises.size(); ++i) {
        const result::ExerciseResult& e = r.exercises[i];
        const Counts n = count(e);
        const std::string suite_name = e.title.empty() ? e.id : e.id + ": " + e.title;
        out << fmt::format(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
            "skipped=\"0\" time=\"{}\">\n",
            attr(suite_name), n.tests, n.failures, n.errors, junit_time(n.seconds));
        for (const result::CaseResult& c : e.cases) write_case(e, c, out);
        if (i + 1 == r.exercises.size()) write_output(r.output, out);
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
}

}  // namespace grader::report
