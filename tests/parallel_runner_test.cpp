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
    config.worker_exe = GRADER_EXE;
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

}  // namespace

BOOST_AUTO_TEST_SUITE(parallel_runner)

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
}

BOOST_AUTO_TEST_CASE(a_submission_that_cannot_be_loaded) {
    same_with_two_workers("broken_no_extern_c");
}

BOOST_AUTO_TEST_SUITE_END()
