// A class as each LMS gives it for download, graded end to end through `grader batch` from the
// folder and from the zip, with no renaming: Canvas, Moodle, Blackboard and Gradescope, each with
// its own roster export (names with accents, apostrophes, commas and underscores; LATE,
// anonymous and blind-marking names; two Blackboard attempts; a stray README). Every student's
// total must equal a lone `grade` of their library, and the grades must go back in each LMS's
// import format, read back here with the CSV parser.
#define BOOST_TEST_MODULE lms_class
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "grader/csv/csv.hpp"
#include "grader/gradebook/gradebook.hpp"
#include "tests/class_files.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"
#include "tests/zip_writer.hpp"

namespace fs = std::filesystem;
using test_support::library;
using test_support::put;
using test_support::put_library;
using test_support::Run;
using test_support::run_grader;

namespace {

const std::string kSpec = std::string(PROJECT_ROOT) + "/exercises.yaml";
const std::string kLimit = "--time-limit 1";

// The total of a fixture graded alone, once.
int lone(const std::string& fixture) {
    static std::map<std::string, int> totals;
    if (const auto it = totals.find(fixture); it != totals.end()) return it->second;
    const Run r =
        run_grader("grade " + library(fixture) + " --spec " + kSpec + " --format json " + kLimit);
    BOOST_REQUIRE_MESSAGE(r.status == 0 || r.status == 1, fixture + ": " + r.out);
    return totals[fixture] = nlohmann::json::parse(r.out).at("score").get<int>();
}

int max_points() {
    static const int max = [] {
        const Run r = run_grader("grade " + library("good_c") + " --spec " + kSpec +
                                 " --format json " + kLimit);
        return nlohmann::json::parse(r.out).at("max_score").get<int>();
    }();
    return max;
}

// One LMS's class: its download (a folder, zipped too), its roster export, and who should get
// which fixture's total.
struct Lms {
    std::string name;
    fs::path root, download, zip, roster;
    std::map<std::string, std::string> expected;  // student key -> fixture graded

    explicit Lms(const std::string& lms) : name(lms) {
        root = test_support::temp_dir() / ("lms_" + lms);
        fs::remove_all(root);
        download = root / "download";
        zip = root / (lms + "-submissions.zip");
        roster = root / "roster.csv";
        fs::create_directories(download);
    }
    void zip_it(const std::string& top = "") {
        auto entries = test_support::entries_of(download);
        if (!top.empty())
            for (auto& e : entries) e.name = top + "/" + e.name;
        test_support::write_zip(zip, entries);
    }
};

std::map<std::string, std::optional<int>> totals(const std::string& gradebook) {
    grader::gradebook::Gradebook book(gradebook, grader::gradebook::Access::ReadOnly);
    std::map<std::string, std::optional<int>> out;
    for (const auto& row : book.class_grades().rows)
        if (row.current) out[row.student.id] = row.current->score;
    return out;
}

// Grades the download from `input` into its own gradebook and holds every total to the lone one.
std::string grade_and_check(const Lms& lms, const fs::path& input, const std::string& tag,
                            const std::string& must_say, const std::string& extra = "") {
    const std::string gradebook = (lms.root / (tag + ".sqlite")).string();
    const Run r =
        run_grader("batch " + input.string() + " --spec " + kSpec + " --jobs 2 " + kLimit +
                   " --gradebook " + gradebook + " --roster " + lms.roster.string() + " " + extra);
    BOOST_TEST_MESSAGE(r.out);
    BOOST_TEST_INFO(lms.name + " " + tag);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find(lms.name + " download") != std::string::npos, r.out);
    BOOST_TEST(r.out.find(must_say) != std::string::npos, r.out);
    const auto got = totals(gradebook);
    BOOST_TEST(got.size() == lms.expected.size(), r.out);
    for (const auto& [key, fixture] : lms.expected) {
        BOOST_TEST_INFO(lms.name + " " + tag + " " + key + " (" + fixture + ")");
        BOOST_REQUIRE(got.count(key));
        BOOST_TEST(got.at(key).value_or(-1) == lone(fixture));
    }
    return gradebook;
}

std::vector<grader::csv::Row> exported(const std::string& args) {
    const Run r = run_grader("export " + args);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    return grader::csv::parse(r.out, "export");
}

// The batch's text report of a student: what their feedback must hold, byte for byte.
std::string report_of(const Lms& lms, const std::string& key) {
    std::ifstream in(lms.root / "reports" / (key + ".txt"), std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "no report for " + key);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Splits as PHP's explode does, with at most `limit` parts when it is given.
std::vector<std::string> split(const std::string& s, char by, std::size_t limit = 0) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != by || (limit && out.size() + 1 == limit)) continue;
        out.push_back(s.substr(start, i - start));
        start = i + 1;
    }
    out.push_back(s.substr(start));
    return out;
}

bool all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::size_t column(const grader::csv::Row& header, const std::string& title) {
    for (std::size_t i = 0; i < header.fields.size(); ++i)
        if (header.fields[i] == title) return i;
    BOOST_FAIL("no column " + title);
    return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(canvas) {
    Lms c("canvas");
    put_library(c.download / "doejane_12345_67890_libsolution.so", "good_c");
    put_library(c.download / "oneilséan_LATE_12346_67891_libsolution.so", "wrong_log2");
    put_library(c.download / "åströmñúñezzoë_12347_67892_libsolution-1.so", "partial_ex1_only");
    put_library(c.download / "anon_x7Qk2_67893_libsolution.so", "wrong_tv_no_half");
    put(c.download / "doejane_12345_67894_README.txt", "My notes.\n");
    c.expected = {{"12345", "good_c"},
                  {"12346", "wrong_log2"},
                  {"12347", "partial_ex1_only"},
                  {"anon_x7Qk2", "wrong_tv_no_half"}};
    put(c.roster,
        "\xEF\xBB\xBFStudent,ID,SIS User ID,SIS Login ID,Section,KL Lab (777)\n"
        "    Points Possible,,,,,40.00\n"
        "\"Doe, Jane\",12345,S1,jdoe,\"Sec 1, morning\",\n"
        "\"O'Neil, Séan\",12346,S2,soneil,Sec 2,\n"
        "\"Åström-Ñúñez, Zoë\",12347,S3,zastrom,Sec 2,\n"
        "\"Absent, Al\",12348,S4,aabsent,Sec 2,\n");
    c.zip_it("KL Lab submissions");
    grade_and_check(c, c.download, "folder", "not a library, not graded: doejane_12345_67894");
    const std::string gb =
        grade_and_check(c, c.zip, "zip", "late (as the LMS marked it): 12346",
                        "--out " + (c.root / "reports").string() + " --format text");
    // The zip's files stay beside the gradebook, so a regrade finds every library it recorded.
    BOOST_TEST(fs::is_directory(fs::path(gb + ".downloads")));
    const Run regrade = run_grader("regrade --gradebook " + gb + " --spec " + kSpec + " " + kLimit);
    BOOST_TEST(regrade.status == 0, regrade.out);
    BOOST_TEST(regrade.out.find("is gone") == std::string::npos, regrade.out);

    // Canvas's import: the IDs its export gave, the assignment column as it titled it.
    const auto rows =
        exported("--gradebook " + gb + " --format canvas --roster " + c.roster.string());
    BOOST_REQUIRE(rows.size() >= 6u);
    const std::size_t id = column(rows[0], "ID"), grade = column(rows[0], "KL Lab (777)");
    BOOST_TEST(rows[1].fields[0] == "Points Possible");
    std::map<std::string, std::string> by_id;
    for (std::size_t r = 2; r < rows.size(); ++r) by_id[rows[r].fields[id]] = rows[r].fields[grade];
    BOOST_TEST(by_id.at("12345") == std::to_string(lone("good_c")));
    BOOST_TEST(by_id.at("12346") == std::to_string(lone("wrong_log2")));
    BOOST_TEST(by_id.at("12348") == "");  // no submission: no grade

    // Feedback for "Re-Upload Submissions": Canvas reads the first two all-digit words of each
    // name as the user id and the attachment id of the submission it comments on.
    const std::map<std::string, std::string> attachment = {
        {"12345", "67890"}, {"12346", "67891"}, {"12347", "67892"}};
    const fs::path zip = c.root / "feedback.zip";
    const Run f = run_grader("feedback --format canvas --gradebook " + gb + " --reports " +
                             (c.root / "reports").string() + " -o " + zip.string());
    BOOST_TEST(f.status == 1, f.out);  // the anonymous student cannot be matched: said so
    BOOST_TEST(f.out.find("not written: anon_x7Qk2") != std::string::npos, f.out);
    const auto entries = test_support::read_zip(zip);
    BOOST_TEST(entries.size() == attachment.size());
    for (const auto& [name, content] : entries) {
        std::vector<std::string> ids;
        for (const std::string& word : split(name, '_'))
            if (all_digits(word) && ids.size() < 2) ids.push_back(word);
        BOOST_TEST_INFO(name);
        BOOST_REQUIRE(ids.size() == 2u);
        BOOST_REQUIRE(attachment.count(ids[0]));
        BOOST_TEST(ids[1] == attachment.at(ids[0]));
        BOOST_TEST(content == report_of(c, ids[0]));
    }
}

BOOST_AUTO_TEST_CASE(moodle) {
    Lms m("moodle");
    put_library(m.download / "Jane Doe_880101_assignsubmission_file" / "libsolution.so", "good_c");
    put(m.download / "Jane Doe_880101_assignsubmission_file" / "README.md", "Read me.\n");
    put_library(
        m.download / "O'Neil, Séan_880102_assignsubmission_file_" / "build" / "libsolution.so",
        "wrong_log2");
    put_library(m.download / "Jean Luc Picard_880103_assignsubmission_file_libsolution.so",
                "partial_ex1_only");
    put_library(m.download / "Participant_880104_assignsubmission_file" / "libsolution.so",
                "wrong_tv_no_half");
    m.expected = {{"880101", "good_c"},
                  {"880102", "wrong_log2"},
                  {"880103", "partial_ex1_only"},
                  {"880104", "wrong_tv_no_half"}};
    put(m.roster,
        "Identifier,Full name,Email address,Status,Grade,Maximum grade,Grade can be changed,"
        "Last modified (submission),Last modified (grade),Feedback comments\n"
        "Participant 880101,Jane Doe,jane@example.edu,Submitted for grading,,100.00,Yes,"
        "\"Tuesday, 1 December 2026, 10:00 AM\",-,\n"
        "Participant 880102,\"O'Neil, Séan\",sean@example.edu,Submitted for grading,,100.00,Yes,"
        "-,-,\n"
        "Teilnehmer/in 880103,Jean_Luc Picard,jl@example.edu,Submitted for grading,,100.00,Yes,"
        "-,-,\n"
        "Participant 880104,Zoë Åström,zoe@example.edu,Submitted for grading,,100.00,Yes,-,-,\n"
        "Participant 880105,\"Absent, Al\",al@example.edu,No submission,,100.00,Yes,-,-,\n");
    m.zip_it();
    grade_and_check(m, m.download, "folder", "README.md");
    const std::string gb =
        grade_and_check(m, m.zip, "zip", "moodle download (unzipped)",
                        "--out " + (m.root / "reports").string() + " --format text");

    // The worksheet as Moodle gave it, Grade and Feedback comments written: on Moodle's scale.
    const auto rows =
        exported("--gradebook " + gb + " --format moodle-worksheet --roster " + m.roster.string());
    const auto original = grader::csv::read_file(m.roster.string());
    BOOST_REQUIRE(rows.size() == original.size());
    BOOST_TEST(rows[0].fields == original[0].fields);
    const std::size_t grade = column(rows[0], "Grade"),
                      comments = column(rows[0], "Feedback comments");
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const std::string& identifier = rows[r].fields[0];
        const std::string key = identifier.substr(identifier.rfind(' ') + 1);
        BOOST_TEST_INFO(key);
        BOOST_TEST(rows[r].fields[1] == original[r].fields[1]);  // names untouched
        if (!m.expected.count(key)) {
            BOOST_TEST(rows[r].fields[grade] == "");
            continue;
        }
        const double want = lone(m.expected.at(key)) * 100.0 / max_points();
        BOOST_TEST(std::stod(rows[r].fields[grade]) == want, boost::test_tools::tolerance(0.006));
        BOOST_TEST(rows[r].fields[comments].find("/" + std::to_string(max_points()) + " points") !=
                   std::string::npos);
    }

    // Feedback files: Moodle splits each path component on "_" (at most 5 parts) and reads the
    // second as the participant id, the third and fourth as the plugin.
    const fs::path zip = m.root / "feedback.zip";
    const Run f = run_grader("feedback --format moodle --gradebook " + gb + " --reports " +
                             (m.root / "reports").string() + " -o " + zip.string());
    BOOST_TEST(f.status == 0, f.out);
    const auto entries = test_support::read_zip(zip);
    BOOST_TEST(entries.size() == m.expected.size());
    for (const auto& [name, content] : entries) {
        BOOST_TEST_INFO(name);
        std::string participant;
        for (const std::string& part : split(name, '/')) {
            const auto info = split(part, '_', 5);
            if (info.size() < 4 || !all_digits(info[1])) continue;
            BOOST_TEST(info[2] == "assignsubmission");
            BOOST_TEST(info[3] == "file");
            participant = info[1];
            break;
        }
        BOOST_REQUIRE(m.expected.count(participant));
        BOOST_TEST(content == report_of(m, participant));
    }

    // And one file per student, for any other way of handing them out.
    const Run d = run_grader("feedback --format dir --gradebook " + gb + " --reports " +
                             (m.root / "reports").string() + " -o " + (m.root / "out").string());
    BOOST_TEST(d.status == 0, d.out);
    for (const auto& [key, fixture] : m.expected)
        BOOST_TEST(fs::exists(m.root / "out" / (key + ".txt")), key);
}

BOOST_AUTO_TEST_CASE(blackboard) {
    Lms b("blackboard");
    const std::string first = "KL Lab_jdoe_attempt_2026-12-01-10-00-00";
    const std::string second = "KL Lab_jdoe_attempt_2026-12-02-09-30-00";
    put_library(b.download / (first + "_libsolution.so"), "wrong_log2");
    put(b.download / (first + ".txt"),
        "Name: Jane Doe (jdoe)\nAssignment: KL Lab\nDate "
        "Submitted: Tuesday, December 1, 2026 10:00:00 AM\n");
    put_library(b.download / (second + "_libsolution.so"), "good_c");
    put(b.download / (second + ".txt"), "Name: Jane Doe (jdoe)\nAssignment: KL Lab\n");
    const std::string zoe = "KL Lab_zo_brien_attempt_2026-12-01-11-00-00";
    put_library(b.download / (zoe + "_libsolution.so"), "partial_ex1_only");
    put(b.download / (zoe + ".txt"), "Name: Zoë O'Brien, Jr (zo_brien)\nAssignment: KL Lab\n");
    put(b.download / (zoe + "_README.txt"), "Notes.\n");
    b.expected = {{"jdoe", "good_c"}, {"zo_brien", "partial_ex1_only"}};
    put(b.roster,
        "\"Last Name\",\"First Name\",\"Username\",\"Student ID\",\"Last Access\",\"Availability\","
        "\"KL Lab [Total Pts: " +
            std::to_string(max_points()) +
            " Score] |884411\"\n"
            "\"Doe\",\"Jane\",\"jdoe\",\"S1\",\"\",\"Yes\",\"\"\n"
            "\"O'Brien, Jr\",\"Zoë\",\"zo_brien\",\"S2\",\"\",\"Yes\",\"\"\n");
    b.zip_it();
    grade_and_check(b, b.download, "folder",
                    "jdoe: 2 attempts, each graded and kept in the history (the latest counts");
    const std::string gb = grade_and_check(b, b.zip, "zip", "not a library, not graded: " + zoe);

    const auto rows =
        exported("--gradebook " + gb + " --format blackboard --roster " + b.roster.string());
    BOOST_REQUIRE(rows.size() == 3u);
    BOOST_TEST(rows[0].fields[0] == "Username");
    BOOST_TEST(rows[0].fields[1].find("|884411") != std::string::npos);
    std::map<std::string, std::string> by_user;
    for (std::size_t r = 1; r < rows.size(); ++r) by_user[rows[r].fields[0]] = rows[r].fields[1];
    BOOST_TEST(by_user.at("jdoe") == std::to_string(lone("good_c")));
    BOOST_TEST(by_user.at("zo_brien") == std::to_string(lone("partial_ex1_only")));
}

// Every attempt is graded and kept; the latest or the best counts, and a rerun grades nothing
// again but keeps the choice.
BOOST_AUTO_TEST_CASE(blackboard_attempts_latest_or_best) {
    Lms b("blackboard_attempts");
    const std::string first = "KL Lab_jdoe_attempt_2026-12-01-10-00-00";
    const std::string second = "KL Lab_jdoe_attempt_2026-12-02-09-30-00";
    put_library(b.download / (first + "_libsolution.so"), "good_c");
    put_library(b.download / (second + "_libsolution.so"), "wrong_log2");
    put_library(b.download / "KL Lab_amy_attempt_2026-12-01-11-00-00_libsolution.so", "good_c");
    BOOST_REQUIRE(lone("good_c") > lone("wrong_log2"));
    const std::string gb = (b.root / "gb.sqlite").string();
    const std::string batch = "batch " + b.download.string() + " --spec " + kSpec + " --jobs 2 " +
                              kLimit + " --gradebook " + gb;
    Run r = run_grader(batch);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Graded 3 of 3 submissions") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("jdoe: the attempt of 2026-12-02-09-30-00 counts (the latest") !=
                   std::string::npos,
               r.out);
    BOOST_TEST(totals(gb).at("jdoe").value_or(-1) == lone("wrong_log2"));
    BOOST_TEST(totals(gb).at("amy").value_or(-1) == lone("good_c"));

    r = run_grader(batch + " --attempt best");
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Graded 0 of 0 submissions") != std::string::npos, r.out);  // all kept
    BOOST_TEST(r.out.find("jdoe: the attempt of 2026-12-01-10-00-00 counts (the best") !=
                   std::string::npos,
               r.out);
    BOOST_TEST(totals(gb).at("jdoe").value_or(-1) == lone("good_c"));
    // The history holds both attempts, each with its own time.
    r = run_grader("history jdoe --gradebook " + gb);
    BOOST_TEST(r.out.find("submitted 2026-12-01T10:00:00Z (blackboard)") != std::string::npos,
               r.out);
    BOOST_TEST(r.out.find("submitted 2026-12-02T09:30:00Z (blackboard)") != std::string::npos,
               r.out);
    // The export has one row per student.
    const auto rows = exported("--gradebook " + gb);
    BOOST_TEST(rows.size() == 4u);  // header, max_points, amy, jdoe
}

BOOST_AUTO_TEST_CASE(gradescope) {
    Lms g("gradescope");
    put_library(g.download / "submission_2001" / "libsolution.so", "good_c");
    put_library(g.download / "submission_2002" / "build" / "libsolution.so", "wrong_log2");
    put(g.download / "submission_metadata.yml",
        "submission_2001:\n  :submitters:\n  - :name: \"O'Neil, Séan\"\n    :sid: '12345'\n"
        "    :email: sean@example.edu\n  :created_at: 2026-12-01 10:00:00.000000000 -08:00\n"
        "submission_2002:\n  :submitters:\n  - :name: Jane Doe\n    :sid: ''\n"
        "    :email: jane@example.edu\n");
    g.expected = {{"12345", "good_c"}, {"jane@example.edu", "wrong_log2"}};
    put(g.roster,
        "Name,Email,SID\n\"O'Neil, Séan\",sean@example.edu,12345\n"
        "Jane Doe,jane@example.edu,\n");
    g.zip_it("assignment_55_export");
    grade_and_check(g, g.download, "folder", "gradescope download");
    grade_and_check(g, g.zip, "zip", "gradescope download (unzipped)");
}

BOOST_AUTO_TEST_CASE(our_own_folder_is_graded_as_before) {
    const fs::path dir = test_support::temp_dir() / "plain" / "class";
    fs::remove_all(dir.parent_path());
    put_library(dir / "alice.so", "good_c");
    put_library(dir / "bob" / "build" / "libsolution.so", "wrong_log2");
    const std::string gb = (dir.parent_path() / "plain.sqlite").string();
    const Run r = run_grader("batch " + dir.string() + " --spec " + kSpec + " --jobs 2 " + kLimit +
                             " --gradebook " + gb);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("download") == std::string::npos, r.out);
    const auto got = totals(gb);
    BOOST_TEST(got.at("alice").value_or(-1) == lone("good_c"));
    BOOST_TEST(got.at("bob").value_or(-1) == lone("wrong_log2"));
    // A zip is a download: forcing a layout on several libraries is refused with a sentence.
    const Run forced = run_grader("batch " + library("good_c") + " " + library("wrong_log2") +
                                  " --layout canvas --spec " + kSpec + " --gradebook " + gb);
    BOOST_TEST(forced.status == 2, forced.out);
    BOOST_TEST(forced.out.find("reads one LMS download") != std::string::npos, forced.out);
}
