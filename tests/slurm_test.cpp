// A real Slurm run: the test starts a one-node cluster (munged, slurmctld, slurmd, as root, in a
// temporary folder), submits the job script of docs/cluster.md as a 3-task array over a fixture
// class and the merge as a dependent job, and checks that the merged gradebook equals one unsharded
// batch of the same class, submission by submission. The daemons are stopped by their pids when the
// test ends, pass or fail, and the test checks that none is left.
#define BOOST_TEST_MODULE slurm
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tests/gradebook_rows.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using test_support::case_by_case;

namespace {

const std::string kScripts = std::string(PROJECT_ROOT) + "/tests/slurm";

using test_support::Run;
using test_support::shell;

bool running(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("State:", 0) == 0) return line.find('Z') == std::string::npos;
    return false;
}

// The cluster, up for the whole test module and stopped however it ends.
struct Cluster {
    fs::path dir;
    std::vector<pid_t> daemons;
    std::string start_output;
    bool up = false;

    Cluster() {
        // The daemons' folder is the one thing of this test kept out of its own temp_dir(): their
        // sockets' paths must fit in 108 bytes, and munged wants every folder above its socket
        // searchable by all, which a build tree under a home folder is not. A fresh folder of
        // mkdtemp's, removed at the end, is shared with nothing.
        char tmpl[] = "/tmp/grader_slurm_test_XXXXXX";
        dir = ::mkdtemp(tmpl);
        fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
        const Run r = shell(kScripts + "/start-cluster.sh " + (dir / "cluster").string());
        start_output = r.out;
        up = r.status == 0;
        for (const char* d : {"munged", "slurmctld", "slurmd"}) {
            std::ifstream in(dir / "cluster" / "pids" / d);
            pid_t pid = 0;
            if (in >> pid) daemons.push_back(pid);
        }
        ::setenv("SLURM_CONF", (dir / "cluster" / "slurm.conf").c_str(), 1);
    }
    // Returns what stopping said; the pids are then checked by the caller.
    Run stop() { return shell(kScripts + "/stop-cluster.sh " + (dir / "cluster").string()); }
    ~Cluster() {
        stop();
        for (pid_t p : daemons)
            if (running(p)) ::kill(p, SIGKILL);
        fs::remove_all(dir);
    }
};

Cluster& cluster() {
    static Cluster c;
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(slurm)

BOOST_AUTO_TEST_CASE(a_job_array_of_three_shards_merges_to_the_unsharded_batch) {
    Cluster& c = cluster();
    BOOST_REQUIRE_MESSAGE(c.up, "the Slurm cluster did not start:\n" << c.start_output);
    BOOST_REQUIRE(c.daemons.size() == 3u);

    // The class: correct, wrong, crashing and unloadable submissions, flat and in folders.
    const fs::path cls = test_support::temp_dir() / "class";
    const std::vector<std::string> fixtures = {"good_c",
                                               "good_cpp",
                                               "wrong_log2",
                                               "wrong_tv_no_half",
                                               "wrong_tau_squared",
                                               "wrong_marginal_cols",
                                               "wrong_naive_logz",
                                               "hostile_segv_softmax",
                                               "hostile_abort_tv",
                                               "hostile_sigfpe",
                                               "partial_ex1_only",
                                               "template_stub"};
    for (std::size_t i = 0; i < fixtures.size(); ++i) {
        const std::string id = "student" + std::to_string(i);
        const std::string lib = std::string(FIXTURE_DIR) + "/lib" + fixtures[i] + ".so";
        if (i % 2) {
            fs::create_directories(cls / id);
            fs::copy_file(lib, cls / id / "libsolution.so");
        } else {
            fs::create_directories(cls);
            fs::copy_file(lib, cls / (id + ".so"));
        }
    }
    std::ofstream(cls / "broken.so") << "not a library\n";

    const std::string spec = std::string(PROJECT_ROOT) + "/exercises.yaml";
    const fs::path books = test_support::temp_dir() / "gradebooks";
    ::setenv("GRADER", GRADER_EXE, 1);
    ::setenv("CLASS", cls.c_str(), 1);
    ::setenv("SPEC", spec.c_str(), 1);
    ::setenv("GRADEBOOKS", books.c_str(), 1);
    ::setenv("GRADER_ARGS", "--time-limit 2 --quiet", 1);

    // As the README submits them: the array, then the merge depending on it.
    const std::string scripts = std::string(PROJECT_ROOT) + "/scripts/cluster";
    const std::string out = (test_support::temp_dir() / "out").string();
    fs::create_directories(out);
    const Run array = shell("cd " + out +
                            " && timeout 60 sbatch --parsable --array=0-2 "
                            "--cpus-per-task=1 " +
                            scripts + "/grade-shard.sbatch");
    BOOST_REQUIRE_MESSAGE(array.status == 0, array.out);
    const std::string job = array.out.substr(0, array.out.find_first_of(";\n"));
    const Run merge = shell("cd " + out +
                            " && timeout 900 sbatch --wait --parsable "
                            "--dependency=afterok:" +
                            job +
                            " --kill-on-invalid-dep=yes "
                            "--output=" +
                            out + "/merge.out " + scripts + "/merge.sbatch");
    std::string logs;
    for (const auto& f : fs::directory_iterator(out)) {
        std::ifstream in(f.path());
        logs +=
            "--- " + f.path().string() + "\n" + std::string(std::istreambuf_iterator<char>(in), {});
    }
    BOOST_REQUIRE_MESSAGE(merge.status == 0, "sbatch --wait: " << merge.out << "\n" << logs);
    // sbatch --wait also exits 0 for a merge cancelled because a shard failed: read what it did.
    std::ifstream merged_log(out + "/merge.out");
    const std::string log((std::istreambuf_iterator<char>(merged_log)), {});
    BOOST_TEST(
        log.find("Merged into " + (books / "gradebook.sqlite").string()) != std::string::npos, log);
    for (int k = 0; k < 3; ++k) {
        BOOST_TEST_CONTEXT("shard " << k) {
            const fs::path shard = books / ("shard-" + std::to_string(k) + "-of-3.sqlite");
            BOOST_TEST(fs::exists(shard));
            std::ifstream task(out + "/grade-shard-" + job + "_" + std::to_string(k) + ".out");
            const std::string text((std::istreambuf_iterator<char>(task)), {});
            BOOST_TEST(text.find("Shard " + std::to_string(k) + " of 3") != std::string::npos,
                       text);
        }
    }

    // The same class in one unsharded batch, here.
    const std::string whole = (test_support::temp_dir() / "whole.sqlite").string();
    const Run one = shell(std::string(GRADER_EXE) + " batch " + cls.string() + " --spec " + spec +
                          " --time-limit 2 --quiet --gradebook " + whole);
    BOOST_REQUIRE_MESSAGE(one.status == 0, one.out);
    const auto expected = case_by_case(whole);
    BOOST_TEST(expected.size() == fixtures.size() + 1);
    BOOST_TEST(case_by_case((books / "gradebook.sqlite").string()) == expected);

    // Stopped by their pids: nothing of the cluster is left.
    const Run stopped = c.stop();
    BOOST_TEST(stopped.status == 0, stopped.out);
    for (int i = 0; i < 50; ++i) {
        bool any = false;
        for (pid_t p : c.daemons) any |= running(p);
        if (!any) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (pid_t p : c.daemons) BOOST_TEST(!running(p), "daemon " << p << " is still running");
}

BOOST_AUTO_TEST_SUITE_END()
