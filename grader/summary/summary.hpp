#pragma once
// The instructor's view of a class, read from the gradebook: how the class did, which exercises
// and cases were hard, the wrong answers many gave, answers shared between students, and who
// needs a look. `summarize` derives every number once (stats.cpp); the renderers only lay them
// out, as text for a terminal or as one self-contained HTML page.
//
// Populations, said on the page too: the class and exercise figures count every submission with
// a grade (a load error is a grade of 0, as in the exports); the case figures count the
// submissions that loaded and were graded with the gradebook's current spec.

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "grader/gradebook/class_stats.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/gradebook/records.hpp"
#include "grader/result/result.hpp"

namespace grader::summary {

inline constexpr std::size_t kVerdicts = 9;
// In the order of result::Verdict.
std::array<result::Verdict, kVerdicts> all_verdicts();

struct Counts {
    std::size_t students = 0;       // rows of the class: submitted or on the roster
    std::size_t submissions = 0;    // with a current run
    std::size_t graded = 0;         // loaded and graded
    std::size_t load_errors = 0;    // graded 0: the library could not be loaded
    std::size_t system_errors = 0;  // no grade yet
    std::size_t no_submission = 0;  // on the roster, nothing handed in
};

// Of the totals of every submission with a grade.
struct Distribution {
    std::size_t n = 0;
    double mean = 0;
    double median = 0;
    std::optional<double> sd;  // sample standard deviation (n - 1); absent below two grades
    int min = 0;
    int max = 0;
    std::size_t at_zero = 0;
    std::size_t at_full = 0;
};

// Totals from `lo` to `hi` points, both included: the first bin is 0 alone and the last full
// marks alone, so that both counts stand out.
struct Bin {
    int lo = 0;
    int hi = 0;
    std::size_t count = 0;
};

struct ExerciseStats {
    std::string id;
    std::string title;
    int max_points = 0;
    std::size_t n = 0;     // submissions with a grade
    double mean = 0;       // points
    std::size_t full = 0;  // with every point of the exercise
    double mean_fraction() const { return max_points > 0 ? mean / max_points : 0; }
    double pass_rate() const { return n ? static_cast<double>(full) / static_cast<double>(n) : 0; }
};

struct CaseStats {
    std::string exercise;
    std::string case_id;
    std::string function;
    bool property = false;
    bool hidden = false;
    int max_points = 0;
    std::size_t n = 0;  // submissions that loaded
    std::array<std::size_t, kVerdicts> verdicts{};
    // Pearson correlation of the case's points with the student's total over the submissions
    // that loaded; absent when everyone scored the same on the case (it tells nothing).
    std::optional<double> discrimination;
    std::size_t wrong_answers = 0;   // wrong values kept (properties left unscored are not)
    std::size_t distinct_wrong = 0;  // different answers among them
    std::size_t passed() const { return verdicts[0]; }
    double pass_rate() const {
        return n ? static_cast<double>(passed()) / static_cast<double>(n) : 0;
    }
    std::string path() const { return exercise + "/" + case_id; }
};

// A wrong answer several submissions returned bit for bit on one case.
struct AnswerGroup {
    gradebook::IdenticalAnswer answer;
    bool hidden = false;
    bool property = false;
    std::size_t case_wrong = 0;  // every wrong answer on that case
    bool blank = false;          // NaN or 0 throughout: an unfinished stub, not a real attempt
    std::string path() const { return answer.exercise + "/" + answer.case_id; }
};

// Submissions that returned the same uncommon wrong answers on several cases, at least one of
// them hidden, and at least half of each one's wrong answers: a reason for a person to look at
// their code, never a verdict.
struct SharedAnswer {
    std::size_t group = 0;             // index into ClassSummary::answer_groups
    std::vector<std::string> members;  // those of the shared group who gave it
};
struct SharedGroup {
    std::vector<std::string> students;
    std::vector<SharedAnswer> answers;  // hidden cases first
    std::size_t hidden_answers = 0;
};

struct StudentRow {
    std::string id;
    std::string name;
    std::string status;                 // graded, load_error, system_error, no_submission
    std::optional<int> total;           // measured
    std::optional<double> final_total;  // after the late penalty and adjustments by hand
    std::string late;                   // "10 h 12 min late, -8": empty when on time
    bool adjusted = false;              // some adjustment by hand is in force
    int max_total = 0;
    std::vector<std::optional<int>> exercise_scores;  // in the order of ClassSummary::exercises
    std::string message;                              // the load or system error
    bool on_roster = true;
    std::optional<std::size_t> shared_group;  // index into ClassSummary::shared
};

struct ClassSummary {
    std::string title;  // the spec's
    std::string spec_sha256;
    std::string gradebook;
    std::string generated_at;
    bool for_students = false;  // public cases and class figures only
    int max_total = 0;
    Counts counts;
    Distribution totals;
    std::vector<Bin> histogram;
    std::vector<ExerciseStats> exercises;
    std::size_t loaded = 0;        // the case figures' population
    std::size_t other_spec = 0;    // graded with an older spec: left out of the case figures
    std::vector<CaseStats> cases;  // hardest first
    std::vector<AnswerGroup> answer_groups;  // largest first
    // An answer given by more submissions than this is a common mistake: it is not counted as a
    // sign of sharing.
    std::size_t common_above = 0;
    std::vector<SharedGroup> shared;
    std::vector<StudentRow> students;  // by id
};

// Derives everything from what the gradebook holds.
ClassSummary summarize(const gradebook::ClassGrades& grades,
                       const std::vector<gradebook::CaseOutcome>& outcomes,
                       const std::vector<gradebook::IdenticalAnswer>& identical);
// The queries and summarize in one.
ClassSummary read_summary(gradebook::Gradebook& book);
// The class overview students may see: public cases only, wrong-answer groups of three or more
// on public cases, and nothing about any one student.
ClassSummary for_students(ClassSummary summary);

// A few dozen lines for a terminal: the class, the histogram as bars, the exercises, the hardest
// cases, the largest wrong-answer groups, shared answers to review.
void render_text(const ClassSummary& summary, std::ostream& out);

struct HtmlOptions {
    // Student id -> where their report is, relative to the page ("reports/alice.txt").
    std::map<std::string, std::string> report_links;
};
// One page, complete in itself: inline CSS and SVG, and an optional inline script (sorting);
// it reads fully without it and prints on A4.
void render_html(const ClassSummary& summary, const HtmlOptions& options, std::ostream& out);

// "+1.00" style helpers shared by both renderers.
std::string percent(double fraction);  // "42%"
std::string values_text(const std::vector<result::NamedValues>& values,
                        std::size_t max_values = 6);  // "return value = 0.6"
// When both are one finite non-zero number: "×1.4427", which often names the mistake (1/ln 2 for
// bits, 2 for a forgotten half).
std::string ratio_text(const std::vector<result::NamedValues>& returned,
                       const std::vector<result::NamedValues>& expected);

}  // namespace grader::summary
