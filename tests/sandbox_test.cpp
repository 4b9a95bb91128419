// End-to-end tests of the sandbox: real workers (the grader binary as `grader __worker`) load
// the fixture submissions in tests/fixtures/{hostile,broken} and every misbehaviour must end in
// its exact verdict, while the other calls of the same batch still pass.
#define BOOST_TEST_MODULE sandbox
#include <boost/test/unit_test.hpp>

#include <gnu/libc-version.h>
#include <linux/filter.h>
#include <sys/wait.h>

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "grader/abi/signature.hpp"
#include "grader/elf/glibc_needs.hpp"
#include "grader/error.hpp"
#include "grader/sandbox/arena.hpp"
#include "grader/sandbox/channel.hpp"
#include "grader/sandbox/elf_check.hpp"
#include "grader/sandbox/process_runner.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/seccomp_filter.hpp"
#include "grader/sandbox/seccomp_install.hpp"

using namespace grader::sandbox;
namespace gabi = grader::abi;

namespace {

const char* const kPrototypes[] = {
    "double kl_divergence(const double *p, const double *q, size_t n)",
    "double entropy(const double *p, size_t n)",
    "double cross_entropy(const double *p, const double *q, size_t n)",
    "void gibbs_terms(const double *p, const double *q, size_t n, double *log_ratio, double "
    "*linear)",
    "void marginal_rows(const double *joint, size_t rows, size_t cols, double *marginal)",
    "double kl_gaussian(double mu1, double sigma1, double mu2, double sigma2)",
    "double kl_vae(double mu, double sigma)",
    "void kl_vae_grad(double mu, double sigma, double *d_mu, double *d_sigma)",
    "double js_divergence(const double *p, const double *q, size_t n)",
    "double chi2_divergence(const double *p, const double *q, size_t n)",
    "double tv_distance(const double *p, const double *q, size_t n)",
    "double rlhf_optimal_policy(const double *log_ref, const double *reward, size_t n, double "
    "beta, double *log_pi)",
    "void softmax_t(const double *logits, size_t n, double tau, double *p)",
    "double distillation_kl(const double *teacher_logits, const double *student_logits, size_t n, "
    "double tau)",
};

const std::vector<gabi::Signature>& functions() {
    static const std::vector<gabi::Signature> sigs = [] {
        std::vector<gabi::Signature> out;
        for (const char* p : kPrototypes) out.push_back(gabi::parse_prototype(p));
        return out;
    }();
    return sigs;
}

std::size_t index_of(const std::string& name) {
    for (std::size_t i = 0; i < functions().size(); ++i)
        if (functions()[i].name == name) return i;
    throw std::runtime_error("no function " + name);
}

Limits test_limits() {
    Limits limits;
    limits.call_seconds = 0.3;  // short: the suite has several time-outs
    limits.cpu_seconds = 0.3;
    limits.memory_bytes = 512ull << 20;
    return limits;
}

std::unique_ptr<Runner> runner_for(const std::string& library, Limits limits = test_limits()) {
    return make_process_runner({WORKER_EXE, library, functions(), limits, {}});
}

Arg in(std::vector<double> values) {
    Arg a;
    a.kind = Arg::Kind::Input;
    a.values = std::move(values);
    return a;
}
Arg out(std::size_t length) {
    Arg a;
    a.kind = Arg::Kind::Output;
    a.length = length;
    return a;
}
Arg size(std::uint64_t n) {
    Arg a;
    a.scalar.u = n;
    return a;
}
Arg real(double x) {
    Arg a;
    a.scalar.f = x;
    return a;
}

const std::vector<double> kP = {0.1, 0.2, 0.3, 0.4};
const std::vector<double> kQ = {0.25, 0.25, 0.25, 0.25};

double kl(const std::vector<double>& p, const std::vector<double>& q) {
    double s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) s += p[i] * std::log(p[i] / q[i]);
    return s;
}

// f(p, q, n) for any of the two-distribution functions.
Call pq_call(const std::string& name, const std::vector<double>& p = kP,
             const std::vector<double>& q = kQ) {
    return Call{index_of(name), {in(p), in(q), size(p.size())}, 0};
}
Call p_call(const std::string& name, const std::vector<double>& p = kP) {
    return Call{index_of(name), {in(p), size(p.size())}, 0};
}
Call vae_call(double mu, double sigma) {
    return Call{index_of("kl_vae"), {real(mu), real(sigma)}, 0};
}
double vae(double mu, double sigma) {
    return 0.5 * (mu * mu + sigma * sigma - std::log(sigma * sigma) - 1);
}

// The call as one of a case's inputs: group g.
Call grouped(Call c, std::uint32_t g) {
    c.group = g;
    return c;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

#define CHECK_VERDICT(result, expected_status, words)                                 \
    do {                                                                              \
        const CallResult& r_ = (result);                                              \
        BOOST_TEST_INFO("detail: " << r_.detail);                                     \
        BOOST_TEST(static_cast<int>(r_.status) == static_cast<int>(expected_status)); \
        BOOST_TEST(contains(r_.detail, words));                                       \
    } while (0)

bool has_child_processes() {
    int status = 0;
    return ::waitpid(-1, &status, WNOHANG) == 0;  // 0: children exist but none has ended
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox)

BOOST_AUTO_TEST_CASE(good_library_returns_correct_outputs) {
    auto runner = runner_for(FIXTURE_BASELINE);
    const LoadResult& load = runner->load();
    BOOST_REQUIRE(!load.error);
    BOOST_TEST(load.present[index_of("kl_divergence")]);
    BOOST_TEST(contains(load.layers.front(), "process"));

    const std::vector<double> logits = {1, 2, 3};
    std::vector<Call> calls = {
        pq_call("kl_divergence"),
        Call{index_of("softmax_t"), {in(logits), size(3), real(1.0), out(3)}, 0},
        vae_call(0.5, 2.0),
        Call{index_of("kl_vae_grad"), {real(0.5), real(2.0), out(1), out(1)}, 0},
        Call{index_of("rlhf_optimal_policy"),
             {in({0, 0}), in({1, 0}), size(2), real(1.0), out(2)},
             0},
    };
    const BatchResult r = runner->run(calls);
    BOOST_REQUIRE_EQUAL(r.calls.size(), calls.size());
    for (const CallResult& c : r.calls)
        BOOST_TEST(static_cast<int>(c.status) == static_cast<int>(Status::Ok));
    BOOST_TEST(std::abs(r.calls[0].result.f - kl(kP, kQ)) < 1e-12);
    const double z = std::exp(1) + std::exp(2) + std::exp(3);
    BOOST_REQUIRE_EQUAL(r.calls[1].outputs.size(), 4u);
    BOOST_REQUIRE_EQUAL(r.calls[1].outputs[3].size(), 3u);
    BOOST_TEST(std::abs(r.calls[1].outputs[3][2] - std::exp(3) / z) < 1e-12);
    BOOST_TEST(r.calls[1].outputs[0].empty());
    BOOST_TEST(std::abs(r.calls[2].result.f - vae(0.5, 2.0)) < 1e-12);
    BOOST_TEST(r.calls[3].outputs[2][0] == 0.5);
    BOOST_TEST(r.calls[3].outputs[3][0] == 1.5);
    BOOST_TEST(std::abs(r.calls[4].result.f - std::log(std::exp(1) + 1)) < 1e-12);
    BOOST_TEST(std::abs(r.calls[4].outputs[4][0] - (1 - std::log(std::exp(1) + 1))) < 1e-12);
    BOOST_TEST(r.calls[0].wall_seconds < 0.3);
}

// Where grader-worker is missing (a grader binary copied alone, as students get it), the grader
// is its own worker (`grader __worker`), with the same sandbox.
BOOST_AUTO_TEST_CASE(the_grader_itself_is_a_worker_too) {
    auto runner =
        make_process_runner({GRADER_EXE, FIXTURE_BASELINE, functions(), test_limits(), {}});
    const LoadResult& load = runner->load();
    BOOST_TEST_REQUIRE(!load.error, load.error.value_or(""));
    std::string layers;
    for (const auto& l : load.layers) layers += l + " ";
    BOOST_TEST(contains(layers, "seccomp"), layers);
    const BatchResult r = runner->run(std::vector<Call>{pq_call("kl_divergence")});
    BOOST_TEST_REQUIRE(r.calls.size() == 1u);
    BOOST_TEST((r.calls[0].status == Status::Ok));
    BOOST_TEST(std::abs(r.calls[0].result.f - kl(kP, kQ)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(reports_its_sandbox_layers) {
    auto runner = runner_for(FIXTURE_BASELINE);
    const LoadResult& load = runner->load();
    BOOST_REQUIRE(!load.error);
    std::string layers;
    for (const auto& l : load.layers) layers += l + " ";
    std::string warnings;
    for (const auto& w : load.warnings) warnings += w + "; ";
    BOOST_TEST_MESSAGE("layers: " << layers << "warnings: " << warnings);
    BOOST_TEST(contains(layers, "rlimits"));
    BOOST_TEST(contains(layers, "no_new_privs"));
    if (::geteuid() == 0) BOOST_TEST(contains(layers, "uid-drop"));
    // Either every layer is there, or a warning says why one is not.
    BOOST_TEST((contains(layers, "seccomp") || contains(warnings, "seccomp")));
    BOOST_TEST((contains(layers, "landlock") || contains(warnings, "landlock")));
    // The namespaces and the worker's own root (as root: no user namespace, the uid drop instead),
    // or a warning that the kernel refused them.
    const bool namespaces = contains(layers, "mountns") && contains(layers, "pidns") &&
                            contains(layers, "netns") && contains(layers, "ipcns") &&
                            (::geteuid() == 0 || contains(layers, "userns"));
    BOOST_TEST((namespaces || contains(warnings, "namespaces: the kernel refused")));
}

BOOST_AUTO_TEST_CASE(require_sandbox_throws_only_when_a_layer_is_missing) {
    Limits limits = test_limits();
    limits.require_sandbox = true;
    auto strict = runner_for(FIXTURE_BASELINE, limits);
    auto lenient = runner_for(FIXTURE_BASELINE);
    const bool complete = lenient->load().warnings.empty();
    if (complete) {
        BOOST_CHECK_NO_THROW(strict->load());
        return;
    }
    try {
        strict->load();
        BOOST_TEST(false, "an incomplete sandbox was accepted");
    } catch (const grader::Error& e) {
        BOOST_TEST(contains(e.what(), "the sandbox is incomplete (missing: "), e.what());
        // Without namespaces (tests/tools/no_namespaces.c) the missing layers are named.
        bool refused = false;
        for (const auto& w : lenient->load().warnings) refused |= contains(w, "namespaces: ");
        if (refused) BOOST_TEST(contains(e.what(), "mountns, pidns, netns, ipcns"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(batch_of_1000_calls) {
    auto runner = runner_for(FIXTURE_BASELINE);
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_REQUIRE(!runner->load().error);
    const auto t1 = std::chrono::steady_clock::now();
    std::vector<Call> calls;
    std::vector<double> expected;
    for (int i = 0; i < 1000; ++i) {
        const std::size_t n = 1 + static_cast<std::size_t>(i % 64);
        std::vector<double> p(n), q(n, 1.0 / static_cast<double>(n));
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k)
            sum += p[k] = 1.0 + static_cast<double>((k * 7 + static_cast<std::size_t>(i)) % 11);
        for (double& x : p) x /= sum;
        expected.push_back(kl(p, q));
        calls.push_back(pq_call("kl_divergence", p, q));
    }
    const BatchResult r = runner->run(calls);
    const auto t2 = std::chrono::steady_clock::now();
    BOOST_REQUIRE_EQUAL(r.calls.size(), 1000u);
    int ok = 0;
    for (std::size_t i = 0; i < 1000; ++i)
        ok +=
            r.calls[i].status == Status::Ok && std::abs(r.calls[i].result.f - expected[i]) < 1e-12;
    BOOST_TEST(ok == 1000);
    using ms = std::chrono::duration<double, std::milli>;
    BOOST_TEST_MESSAGE("worker start (fork+exec+load): "
                       << ms(t1 - t0).count() << " ms; 1000 calls: " << ms(t2 - t1).count()
                       << " ms (" << ms(t2 - t1).count() << " us per call)");
}

BOOST_AUTO_TEST_CASE(missing_symbol_is_missing_only_for_that_function) {
    auto runner = runner_for(FIXTURE_BASELINE);
    const LoadResult& load = runner->load();
    BOOST_REQUIRE(!load.error);
    BOOST_TEST(!load.present[index_of("entropy")]);
    BOOST_TEST(load.hints[index_of("entropy")].empty());
    const BatchResult r =
        runner->run(std::vector<Call>{pq_call("kl_divergence"), p_call("entropy"), vae_call(1, 1)});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Missing, "does not export entropy");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
}

BOOST_AUTO_TEST_CASE(mangled_cpp_name_gets_the_extern_c_hint) {
    auto runner = runner_for(FIXTURE_MANGLED);
    const LoadResult& load = runner->load();
    BOOST_REQUIRE(!load.error);
    const std::size_t f = index_of("kl_divergence");
    BOOST_TEST(!load.present[f]);
    BOOST_TEST(load.present[index_of("kl_vae")]);
    BOOST_TEST(contains(load.hints[f], "found the C++ symbol `_Z13kl_divergencePKdS0_m`"));
    BOOST_TEST(contains(load.hints[f], "extern \"C\""));
    const BatchResult r = runner->run(std::vector<Call>{pq_call("kl_divergence"), vae_call(0, 1)});
    CHECK_VERDICT(r.calls[0], Status::Missing, "extern \"C\"");
    BOOST_TEST(std::abs(r.calls[1].result.f) < 1e-15);
}

BOOST_AUTO_TEST_CASE(segfault_costs_only_its_own_call) {
    auto runner = runner_for(FIXTURE_SEGFAULT);
    const BatchResult r =
        runner->run(std::vector<Call>{vae_call(1, 1), vae_call(2, 1), p_call("entropy"),
                                      vae_call(3, 1), p_call("entropy"), vae_call(4, 2)});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Crash, "SIGSEGV (segmentation fault)");
    CHECK_VERDICT(r.calls[3], Status::Ok, "");
    CHECK_VERDICT(r.calls[4], Status::Crash, "SIGSEGV");
    CHECK_VERDICT(r.calls[5], Status::Ok, "");
    BOOST_TEST(std::abs(r.calls[5].result.f - vae(4, 2)) < 1e-12);
    BOOST_TEST(std::abs(r.calls[3].result.f - vae(3, 1)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(stack_overflow_is_a_crash) {
    auto runner = runner_for(FIXTURE_SEGFAULT);
    const BatchResult r = runner->run(std::vector<Call>{pq_call("cross_entropy"), vae_call(1, 1)});
    CHECK_VERDICT(r.calls[0], Status::Crash, "SIGSEGV");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
}

BOOST_AUTO_TEST_CASE(infinite_loop_times_out_and_the_rest_runs) {
    auto runner = runner_for(FIXTURE_SPIN);
    const auto t0 = std::chrono::steady_clock::now();
    const BatchResult r =
        runner->run(std::vector<Call>{vae_call(1, 1), p_call("entropy"), vae_call(2, 1)});
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Timeout, "exceeded the 0.3 s time limit");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
    BOOST_TEST(r.calls[1].wall_seconds >= 0.3);
    // About 0.4 s here: the bound guards against a hang or a wait of many limits, not a speed.
    BOOST_TEST(took < 10.0);
}

BOOST_AUTO_TEST_CASE(blocked_signals_sigstop_and_sleep_still_time_out) {
    auto runner = runner_for(FIXTURE_SPIN);
    const BatchResult r = runner->run(
        std::vector<Call>{pq_call("cross_entropy"), vae_call(1, 1), pq_call("tv_distance"),
                          vae_call(1, 2), pq_call("chi2_divergence"), vae_call(2, 2)});
    CHECK_VERDICT(r.calls[0], Status::Timeout, "time limit");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Timeout, "time limit");
    CHECK_VERDICT(r.calls[3], Status::Ok, "");
    CHECK_VERDICT(r.calls[4], Status::Timeout, "time limit");
    CHECK_VERDICT(r.calls[5], Status::Ok, "");
}

BOOST_AUTO_TEST_CASE(cpu_time_is_measured_and_limited) {
    Limits limits = test_limits();
    limits.call_seconds = 2.0;
    limits.cpu_seconds = 0.05;
    auto runner = runner_for(FIXTURE_SPIN, limits);
    auto spin = [](double seconds) {
        return Call{index_of("distillation_kl"), {in({0}), in({0}), size(1), real(seconds)}, 0};
    };
    const BatchResult r = runner->run(std::vector<Call>{spin(0.01), spin(0.2), vae_call(1, 1)});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    BOOST_TEST(r.calls[0].cpu_seconds >= 0.01);
    CHECK_VERDICT(r.calls[1], Status::Timeout, "exceeded the 0.05 s CPU time limit");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
}

BOOST_AUTO_TEST_CASE(overflow_names_the_output) {
    auto runner = runner_for(FIXTURE_OVERFLOW);
    const BatchResult r = runner->run(std::vector<Call>{
        Call{index_of("rlhf_optimal_policy"),
             {in({0, 0, 0, 0, 0}), in({1, 2, 3, 4, 5}), size(5), real(1), out(5)},
             0},
        vae_call(1, 1),
        Call{index_of("softmax_t"), {in({1, 2}), size(2), real(1), out(2)}, 0},
        Call{index_of("gibbs_terms"), {in(kP), in(kQ), size(4), out(4), out(4)}, 0},
    });
    CHECK_VERDICT(r.calls[0], Status::Overflow, "wrote past the end of output 'log_pi' (n = 5)");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Overflow, "output 'p'");
    CHECK_VERDICT(r.calls[3], Status::Crash, "read past the end of output 'linear' (n = 4)");
}

BOOST_AUTO_TEST_CASE(writing_into_a_const_input_is_a_crash_naming_it) {
    auto runner = runner_for(FIXTURE_CONST_INPUT);
    const BatchResult r = runner->run(
        std::vector<Call>{pq_call("kl_divergence"), vae_call(1, 1), pq_call("js_divergence")});
    CHECK_VERDICT(r.calls[0], Status::Crash, "wrote into the const input 'p'");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Crash, "read past the end of input 'q' (n = 4)");
}

BOOST_AUTO_TEST_CASE(exit_in_the_middle_of_a_call_is_an_error) {
    auto runner = runner_for(FIXTURE_EXIT_MID_CALL);
    const BatchResult r =
        runner->run(std::vector<Call>{vae_call(1, 1), p_call("entropy"), vae_call(2, 1)});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Error, "the library exited with status 3 during the call");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
}

BOOST_AUTO_TEST_CASE(garbage_in_the_reply_channel_is_an_error_never_a_result) {
    auto runner = runner_for(FIXTURE_GARBAGE);
    const BatchResult r = runner->run(
        std::vector<Call>{vae_call(1, 1), p_call("entropy"), vae_call(2, 1), p_call("entropy")});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Error, "garbled");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
    // A function that broke the channel on its own is not run again.
    CHECK_VERDICT(r.calls[3], Status::Error, "broke the worker's channel");
    BOOST_TEST(std::abs(r.calls[2].result.f - vae(2, 1)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(printing_is_captured_apart_and_capped) {
    Limits limits = test_limits();
    limits.output_cap = 4096;
    limits.output_budget = 2u << 20;  // below it, every byte is counted
    auto runner = runner_for(FIXTURE_PRINTS, limits);
    const BatchResult r = runner->run(std::vector<Call>{p_call("entropy")});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    BOOST_TEST(contains(r.printed, "PASS 100/100\n"));
    BOOST_TEST(contains(r.printed, "PASS 100/100 (stderr)"));
    BOOST_TEST(r.printed_bytes == r.printed.size());
    const BatchResult flood =
        runner->run(std::vector<Call>{pq_call("cross_entropy"), p_call("entropy")});
    CHECK_VERDICT(flood.calls[0], Status::Ok, "");
    CHECK_VERDICT(flood.calls[1], Status::Ok, "");
    BOOST_TEST(flood.printed.size() == 4096u);
    BOOST_TEST(flood.printed_bytes >= 1024u * 1024u);
}

// Past the output budget (64 KiB by default) the rest is discarded unread, and the worker stops
// printing: the bounds are on bytes, not seconds. prints.c's cross_entropy prints 1 MiB in lines
// of 1 KiB, entropy 35 bytes to stdout and stderr.
BOOST_AUTO_TEST_CASE(printing_past_the_budget_is_discarded_unread) {
    Limits limits = test_limits();
    limits.output_cap = 4096;
    const std::size_t budget = limits.output_budget;
    auto runner = runner_for(FIXTURE_PRINTS, limits);
    const BatchResult small = runner->run(std::vector<Call>{p_call("entropy")});
    BOOST_TEST(small.printed_bytes == 35u);
    BOOST_TEST(!small.printed_discarded);

    const std::size_t copied = Channel::bytes_copied(), dropped = Channel::bytes_discarded();
    const BatchResult flood = runner->run(std::vector<Call>{
        pq_call("cross_entropy"), p_call("entropy"), pq_call("cross_entropy"), p_call("entropy")});
    for (const CallResult& c : flood.calls) CHECK_VERDICT(c, Status::Ok, "");
    BOOST_TEST(flood.printed.size() == 4096u);
    BOOST_TEST(flood.printed_bytes == budget - 35);  // counted exactly up to the budget
    BOOST_TEST(flood.printed_discarded);
    // The grader copied the budget and at most the one read that crossed it (16 KiB); the worker,
    // told at once, stopped printing in the middle of the first call: of the 2 MiB the calls
    // would print, at most about a pipe's worth (64 KiB) went on to be drained unread.
    BOOST_TEST_MESSAGE("copied " << Channel::bytes_copied() - copied << " bytes, drained "
                                 << Channel::bytes_discarded() - dropped << " unread");
    BOOST_TEST(Channel::bytes_copied() - copied <= budget + 16384);
    BOOST_TEST(Channel::bytes_discarded() - dropped <= 512u * 1024);

    // Spent once, spent for the runner's life: nothing more is counted, and a fresh worker (a
    // call under another memory limit gets one) starts silenced, its constructors included.
    const std::size_t dropped_before = Channel::bytes_discarded();
    Call fresh = pq_call("cross_entropy");
    fresh.memory_bytes = 256ull << 20;
    const BatchResult after = runner->run(std::vector<Call>{pq_call("cross_entropy"), fresh});
    CHECK_VERDICT(after.calls[0], Status::Ok, "");
    CHECK_VERDICT(after.calls[1], Status::Ok, "");
    BOOST_TEST(after.printed_bytes == 0u);
    BOOST_TEST(after.printed.empty());
    BOOST_TEST(after.printed_discarded);
    BOOST_TEST(Channel::bytes_discarded() - dropped_before == 0u);
}

BOOST_AUTO_TEST_CASE(running_out_of_memory_is_memory) {
#ifdef GRADER_SANITIZED
    BOOST_TEST_MESSAGE("skipped: no address-space limit under sanitizers");
#else
    auto runner = runner_for(FIXTURE_MEMORY);
    const BatchResult r =
        runner->run(std::vector<Call>{p_call("entropy"), vae_call(1, 1), pq_call("cross_entropy"),
                                      pq_call("tv_distance"), vae_call(2, 1)});
    CHECK_VERDICT(r.calls[0], Status::Memory, "ran out of memory (limit 512 MiB)");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Memory, "ran out of memory");
    CHECK_VERDICT(r.calls[3], Status::Memory, "ran out of memory");
    CHECK_VERDICT(r.calls[4], Status::Ok, "");
#endif
}

BOOST_AUTO_TEST_CASE(a_call_may_carry_its_own_memory_limit) {
#ifdef GRADER_SANITIZED
    BOOST_TEST_MESSAGE("skipped: no address-space limit under sanitizers");
#else
    auto runner = runner_for(FIXTURE_MEMORY);
    Call tight = p_call("entropy");
    tight.memory_bytes = 256ull << 20;
    Call after = vae_call(1, 1);
    after.memory_bytes = 256ull << 20;
    const BatchResult r =
        runner->run(std::vector<Call>{vae_call(1, 1), tight, after, p_call("entropy")});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Memory, "ran out of memory (limit 256 MiB)");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
    CHECK_VERDICT(r.calls[3], Status::Memory, "ran out of memory (limit 512 MiB)");
#endif
}

BOOST_AUTO_TEST_CASE(new_processes_and_sockets_are_forbidden) {
    auto runner = runner_for(FIXTURE_FORBIDDEN);
    BatchResult r = runner->run(std::vector<Call>{vae_call(1, 1)});
    runner.reset();
    BOOST_TEST(!has_child_processes());
    runner = runner_for(FIXTURE_FORBIDDEN);
    r = runner->run(
        std::vector<Call>{p_call("entropy"), vae_call(1, 1), pq_call("cross_entropy"),
                          Call{index_of("kl_gaussian"), {real(0), real(1), real(0), real(1)}, 0}});
    BOOST_TEST_INFO("detail: " << r.calls[0].detail);
    BOOST_TEST(static_cast<int>(r.calls[0].status) == static_cast<int>(Status::Forbidden));
    BOOST_TEST((contains(r.calls[0].detail, "clone") || contains(r.calls[0].detail, "fork")));
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Forbidden, "socket");
    CHECK_VERDICT(r.calls[3], Status::Forbidden, "execve");
    runner.reset();
    BOOST_TEST(!has_child_processes());  // the worker is gone and left no child behind
}

BOOST_AUTO_TEST_CASE(files_can_be_neither_read_nor_written) {
    std::remove("/tmp/grader-sandbox-probe.txt");
    auto runner = runner_for(FIXTURE_FORBIDDEN);
    const bool landlock = [&] {
        for (const auto& l : runner->load().layers)
            if (l == "landlock") return true;
        return false;
    }();
    const BatchResult r =
        runner->run(std::vector<Call>{pq_call("tv_distance"), pq_call("chi2_divergence")});
    if (landlock) {
        CHECK_VERDICT(r.calls[0], Status::Ok, "");
        BOOST_TEST(r.calls[0].result.f == 0.0);  // open("/etc/passwd") failed
    }
    CHECK_VERDICT(r.calls[1], Status::Forbidden, "openat");
    BOOST_TEST(::access("/tmp/grader-sandbox-probe.txt", F_OK) != 0);
}

BOOST_AUTO_TEST_CASE(the_grader_cannot_be_killed_and_handlers_cannot_be_replaced) {
    auto runner = runner_for(FIXTURE_FORBIDDEN);
    const BatchResult r = runner->run(std::vector<Call>{
        pq_call("js_divergence"),
        Call{index_of("distillation_kl"), {in({0}), in({0}), size(1), real(1)}, 0},
        vae_call(1, 1)});
    CHECK_VERDICT(r.calls[0], Status::Forbidden, "kill");
    CHECK_VERDICT(r.calls[1], Status::Forbidden, "rt_sigaction");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
}

BOOST_AUTO_TEST_CASE(threads_left_running_do_not_break_the_next_call) {
    auto runner = runner_for(FIXTURE_THREADS);
    const BatchResult first = runner->run(std::vector<Call>{p_call("entropy")});
    CHECK_VERDICT(first.calls[0], Status::Ok, "");
    BOOST_TEST(first.calls[0].result.f == 2.0);  // both threads started
    std::vector<Call> calls;
    for (int i = 0; i < 50; ++i) calls.push_back(vae_call(1 + i, 1));
    const BatchResult next = runner->run(calls);
    for (int i = 0; i < 50; ++i) {
        CHECK_VERDICT(next.calls[static_cast<std::size_t>(i)], Status::Ok, "");
        BOOST_TEST(std::abs(next.calls[static_cast<std::size_t>(i)].result.f - vae(1 + i, 1)) <
                   1e-9);
    }
}

// Descriptors 3 and 4 are the worker's channel: every way of closing or replacing them is refused
// and named at the call that tried, and the calls around it keep their results.
BOOST_AUTO_TEST_CASE(the_channel_descriptors_cannot_be_closed_or_replaced) {
    auto runner = runner_for(FIXTURE_CHANNEL);
    const BatchResult r = runner->run(std::vector<Call>{
        vae_call(1, 1), pq_call("cross_entropy"), vae_call(2, 1), p_call("entropy"),
        pq_call("js_divergence"), pq_call("tv_distance"), vae_call(3, 1)});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    BOOST_TEST(r.calls[1].detail == "the sandbox refused the system call close");
    CHECK_VERDICT(r.calls[1], Status::Forbidden, "");
    CHECK_VERDICT(r.calls[2], Status::Ok, "");
    BOOST_TEST(r.calls[3].detail == "the sandbox refused the system call dup2");
    CHECK_VERDICT(r.calls[3], Status::Forbidden, "");
    BOOST_TEST(r.calls[4].detail == "the sandbox refused the system call close_range");
    CHECK_VERDICT(r.calls[4], Status::Forbidden, "");
    CHECK_VERDICT(r.calls[5], Status::Ok, "");
    BOOST_TEST(r.calls[5].result.f == 1.0);  // closing its own descriptors still works
    CHECK_VERDICT(r.calls[6], Status::Ok, "");
    BOOST_TEST(std::abs(r.calls[6].result.f - vae(3, 1)) < 1e-12);
}

BOOST_AUTO_TEST_CASE(a_constructor_cannot_replace_the_channel) {
    const auto load = runner_for(FIXTURE_CTOR_CLOSE)->load();
    BOOST_REQUIRE(load.error);
    BOOST_TEST(*load.error ==
               "while loading (in a constructor or an IFUNC resolver), the library made the system "
               "call dup2, which the sandbox forbids");
}

// Waits (up to 30 s) until a child of this process, the runner's worker, has ended, without
// reaping it: the runner reaps its own. Waiting for the event instead of sleeping a fixed time
// keeps the tests right on a machine too busy to run the worker's timer on time.
bool wait_for_a_worker_to_end() {
    for (int i = 0; i < 3000; ++i) {
        siginfo_t info{};
        if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// A worker that dies between batches (here a thread left by an earlier call ends it) never
// started the next batch: its first call is innocent and runs again in a fresh worker.
BOOST_AUTO_TEST_CASE(a_worker_lost_between_batches_blames_no_call) {
    auto runner = runner_for(FIXTURE_LATE_EXIT);
    const BatchResult first = runner->run(std::vector<Call>{p_call("entropy")});
    CHECK_VERDICT(first.calls[0], Status::Ok, "");
    BOOST_TEST_REQUIRE(wait_for_a_worker_to_end());  // the thread has ended it
    const BatchResult next = runner->run(std::vector<Call>{vae_call(1, 1), vae_call(2, 1)});
    CHECK_VERDICT(next.calls[0], Status::Ok, "");
    CHECK_VERDICT(next.calls[1], Status::Ok, "");
    BOOST_TEST(std::abs(next.calls[0].result.f - vae(1, 1)) < 1e-12);
}

// A fresh worker that dies before its first batch: no call can be at fault, the library is.
BOOST_AUTO_TEST_CASE(a_fresh_worker_lost_before_its_first_call_blames_the_library) {
    auto runner = runner_for(FIXTURE_CTOR_ALARM);
    BOOST_REQUIRE(!runner->load().error);
    BOOST_TEST_REQUIRE(wait_for_a_worker_to_end());  // SIGALRM has ended it
    const BatchResult r = runner->run(std::vector<Call>{vae_call(1, 1), vae_call(2, 1)});
    for (const CallResult& c : r.calls) {
        BOOST_TEST(static_cast<int>(c.status) == static_cast<int>(Status::Error));
        BOOST_TEST(c.detail ==
                   "the library made a fresh worker fail before it ran any call (SIGALRM (alarm "
                   "clock)): the library as a whole is at fault, not this call");
    }
}

BOOST_AUTO_TEST_CASE(constructor_that_crashes_exits_or_loops_is_a_load_error) {
    const auto crash = runner_for(FIXTURE_CTOR_CRASH)->load();
    BOOST_REQUIRE(crash.error);
    BOOST_TEST(*crash.error == "the library's constructor crashed (SIGSEGV (segmentation fault))");
    const auto exits = runner_for(FIXTURE_CTOR_EXIT)->load();
    BOOST_REQUIRE(exits.error);
    BOOST_TEST(*exits.error ==
               "the library's constructor ended the process with exit status 3 while loading");
    const auto loops = runner_for(FIXTURE_CTOR_LOOP)->load();
    BOOST_REQUIRE(loops.error);
    BOOST_TEST(contains(*loops.error, "did not finish loading within 1 s"));
    const auto forks = runner_for(FIXTURE_CTOR_FORK)->load();
    BOOST_REQUIRE(forks.error);
    BOOST_TEST(contains(*forks.error,
                        "the library made the system call clone, which the sandbox forbids"));
    BOOST_TEST(!has_child_processes());
}

BOOST_AUTO_TEST_CASE(calls_to_an_unloadable_library_are_errors) {
    auto runner = runner_for(FIXTURE_CTOR_CRASH);
    const BatchResult r = runner->run(std::vector<Call>{vae_call(1, 1)});
    CHECK_VERDICT(r.calls[0], Status::Error, "could not be loaded");
}

BOOST_AUTO_TEST_CASE(undefined_symbol_is_named) {
    const auto load = runner_for(FIXTURE_UNDEFINED_SYMBOL)->load();
    BOOST_REQUIRE(load.error);
    BOOST_TEST(*load.error ==
               "the library uses the symbol `helper_not_linked`, which neither it nor the system "
               "libraries define "
               "(undefined symbol)");
}

BOOST_AUTO_TEST_CASE(files_that_are_not_libraries_get_a_clear_sentence) {
    const std::string dir = SANDBOX_BROKEN_DIR;
    auto error_of = [](const std::string& path) {
        const auto load = runner_for(path)->load();
        return load.error.value_or("(no error)");
    };
    BOOST_TEST(error_of(dir + "/missing.so") == "the file " + dir + "/missing.so does not exist");
    BOOST_TEST(error_of(dir + "/directory.so") ==
               dir + "/directory.so is a directory, not a shared library");
    BOOST_TEST(error_of(dir + "/empty.so") ==
               dir + "/empty.so is empty (0 bytes), not a shared library");
    BOOST_TEST(error_of(dir + "/text.so") ==
               dir + "/text.so is a text file, not a compiled shared library");
    const std::string fix =
        "the grader loads only libraries built for x86-64 Linux: build it in the course's CI or "
        "container, or on any x86-64 Linux machine";
    BOOST_TEST(error_of(dir + "/class32.so") ==
               dir +
                   "/class32.so is a 32-bit library; the grader needs a 64-bit one (x86-64): "
                   "build it without -m32; " +
                   fix);
    BOOST_TEST(error_of(dir + "/aarch64.so") ==
               dir +
                   "/aarch64.so is built for 64-bit ARM (aarch64), not for this machine "
                   "(x86-64), as on an ARM computer such as an Apple Silicon Mac; " +
                   fix);
    BOOST_TEST(error_of(dir + "/macho.so") ==
               dir + "/macho.so is a macOS library (Mach-O), not a Linux shared library; " + fix);
    BOOST_TEST(error_of(dir + "/pe.so") == dir +
                                               "/pe.so is a Windows library (PE, a DLL), not a "
                                               "Linux shared library; " +
                                               fix);
    BOOST_TEST(
        contains(error_of(dir + "/truncated.so"), dir + "/truncated.so is truncated (1000 bytes)"));
    BOOST_TEST(
        error_of(dir + "/executable.so") ==
        dir + "/executable.so is an executable, not a shared library: build it with -shared -fPIC");
}

// The check is the grader's, before any worker starts: the message names the file as given
// (never the worker's copy of it), the version and a symbol needing it, and what this machine has.
BOOST_AUTO_TEST_CASE(a_library_needing_a_newer_glibc_is_explained) {
    const std::string path = std::string(SANDBOX_BROKEN_DIR) + "/glibc299.so";
    const auto load = runner_for(path)->load();
    BOOST_REQUIRE(load.error);
    const std::string& e = *load.error;
    BOOST_TEST(e.starts_with(path + " needs version 2.99 of the GNU C library (glibc), for the "
                                    "symbol `"),
               e);
    BOOST_TEST(contains(e, "`, but this machine has glibc " + std::string(gnu_get_libc_version()) +
                               ": it was built on a newer system than the one grading it. Build "
                               "it in the course's CI or container, or on a system whose glibc "
                               "is " +
                               gnu_get_libc_version() + " or older"),
               e);
    BOOST_TEST(!contains(e, "/proc/self/fd"));
    BOOST_TEST(!contains(e, "/submission.so"));
}

// A version need the grader does not read itself (libstdc++'s GLIBCXX_, say) is left to the
// loader, whose message names the worker's copy of the file: the sentence names neither it nor
// the worker's root, and says what to do.
BOOST_AUTO_TEST_CASE(a_version_the_loader_lacks_is_explained_without_the_workers_path) {
    const auto load = runner_for(std::string(SANDBOX_BROKEN_DIR) + "/glibcxx.so")->load();
    BOOST_REQUIRE(load.error);
    const std::string& e = *load.error;
    // Of libc.so.6 or libm.so.6: whichever need the fixture's linker listed first.
    const std::string of = e.substr(0, e.find(','));
    BOOST_TEST((of == "the library needs version GLIBCXX_9.9 of libc.so.6" ||
                of == "the library needs version GLIBCXX_9.9 of libm.so.6"),
               e);
    const std::string lib = of.substr(of.rfind(' ') + 1);
    BOOST_TEST(e == of + ", which this machine's " + lib +
                        " does not have: it was built on a newer system than the one grading it. "
                        "Build it in the course's CI or container, or on an older system");
    BOOST_TEST(!contains(e, "/proc/self/fd"));
    BOOST_TEST(!contains(e, "/submission.so"));
}

BOOST_AUTO_TEST_CASE(glibc_needs_are_read_from_the_elf_file) {
    const auto need =
        grader::elf::newest_glibc_need(std::string(SANDBOX_BROKEN_DIR) + "/glibc299.so");
    BOOST_REQUIRE(need.has_value());
    BOOST_TEST(need->version == "2.99");
    BOOST_TEST(!need->symbol.empty());
    const auto baseline = grader::elf::newest_glibc_need(FIXTURE_BASELINE);
    BOOST_REQUIRE(baseline.has_value());
    BOOST_TEST(grader::elf::compare_versions(baseline->version, gnu_get_libc_version()) <= 0);
    BOOST_TEST(!grader::elf::check_glibc(FIXTURE_BASELINE, gnu_get_libc_version(), "here"));
    BOOST_TEST(grader::elf::check_glibc(FIXTURE_BASELINE, "2.1", "here").has_value());
    BOOST_TEST(!grader::elf::newest_glibc_need(std::string(SANDBOX_BROKEN_DIR) + "/pe.so"));
    BOOST_TEST(grader::elf::compare_versions("2.9", "2.10") < 0);
    BOOST_TEST(grader::elf::compare_versions("2.2.5", "2.2") > 0);
    BOOST_TEST(grader::elf::compare_versions("2.36", "2.36") == 0);
}

BOOST_AUTO_TEST_CASE(bad_worker_executable_and_bad_calls_are_grader_errors) {
    BOOST_CHECK_THROW(
        make_process_runner(
            {"/nonexistent/grader", FIXTURE_BASELINE, functions(), test_limits(), {}}),
        grader::Error);
    auto runner = runner_for(FIXTURE_BASELINE);
    Call wrong = pq_call("kl_divergence");
    wrong.args[0] = out(4);
    BOOST_CHECK_THROW(runner->run(std::vector<Call>{wrong}), grader::Error);
}

BOOST_AUTO_TEST_CASE(no_worker_outlives_its_runner) {
    {
        auto runner = runner_for(FIXTURE_SPIN);
        BOOST_REQUIRE(!runner->load().error);
        BOOST_TEST(has_child_processes());
    }
    BOOST_TEST(!has_child_processes());
}

// The grader reads a reply only as far as the calls it asked for can fill: a larger one is refused
// from its header alone, before a byte of its payload is buffered.
BOOST_AUTO_TEST_CASE(a_reply_larger_than_the_calls_asked_is_refused_at_its_header) {
    Call gibbs;
    gibbs.function = index_of("gibbs_terms");
    gibbs.args = {in({0.5, 0.5, 0.0}), in({0.2, 0.3, 0.5}), size(3), out(3), out(3)};
    Call kl;
    kl.function = index_of("kl_divergence");
    kl.args = {in({1.0}), in({1.0}), size(1)};
    const std::vector<const Call*> chunk = {&kl, &gibbs};
    // u32 count; per call u32 index, two f64 timings, u64 result; per output u64 length + values.
    BOOST_TEST(protocol::results_bytes(chunk, functions(), 0) == 4u + 28 + 28 + 2 * (8 + 24));
    BOOST_TEST(protocol::results_bytes(chunk, functions(), 1) == 4u + 28 + 2 * (8 + 24));
    BOOST_TEST(protocol::results_bytes(chunk, functions(), 2) == 4u);

    auto header = [](protocol::Type type, std::uint32_t length) {
        protocol::Header h{protocol::kMagic, static_cast<std::uint32_t>(type), 1, length, 0, 0};
        std::vector<std::byte> bytes(sizeof h);
        std::memcpy(bytes.data(), &h, sizeof h);
        return bytes;
    };
    protocol::Frame frame;
    std::string why;
    {
        protocol::FrameReader reader;
        reader.limit_results(96);
        const auto h = header(protocol::Type::Results, 500u << 20);
        reader.feed(h.data(), h.size());
        BOOST_TEST(reader.ready());
        BOOST_TEST((reader.next(frame, why) == protocol::FrameReader::Next::Bad));
        BOOST_TEST(why ==
                   "a reply announced 524288000 bytes of results, more than the 96 bytes "
                   "the calls asked for can fill");
    }
    {
        protocol::FrameReader reader;
        reader.limit_results(96);
        const auto h = header(protocol::Type::Results, 96);
        reader.feed(h.data(), h.size());
        BOOST_TEST(!reader.ready());  // within the bound: the payload is awaited
        BOOST_TEST((reader.next(frame, why) == protocol::FrameReader::Next::NeedMore));
    }
    for (const auto type : {protocol::Type::Loaded, protocol::Type::Fatal}) {
        protocol::FrameReader reader;
        const auto h = header(type, 2u << 20);
        reader.feed(h.data(), h.size());
        BOOST_TEST(reader.ready());
        BOOST_TEST((reader.next(frame, why) == protocol::FrameReader::Next::Bad));
        BOOST_TEST(why.find("more bytes than a message of its kind can hold") != std::string::npos);
    }
}

// A case's inputs stop at the first that fails in its own right (each further crash would cost a
// worker and change nothing); calls of other groups, or of none, all run. A later run starts
// afresh: what a run gives never depends on the runs before it.
BOOST_AUTO_TEST_CASE(a_group_of_calls_stops_at_its_first_failure) {
    auto runner = runner_for(FIXTURE_SEGFAULT);
    const BatchResult r = runner->run(std::vector<Call>{
        grouped(vae_call(1, 1), 1), grouped(p_call("entropy"), 1), grouped(vae_call(2, 1), 1),
        grouped(p_call("entropy"), 1), grouped(p_call("entropy"), 2), grouped(vae_call(3, 1), 2),
        p_call("entropy"), p_call("entropy"), grouped(vae_call(4, 2), 3)});
    CHECK_VERDICT(r.calls[0], Status::Ok, "");
    CHECK_VERDICT(r.calls[1], Status::Crash, "SIGSEGV");
    BOOST_TEST(!r.calls[1].not_run);
    for (const std::size_t i : {2u, 3u, 5u}) {
        BOOST_TEST_INFO("call " << i);
        CHECK_VERDICT(r.calls[i], Status::Crash, "was not run: an earlier input of its case");
        BOOST_TEST(r.calls[i].not_run);
    }
    CHECK_VERDICT(r.calls[4], Status::Crash, "SIGSEGV");
    for (const std::size_t i : {6u, 7u}) {
        BOOST_TEST_INFO("call " << i);
        CHECK_VERDICT(r.calls[i], Status::Crash, "SIGSEGV");
        BOOST_TEST(!r.calls[i].not_run);
    }
    CHECK_VERDICT(r.calls[8], Status::Ok, "");
    BOOST_TEST(std::abs(r.calls[8].result.f - vae(4, 2)) < 1e-12);

    const BatchResult later =
        runner->run(std::vector<Call>{grouped(vae_call(1, 1), 1), grouped(vae_call(1, 1), 3)});
    CHECK_VERDICT(later.calls[0], Status::Ok, "");
    CHECK_VERDICT(later.calls[1], Status::Ok, "");
}

// A time-out stops its function, not its group: the group's other functions run on, and are
// never taken for functions that ran out of time.
BOOST_AUTO_TEST_CASE(a_time_out_does_not_stop_its_group) {
    auto runner = runner_for(FIXTURE_SPIN);
    const BatchResult r =
        runner->run(std::vector<Call>{grouped(p_call("entropy"), 1), grouped(vae_call(1, 1), 1),
                                      grouped(p_call("entropy"), 1), vae_call(2, 1)});
    CHECK_VERDICT(r.calls[0], Status::Timeout, "exceeded the 0.3 s time limit");
    CHECK_VERDICT(r.calls[1], Status::Ok, "");
    CHECK_VERDICT(r.calls[2], Status::Timeout, "was not run again");
    CHECK_VERDICT(r.calls[3], Status::Ok, "");
    BOOST_TEST(!r.calls[1].not_run);
}

// The arena's kept layouts, in this process: whichever layout a call needs, and however often
// the calls switch between them, every array ends where an inaccessible page begins and inputs
// are read-only where the submission sees them.
namespace {

// The permissions of the mapping holding `p` ("r--p", "---p", …), from /proc/self/maps.
std::string permissions_at(const void* p) {
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    std::FILE* maps = std::fopen("/proc/self/maps", "r");
    BOOST_REQUIRE(maps);
    char line[512];
    std::string found;
    while (std::fgets(line, sizeof line, maps)) {
        std::uintptr_t lo = 0, hi = 0;
        char perms[5] = {};
        if (std::sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %4s", &lo, &hi, perms) == 3 && at >= lo &&
            at < hi)
            found = perms;
    }
    std::fclose(maps);
    return found;
}

void check_guarded(const Arena& arena, const std::vector<Arena::Request>& arrays) {
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        const std::byte* end = arena.array(i) + arrays[i].bytes;
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(end) % 4096 == 0);
        BOOST_TEST(permissions_at(end).substr(0, 3) == "---");
        BOOST_TEST(permissions_at(arena.array(i)).substr(0, 3) ==
                   (arrays[i].input ? "r--" : "rw-"));
        if (arrays[i].input) BOOST_TEST(permissions_at(arena.writable(i)).substr(0, 3) == "rw-");
    }
}

void prepare_and_check(Arena& arena, const std::vector<Arena::Request>& arrays) {
    BOOST_REQUIRE(arena.prepare(arrays));
    check_guarded(arena, arrays);
}

}  // namespace

BOOST_AUTO_TEST_CASE(arena_layouts_are_kept_and_always_guarded) {
    Arena arena;
    const std::vector<Arena::Request> a = {{16, true, 0}, {24, false, 1}};
    const std::vector<Arena::Request> b = {{5000, true, 0}, {8, true, 1}, {8, false, 2}};
    const std::vector<Arena::Request> large = {{1 << 20, true, 0}, {3 << 20, false, 1}};
    prepare_and_check(arena, a);
    const std::byte* a_input = arena.array(0);
    const std::byte* a_output = arena.array(1);
    prepare_and_check(arena, b);
    prepare_and_check(arena, large);
    prepare_and_check(arena, a);
    // Kept: the same pages, whose protections were never redone.
    BOOST_TEST(arena.array(0) == a_input);
    BOOST_TEST(arena.array(1) == a_output);
    // More small layouts than are kept: each still guarded, `a` laid out again when it returns.
    for (std::size_t n = 1; n <= Arena::kKept + 2; ++n) {
        std::vector<Arena::Request> many;
        for (std::size_t k = 0; k < n; ++k) many.push_back({8 * (k + 1), k % 2 == 0, int(k)});
        prepare_and_check(arena, many);
    }
    prepare_and_check(arena, a);
    prepare_and_check(arena, b);
}

// The grader compiles the filters once; the worker writes its own process id into them and
// installs nothing it cannot read as a filter. (Every test above runs under the installed ones.)
BOOST_AUTO_TEST_CASE(compiled_filters_carry_the_workers_id_and_bad_ones_are_refused) {
    const FilterPrograms& programs = filter_programs();
    BOOST_TEST(programs.warnings.empty());
    for (const std::string* program : {&programs.load, &programs.call}) {
        BOOST_REQUIRE(!program->empty());
        BOOST_REQUIRE_EQUAL(program->size() % sizeof(sock_filter), 0u);
        std::vector<sock_filter> code(program->size() / sizeof(sock_filter));
        std::memcpy(code.data(), program->data(), program->size());
        int placeholders = 0;
        for (const sock_filter& insn : code)
            placeholders += BPF_CLASS(insn.code) == BPF_JMP && insn.k == kSelfPlaceholder;
        // kill and tgkill to itself only (libseccomp shares their identical argument test)
        BOOST_TEST(placeholders >= 1);
    }
    BOOST_TEST(&filter_programs() == &programs);  // compiled once

    SandboxReport report;
    BOOST_TEST(!install_filter("", "load", report));
    BOOST_TEST(report.warnings.empty());  // the grader's own warning says why it is missing
    BOOST_TEST(!install_filter("not a filter", "load", report));
    BOOST_REQUIRE_EQUAL(report.warnings.size(), 1u);
    BOOST_TEST(report.warnings[0].find("the load filter") != std::string::npos);
    const sock_filter allow_all = BPF_STMT(BPF_RET | BPF_K, 0x7fff0000u);
    BOOST_TEST(!install_filter(
        std::string(reinterpret_cast<const char*>(&allow_all), sizeof allow_all), "call", report));
    BOOST_REQUIRE_EQUAL(report.warnings.size(), 2u);
    BOOST_TEST(report.warnings[1].find("own process") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
