#pragma once
// The gradebook: an SQLite file that records every grading of every submission as it happens
// (one transaction per submission, WAL mode, synchronous writes), so that nothing graded is lost
// to Ctrl-C, kill -9, a full disk or a reboot. It is the only part of the grader that knows SQL;
// exports, the summary and regrades read it through the queries below.
//
// Two graders may write one gradebook at once: SQLite serialises their transactions, each a few
// milliseconds long; one that waits longer than the busy timeout is told so, clearly.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grader/gradebook/class_stats.hpp"
#include "grader/gradebook/records.hpp"
#include "grader/policy/late_policy.hpp"
#include "grader/result/result.hpp"

namespace SQLite {
class Database;
}

namespace grader::gradebook {

enum class Access { ReadOnly, ReadWrite };

enum class BatchKind { Batch, Regrade };

class Gradebook {
  public:
    // Opens the gradebook at `path`, creating it (ReadWrite) if it does not exist. Throws
    // grader::Error for a file from a newer grader, a database that is not a gradebook, or one
    // that cannot be opened, naming the path and what to do.
    Gradebook(const std::string& path, Access access);
    ~Gradebook();
    Gradebook(Gradebook&&) noexcept;
    Gradebook& operator=(Gradebook&&) noexcept;

    const std::string& path() const { return path_; }

    // --- Writing
    // Replaces the roster: these students are on it, everyone else is not.
    void set_roster(const std::vector<Student>& students);
    // Records the shape of a spec (its exercises and cases), once per spec hash.
    void register_spec(const SpecOutline& spec);
    // Starts a batch (or a regrade) and returns its id; finish_batch stamps its end.
    std::int64_t begin_batch(BatchKind kind, const std::string& spec_sha256, int jobs);
    void finish_batch(std::int64_t batch);
    // Records one run in one transaction, with its cases when `result` is given (a system error
    // has none). A run of a regrade is pending until the regrade is applied.
    void record(const RunRecord& run, std::int64_t batch, const result::Result* result,
                bool pending = false);

    // --- Reading
    // True when the student's current grade came from exactly this key (so grading again
    // would change nothing). A system error never counts as graded.
    bool is_current(const RunKey& key);
    // True when some run of the history (counted or not) came from exactly this key: an attempt
    // graded before need not be graded again.
    bool has_run(const RunKey& key);
    // The newest such run, if any.
    std::optional<StoredRun> latest_run(const RunKey& key);
    // Makes the run `uid` the one of the student's that counts, and no other (one UPDATE).
    void choose_attempt(const std::string& student, const std::string& uid);
    ClassGrades class_grades();
    std::optional<StoredRun> current_run(const std::string& student);
    std::vector<StoredRun> history(const std::string& student);  // oldest first
    std::vector<StoredCase> cases(std::int64_t run);
    std::optional<SpecOutline> spec(const std::string& sha256);
    std::size_t run_count();

    // --- Regrades
    // The pending regrade (a batch of kind Regrade not yet applied), if any.
    std::optional<std::int64_t> pending_regrade();
    std::vector<StoredRun> runs_of_batch(std::int64_t batch);
    std::optional<StoredRun> run_by_uid(const std::string& uid);
    // Makes a regrade's runs current (system errors excepted: they stay out of the grades).
    void apply_regrade(std::int64_t batch);
    // Drops a regrade's runs: they were never grades.
    void discard_regrade(std::int64_t batch);

    // --- Merging (grader merge)
    // The spec hashes the runs were graded with.
    std::vector<std::string> spec_hashes();
    // Adds every run of another gradebook that this one lacks (runs are known by uid, so merging
    // twice changes nothing, and the current grade is the newest by end time whatever the order).
    // Reports each student whose current grade differs between the two in content or spec.
    struct MergeConflict {
        std::string student;
        RunRecord ours, theirs;  // the current runs before merging
    };
    struct MergeReport {
        std::size_t runs_added = 0;
        std::size_t students = 0;  // in the other gradebook
        std::vector<MergeConflict> conflicts;
    };
    MergeReport merge_from(const std::string& other);

    // --- What an instructor decides (decisions.cpp). Every change is a new row, kept for ever.
    // Records a late policy, which is then in force; false (nothing recorded) when it is the one
    // in force already.
    bool set_policy(const StoredPolicy& policy);
    // Ends the policy in force (a row with no due date, so the history keeps both); false when
    // none is in force.
    bool end_policy(const std::string& who);
    std::optional<StoredPolicy> policy();  // the one in force
    std::vector<StoredPolicy> policies();  // oldest first; an ending has an empty `due`
    // Records each student's new due date, skipping those already in force; returns how many.
    std::size_t set_extensions(const std::vector<StoredExtension>& extensions);
    std::vector<StoredExtension> extensions(const std::string& student);  // oldest first
    // Records an adjustment by hand to the student's current grade, filling in its id, time,
    // what it replaced and (for a case) the case's verdict. Throws grader::Error for a student
    // without a grade, a case not in it, points outside the case's range, or no reason.
    Adjustment adjust(Adjustment adjustment);
    // Stamps adjustment `id` of `student` as undone by `who`; throws grader::Error when there is
    // no such adjustment or it is undone already.
    Adjustment undo_adjustment(const std::string& student, std::int64_t id, const std::string& who);
    std::vector<Adjustment> adjustments(const std::string& student);  // oldest first, undone too

    // For tests of the disk-full path: the file may not grow past this many pages.
    void limit_pages(std::int64_t pages);

    // --- The class summary (grader/summary), in class_queries.cpp. Current runs only, and only
    // those graded with the spec `spec_sha256` (a case means nothing across specs); system
    // errors have no cases and load errors no answers, so both are left out.
    // Every case of every such run that loaded (status graded), by student then spec order.
    std::vector<CaseOutcome> class_case_outcomes(const std::string& spec_sha256);
    // Wrong answers that two submissions or more returned bit for bit on the same case, with the
    // same inputs (the same seed), largest groups first.
    std::vector<IdenticalAnswer> identical_wrong_answers(const std::string& spec_sha256);

  private:
    // One try at opening: SQLite's exceptions pass through, for the constructor to retry.
    void open(bool writable);
    StoredRun read_run(std::int64_t id);
    // The run's final grade under the policy, extensions and adjustments in force; applies case
    // adjustments to `exercise_scores` too.
    FinalGrade final_grade(const StoredRun& run,
                           std::vector<std::pair<std::string, int>>& exercise_scores);
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
};

// The stored policy in the policy library's terms. Throws grader::Error if it cannot be read.
policy::LatePolicy to_late_policy(const StoredPolicy& policy);

// The current time as ISO 8601 UTC with milliseconds, "2026-12-01T20:37:57.123Z".
std::string utc_now();
// 32 random hex digits.
std::string new_uid();

}  // namespace grader::gradebook
