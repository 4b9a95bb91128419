// The class summary on a hand-made class: every derived number against one worked out by hand,
// the rules of shared answers (uncommon, not blank, a hidden case among at least two), the
// student variant's omissions, and a page that stays well-formed XML whatever the names hold.
#define BOOST_TEST_MODULE summary
#include <boost/test/unit_test.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <sstream>

#include "grader/summary/markup.hpp"
#include "grader/summary/summary.hpp"

namespace gb = grader::gradebook;
namespace sm = grader::summary;
using grader::result::Verdict;

namespace {

constexpr const char* kSpec = "spec-sha";

gb::SpecOutline spec() {
    gb::SpecOutline s;
    s.sha256 = kSpec;
    s.title = "KL <exercises> & more";
    s.exercises = {
        {"ex1",
         "First",
         {{"a", "f", false, false, 2},
          {"b", "f", false, true, 2},
          {"c", "f", true, true, 1},
          {"e", "f", false, true, 1}}},
        {"ex2",
         "Second",
         {{"d", "g", false, false, 2}, {"g", "g", false, true, 1}, {"h", "g", false, true, 1}}},
    };
    return s;
}

// Totals out of 10: s1 10, s2 10, s3 5, s4 0, s5 7, s6 3 (graded), s7 a load error, s8 a system
// error, zz on the roster with nothing handed in.
struct Fixture {
    gb::ClassGrades grades;
    std::vector<gb::CaseOutcome> outcomes;
    std::vector<gb::IdenticalAnswer> identical;

    Fixture() {
        grades.spec = spec();
        grades.roster_loaded = true;
        const std::vector<std::tuple<std::string, gb::Status, int, int>> runs = {
            {"s1", gb::Status::Graded, 6, 4},    {"s2", gb::Status::Graded, 6, 4},
            {"s3", gb::Status::Graded, 4, 1},    {"s4", gb::Status::Graded, 0, 0},
            {"s5", gb::Status::Graded, 5, 2},    {"s6", gb::Status::Graded, 3, 0},
            {"s7", gb::Status::LoadError, 0, 0}, {"s8", gb::Status::SystemError, -1, -1}};
        std::int64_t id = 100;
        for (const auto& [student, status, ex1, ex2] : runs) {
            gb::ClassRow row;
            row.student.id = student;
            row.student.name = "Name of " + student;
            row.on_roster = true;
            gb::StoredRun run;
            run.id = ++id;
            run.record.key.student = student;
            run.record.key.spec_sha256 = kSpec;
            run.record.status = status;
            run.max_score = 10;
            if (status == gb::Status::LoadError) run.record.message = "not an ELF file";
            if (status != gb::Status::SystemError) {
                run.score = ex1 + ex2;
                run.exercise_scores = {{"ex1", ex1}, {"ex2", ex2}};
            }
            row.current = run;
            grades.rows.push_back(row);
        }
        gb::ClassRow absent;
        absent.student.id = "zz";
        absent.on_roster = true;
        grades.rows.push_back(absent);

        // Case a (2 points): s1, s2, s3, s5 pass; s4, s6 wrong. Everyone passes d except s4, s6.
        auto add = [&](const std::string& student, const std::string& ex, const std::string& c,
                       Verdict v, int points) {
            std::int64_t run = 0;
            for (const auto& row : grades.rows)
                if (row.student.id == student) run = row.current->id;
            // g is the untouched stub: NaN throughout.
            outcomes.push_back({run, student, ex, c, v, points, v == Verdict::Wrong, c == "g"});
        };
        for (const char* s : {"s1", "s2", "s3", "s4", "s5", "s6"}) {
            const std::string st = s;
            const bool a = st != "s4" && st != "s6";
            add(st, "ex1", "a", a ? Verdict::Pass : Verdict::Wrong, a ? 2 : 0);
            add(st, "ex1", "b", st == "s3" || st == "s4" ? Verdict::Wrong : Verdict::Pass,
                st == "s3" || st == "s4" ? 0 : 2);
            add(st, "ex1", "c", Verdict::Pass, 1);  // everyone: tells nothing
            add(st, "ex1", "e", st == "s6" ? Verdict::Crash : Verdict::Pass, st == "s6" ? 0 : 1);
            add(st, "ex2", "d", a ? Verdict::Pass : Verdict::Wrong, a ? 2 : 0);
            add(st, "ex2", "g", Verdict::Wrong, 0);
            add(st, "ex2", "h", Verdict::Wrong, 0);
        }
        auto answer = [&](const std::string& ex, const std::string& c, const std::string& fp,
                          std::vector<std::string> who, double got, double want) {
            gb::IdenticalAnswer a;
            a.exercise = ex;
            a.case_id = c;
            a.fingerprint = fp;
            a.students = std::move(who);
            a.returned = {{"return value", {got}, 1}};
            a.expected = {{"return value", {want}, 1}};
            identical.push_back(a);
        };
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // s3 and s4: one hidden and one public answer: listed.
        answer("ex1", "b", "f1", {"s4", "s3"}, 1.5, 0.75);
        answer("ex1", "a", "f2", {"s4", "s6"}, 3.0, 1.0);
        // s5 and s6 share nothing hidden: g and h below are blank or common.
        answer("ex2", "d", "f3", {"s4", "s6"}, 4.0, 2.0);
        // Everyone: a common mistake, hidden. And an untouched stub (NaN), hidden, twice.
        answer("ex2", "h", "f4", {"s1", "s2", "s3", "s4", "s5", "s6"}, 9.0, 1.0);
        answer("ex2", "g", "f5", {"s1", "s2", "s3", "s4", "s5", "s6"}, nan, 1.0);
    }

    sm::ClassSummary summary() const { return sm::summarize(grades, outcomes, identical); }
};

const sm::CaseStats& find_case(const sm::ClassSummary& s, const std::string& path) {
    for (const sm::CaseStats& c : s.cases)
        if (c.path() == path) return c;
    BOOST_FAIL("no case " + path);
    throw;
}

std::string html_of(const sm::ClassSummary& s, const sm::HtmlOptions& o = {}) {
    std::ostringstream out;
    sm::render_html(s, o, out);
    return out.str();
}

// Parses as XML, strictly: any error fails the test. Returns the document (free it).
xmlDocPtr parse_strict(const std::string& html) {
    xmlDocPtr doc = xmlReadMemory(html.data(), static_cast<int>(html.size()), "page.html", "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    BOOST_REQUIRE_MESSAGE(doc != nullptr,
                          "the page is not well-formed: " +
                              std::string(xmlGetLastError() ? xmlGetLastError()->message : "?"));
    return doc;
}

void collect(xmlNodePtr node, std::multiset<std::string>& tags, std::string& text) {
    for (xmlNodePtr n = node; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) tags.insert(reinterpret_cast<const char*>(n->name));
        if (n->type == XML_TEXT_NODE && n->content)
            text += reinterpret_cast<const char*>(n->content);
        collect(n->children, tags, text);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(summary)

BOOST_AUTO_TEST_CASE(counts_mean_median_and_standard_deviation) {
    const sm::ClassSummary s = Fixture().summary();
    BOOST_TEST(s.counts.students == 9u);
    BOOST_TEST(s.counts.submissions == 8u);
    BOOST_TEST(s.counts.graded == 6u);
    BOOST_TEST(s.counts.load_errors == 1u);
    BOOST_TEST(s.counts.system_errors == 1u);
    BOOST_TEST(s.counts.no_submission == 1u);
    // Totals 10 10 5 0 7 3 and the load error's 0.
    BOOST_TEST(s.totals.n == 7u);
    BOOST_TEST(s.totals.mean == 5.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.totals.median == 5.0);
    BOOST_REQUIRE(s.totals.sd.has_value());
    BOOST_TEST(*s.totals.sd == std::sqrt(108.0 / 6), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.totals.at_zero == 2u);
    BOOST_TEST(s.totals.at_full == 2u);
    BOOST_TEST(s.totals.min == 0);
    BOOST_TEST(s.totals.max == 10);
    BOOST_TEST(s.max_total == 10);
}

BOOST_AUTO_TEST_CASE(the_histogram_covers_every_total_once_with_zero_and_full_apart) {
    const sm::ClassSummary s = Fixture().summary();
    BOOST_REQUIRE(s.histogram.size() >= 3u);
    BOOST_TEST(s.histogram.front().lo == 0);
    BOOST_TEST(s.histogram.front().hi == 0);
    BOOST_TEST(s.histogram.front().count == 2u);
    BOOST_TEST(s.histogram.back().lo == 10);
    BOOST_TEST(s.histogram.back().count == 2u);
    std::size_t sum = 0;
    for (std::size_t i = 0; i < s.histogram.size(); ++i) {
        sum += s.histogram[i].count;
        if (i) BOOST_TEST(s.histogram[i].lo == s.histogram[i - 1].hi + 1);  // no gap, no overlap
    }
    BOOST_TEST(sum == 7u);
    for (const sm::Bin& b : s.histogram)
        if (b.lo <= 5 && 5 <= b.hi) BOOST_TEST(b.count == 1u);
    // 140 points: 1-13, 14-27, ..., 126-139, as the page labels them.
    gb::ClassGrades big;
    big.spec.exercises = {{"ex1", "", {{"a", "f", false, false, 140}}}};
    const sm::ClassSummary b = sm::summarize(big, {}, {});
    BOOST_REQUIRE(b.histogram.size() == 12u);
    BOOST_TEST(b.histogram[1].lo == 1);
    BOOST_TEST(b.histogram[1].hi == 13);
    BOOST_TEST(b.histogram[10].lo == 126);
    BOOST_TEST(b.histogram[10].hi == 139);
}

BOOST_AUTO_TEST_CASE(exercises_mean_and_full_marks_count_load_errors_as_zero) {
    const sm::ClassSummary s = Fixture().summary();
    BOOST_REQUIRE(s.exercises.size() == 2u);
    // ex1: 6 6 4 0 5 3 0 over 7; full (6 points) twice.
    BOOST_TEST(s.exercises[0].max_points == 6);
    BOOST_TEST(s.exercises[0].n == 7u);
    BOOST_TEST(s.exercises[0].mean == 24.0 / 7, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.exercises[0].full == 2u);
    BOOST_TEST(s.exercises[0].pass_rate() == 2.0 / 7, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.exercises[1].mean == 11.0 / 7, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.exercises[1].full == 2u);  // s1 and s2, 4 of 4
}

BOOST_AUTO_TEST_CASE(cases_pass_rates_verdicts_and_discrimination) {
    const sm::ClassSummary s = Fixture().summary();
    BOOST_TEST(s.loaded == 6u);
    const sm::CaseStats& a = find_case(s, "ex1/a");
    BOOST_TEST(a.n == 6u);
    BOOST_TEST(a.passed() == 4u);
    BOOST_TEST(a.verdicts[static_cast<std::size_t>(Verdict::Wrong)] == 2u);
    // Points 2 2 2 0 2 0 against totals 10 10 5 0 7 3, by hand: r = 0.8142...
    const std::vector<double> x = {2, 2, 2, 0, 2, 0}, y = {10, 10, 5, 0, 7, 3};
    const double mx = 8.0 / 6, my = 35.0 / 6;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < 6; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    BOOST_REQUIRE(a.discrimination.has_value());
    BOOST_TEST(*a.discrimination == sxy / std::sqrt(sxx * syy),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(*a.discrimination > 0.8);
    // Everyone passes c, everyone fails g: neither tells anything.
    BOOST_TEST(!find_case(s, "ex1/c").discrimination.has_value());
    BOOST_TEST(!find_case(s, "ex2/g").discrimination.has_value());
    BOOST_TEST(find_case(s, "ex1/e").verdicts[static_cast<std::size_t>(Verdict::Crash)] == 1u);
    // Hardest first: g and h (nobody passes) lead, c (everyone) comes last.
    BOOST_TEST(s.cases.front().passed() == 0u);
    BOOST_TEST(s.cases.back().path() == "ex1/c");
    for (std::size_t i = 1; i < s.cases.size(); ++i)
        BOOST_TEST(s.cases[i - 1].pass_rate() <= s.cases[i].pass_rate());
    // Wrong answers on a: s4 and s6, one identical pair.
    BOOST_TEST(a.wrong_answers == 2u);
    BOOST_TEST(a.distinct_wrong == 1u);
    const sm::CaseStats& b = find_case(s, "ex1/b");
    BOOST_TEST(b.wrong_answers == 2u);
    BOOST_TEST(b.distinct_wrong == 1u);
}

BOOST_AUTO_TEST_CASE(one_shared_answer_or_public_ones_only_are_not_listed) {
    const sm::ClassSummary s = Fixture().summary();
    BOOST_TEST(s.common_above == 5u);
    // s3-s4 share one answer (hidden b), s4-s6 two public ones (a, d); everyone shares the common
    // h and the blank g: nothing to list.
    BOOST_TEST(s.shared.empty());
    for (const sm::StudentRow& st : s.students) BOOST_TEST(!st.shared_group.has_value(), st.id);
    for (const sm::AnswerGroup& a : s.answer_groups)
        BOOST_TEST(a.blank == (a.path() == "ex2/g"), a.path());
    BOOST_TEST(s.answer_groups.front().answer.students.size() == 6u);  // largest first
}

BOOST_AUTO_TEST_CASE(two_uncommon_answers_one_hidden_make_a_group) {
    Fixture f;
    // s3 also returns s4's wrong value on public d: s3-s4 now share b (hidden) and d.
    f.identical[2].students = {"s3", "s4", "s6"};
    const sm::ClassSummary s = f.summary();
    BOOST_REQUIRE(s.shared.size() == 1u);
    const sm::SharedGroup& g = s.shared[0];
    // s6 shares d with both, and a with s4, all public: not joined.
    BOOST_TEST(g.students == (std::vector<std::string>{"s3", "s4"}));
    BOOST_TEST(g.hidden_answers == 1u);
    BOOST_REQUIRE(g.answers.size() == 2u);
    BOOST_TEST(s.answer_groups[g.answers[0].group].path() == "ex1/b");  // hidden first
    BOOST_TEST(s.answer_groups[g.answers[1].group].path() == "ex2/d");
    BOOST_TEST(g.answers[1].members == (std::vector<std::string>{"s3", "s4"}));
    for (const sm::StudentRow& st : s.students)
        BOOST_TEST(st.shared_group.has_value() == (st.id == "s3" || st.id == "s4"), st.id);
    // The same two answers given by everyone would be a common mistake, not a sign.
    Fixture common;
    common.identical[0].students = {"s1", "s2", "s3", "s4", "s5", "s6"};
    common.identical[2].students = {"s1", "s2", "s3", "s4", "s5", "s6"};
    BOOST_TEST(common.summary().shared.empty());
    // Two answers alike are not enough when they are a small part of either one's mistakes: s3
    // now also fails a, c, d and e in ways of its own (5 uncommon wrong answers, 2 shared).
    Fixture alike = f;
    for (gb::CaseOutcome& o : alike.outcomes)
        if (o.student == "s3" && o.case_id != "b" && o.case_id != "g" && o.case_id != "h") {
            o.verdict = Verdict::Wrong;
            o.points = 0;
            o.wrong_answer = true;
        }
    BOOST_TEST(alike.summary().shared.empty());
    // Four of them (2 shared of 4) still are.
    for (gb::CaseOutcome& o : alike.outcomes)
        if (o.student == "s3" && o.case_id == "e")
            o.verdict = Verdict::Pass, o.wrong_answer = false;
    BOOST_TEST(alike.summary().shared.size() == 1u);
    // With 60 more submissions the threshold is a tenth of those that loaded.
    gb::ClassGrades many = f.grades;
    std::vector<gb::CaseOutcome> outcomes = f.outcomes;
    for (int i = 0; i < 60; ++i) {
        gb::ClassRow row = many.rows[0];
        row.student.id = "t" + std::to_string(i);
        row.current->id = 1000 + i;
        many.rows.push_back(row);
        outcomes.push_back({1000 + i, row.student.id, "ex1", "a", Verdict::Pass, 2, false});
    }
    BOOST_TEST(sm::summarize(many, outcomes, f.identical).common_above == 6u);
}

BOOST_AUTO_TEST_CASE(the_students_variant_keeps_public_cases_and_no_one_in_particular) {
    Fixture f;
    f.identical[2].students = {"s1", "s4", "s6"};  // three on public d: may be shown
    const sm::ClassSummary s = sm::for_students(f.summary());
    BOOST_TEST(s.for_students);
    for (const sm::CaseStats& c : s.cases) BOOST_TEST(!c.hidden, c.path());
    BOOST_TEST(s.cases.size() == 2u);
    BOOST_REQUIRE(s.answer_groups.size() == 1u);
    BOOST_TEST(s.answer_groups[0].path() == "ex2/d");
    BOOST_TEST(s.answer_groups[0].answer.students.empty());
    BOOST_TEST(s.shared.empty());
    BOOST_TEST(s.students.empty());
    BOOST_TEST(s.totals.n == 7u);  // the class figures stay
    const std::string html = html_of(s);
    for (const char* who : {"s1", "s3", "s4", "s6", "s7", "Name of", "not an ELF"})
        BOOST_TEST(html.find(std::string(">") + who) == std::string::npos, who);
    for (const char* hidden : {"ex1/b", "ex1/c", "ex1/e", "ex2/g", "ex2/h"})
        BOOST_TEST(html.find(hidden) == std::string::npos, hidden);
    xmlFreeDoc(parse_strict(html));
}

BOOST_AUTO_TEST_CASE(names_and_ids_never_become_markup) {
    Fixture f;
    f.grades.rows[0].student.name = "<script>alert(\"x\")</script> & O'Neil";
    f.grades.rows[1].student.id = "evil\"><img src=x onerror=alert(1)>";
    f.grades.rows[6].current->record.message = "bad </td></tr> \x01 \xff bytes";
    const sm::ClassSummary s = f.summary();
    sm::HtmlOptions o;
    o.report_links[f.grades.rows[1].student.id] = "reports/evil%22.txt";
    const std::string html = html_of(s, o);
    xmlDocPtr doc = parse_strict(html);
    std::multiset<std::string> tags;
    std::string text;
    collect(xmlDocGetRootElement(doc), tags, text);
    xmlFreeDoc(doc);
    BOOST_TEST(tags.count("script") == 1u);  // the page's own
    BOOST_TEST(tags.count("img") == 0u);
    BOOST_TEST(tags.count("html") == 1u);
    BOOST_TEST(tags.count("svg") >= 3u);
    BOOST_TEST(text.find("<script>alert(\"x\")</script> & O'Neil") != std::string::npos);
    BOOST_TEST(text.find("evil\"><img src=x onerror=alert(1)>") != std::string::npos);
    BOOST_TEST(text.find("KL <exercises> & more") != std::string::npos);
    BOOST_TEST(html.find("\xff") == std::string::npos);  // invalid UTF-8 made visible
    BOOST_TEST(html.find("href=\"reports/evil%22.txt\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_chart_has_a_text_equivalent) {
    const std::string html = html_of(Fixture().summary());
    xmlDocPtr doc = parse_strict(html);
    std::size_t charts = 0;
    std::function<void(xmlNodePtr)> walk = [&](xmlNodePtr n) {
        for (; n; n = n->next) {
            if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "svg") == 0) {
                ++charts;
                xmlChar* role = xmlGetProp(n, BAD_CAST "role");
                BOOST_TEST(role != nullptr);
                xmlFree(role);
                bool titled = false;
                for (xmlNodePtr c = n->children; c; c = c->next)
                    titled |= c->type == XML_ELEMENT_NODE &&
                              xmlStrcmp(c->name, BAD_CAST "title") == 0 && c->children;
                BOOST_TEST(titled);
                continue;
            }
            walk(n->children);
        }
    };
    walk(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    BOOST_TEST(charts == 2u + 7u + 7u);  // histogram, exercises, a verdict bar per case, twice
    BOOST_TEST(html.find("@page { size: A4") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_terminal_summary_says_the_same_in_a_few_dozen_lines) {
    Fixture f;
    f.identical[2].students = {"s3", "s4", "s6"};
    f.grades.rows[2].student.id = "s3\x1b[2J";
    for (gb::IdenticalAnswer& a : f.identical)
        for (std::string& who : a.students)
            if (who == "s3") who = "s3\x1b[2J";
    std::ostringstream out;
    sm::render_text(f.summary(), out);
    const std::string text = out.str();
    BOOST_TEST(text.find("8 submissions: 6 graded, 1 load error, 1 system error; 1 with no "
                         "submission") != std::string::npos,
               text);
    BOOST_TEST(text.find("mean 5.0 (50%), median 5, standard deviation 4.2, 2 at zero, 2 at full "
                         "marks") != std::string::npos,
               text);
    BOOST_TEST(text.find("0 |") != std::string::npos);
    BOOST_TEST(text.find("█") != std::string::npos);
    BOOST_TEST(text.find("group 1: s3\\x1b[2J, s4") != std::string::npos, text);
    BOOST_TEST(text.find('\x1b') == std::string::npos);
    BOOST_TEST(text.find("6 on ex2/h (hidden): returned return value = 9") != std::string::npos,
               text);
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    BOOST_TEST(lines < 60u);
}

BOOST_AUTO_TEST_CASE(markup_refuses_what_would_break_the_page) {
    sm::Markup m;
    m.open("p");
    BOOST_CHECK_THROW(m.finish(), std::logic_error);
    sm::Markup c;
    BOOST_CHECK_THROW(c.constant("if (a < b) {}"), std::logic_error);
    BOOST_CHECK_THROW(c.constant("a && b"), std::logic_error);
    sm::Markup e;
    BOOST_CHECK_THROW(e.close(), std::logic_error);
    BOOST_TEST(sm::escape_html("a<b>\"c\"&'d'") == "a&lt;b&gt;&quot;c&quot;&amp;&apos;d&apos;");
}

BOOST_AUTO_TEST_CASE(values_and_ratios_read_as_a_person_would) {
    using grader::result::NamedValues;
    BOOST_TEST(sm::values_text({{"return value", {0.1}, 1}}) == "return value = 0.1");
    BOOST_TEST(sm::values_text({{"q", {1, 2, 3}, 10}}, 2) == "q = [1, 2, … (10 values)]");
    BOOST_TEST(sm::ratio_text({{"r", {1.4426950408889634}, 1}}, {{"r", {1.0}, 1}}) == "×1.4427");
    BOOST_TEST(sm::ratio_text({{"r", {1, 2}, 2}}, {{"r", {1, 2}, 2}}).empty());
    BOOST_TEST(sm::ratio_text({{"r", {0.0}, 1}}, {{"r", {1.0}, 1}}).empty());
    BOOST_TEST(sm::percent(0.666) == "67%");
}

BOOST_AUTO_TEST_SUITE_END()
