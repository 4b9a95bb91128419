// A fixture class graded end to end through `grader batch --html`, its page read back and every
// number compared with the gradebook (queried here with SQL of its own, not through the
// grader's queries): counts, mean, median, standard deviation, per exercise, per case, the
// identical wrong answers, the shared-answer groups (two copies of one wrong library under two
// names form one; different wrong libraries and untouched stubs do not). The page must parse
// as XML, reference nothing outside itself, show no student or hidden case in its variant for
// students, and render in headless Chromium to a screenshot that is not blank.
#define BOOST_TEST_MODULE summary_class
#include <boost/test/unit_test.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <png.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSpec = std::string(PROJECT_ROOT) + "/exercises.yaml";

using test_support::Run;
using test_support::shell;

Run grader(const std::string& args) {
    return shell(std::string(GRADER_EXE) + " " + args);
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

// id -> the fixture library it hands in.
const std::vector<std::pair<std::string, std::string>> kClass = {
    {"c01_good_c", "good_c"},
    {"c02_good_cpp", "good_cpp"},
    {"c03_wrong_log2", "wrong_log2"},
    {"c04_wrong_sigma", "wrong_sigma_as_variance"},
    {"c05_wrong_ratio", "wrong_reversed_ratio"},
    {"c06_copy_a", "wrong_tv_no_half"},
    {"c07_copy_b", "wrong_tv_no_half"},
    {"c08_segv", "hostile_segv_softmax"},
    {"c09_prints", "hostile_print_pass"},
    {"c10_stub_a", "template_stub"},
    {"c11_stub_b", "template_stub"},
    {"c12_partial", "partial_ex1_only"},
    {"c13_example", "example_partial_attempt"},
};
const std::string kHostileName = "<script>alert('x')</script> & \"Jo\" O'Neil";

struct Class {
    fs::path root = test_support::temp_dir() / "summary_test";
    fs::path out = OUTPUT_DIR;
    std::string gradebook;
    std::string page;
    std::string students_page;
    Run batch;

    Class() {
        fs::remove_all(root);
        fs::create_directories(root / "class");
        fs::create_directories(out);
        for (const auto& [id, fixture] : kClass)
            fs::copy_file(std::string(FIXTURE_DIR) + "/lib" + fixture + ".so",
                          root / "class" / (id + ".so"));
        fs::copy_file(std::string(SANDBOX_BROKEN_DIR) + "/text.so",
                      root / "class" / "c14_broken.so");
        std::ofstream roster(root / "roster.csv");
        roster << "id,name\n";
        for (const auto& [id, fixture] : kClass)
            roster << id << ",\""
                   << (id == "c01_good_c" ? "\"\"Jo\"\" <b>Bold</b>" : "Student " + id) << "\"\n";
        roster << "c14_broken,Broken Library\n";
        roster << "zz_absent,\""
               << "<script>alert('x')</script> & \"\"Jo\"\" O'Neil"
               << "\"\n";
        roster.close();
        gradebook = (root / "gradebook.sqlite").string();
        page = (root / "summary.html").string();
        students_page = (root / "overview.html").string();
        batch = grader("batch " + (root / "class").string() + " --spec " + kSpec +
                       " --jobs 2 --time-limit 1 --quiet --gradebook " + gradebook + " --roster " +
                       (root / "roster.csv").string() + " --out " + (root / "reports").string() +
                       " --format text --html " + page);
    }
    ~Class() { fs::remove_all(root); }
};

Class& the_class() {
    static Class c;
    return c;
}

// --- The gradebook, by SQL of the test's own.
struct Db {
    sqlite3* db = nullptr;
    explicit Db(const std::string& path) {
        BOOST_REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
                      SQLITE_OK);
    }
    ~Db() { sqlite3_close(db); }
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        BOOST_REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK,
                              sqlite3_errmsg(db));
        std::vector<std::vector<std::string>> out;
        while (sqlite3_step(s) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(s); ++i) {
                const unsigned char* t = sqlite3_column_text(s, i);
                row.push_back(t ? reinterpret_cast<const char*>(t) : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(s);
        return out;
    }
    std::string one(const std::string& sql) {
        const auto r = rows(sql);
        BOOST_REQUIRE(!r.empty());
        return r[0][0];
    }
};

// --- The page, as a tree.
struct Page {
    xmlDocPtr doc = nullptr;
    explicit Page(const std::string& path) {
        doc = xmlReadFile(path.c_str(), "UTF-8",
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        BOOST_REQUIRE_MESSAGE(doc, path + " is not well-formed: " +
                                       (xmlGetLastError() ? xmlGetLastError()->message : ""));
    }
    ~Page() { xmlFreeDoc(doc); }
    void each(const std::function<void(xmlNodePtr)>& f, xmlNodePtr from = nullptr) const {
        for (xmlNodePtr n = from ? from : xmlDocGetRootElement(doc); n; n = n->next) {
            if (n->type == XML_ELEMENT_NODE) f(n);
            if (n->children) each(f, n->children);
        }
    }
    std::vector<xmlNodePtr> with(const char* attribute, xmlNodePtr from = nullptr) const {
        std::vector<xmlNodePtr> out;
        each(
            [&](xmlNodePtr n) {
                if (xmlHasProp(n, BAD_CAST attribute)) out.push_back(n);
            },
            from ? from->children : nullptr);
        return out;
    }
};

std::string attr(xmlNodePtr n, const char* name) {
    xmlChar* v = xmlGetProp(n, BAD_CAST name);
    std::string out = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return out;
}

std::string text_of(xmlNodePtr n) {
    xmlChar* v = xmlNodeGetContent(n);
    std::string out = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return out;
}

bool has_class(xmlNodePtr n, const std::string& cls) {
    std::istringstream in(attr(n, "class"));
    for (std::string c; in >> c;)
        if (c == cls) return true;
    return false;
}

// The student ids named (as <code>) under `n`.
std::vector<std::string> ids_under(const Page& p, xmlNodePtr n) {
    std::vector<std::string> out;
    p.each(
        [&](xmlNodePtr c) {
            if (xmlStrcmp(c->name, BAD_CAST "code") == 0) out.push_back(text_of(c));
        },
        n->children);
    std::sort(out.begin(), out.end());
    return out;
}

std::string stat(const Page& p, const std::string& name) {
    for (xmlNodePtr n : p.with("data-stat"))
        if (attr(n, "data-stat") == name) return attr(n, "data-value");
    BOOST_FAIL("the page has no figure " + name);
    return "";
}

// --- Chromium, started and ended by the test.
struct Shot {
    int status = -1;
    std::string log;
};

Shot screenshot(const std::string& page, const std::string& png) {
    const std::string log = png + ".log";
    std::cout.flush();  // or the child would print the test's buffered lines again
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        ::setpgid(0, 0);  // its helpers with it, so that one kill ends them all
        FILE* f = std::freopen(log.c_str(), "w", stdout);
        if (f) ::dup2(STDOUT_FILENO, STDERR_FILENO);
        const std::string script = std::string(PROJECT_ROOT) + "/scripts/screenshot.sh";
        ::execl("/bin/bash", "bash", script.c_str(), page.c_str(), png.c_str(), "1200,3800",
                static_cast<char*>(nullptr));
        ::_exit(126);
    }
    ::setpgid(pid, pid);
    Shot shot;
    int raw = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    bool done = false;
    while (!done && std::chrono::steady_clock::now() < deadline) {
        done = ::waitpid(pid, &raw, WNOHANG) == pid;
        if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(-pid, SIGKILL);  // whatever is left of it, finished or not
    if (!done) {
        ::waitpid(pid, &raw, 0);
        shot.log = "chromium did not finish within 120 s and was killed. " + read_file(log);
        return shot;
    }
    shot.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    shot.log = read_file(log);
    return shot;
}

// Share of pixels that are not (nearly) white, and how many colours there are.
std::pair<double, std::size_t> ink(const std::string& png) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    BOOST_REQUIRE_MESSAGE(png_image_begin_read_from_file(&image, png.c_str()), png);
    image.format = PNG_FORMAT_RGB;
    std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
    BOOST_REQUIRE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr));
    std::size_t inked = 0;
    std::set<unsigned> colours;
    for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
        const unsigned r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
        if (r + g + b < 3 * 235) ++inked;
        colours.insert((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3));
    }
    png_image_free(&image);
    return {static_cast<double>(inked) / (static_cast<double>(pixels.size()) / 3), colours.size()};
}

void check_renders(const std::string& page, const std::string& name) {
    const std::string png = (the_class().out / name).string();
    fs::remove(png);
    const Shot shot = screenshot(page, png);
    BOOST_REQUIRE_MESSAGE(shot.status == 0, "chromium could not render " + page + " (exit " +
                                                std::to_string(shot.status) +
                                                "; scripts/setup-deps.sh installs "
                                                "it): " +
                                                shot.log);
    BOOST_REQUIRE_MESSAGE(fs::exists(png), "chromium wrote no screenshot: " + shot.log);
    const auto [share, colours] = ink(png);
    BOOST_TEST_MESSAGE(name << ": " << share * 100 << "% inked, " << colours << " colours");
    BOOST_TEST(share > 0.03, name << " is (nearly) blank: " << share * 100 << "% inked");
    BOOST_TEST(colours > 20u, name << " has " << colours << " colours");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(summary_class)

BOOST_AUTO_TEST_CASE(the_batch_writes_the_page_and_it_is_well_formed) {
    Class& c = the_class();
    BOOST_TEST_MESSAGE(c.batch.out);
    BOOST_REQUIRE_MESSAGE(c.batch.status == 0, c.batch.out);
    BOOST_TEST(c.batch.out.find("Summary:   " + c.page) != std::string::npos, c.batch.out);
    const Page p(c.page);
    xmlNodePtr root = xmlDocGetRootElement(p.doc);
    BOOST_TEST(xmlStrcmp(root->name, BAD_CAST "html") == 0);
    BOOST_TEST(read_file(c.page).rfind("<!DOCTYPE html>", 0) == 0u);
    // The hostile roster name is text, never markup: one script, the page's own.
    std::size_t scripts = 0;
    p.each([&](xmlNodePtr n) { scripts += xmlStrcmp(n->name, BAD_CAST "script") == 0; });
    BOOST_TEST(scripts == 1u);
    BOOST_TEST(text_of(root).find(kHostileName) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_page_references_nothing_outside_itself) {
    Class& c = the_class();
    const Page p(c.page);
    const fs::path dir = fs::path(c.page).parent_path();
    std::size_t links = 0;
    p.each([&](xmlNodePtr n) {
        const std::string tag = reinterpret_cast<const char*>(n->name);
        for (const char* fetching : {"img", "link", "iframe", "object", "embed", "base", "audio",
                                     "video", "source", "image", "use", "foreignObject", "form"})
            BOOST_TEST(tag != fetching, "the page has a <" << tag << ">");
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            const std::string name = reinterpret_cast<const char*>(a->name);
            const std::string value = attr(n, name.c_str());
            BOOST_TEST(name != "src", "<" << tag << " src=" << value << ">");
            BOOST_TEST(name.rfind("on", 0) != 0u, "an event handler on <" << tag << ">");
            BOOST_TEST(value.find("url(") == std::string::npos, value);
            BOOST_TEST((value.find("//") == std::string::npos || name == "content"), value);
            if (name == "href" && value.rfind("#", 0) != 0) {
                // Only the students' own reports, beside the page.
                BOOST_TEST(value.find(':') == std::string::npos, value);
                BOOST_TEST(fs::is_regular_file(dir / value), value);
                ++links;
            }
        }
    });
    const std::string html = read_file(c.page);
    for (const char* outside : {"http:", "https:", "@import", "url(", "src="})
        BOOST_TEST(html.find(outside) == std::string::npos, outside);
    BOOST_TEST(links >= kClass.size());  // the reports of --out are linked
}

BOOST_AUTO_TEST_CASE(the_class_figures_match_the_gradebook) {
    Class& c = the_class();
    Db db(c.gradebook);
    const Page p(c.page);
    auto count = [&](const std::string& status) {
        return db.one("SELECT count(*) FROM current_runs WHERE status = '" + status + "'");
    };
    BOOST_TEST(stat(p, "submissions") == db.one("SELECT count(*) FROM current_runs"));
    BOOST_TEST(stat(p, "submissions") == std::to_string(kClass.size() + 1));
    BOOST_TEST(stat(p, "graded") == count("graded"));
    BOOST_TEST(stat(p, "load_errors") == count("load_error"));
    BOOST_TEST(stat(p, "load_errors") == "1");
    BOOST_TEST(stat(p, "system_errors") == count("system_error"));
    BOOST_TEST(stat(p, "no_submission") ==
               db.one("SELECT count(*) FROM students WHERE on_roster = 1 AND id NOT IN "
                      "(SELECT student_id FROM current_runs)"));
    BOOST_TEST(stat(p, "no_submission") == "1");
    std::vector<double> scores;
    for (const auto& r : db.rows("SELECT s.score FROM current_runs r JOIN run_scores s ON "
                                 "s.run_id = r.id WHERE r.status != 'system_error'"))
        scores.push_back(std::stod(r[0]));
    std::sort(scores.begin(), scores.end());
    double sum = 0;
    for (double x : scores) sum += x;
    const double mean = sum / static_cast<double>(scores.size());
    double squares = 0;
    for (double x : scores) squares += (x - mean) * (x - mean);
    const std::size_t n = scores.size();
    const double median = n % 2 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
    BOOST_TEST(std::stod(stat(p, "mean")) == mean, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(std::stod(stat(p, "median")) == median);
    BOOST_TEST(std::stod(stat(p, "sd")) == std::sqrt(squares / static_cast<double>(n - 1)),
               boost::test_tools::tolerance(1e-6));
    const std::string max = db.one("SELECT max(max_score) FROM run_scores");
    BOOST_TEST(stat(p, "at_zero") == std::to_string(std::count(scores.begin(), scores.end(), 0)));
    BOOST_TEST(stat(p, "at_full") ==
               std::to_string(std::count(scores.begin(), scores.end(), std::stod(max))));
    BOOST_TEST(stat(p, "at_full") == "3");  // the two correct solutions and the fake printer

    // Per exercise: the mean of the exports' column, load errors at 0.
    std::size_t exercises = 0;
    for (xmlNodePtr row : p.with("data-exercise")) {
        const std::string ex = attr(row, "data-exercise");
        const double want = std::stod(db.one(
            "SELECT avg(COALESCE(e.score, 0)) FROM current_runs r LEFT JOIN exercise_scores e ON "
            "e.run_id = r.id AND e.exercise = '" +
            ex + "' WHERE r.status != 'system_error'"));
        std::vector<std::string> cells;
        for (xmlNodePtr td = row->children; td; td = td->next)
            if (td->type == XML_ELEMENT_NODE) cells.push_back(text_of(td));
        BOOST_REQUIRE(cells.size() == 7u);
        char expected[32];
        std::snprintf(expected, sizeof expected, "%.1f", want);
        BOOST_TEST(cells[3] == expected, ex);
        ++exercises;
    }
    BOOST_TEST(std::to_string(exercises) == db.one("SELECT count(*) FROM spec_exercises"));
}

BOOST_AUTO_TEST_CASE(every_case_pass_rate_matches_the_gradebook) {
    Class& c = the_class();
    Db db(c.gradebook);
    const Page p(c.page);
    std::map<std::string, std::string> want;  // case -> "(passed/n)"
    for (const auto& r :
         db.rows("SELECT c.exercise || '/' || c.case_id, sum(c.verdict = 'pass'), count(*) FROM "
                 "case_results c JOIN current_runs r ON r.id = c.run_id WHERE r.status = 'graded' "
                 "GROUP BY 1"))
        want[r[0]] = "(" + r[1] + "/" + r[2] + ")";
    std::size_t rows = 0;
    double last_rate = -1;
    for (xmlNodePtr row : p.with("data-case")) {
        if (xmlStrcmp(row->name, BAD_CAST "tr") != 0 ||
            !xmlHasProp(row->children, BAD_CAST "data-sort"))
            continue;  // the shared-answer tables name cases too
        const std::string id = attr(row, "data-case");
        std::vector<std::string> cells;
        for (xmlNodePtr td = row->children; td; td = td->next)
            if (td->type == XML_ELEMENT_NODE) cells.push_back(text_of(td));
        BOOST_REQUIRE(cells.size() == 9u);
        BOOST_TEST_CONTEXT(id) {
            BOOST_REQUIRE(want.count(id));
            BOOST_TEST(cells[4].find(want[id]) != std::string::npos, cells[4]);
            // Hardest first.
            const auto open = cells[4].find('('), slash = cells[4].find('/');
            const double rate = std::stod(cells[4].substr(open + 1, slash - open - 1)) /
                                std::stod(cells[4].substr(slash + 1));
            BOOST_TEST(rate >= last_rate);
            last_rate = rate;
        }
        ++rows;
    }
    BOOST_TEST(rows == want.size());
    BOOST_TEST(std::to_string(rows) == db.one("SELECT count(*) FROM spec_cases"));
}

BOOST_AUTO_TEST_CASE(wrong_answer_groups_are_the_gradebook_fingerprints) {
    Class& c = the_class();
    Db db(c.gradebook);
    const Page p(c.page);
    // (case, members) of every identical wrong answer with values other than NaN or 0.
    std::set<std::pair<std::string, std::vector<std::string>>> real, blank;
    for (const auto& r :
         db.rows("SELECT c.exercise || '/' || c.case_id, c.fingerprint, group_concat(r.student_id, "
                 "' '), max(c.returned) FROM case_results c JOIN current_runs r ON r.id = c.run_id "
                 "WHERE r.status = 'graded' AND c.verdict = 'wrong' AND c.fingerprint IS NOT NULL "
                 "AND c.returned IS NOT NULL GROUP BY 1, 2 HAVING count(*) >= 2")) {
        std::istringstream in(r[2]);
        std::vector<std::string> who;
        for (std::string s; in >> s;) who.push_back(s);
        std::sort(who.begin(), who.end());
        // NaN or 0 throughout: the untouched stubs' answers.
        std::string values = r[3];
        bool nothing = true;
        for (std::size_t at = values.find("\"values\":["); at != std::string::npos;
             at = values.find("\"values\":[", at + 1)) {
            const std::string list = values.substr(at + 10, values.find(']', at) - at - 10);
            std::istringstream items(list);
            for (std::string item; std::getline(items, item, ',');)
                if (item != "\"nan\"" && std::stod(item) != 0) nothing = false;
        }
        (nothing ? blank : real).insert({r[0], who});
    }
    std::set<std::pair<std::string, std::vector<std::string>>> shown, shown_blank;
    for (xmlNodePtr card : p.with("data-case")) {
        if (xmlStrcmp(card->name, BAD_CAST "li") != 0) continue;
        for (xmlNodePtr m : p.with("class", card))
            if (has_class(m, "members")) shown.insert({attr(card, "data-case"), ids_under(p, m)});
    }
    for (xmlNodePtr row : p.with("data-blank-case"))
        for (xmlNodePtr m : p.with("class", row))
            if (has_class(m, "members"))
                shown_blank.insert({attr(row, "data-blank-case"), ids_under(p, m)});
    BOOST_TEST(shown == real);
    BOOST_TEST(shown_blank == blank);
    // The copies agree on every case they fail; the two stubs on every case.
    const std::vector<std::string> copies = {"c06_copy_a", "c07_copy_b"};
    BOOST_TEST(shown.count({"ex6/tv_random", copies}) == 1u);
    BOOST_TEST(shown.count({"ex6/tv_notebook", copies}) == 1u);
    // Two different libraries that make one mistake alike (sigma taken for a variance) give
    // the same bits on its cases too: a common wrong answer, but not a shared one (below).
    const std::vector<std::string> alike = {"c04_wrong_sigma", "c13_example"};
    BOOST_TEST(shown.count({"ex5/gaussian_random", alike}) == 1u);
    for (const auto& [id, who] : shown) BOOST_TEST((who == copies || who == alike), id);
    BOOST_TEST(blank.size() > 10u);
    for (const auto& [id, who] : blank)
        BOOST_TEST(who == (std::vector<std::string>{"c10_stub_a", "c11_stub_b"}), id);
}

BOOST_AUTO_TEST_CASE(the_copies_share_answers_and_nobody_else_does) {
    Class& c = the_class();
    const Page p(c.page);
    std::vector<xmlNodePtr> groups;
    for (xmlNodePtr n : p.with("data-group")) groups.push_back(n);
    BOOST_REQUIRE(groups.size() == 1u);
    std::vector<std::string> members;
    for (xmlNodePtr m : p.with("class", groups[0]))
        if (has_class(m, "members")) members = ids_under(p, m);
    BOOST_TEST(members == (std::vector<std::string>{"c06_copy_a", "c07_copy_b"}));
    std::set<std::string> cases;
    for (xmlNodePtr row : p.with("data-case", groups[0])) cases.insert(attr(row, "data-case"));
    BOOST_TEST(cases.count("ex6/tv_random") == 1u);  // the hidden one
    BOOST_TEST(cases.size() >= 2u);
    // Flagged in the students' table, and nobody else.
    for (xmlNodePtr row : p.with("data-student")) {
        const std::string id = attr(row, "data-student");
        const bool flagged = text_of(row).find("shared: group 1") != std::string::npos;
        BOOST_TEST(flagged == (id == "c06_copy_a" || id == "c07_copy_b"), id);
    }
    // Never in what a student receives.
    const std::string report = read_file(c.root / "reports" / "c06_copy_a.txt");
    BOOST_TEST(!report.empty());
    BOOST_TEST(report.find("c07_copy_b") == std::string::npos);
    BOOST_TEST(report.find("shared") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_terminal_summary_tells_the_same) {
    Class& c = the_class();
    const Run r = grader("summary --gradebook " + c.gradebook);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    BOOST_TEST(r.out.find("14 submissions: 13 graded, 1 load error, 0 system errors; 1 with no "
                          "submission") != std::string::npos,
               r.out);
    BOOST_TEST(r.out.find("Hardest cases") != std::string::npos);
    BOOST_TEST(r.out.find("group 1: c06_copy_a, c07_copy_b") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("2 on ex6/") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("  0 |") != std::string::npos, r.out);
    std::size_t lines = 0;
    for (char ch : r.out) lines += ch == '\n';
    BOOST_TEST(lines < 60u);
    // Asked for what it cannot do: exit 2 with a sentence.
    const Run bad = grader("summary --reports somewhere --gradebook " + c.gradebook);
    BOOST_TEST(bad.status == 2);
    BOOST_TEST(bad.out.find("give --html FILE too") != std::string::npos, bad.out);
    const Run none = grader("summary --gradebook " + (c.root / "none.sqlite").string());
    BOOST_TEST(none.status == 2);
    BOOST_TEST(none.out.find("there is no gradebook") != std::string::npos, none.out);
}

BOOST_AUTO_TEST_CASE(the_students_overview_has_no_student_and_no_hidden_case) {
    Class& c = the_class();
    const Run r =
        grader("summary --for-students --gradebook " + c.gradebook + " --html " + c.students_page);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.out);
    const Page p(c.students_page);  // well-formed too
    const std::string html = read_file(c.students_page);
    for (const auto& [id, fixture] : kClass) {
        BOOST_TEST(html.find(id) == std::string::npos, id);
        BOOST_TEST(html.find("Student " + id) == std::string::npos, id);
    }
    BOOST_TEST(html.find("Jo") == std::string::npos);
    BOOST_TEST(html.find("zz_absent") == std::string::npos);
    Db db(c.gradebook);
    for (const auto& row : db.rows("SELECT exercise || '/' || case_id FROM spec_cases WHERE "
                                   "hidden = 1"))
        for (const char* after : {"<", "\""})
            BOOST_TEST(html.find(row[0] + after) == std::string::npos, row[0]);
    std::size_t cases = 0;
    for (xmlNodePtr n : p.with("data-case")) cases += xmlStrcmp(n->name, BAD_CAST "tr") == 0;
    BOOST_TEST(std::to_string(cases) == db.one("SELECT count(*) FROM spec_cases WHERE hidden = 0"));
    BOOST_TEST(p.with("data-student").empty());
    BOOST_TEST(p.with("data-group").empty());
}

BOOST_AUTO_TEST_CASE(both_pages_render_in_headless_chromium) {
    Class& c = the_class();
    if (!fs::exists(c.students_page))
        BOOST_REQUIRE(grader("summary --for-students --gradebook " + c.gradebook + " --html " +
                             c.students_page)
                          .status == 0);
    check_renders(c.page, "summary.png");
    check_renders(c.students_page, "overview.png");
}

BOOST_AUTO_TEST_SUITE_END()
