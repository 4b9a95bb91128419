// What an instructor decides, kept beside what the grader measured: the late policy, extensions and
// adjustments by hand, and the final grade that follows from them. Nothing here is ever deleted
// or rewritten: a new policy or extension is a new row (the newest in force), an undo is stamped
// on the adjustment it undoes, so `grader history` can tell who did what, when and why.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/gradebook/guarded.hpp"
#include "grader/policy/late_policy.hpp"

namespace grader::gradebook {

namespace {

std::optional<std::string> optional_text(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

void bind_optional_text(SQLite::Statement& s, int index, const std::optional<std::string>& v) {
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

constexpr const char* kPolicyColumns = "id, due, grace, cutoff, penalty, cap, set_by, set_at";

StoredPolicy read_policy(SQLite::Statement& s) {
    StoredPolicy p;
    p.id = s.getColumn(0).getInt64();
    p.due = s.getColumn(1).getString();
    p.grace_seconds = s.getColumn(2).getInt64();
    p.cutoff = optional_text(s.getColumn(3));
    p.penalty = optional_text(s.getColumn(4));
    p.cap = optional_text(s.getColumn(5));
    p.set_by = s.getColumn(6).getString();
    p.set_at = s.getColumn(7).getString();
    return p;
}

bool same_policy(const StoredPolicy& a, const StoredPolicy& b) {
    return a.due == b.due && a.grace_seconds == b.grace_seconds && a.cutoff == b.cutoff &&
           a.penalty == b.penalty && a.cap == b.cap;
}

constexpr const char* kAdjustmentColumns =
    "id, student_id, exercise, case_id, points, replaced, verdict_then, reason, made_by, made_at, "
    "undone_by, undone_at";

Adjustment read_adjustment(SQLite::Statement& s) {
    Adjustment a;
    a.id = s.getColumn(0).getInt64();
    a.student = s.getColumn(1).getString();
    a.exercise = optional_text(s.getColumn(2)).value_or("");
    a.case_id = optional_text(s.getColumn(3)).value_or("");
    a.points = s.getColumn(4).getDouble();
    if (!s.getColumn(5).isNull()) a.replaced = s.getColumn(5).getDouble();
    a.verdict_then = optional_text(s.getColumn(6)).value_or("");
    a.reason = s.getColumn(7).getString();
    a.made_by = s.getColumn(8).getString();
    a.made_at = s.getColumn(9).getString();
    a.undone_by = optional_text(s.getColumn(10));
    a.undone_at = optional_text(s.getColumn(11));
    return a;
}

}  // namespace

policy::LatePolicy to_late_policy(const StoredPolicy& p) {
    policy::LatePolicy out;
    out.due = policy::parse_instant(p.due, "the gradebook's due date");
    out.grace = std::chrono::seconds{p.grace_seconds};
    if (p.cutoff) out.cutoff = policy::parse_instant(*p.cutoff, "the gradebook's cutoff");
    if (p.penalty) out.penalty = policy::parse_penalty(*p.penalty, "the gradebook's late penalty");
    if (p.cap) out.cap = policy::parse_cap(*p.cap, "the gradebook's late cap");
    return out;
}

bool Gradebook::set_policy(const StoredPolicy& p) {
    return guarded(path_, "record the late policy", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement now(*db_,
                              std::string("SELECT ") + kPolicyColumns +
                                  " FROM late_policies ORDER BY set_at DESC, id DESC LIMIT 1");
        if (now.executeStep() && same_policy(read_policy(now), p)) return false;
        SQLite::Statement s(*db_,
                            "INSERT INTO late_policies (due, grace, cutoff, penalty, cap, set_by, "
                            "set_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, p.due);
        s.bind(2, p.grace_seconds);
        bind_optional_text(s, 3, p.cutoff);
        bind_optional_text(s, 4, p.penalty);
        bind_optional_text(s, 5, p.cap);
        s.bind(6, p.set_by);
        s.bind(7, p.set_at.empty() ? utc_now() : p.set_at);
        s.exec();
        txn.commit();
        return true;
    });
}

bool Gradebook::end_policy(const std::string& who) {
    if (!policy()) return false;
    StoredPolicy ended;
    ended.set_by = who;
    return set_policy(ended);
}

std::vector<StoredPolicy> Gradebook::policies() {
    return guarded(path_, "read the late policy", [&] {
        std::vector<StoredPolicy> out;
        SQLite::Statement s(*db_, std::string("SELECT ") + kPolicyColumns +
                                      " FROM late_policies ORDER BY set_at, id");
        while (s.executeStep()) out.push_back(read_policy(s));
        return out;
    });
}

std::optional<StoredPolicy> Gradebook::policy() {
    auto all = policies();
    if (all.empty() || all.back().due.empty()) return std::nullopt;
    return all.back();
}

std::size_t Gradebook::set_extensions(const std::vector<StoredExtension>& extensions) {
    return guarded(path_, "record the extensions", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        std::size_t changed = 0;
        SQLite::Statement now(
            *db_,
            "SELECT due FROM extensions WHERE student_id = ? ORDER BY set_at DESC, id DESC "
            "LIMIT 1");
        SQLite::Statement add(*db_,
                              "INSERT INTO extensions (student_id, due, set_by, set_at) VALUES "
                              "(?, ?, ?, ?)");
        for (const StoredExtension& e : extensions) {
            now.bind(1, e.student);
            const bool same = now.executeStep() && now.getColumn(0).getString() == e.due;
            now.reset();
            if (same) continue;
            add.bind(1, e.student);
            add.bind(2, e.due);
            add.bind(3, e.set_by);
            add.bind(4, e.set_at.empty() ? utc_now() : e.set_at);
            add.exec();
            add.reset();
            ++changed;
        }
        txn.commit();
        return changed;
    });
}

std::vector<StoredExtension> Gradebook::extensions(const std::string& student) {
    return guarded(path_, "read the extensions", [&] {
        std::vector<StoredExtension> out;
        SQLite::Statement s(*db_,
                            "SELECT student_id, due, set_by, set_at FROM extensions WHERE "
                            "student_id = ? ORDER BY set_at, id");
        s.bind(1, student);
        while (s.executeStep())
            out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                           s.getColumn(2).getString(), s.getColumn(3).getString()});
        return out;
    });
}

std::vector<Adjustment> Gradebook::adjustments(const std::string& student) {
    return guarded(path_, "read the adjustments", [&] {
        std::vector<Adjustment> out;
        SQLite::Statement s(*db_,
                            std::string("SELECT ") + kAdjustmentColumns +
                                " FROM adjustments WHERE student_id = ? ORDER BY made_at, id");
        s.bind(1, student);
        while (s.executeStep()) out.push_back(read_adjustment(s));
        return out;
    });
}

FinalGrade Gradebook::final_grade(const StoredRun& run,
                                  std::vector<std::pair<std::string, int>>& exercise_scores) {
    FinalGrade g;
    g.raw = run.score.value_or(0);
    // Case adjustments set a case's points: the newest in force for each case counts, against
    // this run's own points for it (so they carry over to a regrade of the same case).
    std::map<std::string, const Adjustment*> on_case;
    const std::vector<Adjustment> all = adjustments(run.record.key.student);
    for (const Adjustment& a : all) {
        if (!a.active()) continue;
        if (a.on_case())
            on_case[a.exercise + "/" + a.case_id] = &a;
        else
            g.adjustment += a.points;
        g.adjusted = true;
    }
    if (!on_case.empty()) {
        for (const StoredCase& c : cases(run.id)) {
            const auto it = on_case.find(c.exercise + "/" + c.case_id);
            if (it == on_case.end()) continue;
            const double delta = it->second->points - c.points;
            g.raw += delta;
            for (auto& [exercise, points] : exercise_scores)
                if (exercise == c.exercise) points += static_cast<int>(std::lround(delta));
        }
    }
    double after_penalty = g.raw;
    if (const auto stored = policy()) {
        const policy::LatePolicy lp = to_late_policy(*stored);
        policy::Instant due = lp.due;
        const auto ext = extensions(run.record.key.student);
        if (!ext.empty()) due = policy::parse_instant(ext.back().due, "the gradebook's extension");
        policy::SubmittedAt when;
        if (run.record.submitted_at)
            when.time = policy::parse_instant(*run.record.submitted_at, "the gradebook's time");
        when.marked_late = run.record.marked_late;
        const policy::LateOutcome o = policy::apply(lp, due, when, g.raw);
        g.late_status = policy::name(o.status);
        g.late_by_seconds = o.late_by.count();
        g.late_penalty = g.raw - o.final_score;
        g.late_text = policy::describe(lp, o);
        after_penalty = o.final_score;
    }
    g.final_score = std::max(0.0, after_penalty + g.adjustment);
    return g;
}

Adjustment Gradebook::adjust(Adjustment a) {
    if (a.reason.empty())
        throw Error("say why with --reason: every adjustment is kept with its reason");
    return guarded(path_, "record the adjustment for " + a.student, [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement cur(*db_, "SELECT id FROM current_runs WHERE student_id = ?");
        cur.bind(1, a.student);
        if (!cur.executeStep())
            throw Error(a.student + " has no grade in " + path_ +
                        " to adjust (is the id right? `grader export` lists the class)");
        const StoredRun run = read_run(cur.getColumn(0).getInt64());
        if (!run.grade)
            throw Error(a.student +
                        "'s latest run is a system error, which is no grade: grade the submission "
                        "again (`grader batch`), then adjust");
        if (a.on_case()) {
            const StoredCase* found = nullptr;
            const std::vector<StoredCase> cs = cases(run.id);
            for (const StoredCase& c : cs)
                if (c.exercise == a.exercise && c.case_id == a.case_id) found = &c;
            if (!found)
                throw Error("no case " + a.exercise + "/" + a.case_id + " in " + a.student +
                            "'s grade (cases are named exercise/case, as `grader export --format "
                            "long` lists them)");
            if (a.points < 0 || a.points > found->max_points)
                throw Error(fmt::format(
                    "{}/{} is worth 0 to {} points: --points {:g} is outside (to add to the "
                    "total instead, leave out --case)",
                    a.exercise, a.case_id, found->max_points, a.points));
            double before = found->points;
            for (const Adjustment& old : adjustments(a.student))
                if (old.active() && old.exercise == a.exercise && old.case_id == a.case_id)
                    before = old.points;
            a.replaced = before;
            a.verdict_then = std::string(result::name(found->verdict));
        } else {
            a.replaced = run.grade->final_score;
        }
        a.made_at = utc_now();
        SQLite::Statement s(*db_,
                            "INSERT INTO adjustments (student_id, exercise, case_id, points, "
                            "replaced, verdict_then, reason, made_by, made_at) VALUES (?, ?, ?, ?, "
                            "?, ?, ?, ?, ?)");
        s.bind(1, a.student);
        bind_optional_text(s, 2, a.on_case() ? std::optional(a.exercise) : std::nullopt);
        bind_optional_text(s, 3, a.on_case() ? std::optional(a.case_id) : std::nullopt);
        s.bind(4, a.points);
        s.bind(5, *a.replaced);
        bind_optional_text(s, 6, a.on_case() ? std::optional(a.verdict_then) : std::nullopt);
        s.bind(7, a.reason);
        s.bind(8, a.made_by);
        s.bind(9, a.made_at);
        s.exec();
        a.id = db_->getLastInsertRowid();
        txn.commit();
        return a;
    });
}

Adjustment Gradebook::undo_adjustment(const std::string& student, std::int64_t id,
                                      const std::string& who) {
    return guarded(path_, "undo the adjustment", [&] {
        SQLite::Transaction txn(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        std::optional<Adjustment> found;
        for (const Adjustment& a : adjustments(student))
            if (a.id == id) found = a;
        if (!found)
            throw Error(fmt::format("{} has no adjustment #{} (`grader history {}` lists them)",
                                    student, id, student));
        if (!found->active())
            throw Error(fmt::format("adjustment #{} was already undone by {} at {}", id,
                                    found->undone_by.value_or("?"),
                                    found->undone_at.value_or("?")));
        found->undone_by = who;
        found->undone_at = utc_now();
        SQLite::Statement s(*db_,
                            "UPDATE adjustments SET undone_by = ?, undone_at = ? WHERE id = ?");
        s.bind(1, who);
        s.bind(2, *found->undone_at);
        s.bind(3, id);
        s.exec();
        txn.commit();
        return *found;
    });
}

}  // namespace grader::gradebook
