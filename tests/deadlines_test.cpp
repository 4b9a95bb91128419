// Deadlines, extensions, late penalties and adjustments by hand, end to end through the grader's
// commands: a Blackboard download whose submission times are in its file names, graded with a due
// date, a grace period, 10% per started day, a cap, a cutoff and one extension; then an
// adjustment that changes the exported total, shows in `grader history` and survives a forced
// batch and an applied regrade. And each other source of a submission time: Gradescope's
// created_at, Canvas's LATE, Moodle's worksheet, a plain folder's file times.
#define BOOST_TEST_MODULE deadlines
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "grader/csv/csv.hpp"
#include "tests/class_files.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using test_support::library;
using test_support::put;
using test_support::put_library;
using test_support::Run;
using test_support::run_grader;

namespace {

const std::string kSpec = std::string(PROJECT_ROOT) + "/exercises.yaml";
const std::string kLimit = " --time-limit 1 --jobs 2";

fs::path fresh(const std::string& name) {
    const fs::path dir = test_support::temp_dir() / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// The gradebook's CSV export as id -> column -> cell.
std::map<std::string, std::map<std::string, std::string>> exported(const std::string& gradebook) {
    const Run r = run_grader("export --gradebook " + gradebook);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    const auto rows = grader::csv::parse(r.out, "export.csv");
    std::map<std::string, std::map<std::string, std::string>> out;
    for (std::size_t i = 1; i < rows.size(); ++i)
        for (std::size_t c = 0; c < rows[0].fields.size() && c < rows[i].fields.size(); ++c)
            out[rows[i].fields[0]][rows[0].fields[c]] = rows[i].fields[c];
    return out;
}

double number(const std::string& text) {
    return std::stod(text);
}

// Blackboard's name of a student's library submitted at `stamp` (its local time).
std::string blackboard(const std::string& user, const std::string& stamp) {
    return "KL Lab_" + user + "_attempt_" + stamp + "_libsolution.so";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_blackboard_class_with_a_due_date_a_penalty_and_an_extension) {
    const fs::path dir = fresh("blackboard");
    const fs::path download = dir / "download";
    // Due 2026-12-01T23:59:00Z, grace 15 min, 10% per started day, capped at 25%, cutoff three
    // days later. Every student hands in the same partial library, so every raw score is equal.
    const std::map<std::string, std::string> stamps = {
        {"ann", "2026-12-01-23-59-00"},  // exactly on time
        {"dan", "2026-12-02-00-13-00"},  // 14 min late: inside the grace period
        {"gus", "2026-12-02-00-14-01"},  // grace + 1 s: a day's penalty, counted from the due date
        {"bob", "2026-12-02-10-11-00"},  // 10 h 12 min late
        {"cat", "2026-12-02-10-11-00"},  // the same, with an extension
        {"eve", "2026-12-04-12-00-00"},  // 3 started days: 30%, capped at 25%
        {"fay", "2026-12-05-00-00-00"},  // past the cutoff: scored 0
    };
    for (const auto& [user, stamp] : stamps)
        put_library(download / blackboard(user, stamp), "partial_ex1_only");
    put(dir / "extensions.csv", "id,due\ncat,2026-12-03T23:59:00Z\n");
    const std::string gb = (dir / "gb.sqlite").string();
    const std::string batch = "batch " + download.string() + " --spec " + kSpec + kLimit +
                              " --gradebook " + gb + " --out " + (dir / "reports").string() +
                              " --format text";
    const std::string policy =
        " --due 2026-12-01T23:59:00Z --grace 15m --late-penalty 10%/day --late-cap 25%"
        " --cutoff 2026-12-04T23:59:00Z --extensions " +
        (dir / "extensions.csv").string();
    Run r = run_grader(batch + policy);
    BOOST_TEST_MESSAGE(r.out);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("late policy recorded: due 2026-12-01T23:59:00Z") != std::string::npos);
    BOOST_TEST(r.out.find("extensions recorded: 1 student") != std::string::npos);

    auto rows = exported(gb);
    const double raw = number(rows.at("ann").at("raw_total"));
    BOOST_REQUIRE(raw > 0);
    auto total = [&](const std::string& id) { return number(rows.at(id).at("total")); };
    const auto tol = boost::test_tools::tolerance(0.006);  // two decimals
    BOOST_TEST(total("ann") == raw, tol);
    BOOST_TEST(rows.at("ann").at("late_status") == "on_time");
    BOOST_TEST(total("dan") == raw, tol);
    BOOST_TEST(rows.at("dan").at("late_status") == "grace");
    BOOST_TEST(total("gus") == raw * 0.9, tol);
    BOOST_TEST(total("bob") == raw * 0.9, tol);
    BOOST_TEST(number(rows.at("bob").at("late_penalty")) == raw * 0.1, tol);
    BOOST_TEST(rows.at("bob").at("late_by") == "10 h 12 min");
    BOOST_TEST(rows.at("bob").at("submitted_at") == "2026-12-02T10:11:00Z");
    BOOST_TEST(total("cat") == raw, tol);
    BOOST_TEST(total("eve") == raw * 0.75, tol);
    BOOST_TEST(total("fay") == 0.0);
    BOOST_TEST(rows.at("fay").at("late_status") == "past_cutoff");
    for (const auto& [id, row] : rows)
        if (id != "max_points") BOOST_TEST(number(row.at("raw_total")) == raw, id);

    // The student's own report says it, in words and in the JSON.
    std::ifstream text(dir / "reports" / "bob.txt");
    const std::string bob_text((std::istreambuf_iterator<char>(text)), {});
    BOOST_TEST(bob_text.find("Late: submitted 10 h 12 min after the due date: -10%") !=
               std::string::npos);
    std::ifstream json(dir / "reports" / "bob.json");
    const auto bob_json = nlohmann::json::parse(json);
    BOOST_TEST(bob_json.at("late").at("status") == "late");
    BOOST_TEST(bob_json.at("late").at("submitted_source") == "blackboard");
    BOOST_TEST(bob_json.at("score").get<double>() == raw);  // the measured score stays the score

    // An adjustment by hand changes the exported total, with its reason in the history.
    r = run_grader("adjust bob --points -2 --reason \"copied the header comment\" --gradebook " +
                   gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Adjustment #1 for bob") != std::string::npos, r.out);
    r = run_grader("adjust bob --points 1 --gradebook " + gb);
    BOOST_TEST(r.status == 2, r.out);  // no reason: refused
    BOOST_TEST(r.out.find("--reason") != std::string::npos, r.out);
    rows = exported(gb);
    BOOST_TEST(total("bob") == raw * 0.9 - 2, tol);
    BOOST_TEST(number(rows.at("bob").at("adjustment")) == -2.0);
    r = run_grader("history bob --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("adjustment #1 by ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("\"copied the header comment\"") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("late policy set by ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("submitted 2026-12-02T10:11:00Z (blackboard)") != std::string::npos,
               r.out);

    // The feedback a student receives closes with the final grade, adjustment included.
    r = run_grader("feedback --format dir --reports " + (dir / "reports").string() + " -o " +
                   (dir / "feedback").string() + " --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    std::ifstream feedback(dir / "feedback" / "bob.txt");
    const std::string bob_feedback((std::istreambuf_iterator<char>(feedback)), {});
    BOOST_TEST(bob_feedback.find("Final grade: ") != std::string::npos, bob_feedback);
    BOOST_TEST(bob_feedback.find("(adjusted by hand: -2)") != std::string::npos, bob_feedback);

    // It survives a forced batch (without the policy options: the gradebook keeps them) ...
    r = run_grader(batch + " --force");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    rows = exported(gb);
    BOOST_TEST(total("bob") == raw * 0.9 - 2, tol);
    BOOST_TEST(total("cat") == raw, tol);
    // ... and an applied regrade, which keeps each submission's time.
    r = run_grader("regrade --spec " + kSpec + " --time-limit 1 --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    r = run_grader("regrade --apply --spec " + kSpec + " --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    rows = exported(gb);
    BOOST_TEST(total("bob") == raw * 0.9 - 2, tol);
    BOOST_TEST(rows.at("bob").at("submitted_at") == "2026-12-02T10:11:00Z");
    BOOST_TEST(total("fay") == 0.0);

    // The LMS formats carry the final total.
    r = run_grader("export --format canvas --assignment \"KL Lab\" --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    const auto canvas = grader::csv::parse(r.out, "canvas.csv");
    bool found = false;
    for (const auto& row : canvas)
        if (row.fields.size() > 5 && row.fields[1] == "bob") {
            found = true;
            BOOST_TEST(number(row.fields[5]) == raw * 0.9 - 2, tol);
        }
    BOOST_TEST(found);
    // And the class summary shows who was late and who was adjusted.
    r = run_grader("summary --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Late: ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("bob (10 h 12 min late") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Adjusted by hand: bob") != std::string::npos, r.out);
    // The class page's percentage is of the final grade, as the CSV's is: fay, graded but past
    // the cutoff, is at 0%.
    const std::string page = (dir / "class.html").string();
    r = run_grader("summary --html " + page + " --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    std::ifstream page_in(page);
    const std::string html((std::istreambuf_iterator<char>(page_in)), {});
    const std::size_t fay = html.find("data-student=\"fay\"");
    BOOST_REQUIRE(fay != std::string::npos);
    const std::string fay_row = html.substr(fay, html.find("</tr>", fay) - fay);
    BOOST_TEST(fay_row.find(">0%<") != std::string::npos, fay_row);

    // A case adjusted by hand shows in the long export with its new points, the graded ones
    // beside them.
    r = run_grader("export --format long --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    std::string adjusted_case, graded_points;
    for (const auto& row : grader::csv::parse(r.out, "long.csv"))
        if (row.fields.size() == 7 && row.fields[0] == "bob" && row.fields[4] != "0" &&
            row.fields[4] != "points") {
            adjusted_case = row.fields[1] + "/" + row.fields[2];
            graded_points = row.fields[4];
            break;
        }
    BOOST_REQUIRE(!adjusted_case.empty());
    r = run_grader("adjust bob --case " + adjusted_case +
                   " --points 0 --reason \"the same code as another's\" --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    r = run_grader("export --format long --gradebook " + gb);
    bool shown = false;
    for (const auto& row : grader::csv::parse(r.out, "long.csv"))
        if (row.fields.size() == 7 && row.fields[0] == "bob" &&
            row.fields[1] + "/" + row.fields[2] == adjusted_case) {
            shown = true;
            BOOST_TEST(row.fields[4] == "0");
            BOOST_TEST(row.fields[6] == graded_points);
        }
    BOOST_TEST(shown);
    r = run_grader("adjust bob --undo 2 --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);

    // Undo: the total is back, the history keeps both.
    r = run_grader("adjust bob --undo 1 --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    rows = exported(gb);
    BOOST_TEST(total("bob") == raw * 0.9, tol);
    r = run_grader("history bob --gradebook " + gb);
    BOOST_TEST(r.out.find("adjustment #1 undone by ") != std::string::npos, r.out);

    // The policy ended: lateness no longer counts, and the history keeps both.
    r = run_grader(batch + " --no-late-policy --due 2026-12-01T23:59:00Z");
    BOOST_TEST(r.status == 2, r.out);
    BOOST_TEST(r.out.find("--no-late-policy ends the late policy") != std::string::npos, r.out);
    r = run_grader(batch + " --no-late-policy");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("late policy ended") != std::string::npos, r.out);
    rows = exported(gb);
    BOOST_TEST(total("bob") == raw, tol);
    BOOST_TEST(total("fay") == raw, tol);
    BOOST_TEST(rows.at("bob").at("late_status") == "");
    r = run_grader("history bob --gradebook " + gb);
    BOOST_TEST(r.out.find("late policy set by ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("late policy ended by ") != std::string::npos, r.out);
    // Ending it again records nothing.
    r = run_grader(batch + " --no-late-policy");
    BOOST_TEST(r.out.find("late policy ended") == std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(wrong_deadline_settings_are_refused_before_grading) {
    const fs::path dir = fresh("wrong");
    put_library(dir / "class" / "ann.so", "partial_ex1_only");
    const std::string batch = "batch " + (dir / "class").string() + " --spec " + kSpec +
                              " --gradebook " + (dir / "gb.sqlite").string() + " ";
    Run r = run_grader(batch + "--due 2026-12-01T23:59:00");
    BOOST_TEST(r.status == 2);
    BOOST_TEST(
        r.out.find("--due: '2026-12-01T23:59:00' is not a date and time") != std::string::npos,
        r.out);
    r = run_grader(batch + "--late-penalty 10%/day");
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out.find("--late-penalty needs a due date") != std::string::npos, r.out);
    r = run_grader(batch + "--due 2026-12-01T23:59:00Z --cutoff 2026-11-30T00:00:00Z");
    BOOST_TEST(r.out.find("must come after the due date") != std::string::npos, r.out);
    r = run_grader(batch + "--due 2026-12-01T23:59:00Z --timezone Mars/Olympus");
    BOOST_TEST(r.out.find("no time zone this machine knows") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(dir / "gb.sqlite"));  // nothing graded, nothing recorded
}

BOOST_AUTO_TEST_CASE(each_source_of_a_submission_time) {
    const fs::path dir = fresh("sources");
    const std::string common = " --spec " + kSpec + kLimit +
                               " --due 2026-12-01T23:59:00Z "
                               "--late-penalty 10%/day --gradebook ";
    // Gradescope: created_at with its offset (-08:00): 16:30 local is 00:30Z the next day.
    const fs::path gs = dir / "gradescope";
    put_library(gs / "submission_1" / "libsolution.so", "partial_ex1_only");
    put(gs / "submission_metadata.yml",
        "submission_1:\n  :submitters:\n  - :name: Sean\n    :sid: '12345'\n"
        "  :created_at: 2026-12-01 16:30:00.000000000 -08:00\n");
    Run r = run_grader("batch " + gs.string() + common + (dir / "gs.sqlite").string());
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    auto rows = exported((dir / "gs.sqlite").string());
    BOOST_TEST(rows.at("12345").at("submitted_at") == "2026-12-02T00:30:00Z");
    BOOST_TEST(rows.at("12345").at("late_status") == "late");

    // Canvas: LATE, time unknown: one period's penalty.
    const fs::path cv = dir / "canvas";
    put_library(cv / "doejane_LATE_1001_5001_libsolution.so", "partial_ex1_only");
    put_library(cv / "roesmith_1002_5002_libsolution.so", "partial_ex1_only");
    r = run_grader("batch " + cv.string() + common + (dir / "cv.sqlite").string());
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    rows = exported((dir / "cv.sqlite").string());
    const double raw = number(rows.at("1001").at("raw_total"));
    BOOST_TEST(rows.at("1001").at("late_status") == "late_unknown");
    BOOST_TEST(number(rows.at("1001").at("total")) == raw * 0.9,
               boost::test_tools::tolerance(0.006));
    BOOST_TEST(rows.at("1002").at("late_status") == "time_unknown");
    BOOST_TEST(number(rows.at("1002").at("total")) == raw);

    // Moodle: the worksheet's "Last modified (submission)", in the site's zone (Paris: UTC+1).
    const fs::path md = dir / "moodle";
    put_library(md / "download" / "Jane Doe_880101_assignsubmission_file" / "libsolution.so",
                "partial_ex1_only");
    put(md / "worksheet.csv",
        "Identifier,Full name,Email address,Status,Grade,Maximum grade,Last modified "
        "(submission),Feedback comments\n"
        "Participant 880101,Jane Doe,jane@example.edu,Submitted,,100.00,\"Wednesday, 2 "
        "December 2026, 2:30 AM\",\n");
    r = run_grader("batch " + (md / "download").string() + common + (dir / "md.sqlite").string() +
                   " --roster " + (md / "worksheet.csv").string() + " --timezone Europe/Paris");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    rows = exported((dir / "md.sqlite").string());
    BOOST_TEST(rows.at("880101").at("submitted_at") == "2026-12-02T01:30:00Z");
    BOOST_TEST(rows.at("880101").at("late_by") == "1 h 31 min");

    // A plain folder: the file's time, with a warning that it proves nothing.
    const fs::path plain = dir / "plain";
    put_library(plain / "ann.so", "partial_ex1_only");
    r = run_grader("batch " + plain.string() + common + (dir / "plain.sqlite").string());
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("warning: the submission time of 1 submission is the file's "
                          "modification time") != std::string::npos,
               r.out);
    rows = exported((dir / "plain.sqlite").string());
    BOOST_TEST(!rows.at("ann").at("submitted_at").empty());
    BOOST_TEST(rows.at("ann").at("late_status") == "late");  // written today, after the due date
}

// `-o /dev/null` once replaced the device with a file (the export is written beside its target
// and renamed over it): a pipe stands for every special file here.
BOOST_AUTO_TEST_CASE(exports_into_a_pipe_leave_the_pipe_a_pipe) {
    const fs::path dir = fresh("pipe");
    put_library(dir / "class" / "ann.so", "partial_ex1_only");
    const std::string gb = (dir / "gb.sqlite").string();
    Run r = run_grader("batch " + (dir / "class").string() + " --spec " + kSpec + kLimit +
                       " --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    const fs::path pipe = dir / "pipe";
    BOOST_REQUIRE(test_support::shell("mkfifo " + pipe.string()).status == 0);
    for (const char* command : {"export -o ", "summary --html "}) {
        r = test_support::shell("cat " + pipe.string() + " > " + (dir / "read").string() + " & " +
                                GRADER_EXE + " " + command + pipe.string() + " --gradebook " + gb +
                                "; wait");
        BOOST_TEST(r.status == 0, command << r.out);
        BOOST_TEST(fs::is_fifo(pipe), command);
        BOOST_TEST(fs::file_size(dir / "read") > 0u, command);
    }
}

BOOST_AUTO_TEST_CASE(a_due_column_in_the_roster_is_an_extension) {
    const fs::path dir = fresh("roster_due");
    put_library(dir / "download" / blackboard("ann", "2026-12-02-10-00-00"), "partial_ex1_only");
    put_library(dir / "download" / blackboard("bob", "2026-12-02-10-00-00"), "partial_ex1_only");
    put(dir / "roster.csv", "id,name,due\nann,Ann,2026-12-02T23:59:00Z\nbob,Bob,\n");
    const std::string gb = (dir / "gb.sqlite").string();
    // bob's empty due is an error, with its line...
    Run r = run_grader("batch " + (dir / "download").string() + " --spec " + kSpec + kLimit +
                       " --gradebook " + gb + " --roster " + (dir / "roster.csv").string() +
                       " --due 2026-12-01T23:59:00Z --late-penalty 10%/day");
    BOOST_TEST(r.status == 2, r.out);
    BOOST_TEST(r.out.find("roster.csv:3") != std::string::npos, r.out);
    put(dir / "roster.csv", "id,name,due\nann,Ann,2026-12-02T23:59:00Z\n");
    r = run_grader("batch " + (dir / "download").string() + " --spec " + kSpec + kLimit +
                   " --gradebook " + gb + " --roster " + (dir / "roster.csv").string() +
                   " --due 2026-12-01T23:59:00Z --late-penalty 10%/day");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    const auto rows = exported(gb);
    BOOST_TEST(rows.at("ann").at("late_status") == "on_time");
    BOOST_TEST(rows.at("bob").at("late_status") == "late");
}

BOOST_AUTO_TEST_CASE(the_course_file_beside_the_spec_sets_the_deadline) {
    const fs::path dir = fresh("course");
    fs::copy_file(kSpec, dir / "exercises.yaml");
    put(dir / "course.yaml", "due: 2026-12-01T23:59:00+01:00\nlate_penalty: 5pt/day\n");
    put_library(dir / "download" / blackboard("ann", "2026-12-02-00-30-00"), "partial_ex1_only");
    const std::string gb = (dir / "gb.sqlite").string();
    Run r = run_grader("batch " + (dir / "download").string() + " --spec " +
                       (dir / "exercises.yaml").string() + kLimit + " --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(
        r.out.find("late policy recorded: due 2026-12-01T22:59:00Z, 5pt/day") != std::string::npos,
        r.out);
    const auto rows = exported(gb);
    BOOST_TEST(number(rows.at("ann").at("late_penalty")) == 5.0);
    put(dir / "course.yaml", "due: tomorrow\n");
    r = run_grader("batch " + (dir / "download").string() + " --spec " +
                   (dir / "exercises.yaml").string() + " --gradebook " + gb);
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out.find("course.yaml:1: 'tomorrow' is not a date and time") != std::string::npos,
               r.out);
}
