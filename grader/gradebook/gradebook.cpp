#include "grader/gradebook/gradebook.hpp"

#include <sqlite3.h>
#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "grader/error.hpp"
#include "grader/gradebook/guarded.hpp"
#include "grader/gradebook/schema.hpp"

namespace grader::gradebook {

namespace {

// The longest pause between two tries at opening a gradebook another grader is creating.
constexpr std::chrono::milliseconds kLongestPause{100};

nlohmann::json number_json(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return v;
}

// [{"name": "return value", "values": [...], "length": n}, ...]; NULL when there is nothing.
std::optional<std::string> values_json(const std::vector<result::NamedValues>& values) {
    if (values.empty()) return std::nullopt;
    nlohmann::json out = nlohmann::json::array();
    for (const result::NamedValues& v : values) {
        nlohmann::json numbers = nlohmann::json::array();
        for (double x : v.values) numbers.push_back(number_json(x));
        out.push_back({{"name", v.name}, {"values", numbers}, {"length", v.length}});
    }
    return out.dump();
}

// The hints of the likely mistake, one sentence each; NULL when there is none.
std::optional<std::string> diagnosis_text(const std::vector<result::Diagnosis>& diagnoses) {
    if (diagnoses.empty()) return std::nullopt;
    std::string out;
    for (const result::Diagnosis& d : diagnoses) out += (out.empty() ? "" : " ") + d.sentence;
    return out;
}

void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& v) {
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : "; ") + s;
    return out;
}

std::optional<result::Verdict> parse_verdict(const std::string& text) {
    for (result::Verdict v :
         {result::Verdict::Pass, result::Verdict::Wrong, result::Verdict::Missing,
          result::Verdict::Crash, result::Verdict::Timeout, result::Verdict::Memory,
          result::Verdict::Overflow, result::Verdict::Forbidden, result::Verdict::Error})
        if (result::name(v) == text) return v;
    return std::nullopt;
}

// A run graded from exactly this key (RunKey): bind_key fills its six parameters. A system
// error is never a grade.
constexpr const char* kSameKey =
    "student_id = ? AND submission_sha256 = ? AND spec_sha256 = ? AND reference_sha256 = ? AND "
    "grader_version = ? AND seed IS ? AND status != 'system_error'";

void bind_key(SQLite::Statement& s, const RunKey& key) {
    s.bind(1, key.student);
    s.bind(2, key.submission_sha256);
    s.bind(3, key.spec_sha256);
    s.bind(4, key.reference_sha256);
    s.bind(5, key.grader_version);
    if (key.seed)
        s.bind(6, static_cast<std::int64_t>(*key.seed));
    else
        s.bind(6);
}

constexpr const char* kRunColumns =
    "r.id, r.uid, r.student_id, r.submission_sha256, r.spec_sha256, r.reference_sha256, "
    "r.grader_version, r.seed, r.submission_path, r.submission_size, r.spec_path, r.started_at, "
    "r.ended_at, r.status, r.message, r.regrade_of, r.batch_id, r.pending, s.score, s.max_score, "
    "r.submitted_at, r.submitted_source, r.marked_late, r.counted";

}  // namespace

std::string utc_now() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string new_uid() {
    unsigned char bytes[16];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno != EINTR) throw_errno("cannot draw a random run id");
        if (n > 0) got += static_cast<std::size_t>(n);
    }
    std::string out;
    for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
    return out;
}

Gradebook::Gradebook(const std::string& path, Access access) : path_(path) {
    const bool writable = access == Access::ReadWrite;
    if (!writable && !std::filesystem::exists(path))
        throw Error("there is no gradebook at " + path +
                    ": grade a class with `grader batch` first, or name one with --gradebook");
    // SQLite answers "busy" at once, without waiting out the busy timeout, when two graders open
    // a new gradebook together (one switching it to WAL while the other reads its header): the
    // wait is ours to do. Opening changes nothing until the schema's transaction commits, so it
    // can be tried again from the start.
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(kBusyMilliseconds);
    for (auto pause = std::chrono::milliseconds(2);; pause = std::min(pause * 2, kLongestPause)) {
        try {
            open(writable);
            return;
        } catch (const SQLite::Exception& e) {
            const int code = e.getErrorCode();
            if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || Clock::now() >= deadline)
                fail(path_, "open", e);
            db_.reset();
            std::this_thread::sleep_for(pause);
        }
    }
}

void Gradebook::open(bool writable) {
    db_ = std::make_unique<SQLite::Database>(
        path_, writable ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE : SQLite::OPEN_READONLY,
        kBusyMilliseconds);
    // Reading the header first tells a non-database file from a database.
    db_->execAndGet("PRAGMA schema_version");
    if (writable) {
        // WAL: readers never block the writer. The mode is kept in the file, so only the grader
        // that creates the gradebook has to take the lock that switching needs.
        if (db_->execAndGet("PRAGMA journal_mode").getString() != "wal")
            db_->exec("PRAGMA journal_mode = WAL");
        // FULL: a commit survives a power cut.
        db_->exec("PRAGMA synchronous = FULL");
    }
    db_->exec("PRAGMA foreign_keys = ON");
    try {
        prepare_schema(*db_, path_, writable);
    } catch (const OlderSchema&) {
        // A reader of an older gradebook upgrades it first (the steps only add), then reads.
        db_.reset();
        try {
            open(true);
        } catch (const Error& e) {
            throw Error(path_ + " was written by an older grader and must be upgraded once by a " +
                        "grader that can write to it: " + e.what());
        }
        db_.reset();
        open(false);
    }
}

Gradebook::~Gradebook() = default;
Gradebook::Gradebook(Gradebook&&) noexcept = default;
Gradebook& Gradebook::operator=(Gradebook&&) noexcept = default;

void Gradebook::set_roster(const std::vector<Student>& students) {
    guarded(path_, "record the roster", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        db_->exec("UPDATE students SET on_roster = 0");
        SQLite::Statement upsert(*db_,
                                 "INSERT INTO students (id, name, email, sis_id, section, "
                                 "on_roster) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE "
                                 "SET name = excluded.name, email = excluded.email, sis_id = "
                                 "excluded.sis_id, section = excluded.section, on_roster = 1");
        for (const Student& s : students) {
            upsert.bind(1, s.id);
            upsert.bind(2, s.name);
            upsert.bind(3, s.email);
            upsert.bind(4, s.sis_id);
            upsert.bind(5, s.section);
            upsert.exec();
            upsert.reset();
        }
        db_->exec(
            "INSERT INTO settings (key, value) VALUES ('roster_loaded', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = '1'");
        txn.commit();
    });
}

void Gradebook::register_spec(const SpecOutline& spec) {
    guarded(path_, "record the spec", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement known(*db_, "SELECT 1 FROM specs WHERE sha256 = ?");
        known.bind(1, spec.sha256);
        if (known.executeStep()) return;
        SQLite::Statement add(*db_, "INSERT INTO specs (sha256, title, path) VALUES (?, ?, ?)");
        add.bind(1, spec.sha256);
        add.bind(2, spec.title);
        add.bind(3, spec.path);
        add.exec();
        SQLite::Statement ex(*db_,
                             "INSERT INTO spec_exercises (spec_sha256, position, exercise, title) "
                             "VALUES (?, ?, ?, ?)");
        SQLite::Statement cs(
            *db_,
            "INSERT INTO spec_cases (spec_sha256, exercise, case_id, position, "
            "function, property, hidden, max_points) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        int position = 0;
        for (const ExerciseOutline& e : spec.exercises) {
            ex.bind(1, spec.sha256);
            ex.bind(2, position++);
            ex.bind(3, e.id);
            ex.bind(4, e.title);
            ex.exec();
            ex.reset();
            int case_position = 0;
            for (const CaseOutline& c : e.cases) {
                cs.bind(1, spec.sha256);
                cs.bind(2, e.id);
                cs.bind(3, c.case_id);
                cs.bind(4, case_position++);
                cs.bind(5, c.function);
                cs.bind(6, c.property ? 1 : 0);
                cs.bind(7, c.hidden ? 1 : 0);
                cs.bind(8, c.max_points);
                cs.exec();
                cs.reset();
            }
        }
        txn.commit();
    });
}

std::int64_t Gradebook::begin_batch(BatchKind kind, const std::string& spec_sha256, int jobs) {
    return guarded(path_, "start the batch", [&] {
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        SQLite::Statement s(*db_,
                            "INSERT INTO batches (uid, kind, spec_sha256, started_at, host, jobs) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
        s.bind(1, new_uid());
        s.bind(2, kind == BatchKind::Batch ? "batch" : "regrade");
        s.bind(3, spec_sha256);
        s.bind(4, utc_now());
        s.bind(5, std::string(host));
        s.bind(6, jobs);
        s.exec();
        return db_->getLastInsertRowid();
    });
}

void Gradebook::finish_batch(std::int64_t batch) {
    guarded(path_, "finish the batch", [&] {
        SQLite::Statement s(*db_, "UPDATE batches SET ended_at = ? WHERE id = ?");
        s.bind(1, utc_now());
        s.bind(2, batch);
        s.exec();
    });
}

void Gradebook::record(const RunRecord& run, std::int64_t batch, const result::Result* result,
                       bool pending) {
    guarded(path_, "record the grade of " + run.key.student, [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement student(*db_, "INSERT OR IGNORE INTO students (id) VALUES (?)");
        student.bind(1, run.key.student);
        student.exec();
        SQLite::Statement s(
            *db_,
            "INSERT INTO runs (uid, student_id, batch_id, submission_path, submission_size, "
            "submission_sha256, spec_sha256, spec_path, reference_sha256, grader_version, seed, "
            "status, message, started_at, ended_at, seconds, sandbox_layers, sandbox_warnings, "
            "output_bytes, regrade_of, pending, submitted_at, submitted_source, marked_late, "
            "counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)");
        s.bind(1, run.uid);
        s.bind(2, run.key.student);
        if (batch > 0)
            s.bind(3, batch);
        else
            s.bind(3);
        s.bind(4, run.submission_path);
        s.bind(5, static_cast<std::int64_t>(run.submission_size));
        s.bind(6, run.key.submission_sha256);
        s.bind(7, run.key.spec_sha256);
        s.bind(8, run.spec_path);
        s.bind(9, run.key.reference_sha256);
        s.bind(10, run.key.grader_version);
        if (run.key.seed)
            s.bind(11, static_cast<std::int64_t>(*run.key.seed));
        else
            s.bind(11);
        s.bind(12, std::string(name(run.status)));
        s.bind(13, run.message);
        s.bind(14, run.started_at);
        s.bind(15, run.ended_at);
        s.bind(16, result ? result->seconds : 0.0);
        s.bind(17, result ? joined(result->sandbox_layers) : std::string());
        s.bind(18, result ? joined(result->sandbox_warnings) : std::string());
        s.bind(19, static_cast<std::int64_t>(result ? result->output.bytes : 0));
        bind_optional(s, 20, run.regrade_of);
        s.bind(21, pending ? 1 : 0);
        bind_optional(s, 22, run.submitted_at);
        s.bind(23, run.submitted_source);
        s.bind(24, run.marked_late ? 1 : 0);
        s.bind(25, run.counted ? 1 : 0);
        s.exec();
        const std::int64_t id = db_->getLastInsertRowid();
        if (result) {
            SQLite::Statement c(
                *db_,
                "INSERT INTO case_results (run_id, exercise, case_id, verdict, points, message, "
                "instances, failed_instances, seconds, fingerprint, returned, expected, diagnosis) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (const result::ExerciseResult& e : result->exercises)
                for (const result::CaseResult& cr : e.cases) {
                    c.bind(1, id);
                    c.bind(2, e.id);
                    c.bind(3, cr.id);
                    c.bind(4, std::string(result::name(cr.verdict)));
                    c.bind(5, cr.points);
                    c.bind(6, cr.message);
                    c.bind(7, static_cast<std::int64_t>(cr.instances));
                    c.bind(8, static_cast<std::int64_t>(cr.failed_instances));
                    c.bind(9, cr.seconds);
                    bind_optional(
                        c, 10,
                        cr.fingerprint.empty() ? std::nullopt : std::optional(cr.fingerprint));
                    bind_optional(c, 11, values_json(cr.returned));
                    bind_optional(c, 12, values_json(cr.expected));
                    bind_optional(c, 13, diagnosis_text(cr.diagnoses));
                    c.exec();
                    c.reset();
                }
        }
        txn.commit();
    });
}

bool Gradebook::is_current(const RunKey& key) {
    return guarded(path_, "look up " + key.student, [&] {
        SQLite::Statement s(*db_, std::string("SELECT 1 FROM current_runs WHERE ") + kSameKey);
        bind_key(s, key);
        return s.executeStep();
    });
}

bool Gradebook::has_run(const RunKey& key) {
    return guarded(path_, "look up " + key.student, [&] {
        SQLite::Statement s(
            *db_, std::string("SELECT 1 FROM runs WHERE ") + kSameKey + " AND pending = 0");
        bind_key(s, key);
        return s.executeStep();
    });
}

std::optional<StoredRun> Gradebook::latest_run(const RunKey& key) {
    return guarded(path_, "look up " + key.student, [&]() -> std::optional<StoredRun> {
        SQLite::Statement s(*db_, std::string("SELECT id FROM runs WHERE ") + kSameKey +
                                      " AND pending = 0 ORDER BY ended_at DESC, uid DESC LIMIT 1");
        bind_key(s, key);
        if (!s.executeStep()) return std::nullopt;
        return read_run(s.getColumn(0).getInt64());
    });
}

void Gradebook::choose_attempt(const std::string& student, const std::string& uid) {
    guarded(path_, "record which attempt of " + student + " counts", [&] {
        SQLite::Statement s(*db_,
                            "UPDATE runs SET counted = (uid = ?) WHERE student_id = ? AND "
                            "pending = 0");
        s.bind(1, uid);
        s.bind(2, student);
        s.exec();
    });
}

StoredRun Gradebook::read_run(std::int64_t id) {
    SQLite::Statement s(*db_, std::string("SELECT ") + kRunColumns +
                                  " FROM runs r JOIN run_scores s ON s.run_id = r.id "
                                  "WHERE r.id = ?");
    s.bind(1, id);
    if (!s.executeStep()) throw Error("run " + std::to_string(id) + " is not in " + path_);
    StoredRun run;
    run.id = s.getColumn(0).getInt64();
    RunRecord& r = run.record;
    r.uid = s.getColumn(1).getString();
    r.key.student = s.getColumn(2).getString();
    r.key.submission_sha256 = s.getColumn(3).getString();
    r.key.spec_sha256 = s.getColumn(4).getString();
    r.key.reference_sha256 = s.getColumn(5).getString();
    r.key.grader_version = s.getColumn(6).getString();
    if (!s.getColumn(7).isNull())
        r.key.seed = static_cast<std::uint64_t>(s.getColumn(7).getInt64());
    r.submission_path = s.getColumn(8).getString();
    r.submission_size = static_cast<std::uint64_t>(s.getColumn(9).getInt64());
    r.spec_path = s.getColumn(10).getString();
    r.started_at = s.getColumn(11).getString();
    r.ended_at = s.getColumn(12).getString();
    r.status = parse_status(s.getColumn(13).getString()).value_or(Status::SystemError);
    r.message = s.getColumn(14).getString();
    if (!s.getColumn(15).isNull()) r.regrade_of = s.getColumn(15).getString();
    run.batch = s.getColumn(16).isNull() ? 0 : s.getColumn(16).getInt64();
    run.pending = s.getColumn(17).getInt() != 0;
    if (!s.getColumn(18).isNull()) run.score = s.getColumn(18).getInt();
    run.max_score = s.getColumn(19).getInt();
    if (!s.getColumn(20).isNull()) r.submitted_at = s.getColumn(20).getString();
    r.submitted_source = s.getColumn(21).getString();
    r.marked_late = s.getColumn(22).getInt() != 0;
    r.counted = s.getColumn(23).getInt() != 0;
    SQLite::Statement ex(*db_,
                         "SELECT x.exercise, COALESCE(e.score, 0) FROM spec_exercises x "
                         "JOIN runs r ON r.spec_sha256 = x.spec_sha256 "
                         "LEFT JOIN (SELECT exercise, SUM(points) AS score FROM case_results "
                         "WHERE run_id = ?1 GROUP BY exercise) e ON e.exercise = x.exercise "
                         "WHERE r.id = ?1 ORDER BY x.position");  // the view: a scan per run
    ex.bind(1, id);
    while (ex.executeStep())
        run.exercise_scores.emplace_back(ex.getColumn(0).getString(), ex.getColumn(1).getInt());
    if (run.score) run.grade = final_grade(run, run.exercise_scores);
    return run;
}

std::optional<SpecOutline> Gradebook::spec(const std::string& sha256) {
    return guarded(path_, "read the spec", [&]() -> std::optional<SpecOutline> {
        SQLite::Statement s(*db_, "SELECT title, path FROM specs WHERE sha256 = ?");
        s.bind(1, sha256);
        if (!s.executeStep()) return std::nullopt;
        SpecOutline out;
        out.sha256 = sha256;
        out.title = s.getColumn(0).getString();
        out.path = s.getColumn(1).getString();
        SQLite::Statement ex(*db_,
                             "SELECT exercise, title FROM spec_exercises WHERE spec_sha256 = ? "
                             "ORDER BY position");
        ex.bind(1, sha256);
        while (ex.executeStep())
            out.exercises.push_back({ex.getColumn(0).getString(), ex.getColumn(1).getString(), {}});
        SQLite::Statement cs(*db_,
                             "SELECT exercise, case_id, function, property, hidden, max_points "
                             "FROM spec_cases WHERE spec_sha256 = ? ORDER BY position");
        cs.bind(1, sha256);
        while (cs.executeStep()) {
            const std::string exercise = cs.getColumn(0).getString();
            for (ExerciseOutline& e : out.exercises)
                if (e.id == exercise)
                    e.cases.push_back({cs.getColumn(1).getString(), cs.getColumn(2).getString(),
                                       cs.getColumn(3).getInt() != 0, cs.getColumn(4).getInt() != 0,
                                       cs.getColumn(5).getInt()});
        }
        return out;
    });
}

ClassGrades Gradebook::class_grades() {
    return guarded(path_, "read the grades", [&] {
        ClassGrades out;
        out.roster_loaded =
            db_->execAndGet("SELECT count(*) FROM settings WHERE key = 'roster_loaded'").getInt() >
            0;
        std::map<std::string, std::int64_t> current;
        SQLite::Statement c(*db_, "SELECT student_id, id FROM current_runs");
        while (c.executeStep()) current[c.getColumn(0).getString()] = c.getColumn(1).getInt64();
        SQLite::Statement s(*db_,
                            "SELECT id, name, email, sis_id, section, on_roster FROM students "
                            "ORDER BY id");
        while (s.executeStep()) {
            ClassRow row;
            row.student = {s.getColumn(0).getString(), s.getColumn(1).getString(),
                           s.getColumn(2).getString(), s.getColumn(3).getString(),
                           s.getColumn(4).getString()};
            row.on_roster = s.getColumn(5).getInt() != 0;
            const auto it = current.find(row.student.id);
            if (it == current.end() && out.roster_loaded && !row.on_roster)
                continue;  // neither on the roster nor graded: nothing to say
            if (it != current.end()) row.current = read_run(it->second);
            out.rows.push_back(std::move(row));
        }
        // The columns: the spec of the most recently graded current run.
        SQLite::Statement latest(*db_,
                                 "SELECT spec_sha256 FROM current_runs ORDER BY ended_at DESC "
                                 "LIMIT 1");
        if (latest.executeStep()) {
            if (auto sp = spec(latest.getColumn(0).getString())) out.spec = std::move(*sp);
        }
        return out;
    });
}

std::optional<StoredRun> Gradebook::current_run(const std::string& student) {
    return guarded(path_, "read the grade of " + student, [&]() -> std::optional<StoredRun> {
        SQLite::Statement s(*db_, "SELECT id FROM current_runs WHERE student_id = ?");
        s.bind(1, student);
        if (!s.executeStep()) return std::nullopt;
        return read_run(s.getColumn(0).getInt64());
    });
}

std::vector<StoredRun> Gradebook::history(const std::string& student) {
    return guarded(path_, "read the history of " + student, [&] {
        std::vector<std::int64_t> ids;
        SQLite::Statement s(*db_,
                            "SELECT id FROM runs WHERE student_id = ? ORDER BY ended_at, uid");
        s.bind(1, student);
        while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
        std::vector<StoredRun> out;
        for (std::int64_t id : ids) out.push_back(read_run(id));
        return out;
    });
}

std::vector<StoredCase> Gradebook::cases(std::int64_t run) {
    return guarded(path_, "read the cases of a run", [&] {
        std::vector<StoredCase> out;
        SQLite::Statement s(*db_,
                            "SELECT c.exercise, c.case_id, c.verdict, c.points, sc.max_points, "
                            "c.message, c.fingerprint FROM case_results c "
                            "JOIN runs r ON r.id = c.run_id "
                            "JOIN spec_exercises x ON x.spec_sha256 = r.spec_sha256 "
                            "AND x.exercise = c.exercise "
                            "JOIN spec_cases sc ON sc.spec_sha256 = r.spec_sha256 "
                            "AND sc.exercise = c.exercise AND sc.case_id = c.case_id "
                            "WHERE c.run_id = ? ORDER BY x.position, sc.position");
        s.bind(1, run);
        while (s.executeStep()) {
            StoredCase c;
            c.exercise = s.getColumn(0).getString();
            c.case_id = s.getColumn(1).getString();
            c.verdict = parse_verdict(s.getColumn(2).getString()).value_or(result::Verdict::Error);
            c.points = s.getColumn(3).getInt();
            c.max_points = s.getColumn(4).getInt();
            c.message = s.getColumn(5).getString();
            if (!s.getColumn(6).isNull()) c.fingerprint = s.getColumn(6).getString();
            out.push_back(std::move(c));
        }
        return out;
    });
}

std::size_t Gradebook::run_count() {
    return guarded(path_, "count the runs", [&] {
        return static_cast<std::size_t>(db_->execAndGet("SELECT count(*) FROM runs").getInt64());
    });
}

std::optional<std::int64_t> Gradebook::pending_regrade() {
    return guarded(path_, "look for a pending regrade", [&]() -> std::optional<std::int64_t> {
        SQLite::Statement s(*db_,
                            "SELECT id FROM batches WHERE kind = 'regrade' AND applied_at IS NULL "
                            "AND ended_at IS NOT NULL AND EXISTS (SELECT 1 FROM runs WHERE "
                            "batch_id = batches.id AND pending = 1) ORDER BY id DESC LIMIT 1");
        if (!s.executeStep()) return std::nullopt;
        return s.getColumn(0).getInt64();
    });
}

std::vector<StoredRun> Gradebook::runs_of_batch(std::int64_t batch) {
    return guarded(path_, "read a batch", [&] {
        std::vector<std::int64_t> ids;
        SQLite::Statement s(*db_, "SELECT id FROM runs WHERE batch_id = ? ORDER BY student_id");
        s.bind(1, batch);
        while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
        std::vector<StoredRun> out;
        for (std::int64_t id : ids) out.push_back(read_run(id));
        return out;
    });
}

std::optional<StoredRun> Gradebook::run_by_uid(const std::string& uid) {
    return guarded(path_, "read a run", [&]() -> std::optional<StoredRun> {
        SQLite::Statement s(*db_, "SELECT id FROM runs WHERE uid = ?");
        s.bind(1, uid);
        if (!s.executeStep()) return std::nullopt;
        return read_run(s.getColumn(0).getInt64());
    });
}

void Gradebook::apply_regrade(std::int64_t batch) {
    guarded(path_, "apply the regrade", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement s(*db_,
                            "UPDATE runs SET pending = 0 WHERE batch_id = ? AND pending = 1 AND "
                            "status != 'system_error'");
        s.bind(1, batch);
        s.exec();
        SQLite::Statement b(*db_, "UPDATE batches SET applied_at = ? WHERE id = ?");
        b.bind(1, utc_now());
        b.bind(2, batch);
        b.exec();
        txn.commit();
    });
}

void Gradebook::discard_regrade(std::int64_t batch) {
    guarded(path_, "discard the regrade", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement s(*db_, "DELETE FROM runs WHERE batch_id = ? AND pending = 1");
        s.bind(1, batch);
        s.exec();
        SQLite::Statement b(*db_,
                            "DELETE FROM batches WHERE id = ? AND NOT EXISTS (SELECT 1 "
                            "FROM runs WHERE batch_id = ?)");
        b.bind(1, batch);
        b.bind(2, batch);
        b.exec();
        txn.commit();
    });
}

void Gradebook::limit_pages(std::int64_t pages) {
    guarded(path_, "limit the file size",
            [&] { db_->execAndGet("PRAGMA max_page_count = " + std::to_string(pages)); });
}

}  // namespace grader::gradebook
