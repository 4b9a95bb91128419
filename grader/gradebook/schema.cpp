#include "grader/gradebook/schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "grader/error.hpp"

namespace grader::gradebook {

namespace {

// Version 1. Totals are never stored: they are sums over case_results (views below). Times are
// ISO 8601 UTC text with milliseconds, which sorts chronologically.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE students (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT '',
    sis_id    TEXT NOT NULL DEFAULT '',
    section   TEXT NOT NULL DEFAULT '',
    on_roster INTEGER NOT NULL DEFAULT 0 CHECK (on_roster IN (0, 1))
);
-- Whether a roster was ever given: students off it are then flagged.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE specs (
    sha256 TEXT PRIMARY KEY,
    title  TEXT NOT NULL,
    path   TEXT NOT NULL
);
CREATE TABLE spec_exercises (
    spec_sha256 TEXT NOT NULL REFERENCES specs(sha256),
    position    INTEGER NOT NULL,
    exercise    TEXT NOT NULL,
    title       TEXT NOT NULL,
    PRIMARY KEY (spec_sha256, exercise)
);
CREATE TABLE spec_cases (
    spec_sha256 TEXT NOT NULL,
    exercise    TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    function    TEXT NOT NULL,
    property    INTEGER NOT NULL CHECK (property IN (0, 1)),
    hidden      INTEGER NOT NULL CHECK (hidden IN (0, 1)),
    max_points  INTEGER NOT NULL,
    PRIMARY KEY (spec_sha256, exercise, case_id),
    FOREIGN KEY (spec_sha256, exercise) REFERENCES spec_exercises(spec_sha256, exercise)
);
-- One `grader batch` or `grader regrade`.
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('batch', 'regrade')),
    spec_sha256 TEXT NOT NULL REFERENCES specs(sha256),
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    host        TEXT NOT NULL DEFAULT '',
    jobs        INTEGER NOT NULL DEFAULT 1,
    applied_at  TEXT
);
-- Every grading of every submission: the history is never rewritten. A regrade's runs stay
-- pending until it is applied.
CREATE TABLE runs (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    student_id        TEXT NOT NULL REFERENCES students(id),
    batch_id          INTEGER REFERENCES batches(id),
    submission_path   TEXT NOT NULL,
    submission_size   INTEGER NOT NULL,
    submission_sha256 TEXT NOT NULL,
    spec_sha256       TEXT NOT NULL REFERENCES specs(sha256),
    spec_path         TEXT NOT NULL,
    reference_sha256  TEXT NOT NULL,
    grader_version    TEXT NOT NULL,
    seed              INTEGER,
    status            TEXT NOT NULL CHECK (status IN ('graded', 'load_error', 'system_error')),
    message           TEXT NOT NULL DEFAULT '',
    started_at        TEXT NOT NULL,
    ended_at          TEXT NOT NULL,
    seconds           REAL NOT NULL DEFAULT 0,
    sandbox_layers    TEXT NOT NULL DEFAULT '',
    sandbox_warnings  TEXT NOT NULL DEFAULT '',
    output_bytes      INTEGER NOT NULL DEFAULT 0,
    regrade_of        TEXT,
    pending           INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1))
);
CREATE INDEX runs_by_student ON runs(student_id, ended_at);
CREATE INDEX runs_by_batch ON runs(batch_id);
-- Per case of a run. `returned` and `expected` (JSON) are kept for wrong answers only, bounded;
-- `diagnosis` is the grader's hint of the likely mistake, if any;
-- hidden cases' values are here too: the gradebook is the instructor's, never a student's.
CREATE TABLE case_results (
    run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    exercise         TEXT NOT NULL,
    case_id          TEXT NOT NULL,
    verdict          TEXT NOT NULL CHECK (verdict IN ('pass', 'wrong', 'missing', 'crash',
                         'timeout', 'memory', 'overflow', 'forbidden', 'error')),
    points           INTEGER NOT NULL,
    message          TEXT NOT NULL DEFAULT '',
    instances        INTEGER NOT NULL DEFAULT 1,
    failed_instances INTEGER NOT NULL DEFAULT 0,
    seconds          REAL NOT NULL DEFAULT 0,
    fingerprint      TEXT,
    returned         TEXT,
    expected         TEXT,
    diagnosis        TEXT,
    PRIMARY KEY (run_id, exercise, case_id)
) WITHOUT ROWID;

-- A student's current run: their latest applied one, by end time (uid breaks ties).
CREATE VIEW current_runs AS
SELECT r.* FROM runs r
WHERE r.pending = 0 AND NOT EXISTS (
    SELECT 1 FROM runs n
    WHERE n.student_id = r.student_id AND n.pending = 0
      AND (n.ended_at > r.ended_at OR (n.ended_at = r.ended_at AND n.uid > r.uid)));
-- Totals, derived: a system error has no score.
CREATE VIEW run_scores AS
SELECT r.id AS run_id,
       CASE WHEN r.status = 'system_error' THEN NULL
            ELSE (SELECT COALESCE(SUM(c.points), 0) FROM case_results c WHERE c.run_id = r.id)
       END AS score,
       (SELECT COALESCE(SUM(s.max_points), 0) FROM spec_cases s
        WHERE s.spec_sha256 = r.spec_sha256) AS max_score
FROM runs r;
CREATE VIEW exercise_scores AS
SELECT c.run_id, c.exercise, SUM(c.points) AS score, SUM(s.max_points) AS max_score
FROM case_results c
JOIN runs r ON r.id = c.run_id
JOIN spec_cases s ON s.spec_sha256 = r.spec_sha256 AND s.exercise = c.exercise
                 AND s.case_id = c.case_id
GROUP BY c.run_id, c.exercise;
)sql";

// Version 2: what an instructor decides beside what the grader measured. When each submission
// came in and how that is known; the late policy and extensions (every change kept, the newest in
// force); adjustments by hand (never deleted: an undo is recorded on the adjustment it undoes).
// Penalties are not stored: they follow from the run's time and the policy in force, so a new
// extension or policy changes every export at once, and no case's points ever carry them.
constexpr const char* kVersion1To2 = R"sql(
ALTER TABLE runs ADD COLUMN submitted_at TEXT;
ALTER TABLE runs ADD COLUMN submitted_source TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN marked_late INTEGER NOT NULL DEFAULT 0;
-- Every attempt of a student graded is a run; 0 for those that do not count (the latest, or the
-- best, does: grader batch --attempt).
ALTER TABLE runs ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
DROP VIEW IF EXISTS current_runs;
CREATE VIEW current_runs AS
SELECT r.* FROM runs r
WHERE r.pending = 0 AND r.counted = 1 AND NOT EXISTS (
    SELECT 1 FROM runs n
    WHERE n.student_id = r.student_id AND n.pending = 0 AND n.counted = 1
      AND (n.ended_at > r.ended_at OR (n.ended_at = r.ended_at AND n.uid > r.uid)));
CREATE TABLE late_policies (
    id      INTEGER PRIMARY KEY,
    due     TEXT NOT NULL,
    grace   INTEGER NOT NULL DEFAULT 0,
    cutoff  TEXT,
    penalty TEXT,
    cap     TEXT,
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL
);
CREATE TABLE extensions (
    id         INTEGER PRIMARY KEY,
    student_id TEXT NOT NULL,
    due        TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     TEXT NOT NULL
);
CREATE INDEX extensions_by_student ON extensions(student_id, id);
CREATE TABLE adjustments (
    id           INTEGER PRIMARY KEY,
    student_id   TEXT NOT NULL,
    exercise     TEXT,
    case_id      TEXT,
    points       REAL NOT NULL,
    replaced     REAL,
    verdict_then TEXT,
    reason       TEXT NOT NULL,
    made_by      TEXT NOT NULL,
    made_at      TEXT NOT NULL,
    undone_by    TEXT,
    undone_at    TEXT
);
CREATE INDEX adjustments_by_student ON adjustments(student_id, id);
)sql";

int pragma(SQLite::Database& db, const char* name) {
    return db.execAndGet(std::string("PRAGMA ") + name).getInt();
}

// What a file says it is: its mark, its schema version and whether it holds any table.
struct Identity {
    int application_id = 0;
    int version = 0;
    bool has_tables = false;
};

// The three reads are one transaction, so they see one state of the file. Read one by one, they
// could straddle another grader's commit of the schema (no mark yet, then tables) and take a
// gradebook being created for a foreign database. A transaction is enough: SQLite commits the
// schema, the mark and the version together, so every snapshot is either empty or a gradebook.
Identity read_identity_in_transaction(SQLite::Database& db) {
    Identity id;
    id.application_id = pragma(db, "application_id");
    id.version = pragma(db, "user_version");
    id.has_tables =
        db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt() > 0;
    return id;
}

Identity read_identity(SQLite::Database& db) {
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
    const Identity id = read_identity_in_transaction(db);
    snapshot.commit();
    return id;
}

void check_identity(const Identity& id, const std::string& path) {
    if (id.application_id != kApplicationId &&
        (id.application_id != 0 || id.has_tables || id.version != 0))
        throw Error(path +
                    " is an SQLite database but not a gradebook; name another file with "
                    "--gradebook");
    if (id.version > kSchemaVersion)
        throw Error(path + " was written by a newer grader (gradebook schema " +
                    std::to_string(id.version) + "; this grader reads up to schema " +
                    std::to_string(kSchemaVersion) +
                    "): use that grader or a newer one, or start another gradebook with "
                    "--gradebook");
}

}  // namespace

void prepare_schema(SQLite::Database& db, const std::string& path, bool writable) {
    const Identity seen = read_identity(db);
    check_identity(seen, path);
    if (seen.version == kSchemaVersion) return;
    if (!writable && seen.version > 0) throw OlderSchema();
    if (!writable)
        throw Error(path +
                    " has no grades yet (no grader has recorded a run in it): run `grader batch` "
                    "first, or wait for the one that is creating it");
    // Two graders creating one gradebook at once: the second waits here, then finds it made.
    // Inside this write transaction nobody else can commit, so what it reads stays true.
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    const Identity now = read_identity_in_transaction(db);
    check_identity(now, path);
    if (now.version == 0) db.exec(kVersion1);
    if (now.version < 2) db.exec(kVersion1To2);
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    txn.commit();
}

}  // namespace grader::gradebook
