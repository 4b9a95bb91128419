// Hostile submissions graded end to end through the real sandboxed worker: each fixture is
// tests/fixtures/good/solution.c with ONE function misbehaving (see its HOSTILE_* switches). The
// misbehaving function fails its own cases with the verdict and message that say what it did, and
// every other exercise keeps full marks. Snooping fixtures return wrong values if their snoop
// succeeds, so full marks prove the sandbox stopped them.
#define BOOST_TEST_MODULE hostile
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "graded_fixture.hpp"
#include "grader/report/report.hpp"
#include "grader/sandbox/channel.hpp"
#include "tests/shell.hpp"
#include "tests/temp_dir.hpp"

using namespace grader;
using namespace graded_fixture;
using result::Verdict;

namespace {

// The per-call time limit for the fixtures that never return: short, so the suite stays quick.
constexpr double kShortLimit = 0.3;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Does a case's function list ("f" or "f, g") name `function`?
bool uses(const result::CaseResult& c, const std::string& function) {
    std::istringstream names(c.function);
    std::string name;
    while (std::getline(names, name, ',')) {
        while (!name.empty() && name.front() == ' ') name.erase(0, 1);
        if (name == function) return true;
    }
    return false;
}

std::string verdict_names(const std::set<Verdict>& verdicts) {
    std::string out;
    for (Verdict v : verdicts) out += (out.empty() ? "" : "|") + std::string(result::name(v));
    return out;
}

// What a misbehaving function must get.
struct Expected {
    std::string exercise;               // the function's exercise: the only one to lose points
    std::string function;               // the misbehaving function
    std::set<Verdict> verdicts;         // every case of that function fails with one of these
    std::vector<std::string> keywords;  // a public case's message holds all of them
    double time_limit = 0;              // kShortLimit for the fixtures that never return
};

// Grades the fixture and checks that `function` fails each of its cases with an expected verdict,
// that a public case's message says why, and that nothing else loses a point.
// A property that could not be scored because one of its calls (to `function`) failed.
bool not_scored(const result::CaseResult& c, const std::string& function) {
    return c.property && c.verdict == Verdict::Wrong &&
           contains(c.message, "not scored: " + function);
}

result::Result expect_contained(const std::string& fixture, const Expected& x) {
    const result::Result r = grade_fixture(fixture, x.time_limit);
    BOOST_TEST_CONTEXT(fixture) {
        BOOST_TEST_REQUIRE(!r.load_error.has_value(), "load error: " << r.load_error.value_or(""));
        for (const auto& [id, s] : scores(r)) {
            BOOST_TEST_CONTEXT("exercise " << id) {
                if (id == x.exercise)
                    BOOST_TEST(s.first < s.second);
                else
                    BOOST_TEST(s.first == s.second);
            }
        }
        bool explained = false;
        std::size_t failed = 0;
        for (const auto& e : r.exercises) {
            if (e.id != x.exercise) continue;
            for (const auto& c : e.cases) {
                BOOST_TEST_CONTEXT(e.id << "/" << c.id << " (" << c.function
                                        << "): " << result::name(c.verdict) << ": " << c.message) {
                    if (!uses(c, x.function)) {
                        BOOST_TEST((c.verdict == Verdict::Pass));  // the exercise's other functions
                        continue;
                    }
                    ++failed;
                    BOOST_TEST((x.verdicts.count(c.verdict) == 1 || not_scored(c, x.function)),
                               "expected " << verdict_names(x.verdicts));
                    if (!c.hidden && !c.property && !explained)
                        BOOST_TEST_MESSAGE(fixture << ": " << e.id << "/" << c.id << ": "
                                                   << result::name(c.verdict) << ": " << c.message);
                    if (!c.hidden && !c.property && x.verdicts.count(c.verdict)) {
                        bool all = contains(c.message, x.function);
                        for (const auto& k : x.keywords) all &= contains(c.message, k);
                        explained |= all;
                    }
                }
            }
        }
        BOOST_TEST(failed > 0u);
        BOOST_TEST(explained,
                   "no public case of " << x.function << " has a message with all of the keywords");
    }
    return r;
}

// Grades the fixture and checks it keeps full marks: what it tried did not work, or did no harm.
result::Result expect_full_marks(const std::string& fixture) {
    const result::Result r = grade_fixture(fixture);
    BOOST_TEST_CONTEXT(fixture) {
        BOOST_TEST(!r.load_error.has_value());
        BOOST_TEST(r.full_marks());
        for (const auto& e : r.exercises)
            for (const auto& c : e.cases)
                if (c.verdict != Verdict::Pass)
                    BOOST_TEST_MESSAGE(e.id << "/" << c.id << ": " << result::name(c.verdict)
                                            << ": " << c.message);
    }
    return r;
}

std::string render(const result::Result& r, report::Format format) {
    std::ostringstream out;
    report::render(r, format, out);
    return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The text report without the lines that name the submission or show its output.
std::vector<std::string> graders_own_lines(const std::string& text) {
    std::vector<std::string> out;
    bool in_output = false;
    for (const std::string& line : lines_of(text)) {
        if (line.rfind("--- output of the submission", 0) == 0) {
            in_output = true;
            if (!out.empty() && out.back().empty()) out.pop_back();  // the blank line before it
        }
        const bool skip = in_output || line.rfind("Submission:", 0) == 0 || line.rfind("(", 0) == 0;
        if (line.rfind("--- end of output ---", 0) == 0) in_output = false;
        if (!skip) out.push_back(line);
    }
    return out;
}

// The JSON report without what differs between two submissions that grade the same.
nlohmann::json graders_own_json(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);
    const std::function<void(nlohmann::json&)> strip = [&](nlohmann::json& v) {
        if (v.is_object()) {
            v.erase("seconds");
            v.erase("submission");
            v.erase("submission_sha256");  // another file, by design
            v.erase("output");
            for (auto& [k, item] : v.items()) strip(item);
        } else if (v.is_array()) {
            for (auto& item : v) strip(item);
        }
    };
    strip(j);
    return j;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile)

BOOST_AUTO_TEST_CASE(the_switches_off_solution_scores_full_marks) {
    expect_full_marks("good_c");
}

// --- Memory errors ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_null_write_is_a_segfault) {
    expect_contained("hostile_segv_softmax",
                     {"ex8", "softmax_t", {Verdict::Crash}, {"crashed", "SIGSEGV"}});
}

BOOST_AUTO_TEST_CASE(writing_past_an_output_names_the_output) {
    expect_contained("hostile_output_overrun",
                     {"ex2",
                      "gibbs_terms",
                      {Verdict::Overflow},
                      {"wrote past the end of output 'linear'", "(n = "}});
}

BOOST_AUTO_TEST_CASE(writing_into_a_const_input_names_the_input) {
    expect_contained(
        "hostile_const_write",
        {"ex1", "entropy", {Verdict::Crash}, {"crashed", "wrote into the const input 'p'"}});
}

BOOST_AUTO_TEST_CASE(reading_far_past_an_input_names_the_input) {
    expect_contained("hostile_read_past_input",
                     {"ex1",
                      "cross_entropy",
                      {Verdict::Crash},
                      {"crashed", "read past the end of input 'q'", "(n = "}});
}

BOOST_AUTO_TEST_CASE(unbounded_recursion_is_a_crash) {
    expect_contained("hostile_recursion",
                     {"ex3", "gaussian_on_grid", {Verdict::Crash}, {"crashed", "SIGSEGV"}});
}

BOOST_AUTO_TEST_CASE(integer_division_by_zero_is_a_crash) {
    expect_contained("hostile_sigfpe",
                     {"ex5", "kl_gaussian_mc", {Verdict::Crash}, {"crashed", "SIGFPE"}});
}

BOOST_AUTO_TEST_CASE(a_trap_instruction_is_a_crash) {
    expect_contained("hostile_sigill",
                     {"ex5", "kl_vae_grad", {Verdict::Crash}, {"crashed", "SIGILL"}});
}

BOOST_AUTO_TEST_CASE(abort_is_a_crash) {
    const result::Result r = expect_contained(
        "hostile_abort_tv", {"ex6", "tv_distance", {Verdict::Crash}, {"crashed", "SIGABRT"}});
    // A case of many inputs stops at its first crash: the rest would each cost a worker.
    std::size_t random = 0;
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases) {
            if (c.instances < 2 || c.verdict != Verdict::Crash) continue;
            BOOST_TEST_CONTEXT(e.id << "/" << c.id) {
                ++random;
                BOOST_TEST(c.failed_instances == 1u);
                BOOST_TEST(c.not_run_instances == c.instances - 1);
            }
        }
    BOOST_TEST(random > 0u);
    BOOST_TEST(contains(render(r, report::Format::Text), "were not run once one had crashed"));
}

// --- The heap: what a function mallocs during a call is guarded (grader/sandbox/guarded_heap.hpp).
// A block of n doubles with n odd ends 8 bytes short of its guard page: a write there is found by
// the canary when the call returns; with n even the write faults at once. The notebook cases
// have n = 2, 3 and 5, so both ways are checked.
// -------------------------------------------------------------------------------------------------
// The sanitized build has no guarded heap (AddressSanitizer's allocator serves the submission
// there, grader/CMakeLists.txt), so these run in the normal build only.

#ifdef GRADER_SANITIZED
constexpr bool kHeapGuarded = false;
#else
constexpr bool kHeapGuarded = true;
#endif

BOOST_AUTO_TEST_CASE(writing_one_past_a_malloced_array_is_an_overflow,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r =
        expect_contained("hostile_heap_overrun_one",
                         {"ex6",
                          "js_divergence",
                          {Verdict::Overflow},
                          {"wrote past the end of a block of", "the function allocated"}});
    BOOST_TEST(find_case(r, "ex6", "js_notebook").message ==  // n = 3: the canary
               "js_divergence wrote past the end of a block of 24 bytes the function allocated");
    BOOST_TEST(find_case(r, "ex6", "js_disjoint").message ==  // n = 2: the guard page
               "js_divergence wrote past the end of a block of 16 bytes the function allocated");
}

// The commonest underrun, p[-1]: the 16 bytes before a block hold a canary too.
BOOST_AUTO_TEST_CASE(writing_one_before_a_malloced_array_is_an_overflow,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r = expect_contained(
        "hostile_heap_underrun",
        {"ex6", "chi2_divergence", {Verdict::Overflow}, {"wrote before the start of a block of"}});
    BOOST_TEST(find_case(r, "ex6", "chi2_notebook").message ==
               "chi2_divergence wrote before the start of a block of 24 bytes the function "
               "allocated");
}

BOOST_AUTO_TEST_CASE(writing_far_past_a_malloced_array_is_an_overflow,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r =
        expect_contained("hostile_heap_overrun_many",
                         {"ex6",
                          "js_divergence",
                          {Verdict::Overflow},
                          {"wrote past the end of a block of", "the function allocated"}});
    BOOST_TEST(find_case(r, "ex6", "js_notebook").message ==
               "js_divergence wrote past the end of a block of 24 bytes the function allocated");
}

BOOST_AUTO_TEST_CASE(writing_past_a_calloced_array_is_an_overflow,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r =
        expect_contained("hostile_heap_calloc_overrun",
                         {"ex1",
                          "entropy",
                          {Verdict::Overflow},
                          {"wrote past the end of a block of", "the function allocated"}});
    BOOST_TEST(find_case(r, "ex1", "tokens_entropy").message ==
               "entropy wrote past the end of a block of 40 bytes the function allocated");
}

// Grown one element at a time, then freed: the canary is checked by free().
BOOST_AUTO_TEST_CASE(writing_past_a_realloced_array_is_an_overflow,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r =
        expect_contained("hostile_heap_realloc_overrun",
                         {"ex6",
                          "tv_distance",
                          {Verdict::Overflow},
                          {"wrote past the end of a block of", "the function allocated"}});
    BOOST_TEST(find_case(r, "ex6", "tv_notebook").message ==
               "tv_distance wrote past the end of a block of 24 bytes the function allocated");
}

BOOST_AUTO_TEST_CASE(freeing_a_block_twice_is_a_crash,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r = expect_contained(
        "hostile_double_free",
        {"ex1", "cross_entropy", {Verdict::Crash}, {"crashed", "freed a block twice"}});
    BOOST_TEST(find_case(r, "ex1", "tokens_cross_entropy").message ==
               "cross_entropy crashed: freed a block twice (a block of 40 bytes the function "
               "allocated)");
}

BOOST_AUTO_TEST_CASE(freeing_a_stack_array_is_a_crash,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r = expect_contained(
        "hostile_free_stack", {"ex1",
                               "kl_divergence",
                               {Verdict::Crash},
                               {"crashed", "freed a pointer that malloc did not return"}});
    BOOST_TEST(find_case(r, "ex1", "tokens_kl_pq").message ==
               "kl_divergence crashed: freed a pointer that malloc did not return (it points into "
               "the function's own stack)");
}

BOOST_AUTO_TEST_CASE(freeing_an_input_array_is_a_crash,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r = expect_contained(
        "hostile_free_input", {"ex6",
                               "tv_distance",
                               {Verdict::Crash},
                               {"crashed", "freed a pointer that malloc did not return"}});
    BOOST_TEST(find_case(r, "ex6", "tv_notebook").message ==
               "tv_distance crashed: freed a pointer that malloc did not return (it points into "
               "input 'p')");
}

// malloc, calloc, realloc growth, posix_memalign and aligned_alloc, each freed: no change at all.
BOOST_AUTO_TEST_CASE(correct_heap_use_keeps_full_marks) {
    expect_full_marks("hostile_heap_tidy");
}

// --- Memory exhaustion: under sanitizers there is no RLIMIT_AS, and these would take the machine's
// memory, so they are not even run there.
// ------------------------------------------------------------

#ifdef GRADER_SANITIZED
constexpr bool kMemoryLimited = false;
#else
constexpr bool kMemoryLimited = true;
#endif

BOOST_AUTO_TEST_CASE(a_16_gib_allocation_is_out_of_memory,
                     *boost::unit_test::enable_if<kMemoryLimited>()) {
    expect_contained("hostile_malloc_16g",
                     {"ex1", "kl_divergence", {Verdict::Memory}, {"ran out of memory", "MiB"}});
}

BOOST_AUTO_TEST_CASE(allocating_until_failure_is_out_of_memory,
                     *boost::unit_test::enable_if<kMemoryLimited>()) {
    expect_contained(
        "hostile_alloc_loop",
        {"ex3", "fit_gaussian_forward_kl", {Verdict::Memory}, {"ran out of memory", "MiB"}});
}

// --- Leaving early
// ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(exit_mid_call_is_an_error) {
    expect_contained("hostile_exit",
                     {"ex6", "js_divergence", {Verdict::Error}, {"exited with status 3"}});
}

// --- System calls the sandbox refuses
// -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(fork_is_forbidden) {
    expect_contained(
        "hostile_fork",
        {"ex6", "chi2_divergence", {Verdict::Forbidden}, {"stopped by the sandbox", "clone"}});
}

BOOST_AUTO_TEST_CASE(a_socket_is_forbidden) {
    expect_contained(
        "hostile_socket",
        {"ex7", "dpo_implicit_reward", {Verdict::Forbidden}, {"stopped by the sandbox", "socket"}});
}

BOOST_AUTO_TEST_CASE(execve_is_forbidden) {
    expect_contained(
        "hostile_execve",
        {"ex9", "distillation_kl", {Verdict::Forbidden}, {"stopped by the sandbox", "execve"}});
}

// The grader is the worker's parent: this test process. That it is still running is the proof.
BOOST_AUTO_TEST_CASE(killing_the_grader_is_forbidden) {
    expect_contained(
        "hostile_kill_parent",
        {"ex5", "kl_vae_grad", {Verdict::Forbidden}, {"stopped by the sandbox", "kill"}});
}

BOOST_AUTO_TEST_CASE(killing_the_process_group_is_forbidden) {
    expect_contained(
        "hostile_kill_group",
        {"ex4", "marginal_rows", {Verdict::Forbidden}, {"stopped by the sandbox", "kill"}});
}

BOOST_AUTO_TEST_CASE(ptrace_on_the_grader_is_forbidden) {
    expect_contained("hostile_ptrace", {"ex4",
                                        "expected_conditional_kl",
                                        {Verdict::Forbidden},
                                        {"stopped by the sandbox", "ptrace"}});
}

BOOST_AUTO_TEST_CASE(reading_the_graders_memory_is_forbidden) {
    expect_contained("hostile_vm_readv", {"ex7",
                                          "rlhf_optimal_policy",
                                          {Verdict::Forbidden},
                                          {"stopped by the sandbox", "process_vm_readv"}});
}

BOOST_AUTO_TEST_CASE(replacing_the_segv_handler_is_forbidden) {
    expect_contained(
        "hostile_sigaction",
        {"ex5", "kl_gaussian", {Verdict::Forbidden}, {"stopped by the sandbox", "rt_sigaction"}});
}

BOOST_AUTO_TEST_CASE(opening_a_file_for_writing_is_forbidden) {
    expect_contained("hostile_fopen_tmp", {"ex10",
                                           "kl_regularized_policy",
                                           {Verdict::Forbidden},
                                           {"stopped by the sandbox", "openat"}});
}

BOOST_AUTO_TEST_CASE(executable_memory_is_forbidden) {
    expect_contained(
        "hostile_mmap_exec",
        {"ex5", "kl_gaussian_mc", {Verdict::Forbidden}, {"stopped by the sandbox", "mmap"}});
}

// setrlimit is prlimit64 with a new limit: only RLIMIT_CPU may be set (the worker's own backstop),
// so raising RLIMIT_AS is refused outright rather than failing quietly.
BOOST_AUTO_TEST_CASE(raising_its_own_limits_is_forbidden) {
    expect_contained("hostile_raise_limits", {"ex3",
                                              "fit_gaussian_reverse_kl",
                                              {Verdict::Forbidden},
                                              {"stopped by the sandbox", "prlimit64"}});
}

// getcwd is not on the call filter's list: asking where the grader runs is refused.
BOOST_AUTO_TEST_CASE(asking_for_the_working_directory_is_forbidden) {
    expect_contained(
        "hostile_getcwd",
        {"ex6", "chi2_divergence", {Verdict::Forbidden}, {"stopped by the sandbox", "getcwd"}});
}

// dup is not on the call filter's list either (fcntl is: see below).
BOOST_AUTO_TEST_CASE(dup_is_forbidden) {
    expect_contained(
        "hostile_dup_exhaust",
        {"ex4", "marginal_rows", {Verdict::Forbidden}, {"stopped by the sandbox", "dup"}});
}

// --- Never returning
// ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_endless_loop_is_a_timeout) {
    expect_contained("hostile_loop_kl_vae",
                     {"ex5", "kl_vae", {Verdict::Timeout}, {"time limit"}, kShortLimit});
}

BOOST_AUTO_TEST_CASE(spinning_with_every_signal_blocked_is_a_timeout) {
    expect_contained("hostile_block_signals",
                     {"ex6", "js_divergence", {Verdict::Timeout}, {"time limit"}, kShortLimit});
}

BOOST_AUTO_TEST_CASE(stopping_itself_is_a_timeout) {
    expect_contained("hostile_sigstop",
                     {"ex1", "kl_divergence", {Verdict::Timeout}, {"time limit"}, kShortLimit});
}

BOOST_AUTO_TEST_CASE(sleeping_is_a_timeout) {
    expect_contained("hostile_sleep",
                     {"ex9", "distillation_kl", {Verdict::Timeout}, {"time limit"}, kShortLimit});
}

// --- The worker's channel
// -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(garbage_on_every_descriptor_is_an_error_never_a_pass) {
    expect_contained(
        "hostile_garbage_fds",
        {"ex6", "tv_distance", {Verdict::Error}, {"no result could be had", "garbled"}});
}

// Closing descriptors 3..10 would close the worker's channel: the sandbox refuses the close, so
// the call that tried is the one named, and no exit the library never made is blamed.
BOOST_AUTO_TEST_CASE(closing_the_workers_descriptors_is_forbidden) {
    const result::Result r = expect_contained(
        "hostile_close_fds", {"ex10",
                              "kl_regularized_policy",
                              {Verdict::Forbidden},
                              {"stopped by the sandbox", "the system call close"}});
    std::size_t misleading = 0;
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases) misleading += contains(c.message, "exited with status");
    BOOST_TEST(misleading == 0u, "the report blames an exit the library never made");
    BOOST_TEST(find_case(r, "ex10", "notebook").message ==
               "kl_regularized_policy was stopped by the sandbox: the sandbox refused the system "
               "call close");
}

// A function that closes the request (fd 3) or reply (fd 4) descriptor once and returns the right
// value: the call that did it is refused and named; the calls after it, in its own batch and the
// next, are innocent and keep their points.
// (expect_contained checks that every other exercise, and ex1's other functions, keep full marks.)
static void expect_close_once_contained(const std::string& fixture) {
    const result::Result r = expect_contained(
        fixture,
        {"ex1", "kl_divergence", {Verdict::Forbidden}, {"stopped by the sandbox", "close"}});
    BOOST_TEST(
        find_case(r, "ex1", "tokens_kl_pq").message ==
        "kl_divergence was stopped by the sandbox: the sandbox refused the system call close");
}

BOOST_AUTO_TEST_CASE(closing_the_request_descriptor_once_blames_only_that_call) {
    expect_close_once_contained("hostile_close_once_fd3");
}

BOOST_AUTO_TEST_CASE(closing_the_reply_descriptor_once_blames_only_that_call) {
    expect_close_once_contained("hostile_close_once_fd4");
}

// --- Harmless or thwarted: full marks
// -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_thread_left_running_does_no_harm) {
    expect_full_marks("hostile_thread");
}

BOOST_AUTO_TEST_CASE(filling_the_descriptor_table_with_fcntl_does_no_harm) {
    expect_full_marks("hostile_fcntl_exhaust");
}

BOOST_AUTO_TEST_CASE(the_spec_cannot_be_read) {
    expect_full_marks("hostile_snoop_spec");
}

BOOST_AUTO_TEST_CASE(the_graders_memory_and_environment_cannot_be_read) {
    expect_full_marks("hostile_snoop_parent");
}

BOOST_AUTO_TEST_CASE(the_environment_is_empty) {
    expect_full_marks("hostile_snoop_env");
}

BOOST_AUTO_TEST_CASE(the_reference_library_cannot_be_read_or_loaded) {
    expect_full_marks("hostile_snoop_reference");
}

// dlopen by name makes the loader stat the directories it searches, and a stat by path is
// refused: the reference is not loaded, though not quietly.
BOOST_AUTO_TEST_CASE(loading_the_reference_by_name_is_forbidden) {
    expect_contained(
        "hostile_dlopen_search",
        {"ex9", "distillation_kl", {Verdict::Forbidden}, {"stopped by the sandbox", "newfstatat"}});
}

BOOST_AUTO_TEST_CASE(printed_fake_results_stay_visibly_the_students) {
    const result::Result r = expect_full_marks("hostile_print_pass");
    for (const char* marker : {"[hostile stdout constructor]", "[hostile stderr constructor]",
                               "[hostile stdout call]", "[hostile stderr call]"})
        BOOST_TEST(contains(r.output.text, marker), marker);
    BOOST_TEST(r.output.hidden_bytes > 0u);  // dpo_random is hidden: counted, not shown

    // In the text report the fake lines appear only as the submission's output.
    const std::string text = render(r, report::Format::Text);
    std::size_t shown = 0;
    for (const std::string& line : lines_of(text)) {
        if (!contains(line, "[hostile ") && !contains(line, "PASS  all cases")) continue;
        BOOST_TEST_CONTEXT(line) {
            BOOST_TEST(line.rfind("| ", 0) == 0);
        }
        ++shown;
    }
    BOOST_TEST(shown >= 4u);
    // The imitation of a case line is there, but only behind the prefix.
    const auto all = lines_of(text);
    BOOST_TEST(std::count(all.begin(), all.end(), "| PASS  ex1/tokens_kl_pq  kl_divergence  6/6") >
               0);

    // The grader's own text and JSON are those of the plain correct solution.
    const result::Result good = grade_fixture("good_c");
    BOOST_TEST(graders_own_lines(text) == graders_own_lines(render(good, report::Format::Text)),
               boost::test_tools::per_element());
    const std::string json = render(r, report::Format::Json);
    BOOST_TEST(graders_own_json(json) == graders_own_json(render(good, report::Format::Json)));
    BOOST_TEST(contains(nlohmann::json::parse(json).at("output").at("text").get<std::string>(),
                        "[hostile stdout call]"));
}

// --- A print left in a loop --------------------------------------------------------------------
// HOSTILE_PRINT_LOOP: kl_divergence prints 200,000 lines on every call, about 7 MB, some 700 MB
// over a grade, through printf, stderr, puts with fflush, or std::cout with std::endl. The grader
// counts and keeps the first 64 KiB, discards the rest unread, and the worker stops printing: the
// bounds are on the bytes the grader copied, not on seconds.

constexpr std::size_t kOutputBudget = sandbox::Limits{}.output_budget;
// What kl_divergence would print over a grade, at the least: 100 calls of 200,000 lines of at
// least 33 bytes.
constexpr std::size_t kFloodBytes = 100ull * 200000 * 33;

// The JSON report of the run that graded `fixture`, and what must hold of it and its text report
// against the same library printing nothing (`twin`).
void expect_flood_discarded(const std::string& fixture, const std::string& twin) {
    BOOST_TEST_CONTEXT(fixture) {
        const std::size_t copied = sandbox::Channel::bytes_copied();
        const result::Result r = expect_full_marks(fixture);
        // One worker: the budget, and the one read (16 KiB) that crossed it.
        BOOST_TEST(sandbox::Channel::bytes_copied() - copied <= kOutputBudget + 16384);
        BOOST_TEST(r.output.discarded);
        BOOST_TEST(r.output.bytes == kOutputBudget);
        BOOST_TEST(r.output.text.size() == kOutputBudget);  // the public part came first
        BOOST_TEST(contains(r.output.text, "kl_divergence: "));

        const std::string json = render(r, report::Format::Json);
        BOOST_TEST(json.size() < 256u * 1024);
        BOOST_TEST(nlohmann::json::parse(json).at("output").at("discarded").get<bool>());
        const std::string text = render(r, report::Format::Text);
        BOOST_TEST(contains(text, "more than 65536 bytes, not part of the grade"));
        BOOST_TEST(contains(text, "the rest was discarded unread"));

        // Every verdict, message and score is the silent twin's.
        const result::Result good = grade_fixture(twin);
        BOOST_TEST(r.score() == good.score());
        BOOST_TEST(graders_own_lines(text) == graders_own_lines(render(good, report::Format::Text)),
                   boost::test_tools::per_element());
        BOOST_TEST(graders_own_json(json) == graders_own_json(render(good, report::Format::Json)));
    }
}

BOOST_AUTO_TEST_CASE(a_print_left_in_a_loop_is_discarded_unread) {
    expect_flood_discarded("hostile_print_loop", "good_c");
    expect_flood_discarded("hostile_print_loop_stderr", "good_c");
    expect_flood_discarded("hostile_print_loop_puts", "good_c");
}

BOOST_AUTO_TEST_CASE(a_print_left_in_a_loop_through_iostreams_is_discarded_unread) {
    expect_flood_discarded("hostile_print_loop_cout", "good_cpp");
    expect_flood_discarded("hostile_print_loop_cout_nosync", "good_cpp");
}

// `grader grade` as a person runs it (two workers), its reading measured by the kernel: the
// grader's /proc/<pid>/io, read once it has exited and before it is reaped (waitid, WNOWAIT),
// counts what it read, its reaped workers' reading included. The flood may cost it the two
// workers' budgets and reads, not the hundreds of megabytes printed.
struct GraderRun {
    int status = -1;
    std::size_t rchar = 0;
    std::string json;
};

GraderRun run_grader(const std::string& fixture) {
    const char* tmp = std::getenv("TMPDIR");
    const std::string report = std::string(tmp && *tmp ? tmp : "/tmp") + "/grader_hostile_flood_" +
                               std::to_string(::getpid()) + "_" + fixture + ".json";
    std::vector<std::string> args = {GRADER_EXE,
                                     "grade",
                                     fixture_path(fixture),
                                     "--spec",
                                     std::string(PROJECT_ROOT) + "/exercises.yaml",
                                     "--reference",
                                     REFERENCE_LIB,
                                     "--no-cache",
                                     "--format",
                                     "json",
                                     "-o",
                                     report};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    GraderRun run;
    pid_t pid = -1;
    BOOST_REQUIRE(::posix_spawn(&pid, GRADER_EXE, nullptr, nullptr, argv.data(), environ) == 0);
    siginfo_t info{};
    BOOST_REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0);
    std::ifstream io("/proc/" + std::to_string(pid) + "/io");
    for (std::string key; io >> key;) {
        std::size_t value = 0;
        io >> value;
        if (key == "rchar:") run.rchar = value;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(report);
    run.json.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::remove(report.c_str());
    return run;
}

BOOST_AUTO_TEST_CASE(grading_a_print_flood_reads_little_of_it) {
    const GraderRun good = run_grader("good_c");
    const GraderRun flood = run_grader("hostile_print_loop");
    BOOST_TEST(good.status == 0);
    BOOST_TEST(flood.status == 0);
    if (::geteuid() == 0) {
        BOOST_TEST_REQUIRE(good.rchar > 0u);  // /proc/<pid>/io was readable
        BOOST_TEST_MESSAGE("rchar: " << good.rchar << " printing nothing, " << flood.rchar
                                     << " printing 200,000 lines per call");
        BOOST_TEST(flood.rchar < good.rchar + 4 * (kOutputBudget + 16384));
        BOOST_TEST(flood.rchar < good.rchar + kFloodBytes / 1000);
    } else {
        // The grader is not dumpable, so its user cannot read its /proc/<pid>/io, even once it
        // has exited: the bytes it copied are bounded by the in-process test above instead.
        BOOST_TEST(good.rchar == 0u, "the grader's /proc/<pid>/io was readable by its user");
    }
    BOOST_TEST(flood.json.size() < 256u * 1024);
    const auto g = nlohmann::json::parse(good.json), f = nlohmann::json::parse(flood.json);
    BOOST_TEST(f.at("score") == g.at("score"));
    BOOST_TEST(f.at("output").at("discarded").get<bool>());
    BOOST_TEST(graders_own_json(flood.json) == graders_own_json(good.json));
}

// --- Blame: what a call does to the worker costs that call only -------------------------------
// tests/fixtures/tamper/tamper_js.c: js_divergence (ex6) tampers with the worker and returns the
// right value; every other exercise must keep full marks.

BOOST_AUTO_TEST_CASE(closing_every_descriptor_costs_only_the_function_that_did_it) {
    expect_contained("tamper_close_all",
                     {"ex6", "js_divergence", {Verdict::Forbidden}, {"the system call close"}});
    expect_contained(
        "tamper_close_range",
        {"ex6", "js_divergence", {Verdict::Forbidden}, {"the system call close_range"}});
}

BOOST_AUTO_TEST_CASE(replacing_the_channel_with_dup2_costs_only_the_function_that_did_it) {
    expect_contained("tamper_dup2_channel",
                     {"ex6", "js_divergence", {Verdict::Forbidden}, {"the system call dup2"}});
}

// Lowering the hard CPU limit passes the system call filter (a process may always lower its own
// limits); the worker's check after the call finds it and names the call.
BOOST_AUTO_TEST_CASE(changing_the_workers_limits_is_found_after_the_call) {
    expect_contained(
        "tamper_cpu_limit",
        {"ex6", "js_divergence", {Verdict::Forbidden}, {"changed the worker's limit on CPU time"}});
}

// A reply announcing 500 MiB is refused at its header: the grader reads none of it, so its own
// peak memory does not grow with what the submission writes (before the bound it grew by 1 GiB).
BOOST_AUTO_TEST_CASE(a_huge_reply_is_refused_before_it_is_read) {
    rusage before{};
    ::getrusage(RUSAGE_SELF, &before);
    expect_contained("tamper_reply_flood", {"ex6",
                                            "js_divergence",
                                            {Verdict::Error},
                                            {"announced 524288000 bytes of results", "32 bytes"}});
    rusage after{};
    ::getrusage(RUSAGE_SELF, &after);
    const long grown_kib = after.ru_maxrss - before.ru_maxrss;  // ru_maxrss is in KiB
    BOOST_TEST(grown_kib < 200 * 1024, "the grader's peak memory grew by " << grown_kib << " KiB");
}

// A smashed heap shows up in a later call's malloc or free, in another function: that call, run
// again alone in a fresh worker, succeeds and keeps its real result.
BOOST_AUTO_TEST_CASE(a_heap_smashed_by_one_call_costs_no_other_function) {
    const result::Result r = grade_fixture("tamper_heap_smash");
    BOOST_TEST_REQUIRE(!r.load_error.has_value());
    for (const auto& e : r.exercises) {
        if (e.id == "ex6") continue;
        BOOST_TEST_CONTEXT("exercise " << e.id) {
            BOOST_TEST(e.score() == e.max_score());
            for (const auto& c : e.cases)
                BOOST_TEST((c.verdict == Verdict::Pass), c.id << ": " << c.message);
        }
    }
    for (const auto& e : r.exercises)
        if (e.id == "ex6")
            for (const auto& c : e.cases)
                if (!uses(c, "js_divergence"))
                    BOOST_TEST((c.verdict == Verdict::Pass), c.id << ": " << c.message);
}

// An overflow is the call's own, whatever earlier calls left: js_divergence overruns a block its
// first call kept, so each call would pass alone in a fresh worker. Reproduced, it scored full
// marks; blamed where the write faulted, it loses the cases that ran after a first call.
BOOST_AUTO_TEST_CASE(an_overrun_of_a_block_an_earlier_call_kept_is_blamed_where_it_happens,
                     *boost::unit_test::enable_if<kHeapGuarded>()) {
    const result::Result r = grade_fixture("tamper_heap_later");
    BOOST_TEST_REQUIRE(!r.load_error.has_value());
    std::size_t overflows = 0;
    bool named = false;
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases) BOOST_TEST_CONTEXT(e.id << "/" << c.id << ": " << c.message) {
                if (!uses(c, "js_divergence")) {
                    BOOST_TEST((c.verdict == Verdict::Pass));
                    continue;
                }
                BOOST_TEST((c.verdict == Verdict::Pass || c.verdict == Verdict::Overflow ||
                            not_scored(c, "js_divergence")));
                overflows += c.verdict == Verdict::Overflow;
                named |= contains(c.message,
                                  "js_divergence wrote past the end of a block of 64 bytes the "
                                  "function allocated");
            }
    BOOST_TEST(overflows > 0u);
    BOOST_TEST(named);
}

// Every function breaks the channel: each function costs at most one fresh worker before its
// other calls are given up, so the grade ends promptly. The bound is generous: it guards against
// a hang or a worker per call (seconds on this machine), not a speed.
BOOST_AUTO_TEST_CASE(a_submission_that_breaks_the_channel_everywhere_ends_promptly) {
    const auto start = std::chrono::steady_clock::now();
    const result::Result r = grade_fixture("hostile_break_every_call");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_REQUIRE(!r.load_error.has_value());
    BOOST_TEST(r.score() == 0);
    for (const auto& e : r.exercises)
        for (const auto& c : e.cases) BOOST_TEST_CONTEXT(e.id << "/" << c.id << ": " << c.message) {
                BOOST_TEST((c.verdict == Verdict::Error || c.verdict == Verdict::Wrong));
                if (!c.property && !c.hidden)
                    BOOST_TEST((contains(c.message, "garbled") ||
                                contains(c.message, "broke the worker's channel")));
            }
    BOOST_TEST(seconds < 60.0);
}

// --- Code that runs while the library loads ----------------------------------------------------
// tests/fixtures/load/load_time.c: constructors, an IFUNC resolver, a linked helper and a thread
// started while loading, each trying what would break the sandbox if it ran before it.

std::string load_fixture(const std::string& name) {
    return std::string(LOAD_DIR) + "/lib" + name + ".so";
}

// An attack that looks for something: full marks prove it found nothing, and loading it is no
// error (it did nothing the sandbox refuses, it only found nothing).
void expect_found_nothing(const std::string& name) {
    BOOST_TEST_CONTEXT(name) {
        const result::Result r = grade_library(load_fixture(name));
        BOOST_TEST(!r.load_error.has_value(), r.load_error.value_or(""));
        BOOST_TEST(r.full_marks(), "scored " << r.score() << "/" << r.max_score());
    }
}

// An attack the sandbox stops where it stands: a load error saying what the library did.
void expect_refused_while_loading(const std::string& name, const std::string& says) {
    BOOST_TEST_CONTEXT(name) {
        const result::Result r = grade_library(load_fixture(name));
        BOOST_TEST_REQUIRE(r.load_error.has_value());
        BOOST_TEST(contains(*r.load_error, says), *r.load_error);
        BOOST_TEST(r.score() == 0);
    }
}

BOOST_AUTO_TEST_CASE(a_constructor_cannot_load_the_reference_to_forward_to_it) {
    expect_found_nothing("load_forward");
}

BOOST_AUTO_TEST_CASE(a_constructor_cannot_read_the_spec) {
    expect_found_nothing("load_spec");
}

BOOST_AUTO_TEST_CASE(descriptors_a_constructor_keeps_reach_nothing_later) {
    expect_found_nothing("load_keep_fd");
}

BOOST_AUTO_TEST_CASE(a_constructor_cannot_read_the_graders_memory_or_environment) {
    expect_found_nothing("load_parent");
}

BOOST_AUTO_TEST_CASE(a_constructor_cannot_list_or_read_the_cache_or_the_build_tree) {
    expect_found_nothing("load_cache");
}

BOOST_AUTO_TEST_CASE(an_ifunc_resolver_cannot_read_the_spec_or_the_reference) {
    expect_found_nothing("load_ifunc");
}

// A grader installed among the system libraries names its reference to the worker, which covers
// it in its root. /usr/lib/os-release stands in for it: every Debian has it there. Without a
// root of its own (no namespaces) the worker cannot hide a file Landlock lets it read: the
// fixture then finds it, which shows that it looks where the test says.
BOOST_AUTO_TEST_CASE(a_file_the_grader_hides_among_the_system_libraries_cannot_be_read) {
    const result::Result seen = grade_library(load_fixture("load_hidden"));
    const result::Result hidden =
        grade_library(load_fixture("load_hidden"), 0, {}, {"/usr/lib/os-release"});
    BOOST_TEST_REQUIRE(!hidden.load_error.has_value());
    BOOST_TEST(!seen.full_marks(), "the fixture did not find /usr/lib/os-release unhidden");
    const bool own_root = std::find(hidden.sandbox_layers.begin(), hidden.sandbox_layers.end(),
                                    "mountns") != hidden.sandbox_layers.end();
    BOOST_TEST(hidden.full_marks() == own_root);
}

// Real submissions keep their grades: their runtimes' load-time code (libgomp's and
// libgfortran's constructors, Rust's standard library, libstdc++'s in good_cpp, libm's in every
// fixture) runs inside the same confinement and needs nothing it refuses.
BOOST_AUTO_TEST_CASE(submissions_in_other_languages_and_runtimes_keep_their_grades) {
    const std::string dir = LANGUAGES_DIR;
    for (const char* name : {"lang_openmp", "lang_fortran"}) {
        const result::Result r = grade_library(dir + "/lib" + name + ".so");
        BOOST_TEST(!r.load_error.has_value(), name << ": " << r.load_error.value_or(""));
        BOOST_TEST(r.full_marks(), name << " scored " << r.score() << "/" << r.max_score());
    }
    expect_full_marks("good_cpp");
    // Exercise 1 alone, in Rust: its cases pass, the rest is missing, nothing fails to load.
    const result::Result rust = grade_library(dir + "/liblang_rust.so");
    BOOST_TEST_REQUIRE(!rust.load_error.has_value(), rust.load_error.value_or(""));
    for (const auto& e : rust.exercises)
        for (const auto& c : e.cases) BOOST_TEST_CONTEXT(e.id << "/" << c.id << ": " << c.message) {
                if (e.id == "ex1")
                    BOOST_TEST((c.verdict == Verdict::Pass));
                else if (!c.property)
                    BOOST_TEST((c.verdict == Verdict::Missing));
            }
}

// Runs a test in a directory of its own (the worker starts where the grader is): two suites
// running at once must not share the files a constructor aims at.
class InOwnDirectory {
  public:
    explicit InOwnDirectory(const std::string& name) : was_(std::filesystem::current_path()) {
        const auto dir = test_support::temp_dir() / name;
        std::filesystem::create_directories(dir);
        std::filesystem::current_path(dir);
    }
    ~InOwnDirectory() { std::filesystem::current_path(was_); }
    InOwnDirectory(const InOwnDirectory&) = delete;
    InOwnDirectory& operator=(const InOwnDirectory&) = delete;

  private:
    std::filesystem::path was_;
};

// The file each planting constructor would leave, and where.
struct Planted {
    std::string fixture, path, call;
};

BOOST_AUTO_TEST_CASE(a_constructor_plants_nothing_anywhere) {
    const InOwnDirectory here("plant");
    for (const Planted& p : {Planted{"load_plant_cwd", "kl_planted.txt", "openat"},
                             Planted{"load_symlink_cwd", "kl_planted_link", "symlink"},
                             Planted{"load_plant_tmp", "/tmp/kl_planted.txt", "openat"},
                             Planted{"load_plant_shm", "/dev/shm/kl_planted", "openat"}}) {
        std::remove(p.path.c_str());
        expect_refused_while_loading(p.fixture, "the system call " + p.call);
        struct stat st {};
        BOOST_TEST(::lstat(p.path.c_str(), &st) != 0, p.path << " was planted");
    }
}

BOOST_AUTO_TEST_CASE(a_constructor_cannot_truncate_the_gradebook_beside_it) {
    const InOwnDirectory here("truncate");
    const std::string book = "gradebook.sqlite";
    {
        std::ofstream out(book, std::ios::trunc);
        out << "the class's grades";
    }
    expect_refused_while_loading("load_truncate_gradebook", "the system call truncate");
    std::ifstream in(book);
    std::string content;
    std::getline(in, content);
    BOOST_TEST(content == "the class's grades");
    std::remove(book.c_str());
}

BOOST_AUTO_TEST_CASE(a_linked_helper_outside_the_system_libraries_is_a_load_error_naming_it) {
    expect_refused_while_loading("load_helper", "the library needs libload_helper_dep.so");
}

BOOST_AUTO_TEST_CASE(a_thread_a_constructor_starts_meets_the_same_filter) {
    expect_refused_while_loading("load_thread_call", "the system call socket");
}

BOOST_AUTO_TEST_CASE(system_calls_of_other_architectures_are_refused_and_named) {
    expect_refused_while_loading("load_32bit", "the 32-bit system call getpid");
    expect_refused_while_loading("load_x32", "the x32 system call getpid");
    const result::Result r = grade_library(load_fixture("call_32bit"));
    BOOST_TEST_REQUIRE(!r.load_error.has_value());
    BOOST_TEST(find_case(r, "ex1", "tokens_kl_pq").message ==
               "kl_divergence was stopped by the sandbox: the sandbox refused the 32-bit system "
               "call getpid (int 0x80: 32-bit system calls are not allowed)");
    for (const auto& [id, s] : scores(r))
        if (id != "ex1") BOOST_TEST(s.first == s.second, id);
}

BOOST_AUTO_TEST_CASE(the_calls_other_judges_were_broken_through_are_refused_while_loading) {
    for (const char* call : {"io_uring_setup", "userfaultfd", "perf_event_open", "bpf", "keyctl",
                             "ptrace", "process_vm_readv", "mount", "umount2", "pivot_root",
                             "chroot", "unshare", "setns", "personality", "open_by_handle_at"})
        expect_refused_while_loading(std::string("load_call_") + call,
                                     std::string("the system call ") + call + ",");
}

// A batch run by its owner, in the directory holding the class's gradebook: a submission whose
// constructor truncates gradebook.sqlite gets a load error, and every grade recorded before and
// beside it is still there.
BOOST_AUTO_TEST_CASE(a_batch_keeps_every_grade_when_a_submission_tries_to_truncate_the_gradebook) {
    namespace fs = std::filesystem;
    const fs::path dir = test_support::temp_dir() / "batch";
    fs::remove_all(dir);
    fs::create_directories(dir / "class");
    fs::copy_file(fixture_path("good_c"), dir / "class" / "alice.so");
    fs::copy_file(fixture_path("wrong_log2"), dir / "class" / "bob.so");
    const std::string batch =
        "cd " + dir.string() + " && " GRADER_EXE " batch class --spec " + PROJECT_SPEC + " --quiet";
    BOOST_TEST_REQUIRE(test_support::shell(batch).status == 0);
    fs::copy_file(load_fixture("load_truncate_gradebook"), dir / "class" / "mallory.so");
    const test_support::Run second = test_support::shell(batch);
    BOOST_TEST(second.status == 0, second.out);
    const test_support::Run csv =
        test_support::shell("cd " + dir.string() + " && " GRADER_EXE " export");
    BOOST_TEST_REQUIRE(csv.status == 0, csv.out);
    BOOST_TEST(contains(csv.out, "\nalice,,,,,22,11,19,13,15,14,14,16,8,8,140,140,100.00,graded"),
               csv.out);
    BOOST_TEST(contains(csv.out, "\nbob,,,,,9,11,19,13,15,14,14,16,8,8,127,140,90.71,graded"),
               csv.out);
    BOOST_TEST(contains(csv.out, "\nmallory,,,,,0,0,0,0,0,0,0,0,0,0,0,140,0.00,load_error"),
               csv.out);
    fs::remove_all(dir);
}

// The grader's /proc files belong to root while it runs: no process of its own user (a worker,
// anything else the student or instructor runs) may read its memory or environment.
BOOST_AUTO_TEST_CASE(the_graders_memory_is_private_to_it) {
    std::vector<std::string> args;
    if (::geteuid() == 0)  // as root the files are root's anyway: run the grader as nobody
        args = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    args.insert(args.end(), {GRADER_EXE, "grade", fixture_path("hostile_sleep"), "--spec",
                             PROJECT_SPEC, "--time-limit", "3", "--no-shrink"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    // setpriv execs the grader in the same process; the grader makes itself private first thing.
    const std::string environ_path = "/proc/" + std::to_string(pid) + "/environ";
    bool grader_running = false, private_to_it = false;
    for (int i = 0; i < 3000 && !private_to_it; ++i) {  // up to 30 s on a busy machine
        // Its name, which anyone may read: "grader" once setpriv has exec'd it.
        std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
        std::string name;
        std::getline(comm, name);
        grader_running = name == "grader";
        struct stat st {};
        private_to_it = grader_running && ::stat(environ_path.c_str(), &st) == 0 && st.st_uid == 0;
        if (!private_to_it) ::usleep(10000);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    BOOST_TEST(grader_running);
    BOOST_TEST(private_to_it, "the grader's /proc files stayed its user's");
}

BOOST_AUTO_TEST_SUITE_END()
