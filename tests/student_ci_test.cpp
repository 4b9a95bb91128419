// The students' CI: student_template/check.sh run as a student's push would run it, on a copy of
// the template with the grader and the public bundle where the instructor puts them (tools/, or
// a student kit's tarball there or at $GRADER_KIT_URL), on the untouched stubs, on a correct
// solution and on one that does not compile, with CMake and with the compiler alone; and the
// GitHub and GitLab jobs checked to call that script on a stock runner or image, with no
// container and no package to install, and publish its report.
#define BOOST_TEST_MODULE student_ci
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kTemplate = fs::path(PROJECT_ROOT) / "student_template";
const std::string kReport = "build/grader-report.xml";

using test_support::Run;
using test_support::shell;

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fresh copy of the template as a student's repository holds it, with the instructor's
// grader and public bundle in tools/, and `solution` (if given) in place of the stubs.
fs::path student_repo(const std::string& name, const std::string& solution = "") {
    const fs::path repo = test_support::temp_dir() / name;
    fs::remove_all(repo);
    fs::copy(kTemplate, repo, fs::copy_options::recursive);
    fs::remove_all(repo / "build");
    fs::create_directories(repo / "tools");
    // A link where it can be: the build tree keeps each repository until the next run, and the
    // grader with its debug information weighs about 90 MB.
    std::error_code no_link;
    fs::create_hard_link(GRADER_EXE, repo / "tools" / "grader", no_link);
    if (no_link) fs::copy_file(GRADER_EXE, repo / "tools" / "grader");
    const Run bundle = shell("cd " PROJECT_ROOT " && " GRADER_EXE " bundle -o " +
                             (repo / "tools" / "public_cases.json").string());
    BOOST_REQUIRE(bundle.status == 0);
    if (!solution.empty())
        fs::copy_file(solution, repo / "solution.cpp", fs::copy_options::overwrite_existing);
    return repo;
}

// check.sh as a CI runner starts it, with PATH, HOME and TMPDIR only: a GRADER, GRADER_BUNDLE,
// BUILD_DIR or GITHUB_STEP_SUMMARY of whoever runs the tests must not stand in for what the
// repository holds.
Run check(const fs::path& repo, const std::string& path = "/usr/local/bin:/usr/bin:/bin",
          const std::string& args = "", const std::string& env = "") {
    const fs::path home = test_support::temp_dir() / "home";
    fs::create_directories(home);
    return shell("cd " + repo.string() + " && env -i PATH=" + path + " HOME=" + home.string() +
                 " TMPDIR=" + test_support::temp_dir().string() + env + " ./check.sh" + args);
}

// A student kit's tarball as `make student-kit` lays it out (student-kit/grader beside its
// public bundle), with this build's grader standing in for the kit's static one: what check.sh
// does with the tarball is under test here; the kit's grader is the test student_kit's.
fs::path kit_tarball(const std::string& name) {
    const fs::path dir = test_support::temp_dir() / name;
    fs::remove_all(dir);
    fs::create_directories(dir / "student-kit");
    std::error_code no_link;
    fs::create_hard_link(GRADER_EXE, dir / "student-kit" / "grader", no_link);
    if (no_link) fs::copy_file(GRADER_EXE, dir / "student-kit" / "grader");
    BOOST_REQUIRE(shell("cd " PROJECT_ROOT " && " GRADER_EXE " bundle -o " +
                        (dir / "student-kit" / "public_cases.json").string())
                      .status == 0);
    BOOST_REQUIRE(
        shell("cd " + dir.string() + " && tar -czf student-kit.tar.gz student-kit").status == 0);
    return dir / "student-kit.tar.gz";
}

// A student's repository with nothing of the instructor's in tools/ but what the test puts.
fs::path bare_repo(const std::string& name, const std::string& solution) {
    const fs::path repo = student_repo(name, solution);
    fs::remove(repo / "tools" / "grader");
    fs::remove(repo / "tools" / "public_cases.json");
    return repo;
}

const std::string kGood = std::string(PROJECT_ROOT) + "/tests/fixtures/good/solution_cpp.cpp";
const std::string kPath = "/usr/local/bin:/usr/bin:/bin";

// What GitHub Classroom's reporter reads from the step's output `result`: the base64 JSON
// check.sh wrote into the file named by GITHUB_OUTPUT, decoded as the reporter decodes it.
nlohmann::json classroom_result(const fs::path& github_output) {
    const std::string text = read(github_output);
    const auto at = text.rfind("result=");
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no result= in " << text);
    const std::string encoded = text.substr(at + 7, text.find('\n', at) - at - 7);
    const fs::path file = github_output.parent_path() / "result.b64";
    std::ofstream(file) << encoded;
    const Run decoded = shell("base64 -d " + file.string());
    BOOST_REQUIRE(decoded.status == 0);
    return nlohmann::json::parse(decoded.out);
}

// The reporter's sums: "Points X/Y" is the tests' scores over max_score.
std::pair<double, double> classroom_points(const nlohmann::json& j) {
    double score = 0;
    for (const auto& t : j["tests"]) score += t["score"].get<double>();
    return {score, j["max_score"].get<double>()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(student_ci)

BOOST_AUTO_TEST_CASE(the_stubs_build_grade_to_zero_and_fail_the_job_with_a_report) {
    const fs::path repo = student_repo("stub");
    const Run r = check(repo);
    BOOST_TEST(r.status == 1, r.out);
    BOOST_TEST(r.out.find("Total: 0/") != std::string::npos);
    const std::string xml = read(repo / kReport);
    BOOST_TEST(xml.find("<testsuites") != std::string::npos);
    BOOST_TEST(xml.find("failures=\"0\" errors=\"0\"") == std::string::npos);
}

// --repro: the failing public cases as C programs in build/repro, built against the library.
BOOST_AUTO_TEST_CASE(repro_writes_and_builds_the_failing_cases_as_programs) {
    const fs::path repo = student_repo("repro");
    const Run r = check(repo, "/usr/local/bin:/usr/bin:/bin", " --repro");
    BOOST_TEST(r.status == 1, r.out);
    BOOST_TEST(
        r.out.find("== Failing public cases as C programs: build/repro") != std::string::npos,
        r.out);
    const fs::path program = repo / "build" / "repro" / "ex1_tokens_kl_pq";
    BOOST_REQUIRE_MESSAGE(fs::exists(program), r.out);
    const Run run = shell(program.string());
    BOOST_TEST(run.status == 1, run.out);
    BOOST_TEST(run.out.find("return value: expected 0.16947054890027") != std::string::npos,
               run.out);
    BOOST_TEST(check(repo, "/usr/local/bin:/usr/bin:/bin", " --frobnicate").status == 2);
}

BOOST_AUTO_TEST_CASE(a_correct_solution_passes_the_job) {
    const fs::path repo =
        student_repo("good", std::string(PROJECT_ROOT) + "/tests/fixtures/good/solution_cpp.cpp");
    const Run r = check(repo);
    BOOST_TEST(r.status == 0, r.out);
    const std::string xml = read(repo / kReport);
    BOOST_TEST(xml.find("<testsuites") != std::string::npos);
    BOOST_TEST(xml.find("<failure") == std::string::npos);
    BOOST_TEST(xml.find("<error") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(github_classroom_gets_the_points_of_the_report) {
    const fs::path good = student_repo(
        "classroom_good", std::string(PROJECT_ROOT) + "/tests/fixtures/good/solution_cpp.cpp");
    const fs::path output = good / "github_output";
    const Run r =
        check(good, "/usr/local/bin:/usr/bin:/bin", "", " GITHUB_OUTPUT=" + output.string());
    BOOST_TEST(r.status == 0, r.out);
    const nlohmann::json j = classroom_result(output);
    BOOST_TEST(j["status"] == "pass");
    const auto [score, max_score] = classroom_points(j);
    BOOST_TEST(max_score > 0);
    BOOST_TEST(score == max_score);
    BOOST_TEST(r.out.find("Total: " + std::to_string(static_cast<int>(score)) + "/" +
                          std::to_string(static_cast<int>(max_score))) != std::string::npos,
               r.out);

    const fs::path stub = student_repo("classroom_stub");
    const Run s = check(stub, "/usr/local/bin:/usr/bin:/bin", "",
                        " GITHUB_OUTPUT=" + (stub / "out").string());
    BOOST_TEST(s.status == 1, s.out);
    const nlohmann::json k = classroom_result(stub / "out");
    BOOST_TEST(k["status"] == "fail");
    BOOST_TEST(classroom_points(k).first == 0.0);
    BOOST_TEST(classroom_points(k).second == max_score);

    const fs::path broken = student_repo("classroom_broken");
    std::ofstream(broken / "solution.cpp", std::ios::app) << "\nthis does not compile\n";
    BOOST_TEST(check(broken, "/usr/local/bin:/usr/bin:/bin", "",
                     " GITHUB_OUTPUT=" + (broken / "out").string())
                   .status == 1);
    const nlohmann::json b = classroom_result(broken / "out");
    BOOST_TEST(b["status"] == "error");
    BOOST_TEST(b["tests"][0]["message"] == "the submission does not build");
}

BOOST_AUTO_TEST_CASE(a_build_failure_fails_the_job_with_a_report_that_says_so) {
    const fs::path repo = student_repo("broken");
    std::ofstream(repo / "solution.cpp", std::ios::app) << "\nthis does not compile\n";
    const Run r = check(repo);
    BOOST_TEST(r.status == 1, r.out);
    BOOST_TEST(read(repo / kReport).find("the submission does not build") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_the_grader_it_says_where_to_put_it) {
    const fs::path repo = student_repo("nograder");
    fs::remove(repo / "tools" / "grader");
    // A PATH of its own: on a machine with the grader installed (the Debian package puts it in
    // /usr/bin), /usr/bin would have one. check.sh needs only bash and dirname to get that far.
    const fs::path bin = test_support::temp_dir() / "nograder-bin";
    fs::create_directories(bin);
    for (const char* tool : {"bash", "dirname"}) {
        const Run where = shell(std::string("command -v ") + tool);
        BOOST_REQUIRE_MESSAGE(where.status == 0, tool << " is not on PATH");
        fs::create_symlink(where.out.substr(0, where.out.find('\n')), bin / tool);
    }
    const Run r = check(repo, bin.string());
    BOOST_TEST(r.status == 2, r.out);
    BOOST_TEST(r.out.find("put it at tools/grader") != std::string::npos);
}

// The instructor commits the kit's tarball as tools/student-kit.tar.gz: the first run unpacks
// it and grades with its grader and bundle, later runs use what is unpacked.
BOOST_AUTO_TEST_CASE(a_kit_tarball_in_tools_is_unpacked_and_grades) {
    const fs::path repo = bare_repo("kit_tarball", kGood);
    fs::copy_file(kit_tarball("kit_tarball_src"), repo / "tools" / "student-kit.tar.gz");
    const Run r = check(repo);
    BOOST_TEST(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Unpacking tools/student-kit.tar.gz") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("tools/student-kit/public_cases.json") != std::string::npos, r.out);
    BOOST_TEST(fs::exists(repo / "tools" / "student-kit" / "grader"));
    const Run again = check(repo);
    BOOST_TEST(again.status == 0, again.out);
    BOOST_TEST(again.out.find("Unpacking") == std::string::npos, again.out);
}

// Or publishes it at an address, set as the CI variable GRADER_KIT_URL: downloaded once.
BOOST_AUTO_TEST_CASE(a_kit_at_grader_kit_url_is_downloaded_and_grades) {
    const fs::path repo = bare_repo("kit_url", kGood);
    const fs::path tarball = kit_tarball("kit_url_src");
    const Run r = check(repo, kPath, "", " GRADER_KIT_URL=file://" + tarball.string());
    BOOST_TEST(r.status == 0, r.out);
    BOOST_TEST(r.out.find("Downloading the student kit from file://") != std::string::npos, r.out);
    BOOST_TEST(fs::exists(repo / "tools" / "student-kit.tar.gz"));

    const fs::path missing = bare_repo("kit_url_missing", kGood);
    const Run m =
        check(missing, kPath, "",
              " GRADER_KIT_URL=file://" + (tarball.parent_path() / "nothing.tar.gz").string());
    BOOST_TEST(m.status == 2, m.out);
    BOOST_TEST(m.out.find("could not download the student kit from file://") != std::string::npos,
               m.out);
    BOOST_TEST(!fs::exists(missing / "tools" / "student-kit.tar.gz"));
}

// GitLab's job runs on any image with a compiler (gcc:14 has no CMake): check.sh then builds
// with the compiler alone. PATH is every program of /usr/bin but cmake.
BOOST_AUTO_TEST_CASE(without_cmake_the_compiler_alone_builds_the_submission) {
    const fs::path bin = test_support::temp_dir() / "no-cmake-bin";
    fs::remove_all(bin);
    fs::create_directories(bin);
    for (const auto& entry : fs::directory_iterator("/usr/bin")) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("cmake", 0) != 0) fs::create_symlink(entry.path(), bin / name);
    }
    const fs::path good = student_repo("no_cmake_good", kGood);
    const Run r = check(good, bin.string());
    BOOST_TEST(r.status == 0, r.out);
    BOOST_TEST(fs::exists(good / "build" / "libsolution.so"));
    BOOST_TEST(fs::exists(good / "build" / "CMakeCache.txt") == false);

    const fs::path stub = student_repo("no_cmake_stub");
    const Run s = check(stub, bin.string());
    BOOST_TEST(s.status == 1, s.out);
    BOOST_TEST(s.out.find("Total: 0/") != std::string::npos, s.out);

    const fs::path broken = student_repo("no_cmake_broken");
    std::ofstream(broken / "solution.cpp", std::ios::app) << "\nthis does not compile\n";
    const Run b = check(broken, bin.string());
    BOOST_TEST(b.status == 1, b.out);
    BOOST_TEST(read(broken / kReport).find("the submission does not build") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(github_and_gitlab_run_the_script_and_publish_its_report) {
    const YAML::Node gh = YAML::LoadFile((kTemplate / ".github/workflows/grade.yml").string());
    bool runs = false, uploads = false;
    for (const YAML::Node& step : gh["jobs"]["grade"]["steps"]) {
        if (step["run"] && step["run"].as<std::string>().find("./check.sh") == 0) runs = true;
        if (step["uses"] &&
            step["uses"].as<std::string>().rfind("actions/upload-artifact", 0) == 0) {
            uploads = step["if"].as<std::string>() == "always()" &&
                      step["with"]["path"].as<std::string>() == kReport;
        }
    }
    BOOST_TEST(runs);
    BOOST_TEST(uploads);
    // The Classroom reporter reads the step `grade`'s output through GRADE_RESULTS, and finds
    // the check run it writes the points on by the job's name.
    BOOST_TEST(gh["jobs"]["grade"]["name"].as<std::string>() == "Autograding Tests");
    BOOST_TEST(gh["permissions"]["checks"].as<std::string>() == "write");
    bool reports = false;
    for (const YAML::Node& step : gh["jobs"]["grade"]["steps"]) {
        if (step["uses"] && step["uses"].as<std::string>().rfind(
                                "classroom-resources/autograding-grading-reporter@", 0) == 0) {
            reports = step["with"]["runners"].as<std::string>() == "grade" &&
                      step["env"]["GRADE_RESULTS"].as<std::string>() ==
                          "${{ steps.grade.outputs.result }}" &&
                      step["if"].as<std::string>() == "always()";
        }
        if (step["run"] && step["run"].as<std::string>().find("./check.sh") == 0)
            BOOST_TEST(step["id"].as<std::string>() == "grade");
    }
    BOOST_TEST(reports);
    // The stock runner as it is, with the student kit: no container, no package installed.
    BOOST_TEST(gh["jobs"]["grade"]["runs-on"].as<std::string>() == "ubuntu-latest");
    BOOST_TEST(!gh["jobs"]["grade"]["container"]);
    for (const YAML::Node& step : gh["jobs"]["grade"]["steps"]) {
        if (!step["run"]) continue;
        const std::string run = step["run"].as<std::string>();
        BOOST_TEST(run.find("apt-get") == std::string::npos, run);
        BOOST_TEST(run.find("--install-deps") == std::string::npos, run);
        if (run.find("./check.sh") == 0)
            BOOST_TEST(step["env"]["GRADER_KIT_URL"].as<std::string>() ==
                       "${{ vars.GRADER_KIT_URL }}");
    }
    const YAML::Node gl = YAML::LoadFile((kTemplate / ".gitlab-ci.yml").string());
    BOOST_TEST(gl["grade"]["script"][0].as<std::string>().find("./check.sh") == 0u);
    BOOST_TEST(gl["grade"]["script"].size() == 1u);
    BOOST_TEST(!gl["grade"]["before_script"]);
    BOOST_TEST(gl["grade"]["script"][0].as<std::string>().find("--install-deps") ==
               std::string::npos);
    BOOST_TEST(gl["grade"]["image"].as<std::string>().rfind("debian", 0) != 0u);
    BOOST_TEST(gl["grade"]["artifacts"]["reports"]["junit"].as<std::string>() == kReport);
    BOOST_TEST(gl["grade"]["artifacts"]["when"].as<std::string>() == "always");
}

BOOST_AUTO_TEST_SUITE_END()
