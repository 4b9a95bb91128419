// The batch part in process: finding submissions, the roster, the parallel engine (retries,
// system errors), progress lines, and a whole batch graded by the reference without forking.
#define BOOST_TEST_MODULE batch
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "grader/batch/discover.hpp"
#include "grader/batch/engine.hpp"
#include "grader/batch/progress.hpp"
#include "grader/batch/roster.hpp"
#include "grader/batch/run.hpp"
#include "grader/batch/shard.hpp"
#include "grader/error.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "grader/grading/expand.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/reference_runner.hpp"
#include "grader/hash/sha256.hpp"
#include "grader/spec/spec.hpp"
#include "tests/temp_dir.hpp"

using namespace grader;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    const fs::path dir = test_support::temp_dir() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void touch(const fs::path& p, const std::string& content = "x") {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

struct Cases {
    spec::Spec spec = spec::load(std::string(PROJECT_ROOT) + "/exercises.yaml");
    grading::Reference reference{REFERENCE_LIB, spec.functions};
    grading::Prepared prepared = grading::prepare(spec, reference, {});
};

const Cases& cases() {
    static const Cases c;
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(discovery)

BOOST_AUTO_TEST_CASE(flat_and_folder_layouts_mix_and_other_files_are_counted) {
    const fs::path d = temp_dir("layouts");
    touch(d / "alice.so");
    touch(d / "bob" / "build" / "libsolution.so");
    touch(d / "bob" / "solution.c");
    touch(d / "bob" / "README.md");
    touch(d / "notes.txt");
    fs::create_directories(d / "empty_student");
    touch(d / "carol" / "a.so");
    touch(d / "carol" / "b.so");
    touch(d / "dave.so");
    touch(d / "dave" / "libsolution.so");
    const batch::Discovery found = batch::discover({d.string()});
    BOOST_REQUIRE(found.submissions.size() == 2u);
    BOOST_TEST(found.submissions[0].id == "alice");
    BOOST_TEST(found.submissions[1].id == "bob");
    BOOST_TEST(found.submissions[1].path == (d / "bob" / "build" / "libsolution.so").string());
    BOOST_TEST(found.ignored_files == 3u);
    BOOST_TEST(found.empty_folders == std::vector<std::string>{"empty_student"});
    BOOST_REQUIRE(found.problems.size() == 2u);
    BOOST_TEST(found.problems[0].text ==
               "carol: the folder holds 2 libraries (a.so, b.so); leave exactly one .so in it");
    BOOST_TEST(found.problems[1].text ==
               "dave: the student id is used twice (" + (d / "dave.so").string() + " and " +
                   (d / "dave" / "libsolution.so").string() + "); keep one, or rename the other");
}

BOOST_AUTO_TEST_CASE(libraries_named_on_the_command_line_are_submissions) {
    const fs::path d = temp_dir("args");
    touch(d / "x" / "erin.so");
    touch(d / "frank.txt");
    const batch::Discovery found = batch::discover(
        {(d / "x" / "erin.so").string(), (d / "frank.txt").string(), (d / "nope.so").string()});
    BOOST_REQUIRE(found.submissions.size() == 2u);
    BOOST_TEST(found.submissions[0].id == "erin");
    BOOST_TEST(found.submissions[1].id == "frank");  // graded: its load error says why
    BOOST_REQUIRE(found.problems.size() == 1u);
    BOOST_TEST(found.problems[0].text == (d / "nope.so").string() + " does not exist");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(roster)

BOOST_AUTO_TEST_CASE(columns_in_any_order_others_ignored_names_survive) {
    const fs::path d = temp_dir("roster");
    touch(d / "r.csv",
          "Section,ID,Name,Email,Login\r\nL1,s1,\"O'Neil, \"\"Jo\"\"\",jo@x.org,jo\r\n"
          ",s2,Zoë Ñ,,\r\n");
    const batch::Roster r = batch::read_roster((d / "r.csv").string());
    BOOST_REQUIRE(r.students.size() == 2u);
    BOOST_TEST(r.students[0].id == "s1");
    BOOST_TEST(r.students[0].name == "O'Neil, \"Jo\"");
    BOOST_TEST(r.students[0].section == "L1");
    BOOST_TEST(r.students[1].name == "Zoë Ñ");
    BOOST_TEST(r.students[1].sis_id.empty());
    BOOST_TEST(r.ignored_columns == std::vector<std::string>{"Login"});
}

BOOST_AUTO_TEST_CASE(mistakes_name_the_file_and_line) {
    const fs::path d = temp_dir("bad_roster");
    touch(d / "noid.csv", "name,email\nJo,jo@x\n");
    touch(d / "twice.csv", "id,name\na,A\nb,B\na,A again\n");
    touch(d / "blank.csv", "id,name\n,Nobody\n");
    const std::string p = (d / "twice.csv").string();
    BOOST_TEST(message_of([&] { batch::read_roster(p); }) ==
               p + ":4: the id \"a\" is already on line 2; each student appears once");
    BOOST_TEST(message_of([&] {
                   batch::read_roster((d / "noid.csv").string());
               }).find(":1: the roster's first line must name its columns, one of them \"id\"") !=
               std::string::npos);
    BOOST_TEST(message_of([&] { batch::read_roster((d / "blank.csv").string()); }) ==
               (d / "blank.csv").string() +
                   ":2: this student has no id; every row needs one in the \"id\" column");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shards)

BOOST_AUTO_TEST_CASE(the_hash_is_64_bit_fnv_1a_the_same_everywhere) {
    BOOST_TEST(batch::shard_hash("") == 0xcbf29ce484222325ull);
    BOOST_TEST(batch::shard_hash("a") == 0xaf63dc4c8601ec8cull);
    BOOST_TEST(batch::shard_hash("foobar") == 0x85944171f73967e8ull);
}

BOOST_AUTO_TEST_CASE(every_submission_is_in_exactly_one_shard_and_late_ones_move_nothing) {
    batch::Discovery all;
    for (int i = 0; i < 500; ++i) all.submissions.push_back({"student" + std::to_string(i), "/x"});
    std::map<std::string, int> owner;
    for (std::uint32_t k = 0; k < 7; ++k) {
        batch::Discovery d = all;
        batch::keep_shard(d, {k, 7});
        BOOST_TEST(d.submissions.size() > 40u);  // roughly even: 500/7 is 71
        for (const auto& s : d.submissions) BOOST_TEST(owner.emplace(s.id, k).second);
    }
    BOOST_TEST(owner.size() == 500u);
    all.submissions.push_back({"late", "/x"});
    for (std::uint32_t k = 0; k < 7; ++k) {
        batch::Discovery d = all;
        batch::keep_shard(d, {k, 7});
        for (const auto& s : d.submissions)
            if (s.id != "late") BOOST_TEST(owner.at(s.id) == static_cast<int>(k));
    }
}

BOOST_AUTO_TEST_CASE(shards_come_from_the_command_line_slurm_or_kubernetes) {
    std::map<std::string, std::string> vars;
    const batch::Environment env = [&](const char* name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
    auto shard = [&](const std::string& text) {
        const batch::Shard s = batch::parse_shard(text, env);
        return std::to_string(s.index) + "/" + std::to_string(s.count);
    };
    BOOST_TEST(shard("2/7") == "2/7");
    vars = {{"SLURM_ARRAY_TASK_ID", "4"},
            {"SLURM_ARRAY_TASK_COUNT", "3"},
            {"SLURM_ARRAY_TASK_MIN", "3"}};
    BOOST_TEST(shard("auto") == "1/3");
    vars = {{"JOB_COMPLETION_INDEX", "5"}};
    BOOST_TEST(shard("auto/8") == "5/8");
    BOOST_TEST(message_of([&] { shard("auto"); }) ==
               "--shard auto needs SLURM_ARRAY_TASK_ID (set by Slurm in a job array); outside "
               "one, give --shard K/N, or --shard auto/N in a Kubernetes Indexed Job");
    BOOST_TEST(message_of([&] { shard("7/7"); }) ==
               "--shard 7/7: shard 7 does not exist among 7 (shards are numbered from 0 to 6)");
    BOOST_TEST(message_of([&] { shard("1/0"); }).find("the shard count must be between 1") !=
               std::string::npos);
    BOOST_TEST(message_of([&] { shard("half"); }) ==
               "--shard half: write K/N (this task's shard K of N, from 0), auto, or auto/N");
    BOOST_TEST(batch::shard_gradebook("gradebook.sqlite", {1, 3}) ==
               "gradebook.shard-1-of-3.sqlite");
    BOOST_TEST(batch::shard_gradebook("out/gb-{k}-{n}.sqlite", {1, 3}) == "out/gb-1-3.sqlite");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(a_grader_failure_is_retried_once_then_reported_never_zero) {
    std::vector<batch::Submission> subs;
    for (int i = 0; i < 12; ++i) subs.push_back({"s" + std::to_string(i), "/x"});
    subs.push_back({"flaky", "/x"});
    subs.push_back({"broken", "/x"});
    std::mutex m;
    std::map<std::string, int> calls;
    std::atomic<int> in_flight{0}, most{0};
    batch::GradeFn grade = [&](const batch::Submission& s) {
        const int now = ++in_flight;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        --in_flight;
        int n;
        {
            std::lock_guard lock(m);
            n = ++calls[s.id];
        }
        if (s.id == "broken" || (s.id == "flaky" && n == 1))
            throw std::runtime_error(
                "cannot start a worker process: Resource temporarily "
                "unavailable");
        result::Result r;
        r.submission = s.id;
        return r;
    };
    std::map<std::string, batch::Finished> got;
    batch::EngineHooks hooks;
    hooks.finished = [&](batch::Finished&& f) { got[subs[f.index].id] = std::move(f); };
    const std::size_t handed = batch::run_engine(subs, 3, grade, hooks);
    BOOST_TEST(handed == subs.size());
    BOOST_TEST(got.size() == subs.size());
    BOOST_TEST(got["flaky"].result.has_value());
    BOOST_TEST(got["flaky"].attempts == 2);
    BOOST_TEST(!got["broken"].result.has_value());
    BOOST_TEST(got["broken"].attempts == 2);
    BOOST_TEST(got["broken"].system_error ==
               "cannot start a worker process: Resource temporarily unavailable");
    BOOST_TEST(calls["broken"] == 2);
    BOOST_TEST(calls["s0"] == 1);
    BOOST_TEST(most.load() <= 3);
    BOOST_TEST(most.load() >= 2);  // it did run in parallel
}

BOOST_AUTO_TEST_CASE(a_stop_request_hands_out_no_more) {
    std::vector<batch::Submission> subs(50, {"s", "/x"});
    std::atomic<int> graded{0};
    batch::GradeFn grade = [&](const batch::Submission&) {
        ++graded;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return result::Result{};
    };
    std::size_t seen = 0;
    batch::EngineHooks hooks;
    hooks.finished = [&](batch::Finished&&) { ++seen; };
    hooks.stop = [&] { return seen >= 3; };
    const std::size_t handed = batch::run_engine(subs, 2, grade, hooks);
    BOOST_TEST(handed == static_cast<std::size_t>(graded.load()));  // every one graded is handed
    BOOST_TEST(handed < subs.size());
}

BOOST_AUTO_TEST_CASE(a_failing_recorder_stops_the_batch_and_is_reported) {
    std::vector<batch::Submission> subs(20, {"s", "/x"});
    batch::GradeFn grade = [](const batch::Submission&) { return result::Result{}; };
    batch::EngineHooks hooks;
    int n = 0;
    hooks.finished = [&](batch::Finished&&) {
        if (++n == 2) throw Error("the disk is full");
    };
    BOOST_TEST(message_of([&] { batch::run_engine(subs, 2, grade, hooks); }) == "the disk is full");
    BOOST_TEST(n == 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(progress)

BOOST_AUTO_TEST_CASE(plain_lines_off_a_terminal_and_one_rewritten_line_on_one) {
    std::ostringstream plain;
    batch::Progress p(plain, batch::ProgressMode::Lines, 3);
    batch::Tally t;
    t.done = 1;
    p.finished(t, "alice  140/140  (0.1 s)");
    p.tick(t);
    p.end();
    BOOST_TEST(plain.str() == "[1/3] alice  140/140  (0.1 s)\n");

    std::ostringstream tty;
    batch::Progress q(tty, batch::ProgressMode::Terminal, 3);
    t.load_errors = 1;
    q.finished(t, "bob  0/140  load error");
    const std::string line = tty.str();
    BOOST_TEST(line.front() == '\r');
    BOOST_TEST(line.find("[1/3]") != std::string::npos);
    BOOST_TEST(line.find("load errors 1, crashed 0, timed out 0") != std::string::npos);
    BOOST_TEST(line.find('\n') == std::string::npos);
    BOOST_TEST(line.find("\x1b[K") != std::string::npos);

    std::ostringstream quiet;
    batch::Progress r(quiet, batch::ProgressMode::Quiet, 3);
    r.finished(t, "carol");
    r.note("a note");
    BOOST_TEST(quiet.str().empty());
    BOOST_TEST(batch::clock_text(65) == "1:05");
    BOOST_TEST(batch::clock_text(43207) == "12:00:07");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(whole_batch)

// A class graded in process (the reference stands for every student, one of them broken by a
// failing grader), through the same run_batch as `grader batch`.
BOOST_AUTO_TEST_CASE(system_errors_are_recorded_retried_on_the_next_run_and_exit_one) {
    const fs::path d = temp_dir("whole");
    for (const char* id : {"ann", "ben", "cat"}) touch(d / "class" / (std::string(id) + ".so"), id);
    bool fail_cat = true;
    batch::Grading g;
    g.prepared = &cases().prepared;
    g.spec_path = "exercises.yaml";
    g.spec_sha256 = "spec";
    g.reference_sha256 = "ref";
    g.grade = [&](const batch::Submission& s) {
        if (s.id == "cat" && fail_cat) throw Error("cannot start a worker process");
        grading::ReferenceRunner runner(cases().reference, cases().prepared.functions.size());
        return grading::grade(cases().prepared, runner, s.path);
    };
    batch::BatchOptions o;
    o.inputs = {(d / "class").string()};
    o.jobs = 2;
    o.gradebook = (d / "gb.sqlite").string();
    o.out_dir = (d / "reports").string();
    std::ostringstream out;
    BOOST_TEST(batch::run_batch(g, o, out) == 1);
    BOOST_TEST(out.str().find("system errors 1") != std::string::npos);
    BOOST_TEST(out.str().find("system error (run the batch again to retry): cat: cannot start "
                              "a worker process") != std::string::npos);
    BOOST_TEST(fs::exists(d / "reports" / "ann.json"));
    BOOST_TEST(!fs::exists(d / "reports" / "cat.json"));
    {
        gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadOnly);
        const auto cat = book.current_run("cat");
        BOOST_REQUIRE(cat.has_value());
        BOOST_TEST((cat->record.status == gradebook::Status::SystemError));
        BOOST_TEST(!cat->score.has_value());
        BOOST_TEST(cat->record.message == "cannot start a worker process");
        BOOST_TEST(*book.current_run("ann")->score == 140);
        BOOST_TEST(book.current_run("ann")->record.key.submission_sha256 ==
                   hash::sha256_hex("ann"));
    }
    // The next run grades only what has no grade yet.
    fail_cat = false;
    std::ostringstream again;
    BOOST_TEST(batch::run_batch(g, o, again) == 0);
    BOOST_TEST(again.str().find("Graded 1 of 1 submission") != std::string::npos);
    BOOST_TEST(again.str().find("unchanged and skipped 2") != std::string::npos);
    gradebook::Gradebook book(o.gradebook, gradebook::Access::ReadOnly);
    BOOST_TEST(*book.current_run("cat")->score == 140);
    BOOST_TEST(book.history("cat").size() == 2u);
    BOOST_TEST(book.history("ann").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
