// Joining gradebooks (shards of one class graded on several machines). Runs are identified by
// their uid, never by row id, so a merge is idempotent; and the current grade is a view ordered
// by end time, so the result does not depend on the order of the merges.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <map>

#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"

namespace grader::gradebook {

namespace {

constexpr const char* kCopy = R"sql(
INSERT INTO students (id, name, email, sis_id, section, on_roster)
SELECT id, name, email, sis_id, section, on_roster FROM other.students WHERE true
ON CONFLICT (id) DO UPDATE SET
    name = CASE WHEN name = '' THEN excluded.name ELSE name END,
    email = CASE WHEN email = '' THEN excluded.email ELSE email END,
    sis_id = CASE WHEN sis_id = '' THEN excluded.sis_id ELSE sis_id END,
    section = CASE WHEN section = '' THEN excluded.section ELSE section END,
    on_roster = max(on_roster, excluded.on_roster);
INSERT OR IGNORE INTO settings (key, value) SELECT key, value FROM other.settings;
INSERT OR IGNORE INTO specs (sha256, title, path) SELECT sha256, title, path FROM other.specs;
INSERT OR IGNORE INTO spec_exercises (spec_sha256, position, exercise, title)
    SELECT spec_sha256, position, exercise, title FROM other.spec_exercises;
INSERT OR IGNORE INTO spec_cases (spec_sha256, exercise, case_id, position, function, property,
                                  hidden, max_points)
    SELECT spec_sha256, exercise, case_id, position, function, property, hidden, max_points
    FROM other.spec_cases;
INSERT OR IGNORE INTO batches (uid, kind, spec_sha256, started_at, ended_at, host, jobs, applied_at)
    SELECT uid, kind, spec_sha256, started_at, ended_at, host, jobs, applied_at FROM other.batches;
INSERT OR IGNORE INTO runs (uid, student_id, batch_id, submission_path, submission_size,
        submission_sha256, spec_sha256, spec_path, reference_sha256, grader_version, seed, status,
        message, started_at, ended_at, seconds, sandbox_layers, sandbox_warnings, output_bytes,
        regrade_of, pending, submitted_at, submitted_source, marked_late, counted)
    SELECT r.uid, r.student_id,
        (SELECT b.id FROM main.batches b JOIN other.batches ob ON ob.uid = b.uid
         WHERE ob.id = r.batch_id),
        r.submission_path, r.submission_size, r.submission_sha256, r.spec_sha256, r.spec_path,
        r.reference_sha256, r.grader_version, r.seed, r.status, r.message, r.started_at,
        r.ended_at, r.seconds, r.sandbox_layers, r.sandbox_warnings, r.output_bytes,
        r.regrade_of, r.pending, r.submitted_at, r.submitted_source, r.marked_late, r.counted
    FROM other.runs r;
INSERT OR IGNORE INTO case_results (run_id, exercise, case_id, verdict, points, message,
        instances, failed_instances, seconds, fingerprint, returned, expected, diagnosis)
    SELECT m.id, c.exercise, c.case_id, c.verdict, c.points, c.message, c.instances,
        c.failed_instances, c.seconds, c.fingerprint, c.returned, c.expected, c.diagnosis
    FROM other.case_results c JOIN other.runs r ON r.id = c.run_id
    JOIN main.runs m ON m.uid = r.uid;
INSERT INTO late_policies (due, grace, cutoff, penalty, cap, set_by, set_at)
    SELECT due, grace, cutoff, penalty, cap, set_by, set_at FROM other.late_policies o
    WHERE NOT EXISTS (SELECT 1 FROM main.late_policies m WHERE m.set_at = o.set_at
                      AND m.set_by = o.set_by AND m.due = o.due);
INSERT INTO extensions (student_id, due, set_by, set_at)
    SELECT student_id, due, set_by, set_at FROM other.extensions o
    WHERE NOT EXISTS (SELECT 1 FROM main.extensions m WHERE m.student_id = o.student_id
                      AND m.set_at = o.set_at AND m.due = o.due);
INSERT INTO adjustments (student_id, exercise, case_id, points, replaced, verdict_then, reason,
        made_by, made_at, undone_by, undone_at)
    SELECT student_id, exercise, case_id, points, replaced, verdict_then, reason, made_by,
        made_at, undone_by, undone_at FROM other.adjustments o
    WHERE NOT EXISTS (SELECT 1 FROM main.adjustments m WHERE m.student_id = o.student_id
                      AND m.made_at = o.made_at AND m.made_by = o.made_by);
)sql";

// Current runs of a schema ("main" or "other"): student -> (uid, submission, spec, end).
std::map<std::string, RunRecord> current_of(SQLite::Database& db, const std::string& schema) {
    std::map<std::string, RunRecord> out;
    SQLite::Statement s(
        db,
        "SELECT r.student_id, r.uid, r.submission_sha256, r.spec_sha256, "
        "r.ended_at, r.submission_path FROM " +
            schema +
            ".runs r WHERE r.pending = 0 AND r.counted = 1 AND NOT EXISTS (SELECT 1 "
            "FROM " +
            schema +
            ".runs n WHERE n.student_id = r.student_id AND "
            "n.pending = 0 AND n.counted = 1 AND (n.ended_at > r.ended_at OR (n.ended_at = "
            "r.ended_at AND n.uid > r.uid)))");
    while (s.executeStep()) {
        RunRecord r;
        r.key.student = s.getColumn(0).getString();
        r.uid = s.getColumn(1).getString();
        r.key.submission_sha256 = s.getColumn(2).getString();
        r.key.spec_sha256 = s.getColumn(3).getString();
        r.ended_at = s.getColumn(4).getString();
        r.submission_path = s.getColumn(5).getString();
        out[r.key.student] = std::move(r);
    }
    return out;
}

}  // namespace

std::vector<std::string> Gradebook::spec_hashes() {
    try {
        std::vector<std::string> out;
        SQLite::Statement s(*db_, "SELECT DISTINCT spec_sha256 FROM runs ORDER BY spec_sha256");
        while (s.executeStep()) out.push_back(s.getColumn(0).getString());
        return out;
    } catch (const SQLite::Exception& e) {
        throw Error("cannot read the specs of the gradebook " + path_ + ": " + e.what());
    }
}

Gradebook::MergeReport Gradebook::merge_from(const std::string& other) {
    // Checks the other file is a gradebook of a schema this grader reads (throws otherwise).
    { Gradebook check(other, Access::ReadOnly); }
    MergeReport report;
    try {
        SQLite::Statement attach(*db_, "ATTACH DATABASE ? AS other");
        attach.bind(1, other);
        attach.exec();
        struct Detach {
            SQLite::Database& db;
            ~Detach() {
                try {
                    db.exec("DETACH DATABASE other");
                } catch (const SQLite::Exception&) {
                    // Already gone with a failed transaction: nothing to undo.
                }
            }
        } detach{*db_};
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        const auto ours = current_of(*db_, "main");
        const auto theirs = current_of(*db_, "other");
        report.students = theirs.size();
        for (const auto& [student, t] : theirs) {
            const auto it = ours.find(student);
            if (it == ours.end() || it->second.uid == t.uid) continue;
            if (it->second.key.submission_sha256 != t.key.submission_sha256 ||
                it->second.key.spec_sha256 != t.key.spec_sha256)
                report.conflicts.push_back({student, it->second, t});
        }
        const auto before = db_->execAndGet("SELECT count(*) FROM main.runs").getInt64();
        db_->exec(kCopy);
        report.runs_added = static_cast<std::size_t>(
            db_->execAndGet("SELECT count(*) FROM main.runs").getInt64() - before);
        txn.commit();
    } catch (const SQLite::Exception& e) {
        throw Error("cannot merge " + other + " into the gradebook " + path_ + ": " + e.what());
    }
    return report;
}

}  // namespace grader::gradebook
