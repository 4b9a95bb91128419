// The gradebook on its own: schema and versions, what a run records and what the queries
// derive, current grades, regrades, a full disk, and two writers at once.
#define BOOST_TEST_MODULE gradebook
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "grader/batch/regrade.hpp"
#include "grader/error.hpp"
#include "grader/export/export.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/gradebook/schema.hpp"
#include "grader/summary/summary.hpp"
#include "tests/temp_dir.hpp"

using namespace grader;
using gradebook::Gradebook;

namespace {

std::string temp_path(const std::string& name) {
    const std::string dir = test_support::temp_dir().string();
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + name;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    return path;
}

// Two exercises, three cases, 6 points; `points` says how many the first case earns (0 or 3).
result::Result make_result(int first_points, bool load_error = false) {
    result::Result r;
    r.spec = "exercises.yaml";
    r.spec_title = "Test spec";
    if (load_error) r.load_error = "not an ELF file";
    result::ExerciseResult a{"ex1", "First", {}}, b{"ex2", "Second", {}};
    result::CaseResult c1;
    c1.id = "one";
    c1.function = "f";
    c1.max_points = 3;
    c1.points = first_points;
    c1.verdict = first_points ? result::Verdict::Pass : result::Verdict::Wrong;
    c1.fingerprint = first_points ? "aaaa" : "bbbb";
    if (!first_points) {
        c1.returned = {{"return value", {0.5}, 1}};
        c1.expected = {{"return value", {0.25}, 1}};
    }
    result::CaseResult c2 = c1;
    c2.id = "two";
    c2.hidden = true;
    c2.max_points = 1;
    c2.points = 1;
    c2.verdict = result::Verdict::Pass;
    result::CaseResult c3 = c2;
    c3.id = "three";
    c3.max_points = 2;
    c3.points = load_error ? 0 : 2;
    a.cases = {c1, c2};
    b.cases = {c3};
    r.exercises = {a, b};
    if (load_error)
        for (auto& e : r.exercises)
            for (auto& c : e.cases) c.points = 0;
    return r;
}

gradebook::RunRecord make_run(const std::string& student, const std::string& sha,
                              const std::string& ended,
                              gradebook::Status status = gradebook::Status::Graded) {
    gradebook::RunRecord run;
    run.uid = gradebook::new_uid();
    run.key = {student, sha, "spec-sha", "ref-sha", "1.0", std::nullopt};
    run.submission_path = "/class/" + student + ".so";
    run.submission_size = 1234;
    run.spec_path = "exercises.yaml";
    run.started_at = ended;
    run.ended_at = ended;
    run.status = status;
    return run;
}

Gradebook fresh(const std::string& name) {
    Gradebook book(temp_path(name), gradebook::Access::ReadWrite);
    book.register_spec(gradebook::outline_of(make_result(3), "spec-sha"));
    return book;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gradebook_part)

BOOST_AUTO_TEST_CASE(totals_are_derived_from_the_cases) {
    Gradebook book = fresh("totals.sqlite");
    const std::int64_t batch = book.begin_batch(gradebook::BatchKind::Batch, "spec-sha", 2);
    const result::Result r = make_result(0);
    book.record(make_run("alice", "s1", "2026-01-01T00:00:00.000Z"), batch, &r);
    const auto run = book.current_run("alice");
    BOOST_REQUIRE(run.has_value());
    BOOST_TEST(*run->score == 3);
    BOOST_TEST(run->max_score == 6);
    BOOST_REQUIRE(run->exercise_scores.size() == 2u);
    BOOST_TEST(run->exercise_scores[0].first == "ex1");
    BOOST_TEST(run->exercise_scores[0].second == 1);
    BOOST_TEST(run->exercise_scores[1].second == 2);
    const auto cases = book.cases(run->id);
    BOOST_REQUIRE(cases.size() == 3u);
    BOOST_TEST((cases[0].verdict == result::Verdict::Wrong));
    BOOST_TEST(cases[0].max_points == 3);
    BOOST_TEST(cases[0].fingerprint == "bbbb");
}

BOOST_AUTO_TEST_CASE(wrong_answers_keep_their_values_hidden_ones_too) {
    const std::string path = temp_path("values.sqlite");
    {
        Gradebook book(path, gradebook::Access::ReadWrite);
        book.register_spec(gradebook::outline_of(make_result(3), "spec-sha"));
        const result::Result r = make_result(0);
        book.record(make_run("alice", "s1", "2026-01-01T00:00:00.000Z"), 0, &r);
    }
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT returned, expected FROM case_results WHERE case_id = 'one'", -1,
                       &s, nullptr);
    BOOST_REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) ==
               R"([{"length":1,"name":"return value","values":[0.5]}])");
    BOOST_TEST(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 1))) ==
               R"([{"length":1,"name":"return value","values":[0.25]}])");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

BOOST_AUTO_TEST_CASE(the_current_grade_is_the_latest_run_and_history_keeps_all) {
    Gradebook book = fresh("current.sqlite");
    const result::Result low = make_result(0), high = make_result(3);
    book.record(make_run("bob", "v1", "2026-01-01T10:00:00.000Z"), 0, &low);
    book.record(make_run("bob", "v2", "2026-01-01T11:00:00.000Z"), 0, &high);
    BOOST_TEST(*book.current_run("bob")->score == 6);
    BOOST_TEST(book.history("bob").size() == 2u);
    // An older run recorded later (a merge, a slow machine) does not win by arriving last.
    book.record(make_run("bob", "v0", "2026-01-01T09:00:00.000Z"), 0, &low);
    BOOST_TEST(book.current_run("bob")->record.key.submission_sha256 == "v2");
    gradebook::RunKey key = book.current_run("bob")->record.key;
    BOOST_TEST(book.is_current(key));
    key.submission_sha256 = "v1";  // graded once, but not the current grade
    BOOST_TEST(!book.is_current(key));
    key.submission_sha256 = "v2";
    key.seed = 7;
    BOOST_TEST(!book.is_current(key));
}

BOOST_AUTO_TEST_CASE(a_system_error_is_no_grade_and_never_counts_as_graded) {
    Gradebook book = fresh("system.sqlite");
    book.record(make_run("carol", "c1", "2026-01-01T10:00:00.000Z", gradebook::Status::SystemError),
                0, nullptr);
    const auto run = book.current_run("carol");
    BOOST_REQUIRE(run.has_value());
    BOOST_TEST(!run->score.has_value());
    BOOST_TEST(run->max_score == 6);
    BOOST_TEST(!book.is_current(run->record.key));
}

BOOST_AUTO_TEST_CASE(the_roster_names_students_and_flags_who_is_missing) {
    Gradebook book = fresh("roster.sqlite");
    const result::Result r = make_result(3);
    book.record(make_run("alice", "a", "2026-01-01T10:00:00.000Z"), 0, &r);
    book.record(make_run("mallory", "m", "2026-01-01T10:00:00.000Z"), 0, &r);
    book.set_roster({{"alice", "Alice A", "a@x", "S1", "L1"}, {"dan", "Dan", "", "", ""}});
    const gradebook::ClassGrades c = book.class_grades();
    BOOST_TEST(c.roster_loaded);
    BOOST_REQUIRE(c.rows.size() == 3u);
    BOOST_TEST(c.rows[0].student.name == "Alice A");
    BOOST_TEST(c.rows[0].on_roster);
    BOOST_TEST(c.rows[1].student.id == "dan");
    BOOST_TEST(!c.rows[1].current.has_value());  // no submission
    BOOST_TEST(c.rows[2].student.id == "mallory");
    BOOST_TEST(!c.rows[2].on_roster);  // graded, flagged
    BOOST_TEST(c.spec.max_points() == 6);
}

BOOST_AUTO_TEST_CASE(a_regrade_stays_pending_until_applied_and_can_be_discarded) {
    Gradebook book = fresh("regrade.sqlite");
    const result::Result low = make_result(0), high = make_result(3);
    const auto base = make_run("dora", "d", "2026-01-01T10:00:00.000Z");
    book.record(base, 0, &low);
    const std::int64_t regrade = book.begin_batch(gradebook::BatchKind::Regrade, "spec-sha", 1);
    auto again = make_run("dora", "d", "2026-01-01T12:00:00.000Z");
    again.regrade_of = base.uid;
    book.record(again, regrade, &high, true);
    BOOST_TEST(!book.pending_regrade().has_value());  // not finished: not offered
    book.finish_batch(regrade);
    BOOST_TEST(*book.pending_regrade() == regrade);
    BOOST_TEST(*book.current_run("dora")->score == 3);  // unchanged until applied
    book.discard_regrade(regrade);
    BOOST_TEST(!book.pending_regrade().has_value());
    BOOST_TEST(book.history("dora").size() == 1u);

    const std::int64_t second = book.begin_batch(gradebook::BatchKind::Regrade, "spec-sha", 1);
    again.uid = gradebook::new_uid();
    book.record(again, second, &high, true);
    book.finish_batch(second);
    book.apply_regrade(second);
    BOOST_TEST(*book.current_run("dora")->score == 6);
    BOOST_TEST(book.history("dora").size() == 2u);  // the previous run stays
    BOOST_TEST(!book.pending_regrade().has_value());
}

// Deadlines and adjustments (issue: what an instructor decides). make_result(0) scores 3 of 6:
// case ex1/one wrong (0 of 3), the others right.
BOOST_AUTO_TEST_CASE(the_late_penalty_is_a_layer_over_the_measured_score) {
    Gradebook book = fresh("late.sqlite");
    const result::Result r = make_result(3);  // 6 of 6
    auto on_time = make_run("ann", "a", "2026-01-01T10:00:00.000Z");
    on_time.submitted_at = "2026-12-01T23:59:00Z";
    on_time.submitted_source = "blackboard";
    auto late = make_run("bob", "b", "2026-01-01T10:00:00.000Z");
    late.submitted_at = "2026-12-01T23:59:01Z";  // one second late
    late.submitted_source = "blackboard";
    auto extended = late;
    extended.uid = gradebook::new_uid();
    extended.key.student = "cat";
    auto marked = make_run("dan", "d", "2026-01-01T10:00:00.000Z");
    marked.marked_late = true;
    marked.submitted_source = "canvas";
    for (const auto& run : {on_time, late, extended, marked}) book.record(run, 0, &r);
    // No policy: the final grade is the measured one.
    BOOST_TEST(book.current_run("bob")->grade->final_score == 6.0);
    BOOST_TEST(book.current_run("bob")->grade->late_status == "");

    gradebook::StoredPolicy p;
    p.due = "2026-12-01T23:59:00Z";
    p.penalty = "10%/day";
    p.set_by = "prof";
    BOOST_TEST(book.set_policy(p));
    BOOST_TEST(!book.set_policy(p));  // the same again: nothing new recorded
    BOOST_TEST(book.set_extensions({{"cat", "2026-12-03T23:59:00Z", "prof", ""}}) == 1u);
    BOOST_TEST(book.set_extensions({{"cat", "2026-12-03T23:59:00Z", "prof", ""}}) == 0u);

    const auto ann = book.current_run("ann")->grade;
    BOOST_TEST(ann->late_status == "on_time");
    BOOST_TEST(ann->final_score == 6.0);
    const auto bob = book.current_run("bob")->grade;
    BOOST_TEST(bob->late_status == "late");
    BOOST_TEST(bob->late_by_seconds == 1);
    BOOST_TEST(bob->raw == 6.0);
    BOOST_TEST(bob->late_penalty == 0.6, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(bob->final_score == 5.4, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(book.current_run("cat")->grade->final_score == 6.0);  // extended
    const auto dan = book.current_run("dan")->grade;
    BOOST_TEST(dan->late_status == "late_unknown");
    BOOST_TEST(dan->final_score == 5.4, boost::test_tools::tolerance(1e-12));
    // The cases keep their measured points.
    for (const auto& c : book.cases(book.current_run("bob")->id))
        BOOST_TEST(c.points == c.max_points);

    // A later policy (a cutoff) replaces it; both stay in the record.
    p.cutoff = "2026-12-01T23:59:01Z";
    p.set_at = "2099-01-01T00:00:00.000Z";
    BOOST_TEST(book.set_policy(p));
    BOOST_TEST(book.policies().size() == 2u);
    BOOST_TEST(book.current_run("bob")->grade->late_status == "late");  // at the cutoff: still late
}

BOOST_AUTO_TEST_CASE(adjustments_survive_new_runs_are_undone_and_flagged_when_a_verdict_changes) {
    Gradebook book = fresh("adjust.sqlite");
    const result::Result low = make_result(0), high = make_result(3);
    const auto base = make_run("eve", "e", "2026-01-01T10:00:00.000Z");
    book.record(base, 0, &low);
    BOOST_TEST(*book.current_run("eve")->score == 3);

    gradebook::Adjustment total;
    total.student = "eve";
    total.points = -1;
    total.made_by = "prof";
    BOOST_TEST(message_of([&] { book.adjust(total); }).find("--reason") != std::string::npos);
    total.reason = "late by email";
    const auto a1 = book.adjust(total);
    BOOST_TEST(*a1.replaced == 3.0);
    gradebook::Adjustment on_case;
    on_case.student = "eve";
    on_case.exercise = "ex1";
    on_case.case_id = "one";
    on_case.points = 2;
    on_case.reason = "right idea, rounding";
    on_case.made_by = "ta";
    const auto a2 = book.adjust(on_case);
    BOOST_TEST(*a2.replaced == 0.0);
    BOOST_TEST(a2.verdict_then == "wrong");
    auto g = book.current_run("eve")->grade;
    BOOST_TEST(g->raw == 5.0);
    BOOST_TEST(g->adjustment == -1.0);
    BOOST_TEST(g->final_score == 4.0);
    BOOST_TEST(g->adjusted);
    on_case.points = 4;  // more than the case is worth
    BOOST_TEST(message_of([&] { book.adjust(on_case); }).find("0 to 3 points") !=
               std::string::npos);
    on_case.case_id = "nope";
    BOOST_TEST(message_of([&] { book.adjust(on_case); }).find("no case ex1/nope") !=
               std::string::npos);

    // A new run of the same student (batch --force): the adjustments stay in force.
    book.record(make_run("eve", "e", "2026-01-01T11:00:00.000Z"), 0, &low);
    BOOST_TEST(book.current_run("eve")->grade->final_score == 4.0);

    // A regrade that changes the adjusted case's verdict names it for review.
    const std::int64_t regrade = book.begin_batch(gradebook::BatchKind::Regrade, "spec-sha", 1);
    auto again = make_run("eve", "e", "2026-01-01T12:00:00.000Z");
    again.regrade_of = book.current_run("eve")->record.uid;
    book.record(again, regrade, &high, true);
    book.finish_batch(regrade);
    const batch::RegradeDiff diff = batch::regrade_diff(book, regrade);
    BOOST_REQUIRE(diff.to_review.size() == 1u);
    BOOST_TEST(diff.to_review[0].find("eve: ex1/one was set to 2 points by hand") !=
               std::string::npos);
    BOOST_TEST(diff.to_review[0].find("the regrade makes it pass") != std::string::npos);
    book.apply_regrade(regrade);
    g = book.current_run("eve")->grade;
    BOOST_TEST(g->raw == 5.0);  // the case is set to 2 whatever the new run measured
    BOOST_TEST(g->final_score == 4.0);

    // Undo: recorded, not deleted; twice is refused.
    const auto undone = book.undo_adjustment("eve", a1.id, "prof");
    BOOST_TEST(undone.undone_by.value_or("") == "prof");
    BOOST_TEST(book.current_run("eve")->grade->final_score == 5.0);
    BOOST_TEST(message_of([&] {
                   book.undo_adjustment("eve", a1.id, "prof");
               }).find("already undone") != std::string::npos);
    BOOST_TEST(book.adjustments("eve").size() == 2u);
    BOOST_TEST(message_of([&] {
                   book.undo_adjustment("eve", 99, "prof");
               }).find("no adjustment #99") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_gradebook_of_schema_1_is_upgraded_and_keeps_its_grades) {
    const std::string path = temp_path("schema1.sqlite");
    {
        Gradebook book(path, gradebook::Access::ReadWrite);
        book.register_spec(gradebook::outline_of(make_result(3), "spec-sha"));
        const result::Result r = make_result(0);
        book.record(make_run("old", "o", "2026-01-01T10:00:00.000Z"), 0, &r);
    }
    // Back to what a grader of schema 1 wrote: without the new tables and columns.
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    for (const char* sql :
         {"DROP TABLE late_policies", "DROP TABLE extensions", "DROP TABLE adjustments",
          "DROP VIEW current_runs", "ALTER TABLE runs DROP COLUMN counted",
          "CREATE VIEW current_runs AS SELECT r.* FROM runs r WHERE r.pending = 0 AND NOT "
          "EXISTS (SELECT 1 FROM runs n WHERE n.student_id = r.student_id AND n.pending = 0 AND "
          "(n.ended_at > r.ended_at OR (n.ended_at = r.ended_at AND n.uid > r.uid)))",
          "ALTER TABLE runs DROP COLUMN submitted_at",
          "ALTER TABLE runs DROP COLUMN "
          "submitted_source",
          "ALTER TABLE runs DROP COLUMN marked_late", "PRAGMA user_version = 1"})
        BOOST_REQUIRE_MESSAGE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK, sql);
    sqlite3_close(db);
    // A reader upgrades it first, then reads the grade it held.
    Gradebook reader(path, gradebook::Access::ReadOnly);
    BOOST_TEST(*reader.current_run("old")->score == 3);
    BOOST_TEST(reader.current_run("old")->grade->final_score == 3.0);
    BOOST_TEST(reader.policies().empty());
}

BOOST_AUTO_TEST_CASE(a_gradebook_from_a_newer_grader_is_refused) {
    const std::string path = temp_path("newer.sqlite");
    { Gradebook book(path, gradebook::Access::ReadWrite); }
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    const int newer = gradebook::kSchemaVersion + 1;
    sqlite3_exec(db, ("PRAGMA user_version = " + std::to_string(newer)).c_str(), nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
    const std::string want =
        path + " was written by a newer grader (gradebook schema " + std::to_string(newer) +
        "; this grader reads up to schema " + std::to_string(gradebook::kSchemaVersion) +
        "): use that grader or a newer one, or start another gradebook with --gradebook";
    BOOST_TEST(message_of([&] { Gradebook(path, gradebook::Access::ReadWrite); }) == want);
    BOOST_TEST(message_of([&] { Gradebook(path, gradebook::Access::ReadOnly); }) == want);
}

BOOST_AUTO_TEST_CASE(other_files_are_not_taken_for_gradebooks) {
    const std::string foreign = temp_path("foreign.sqlite");
    sqlite3* db = nullptr;
    sqlite3_open(foreign.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    BOOST_TEST(message_of([&] { Gradebook(foreign, gradebook::Access::ReadWrite); }) ==
               foreign +
                   " is an SQLite database but not a gradebook; name another file with "
                   "--gradebook");
    const std::string text = temp_path("text.sqlite");
    std::ofstream(text) << "student,grade\nalice,12\n";
    BOOST_TEST(message_of([&] {
                   Gradebook(text, gradebook::Access::ReadWrite);
               }).find(text + " is not a readable gradebook") == 0u);
    BOOST_TEST(message_of([&] {
                   Gradebook(temp_path("none.sqlite"), gradebook::Access::ReadOnly);
               }).find("there is no gradebook at ") == 0u);
}

BOOST_AUTO_TEST_CASE(a_full_disk_loses_nothing_already_recorded) {
    Gradebook book = fresh("full.sqlite");
    const result::Result r = make_result(3);
    book.limit_pages(static_cast<std::int64_t>(1));  // below the current size: no growth at all
    std::string message;
    int recorded = 0;
    for (int i = 0; i < 2000 && message.empty(); ++i) {
        message = message_of([&] {
            book.record(make_run("s" + std::to_string(i), "x", "2026-01-01T10:00:00.000Z"), 0, &r);
        });
        if (message == "(no error)") {
            message.clear();
            ++recorded;
        }
    }
    BOOST_TEST(message.find("the disk is full. Everything graded before is saved; free some "
                            "space and run the same command again to resume") != std::string::npos);
    book.limit_pages(1 << 30);
    BOOST_TEST(book.run_count() == static_cast<std::size_t>(recorded));
}

BOOST_AUTO_TEST_CASE(two_writers_at_once_both_succeed) {
    const std::string path = temp_path("concurrent.sqlite");
    { fresh("concurrent.sqlite"); }
    auto writer = [&](const std::string& prefix) {
        Gradebook book(path, gradebook::Access::ReadWrite);
        const result::Result r = make_result(3);
        for (int i = 0; i < 60; ++i)
            book.record(make_run(prefix + std::to_string(i), "x", gradebook::utc_now()), 0, &r);
    };
    std::thread a(writer, "a"), b(writer, "b");
    a.join();
    b.join();
    Gradebook book(path, gradebook::Access::ReadOnly);
    BOOST_TEST(book.run_count() == 120u);
}

// SQLite says "busy" at once, without its timeout, to a grader that opens a new gradebook while
// another is switching it to WAL: two `grader batch` on one new gradebook failed that way one
// time in three. Processes, not threads, because that is how graders share a gradebook.
// Runs `rounds` rounds of one process per entry of `roles`, all held at one gate and let go
// together on a new gradebook; each process exits 0 when it did what its role expects. Returns
// how many processes failed, and checks after each round that every writer's run is there.
int race_on_a_new_gradebook(int rounds,
                            const std::vector<std::function<int(const std::string&)>>& roles,
                            std::size_t writers) {
    int failed = 0;
    for (int round = 0; round < rounds; ++round) {
        const std::string path = temp_path("created_together.sqlite");
        int go[2];
        BOOST_REQUIRE(::pipe(go) == 0);
        std::vector<pid_t> children;
        for (const auto& role : roles) {
            const pid_t pid = ::fork();
            BOOST_REQUIRE(pid >= 0);
            if (pid == 0) {
                ::close(go[1]);
                char byte;
                // Every child waits at the same gate, so that they open the file together.
                if (::read(go[0], &byte, 1) != 0) ::_exit(3);
                ::_exit(role(path));
            }
            children.push_back(pid);
        }
        ::close(go[0]);
        ::close(go[1]);  // opens the gate
        for (pid_t pid : children) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
        }
        Gradebook book(path, gradebook::Access::ReadOnly);
        BOOST_TEST(book.run_count() == writers);
    }
    return failed;
}

// Hundreds of rounds: the window they look for is a few microseconds wide. Under AddressSanitizer
// each forked grader costs ten times as much; fewer rounds there keep the suite in minutes.
#ifdef GRADER_SANITIZED
constexpr int kRaceRounds = 60;
#else
constexpr int kRaceRounds = 300;
#endif

// A grader opening the gradebook to record one run, as `grader batch` does.
std::function<int(const std::string&)> writer(int k) {
    return [k](const std::string& path) {
        try {
            Gradebook book(path, gradebook::Access::ReadWrite);
            book.register_spec(gradebook::outline_of(make_result(3), "spec-sha"));
            const result::Result r = make_result(3);
            book.record(make_run("s" + std::to_string(k), "x", gradebook::utc_now()), 0, &r);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "writer %d: %s\n", k, e.what());
            return 1;
        }
        return 0;
    };
}

// A grader reading the gradebook as `grader export` and `grader summary` do. Before any grader
// has made it, "there is no gradebook" or "no grades yet" is the right answer; anything else
// (a foreign database, a malformed file, busy) is a failure.
std::function<int(const std::string&)> reader(const char* as) {
    return [as](const std::string& path) {
        try {
            Gradebook book(path, gradebook::Access::ReadOnly);
            std::ostringstream csv;
            exporting::write_csv(book.class_grades(), csv);
            const summary::ClassSummary s = summary::read_summary(book);
            (void)s;
        } catch (const std::exception& e) {
            const std::string what = e.what();
            if (what.find("there is no gradebook at") == 0 ||
                what.find("has no grades yet") != std::string::npos)
                return 0;
            std::fprintf(stderr, "%s: %s\n", as, e.what());
            return 1;
        }
        return 0;
    };
}

BOOST_AUTO_TEST_CASE(graders_creating_one_gradebook_together_all_open_it) {
    const int failed =
        race_on_a_new_gradebook(kRaceRounds, {writer(0), writer(1), writer(2), writer(3)}, 4);
    BOOST_TEST(failed == 0);
}

BOOST_AUTO_TEST_CASE(export_and_summary_opening_a_gradebook_being_created_never_call_it_foreign) {
    const int failed = race_on_a_new_gradebook(
        kRaceRounds, {writer(0), reader("export"), writer(1), reader("summary")}, 2);
    BOOST_TEST(failed == 0);
}

// The current grades and history of a gradebook, for comparing merges.
std::map<std::string, std::pair<std::string, std::vector<std::string>>> snapshot(Gradebook& book) {
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> out;
    for (const auto& row : book.class_grades().rows) {
        if (!row.current) continue;
        std::vector<std::string> uids;
        for (const auto& run : book.history(row.student.id)) uids.push_back(run.record.uid);
        out[row.student.id] = {row.current->record.uid, uids};
    }
    return out;
}

BOOST_AUTO_TEST_CASE(merging_is_idempotent_order_free_and_the_newer_run_wins) {
    const result::Result low = make_result(0), high = make_result(3);
    Gradebook a = fresh("merge_a.sqlite"), b = fresh("merge_b.sqlite");
    a.record(make_run("ann", "a1", "2026-01-01T10:00:00.000Z"), 0, &low);
    a.record(make_run("eve", "e-old", "2026-01-01T10:00:00.000Z"), 0, &low);
    b.record(make_run("bob", "b1", "2026-01-01T10:00:00.000Z"), 0, &high);
    b.record(make_run("eve", "e-new", "2026-01-01T11:00:00.000Z"), 0, &high);
    b.set_roster({{"dan", "Dan", "", "", ""}});

    Gradebook ab = fresh("merge_ab.sqlite"), ba = fresh("merge_ba.sqlite");
    const auto first = ab.merge_from(a.path());
    BOOST_TEST(first.runs_added == 2u);
    const auto second = ab.merge_from(b.path());
    BOOST_TEST(second.runs_added == 2u);
    // eve was graded in both with different files: reported, and the newer one is current.
    BOOST_REQUIRE(second.conflicts.size() == 1u);
    BOOST_TEST(second.conflicts[0].student == "eve");
    BOOST_TEST(ab.current_run("eve")->record.key.submission_sha256 == "e-new");
    BOOST_TEST(ab.cases(ab.current_run("eve")->id).size() == 3u);
    ba.merge_from(b.path());
    ba.merge_from(a.path());
    BOOST_TEST(ba.current_run("eve")->record.key.submission_sha256 == "e-new");
    BOOST_TEST(snapshot(ab) == snapshot(ba));
    // Again: nothing changes.
    const auto again = ab.merge_from(b.path());
    BOOST_TEST(again.runs_added == 0u);
    BOOST_TEST(ab.run_count() == 4u);
    BOOST_TEST(snapshot(ab) == snapshot(ba));
    // The roster comes along: dan has no submission.
    bool dan = false;
    for (const auto& row : ab.class_grades().rows) dan |= row.student.id == "dan" && !row.current;
    BOOST_TEST(dan);
    BOOST_TEST(ab.spec_hashes() == std::vector<std::string>{"spec-sha"});
}

BOOST_AUTO_TEST_SUITE_END()
