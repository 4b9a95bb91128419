// A class graded end to end through `grader batch`, as an instructor runs it: 42 fixture
// submissions (correct, wrong, crashing, hanging, flooding, unloadable; flat and in student
// folders with sources beside them), every total compared with `grader grade` of the same
// library; resumed after kill -9 and after Ctrl-C; skipped when unchanged; exported and read
// back as CSV; regraded after a tolerance change.
#define BOOST_TEST_MODULE class_batch
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "grader/csv/csv.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using grader::gradebook::Gradebook;

namespace {

// Calls that never return cost this much: the same limit for the batch and the lone grades.
const std::string kLimit = "--time-limit 1";
const std::string kSpec = std::string(PROJECT_ROOT) + "/exercises.yaml";

using test_support::Run;
using test_support::shell;

Run run_grader(const std::string& args) {
    return shell(std::string(GRADER_EXE) + " " + args);
}

struct Student {
    std::string id;
    std::string library;  // where the fixture was built
    bool folder;          // one folder per student, or a flat <id>.so
};

// The class: fixture names from tests/fixtures/fixtures.cmake, and broken files.
std::vector<Student> make_students() {
    const std::vector<std::string> fixtures = {"good_c",
                                               "good_cpp",
                                               "wrong_log2",
                                               "wrong_zero_p_nan",
                                               "wrong_reversed_ratio",
                                               "wrong_unnormalised_grid",
                                               "wrong_marginal_cols",
                                               "wrong_sigma_as_variance",
                                               "wrong_tv_no_half",
                                               "wrong_naive_logz",
                                               "wrong_no_max_shift",
                                               "wrong_tau_squared",
                                               "wrong_policy_no_normalise",
                                               "hostile_segv_softmax",
                                               "hostile_loop_kl_vae",
                                               "hostile_abort_tv",
                                               "hostile_output_overrun",
                                               "hostile_const_write",
                                               "hostile_read_past_input",
                                               "hostile_exit",
                                               "hostile_fork",
                                               "hostile_socket",
                                               "hostile_kill_parent",
                                               "hostile_kill_group",
                                               "hostile_recursion",
                                               "hostile_sleep",
                                               "hostile_thread",
                                               "hostile_garbage_fds",
                                               "hostile_close_fds",
                                               "hostile_print_pass",
                                               "hostile_flood",
                                               "hostile_sigfpe",
                                               "hostile_sigill",
                                               "partial_ex1_only",
                                               "broken_no_extern_c",
                                               "example_partial_attempt",
                                               "template_stub"};
    std::vector<Student> out;
    int k = 0;
    for (const std::string& f : fixtures) {
        char id[64];
        std::snprintf(id, sizeof id, "s%02d_%s", ++k, f.c_str());
        out.push_back({id, std::string(FIXTURE_DIR) + "/lib" + f + ".so", k % 2 == 0});
    }
    for (const char* b : {"text", "empty", "truncated", "aarch64", "executable"}) {
        char id[64];
        std::snprintf(id, sizeof id, "s%02d_broken_%s", ++k, b);
        out.push_back(
            {id, std::string(SANDBOX_BROKEN_DIR) + "/" + std::string(b) + ".so", k % 2 == 0});
    }
    return out;
}

struct Class {
    fs::path root;
    fs::path dir;  // the class folder
    std::vector<Student> students = make_students();
    std::map<std::string, int> lone;  // id -> total from `grader grade` alone
    int max_score = 0;

    Class() {
        root = test_support::temp_dir() / "class_test";
        fs::remove_all(root);
        dir = root / "class";
        fs::create_directories(dir);
        for (const Student& s : students) {
            if (s.folder) {
                fs::create_directories(dir / s.id / "build");
                fs::copy_file(s.library, dir / s.id / "build" / "libsolution.so");
                std::ofstream(dir / s.id / "solution.c") << "/* the student's sources */\n";
                std::ofstream(dir / s.id / "README.md") << "My submission.\n";
            } else {
                fs::copy_file(s.library, dir / (s.id + ".so"));
            }
        }
        std::ofstream(dir / "instructions.txt") << "Not a submission.\n";
        // The roster: names that break naive CSV, one student who submitted nothing; one
        // submission (the last) is left off the roster.
        std::ofstream roster(root / "roster.csv");
        roster << "id,name,email,sis_id,section\n";
        for (std::size_t i = 0; i + 1 < students.size(); ++i) {
            std::string name = "Student " + std::to_string(i);
            if (i == 0) name = "\"O'Neil, \"\"Jo\"\"\"";
            if (i == 1) name = "Zoë Åström-Ñúñez";
            if (i == 2) name = "\"Line\nBreak\"";
            roster << students[i].id << "," << name << "," << students[i].id << "@uni.example,"
                   << "SIS" << i << "," << (i % 3 == 0 ? "\"A, morning\"" : "B") << "\n";
        }
        roster << "zz_absent,Absent Student,absent@uni.example,SIS999,B\n";
    }
    ~Class() { fs::remove_all(root); }

    std::string path(const std::string& name) const { return (root / name).string(); }

    // Totals of each library graded alone, as `grader grade` gives them.
    void grade_alone() {
        if (!lone.empty()) return;
        for (const Student& s : students) {
            const Run r =
                run_grader("grade " + s.library + " --spec " + kSpec + " --format json " + kLimit);
            BOOST_REQUIRE_MESSAGE(r.status == 0 || r.status == 1, s.id + ": " + r.out);
            const auto doc = nlohmann::json::parse(r.out);
            lone[s.id] = doc.at("score").get<int>();
            max_score = doc.at("max_score").get<int>();
        }
    }
};

Class& the_class() {
    static Class c;
    return c;
}

std::string batch_command(const std::string& gradebook, const std::string& extra = "") {
    const Class& c = the_class();
    return "batch " + c.dir.string() + " --spec " + kSpec + " --jobs 2 " + kLimit +
           " --gradebook " + gradebook + " " + extra;
}

// The class's current totals as the gradebook has them (absent: no grade).
std::map<std::string, std::optional<int>> totals(const std::string& gradebook) {
    Gradebook book(gradebook, grader::gradebook::Access::ReadOnly);
    std::map<std::string, std::optional<int>> out;
    for (const auto& row : book.class_grades().rows)
        if (row.current) out[row.student.id] = row.current->score;
    return out;
}

// The one batch every test compares with, graded once.
const std::string& graded_once() {
    static const std::string gradebook = [] {
        Class& c = the_class();
        const std::string gb = c.path("main.sqlite");
        const Run r = run_grader(batch_command(gb, "--out " + c.path("reports") +
                                                       " --format text,junit --roster " +
                                                       c.path("roster.csv")));
        BOOST_TEST_MESSAGE(r.out);
        BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
        return gb;
    }();
    return gradebook;
}

std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> out;
    for (const auto& e : fs::directory_iterator("/proc")) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(e.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 2));
        char state;
        pid_t ppid;
        rest >> state >> ppid;
        if (ppid == parent) out.push_back(std::stoi(name));
    }
    return out;
}

bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto close = line.rfind(')');
    return close != std::string::npos && line[close + 2] != 'Z';
}

// Starts `grader batch` in the background; its output goes to `log`.
pid_t start_batch(const std::string& gradebook, const std::string& log) {
    const std::string command =
        "exec " + std::string(GRADER_EXE) + " " + batch_command(gradebook) + " > " + log + " 2>&1";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return pid;
}

// Waits until the gradebook holds at least `runs` runs (or the batch ended).
std::size_t wait_for_runs(const std::string& gradebook, std::size_t runs, pid_t batch) {
    for (int i = 0; i < 600; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!fs::exists(gradebook)) continue;
        try {
            Gradebook book(gradebook, grader::gradebook::Access::ReadOnly);
            const std::size_t n = book.run_count();
            if (n >= runs || !alive(batch)) return n;
        } catch (const std::exception&) {
            // Not created yet: keep waiting.
        }
    }
    return 0;
}

std::vector<grader::csv::Row> read_csv(const std::string& path) {
    return grader::csv::read_file(path);
}

std::map<std::string, std::size_t> header_index(const grader::csv::Row& header) {
    std::map<std::string, std::size_t> out;
    for (std::size_t i = 0; i < header.fields.size(); ++i) out[header.fields[i]] = i;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(class_batch)

BOOST_AUTO_TEST_CASE(every_total_equals_the_lone_grade_of_the_same_library) {
    Class& c = the_class();
    BOOST_TEST(c.students.size() >= 40u);
    const std::string& gb = graded_once();
    c.grade_alone();
    const auto batch = totals(gb);
    for (const Student& s : c.students) {
        BOOST_TEST_CONTEXT(s.id) {
            BOOST_REQUIRE(batch.count(s.id));
            BOOST_REQUIRE(batch.at(s.id).has_value());
            BOOST_TEST(*batch.at(s.id) == c.lone.at(s.id));
            // The report beside it says the same.
            std::ifstream in(c.path("reports") + "/" + s.id + ".json");
            BOOST_REQUIRE(in);
            const auto doc = nlohmann::json::parse(in);
            BOOST_TEST(doc.at("score").get<int>() == c.lone.at(s.id));
            BOOST_TEST(fs::exists(c.path("reports") + "/" + s.id + ".txt"));
            BOOST_TEST(fs::exists(c.path("reports") + "/" + s.id + ".junit.xml"));
        }
    }
    // The mix is what it claims to be.
    BOOST_TEST(c.lone.at("s01_good_c") == c.max_score);
    BOOST_TEST(c.lone.at("s03_wrong_log2") < c.max_score);
    BOOST_TEST(c.lone.at("s38_broken_text") == 0);
}

BOOST_AUTO_TEST_CASE(the_summary_counts_by_status_and_reports_the_roster) {
    Class& c = the_class();
    // A fresh batch with a roster, output not on a terminal: one line per submission.
    const std::string gb = c.path("summary.sqlite");
    const Run r = run_grader(batch_command(gb, "--roster " + c.path("roster.csv")));
    BOOST_TEST(r.status == 0);
    std::size_t lines = 0;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) lines += line.rfind("[", 0) == 0;
    BOOST_TEST(lines == c.students.size());
    BOOST_TEST(r.out.find("Graded 42 of 42 submissions") != std::string::npos);
    BOOST_TEST(r.out.find("load errors 5") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("no submission 1") != std::string::npos);
    BOOST_TEST(r.out.find("graded but not on the roster: s42_broken_executable") !=
               std::string::npos);
    BOOST_TEST(r.out.find("ignored: 43 other files") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Gradebook: " + gb) != std::string::npos);
    BOOST_TEST(r.out.find("class: mean ") != std::string::npos);
    // --quiet: the summary only.
    const Run q = run_grader(batch_command(gb, "--quiet --force"));
    BOOST_TEST(q.status == 0);
    BOOST_TEST(q.out.find("[1/42]") == std::string::npos);
    BOOST_TEST(q.out.find("Graded 42 of 42") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unchanged_submission_is_skipped_and_force_grades_it_again) {
    Class& c = the_class();
    const std::string gb = c.path("skip.sqlite");
    fs::copy_file(graded_once(), gb);
    const std::size_t before = Gradebook(gb, grader::gradebook::Access::ReadOnly).run_count();
    const Run again = run_grader(batch_command(gb));
    BOOST_TEST(again.status == 0);
    BOOST_TEST(again.out.find("Graded 0 of 0 submissions") != std::string::npos);
    BOOST_TEST(again.out.find("unchanged and skipped 42") != std::string::npos);
    BOOST_TEST(Gradebook(gb, grader::gradebook::Access::ReadOnly).run_count() == before);
    // One student resubmits: only they are graded.
    fs::copy_file(std::string(FIXTURE_DIR) + "/libgood_c.so", c.dir / "s03_wrong_log2.so",
                  fs::copy_options::overwrite_existing);
    const Run one = run_grader(batch_command(gb));
    fs::copy_file(std::string(FIXTURE_DIR) + "/libwrong_log2.so", c.dir / "s03_wrong_log2.so",
                  fs::copy_options::overwrite_existing);
    BOOST_TEST(one.out.find("Graded 1 of 1 submission") != std::string::npos, one.out);
    BOOST_TEST(*totals(gb).at("s03_wrong_log2") == the_class().max_score);
    BOOST_TEST(
        Gradebook(gb, grader::gradebook::Access::ReadOnly).history("s03_wrong_log2").size() == 2u);
    const Run forced = run_grader(batch_command(gb, "--force --quiet"));
    BOOST_TEST(forced.out.find("Graded 42 of 42") != std::string::npos);
    BOOST_TEST(Gradebook(gb, grader::gradebook::Access::ReadOnly).run_count() == before + 43);
}

BOOST_AUTO_TEST_CASE(a_batch_killed_midway_resumes_to_the_same_grades) {
    Class& c = the_class();
    const std::string gb = c.path("killed.sqlite");
    const pid_t batch = start_batch(gb, c.path("killed.log"));
    const std::size_t at_kill = wait_for_runs(gb, 12, batch);
    const std::vector<pid_t> workers = children_of(batch);
    ::kill(batch, SIGKILL);
    int status = 0;
    ::waitpid(batch, &status, 0);
    BOOST_TEST(WIFSIGNALED(status));
    BOOST_TEST(at_kill >= 12u);
    // The workers die with the grader: none is left spinning or sleeping.
    for (int i = 0; i < 100; ++i) {
        bool any = false;
        for (pid_t w : workers) any |= alive(w);
        if (!any) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (pid_t w : workers) BOOST_TEST(!alive(w), "worker " << w << " outlived the grader");

    const auto partial = totals(gb);
    BOOST_TEST(partial.size() >= at_kill);
    BOOST_TEST(partial.size() < c.students.size());
    std::map<std::string, std::string> uids;  // graded before the kill: must not be regraded
    {
        Gradebook book(gb, grader::gradebook::Access::ReadOnly);
        for (const auto& [id, score] : partial) uids[id] = book.current_run(id)->record.uid;
    }
    const Run resumed = run_grader(batch_command(gb));
    BOOST_TEST(resumed.status == 0);
    BOOST_TEST(resumed.out.find("unchanged and skipped " + std::to_string(partial.size())) !=
                   std::string::npos,
               resumed.out);
    BOOST_TEST(totals(gb) == totals(graded_once()));
    Gradebook book(gb, grader::gradebook::Access::ReadOnly);
    BOOST_TEST(book.run_count() == c.students.size());  // nobody graded twice
    for (const auto& [id, uid] : uids) BOOST_TEST(book.current_run(id)->record.uid == uid);
}

BOOST_AUTO_TEST_CASE(ctrl_c_finishes_what_is_being_graded_and_resumes) {
    Class& c = the_class();
    const std::string gb = c.path("interrupted.sqlite");
    const pid_t batch = start_batch(gb, c.path("interrupted.log"));
    const std::size_t at_signal = wait_for_runs(gb, 6, batch);
    ::kill(batch, SIGINT);
    int status = 0;
    ::waitpid(batch, &status, 0);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 128 + SIGINT);
    std::ifstream log(c.path("interrupted.log"));
    const std::string text((std::istreambuf_iterator<char>(log)), {});
    BOOST_TEST(text.find("stopping after the submissions being graded") != std::string::npos);
    BOOST_TEST(text.find("Interrupted: graded") != std::string::npos, text);
    BOOST_TEST(text.find("Run the same command again") != std::string::npos);
    const std::size_t kept = Gradebook(gb, grader::gradebook::Access::ReadOnly).run_count();
    BOOST_TEST(kept >= at_signal);
    BOOST_TEST(kept < c.students.size());
    BOOST_TEST(run_grader(batch_command(gb, "--quiet")).status == 0);
    BOOST_TEST(totals(gb) == totals(graded_once()));
    BOOST_TEST(Gradebook(gb, grader::gradebook::Access::ReadOnly).run_count() == c.students.size());
}

BOOST_AUTO_TEST_CASE(the_four_csv_exports_read_back) {
    Class& c = the_class();
    const std::string& gb = graded_once();
    c.grade_alone();
    // csv
    BOOST_REQUIRE(run_grader("export --gradebook " + gb + " -o " + c.path("grades.csv")).status ==
                  0);
    const auto rows = read_csv(c.path("grades.csv"));
    BOOST_REQUIRE(rows.size() == c.students.size() + 3);  // header, max_points, the absent one
    const auto col = header_index(rows[0]);
    const std::vector<std::string> first = {"id", "name", "email", "sis_id", "section", "ex1"};
    BOOST_TEST(std::vector<std::string>(rows[0].fields.begin(), rows[0].fields.begin() + 6) ==
               first);
    const std::vector<std::string> last = {"total",       "max_total",    "percent",    "status",
                                           "raw_total",   "late_penalty", "adjustment", "late_by",
                                           "late_status", "submitted_at"};
    BOOST_TEST(std::vector<std::string>(rows[0].fields.end() - 10, rows[0].fields.end()) == last);
    BOOST_TEST(rows[1].fields[0] == "max_points");
    BOOST_TEST(rows[1].fields[col.at("total")] == std::to_string(c.max_score));
    std::map<std::string, const grader::csv::Row*> by_id;
    for (std::size_t i = 2; i < rows.size(); ++i) by_id[rows[i].fields[0]] = &rows[i];
    BOOST_TEST(by_id.at("s01_good_c")->fields[col.at("name")] == "O'Neil, \"Jo\"");
    BOOST_TEST(by_id.at("s02_good_cpp")->fields[col.at("name")] == "Zoë Åström-Ñúñez");
    BOOST_TEST(by_id.at("s03_wrong_log2")->fields[col.at("name")] == "Line\nBreak");
    BOOST_TEST(by_id.at("s01_good_c")->fields[col.at("section")] == "A, morning");
    BOOST_TEST(by_id.at("zz_absent")->fields[col.at("status")] == "no_submission");
    BOOST_TEST(by_id.at("zz_absent")->fields[col.at("total")] == "");
    BOOST_TEST(by_id.at("s38_broken_text")->fields[col.at("status")] == "load_error");
    BOOST_TEST(by_id.at("s38_broken_text")->fields[col.at("total")] == "0");
    for (const Student& s : c.students) {
        BOOST_TEST_CONTEXT(s.id) {
            const auto& f = by_id.at(s.id)->fields;
            BOOST_TEST(f[col.at("total")] == std::to_string(c.lone.at(s.id)));
            int sum = 0;
            for (int e = 1; e <= 10; ++e) sum += std::stoi(f[col.at("ex" + std::to_string(e))]);
            BOOST_TEST(sum == c.lone.at(s.id));
        }
    }
    // long
    BOOST_REQUIRE(
        run_grader("export --format long --gradebook " + gb + " -o " + c.path("long.csv")).status ==
        0);
    const auto long_rows = read_csv(c.path("long.csv"));
    BOOST_TEST(long_rows[0].fields ==
               (std::vector<std::string>{"id", "exercise", "case", "verdict", "points",
                                         "max_points", "measured_points"}));
    std::map<std::string, int> sums;
    for (std::size_t i = 1; i < long_rows.size(); ++i)
        sums[long_rows[i].fields[0]] += std::stoi(long_rows[i].fields[4]);
    for (const Student& s : c.students) BOOST_TEST(sums[s.id] == c.lone.at(s.id));
    BOOST_TEST((long_rows.size() - 1) % c.students.size() == 0u);
    // canvas
    BOOST_TEST(run_grader("export --format canvas --gradebook " + gb).status ==
               2);  // no --assignment
    BOOST_REQUIRE(run_grader("export --format canvas --assignment \"KL exercises (4711)\" "
                             "--gradebook " +
                             gb + " -o " + c.path("canvas.csv"))
                      .status == 0);
    const auto canvas = read_csv(c.path("canvas.csv"));
    BOOST_TEST(canvas[0].fields ==
               (std::vector<std::string>{"Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                         "KL exercises (4711)"}));
    BOOST_TEST(canvas[1].fields[0] == "Points Possible");
    BOOST_TEST(canvas[1].fields[5] == std::to_string(c.max_score));
    bool found = false;
    for (const auto& r : canvas)
        if (r.fields[1] == "s01_good_c") {
            found = true;
            BOOST_TEST(r.fields[0] == "O'Neil, \"Jo\"");
            BOOST_TEST(r.fields[2] == "SIS0");
            BOOST_TEST(r.fields[5] == std::to_string(c.max_score));
        }
    BOOST_TEST(found);
    // moodle
    BOOST_REQUIRE(run_grader("export --format moodle --assignment \"KL exercises\" --gradebook " +
                             gb + " -o " + c.path("moodle.csv"))
                      .status == 0);
    const auto moodle = read_csv(c.path("moodle.csv"));
    BOOST_TEST(moodle[0].fields == (std::vector<std::string>{"ID number", "Email address",
                                                             "Full name", "KL exercises"}));
    BOOST_TEST(moodle.size() == c.students.size() + 2);
}

BOOST_AUTO_TEST_CASE(a_regrade_shows_exactly_who_changes_and_applies_only_when_asked) {
    Class& c = the_class();
    const std::string gb = c.path("regrade.sqlite");
    fs::copy_file(graded_once(), gb);
    // The instructor loosens one tolerance: a bits-for-nats answer now passes that case.
    std::ifstream in(kSpec);
    std::string spec((std::istreambuf_iterator<char>(in)), {});
    const std::string anchor = "      - id: tokens_kl_pq\n        function: kl_divergence\n";
    const auto at = spec.find(anchor);
    BOOST_REQUIRE(at != std::string::npos);
    spec.insert(at + anchor.size(), "        rtol: 0.5\n");
    const std::string new_spec = c.path("exercises.yaml");
    std::ofstream(new_spec) << spec;

    const auto before = totals(gb);
    const Run preview = run_grader("regrade --spec " + new_spec + " --gradebook " + gb +
                                   " --jobs 2 --quiet " + kLimit);
    BOOST_TEST(preview.status == 0, preview.out);
    BOOST_TEST(totals(gb) == before);  // nothing applied
    BOOST_TEST(preview.out.find("ex1/tokens_kl_pq") != std::string::npos);
    BOOST_TEST(preview.out.find("wrong → pass") != std::string::npos);
    BOOST_TEST(preview.out.find("Nothing is applied yet") != std::string::npos);
    // The students it names are those whose totals change once applied.
    std::set<std::string> named;
    std::istringstream lines(preview.out);
    for (std::string line; std::getline(lines, line);)
        if (line.find(" → ") != std::string::npos && line.rfind("  s", 0) == 0)
            named.insert(line.substr(2, line.find(' ', 2) - 2));
    BOOST_TEST(named.count("s03_wrong_log2") == 1u);

    const Run applied = run_grader("regrade --apply --spec " + new_spec + " --gradebook " + gb);
    BOOST_TEST(applied.status == 0, applied.out);
    BOOST_TEST(applied.out.find("Applied") != std::string::npos);
    const auto after = totals(gb);
    std::set<std::string> changed;
    for (const auto& [id, score] : after)
        if (before.at(id) != score) changed.insert(id);
    BOOST_TEST(changed == named);
    // The new totals are what a lone grade with the new spec gives.
    for (const std::string& id : {std::string("s03_wrong_log2"), std::string("s01_good_c")}) {
        std::string library;
        for (const Student& s : c.students)
            if (s.id == id) library = s.library;
        const auto doc = nlohmann::json::parse(
            run_grader("grade " + library + " --spec " + new_spec + " --format json " + kLimit)
                .out);
        BOOST_TEST(*after.at(id) == doc.at("score").get<int>());
    }
    Gradebook book(gb, grader::gradebook::Access::ReadOnly);
    BOOST_TEST(book.history("s03_wrong_log2").size() == 2u);  // the old run stays
}

BOOST_AUTO_TEST_CASE(ambiguous_inputs_are_reported_and_the_rest_graded) {
    Class& c = the_class();
    const fs::path d = c.root / "ambiguous";
    fs::create_directories(d / "twice");
    fs::create_directories(d / "dup");
    fs::copy_file(std::string(FIXTURE_DIR) + "/libgood_c.so", d / "ok.so");
    fs::copy_file(std::string(FIXTURE_DIR) + "/libgood_c.so", d / "twice" / "a.so");
    fs::copy_file(std::string(FIXTURE_DIR) + "/libgood_c.so", d / "twice" / "b.so");
    fs::copy_file(std::string(FIXTURE_DIR) + "/libgood_c.so", d / "dup.so");
    fs::copy_file(std::string(FIXTURE_DIR) + "/libgood_c.so", d / "dup" / "lib.so");
    const Run r = run_grader("batch " + d.string() + " --spec " + kSpec + " --gradebook " +
                             c.path("ambiguous.sqlite"));
    BOOST_TEST(r.status == 1);
    BOOST_TEST(r.out.find("twice: the folder holds 2 libraries (a.so, b.so)") != std::string::npos);
    BOOST_TEST(r.out.find("dup: the student id is used twice") != std::string::npos);
    BOOST_TEST(r.out.find("Graded 1 of 1 submission") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(two_batches_on_one_gradebook_both_succeed) {
    Class& c = the_class();
    const std::string gb = c.path("shared.sqlite");
    std::string half_a, half_b;
    for (std::size_t i = 0; i < 10; ++i) (i % 2 ? half_a : half_b) += " " + c.students[i].library;
    auto run = [&](const std::string& libs, Run& out) {
        out = run_grader("batch" + libs + " --spec " + kSpec + " --jobs 1 --quiet " + kLimit +
                         " --gradebook " + gb);
    };
    Run a, b;
    std::thread ta(run, half_a, std::ref(a)), tb(run, half_b, std::ref(b));
    ta.join();
    tb.join();
    BOOST_TEST(a.status == 0, a.out);
    BOOST_TEST(b.status == 0, b.out);
    BOOST_TEST(Gradebook(gb, grader::gradebook::Access::ReadOnly).run_count() == 10u);
}

// Each student's current grade, case by case: "ex1/case verdict points" lines.
std::map<std::string, std::vector<std::string>> case_by_case(const std::string& gradebook) {
    Gradebook book(gradebook, grader::gradebook::Access::ReadOnly);
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& row : book.class_grades().rows) {
        if (!row.current) continue;
        auto& lines = out[row.student.id];
        lines.push_back(std::string(grader::gradebook::name(row.current->record.status)));
        for (const auto& c : book.cases(row.current->id))
            lines.push_back(c.exercise + "/" + c.case_id + " " +
                            std::string(grader::result::name(c.verdict)) + " " +
                            std::to_string(c.points) + " " + c.fingerprint);
    }
    return out;
}

BOOST_AUTO_TEST_CASE(shards_merged_equal_one_unsharded_batch) {
    Class& c = the_class();
    const auto whole = case_by_case(graded_once());
    for (const int n : {3, 7}) {
        BOOST_TEST_CONTEXT(n << " shards") {
            std::vector<std::string> parts;
            std::size_t graded = 0;
            for (int k = 0; k < n; ++k) {
                const std::string pattern = c.path("shard" + std::to_string(n) + "-{k}.sqlite");
                const Run r = run_grader(batch_command(
                    pattern, "--quiet --shard " + std::to_string(k) + "/" + std::to_string(n)));
                BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
                parts.push_back(
                    c.path("shard" + std::to_string(n) + "-" + std::to_string(k) + ".sqlite"));
                graded += Gradebook(parts.back(), grader::gradebook::Access::ReadOnly).run_count();
            }
            BOOST_TEST(graded == c.students.size());  // each submission in exactly one shard
            std::string forward, backward;
            for (const auto& p : parts) forward += " " + p;
            for (auto it = parts.rbegin(); it != parts.rend(); ++it) backward += " " + *it;
            const std::string a = c.path("merged" + std::to_string(n) + "a.sqlite");
            const std::string b = c.path("merged" + std::to_string(n) + "b.sqlite");
            BOOST_TEST(run_grader("merge " + a + forward).status == 0);
            BOOST_TEST(run_grader("merge " + b + backward).status == 0);
            const Run twice = run_grader("merge " + a + forward);
            BOOST_TEST(twice.out.find("0 new runs, 0 conflicts") != std::string::npos, twice.out);
            BOOST_TEST(case_by_case(a) == whole);
            BOOST_TEST(case_by_case(b) == whole);
            BOOST_TEST(Gradebook(a, grader::gradebook::Access::ReadOnly).run_count() ==
                       c.students.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(gradebooks_of_different_specs_are_not_mixed_silently) {
    Class& c = the_class();
    // A gradebook graded with another spec (a changed tolerance), and one with this spec.
    std::ifstream in(kSpec);
    std::string spec((std::istreambuf_iterator<char>(in)), {});
    spec.insert(spec.find("      - id: tokens_kl_qp\n"),
                "      - id: tokens_kl_qp_again\n"
                "        function: kl_divergence\n"
                "        inputs: {p: [0.65, 0.15, 0.10, 0.05, 0.05], q: [0.90, 0.04, 0.03, "
                "0.02, 0.01]}\n        expect: 0.2334225283628461\n");
    const std::string other_spec = c.path("other.yaml");
    std::ofstream(other_spec) << spec;
    const std::string other = c.path("other-spec.sqlite");
    BOOST_REQUIRE(!c.students[0].folder);
    const Run graded = run_grader("batch " + (c.dir / (c.students[0].id + ".so")).string() +
                                  " --spec " + other_spec + " --quiet --gradebook " + other);
    BOOST_REQUIRE_MESSAGE(graded.status == 0, graded.out);
    const std::string out = c.path("mixed.sqlite");
    const Run refused = run_grader("merge " + out + " " + graded_once() + " " + other);
    BOOST_TEST(refused.status == 2);
    BOOST_TEST(refused.out.find("different specs") != std::string::npos, refused.out);
    BOOST_TEST(refused.out.find("--allow-mixed-specs") != std::string::npos);
    const bool untouched =
        !fs::exists(out) || Gradebook(out, grader::gradebook::Access::ReadOnly).run_count() == 0u;
    BOOST_TEST(untouched);
    const Run allowed =
        run_grader("merge --allow-mixed-specs " + out + " " + graded_once() + " " + other);
    BOOST_TEST(allowed.status == 0, allowed.out);
    // s01 was graded in both, with different specs: reported, the newer grade wins.
    BOOST_TEST(allowed.out.find(c.students[0].id + " was graded twice with different specs") !=
                   std::string::npos,
               allowed.out);
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

BOOST_AUTO_TEST_CASE(reports_are_byte_identical_across_jobs_and_equal_a_lone_grade) {
    Class& c = the_class();
    // Correct, wrong, crashing and unloadable: a few of the class, named on the command line.
    std::string libs;
    std::vector<std::string> ids;
    for (const Student& s : c.students)
        if (!s.folder && ids.size() < 8) {
            libs += " " + (c.dir / (s.id + ".so")).string();
            ids.push_back(s.id);
        }
    for (const int jobs : {1, 2}) {
        const std::string n = std::to_string(jobs);
        const Run r = run_grader("batch" + libs + " --spec " + kSpec + " " + kLimit +
                                 " --quiet --no-timings --jobs " + n + " --gradebook " +
                                 c.path("jobs" + n + ".sqlite") + " --out " + c.path("jobs" + n) +
                                 " --format text");
        BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    }
    for (const std::string& id : ids) {
        BOOST_TEST_CONTEXT(id) {
            const std::string one = slurp(c.path("jobs1") + "/" + id + ".json");
            BOOST_TEST(!one.empty());
            BOOST_TEST(one == slurp(c.path("jobs2") + "/" + id + ".json"));
            BOOST_TEST(slurp(c.path("jobs1") + "/" + id + ".txt") ==
                       slurp(c.path("jobs2") + "/" + id + ".txt"));
            // The same bytes as `grader grade` of that library alone.
            const Run alone = run_grader("grade " + (c.dir / (id + ".so")).string() + " --spec " +
                                         kSpec + " " + kLimit + " --format json --no-timings");
            BOOST_TEST(alone.out == one);
        }
    }
}

BOOST_AUTO_TEST_CASE(with_a_course_secret_each_student_has_their_own_hidden_inputs) {
    Class& c = the_class();
    const fs::path course = c.root / "course";
    fs::create_directories(course / "class");
    fs::copy_file(kSpec, course / "exercises.yaml");
    std::ofstream(course / "course.secret") << "a course secret nobody else knows\n";
    const std::string wrong = std::string(FIXTURE_DIR) + "/libwrong_log2.so";
    for (const char* id : {"amy", "bob"})
        fs::copy_file(wrong, course / "class" / (std::string(id) + ".so"));
    const std::string spec = (course / "exercises.yaml").string();
    const std::string gb = (course / "gradebook.sqlite").string();
    const Run r = run_grader("batch " + (course / "class").string() + " --spec " + spec + " " +
                             kLimit + " --quiet --no-timings --gradebook " + gb + " --out " +
                             (course / "reports").string());
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    Gradebook book(gb, grader::gradebook::Access::ReadOnly);
    const auto amy = book.current_run("amy"), bob = book.current_run("bob");
    BOOST_REQUIRE(amy && bob);
    BOOST_REQUIRE(amy->record.key.seed && bob->record.key.seed);
    BOOST_TEST(*amy->record.key.seed != *bob->record.key.seed);
    // The same library: public answers identical, hidden random ones drawn differently.
    const auto ac = book.cases(amy->id), bc = book.cases(bob->id);
    BOOST_REQUIRE(ac.size() == bc.size());
    std::size_t same_public = 0, differing_hidden = 0;
    const auto outline = book.spec(amy->record.key.spec_sha256);
    std::set<std::string> hidden;
    for (const auto& e : outline->exercises)
        for (const auto& k : e.cases)
            if (k.hidden) hidden.insert(e.id + "/" + k.case_id);
    for (std::size_t i = 0; i < ac.size(); ++i) {
        const bool is_hidden = hidden.count(ac[i].exercise + "/" + ac[i].case_id) > 0;
        if (!is_hidden) same_public += ac[i].fingerprint == bc[i].fingerprint;
        if (is_hidden && ac[i].fingerprint != bc[i].fingerprint) ++differing_hidden;
    }
    BOOST_TEST(same_public == ac.size() - hidden.size());
    BOOST_TEST(differing_hidden > 5u);
    // Each reproduces: `grade --student` gives the batch's report, byte for byte.
    const Run alone = run_grader("grade " + (course / "class" / "amy.so").string() + " --spec " +
                                 spec + " " + kLimit + " --student amy --format json --no-timings");
    BOOST_TEST(alone.out == slurp(course / "reports" / "amy.json"));
    BOOST_TEST(slurp(course / "reports" / "amy.json").find("a course secret") == std::string::npos);
    // Unchanged: skipped on the next run, seeds and all.
    const Run again = run_grader("batch " + (course / "class").string() + " --spec " + spec + " " +
                                 kLimit + " --quiet --gradebook " + gb);
    BOOST_TEST(again.out.find("unchanged and skipped 2") != std::string::npos, again.out);
}

BOOST_AUTO_TEST_CASE(bad_input_exits_two_with_a_sentence) {
    Class& c = the_class();
    const std::string gb = c.path("newer.sqlite");
    fs::copy_file(graded_once(), gb);
    sqlite3* db = nullptr;
    sqlite3_open(gb.c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 3", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const Run b = run_grader(batch_command(gb));
    BOOST_TEST(b.status == 2);
    BOOST_TEST(b.out.find("was written by a newer grader (gradebook schema 3") !=
               std::string::npos);
    BOOST_TEST(run_grader("export --gradebook " + gb).status == 2);
    const Run none = run_grader("batch " + (c.root / "nothing_here").string() + " --spec " + kSpec +
                                " --gradebook " + c.path("none.sqlite"));
    BOOST_TEST(none.status == 1);
    BOOST_TEST(none.out.find("does not exist") != std::string::npos);
    fs::create_directories(c.root / "empty_class");
    const Run empty = run_grader("batch " + (c.root / "empty_class").string() + " --spec " + kSpec +
                                 " --gradebook " + c.path("none.sqlite"));
    BOOST_TEST(empty.status == 2);
    BOOST_TEST(empty.out.find("no submissions found in") != std::string::npos);
    std::ofstream(c.path("noid.csv")) << "name,email\nJo,jo@uni.example\n";
    const Run roster =
        run_grader(batch_command(c.path("r.sqlite"), "--roster " + c.path("noid.csv")));
    BOOST_TEST(roster.status == 2);
    BOOST_TEST(roster.out.find("the roster's first line must name its columns") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
