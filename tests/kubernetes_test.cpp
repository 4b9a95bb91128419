// The Kubernetes manifest of docs/cluster.md (scripts/cluster/grade-class.k8s.yaml), run the way an
// Indexed Job runs it: there is no cluster here, so the test reads the manifest, checks the shape
// an Indexed Job needs (the shard count in `--shard auto/N` equal to `completions`, the gradebook
// pattern the merge Job reads), then starts each pod's command itself with the
// JOB_COMPLETION_INDEX Kubernetes would set, the image's paths mapped onto the build and the
// shared volume onto a temporary folder, and the merge Job's shell command after them. The merged
// gradebook must equal one unsharded batch of the same class, submission by submission.
#define BOOST_TEST_MODULE kubernetes
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <yaml-cpp/yaml.h>

#include "tests/gradebook_rows.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using test_support::case_by_case;

namespace {

const fs::path kManifest = fs::path(PROJECT_ROOT) / "scripts/cluster/grade-class.k8s.yaml";

// Where the manifest's image keeps things, and where the build has them.
const std::string kImageGrader = "/opt/kl-grader/bin/grader";
const std::string kImageSpec = "/opt/kl-grader/exercises.yaml";

using test_support::Run;
using test_support::shell;

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The manifest's paths, moved from the image and the volume to this machine.
std::string mapped(std::string text, const fs::path& volume) {
    auto replace_all = [&](const std::string& from, const std::string& to) {
        for (std::size_t at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    };
    replace_all(kImageGrader, GRADER_EXE);
    replace_all(kImageSpec, std::string(PROJECT_ROOT) + "/exercises.yaml");
    replace_all("/data/", volume.string() + "/");
    return text;
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (test_support::temp_dir() / "volume_XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

// The manifest's two Jobs: the Indexed one grading shards, then the merge.
struct Jobs {
    YAML::Node grade, merge;
};

Jobs read_manifest() {
    const std::vector<YAML::Node> docs = YAML::LoadAllFromFile(kManifest.string());
    BOOST_REQUIRE_EQUAL(docs.size(), 2u);
    for (const YAML::Node& d : docs) {
        BOOST_TEST(d["apiVersion"].as<std::string>() == "batch/v1");
        BOOST_TEST(d["kind"].as<std::string>() == "Job");
    }
    return {docs[0], docs[1]};
}

std::vector<std::string> command_of(const YAML::Node& job) {
    const YAML::Node containers = job["spec"]["template"]["spec"]["containers"];
    BOOST_REQUIRE_EQUAL(containers.size(), 1u);
    return containers[0]["command"].as<std::vector<std::string>>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kubernetes)

BOOST_AUTO_TEST_CASE(the_manifest_is_an_indexed_job_whose_shards_match_its_merge) {
    const Jobs jobs = read_manifest();
    const YAML::Node spec = jobs.grade["spec"];
    BOOST_TEST(spec["completionMode"].as<std::string>() == "Indexed");
    const int completions = spec["completions"].as<int>();
    BOOST_TEST(spec["parallelism"].as<int>() == completions);
    // A pod that fails is run again and must resume, not start over: Never restarts in place.
    BOOST_TEST(spec["template"]["spec"]["restartPolicy"].as<std::string>() == "Never");

    const std::vector<std::string> grade = command_of(jobs.grade);
    BOOST_REQUIRE(!grade.empty());
    BOOST_TEST(grade[0] == kImageGrader);
    std::string joined;
    for (const std::string& word : grade) joined += word + " ";
    BOOST_TEST(joined.find("--shard auto/" + std::to_string(completions) + " ") !=
               std::string::npos);
    BOOST_TEST(joined.find("--gradebook /data/grades/shard-{k}-of-{n}.sqlite") !=
               std::string::npos);

    const std::vector<std::string> merge = command_of(jobs.merge);
    BOOST_REQUIRE_EQUAL(merge.size(), 3u);
    BOOST_TEST(merge[2].find("shard-*-of-" + std::to_string(completions) + ".sqlite") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(its_pods_and_merge_give_the_unsharded_batch) {
    const Jobs jobs = read_manifest();
    const int completions = jobs.grade["spec"]["completions"].as<int>();
    TempDir volume;

    // The class on the shared volume: correct, wrong, crashing and unloadable submissions.
    const fs::path cls = volume.path / "class";
    fs::create_directories(cls);
    const std::vector<std::string> fixtures = {
        "good_c",           "wrong_log2",       "wrong_tv_no_half",
        "wrong_naive_logz", "hostile_abort_tv", "partial_ex1_only",
        "template_stub",    "good_cpp",         "wrong_tau_squared"};
    for (std::size_t i = 0; i < fixtures.size(); ++i)
        fs::copy_file(std::string(FIXTURE_DIR) + "/lib" + fixtures[i] + ".so",
                      cls / ("student" + std::to_string(i) + ".so"));
    std::ofstream(cls / "broken.so") << "not a library\n";
    fs::create_directories(volume.path / "grades");

    // Each pod as Kubernetes starts it: its command word for word, and its completion index.
    const std::vector<std::string> grade = command_of(jobs.grade);
    std::string command;
    for (const std::string& word : grade) command += quoted(mapped(word, volume.path)) + " ";
    // The fixtures' endless loops must not cost the manifest's real time limit.
    command += "--time-limit 2 --quiet";
    for (int k = 0; k < completions; ++k) {
        BOOST_TEST_CONTEXT("pod " << k) {
            const Run pod = shell("JOB_COMPLETION_INDEX=" + std::to_string(k) + " " + command);
            // 0: every submission of the shard was graded, whatever its score.
            BOOST_TEST(pod.status == 0, pod.out);
            BOOST_TEST(fs::exists(
                volume.path / "grades" /
                ("shard-" + std::to_string(k) + "-of-" + std::to_string(completions) + ".sqlite")));
        }
    }

    const std::vector<std::string> merge = command_of(jobs.merge);
    const Run merged =
        shell(quoted(merge[0]) + " " + merge[1] + " " + quoted(mapped(merge[2], volume.path)));
    BOOST_REQUIRE_MESSAGE(merged.status == 0, merged.out);

    const std::string whole = (volume.path / "whole.sqlite").string();
    const Run one =
        shell(std::string(GRADER_EXE) + " batch " + cls.string() + " --spec " + PROJECT_ROOT +
              "/exercises.yaml --time-limit 2 --quiet --gradebook " + whole);
    BOOST_REQUIRE_MESSAGE(one.status == 0, one.out);
    const auto expected = case_by_case(whole);
    BOOST_TEST(expected.size() == fixtures.size() + 1);
    BOOST_TEST(case_by_case((volume.path / "grades" / "gradebook.sqlite").string()) == expected);
}

BOOST_AUTO_TEST_SUITE_END()
