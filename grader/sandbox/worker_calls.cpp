#include "grader/sandbox/worker_calls.hpp"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>

#include "grader/abi/element.hpp"
#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/guarded_heap.hpp"
#include "grader/sandbox/worker_channel.hpp"
#include "grader/sandbox/worker_output.hpp"

namespace grader::sandbox::worker {

namespace {

// Results go back in frames of about this size: large enough that a batch of small calls is one
// write, small enough that a crash late in a long batch loses little (the grader re-runs calls
// whose results it never received).
constexpr std::size_t kFlushBytes = 1u << 20;
// A call slower than this is reported at once: its result is then never lost to a later crash
// (and re-run), and one more write costs nothing next to the call.
constexpr double kFlushAfterSeconds = 0.005;

double seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The arena could not hold the call's arrays: report it as the fault handler would report memory
// exhaustion, and stop.
[[noreturn]] void arena_exhausted(SharedState& shared) {
    if (shared.claimed.exchange(1) == 0) {
        shared.signal = 11;  // reported as the fault handler would: SIGSEGV, Memory
        shared.fault.store(static_cast<std::uint32_t>(Fault::Memory));
    }
    ::_exit(128 + 11);
}

}  // namespace

Executor::Executor(const std::vector<abi::Signature>& functions,
                   std::vector<abi::FunctionPointer> addresses, SharedState& shared, bool filtered)
    : functions_(functions),
      addresses_(std::move(addresses)),
      shared_(shared),
      integrity_(filtered) {
    callers_.reserve(functions.size());
    for (const auto& sig : functions) callers_.emplace_back(sig);
}

bool Executor::run_batch(std::uint32_t seq, std::span<const std::byte> payload) {
    if (!protocol::decode_batch(payload, functions_, calls_)) return false;
    shared_.batch.store(seq);
    results_.clear();
    pending_ = 0;
    cpu_mark_ = std::numeric_limits<double>::quiet_NaN();
    for (std::uint32_t i = 0; i < calls_.size(); ++i) {
        if (!addresses_[calls_[i].function])
            return false;  // the grader never asks for a missing one
        // The grader has all the output it will count: printing fails at once from now on.
        if (shared_.silence.load(std::memory_order_relaxed)) silence_output();
        shared_.index.store(i);
        shared_.phase.store(static_cast<std::uint32_t>(Phase::Calling));
        const double wall = run_call(calls_[i], i);
        shared_.phase.store(static_cast<std::uint32_t>(Phase::Idle));
        ++pending_;
        if ((results_.size() >= kFlushBytes || wall > kFlushAfterSeconds) && !flush(seq))
            return false;
    }
    return flush(seq);
}

bool Executor::flush(std::uint32_t seq) {
    if (pending_ == 0) return true;
    std::fflush(nullptr);  // the calls' output reaches the grader before their results
    protocol::Encoder message;
    message.u32(pending_);
    message.put(results_.bytes().data(), results_.size());
    results_.clear();
    pending_ = 0;
    cpu_mark_ = std::numeric_limits<double>::quiet_NaN();
    return write_reply(protocol::Type::Results, seq, message.bytes());
}

double Executor::run_call(const protocol::WireCall& call, std::uint32_t index) {
    const abi::Signature& sig = functions_[call.function];
    arrays_.clear();
    for (std::size_t i = 0; i < sig.params.size(); ++i)
        if (sig.params[i].pointer)
            arrays_.push_back({static_cast<std::size_t>(call.args[i].length) *
                                   abi::element_size(sig.params[i].type),
                               sig.params[i].is_input_array(), static_cast<int>(i)});
    if (!arena_.prepare(arrays_)) arena_exhausted(shared_);

    // Fresh inputs and poisoned outputs every call (NaN, or an integer type's sentinel): nothing of
    // the previous call survives, and a stub that leaves an output alone cannot pass a case whose
    // answer is 0. Arrays travel as doubles and are converted to the parameter's type here.
    words_.assign(sig.params.size(), abi::Word{});
    std::size_t k = 0;
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const protocol::WireArg& arg = call.args[i];
        if (!sig.params[i].pointer) {
            words_[i] = arg.scalar;
            continue;
        }
        std::byte* at = arena_.writable(k);
        if (sig.params[i].is_input_array())
            abi::store(sig.params[i].type, arg.data, arg.length, at);
        else
            abi::poison(sig.params[i].type, at, arg.length);
        words_[i].ptr = arena_.array(k++);
    }
    set_guarded_regions(arena_.regions(), arena_.region_count());
    // From here until end_call, what the call allocates is guarded; this frame's address bounds
    // the call's stack from above.
    heap::begin_call(__builtin_frame_address(0));

    const double cpu0 = std::isnan(cpu_mark_) ? seconds(CLOCK_PROCESS_CPUTIME_ID) : cpu_mark_;
    backstop_.before_call(cpu0, call.cpu_seconds);
    const double wall0 = seconds(CLOCK_MONOTONIC);
    errno = 0;  // the fault handler reads ENOMEM as "an allocation failed"
    const abi::Word result = callers_[call.function].call(addresses_[call.function], words_);
    const double wall1 = seconds(CLOCK_MONOTONIC);
    const double cpu1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    cpu_mark_ = cpu1;
    // Before the arrays are withdrawn: an overwritten canary is still this call's overflow.
    heap::end_call();

    set_guarded_regions(nullptr, 0);
    // Still the call's: shared_.index names it if the worker must end here.
    if (const auto t = integrity_.check(backstop_.soft())) report_tampering(shared_, *t);

    results_.u32(index);
    results_.f64(cpu1 - cpu0);
    results_.f64(wall1 - wall0);
    results_.u64(result.u);
    k = 0;
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        if (!sig.params[i].pointer) continue;
        const std::byte* at = arena_.array(k++);
        if (sig.params[i].is_output()) {
            results_.u64(call.args[i].length);
            abi::load(sig.params[i].type, at, call.args[i].length,
                      results_.extend(call.args[i].length * sizeof(double)));
        }
    }
    return wall1 - wall0;
}

}  // namespace grader::sandbox::worker
