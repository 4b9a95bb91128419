// One submission's calls spread over two workers: the report (verdicts, messages, what the
// submission printed) is byte for byte the one a single worker gives, for a correct submission
// and for ones that crash, loop, exit or print.
#define BOOST_TEST_MODULE parallel_runner
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

#include "graded_fixture.hpp"
#include "grader/report/report.hpp"
#include "grader/sandbox/parallel_runner.hpp"

using namespace grader;
using namespace graded_fixture;

namespace {

// The per-call limit for the fixture that never returns: short, so the suite stays quick.
constexpr double kShortLimit = 0.3;

// Both report formats a person and a program read, without time figures.
std::string reports_of(const std::string& fixture, int workers, double time_limit = 0) {
    sandbox::ProcessRunnerConfig config;
    config.worker_exe = WORKER_EXE;
    config.library = fixture_path(fixture);
    config.functions = cases().prepared.functions;
    grading::Prepared prepared = cases().prepared;
    if (time_limit > 0)
        for (auto& ex : prepared.exercises)
            for (auto& c : ex.cases)
                for (auto& inst : c.instances)
                    for (auto& call : inst.calls) call.call.time_limit_seconds = time_limit;
    auto runner = sandbox::make_parallel_runner(config, workers);
    const result::Result r = grading::grade(prepared, *runner, config.library);
    report::TextOptions options;
    options.timings = false;
    std::ostringstream out;
    report::render(r, report::Format::Json, out, options);
    report::render(r, report::Format::Text, out, options);
    return out.str();
}

void same_with_two_workers(const std::string& fixture, double time_limit = 0) {
    BOOST_TEST_CONTEXT(fixture) {
        const std::string one = reports_of(fixture, 1, time_limit);
        const std::string two = reports_of(fixture, 2, time_limit);
        BOOST_TEST(one == two);
    }
}

// n calls of the spec's own to `function` (its prepared cases' calls, over and over).
std::vector<sandbox::Call> calls_of(const std::string& function, std::size_t n) {
    const grading::Prepared& p = cases().prepared;
    const int f = p.function_index(function);
    std::vector<sandbox::Call> found;
    for (const auto& ex : p.exercises)
        for (const auto& c : ex.cases)
            for (const auto& inst : c.instances)
                for (const auto& call : inst.calls)
                    if (call.student && static_cast<int>(call.call.function) == f)
                        found.push_back(call.call);
    BOOST_TEST_REQUIRE(!found.empty());
    std::vector<sandbox::Call> out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(found[i % found.size()]);
        out.back().time_limit_seconds = kShortLimit;
    }
    return out;
}

// How each call of each run ended, as a report would tell it.
std::vector<std::string> outcomes(const std::string& fixture, int workers,
                                  const std::vector<std::vector<sandbox::Call>>& runs) {
    sandbox::ProcessRunnerConfig config;
    config.worker_exe = WORKER_EXE;
    config.library = fixture_path(fixture);
    config.functions = cases().prepared.functions;
    auto runner = sandbox::make_parallel_runner(config, workers);
    std::vector<std::string> out;
    for (const auto& calls : runs) {
        const sandbox::BatchResult b = runner->run(calls);
        BOOST_TEST_REQUIRE(b.calls.size() == calls.size());
        for (const sandbox::CallResult& r : b.calls)
            out.push_back(std::to_string(static_cast<int>(r.status)) + " " + r.detail);
        out.push_back("--");
    }
    return out;
}

template <typename... Parts>
std::vector<sandbox::Call> joined(const Parts&... parts) {
    std::vector<sandbox::Call> out;
    (out.insert(out.end(), parts.begin(), parts.end()), ...);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parallel_runner)

// Both workers run out of time on kl_vae in the same run: the second's time-out, and every
// call after the first, must read as one worker's "was not run again".
BOOST_AUTO_TEST_CASE(a_time_out_in_either_worker_stops_the_function_in_both) {
    const auto vae = calls_of("kl_vae", 64);
    const auto kl = calls_of("kl_divergence", 64);
    const std::vector<std::vector<sandbox::Call>> runs = {vae, joined(kl, vae)};
    const auto one = outcomes("hostile_loop_kl_vae", 1, runs);
    BOOST_TEST(outcomes("hostile_loop_kl_vae", 2, runs) == one);
    BOOST_TEST_REQUIRE(one.size() == 64u + 1 + 128 + 1);
    BOOST_TEST(one[0].find("exceeded") != std::string::npos);
    BOOST_TEST(one[32].find("was not run again") != std::string::npos);
}

// Only the first worker's part holds kl_vae when it runs out of time; the next run's calls of it
// fall to the second worker, which has never seen it fail.
BOOST_AUTO_TEST_CASE(a_time_out_is_remembered_across_runs) {
    const auto vae = calls_of("kl_vae", 32);
    const auto kl = calls_of("kl_divergence", 32);
    const std::vector<std::vector<sandbox::Call>> runs = {joined(vae, kl), joined(kl, vae)};
    const auto one = outcomes("hostile_loop_kl_vae", 1, runs);
    BOOST_TEST(outcomes("hostile_loop_kl_vae", 2, runs) == one);
    BOOST_TEST(one[65 + 32].find("was not run again") != std::string::npos);
}

// A case's group spans the middle of the run: cut there, the second worker would run the
// inputs that one worker leaves out after the case's first crash.
BOOST_AUTO_TEST_CASE(a_group_is_never_cut_between_workers) {
    auto tv = calls_of("tv_distance", 64);
    for (auto& call : tv) call.group = 7;
    auto kl = calls_of("kl_divergence", 16);
    const std::vector<std::vector<sandbox::Call>> runs = {joined(kl, tv, kl)};
    const auto one = outcomes("hostile_abort_tv", 1, runs);
    BOOST_TEST(outcomes("hostile_abort_tv", 2, runs) == one);
    BOOST_TEST_REQUIRE(one.size() == 16u + 64 + 16 + 1);
    BOOST_TEST(one[16].find("SIGABRT") != std::string::npos);
    BOOST_TEST(one[17].find("was not run: an earlier input of its case") != std::string::npos);
    BOOST_TEST(one[79].find("was not run: an earlier input of its case") != std::string::npos);
    BOOST_TEST(one[80] == "0 ");
}

BOOST_AUTO_TEST_CASE(a_correct_submission) {
    same_with_two_workers("good_c");
    BOOST_TEST(grade_fixture("good_c").full_marks());
}

BOOST_AUTO_TEST_CASE(a_submission_that_crashes) {
    same_with_two_workers("hostile_segv_softmax");
    same_with_two_workers("hostile_abort_tv");
}

// The second worker runs kl_vae too, and runs out of time on it: the report must still say that
// every call after the first time-out was not run, as one worker's does.
BOOST_AUTO_TEST_CASE(a_submission_that_never_returns) {
    same_with_two_workers("hostile_loop_kl_vae", kShortLimit);
}

BOOST_AUTO_TEST_CASE(a_submission_that_exits) {
    same_with_two_workers("hostile_exit");
}

BOOST_AUTO_TEST_CASE(a_submission_that_prints) {
    same_with_two_workers("hostile_print_pass");
    same_with_two_workers("hostile_flood");
    // Past the output budget: each worker stops at its own, yet the count is one worker's.
    same_with_two_workers("hostile_print_loop");
}

BOOST_AUTO_TEST_CASE(a_submission_that_cannot_be_loaded) {
    same_with_two_workers("broken_no_extern_c");
}

BOOST_AUTO_TEST_SUITE_END()
