// The text report: what a student reads after `grader grade lib.so`. Every string that comes
// from the Result passes through terminal_safe, because some of it (output, symbol names in
// messages, the submission's path) is under the student's control.

#include <ostream>
#include <string>

#include <fmt/format.h>

#include "grader/report/details.hpp"
#include "grader/report/escape.hpp"
#include "grader/report/report.hpp"

namespace grader::report {
namespace {

class Style {
  public:
    explicit Style(bool colour) : colour_(colour) {}
    std::string bold(std::string_view s) const { return wrap("\x1b[1m", s); }
    std::string green(std::string_view s) const { return wrap("\x1b[32m", s); }
    std::string red(std::string_view s) const { return wrap("\x1b[31m", s); }
    std::string bold_red(std::string_view s) const { return wrap("\x1b[1;31m", s); }

  private:
    std::string wrap(std::string_view code, std::string_view s) const {
        if (!colour_) return std::string(s);
        return fmt::format("{}{}\x1b[0m", code, s);
    }
    bool colour_;
};

std::string format_duration(double seconds) {
    if (!(seconds >= 0)) return "?";
    if (seconds < 1e-3) return fmt::format("{:.0f} us", seconds * 1e6);
    if (seconds < 1) return fmt::format("{:.1f} ms", seconds * 1e3);
    return fmt::format("{:.2f} s", seconds);
}

std::string join_safe(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) out += ", ";
        out += terminal_safe(item);
    }
    return out;
}

// "public 20261125, hidden 77 (the spec's: the same for every student)": what a regrade needs.
std::string seeds_line(const result::Seeds& s) {
    std::string line;
    if (s.public_seed) line = fmt::format("public {}", *s.public_seed);
    if (s.hidden_seed) {
        std::string from;
        if (s.hidden_from == "student")
            from = fmt::format("{}'s own, from the course secret", s.student);
        else if (s.hidden_from == "seed")
            from = "given with --seed";
        else
            from = "the spec's";
        if (s.hidden_from != "student") from += ": hidden inputs are not per-student";
        line += fmt::format("{}hidden {} ({})", line.empty() ? "" : ", ", *s.hidden_seed, from);
    }
    return line;
}

void write_header(const result::Result& r, std::ostream& out) {
    out << "Submission: " << terminal_safe(r.submission) << '\n';
    std::string spec = terminal_safe(r.spec_title.empty() ? r.spec : r.spec_title);
    if (!r.spec_title.empty() && !r.spec.empty()) spec += " (" + terminal_safe(r.spec) + ")";
    out << "Spec:       " << spec << '\n';
    out << "Sandbox:    " << (r.sandbox_layers.empty() ? "none" : join_safe(r.sandbox_layers))
        << '\n';
    for (const std::string& warning : r.sandbox_warnings)
        out << "Warning:    " << terminal_safe(warning) << '\n';
    if (const std::string seeds = seeds_line(r.seeds); !seeds.empty())
        out << "Seeds:      " << terminal_safe(seeds) << '\n';
}

void write_case(const result::ExerciseResult& e, const result::CaseResult& c, const Style& style,
                const TextOptions& options, std::ostream& out) {
    const bool pass = c.verdict == result::Verdict::Pass;
    std::string line = fmt::format(
        "  {}  {}  {}  {}/{}", pass ? style.green("PASS") : style.red("FAIL"),
        terminal_safe(case_path(e, c)), terminal_safe(case_function(c)), c.points, c.max_points);
    if (!pass) line += fmt::format("  {}", result::name(c.verdict));
    if (options.verbose && options.timings)
        line += fmt::format("  ({})", format_duration(c.seconds));
    out << line << '\n';
    for (const std::string& detail : case_details(c))
        out << "        " << terminal_safe(detail) << '\n';
}

void write_exercise(const result::ExerciseResult& e, const Style& style, const TextOptions& options,
                    std::ostream& out) {
    std::string heading = terminal_safe(e.id);
    if (!e.title.empty()) heading += ": " + terminal_safe(e.title);
    out << '\n' << style.bold(fmt::format("{}  {}/{}", heading, e.score(), e.max_score())) << '\n';
    for (const result::CaseResult& c : e.cases) write_case(e, c, style, options, out);
}

}  // namespace

void render_text(const result::Result& r, std::ostream& out, const TextOptions& options) {
    const Style style(options.colour);
    write_header(r, out);
    if (r.load_error) {
        out << '\n' << style.bold_red(terminal_safe(load_error_sentence(r))) << '\n';
        out << "No case could be run, so the score is 0.\n";
    } else {
        for (const result::ExerciseResult& e : r.exercises) write_exercise(e, style, options, out);
    }
    const std::vector<std::string> output = output_section(r.output);
    if (!output.empty()) out << '\n';
    for (const std::string& line : output) out << line << '\n';
    out << '\n' << style.bold(total_line(r)) << '\n';
    if (r.lateness && !r.lateness->text.empty())
        out << style.bold(
                   terminal_safe(fmt::format("Late: {}; final score {:g}/{}", r.lateness->text,
                                             r.lateness->final_score, r.max_score())))
            << '\n';
    if (r.public_only) out << public_only_note() << '\n';
    if (options.verbose && options.timings) {
        out << fmt::format("Graded in {} by grader {}", format_duration(r.seconds),
                           terminal_safe(r.grader_version.empty() ? "?" : r.grader_version))
            << '\n';
    }
}

}  // namespace grader::report
