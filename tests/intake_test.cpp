// Downloads as Canvas, Moodle, Blackboard and Gradescope name them, and their roster exports,
// read without grading anything: every name parsed from the right, every layout recognised,
// zips unpacked (and refused when they hold what no download holds), the worksheet and the
// Grade Center upload written and read back with the CSV parser.
#define BOOST_TEST_MODULE intake
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grader/batch/intake.hpp"
#include "grader/batch/roster.hpp"
#include "grader/csv/csv.hpp"
#include "grader/error.hpp"
#include "grader/export/export.hpp"
#include "grader/intake/archive.hpp"
#include "grader/intake/download.hpp"
#include "grader/intake/names.hpp"
#include "grader/intake/roster_formats.hpp"
#include "tests/temp_dir.hpp"
#include "tests/zip_writer.hpp"

namespace fs = std::filesystem;
using namespace grader;

namespace {

fs::path fresh(const std::string& name) {
    const fs::path d = test_support::temp_dir() / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(canvas_names) {
    auto a = intake::parse_canvas("doejane_12345_67890_libsolution.so");
    BOOST_REQUIRE(a);
    BOOST_TEST(a->name == "doejane");
    BOOST_TEST(a->user_id == "12345");
    BOOST_TEST(a->attachment_id == "67890");
    BOOST_TEST(a->file == "libsolution.so");
    BOOST_TEST(!a->late);
    auto late = intake::parse_canvas("smithbob_LATE_12346_67891_lib_solution-1.so");
    BOOST_REQUIRE(late);
    BOOST_TEST(late->late);
    BOOST_TEST(late->user_id == "12346");
    BOOST_TEST(late->file == "lib_solution-1.so");
    // Accents are word characters to Canvas; an underscore in a name stays.
    auto accent = intake::parse_canvas("müllerjosé_o_12347_67892_libsolution.so");
    BOOST_REQUIRE(accent);
    BOOST_TEST(accent->name == "müllerjosé_o");
    BOOST_TEST(accent->user_id == "12347");
    auto anon = intake::parse_canvas("anon_12a4B_67893_libsolution.so");
    BOOST_REQUIRE(anon);
    BOOST_TEST(anon->user_id == "anon_12a4B");
    BOOST_TEST(anon->name.empty());
    auto anon_digits = intake::parse_canvas("LATE_anon_55555_67894_libsolution.so");
    BOOST_REQUIRE(anon_digits);
    BOOST_TEST(anon_digits->user_id == "anon_55555");
    BOOST_TEST(anon_digits->late);
    BOOST_TEST(!intake::parse_canvas("README.txt"));
    BOOST_TEST(!intake::parse_canvas("s01_good_c.so"));
}

BOOST_AUTO_TEST_CASE(moodle_names) {
    auto folder = intake::parse_moodle("Jane Doe_880101_assignsubmission_file", true);
    BOOST_REQUIRE(folder);
    BOOST_TEST(folder->name == "Jane Doe");
    BOOST_TEST(folder->participant_id == "880101");
    BOOST_TEST(folder->plugin == "file");
    auto older = intake::parse_moodle("O'Neil, Séan_880102_assignsubmission_file_", true);
    BOOST_REQUIRE(older);
    BOOST_TEST(older->name == "O'Neil, Séan");
    BOOST_TEST(older->participant_id == "880102");
    auto flat = intake::parse_moodle(
        "Jean_Luc 2_Picard_880103_assignsubmission_file_libsolution.so", false);
    BOOST_REQUIRE(flat);
    BOOST_TEST(flat->name == "Jean_Luc 2_Picard");
    BOOST_TEST(flat->participant_id == "880103");
    BOOST_TEST(flat->file == "libsolution.so");
    auto blind = intake::parse_moodle("Participant_880104_assignsubmission_file", true);
    BOOST_REQUIRE(blind);
    BOOST_TEST(blind->participant_id == "880104");
    BOOST_TEST(!intake::parse_moodle("Jane Doe_880101_assignsubmission_file", false));
    BOOST_TEST(!intake::parse_moodle("jdoe", true));
}

BOOST_AUTO_TEST_CASE(blackboard_names) {
    auto lib = intake::parse_blackboard("KL Lab_jdoe_attempt_2026-12-01-10-00-00_libsolution.so");
    BOOST_REQUIRE(lib);
    BOOST_TEST(lib->username == "jdoe");
    BOOST_TEST(lib->prefix == "KL Lab_jdoe");
    BOOST_TEST(lib->stamp == "2026-12-01-10-00-00");
    BOOST_TEST(lib->file == "libsolution.so");
    auto record = intake::parse_blackboard("KL Lab_jdoe_attempt_2026-12-01-10-00-00.txt");
    BOOST_REQUIRE(record);
    BOOST_TEST(record->file.empty());
    auto who = intake::parse_blackboard_record(
        "Name: Zoë O'Brien, Jr (zo_brien)\r\nAssignment: KL Lab\r\nDate Submitted: Tuesday, "
        "December 1, 2026 10:00:00 AM CET\r\n");
    BOOST_REQUIRE(who);
    BOOST_TEST(who->name == "Zoë O'Brien, Jr");
    BOOST_TEST(who->username == "zo_brien");
    BOOST_TEST(!intake::parse_blackboard("KL Lab_jdoe_libsolution.so"));
}

BOOST_AUTO_TEST_CASE(each_layout_is_recognised_and_read) {
    const fs::path canvas = fresh("canvas");
    write(canvas / "doejane_12345_67890_libsolution.so", "x");
    write(canvas / "smithbob_LATE_12346_67891_libsolution.so", "x");
    write(canvas / "smithbob_LATE_12346_67892_README.txt", "x");
    write(canvas / "notes.txt", "x");
    BOOST_TEST(intake::name(intake::detect_layout(canvas)) == "canvas");
    const auto c = intake::read_download(canvas, intake::Layout::Auto);
    BOOST_TEST(c.libraries.size() == 2u);
    BOOST_TEST(c.not_libraries.size() == 1u);
    BOOST_TEST(c.unmatched.size() == 1u);
    const batch::Discovery cd = batch::from_download(c);
    BOOST_REQUIRE(cd.submissions.size() == 2u);
    BOOST_TEST(cd.submissions[0].id == "12345");
    BOOST_TEST(cd.submissions[1].id == "12346");

    const fs::path moodle = fresh("moodle");
    write(moodle / "Jane Doe_880101_assignsubmission_file" / "libsolution.so", "x");
    write(moodle / "O'Neil, Séan_880102_assignsubmission_file_" / "build" / "libsolution.so", "x");
    write(moodle / "Participant_880103_assignsubmission_file_libsolution.so", "x");
    write(moodle / "Jane Doe_880101_assignsubmission_onlinetext" / "onlinetext.html", "x");
    BOOST_TEST(intake::name(intake::detect_layout(moodle)) == "moodle");
    const batch::Discovery md =
        batch::from_download(intake::read_download(moodle, intake::Layout::Auto));
    BOOST_REQUIRE(md.submissions.size() == 3u);
    BOOST_TEST(md.submissions[0].id == "880101");
    BOOST_TEST(md.submissions[1].id == "880102");
    BOOST_TEST(md.submissions[2].id == "880103");
    BOOST_TEST(md.notes.size() == 1u);  // the online text

    const fs::path bb = fresh("blackboard");
    write(bb / "KL Lab_jdoe_attempt_2026-12-01-10-00-00_libsolution.so", "old");
    write(bb / "KL Lab_jdoe_attempt_2026-12-01-10-00-00.txt", "Name: Jane Doe (jdoe)\n");
    write(bb / "KL Lab_jdoe_attempt_2026-12-02-09-30-00_libsolution.so", "new");
    write(bb / "KL Lab_jdoe_attempt_2026-12-02-09-30-00.txt", "Name: Jane Doe (jdoe)\n");
    write(bb / "KL Lab_zo_brien_attempt_2026-12-01-11-00-00_libsolution.so", "x");
    write(bb / "KL Lab_zo_brien_attempt_2026-12-01-11-00-00.txt", "Name: Zoë O'Brien (zo_brien)\n");
    BOOST_TEST(intake::name(intake::detect_layout(bb)) == "blackboard");
    const batch::Discovery bd =
        batch::from_download(intake::read_download(bb, intake::Layout::Auto));
    BOOST_REQUIRE(bd.submissions.size() == 3u);  // both of jdoe's attempts, oldest first
    BOOST_TEST(bd.submissions[0].id == "jdoe");
    BOOST_TEST(bd.submissions[0].several);
    BOOST_TEST(bd.submissions[0].attempt == "2026-12-01-10-00-00");
    BOOST_TEST(bd.submissions[1].id == "jdoe");
    BOOST_TEST(fs::path(bd.submissions[1].path).filename().string().find("2026-12-02") !=
               std::string::npos);
    BOOST_TEST(*bd.submissions[1].submitted_at == "2026-12-02T09:30:00Z");
    BOOST_TEST(bd.submissions[2].id == "zo_brien");  // the record settles the underscore
    BOOST_TEST(!bd.submissions[2].several);
    BOOST_TEST(bd.notes.size() == 1u);  // jdoe's attempts

    const fs::path gs = fresh("gradescope") / "assignment_1_export";
    write(gs / "submission_101" / "libsolution.so", "x");
    write(gs / "submission_102" / "build" / "libsolution.so", "x");
    write(gs / "submission_metadata.yml",
          "submission_101:\n  :submitters:\n  - :name: Jane Doe\n    :sid: '12345'\n"
          "    :email: jane@example.edu\n  :score: 10.0\nsubmission_102:\n  :submitters:\n"
          "  - :name: Bob Smith\n    :sid: ''\n    :email: bob@example.edu\n");
    BOOST_TEST(intake::name(intake::detect_layout(gs)) == "gradescope");
    BOOST_TEST(intake::class_folder(gs.parent_path()) == gs);
    const batch::Discovery gd =
        batch::from_download(intake::read_download(gs, intake::Layout::Auto));
    BOOST_REQUIRE(gd.submissions.size() == 2u);
    BOOST_TEST(gd.submissions[0].id == "12345");
    BOOST_TEST(gd.submissions[1].id == "bob@example.edu");

    // Our own folders are not taken for anyone's download.
    const fs::path plain = fresh("plain");
    write(plain / "s01_good_c.so", "x");
    write(plain / "alice" / "libsolution.so", "x");
    BOOST_TEST(intake::name(intake::detect_layout(plain)) == "plain");
}

BOOST_AUTO_TEST_CASE(zips_unpack_and_what_no_download_holds_is_refused) {
    const fs::path dir = fresh("zips");
    const fs::path good = dir / "good.zip";
    test_support::write_zip(good, {{"KL-submissions/", "", ""},
                                   {"KL-submissions/doejane_12345_67890_libsolution.so", "lib", ""},
                                   {"KL-submissions/README.txt", "hello", ""}});
    BOOST_TEST(intake::is_zip(good));
    fs::path unpacked_dir;
    {
        const intake::Unpacked u = intake::unpack_zip(good);
        unpacked_dir = u.dir();
        const fs::path root = intake::class_folder(u.dir());
        BOOST_TEST(root.filename() == "KL-submissions");
        BOOST_TEST(fs::exists(root / "doejane_12345_67890_libsolution.so"));
    }
    BOOST_TEST(!fs::exists(unpacked_dir));  // removed with the grading

    // Unpacked to stay: named after the zip and its hash, taken as it is the second time.
    const fs::path under = dir / "gradebook.sqlite.downloads";
    const fs::path kept = intake::unpack_zip_to_keep(good, under);
    BOOST_TEST(kept.parent_path() == under);
    BOOST_TEST(kept.filename().string().rfind("good-", 0) == 0u);
    BOOST_TEST(fs::exists(kept / "KL-submissions" / "doejane_12345_67890_libsolution.so"));
    std::ofstream(kept / "mark") << "kept";
    BOOST_TEST(intake::unpack_zip_to_keep(good, under) == kept);
    BOOST_TEST(fs::exists(kept / "mark"));
    // Another zip of the same name is another folder.
    const fs::path other = dir / "other" / "good.zip";
    fs::create_directories(other.parent_path());
    test_support::write_zip(
        other, {{"x/", "", ""}, {"x/doejane_12345_67890_libsolution.so", "other", ""}});
    BOOST_TEST(intake::unpack_zip_to_keep(other, under) != kept);
    // What a grader killed while unpacking left is removed once abandoned for an hour; one
    // younger may be another shard's at work, and stays.
    const fs::path abandoned = under / ".unpacking.AbCdEf", working = under / ".unpacking.GhIjKl";
    fs::create_directories(abandoned);
    fs::create_directories(working);
    std::ofstream(abandoned / "half.so") << "half";
    fs::last_write_time(abandoned, fs::file_time_type::clock::now() - std::chrono::hours(2));
    fs::last_write_time(working, fs::file_time_type::clock::now() - std::chrono::minutes(10));
    BOOST_TEST(intake::unpack_zip_to_keep(good, under) == kept);
    BOOST_TEST(!fs::exists(abandoned));
    BOOST_TEST(fs::exists(working));

    const std::vector<std::pair<std::string, test_support::ZipEntry>> refused = {
        {"climbs out", {"../evil.so", "x", ""}},
        {"absolute", {"/tmp/evil.so", "x", ""}},
        {"link", {"link.so", "", "/etc/passwd"}},
        {"twice", {"a.so", "x", ""}},
    };
    for (const auto& [why, entry] : refused) {
        const fs::path zip = dir / "bad.zip";
        std::vector<test_support::ZipEntry> entries = {{"a.so", "x", ""}, entry};
        test_support::write_zip(zip, entries);
        const std::string m = message_of([&] { intake::unpack_zip(zip); });
        BOOST_TEST_INFO(why);
        BOOST_TEST(m.find("is not unpacked") != std::string::npos, m);
        BOOST_TEST(m.find(why) != std::string::npos, m);
    }
    // A refused zip leaves nothing where it was to be kept, not even its half-unpacked folder.
    const fs::path bad_under = dir / "bad.downloads";
    BOOST_TEST(message_of([&] {
                   intake::unpack_zip_to_keep(dir / "bad.zip", bad_under);
               }).find("is not unpacked") != std::string::npos);
    BOOST_TEST(fs::is_empty(bad_under));
    const fs::path big = dir / "big.zip";
    test_support::write_zip(big, {{"big.so", std::string(4096, 'x'), ""}});
    intake::ArchiveLimits small;
    small.max_entry_bytes = 1024;
    const std::string m = message_of([&] { intake::unpack_zip(big, small); });
    BOOST_TEST(m.find("larger than") != std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(lms_rosters_are_read_as_exported) {
    const fs::path dir = fresh("rosters");
    write(dir / "canvas.csv",
          "\xEF\xBB\xBFStudent,ID,SIS User ID,SIS Login ID,Section,KL Lab (777)\n"
          "    Points Possible,,,,,40\n"
          "\"Doe, Jane\",12345,S1,jdoe,Sec 1,\n"
          "\"O'Neil, Séan\",12346,S2,soneil,Sec 1,\n");
    const auto canvas = batch::read_roster((dir / "canvas.csv").string());
    BOOST_TEST(intake::name(canvas.format) == "canvas");
    BOOST_REQUIRE(canvas.students.size() == 2u);
    BOOST_TEST(canvas.students[0].id == "12345");
    BOOST_TEST(canvas.students[0].name == "Doe, Jane");
    BOOST_TEST(canvas.students[1].name == "O'Neil, Séan");

    write(dir / "moodle.csv",
          "Identifier,Full name,Email address,Status,Grade,Maximum grade,Grade can be changed,"
          "Last modified (submission),Last modified (grade),Feedback comments\n"
          "Teilnehmer/in 880101,Jane Doe,jane@example.edu,Submitted,,100.00,Yes,-,-,\n"
          "Participant 880102,\"O'Neil, Séan\",sean@example.edu,Submitted,,100.00,Yes,-,-,\n");
    const auto moodle = batch::read_roster((dir / "moodle.csv").string());
    BOOST_TEST(intake::name(moodle.format) == "moodle");
    BOOST_REQUIRE(moodle.students.size() == 2u);
    BOOST_TEST(moodle.students[0].id == "880101");
    BOOST_TEST(moodle.students[1].id == "880102");

    write(dir / "bb.csv",
          "\"Last Name\",\"First Name\",\"Username\",\"Student ID\",\"Last Access\","
          "\"Availability\",\"KL Lab [Total Pts: 100 Score] |12345\"\n"
          "\"Doe\",\"Jane\",\"jdoe\",\"S1\",\"\",\"Yes\",\"\"\n");
    const auto bb = batch::read_roster((dir / "bb.csv").string());
    BOOST_TEST(intake::name(bb.format) == "blackboard");
    BOOST_REQUIRE(bb.students.size() == 1u);
    BOOST_TEST(bb.students[0].id == "jdoe");
    BOOST_TEST(bb.students[0].name == "Jane Doe");

    // Blackboard's default download: UTF-16 with its byte-order mark, tab-delimited.
    const std::string tabbed =
        "\"Last Name\"\t\"First Name\"\t\"Username\"\t\"Student ID\"\t\"Lab 1, part 2 [Total Pts: "
        "10 Score] |4711\"\n\"O'Brien\"\t\"Zoë\"\t\"zo_brien\"\t\"S9\"\t\"\"\n";
    std::string utf16 = "\xFF\xFE";
    for (std::size_t i = 0; i < tabbed.size();) {
        // Decode the UTF-8 (two bytes at most here) and write each code unit little-endian.
        unsigned c = static_cast<unsigned char>(tabbed[i]);
        if (c >= 0xC0) {
            c = ((c & 0x1F) << 6) | (static_cast<unsigned char>(tabbed[i + 1]) & 0x3F);
            i += 2;
        } else {
            ++i;
        }
        utf16 += static_cast<char>(c & 0xFF);
        utf16 += static_cast<char>(c >> 8);
    }
    write(dir / "bb.xls", utf16);
    const auto bb16 = batch::read_roster((dir / "bb.xls").string());
    BOOST_TEST(intake::name(bb16.format) == "blackboard");
    BOOST_REQUIRE(bb16.students.size() == 1u);
    BOOST_TEST(bb16.students[0].id == "zo_brien");
    BOOST_TEST(bb16.students[0].name == "Zoë O'Brien");
    BOOST_TEST(intake::read_export((dir / "bb.xls").string()).front().fields.back() ==
               "Lab 1, part 2 [Total Pts: 10 Score] |4711");

    write(dir / "gs.csv", "Name,Email,SID\nJane Doe,jane@example.edu,12345\nBob,bob@x.edu,\n");
    const auto gs = batch::read_roster((dir / "gs.csv").string());
    BOOST_TEST(intake::name(gs.format) == "gradescope");
    BOOST_REQUIRE(gs.students.size() == 2u);
    BOOST_TEST(gs.students[1].id == "bob@x.edu");

    write(dir / "ours.csv", "id,name\nalice,Alice\n");
    const auto ours = batch::read_roster((dir / "ours.csv").string());
    BOOST_TEST(intake::name(ours.format) == "ours");
    BOOST_TEST(ours.students.at(0).id == "alice");

    write(dir / "dup.csv", "Name,Email,SID\nA,a@x,1\nB,b@x,1\n");
    const std::string m = message_of([&] { batch::read_roster((dir / "dup.csv").string()); });
    BOOST_TEST(m.find("already on line 2") != std::string::npos, m);
}

namespace {

gradebook::ClassGrades two_students() {
    gradebook::ClassGrades g;
    g.spec.exercises.push_back(
        {"ex1", "", {{"a", "", false, false, 10}, {"b", "", false, false, 10}}});
    for (const auto& [id, score] :
         std::vector<std::pair<std::string, int>>{{"880101", 15}, {"jdoe", 20}}) {
        gradebook::ClassRow row;
        row.student.id = id;
        gradebook::StoredRun run;
        run.score = score;
        run.max_score = 20;
        run.exercise_scores = {{"ex1", score}};
        run.grade = gradebook::FinalGrade{};
        run.grade->raw = run.grade->final_score = score;
        row.current = run;
        g.rows.push_back(row);
    }
    gradebook::ClassRow none;
    none.student.id = "880102";
    g.rows.push_back(none);
    return g;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_moodle_worksheet_goes_back_filled_in) {
    const std::string worksheet =
        "Identifier,Full name,Email address,Status,Grade,Maximum grade,Feedback comments\n"
        "Participant 880101,\"O'Neil, Séan\",sean@example.edu,Submitted,,100.00,\n"
        "Participant 880102,Jane Doe,jane@example.edu,No submission,,100.00,\n";
    const auto rows = csv::parse(worksheet, "worksheet.csv");
    std::ostringstream out;
    exporting::write_moodle_worksheet(two_students(), rows, out);
    const auto back = csv::parse(out.str(), "filled.csv");
    BOOST_REQUIRE(back.size() == 3u);
    BOOST_TEST(back[0].fields == rows[0].fields);
    BOOST_TEST(back[1].fields[1] == "O'Neil, Séan");
    BOOST_TEST(back[1].fields[4] == "75.00");  // 15/20 on Moodle's 100
    BOOST_TEST(back[1].fields[6].find("15/20 points") != std::string::npos);
    BOOST_TEST(back[2].fields[4] == "");  // no submission: no grade
}

BOOST_AUTO_TEST_CASE(the_grade_center_upload_names_the_column_as_exported) {
    const auto roster = csv::parse(
        "Last Name,First Name,Username,Student ID,KL Lab [Total Pts: 20 Score] |12345\n"
        "Doe,Jane,jdoe,S1,\n",
        "bb.csv");
    std::ostringstream out;
    exporting::write_blackboard(two_students(), {""}, roster, out);
    const auto back = csv::parse(out.str(), "upload.csv");
    BOOST_REQUIRE(back.size() == 4u);
    BOOST_TEST(back[0].fields[0] == "Username");
    BOOST_TEST(back[0].fields[1] == "KL Lab [Total Pts: 20 Score] |12345");
    BOOST_TEST(back[2].fields[0] == "jdoe");
    BOOST_TEST(back[2].fields[1] == "20");
    const std::string m = message_of([&] {
        std::ostringstream o;
        exporting::write_blackboard(two_students(), {""}, {}, o);
    });
    BOOST_TEST(m.find("--assignment") != std::string::npos, m);
    BOOST_TEST(exporting::canvas_assignment_column(
                   csv::parse("Student,ID,SIS User ID,KL Lab (777)\n", "c.csv")) == "KL Lab (777)");
}
