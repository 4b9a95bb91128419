// The instructor's page: one file with everything inline, written through Markup so that no
// student-controlled text (ids, roster names, load errors, diagnoses) can become markup.
// The student variant (ClassSummary::for_students) has no hidden case and no student in it; the
// sections that would name someone are left out, not emptied.

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "grader/report/report.hpp"
#include "grader/summary/page.hpp"

namespace grader::summary {

namespace {

// Groups of identical wrong answers shown on the page; the rest are counted.
constexpr std::size_t kShownAnswerGroups = 40;
// Members named on an answer card before the list folds away.
constexpr std::size_t kNamedMembers = 8;
// Cases in the short table near the top.
constexpr std::size_t kHardestShown = 10;

std::string one_decimal(double v) {
    return fmt::format("{:.1f}", v);
}

std::string sort_key(double v) {
    return fmt::format("{:.6f}", v);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string status_text(const std::string& status) {
    if (status == "graded") return "graded";
    if (status == "load_error") return "load error";
    if (status == "system_error") return "system error";
    return "no submission";
}

// `stat` names the figure for a machine (the tests read the page back), `precise` its value
// unrounded.
void tile(Markup& m, std::string_view stat, std::string_view label, const std::string& value,
          const std::string& small, bool warn = false, const std::string& precise = "") {
    m.open("div", {{"class", warn ? "warn" : ""}});
    m.element("dt", label);
    m.open("dd",
           {{"data-stat", std::string(stat)}, {"data-value", precise.empty() ? value : precise}})
        .text(value);
    if (!small.empty()) m.text(" ").element("small", small);
    m.close().close();
}

void student_link(Markup& m, const std::string& id, const HtmlOptions& o) {
    const auto it = o.report_links.find(id);
    if (it == o.report_links.end()) {
        m.element("code", id);
        return;
    }
    m.open("a", {{"href", it->second}}).element("code", id).close();
}

void write_head(Markup& m, const ClassSummary& s) {
    m.open("head");
    m.leaf("meta", {{"charset", "utf-8"}});
    m.leaf("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
    // Nothing from elsewhere, even if a later edit tried: no scripts, styles or images but ours.
    m.leaf("meta", {{"http-equiv", "Content-Security-Policy"},
                    {"content",
                     "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                     "img-src data:"}});
    m.element("title", (s.for_students ? "Class overview: " : "Class summary: ") + s.title);
    m.open("style").constant(page_style()).close();
    m.close();
}

void write_header(Markup& m, const ClassSummary& s) {
    m.open("header", {{"class", "page"}});
    m.element("h1", (s.for_students ? "Class overview — " : "Class summary — ") + s.title);
    std::string meta = "Generated " + s.generated_at;
    if (!s.gradebook.empty()) meta += " from the gradebook " + s.gradebook;
    if (!s.spec_sha256.empty()) meta += " · spec " + s.spec_sha256.substr(0, 12);
    m.element("p", {{"class", "meta"}}, meta);
    if (s.for_students)
        m.element("p", {{"class", "note"}},
                  "How the class did as a whole, on the public cases. No one's grade is in it; "
                  "the hidden cases are graded but not shown.");
    else
        m.element("p", {{"class", "note"}},
                  "For instructors only: it shows hidden cases' values and who gave which "
                  "answer. Post the overview made with --for-students instead.");
    m.open("nav", {{"aria-label", "Sections"}}).open("ul");
    std::vector<std::pair<std::string, std::string>> links = {{"#class", "The class"},
                                                              {"#exercises", "Exercises"},
                                                              {"#hardest", "Hardest cases"},
                                                              {"#answers", "Common wrong answers"}};
    if (!s.for_students) {
        links.emplace_back("#look", "Who needs a look");
        links.emplace_back("#shared", "Shared answers");
        links.emplace_back("#students", "Students");
    }
    links.emplace_back("#cases", "Every case");
    for (const auto& [href, text] : links)
        m.open("li").element("a", {{"href", href}}, text).close();
    m.close().close();
    m.close();
}

void write_class(Markup& m, const ClassSummary& s) {
    const Counts& c = s.counts;
    const Distribution& d = s.totals;
    m.open("section", {{"id", "class"}, {"aria-labelledby", "class-h"}});
    m.element("h2", {{"id", "class-h"}}, "The class");
    m.open("dl", {{"class", "tiles"}});
    tile(m, "submissions", "Submissions", std::to_string(c.submissions),
         c.no_submission ? fmt::format("+ {} without", c.no_submission) : "");
    tile(m, "graded", "Graded", std::to_string(c.graded), "");
    tile(m, "load_errors", "Load errors", std::to_string(c.load_errors), "graded 0",
         c.load_errors > 0);
    tile(m, "system_errors", "System errors", std::to_string(c.system_errors),
         c.system_errors ? "not graded" : "", c.system_errors > 0);
    tile(m, "no_submission", "No submission", std::to_string(c.no_submission), "on the roster");
    m.close();
    m.open("dl", {{"class", "tiles"}});
    if (d.n) {
        tile(m, "mean", "Mean", one_decimal(d.mean),
             fmt::format("/ {} · {}", s.max_total, percent(s.max_total ? d.mean / s.max_total : 0)),
             false, fmt::format("{:.6f}", d.mean));
        tile(m, "median", "Median", fmt::format("{:g}", d.median),
             fmt::format("/ {}", s.max_total));
        tile(m, "sd", "Standard deviation", d.sd ? one_decimal(*d.sd) : "—", "sample", false,
             d.sd ? fmt::format("{:.6f}", *d.sd) : "");
        tile(m, "range", "Range", fmt::format("{}–{}", d.min, d.max), "");
        tile(m, "at_zero", "At zero", std::to_string(d.at_zero), "", d.at_zero > 0);
        tile(m, "at_full", "Full marks", std::to_string(d.at_full), "");
    } else {
        tile(m, "mean", "Mean", "—", "no grades yet");
    }
    m.close();
    m.element("p", {{"class", "note"}},
              fmt::format("Over the {} with a grade: a library that could not be loaded counts as "
                          "0, as in the exports; system errors have no grade yet.",
                          plural(d.n, "submission", "submissions")));
    if (!s.histogram.empty() && d.n) {
        m.open("figure");
        histogram_chart(m, s);
        m.element("figcaption",
                  "Totals, in bins of a tenth of the points; 0 and full marks have bars of "
                  "their own.");
        m.close();
        m.open("details").element("summary", "The histogram as a table");
        m.open("table");
        m.element("caption", "Submissions per bin of total points");
        m.open("thead").open("tr");
        m.element("th", {{"scope", "col"}}, "Total points");
        m.element("th", {{"scope", "col"}, {"class", "num"}}, "Submissions");
        m.close().close().open("tbody");
        for (const Bin& b : s.histogram) {
            m.open("tr");
            m.element("td", b.lo == b.hi ? std::to_string(b.lo) : fmt::format("{}–{}", b.lo, b.hi));
            m.element("td", {{"class", "num"}}, std::to_string(b.count));
            m.close();
        }
        m.close().close().close();
    }
    m.close();
}

void write_exercises(Markup& m, const ClassSummary& s) {
    m.open("section", {{"id", "exercises"}, {"aria-labelledby", "exercises-h"}});
    m.element("h2", {{"id", "exercises-h"}}, "Exercises");
    if (!s.exercises.empty()) {
        m.open("figure");
        exercise_chart(m, s);
        m.element("figcaption",
                  "Blue: the mean score as a share of the exercise's points. Orange: the share "
                  "of submissions with every point of the exercise.");
        m.close();
    }
    m.open("table", {{"class", "sortable"}});
    m.element("caption", "Per exercise, over the submissions with a grade");
    m.open("thead").open("tr");
    m.element("th", {{"scope", "col"}}, "Exercise");
    m.element("th", {{"scope", "col"}}, "Title");
    m.element("th", {{"scope", "col"}, {"class", "num"}}, "Points");
    m.element("th", {{"scope", "col"}, {"class", "num"}}, "Mean");
    m.element("th", {{"scope", "col"}, {"class", "num"}}, "Mean %");
    m.element("th", {{"scope", "col"}, {"class", "num"}}, "Full marks");
    m.element("th", {{"scope", "col"}, {"class", "num"}}, "Full marks %");
    m.close().close().open("tbody");
    for (std::size_t i = 0; i < s.exercises.size(); ++i) {
        const ExerciseStats& e = s.exercises[i];
        m.open("tr", {{"data-exercise", e.id}});
        m.element("td", {{"data-sort", std::to_string(i)}}, e.id);
        m.element("td", e.title);
        m.element("td", {{"class", "num"}}, std::to_string(e.max_points));
        m.element("td", {{"class", "num"}, {"data-sort", sort_key(e.mean)}}, one_decimal(e.mean));
        m.element("td", {{"class", "num"}, {"data-sort", sort_key(e.mean_fraction())}},
                  percent(e.mean_fraction()));
        m.element("td", {{"class", "num"}}, fmt::format("{} of {}", e.full, e.n));
        m.element("td", {{"class", "num"}, {"data-sort", sort_key(e.pass_rate())}},
                  percent(e.pass_rate()));
        m.close();
    }
    m.close().close();
    m.close();
}

std::string discrimination_note(const CaseStats& c) {
    if (c.n == 0) return "";
    if (c.passed() == 0) return "everyone fails";
    if (c.passed() == c.n) return "everyone passes";
    if (!c.discrimination) return "tells nothing";
    if (*c.discrimination < 0) return "negative: stronger students fail it";
    if (*c.discrimination < 0.2) return "tells little";
    return "";
}

void verdict_legend(Markup& m) {
    m.open("ul", {{"class", "legend"}, {"aria-label", "Verdict colours"}});
    for (result::Verdict v : all_verdicts()) {
        m.open("li");
        m.open("span", {{"class", "swatch"},
                        {"style", "background:" + std::string(verdict_colour(v))},
                        {"aria-hidden", "true"}})
            .close();
        m.text(result::name(v));
        m.close();
    }
    m.close();
}

// The table of cases, hardest first: the first `limit` of them (the hardest, near the top of
// the page) or all (near the end). `row_mark` names each row's case for a machine.
void case_table(Markup& m, const ClassSummary& s, std::size_t limit, const char* row_mark,
                const std::string& caption) {
    m.open("table", {{"class", "sortable"}});
    m.element("caption", caption);
    m.open("thead").open("tr");
    for (const char* h : {"#", "Case", "Kind", "Points", "Pass rate", "Verdicts", "Not passed",
                          "Discrimination", "Wrong answers"})
        m.element("th", {{"scope", "col"}}, h);
    m.close().close().open("tbody");
    const auto verdicts = all_verdicts();
    for (std::size_t i = 0; i < s.cases.size() && i < limit; ++i) {
        const CaseStats& c = s.cases[i];
        m.open("tr", {{row_mark, c.path()}});
        m.element("td", {{"class", "num"}, {"data-sort", std::to_string(i)}},
                  std::to_string(i + 1));
        m.open("td", {{"class", "case"}}).element("code", c.path());
        m.close();
        m.open("td");
        m.text(c.property ? "property " : "value ");
        if (c.hidden) m.element("span", {{"class", "tag hidden"}}, "hidden");
        m.close();
        m.element("td", {{"class", "num"}}, std::to_string(c.max_points));
        m.element("td", {{"class", "num"}, {"data-sort", sort_key(c.n ? c.pass_rate() : -1)}},
                  c.n ? fmt::format("{} ({}/{})", percent(c.pass_rate()), c.passed(), c.n) : "—");
        m.open("td", {{"data-sort", sort_key(c.n ? 1 - c.pass_rate() : -1)}});
        verdict_bar(m, c);
        m.close();
        std::string mix;
        for (std::size_t v = 1; v < kVerdicts; ++v)
            if (c.verdicts[v])
                mix += fmt::format("{}{} {}", mix.empty() ? "" : ", ", result::name(verdicts[v]),
                                   c.verdicts[v]);
        m.element("td", mix.empty() ? "—" : mix);
        const std::string note = discrimination_note(c);
        m.open("td", {{"class", "num"},
                      {"data-sort", sort_key(c.discrimination ? *c.discrimination : -2)}});
        m.text(c.discrimination ? fmt::format("{:+.2f}", *c.discrimination) : "—");
        if (!note.empty()) m.text(" ").element("span", {{"class", "tag flag"}}, note);
        m.close();
        m.element("td", {{"class", "num"}, {"data-sort", std::to_string(c.wrong_answers)}},
                  c.wrong_answers
                      ? fmt::format("{} ({} different)", c.wrong_answers, c.distinct_wrong)
                      : "—");
        m.close();
    }
    m.close().close();
}

std::string population_note(const ClassSummary& s) {
    return fmt::format(
        "Over the {} that loaded{}. Discrimination is the correlation between the case's points "
        "and the student's total: near 0 the case tells nothing about who did well; a case "
        "everyone passes or fails has none.",
        plural(s.loaded, "submission", "submissions"),
        s.other_spec ? fmt::format(" ({} graded with an older spec are left out: run grader "
                                   "batch again)",
                                   s.other_spec)
                     : std::string());
}

void write_hardest(Markup& m, const ClassSummary& s) {
    m.open("section", {{"id", "hardest"}, {"aria-labelledby", "hardest-h"}});
    m.element("h2", {{"id", "hardest-h"}}, "The hardest cases");
    m.element("p", {{"class", "note"}},
              population_note(s) + " Every case is in the table at the end of the page.");
    verdict_legend(m);
    case_table(m, s, kHardestShown, "data-hard-case",
               fmt::format("The {} cases with the lowest pass rates",
                           std::min(kHardestShown, s.cases.size())));
    m.close();
}

void write_cases(Markup& m, const ClassSummary& s) {
    m.open("section", {{"id", "cases"}, {"aria-labelledby", "cases-h"}});
    m.element("h2", {{"id", "cases-h"}},
              s.for_students ? "Every public case" : "Every case and property");
    m.element("p", {{"class", "note"}}, "Hardest first. " + population_note(s));
    verdict_legend(m);
    case_table(m, s, s.cases.size(), "data-case",
               "Pass rate, verdicts and discrimination per case");
    m.close();
}

void member_list(Markup& m, const std::vector<std::string>& ids, const HtmlOptions& o) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) m.text(", ");
        student_link(m, ids[i], o);
    }
}

void write_answers(Markup& m, const ClassSummary& s, const HtmlOptions& o) {
    m.open("section", {{"id", "answers"}, {"aria-labelledby", "answers-h"}});
    m.element("h2", {{"id", "answers-h"}}, "The most common wrong answers");
    m.element("p", {{"class", "note"}},
              s.for_students
                  ? "Wrong answers that three students or more returned exactly, on public "
                    "cases, with the value expected."
                  : "Submissions whose outputs on a case are identical to the last bit, grouped; "
                    "largest groups first. The values are those of the first failing draw.");
    std::vector<const AnswerGroup*> real, blank;
    for (const AnswerGroup& g : s.answer_groups) (g.blank ? blank : real).push_back(&g);
    if (real.empty())
        m.element("p", "No wrong value was returned by more than one submission.");
    else
        m.open("ol", {{"class", "answers"}});
    for (std::size_t i = 0; i < real.size() && i < kShownAnswerGroups; ++i) {
        const AnswerGroup& g = *real[i];
        const std::size_t size = g.answer.students.size();
        m.open("li", {{"data-case", g.path()}});
        m.open("div");
        if (!s.for_students)
            m.element("span", {{"class", "size"}}, fmt::format("{} submissions", size));
        else
            m.text("Several students");
        m.text(" returned the same wrong value on ").element("code", g.path());
        if (g.hidden) m.text(" ").element("span", {{"class", "tag hidden"}}, "hidden");
        m.close();
        m.open("dl");
        m.element("dt", "Returned");
        m.element("dd", {{"class", "value"}}, values_text(g.answer.returned));
        m.element("dt", "Expected");
        m.element("dd", {{"class", "value"}}, values_text(g.answer.expected));
        const std::string ratio = ratio_text(g.answer.returned, g.answer.expected);
        if (!ratio.empty()) {
            m.element("dt", "Ratio");
            m.element("dd", {{"class", "value"}}, ratio + " of the expected value");
        }
        if (!g.answer.diagnosis.empty()) {
            m.element("dt", "Diagnosis");
            m.element("dd", g.answer.diagnosis);
        }
        if (!s.for_students) {
            m.element("dt", "Share");
            m.element("dd",
                      fmt::format("{} of the {} wrong answers on this case", size, g.case_wrong));
            m.element("dt", "Who");
            m.open("dd", {{"class", "members"}});
            if (size > kNamedMembers) {
                m.open("details").element("summary", fmt::format("{} students", size));
                member_list(m, g.answer.students, o);
                m.close();
            } else {
                member_list(m, g.answer.students, o);
            }
            m.close();
        }
        m.close();
        m.close();
    }
    if (!real.empty()) m.close();
    if (real.size() > kShownAnswerGroups)
        m.element(
            "p", {{"class", "note"}},
            fmt::format("{} smaller groups are not shown.", real.size() - kShownAnswerGroups));
    std::set<std::string> blank_cases;  // NaN and 0 are two answers on one case
    for (const AnswerGroup* g : blank) blank_cases.insert(g->path());
    if (!blank.empty()) {
        // Unfinished stubs agree with each other on every case: listed apart, in one table, so
        // that they neither crowd out the real mistakes nor pass for one.
        m.element("h3", "Nothing computed");
        m.element("p", {{"class", "note"}},
                  fmt::format("On {}, several submissions returned NaN or 0 throughout, as an "
                              "untouched stub does.",
                              plural(blank_cases.size(), "case", "cases")));
        m.open("details").element("summary", "The cases and who");
        m.open("table");
        m.element("caption", "Identical answers that are NaN or 0 throughout");
        m.open("thead").open("tr");
        m.element("th", {{"scope", "col"}}, "Case");
        m.element("th", {{"scope", "col"}, {"class", "num"}}, "Submissions");
        if (!s.for_students) m.element("th", {{"scope", "col"}}, "Who");
        m.close().close().open("tbody");
        for (const AnswerGroup* g : blank) {
            m.open("tr", {{"data-blank-case", g->path()}}).open("td", {{"class", "case"}});
            m.element("code", g->path());
            m.close();
            m.element("td", {{"class", "num"}},
                      s.for_students ? "several" : std::to_string(g->answer.students.size()));
            if (!s.for_students) {
                m.open("td", {{"class", "members"}});
                member_list(m, g->answer.students, o);
                m.close();
            }
            m.close();
        }
        m.close().close().close();
    }
    m.close();
}

void write_look(Markup& m, const ClassSummary& s, const HtmlOptions& o) {
    m.open("section", {{"id", "look"}, {"aria-labelledby", "look-h"}});
    m.element("h2", {{"id", "look-h"}}, "Who needs a look");
    std::vector<std::pair<const StudentRow*, std::string>> rows;
    for (const StudentRow& st : s.students) {
        if (st.status == "system_error")
            rows.emplace_back(&st,
                              "system error, no grade yet (run grader batch again): " + st.message);
        else if (st.status == "load_error")
            rows.emplace_back(&st, "the library could not be loaded: " + st.message);
        else if (st.status == "no_submission")
            rows.emplace_back(&st, "on the roster, nothing handed in");
        else if (st.total && *st.total == 0)
            rows.emplace_back(&st, "graded 0 points");
        if (st.shared_group)
            rows.emplace_back(&st, fmt::format("shares wrong answers with others (group {})",
                                               *st.shared_group + 1));
        if (!st.on_roster && st.status != "no_submission")
            rows.emplace_back(&st, "graded but not on the roster");
    }
    if (rows.empty()) {
        m.element("p", "Nobody: every submission loaded and scored, no answers are shared.");
        m.close();
        return;
    }
    m.open("table");
    m.element("caption", "Students whose grade or submission deserves a person's attention");
    m.open("thead").open("tr");
    m.element("th", {{"scope", "col"}}, "Student");
    m.element("th", {{"scope", "col"}}, "Name");
    m.element("th", {{"scope", "col"}}, "Why");
    m.close().close().open("tbody");
    for (const auto& [st, why] : rows) {
        m.open("tr").open("td");
        student_link(m, st->id, o);
        m.close();
        m.element("td", st->name);
        m.element("td", why);
        m.close();
    }
    m.close().close();
    m.close();
}

void write_shared(Markup& m, const ClassSummary& s, const HtmlOptions& o) {
    m.open("section", {{"id", "shared"}, {"aria-labelledby", "shared-h"}});
    m.element("h2", {{"id", "shared-h"}}, "Answers shared between students");
    m.element("p", {{"class", "caveat"}},
              fmt::format("A signal for a person to review, never an accusation, and never shown "
                          "to students. Listed: submissions that returned bit-identical wrong "
                          "values on at least two cases, one of them hidden (inputs no student "
                          "has seen), making up at least half of each one's wrong answers "
                          "(copied code repeats its mistakes throughout; two students who make "
                          "one mistake alike differ in the rest). A wrong answer more than {} "
                          "submissions gave is a common "
                          "mistake and is not counted, nor is NaN or 0 throughout (an "
                          "unfinished stub). Identical answers can also come from a formula "
                          "simple enough to be written the same way: read the code.",
                          s.common_above));
    if (s.shared.empty()) {
        m.element("p", "No submissions share uncommon wrong answers.");
        m.close();
        return;
    }
    for (std::size_t g = 0; g < s.shared.size(); ++g) {
        const SharedGroup& sg = s.shared[g];
        m.open("div", {{"class", "shared"}, {"data-group", std::to_string(g + 1)}});
        m.element("h3", fmt::format("Group {}: {} submissions, {} identical wrong answer{} ({} "
                                    "on hidden cases)",
                                    g + 1, sg.students.size(), sg.answers.size(),
                                    sg.answers.size() == 1 ? "" : "s", sg.hidden_answers));
        m.open("p", {{"class", "members"}});
        for (std::size_t i = 0; i < sg.students.size(); ++i) {
            if (i) m.text(", ");
            student_link(m, sg.students[i], o);
            for (const StudentRow& st : s.students)
                if (st.id == sg.students[i] && !st.name.empty()) m.text(" (" + st.name + ")");
        }
        m.close();
        m.open("table");
        m.element("caption", "The answers they share");
        m.open("thead").open("tr");
        for (const char* h : {"Case", "Returned", "Expected", "Given by"})
            m.element("th", {{"scope", "col"}}, h);
        m.close().close().open("tbody");
        for (const SharedAnswer& a : sg.answers) {
            const AnswerGroup& ag = s.answer_groups[a.group];
            m.open("tr", {{"data-case", ag.path()}}).open("td", {{"class", "case"}});
            m.element("code", ag.path());
            if (ag.hidden) m.text(" ").element("span", {{"class", "tag hidden"}}, "hidden");
            m.close();
            m.element("td", {{"class", "value"}}, values_text(ag.answer.returned, 4));
            m.element("td", {{"class", "value"}}, values_text(ag.answer.expected, 4));
            m.open("td", {{"class", "who"}});
            if (a.members.size() == sg.students.size())
                m.text("all of them");
            else
                member_list(m, a.members, o);
            const std::size_t others = ag.answer.students.size() - a.members.size();
            if (others) m.text(fmt::format("; also {} other{}", others, others == 1 ? "" : "s"));
            m.close();
            m.close();
        }
        m.close().close();
        m.close();
    }
    m.close();
}

void write_students(Markup& m, const ClassSummary& s, const HtmlOptions& o) {
    m.open("section", {{"id", "students"}, {"aria-labelledby", "students-h"}});
    m.element("h2", {{"id", "students-h"}}, "Students");
    m.element("p", {{"class", "note"}},
              o.report_links.empty()
                  ? "By id. With scripts on, a click on a heading sorts the table."
                  : "By id; an id links to that student's report. With scripts on, a click on a "
                    "heading sorts the table.");
    m.open("table", {{"class", "sortable"}});
    m.element("caption", "Every student's current grade");
    m.open("thead").open("tr");
    m.element("th", {{"scope", "col"}}, "Id");
    m.element("th", {{"scope", "col"}}, "Name");
    m.element("th",
              {{"scope", "col"},
               {"class", "num"},
               {"title", "As graded, before a late penalty and adjustments by hand"}},
              "Total");
    m.element("th",
              {{"scope", "col"}, {"class", "num"}, {"title", "After late penalty and adjustments"}},
              "Final");
    // Of the final grade, as the CSV export's `percent` is.
    m.element("th", {{"scope", "col"}, {"class", "num"}, {"title", "The final grade, in percent"}},
              "%");
    m.element("th", {{"scope", "col"}}, "Late");
    m.element("th", {{"scope", "col"}}, "Status");
    for (const ExerciseStats& e : s.exercises)
        m.element("th", {{"scope", "col"}, {"class", "num"}, {"title", e.title}}, e.id);
    m.close().close().open("tbody");
    for (const StudentRow& st : s.students) {
        m.open("tr", {{"data-student", st.id}}).open("td");
        student_link(m, st.id, o);
        m.close();
        m.element("td", st.name);
        m.element("td", {{"class", "num"}, {"data-sort", std::to_string(st.total.value_or(-1))}},
                  st.total ? std::to_string(*st.total) : "—");
        m.element(
            "td", {{"class", "num"}, {"data-sort", sort_key(st.final_total.value_or(-1))}},
            st.final_total ? fmt::format("{:g}", std::round(*st.final_total * 100) / 100) : "—");
        const double fraction =
            st.final_total && st.max_total ? *st.final_total / st.max_total : -1;
        m.element("td", {{"class", "num"}, {"data-sort", sort_key(fraction)}},
                  fraction >= 0 ? percent(fraction) : "—");
        m.element("td", st.late);
        m.open("td").text(status_text(st.status));
        if (st.adjusted) m.text(" ").element("span", {{"class", "tag"}}, "adjusted by hand");
        if (st.shared_group)
            m.text(" ").element("span", {{"class", "tag flag"}},
                                fmt::format("shared: group {}", *st.shared_group + 1));
        m.close();
        for (const std::optional<int>& e : st.exercise_scores)
            m.element("td", {{"class", "num"}, {"data-sort", std::to_string(e.value_or(-1))}},
                      e ? std::to_string(*e) : "—");
        m.close();
    }
    m.close().close();
    m.close();
}

}  // namespace

void render_html(const ClassSummary& s, const HtmlOptions& o, std::ostream& out) {
    Markup m;
    m.open("html", {{"lang", "en"}});
    write_head(m, s);
    m.open("body").open("main");
    write_header(m, s);
    write_class(m, s);
    write_exercises(m, s);
    write_hardest(m, s);
    write_answers(m, s, o);
    if (!s.for_students) {
        write_look(m, s, o);
        write_shared(m, s, o);
        write_students(m, s, o);
    }
    write_cases(m, s);
    m.open("footer").open("p", {{"class", "note"}});
    m.text(
        "Made by grader summary. The class and exercise figures count every submission with a "
        "grade; the case figures the submissions that loaded. Everything is in this file: "
        "it works offline and without scripts.");
    m.close().close();
    m.close();  // main
    m.open("script").constant(page_script()).close();
    m.close().close();  // body, html
    out << "<!DOCTYPE html>\n" << m.finish() << '\n';
}

}  // namespace grader::summary
