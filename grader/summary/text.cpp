// The summary on a terminal: the same facts as the page, a few dozen lines. Ids, names and
// values pass through terminal_safe: a student id is a file name, and may hold anything.

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "grader/report/escape.hpp"
#include "grader/summary/summary.hpp"

namespace grader::summary {

namespace {

constexpr std::size_t kHardestCases = 5;
constexpr std::size_t kAnswerGroups = 5;
constexpr std::size_t kSharedGroups = 5;
constexpr std::size_t kBarWidth = 40;

std::string safe(std::string_view text) {
    return report::terminal_safe(text);
}

std::string joined(const std::vector<std::string>& ids, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < max; ++i) out += (i ? ", " : "") + safe(ids[i]);
    if (ids.size() > max) out += fmt::format(", … ({} in all)", ids.size());
    return out;
}

std::string count(std::size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string bin_label(const Bin& b) {
    return b.lo == b.hi ? std::to_string(b.lo) : fmt::format("{}–{}", b.lo, b.hi);
}

}  // namespace

void render_text(const ClassSummary& s, std::ostream& out) {
    const Counts& c = s.counts;
    const Distribution& d = s.totals;
    out << "Class summary: " << safe(s.title) << "\n";
    out << fmt::format("  {}: {} graded, {}, {}; {} with no submission\n",
                       count(c.submissions, "submission"), c.graded,
                       count(c.load_errors, "load error"), count(c.system_errors, "system error"),
                       c.no_submission);
    if (d.n)
        out << fmt::format(
            "  totals of {}: mean {:.1f} ({:.0f}%), median {:g}, standard deviation {}, "
            "{} at zero, {} at full marks\n",
            s.max_total, d.mean, s.max_total ? 100 * d.mean / s.max_total : 0.0, d.median,
            d.sd ? fmt::format("{:.1f}", *d.sd) : "—", d.at_zero, d.at_full);
    else
        out << "  no grades yet\n";

    if (d.n && !s.histogram.empty()) {
        std::size_t top = 1, label = 0;
        for (const Bin& b : s.histogram) {
            top = std::max(top, b.count);
            label = std::max(label, bin_label(b).size());
        }
        out << "\nTotals\n";
        for (const Bin& b : s.histogram) {
            const std::size_t width = (b.count * kBarWidth + top - 1) / top;
            std::string bar;
            for (std::size_t i = 0; i < width; ++i) bar += "█";
            out << fmt::format("  {:>{}} |{} {}\n", bin_label(b), label, bar, b.count);
        }
    }

    if (!s.exercises.empty()) {
        out << "\nExercises (mean, full marks)\n";
        for (const ExerciseStats& e : s.exercises)
            out << fmt::format("  {:<6} {:>5.1f} / {:<3} {:>4}   full marks {:>4}  {}\n",
                               safe(e.id), e.mean, e.max_points, percent(e.mean_fraction()),
                               percent(e.pass_rate()), safe(e.title));
    }

    if (!s.cases.empty()) {
        out << fmt::format("\nHardest cases (of {} that loaded)\n", s.loaded);
        const auto verdicts = all_verdicts();
        for (std::size_t i = 0; i < s.cases.size() && i < kHardestCases; ++i) {
            const CaseStats& cs = s.cases[i];
            std::string mix;
            for (std::size_t v = 1; v < kVerdicts; ++v)
                if (cs.verdicts[v])
                    mix += fmt::format("{}{} {}", mix.empty() ? "" : ", ",
                                       result::name(verdicts[v]), cs.verdicts[v]);
            out << fmt::format(
                "  {:<40} pass {:>4}  discrimination {:>5}  {}\n",
                safe(cs.path()) + (cs.hidden ? " (hidden)" : ""), percent(cs.pass_rate()),
                cs.discrimination ? fmt::format("{:+.2f}", *cs.discrimination) : std::string("—"),
                mix.empty() ? "-" : mix);
        }
    }

    std::vector<const AnswerGroup*> real;
    std::set<std::string> blank;  // cases: NaN and 0 are two answers on one case
    for (const AnswerGroup& g : s.answer_groups) {
        if (!g.blank) real.push_back(&g);
        if (g.blank) blank.insert(g.path());
    }
    if (!real.empty()) {
        out << "\nLargest groups of identical wrong answers\n";
        for (std::size_t i = 0; i < real.size() && i < kAnswerGroups; ++i) {
            const AnswerGroup& g = *real[i];
            const std::string ratio = ratio_text(g.answer.returned, g.answer.expected);
            out << fmt::format(
                "  {} on {}{}: returned {}, expected {}{}\n",
                s.for_students ? std::string("several") : std::to_string(g.answer.students.size()),
                safe(g.path()), g.hidden ? " (hidden)" : "",
                safe(values_text(g.answer.returned, 3)), safe(values_text(g.answer.expected, 3)),
                ratio.empty() ? "" : " (" + ratio + ")");
            if (!g.answer.diagnosis.empty())
                out << "      diagnosis: " << safe(g.answer.diagnosis) << "\n";
        }
        if (real.size() > kAnswerGroups)
            out << fmt::format("  … {} more groups\n", real.size() - kAnswerGroups);
    }
    if (!blank.empty())
        out << fmt::format(
            "  nothing computed (NaN or 0 throughout, an untouched stub) by "
            "several submissions on {}\n",
            count(blank.size(), "case"));

    if (!s.for_students) {
        out << "\nShared answers (to review, never an accusation)\n";
        if (s.shared.empty()) out << "  none\n";
        for (std::size_t g = 0; g < s.shared.size() && g < kSharedGroups; ++g) {
            const SharedGroup& sg = s.shared[g];
            out << fmt::format("  group {}: {} ({} identical wrong answers, {} hidden)\n", g + 1,
                               joined(sg.students, 6), sg.answers.size(), sg.hidden_answers);
        }
        if (s.shared.size() > kSharedGroups)
            out << fmt::format("  … {} more groups\n", s.shared.size() - kSharedGroups);
        std::vector<std::string> look;
        for (const StudentRow& st : s.students)
            if (st.status == "load_error" || st.status == "system_error") look.push_back(st.id);
        if (!look.empty()) out << "\nNot loaded or not graded: " << joined(look, 10) << "\n";
        std::vector<std::string> late, adjusted;
        for (const StudentRow& st : s.students) {
            if (!st.late.empty())
                late.push_back(fmt::format("{} ({}; final {:g})", st.id, st.late,
                                           std::round(st.final_total.value_or(0) * 100) / 100));
            if (st.adjusted)
                adjusted.push_back(fmt::format("{} (final {:g})", st.id,
                                               std::round(st.final_total.value_or(0) * 100) / 100));
        }
        if (!late.empty()) out << "\nLate: " << joined(late, 10) << "\n";
        if (!adjusted.empty()) out << "Adjusted by hand: " << joined(adjusted, 10) << "\n";
    }
    out << "\n`grader summary --html FILE` writes all of it as one page.\n";
}

}  // namespace grader::summary
