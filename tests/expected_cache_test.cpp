// The expected values' cache: a warm cache gives exactly the cases (and so the reports) that
// preparing afresh gives, and a file that is stale, cut short, altered or garbage is noticed,
// ignored and made again, never believed.
#define BOOST_TEST_MODULE expected_cache
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include "grader/grading/expand.hpp"
#include "grader/grading/expected_cache.hpp"
#include "grader/grading/grade.hpp"
#include "grader/grading/reference_runner.hpp"
#include "grader/report/report.hpp"
#include "grader/spec/spec.hpp"
#include "tests/temp_dir.hpp"

using namespace grader;
namespace fs = std::filesystem;

namespace {

struct Setup {
    spec::Spec spec = spec::load(std::string(PROJECT_ROOT) + "/exercises.yaml");
    grading::Reference reference{REFERENCE_LIB, spec.functions};
};

const Setup& setup() {
    static const Setup s;
    return s;
}

// A fresh, empty cache directory per test.
struct TempDir {
    fs::path path;
    TempDir() {
        path = test_support::temp_dir() /
               boost::unit_test::framework::current_test_case().p_name.get();
        fs::remove_all(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

grading::PrepareOptions seeded(std::uint64_t seed) {
    grading::PrepareOptions o;
    o.hidden_seed = seed;
    return o;
}

// What `grade --format json --no-timings` writes for these cases, graded by the reference.
std::string report_of(const grading::Prepared& cases) {
    grading::ReferenceRunner runner(setup().reference, cases.functions.size());
    const result::Result r = grading::grade(cases, runner, REFERENCE_LIB);
    std::ostringstream out;
    report::TextOptions options;
    options.timings = false;
    report::render(r, report::Format::Json, out, options);
    return out.str();
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expected_cache)

BOOST_AUTO_TEST_CASE(serializing_keeps_every_field) {
    const grading::Prepared p = grading::prepare(setup().spec, setup().reference, seeded(7));
    const std::string bytes = grading::serialize(p);
    grading::Prepared back = grading::deserialize(bytes);
    BOOST_TEST(grading::serialize(back) == bytes);
    back.source = p.source;
    BOOST_TEST(report_of(back) == report_of(p));
}

BOOST_AUTO_TEST_CASE(cold_warm_and_no_cache_give_the_same_report) {
    TempDir dir;
    const grading::ExpectedCache cache(dir.path.string());
    const auto& s = setup();
    const std::string fresh = report_of(grading::prepare(s.spec, s.reference, {}));
    const std::string path = cache.path_for(s.spec, s.reference, {});
    BOOST_TEST(!fs::exists(path));
    BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, {})) == fresh);  // cold: computed
    BOOST_TEST_REQUIRE(fs::exists(path));
    const auto written = fs::last_write_time(path);
    BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, {})) == fresh);  // warm: read
    BOOST_TEST((fs::last_write_time(path) == written));                      // and not rewritten

    // Hidden cases' inputs are in it: the owner's alone.
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(path.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    BOOST_TEST_REQUIRE(::stat(dir.path.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0700u);
}

BOOST_AUTO_TEST_CASE(other_seeds_and_choices_are_other_entries) {
    TempDir dir;
    const grading::ExpectedCache cache(dir.path.string());
    const auto& s = setup();
    grading::PrepareOptions public_only;
    public_only.public_only = true;
    for (const grading::PrepareOptions& o : {seeded(1), seeded(2), public_only}) {
        const std::string fresh = report_of(grading::prepare(s.spec, s.reference, o));
        BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, o)) == fresh);
        BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, o)) == fresh);
    }
    BOOST_TEST(cache.path_for(s.spec, s.reference, seeded(1)) !=
               cache.path_for(s.spec, s.reference, seeded(2)));
    BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, seeded(1))) !=
               report_of(cache.prepare(s.spec, s.reference, seeded(2))));
}

// Each way a file can go bad: the right cases come back, and the file is made again.
BOOST_AUTO_TEST_CASE(a_damaged_or_stale_file_is_made_again) {
    TempDir dir;
    const grading::ExpectedCache cache(dir.path.string());
    const auto& s = setup();
    const std::string fresh = report_of(grading::prepare(s.spec, s.reference, seeded(3)));
    const fs::path path = cache.path_for(s.spec, s.reference, seeded(3));
    cache.prepare(s.spec, s.reference, seeded(3));
    const std::string good = read_file(path);
    BOOST_TEST_REQUIRE(good.size() > 1000u);

    // The same file, made for other inputs: seed 4's cases where seed 3's belong.
    cache.prepare(s.spec, s.reference, seeded(4));
    const std::string other = read_file(cache.path_for(s.spec, s.reference, seeded(4)));

    std::string flipped = good;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x01);
    std::string flipped_header = good;
    flipped_header[30] = static_cast<char>(flipped_header[30] ^ 0x20);
    const std::map<std::string, std::string> damages = {
        {"a flipped bit", flipped},
        {"a flipped bit in the header", flipped_header},
        {"cut short", good.substr(0, good.size() - 100)},
        {"cut to its header", good.substr(0, 40)},
        {"empty", ""},
        {"garbage", std::string(5000, '\x7f')},
        {"another key", other},
    };
    for (const auto& [what, bytes] : damages) {
        BOOST_TEST_CONTEXT(what) {
            write_file(path, bytes);
            BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, seeded(3))) == fresh);
            BOOST_TEST(read_file(path) == good);  // made again
        }
    }
}

BOOST_AUTO_TEST_CASE(an_edited_spec_is_prepared_again) {
    TempDir dir;
    fs::create_directories(dir.path);
    const fs::path copy = dir.path / "exercises.yaml";
    fs::copy_file(setup().spec.path, copy);
    const grading::ExpectedCache cache((dir.path / "cache").string());
    const auto& ref = setup().reference;
    const spec::Spec before = spec::load(copy.string());
    cache.prepare(before, ref, {});
    // The same file, edited: another title, so other cases.
    std::string text = read_file(copy);
    const std::string title = "title: ";
    const auto at = text.find(title);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.insert(at + title.size(), "Edited ");
    write_file(copy, text);
    const spec::Spec after = spec::load(copy.string());
    BOOST_TEST(cache.path_for(before, ref, {}) == cache.path_for(after, ref, {}));
    const grading::Prepared got = cache.prepare(after, ref, {});
    BOOST_TEST(got.title == after.title);
    BOOST_TEST(report_of(got) == report_of(grading::prepare(after, ref, {})));
}

BOOST_AUTO_TEST_CASE(an_unwritable_directory_costs_only_the_cache) {
    const grading::ExpectedCache cache("/proc/no-such-dir/kl-grader");
    const auto& s = setup();
    BOOST_TEST(report_of(cache.prepare(s.spec, s.reference, {})) ==
               report_of(grading::prepare(s.spec, s.reference, {})));
}

// Through the command line, as an instructor runs it: cold, warm and --no-cache reports are the
// same bytes, and a damaged entry is reported in one line on stderr.
BOOST_AUTO_TEST_CASE(grade_reports_are_the_same_cold_warm_and_without_the_cache) {
    TempDir dir;
    fs::create_directories(dir.path);
    const fs::path cache = dir.path / "cache";
    auto grade = [&](const std::string& name, const std::string& flags) {
        const fs::path out = dir.path / (name + ".json");
        const std::string command =
            std::string(GRADER_EXE) + " grade " + REFERENCE_LIB + " --spec " + PROJECT_ROOT +
            "/exercises.yaml --reference " + REFERENCE_LIB + " --format json --no-timings -o " +
            out.string() + " " + flags + " 2>" + (dir.path / (name + ".err")).string();
        BOOST_TEST(std::system(command.c_str()) == 0, command);
        return read_file(out);
    };
    const std::string with = "--cache-dir " + cache.string();
    const std::string cold = grade("cold", with);
    BOOST_TEST_REQUIRE(!cold.empty());
    BOOST_TEST_REQUIRE(fs::exists(cache));
    BOOST_TEST(grade("warm", with) == cold);
    BOOST_TEST(grade("none", "--no-cache --cache-dir " + (dir.path / "unused").string()) == cold);
    BOOST_TEST(!fs::exists(dir.path / "unused"));
    BOOST_TEST(read_file(dir.path / "warm.err").empty());

    for (const fs::directory_entry& e : fs::directory_iterator(cache)) {
        std::string bytes = read_file(e.path());
        bytes.resize(bytes.size() / 2);
        write_file(e.path(), bytes);
    }
    BOOST_TEST(grade("damaged", with) == cold);
    const std::string err = read_file(dir.path / "damaged.err");
    BOOST_TEST(err.find("are damaged (cut short or altered); computing them again") !=
               std::string::npos);
    BOOST_TEST(std::count(err.begin(), err.end(), '\n') == 1);
    BOOST_TEST(grade("again", with) == cold);
    BOOST_TEST(read_file(dir.path / "again.err").empty());
}

BOOST_AUTO_TEST_SUITE_END()
