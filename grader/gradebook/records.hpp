#pragma once
// What the gradebook stores and answers, as plain data. The gradebook knows results
// (grader/result), never the sandbox or how grading ran: whoever grades fills a RunRecord and hands
// it over.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grader/result/result.hpp"

namespace grader::gradebook {

// A student as the roster names them; every field but `id` may be empty.
struct Student {
    std::string id;
    std::string name;
    std::string email;
    std::string sis_id;
    std::string section;
};

enum class Status {
    Graded,       // graded, whatever the score
    LoadError,    // the library could not be loaded: graded, zero points
    SystemError,  // the grader or the machine failed: no grade (retry)
};
// "graded", "load_error", "system_error"
std::string_view name(Status status);
std::optional<Status> parse_status(std::string_view text);

// What decides whether a submission is already graded: the same bytes, graded by the same spec,
// reference, grader and seed, give the same result.
struct RunKey {
    std::string student;
    std::string submission_sha256;
    std::string spec_sha256;
    std::string reference_sha256;  // empty when graded from a public bundle (no reference)
    std::string grader_version;
    std::optional<std::uint64_t> seed;
};

// One grading of one submission, as recorded.
struct RunRecord {
    std::string uid;  // 32 hex digits, unique across gradebooks (merging keeps it)
    RunKey key;
    std::string submission_path;
    std::uint64_t submission_size = 0;
    std::string spec_path;
    std::string started_at;  // ISO 8601 UTC with milliseconds: sorts as text
    std::string ended_at;
    Status status = Status::Graded;
    std::string message;                    // the load error or the system error; empty when graded
    std::optional<std::string> regrade_of;  // the uid of the run a regrade re-grades
    // When the submission came in, as far as anyone knows, and how that is known: "blackboard"
    // (the attempt's time in its file name), "moodle" (the worksheet), "gradescope"
    // (created_at), "canvas" (its LATE marker: late, time unknown), "mtime" (the file's time,
    // not trustworthy), or "" (unknown).
    std::optional<std::string> submitted_at;  // ISO 8601 UTC
    std::string submitted_source;
    bool marked_late = false;
    // False for an attempt that does not count: another attempt of the student's does (the
    // latest or the best, grader batch --attempt). It stays in the history.
    bool counted = true;
};

// The shape of a spec as the gradebook keeps it, so that exports and totals need no spec file.
struct CaseOutline {
    std::string case_id;
    std::string function;
    bool property = false;
    bool hidden = false;
    int max_points = 0;
};
struct ExerciseOutline {
    std::string id;
    std::string title;
    std::vector<CaseOutline> cases;
    int max_points() const;
};
struct SpecOutline {
    std::string sha256;
    std::string title;
    std::string path;
    std::vector<ExerciseOutline> exercises;
    int max_points() const;
};

// Builds the outline of the spec a result was graded against.
SpecOutline outline_of(const result::Result& result, std::string sha256);

// One case of a stored run.
struct StoredCase {
    std::string exercise;
    std::string case_id;
    result::Verdict verdict = result::Verdict::Pass;
    int points = 0;
    int max_points = 0;
    std::string message;
    std::string fingerprint;
};

// What an instructor decided, layered over the measured score: the late penalty that follows from
// the policy in force and the run's time, then adjustments by hand. Never stored as case points.
struct FinalGrade {
    double raw = 0;           // the measured points, with any case adjusted by hand
    double late_penalty = 0;  // points taken for lateness (>= 0)
    double adjustment = 0;    // the sum of adjustments to the total
    double final_score = 0;   // max(0, raw - late_penalty) + adjustment, never below 0
    // "" (no policy), "on_time", "grace", "late", "past_cutoff", "late_unknown", "time_unknown"
    std::string late_status;
    std::int64_t late_by_seconds = 0;
    std::string late_text;  // for people: "submitted 10 h 12 min after the due date: -10% (…)"
    bool adjusted = false;  // some adjustment by hand is in force
};

// An adjustment by hand: to the total (no case: `points` added) or to one case (`points` its new
// points). Kept for ever; an undo is stamped on it.
struct Adjustment {
    std::int64_t id = 0;
    std::string student;
    std::string exercise, case_id;  // empty: the total
    double points = 0;
    std::optional<double> replaced;  // the total, or the case's points, before
    std::string verdict_then;        // a case's verdict when it was adjusted
    std::string reason;
    std::string made_by, made_at;
    std::optional<std::string> undone_by, undone_at;
    bool active() const { return !undone_at.has_value(); }
    bool on_case() const { return !case_id.empty(); }
};

// A late policy as the gradebook keeps it (the instructor's own words for penalty and cap).
struct StoredPolicy {
    std::int64_t id = 0;
    std::string due;  // ISO 8601 UTC
    std::int64_t grace_seconds = 0;
    std::optional<std::string> cutoff;
    std::optional<std::string> penalty, cap;
    std::string set_by, set_at;
};

// One student's extension.
struct StoredExtension {
    std::string student, due, set_by, set_at;
};

// A run as read back, with its derived totals.
struct StoredRun {
    std::int64_t id = 0;
    RunRecord record;
    std::int64_t batch = 0;
    bool pending = false;
    std::optional<int> score;  // absent for a system error
    int max_score = 0;
    std::vector<std::pair<std::string, int>> exercise_scores;  // in spec order
    std::optional<FinalGrade> grade;                           // absent for a system error
};

// A student's line in the class: their current grade, if any.
struct ClassRow {
    Student student;
    bool on_roster = false;
    std::optional<StoredRun> current;  // absent: no submission
};

struct ClassGrades {
    SpecOutline spec;            // the spec of the most recent current grade (columns of an export)
    std::vector<ClassRow> rows;  // by student id
    bool roster_loaded = false;  // some roster was given: students off it are flagged
};

}  // namespace grader::gradebook
