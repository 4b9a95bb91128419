// Deadlines and late penalties (grader/policy/): instants as instructors write them, and the
// penalty at each of its boundaries.
#define BOOST_TEST_MODULE policy
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "grader/error.hpp"
#include "grader/policy/course_file.hpp"
#include "grader/policy/extensions.hpp"
#include "grader/policy/instant.hpp"
#include "grader/policy/late_policy.hpp"
#include "grader/policy/local_time.hpp"
#include "temp_dir.hpp"

using namespace grader;
using namespace grader::policy;
using namespace std::chrono;

namespace {

Instant at(const char* iso) {
    return parse_instant(iso, "test");
}

// The message of the Error `f` throws, or "" when it throws none.
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

LatePolicy ten_percent_a_day() {
    LatePolicy p;
    p.due = at("2026-12-01T23:59:00Z");
    p.grace = minutes{15};
    p.penalty = parse_penalty("10%/day", "--late-penalty");
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(instants)

BOOST_AUTO_TEST_CASE(offsets_are_applied_and_written_back_in_utc) {
    BOOST_TEST(format_instant(at("2026-12-01T23:59:00Z")) == "2026-12-01T23:59:00Z");
    BOOST_TEST(format_instant(at("2026-12-02T00:59:00+01:00")) == "2026-12-01T23:59:00Z");
    BOOST_TEST(format_instant(at("2026-12-01T18:59-0500")) == "2026-12-01T23:59:00Z");
    BOOST_TEST(format_instant(at("2026-12-02 05:29:00.750+05:30")) == "2026-12-01T23:59:00Z");
    BOOST_TEST(format_instant(at("2026-12-01T24:00:00+00")) == "2026-12-02T00:00:00Z");
    BOOST_TEST(format_instant(at("2024-02-29T12:00:00Z")) == "2024-02-29T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(an_instant_without_an_offset_is_refused_with_the_fix) {
    const std::string e = error_of([] { parse_instant("2026-12-01T23:59:00", "--due"); });
    BOOST_TEST(contains(e, "--due: '2026-12-01T23:59:00'"));
    BOOST_TEST(contains(e, "no offset from UTC"));
    BOOST_TEST(contains(e, "2026-12-01T23:59:00Z"));
}

BOOST_AUTO_TEST_CASE(impossible_dates_and_times_are_refused) {
    for (const char* bad : {"2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-01T25:00:00Z",
                            "2026-12-01T10:60:00Z", "2026-12-01", "01/12/2026 10:00",
                            "2026-12-01T10:00:00+25:00", "2026-12-01T10:00:00Zjunk", ""})
        BOOST_TEST(!error_of([&] { parse_instant(bad, "--due"); }).empty(), bad);
}

BOOST_AUTO_TEST_CASE(spans_read_and_read_back) {
    BOOST_TEST(parse_span("15m", "--grace").count() == 900);
    BOOST_TEST(parse_span("1h30m", "--grace").count() == 5400);
    BOOST_TEST(parse_span("2d", "--grace").count() == 172800);
    BOOST_TEST(parse_span("0", "--grace").count() == 0);
    BOOST_TEST(contains(error_of([] { parse_span("15", "--grace"); }), "a number without a unit"));
    BOOST_TEST(contains(error_of([] { parse_span("15x", "--grace"); }), "unknown unit 'x'"));
    BOOST_TEST(describe_span(seconds{45}) == "45 s");
    BOOST_TEST(describe_span(hours{10} + minutes{12}) == "10 h 12 min");
    BOOST_TEST(describe_span(hours{50}) == "2 days 2 h");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(late_penalties)

BOOST_AUTO_TEST_CASE(exactly_on_time_costs_nothing) {
    const auto p = ten_percent_a_day();
    const auto o = apply(p, p.due, {at("2026-12-01T23:59:00Z"), false}, 80);
    BOOST_TEST(static_cast<int>(o.status) == static_cast<int>(LateOutcome::Status::OnTime));
    BOOST_TEST(o.final_score == 80.0);
    BOOST_TEST(describe(p, o).empty());
}

BOOST_AUTO_TEST_CASE(inside_the_grace_period_costs_nothing_and_says_so) {
    const auto p = ten_percent_a_day();
    const auto o = apply(p, p.due, {at("2026-12-02T00:14:00Z"), false}, 80);
    BOOST_TEST(static_cast<int>(o.status) == static_cast<int>(LateOutcome::Status::WithinGrace));
    BOOST_TEST(o.penalty == 0.0);
    BOOST_TEST(contains(describe(p, o), "15 min after the due date, within the grace period"));
    // The last second of the grace period.
    BOOST_TEST(apply(p, p.due, {p.due + minutes{15}, false}, 80).penalty == 0.0);
}

BOOST_AUTO_TEST_CASE(one_second_past_the_grace_is_a_started_day) {
    const auto p = ten_percent_a_day();
    const auto o = apply(p, p.due, {p.due + minutes{15} + seconds{1}, false}, 80);
    BOOST_TEST(static_cast<int>(o.status) == static_cast<int>(LateOutcome::Status::Late));
    BOOST_TEST(o.periods == 1);
    BOOST_TEST(o.penalty == 8.0);
    BOOST_TEST(o.final_score == 72.0);
    BOOST_TEST(contains(describe(p, o), "after the due date: -10% (-8 points)"));
}

BOOST_AUTO_TEST_CASE(days_are_counted_from_the_due_date_started_ones_in_full) {
    const auto p = ten_percent_a_day();
    BOOST_TEST(apply(p, p.due, {p.due + hours{24}, false}, 80).periods == 1);
    BOOST_TEST(apply(p, p.due, {p.due + hours{24} + seconds{1}, false}, 80).periods == 2);
    const auto o = apply(p, p.due, {p.due + hours{10} + minutes{12}, false}, 50);
    BOOST_TEST(o.penalty == 5.0);
    BOOST_TEST(contains(describe(p, o), "submitted 10 h 12 min after the due date"));
}

BOOST_AUTO_TEST_CASE(the_cap_bounds_the_penalty_and_the_score_stays_above_zero) {
    auto p = ten_percent_a_day();
    p.cap = parse_cap("50%", "--late-cap");
    const auto o = apply(p, p.due, {p.due + hours{24 * 9}, false}, 80);
    BOOST_TEST(o.periods == 9);
    BOOST_TEST(o.penalty == 40.0);
    BOOST_TEST(contains(describe(p, o), "capped at 50%"));
    LatePolicy points = ten_percent_a_day();
    points.penalty = parse_penalty("5pt/day", "--late-penalty");
    BOOST_TEST(apply(points, points.due, {points.due + hours{24 * 30}, false}, 12).final_score ==
               0.0);
    points.cap = parse_cap("7pt", "--late-cap");
    BOOST_TEST(apply(points, points.due, {points.due + hours{24 * 30}, false}, 12).penalty == 7.0);
}

BOOST_AUTO_TEST_CASE(past_the_cutoff_scores_zero_and_the_cutoff_moves_with_an_extension) {
    auto p = ten_percent_a_day();
    p.cutoff = at("2026-12-03T23:59:00Z");
    const auto last = apply(p, p.due, {at("2026-12-03T23:59:00Z"), false}, 80);
    BOOST_TEST(static_cast<int>(last.status) == static_cast<int>(LateOutcome::Status::Late));
    const auto o = apply(p, p.due, {at("2026-12-03T23:59:01Z"), false}, 80);
    BOOST_TEST(static_cast<int>(o.status) == static_cast<int>(LateOutcome::Status::PastCutoff));
    BOOST_TEST(o.final_score == 0.0);
    BOOST_TEST(contains(describe(p, o), "past the cutoff: scored 0"));
    // Two days' extension: the same time is one day late for this student, and before the cutoff.
    const auto extended = apply(p, p.due + hours{48}, {at("2026-12-03T23:59:01Z"), false}, 80);
    BOOST_TEST(static_cast<int>(extended.status) ==
               static_cast<int>(LateOutcome::Status::WithinGrace));
}

BOOST_AUTO_TEST_CASE(late_at_an_unknown_time_pays_one_period) {
    const auto p = ten_percent_a_day();
    const auto o = apply(p, p.due, {std::nullopt, true}, 80);
    BOOST_TEST(o.penalty == 8.0);
    BOOST_TEST(contains(describe(p, o), "marked late by the LMS"));
    BOOST_TEST(apply(p, p.due, {std::nullopt, false}, 80).penalty == 0.0);
}

BOOST_AUTO_TEST_CASE(hourly_and_point_penalties) {
    LatePolicy p;
    p.due = at("2026-12-01T12:00:00Z");
    p.penalty = parse_penalty("2%/hour", "--late-penalty");
    BOOST_TEST(apply(p, p.due, {p.due + minutes{61}, false}, 100).penalty == 4.0);
    BOOST_TEST(parse_penalty("0.5pts/h", "x").amount.value == 0.5);
    BOOST_TEST(parse_penalty("25%/week", "x").period.count() == 7 * 86400);
    BOOST_TEST(
        contains(error_of([] { parse_penalty("10%", "--late-penalty"); }), "names no period"));
    BOOST_TEST(contains(error_of([] { parse_penalty("10/day", "--late-penalty"); }), "no unit"));
    BOOST_TEST(contains(error_of([] { parse_penalty("150%/day", "--late-penalty"); }),
                        "more than the whole"));
    BOOST_TEST(contains(error_of([] { parse_cap("-5pt", "--late-cap"); }), "non-negative"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(extensions)

BOOST_AUTO_TEST_CASE(a_due_date_per_student_from_any_csv_with_id_and_due) {
    const auto path = test_support::temp_dir() / "extensions.csv";
    std::ofstream(path) << "\xEF\xBB\xBFname,ID,Due\r\n\"O'Neil, "
                           "Jo\",s1,2026-12-03T23:59:00+01:00\r\nBo,s2, 2026-12-04T10:00:00Z \r\n";
    const auto due = read_extensions(path.string());
    BOOST_TEST(due.size() == 2u);
    BOOST_TEST(format_instant(due.at("s1")) == "2026-12-03T22:59:00Z");
    BOOST_TEST(format_instant(due.at("s2")) == "2026-12-04T10:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_bad_row_is_named_by_file_and_line) {
    const auto path = test_support::temp_dir() / "bad.csv";
    std::ofstream(path) << "id,due\ns1,2026-12-03T23:59:00Z\ns2,tomorrow\n";
    BOOST_TEST(
        contains(error_of([&] { read_extensions(path.string()); }), "bad.csv:3: 'tomorrow'"));
    std::ofstream(path) << "id,due\ns1,2026-12-03T23:59:00Z\ns1,2026-12-04T23:59:00Z\n";
    BOOST_TEST(contains(error_of([&] { read_extensions(path.string()); }),
                        "bad.csv:3: the student 's1' is listed twice"));
    std::ofstream(path) << "student,deadline\ns1,2026-12-03T23:59:00Z\n";
    BOOST_TEST(contains(error_of([&] { read_extensions(path.string()); }),
                        "bad.csv:1: the header names no 'id' and 'due'"));
}

// Submission times as each LMS writes them.
BOOST_AUTO_TEST_CASE(lms_times_are_read_in_the_lms_zone) {
    // Blackboard's stamp is the LMS's local time: Paris is UTC+1 in December, UTC+2 in July.
    BOOST_TEST(format_instant(*blackboard_stamp("2026-12-02-10-11-00", "UTC")) ==
               "2026-12-02T10:11:00Z");
    BOOST_TEST(format_instant(*blackboard_stamp("2026-12-02-10-11-00", "Europe/Paris")) ==
               "2026-12-02T09:11:00Z");
    BOOST_TEST(format_instant(*blackboard_stamp("2026-07-02-10-11-00", "Europe/Paris")) ==
               "2026-07-02T08:11:00Z");
    BOOST_TEST(!blackboard_stamp("2026-12-02", "UTC"));
    BOOST_TEST(format_instant(*moodle_date("Tuesday, 1 December 2026, 11:59 PM", "UTC")) ==
               "2026-12-01T23:59:00Z");
    BOOST_TEST(format_instant(*moodle_date("Tuesday, 1 December 2026, 11:59 PM",
                                           "America/New_York")) == "2026-12-02T04:59:00Z");
    BOOST_TEST(!moodle_date("-", "UTC"));
    // A Moodle site in another language writes its own day and month names and a 24-hour clock.
    for (const char* date :
         {"lundi 1 décembre 2026, 23:59", "Montag, 1. Dezember 2026, 23:59",
          "martes, 1 de diciembre de 2026, 23:59", "martedì, 1 dicembre 2026, 23:59",
          "terça-feira, 1 de dezembro de 2026, 23:59", "dinsdag, 1 december 2026, 23:59",
          "Tuesday, 1 December 2026, 11:59 PM", "Tuesday, 1 December 2026, 11:59:00 PM"})
        BOOST_TEST(format_instant(*moodle_date(date, "UTC")) == "2026-12-01T23:59:00Z", date);
    BOOST_TEST(format_instant(*moodle_date("zaterdag, 7 maart 2026, 00:05", "UTC")) ==
               "2026-03-07T00:05:00Z");
    BOOST_TEST(format_instant(*moodle_date("samedi 7 mars 2026, 00:05", "Europe/Paris")) ==
               "2026-03-06T23:05:00Z");
    BOOST_TEST(format_instant(*moodle_date("Friday, 6 March 2026, 12:05 AM", "UTC")) ==
               "2026-03-06T00:05:00Z");
    BOOST_TEST(format_instant(*moodle_date("Friday, 6 March 2026, 12:05 PM", "UTC")) ==
               "2026-03-06T12:05:00Z");
    // Not dates: a part missing, twice, or out of range.
    for (const char* not_date :
         {"1 décembre 2026", "décembre 2026, 23:59", "1 December December 2026, 23:59",
          "1 2 December 2026, 23:59", "1 December 2026, 25:00", "1 December 2026, 13:00 PM",
          "1 December 2026, 23:5", "32 December 2026, 23:59", "1 Frimaire 2026, 23:59"})
        BOOST_TEST(!moodle_date(not_date, "UTC"), not_date);
    BOOST_TEST(format_instant(*gradescope_time("2026-12-01 10:00:00.123456000 -08:00")) ==
               "2026-12-01T18:00:00Z");
    BOOST_TEST(format_instant(*gradescope_time("2026-12-01 18:00:00 UTC")) ==
               "2026-12-01T18:00:00Z");
    BOOST_TEST(!gradescope_time("yesterday"));
    // The zone is the process's own again afterwards.
    BOOST_TEST(std::getenv("TZ") == nullptr);
    BOOST_TEST(contains(error_of([] { check_zone("Mars/Olympus", "--timezone"); }),
                        "--timezone: 'Mars/Olympus' is no time zone this machine knows"));
    BOOST_TEST(error_of([] { check_zone("Europe/Paris", "--timezone"); }).empty());
}

BOOST_AUTO_TEST_CASE(the_course_file_names_its_line_and_flags_win) {
    const auto dir = test_support::temp_dir() / "course";
    std::filesystem::create_directories(dir);
    const auto path = (dir / "course.yaml").string();
    std::ofstream(path) << "due: 2026-12-01T23:59:00+01:00\nlate_penalty: 10%/day\n"
                           "extensions: ext.csv\n";
    const DeadlineSettings file = read_course_file(path);
    BOOST_TEST(*file.due == "2026-12-01T23:59:00+01:00");
    BOOST_TEST(file.due_from == path + ":1");
    BOOST_TEST(*file.extensions == (dir / "ext.csv").string());
    BOOST_TEST(*find_course_file((dir / "exercises.yaml").string()) == path);
    DeadlineSettings flags;
    flags.due = "2026-12-02T23:59:00Z";
    const DeadlineSettings both = merge(flags, file);
    BOOST_TEST(*both.due == "2026-12-02T23:59:00Z");
    BOOST_TEST(both.due_from == "--due");
    BOOST_TEST(*both.late_penalty == "10%/day");
    std::ofstream(path) << "due: 2026-12-01T23:59:00Z\nlate: 10%/day\n";
    BOOST_TEST(contains(error_of([&] { read_course_file(path); }),
                        path + ":2: unknown setting \"late\"; a course file knows due, grace"));
}

BOOST_AUTO_TEST_SUITE_END()
