#include "grader/report/details.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "grader/report/escape.hpp"
#include "grader/report/report.hpp"

namespace grader::report {
namespace {

// Errors are read, not re-entered: two significant digits say how far off a value was.
std::string format_error(double value) {
    if (!std::isfinite(value)) return format_number(value);
    return fmt::format("{:.2g}", value);
}

// A compared value as its C type writes it. An integer output the function never wrote reads as
// NaN (its fill value): "nothing" is what the student's code put there.
std::string mismatch_value(const result::Mismatch& m, double v) {
    switch (m.kind) {
        case result::ValueKind::Bool:
            return v == 0 ? "false" : v == 1 ? "true" : format_number(v);
        case result::ValueKind::Integer:
            return std::isnan(v) ? "nothing" : format_number(v);
        case result::ValueKind::Float:
            return std::isfinite(v) ? fmt::format("{}", static_cast<float>(v)) : format_number(v);
        case result::ValueKind::Double:
            break;
    }
    return format_number(v);
}

std::string mismatch_where(const result::Mismatch& m) {
    if (m.index) return fmt::format(" at index {} of {}", *m.index, m.output);
    if (!m.output.empty() && m.output != "return value") return " in " + m.output;
    return "";
}

void add_lines(std::vector<std::string>& lines, std::string_view text) {
    for (std::string_view line : split_lines(text)) lines.emplace_back(line);
}

std::string all_numbers(const std::vector<double>& values) {
    if (values.size() == 1) return format_number(values[0]);
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + format_number(values[i]);
    return out + "]";
}

// "... once one had <this>": how a case's failure could cost a worker per further input.
std::string past_tense(result::Verdict v) {
    switch (v) {
        case result::Verdict::Crash:
            return "crashed";
        case result::Verdict::Timeout:
            return "run out of time";
        case result::Verdict::Memory:
            return "run out of memory";
        case result::Verdict::Overflow:
            // Past an output, or past or before a block the function allocated itself.
            return "written outside an array";
        case result::Verdict::Forbidden:
            return "been stopped by the sandbox";
        default:
            return "failed without a result";
    }
}

// The smallest failing input, in full, and what came back on it.
void add_shrunk(std::vector<std::string>& lines, const result::Shrunk& s) {
    if (s.inputs.empty()) {
        // With no call made, nothing was found not to fail: say that none was tried.
        lines.push_back(s.calls == 0 ? std::string("no smaller input was tried")
                                     : fmt::format("no smaller input fails the same way ({} tried)",
                                                   plural(s.calls, "call")));
        return;
    }
    const std::string budget =
        s.stopped == "done" ? "" : ", stopped by the " + s.stopped + " budget";
    // Inputs of a fixed length can only get simpler values, not fewer.
    lines.push_back(s.values == s.original_values
                        ? fmt::format("simplest failing input found: the same {}, simpler ({}{}):",
                                      plural(s.values, "value"), plural(s.calls, "extra call"),
                                      budget)
                        : fmt::format("smallest failing input found: {} instead of {} ({}{}):",
                                      plural(s.values, "value"), s.original_values,
                                      plural(s.calls, "extra call"), budget));
    for (std::size_t i = 0; i < s.inputs.size(); ++i)
        lines.push_back((i == 0 ? "  inputs: " : "          ") + s.inputs[i]);
    add_lines(lines, "  " + s.message);
    for (std::size_t i = 0; i < s.returned.size() && i < s.expected.size(); ++i)
        lines.push_back(fmt::format("  {}: expected {}, got {}", s.returned[i].name,
                                    all_numbers(s.expected[i].values),
                                    all_numbers(s.returned[i].values)));
    // Shrunk with no reference (a self-check's property): the values checked against each other.
    if (s.expected.empty())
        for (const result::NamedValues& got : s.returned)
            lines.push_back(fmt::format("  {}: got {}", got.name, all_numbers(got.values)));
}

}  // namespace

int awarded_score(const result::Result& result) {
    return result.load_error ? 0 : result.score();
}

std::string load_error_sentence(const result::Result& result) {
    return "The library could not be loaded: " + result.load_error.value_or("");
}

std::string total_line(const result::Result& result) {
    std::string line = fmt::format("Total: {}/{}", awarded_score(result), result.max_score());
    const std::size_t cases = result.case_count();
    if (result.load_error) return line + " (the library could not be loaded)";
    if (cases == 0) return line + " (no cases)";
    const std::size_t failed = result.failed_count();
    if (failed == 0) return line + fmt::format(" (all {} passed)", plural(cases, "case"));
    return line + fmt::format(" ({} of {} failed)", failed, plural(cases, "case"));
}

std::string_view public_only_note() {
    return "Only public cases were graded: hidden cases were not run, so this is not the final "
           "grade.";
}

std::vector<std::string> case_details(const result::CaseResult& c) {
    std::vector<std::string> lines;
    if (c.verdict == result::Verdict::Pass) return lines;
    add_lines(lines, c.message);
    if (c.hidden) {
        lines.emplace_back("(hidden case: inputs not shown)");
        return lines;
    }
    for (std::size_t i = 0; i < c.inputs.size(); ++i)
        lines.push_back((i == 0 ? "inputs: " : "        ") + c.inputs[i]);
    if (c.mismatch) {
        const result::Mismatch& m = *c.mismatch;
        lines.push_back(fmt::format("expected {}, got {}{}", mismatch_value(m, m.expected),
                                    mismatch_value(m, m.got), mismatch_where(m)));
        if (m.kind == result::ValueKind::Integer || m.kind == result::ValueKind::Bool)
            lines.emplace_back(m.kind == result::ValueKind::Bool
                                   ? "(a bool is compared exactly)"
                                   : "(integers are compared exactly)");
        else
            lines.push_back(fmt::format("(abs error {}, rel error {}; tolerance rtol {}, atol {})",
                                        format_error(m.abs_error), format_error(m.rel_error),
                                        format_number(m.rtol), format_number(m.atol)));
    }
    if (c.instances > 1 && c.failed_instances > 0)
        lines.push_back(
            c.not_run_instances == 0
                ? fmt::format("{} of {} random inputs failed", c.failed_instances, c.instances)
                : fmt::format("{} of {} random inputs failed; the other {} were not run once "
                              "one had {}",
                              c.failed_instances, c.instances, c.not_run_instances,
                              past_tense(c.verdict)));
    if (c.shrunk) add_shrunk(lines, *c.shrunk);
    for (const result::Diagnosis& d : c.diagnoses) lines.push_back("diagnosis: " + d.sentence);
    if (!c.hint.empty()) {
        const std::vector<std::string_view> hint = split_lines(c.hint);
        for (std::size_t i = 0; i < hint.size(); ++i)
            lines.push_back(fmt::format("{}{}", i == 0 ? "hint: " : "      ", hint[i]));
    }
    return lines;
}

std::string case_path(const result::ExerciseResult& e, const result::CaseResult& c) {
    return e.id + "/" + c.id;
}

std::string case_function(const result::CaseResult& c) {
    return c.property ? c.function + " (property)" : c.function;
}

std::vector<std::string> output_section(const result::Output& output) {
    std::vector<std::string> lines;
    if (!output.text.empty()) {
        lines.push_back(fmt::format(
            "--- output of the submission (stdout/stderr, {}{}, not part of the grade) ---",
            output.discarded ? "more than " : "", plural(output.bytes, "byte")));
        for (std::string_view line : split_lines(output.text))
            lines.push_back("| " + terminal_safe(line));
        lines.emplace_back("--- end of output ---");
    }
    for (std::string& note : output_notes(output)) lines.push_back(std::move(note));
    return lines;
}

std::vector<std::string> output_notes(const result::Output& output) {
    std::vector<std::string> lines;
    // Guard the subtraction: these counts come from another part and are only hints here.
    const std::size_t public_bytes =
        output.bytes > output.hidden_bytes ? output.bytes - output.hidden_bytes : 0;
    if (public_bytes > output.text.size())
        lines.push_back(fmt::format("({} of output were cut and are not shown)",
                                    plural(public_bytes - output.text.size(), "byte")));
    if (output.hidden_bytes > 0)
        lines.push_back(fmt::format("({} printed during hidden cases are not shown)",
                                    plural(output.hidden_bytes, "byte")));
    if (output.discarded)
        lines.push_back(fmt::format(
            "(it printed more than {}: the rest was discarded unread and not counted; a print "
            "left in a loop slows grading down)",
            plural(output.bytes, "byte")));
    return lines;
}

std::string plural(std::size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

}  // namespace grader::report
