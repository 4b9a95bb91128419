// Every number of the summary, derived once from the gradebook's answers so that the text and
// the page cannot disagree.

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "grader/gradebook/gradebook.hpp"
#include "grader/policy/instant.hpp"
#include "grader/report/report.hpp"
#include "grader/summary/summary.hpp"

namespace grader::summary {

namespace {

// Cases a pair must share before it is listed, at least one of them hidden: one identical
// value can be chance (a simple formula written the same way); several, with a hidden one whose
// inputs no student has seen, are worth a look.
constexpr std::size_t kMinSharedAnswers = 2;

std::size_t verdict_index(result::Verdict v) {
    return static_cast<std::size_t>(v);
}

Distribution distribution(std::vector<int> totals, int max_total) {
    Distribution d;
    d.n = totals.size();
    if (totals.empty()) return d;
    std::sort(totals.begin(), totals.end());
    const double n = static_cast<double>(d.n);
    d.mean = std::accumulate(totals.begin(), totals.end(), 0.0) / n;
    d.median = d.n % 2 ? totals[d.n / 2] : (totals[d.n / 2 - 1] + totals[d.n / 2]) / 2.0;
    if (d.n > 1) {
        double squares = 0;
        for (int t : totals) squares += (t - d.mean) * (t - d.mean);
        d.sd = std::sqrt(squares / (n - 1));
    }
    d.min = totals.front();
    d.max = totals.back();
    d.at_zero = static_cast<std::size_t>(std::count(totals.begin(), totals.end(), 0));
    d.at_full = max_total > 0
                    ? static_cast<std::size_t>(std::count(totals.begin(), totals.end(), max_total))
                    : 0;
    return d;
}

// 0 alone, ten bins of a tenth of the points each, full marks alone; a bin with no integer in
// it (a spec of few points) is dropped.
std::vector<Bin> histogram(const std::vector<int>& totals, int max_total) {
    std::vector<Bin> bins;
    if (max_total <= 0) return bins;
    bins.push_back({0, 0, 0});
    for (int k = 0; k < 10; ++k) {
        const int lo = std::max(1, (k * max_total + 9) / 10);
        const int hi = std::min(max_total - 1, ((k + 1) * max_total + 9) / 10 - 1);
        if (lo <= hi) bins.push_back({lo, hi, 0});
    }
    bins.push_back({max_total, max_total, 0});
    for (int t : totals)
        for (Bin& b : bins)
            if (t >= b.lo && t <= b.hi) {
                ++b.count;
                break;
            }
    return bins;
}

std::optional<double> correlation(const std::vector<double>& x, const std::vector<double>& y) {
    const std::size_t n = x.size();
    if (n < 2) return std::nullopt;
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0) return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

bool blank(const std::vector<result::NamedValues>& values) {
    if (values.empty()) return true;
    for (const result::NamedValues& v : values)
        for (double x : v.values)
            if (!std::isnan(x) && x != 0) return false;
    return true;
}

struct UnionFind {
    std::vector<std::size_t> parent;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    std::size_t find(std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }
    void join(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

// `wrong`: each student's wrong answers that are not blank. A pair is listed when its shared
// answers are also at least half of either one's: copied code repeats its mistakes throughout,
// while two students who happen to make one mistake the same way differ in the rest.
std::vector<SharedGroup> shared_groups(const std::vector<AnswerGroup>& groups,
                                       std::size_t common_above,
                                       const std::map<std::string, std::size_t>& wrong) {
    // Students by index, and for each pair the answers they share.
    std::map<std::string, std::size_t> index;
    std::vector<std::string> ids;
    auto id_of = [&](const std::string& s) {
        const auto [it, added] = index.emplace(s, ids.size());
        if (added) ids.push_back(s);
        return it->second;
    };
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> pairs;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const AnswerGroup& a = groups[g];
        if (a.blank || a.answer.students.size() > common_above) continue;
        std::vector<std::size_t> members;
        for (const std::string& s : a.answer.students) members.push_back(id_of(s));
        for (std::size_t i = 0; i < members.size(); ++i)
            for (std::size_t j = i + 1; j < members.size(); ++j)
                pairs[std::minmax(members[i], members[j])].push_back(g);
    }
    UnionFind uf(ids.size());
    std::vector<std::pair<std::pair<std::size_t, std::size_t>, const std::vector<std::size_t>*>>
        listed;
    for (const auto& [pair, shared] : pairs) {
        const bool any_hidden = std::any_of(shared.begin(), shared.end(),
                                            [&](std::size_t g) { return groups[g].hidden; });
        const auto mistakes = [&](std::size_t i) {
            const auto it = wrong.find(ids[i]);
            return it == wrong.end() ? std::size_t{0} : it->second;
        };
        const std::size_t most = std::max(mistakes(pair.first), mistakes(pair.second));
        if (shared.size() < kMinSharedAnswers || !any_hidden || 2 * shared.size() < most) continue;
        uf.join(pair.first, pair.second);
        listed.emplace_back(pair, &shared);
    }
    // One group per connected set of listed pairs, with every answer two of its members share.
    std::map<std::size_t, std::set<std::size_t>> members, answers;
    for (const auto& [pair, shared] : listed) {
        const std::size_t root = uf.find(pair.first);
        members[root].insert({pair.first, pair.second});
        answers[root].insert(shared->begin(), shared->end());
    }
    std::vector<SharedGroup> out;
    for (const auto& [root, who] : members) {
        SharedGroup sg;
        for (std::size_t i : who) sg.students.push_back(ids[i]);
        std::sort(sg.students.begin(), sg.students.end());
        for (std::size_t g : answers[root]) {
            SharedAnswer sa{g, {}};
            for (const std::string& s : groups[g].answer.students)
                if (std::binary_search(sg.students.begin(), sg.students.end(), s))
                    sa.members.push_back(s);
            if (sa.members.size() < 2) continue;
            sg.hidden_answers += groups[g].hidden;
            sg.answers.push_back(std::move(sa));
        }
        std::stable_sort(sg.answers.begin(), sg.answers.end(),
                         [&](const SharedAnswer& a, const SharedAnswer& b) {
                             return groups[a.group].hidden > groups[b.group].hidden;
                         });
        out.push_back(std::move(sg));
    }
    // The strongest signals first: most hidden cases, then most cases, then the smallest groups.
    std::sort(out.begin(), out.end(), [](const SharedGroup& a, const SharedGroup& b) {
        if (a.hidden_answers != b.hidden_answers) return a.hidden_answers > b.hidden_answers;
        if (a.answers.size() != b.answers.size()) return a.answers.size() > b.answers.size();
        if (a.students.size() != b.students.size()) return a.students.size() < b.students.size();
        return a.students < b.students;
    });
    return out;
}

}  // namespace

std::array<result::Verdict, kVerdicts> all_verdicts() {
    return {result::Verdict::Pass,     result::Verdict::Wrong,     result::Verdict::Missing,
            result::Verdict::Crash,    result::Verdict::Timeout,   result::Verdict::Memory,
            result::Verdict::Overflow, result::Verdict::Forbidden, result::Verdict::Error};
}

ClassSummary summarize(const gradebook::ClassGrades& grades,
                       const std::vector<gradebook::CaseOutcome>& outcomes,
                       const std::vector<gradebook::IdenticalAnswer>& identical) {
    ClassSummary s;
    const gradebook::SpecOutline& spec = grades.spec;
    s.title = spec.title.empty() ? "no grades yet" : spec.title;
    s.spec_sha256 = spec.sha256;
    s.max_total = spec.max_points();
    for (const gradebook::ExerciseOutline& e : spec.exercises)
        s.exercises.push_back({e.id, e.title, e.max_points(), 0, 0, 0});

    // The class and its exercises.
    std::vector<int> totals;
    std::map<std::int64_t, int> total_of_run;
    std::vector<double> exercise_sums(s.exercises.size(), 0);
    for (const gradebook::ClassRow& row : grades.rows) {
        ++s.counts.students;
        StudentRow st;
        st.id = row.student.id;
        st.name = row.student.name;
        st.on_roster = row.on_roster || !grades.roster_loaded;
        st.max_total = s.max_total;
        st.exercise_scores.assign(s.exercises.size(), std::nullopt);
        if (!row.current) {
            ++s.counts.no_submission;
            st.status = "no_submission";
            s.students.push_back(std::move(st));
            continue;
        }
        const gradebook::StoredRun& run = *row.current;
        ++s.counts.submissions;
        st.status = std::string(gradebook::name(run.record.status));
        st.message = run.record.message;
        st.max_total = run.max_score;
        switch (run.record.status) {
            case gradebook::Status::Graded:
                ++s.counts.graded;
                break;
            case gradebook::Status::LoadError:
                ++s.counts.load_errors;
                break;
            case gradebook::Status::SystemError:
                ++s.counts.system_errors;
                break;
        }
        if (run.grade) {
            const gradebook::FinalGrade& g = *run.grade;
            st.final_total = g.final_score;
            st.adjusted = g.adjusted;
            if (g.late_by_seconds > 0 && g.late_status != "grace")
                st.late = fmt::format(
                    "{} late{}", policy::describe_span(std::chrono::seconds{g.late_by_seconds}),
                    g.late_penalty > 0 ? fmt::format(", -{:g}", g.late_penalty) : "");
            else if (g.late_status == "late_unknown")
                st.late = fmt::format("late (time unknown), -{:g}", g.late_penalty);
        }
        if (run.score) {
            st.total = *run.score;
            totals.push_back(*run.score);
            total_of_run[run.id] = *run.score;
            if (run.record.status == gradebook::Status::Graded &&
                run.record.key.spec_sha256 != spec.sha256)
                ++s.other_spec;
            for (std::size_t e = 0; e < s.exercises.size(); ++e) {
                int points = 0;  // an exercise the run has no cases for scored nothing
                for (const auto& [id, p] : run.exercise_scores)
                    if (id == s.exercises[e].id) points = p;
                st.exercise_scores[e] = points;
                exercise_sums[e] += points;
                ++s.exercises[e].n;
                if (points == s.exercises[e].max_points) ++s.exercises[e].full;
            }
        }
        s.students.push_back(std::move(st));
    }
    for (std::size_t e = 0; e < s.exercises.size(); ++e)
        if (s.exercises[e].n)
            s.exercises[e].mean = exercise_sums[e] / static_cast<double>(s.exercises[e].n);
    s.totals = distribution(totals, s.max_total);
    s.histogram = histogram(totals, s.max_total);

    // The cases, over the submissions that loaded.
    std::map<std::pair<std::string, std::string>, std::size_t> case_index;
    for (const gradebook::ExerciseOutline& e : spec.exercises)
        for (const gradebook::CaseOutline& c : e.cases) {
            case_index[{e.id, c.case_id}] = s.cases.size();
            CaseStats cs;
            cs.exercise = e.id;
            cs.case_id = c.case_id;
            cs.function = c.function;
            cs.property = c.property;
            cs.hidden = c.hidden;
            cs.max_points = c.max_points;
            s.cases.push_back(std::move(cs));
        }
    std::vector<std::vector<double>> points(s.cases.size()), run_totals(s.cases.size());
    std::set<std::int64_t> runs;
    std::map<std::string, std::size_t> mistakes;
    for (const gradebook::CaseOutcome& o : outcomes) {
        const auto it = case_index.find({o.exercise, o.case_id});
        const auto total = total_of_run.find(o.run);
        if (it == case_index.end() || total == total_of_run.end()) continue;
        runs.insert(o.run);
        CaseStats& cs = s.cases[it->second];
        ++cs.n;
        ++cs.verdicts[verdict_index(o.verdict)];
        cs.wrong_answers += o.wrong_answer;
        if (o.wrong_answer && !o.nothing_returned) ++mistakes[o.student];
        points[it->second].push_back(o.points);
        run_totals[it->second].push_back(total->second);
    }
    s.loaded = runs.size();
    for (std::size_t c = 0; c < s.cases.size(); ++c)
        s.cases[c].discrimination = correlation(points[c], run_totals[c]);

    // Identical wrong answers, and what they say about each case.
    s.common_above = std::max<std::size_t>(5, s.loaded / 10);
    std::vector<std::size_t> grouped(s.cases.size(), 0), groups_per_case(s.cases.size(), 0);
    for (const gradebook::IdenticalAnswer& a : identical) {
        const auto it = case_index.find({a.exercise, a.case_id});
        if (it == case_index.end()) continue;
        const CaseStats& cs = s.cases[it->second];
        grouped[it->second] += a.students.size();
        ++groups_per_case[it->second];
        AnswerGroup g;
        g.answer = a;
        std::sort(g.answer.students.begin(), g.answer.students.end());
        g.hidden = cs.hidden;
        g.property = cs.property;
        g.blank = blank(a.returned);
        s.answer_groups.push_back(std::move(g));
    }
    for (std::size_t c = 0; c < s.cases.size(); ++c) {
        CaseStats& cs = s.cases[c];
        cs.distinct_wrong = groups_per_case[c] +
                            (cs.wrong_answers > grouped[c] ? cs.wrong_answers - grouped[c] : 0);
    }
    for (AnswerGroup& g : s.answer_groups)
        g.case_wrong = s.cases[case_index.at({g.answer.exercise, g.answer.case_id})].wrong_answers;
    std::stable_sort(s.answer_groups.begin(), s.answer_groups.end(),
                     [](const AnswerGroup& a, const AnswerGroup& b) {
                         return a.answer.students.size() > b.answer.students.size();
                     });
    // A common mistake says nothing about copying, for or against.
    for (const AnswerGroup& g : s.answer_groups)
        if (!g.blank && g.answer.students.size() > s.common_above)
            for (const std::string& id : g.answer.students)
                if (mistakes[id] > 0) --mistakes[id];
    s.shared = shared_groups(s.answer_groups, s.common_above, mistakes);
    std::map<std::string, std::size_t> group_of;
    for (std::size_t g = 0; g < s.shared.size(); ++g)
        for (const std::string& id : s.shared[g].students) group_of[id] = g;
    for (StudentRow& st : s.students)
        if (const auto it = group_of.find(st.id); it != group_of.end())
            st.shared_group = it->second;

    // Hardest first: the lowest pass rate, then the most points at stake, then spec order.
    std::stable_sort(s.cases.begin(), s.cases.end(), [](const CaseStats& a, const CaseStats& b) {
        if (a.n == 0 || b.n == 0) return a.n > b.n;
        if (a.passed() * b.n != b.passed() * a.n) return a.passed() * b.n < b.passed() * a.n;
        return a.max_points > b.max_points;
    });
    return s;
}

ClassSummary read_summary(gradebook::Gradebook& book) {
    const gradebook::ClassGrades grades = book.class_grades();
    ClassSummary s = summarize(grades, book.class_case_outcomes(grades.spec.sha256),
                               book.identical_wrong_answers(grades.spec.sha256));
    s.gradebook = book.path();
    s.generated_at = gradebook::utc_now();
    return s;
}

ClassSummary for_students(ClassSummary s) {
    s.for_students = true;
    s.gradebook.clear();
    std::erase_if(s.cases, [](const CaseStats& c) { return c.hidden; });
    // A group of two would tell each of them what the other returned.
    std::erase_if(s.answer_groups,
                  [](const AnswerGroup& g) { return g.hidden || g.answer.students.size() < 3; });
    for (AnswerGroup& g : s.answer_groups) g.answer.students.clear();
    s.shared.clear();
    s.students.clear();
    return s;
}

std::string percent(double fraction) {
    return fmt::format("{:.0f}%", 100 * fraction);
}

std::string values_text(const std::vector<result::NamedValues>& values, std::size_t max_values) {
    std::string out;
    for (const result::NamedValues& v : values) {
        if (!out.empty()) out += "; ";
        const bool scalar = v.length <= 1 && v.values.size() <= 1;
        out += v.name + " = ";
        if (!scalar) out += "[";
        for (std::size_t i = 0; i < v.values.size() && i < max_values; ++i)
            out += (i ? ", " : "") + report::format_number(v.values[i]);
        if (v.values.empty() && !scalar) out += "…";
        if (v.length > std::min(v.values.size(), max_values))
            out += fmt::format(", … ({} values)", v.length);
        if (!scalar) out += "]";
    }
    return out;
}

std::string ratio_text(const std::vector<result::NamedValues>& returned,
                       const std::vector<result::NamedValues>& expected) {
    if (returned.size() != 1 || expected.size() != 1 || returned[0].values.size() != 1 ||
        expected[0].values.size() != 1)
        return "";
    const double got = returned[0].values[0], want = expected[0].values[0];
    if (!std::isfinite(got) || !std::isfinite(want) || want == 0 || got == 0) return "";
    return fmt::format("×{:.5g}", got / want);
}

}  // namespace grader::summary
