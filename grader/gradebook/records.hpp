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

// A run as read back, with its derived totals.
struct StoredRun {
    std::int64_t id = 0;
    RunRecord record;
    std::int64_t batch = 0;
    bool pending = false;
    std::optional<int> score;  // absent for a system error
    int max_score = 0;
    std::vector<std::pair<std::string, int>> exercise_scores;  // in spec order
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
