#pragma once
// What the worker checks about itself after every call: the things a call could change that would
// make a later, innocent call fail or be misreported. The seccomp filter already refuses most
// ways to change them; this catches the rest (and everything when seccomp is unavailable), and
// names the call that did it instead of the call that would have paid for it.

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/shared_state.hpp"

namespace grader::sandbox::worker {

struct Tampering {
    Tamper what = Tamper::RequestChannel;
    std::int32_t which = 0;  // the signal or the resource, where it matters
};

class Integrity {
  public:
    // Records the state as it is now: call once the library is loaded and the handlers are back.
    // `filtered`: the call filter is in force, so the channel's descriptors, the fault handlers
    // and every limit but the CPU time's cannot change (seccomp_filter.cpp refuses the calls that
    // would): only what the filter allows is checked, three system calls instead of twenty.
    explicit Integrity(bool filtered);
    // `cpu_soft` is the CPU soft limit the worker last set (0: none yet).
    std::optional<Tampering> check(std::uint64_t cpu_soft) const;

  private:
    struct Descriptor {
        dev_t dev = 0;
        ino_t ino = 0;
    };
    static constexpr int kResources[] = {RLIMIT_AS,    RLIMIT_CPU,  RLIMIT_NOFILE,
                                         RLIMIT_FSIZE, RLIMIT_CORE, RLIMIT_NPROC};
    static constexpr std::size_t kSignals = std::size(kHandledSignals);

    bool filtered_;
    Descriptor request_, reply_;
    struct sigaction handlers_[kSignals] {};
    stack_t alt_stack_{};
    rlimit limits_[std::size(kResources)]{};
};

// Records the tampering in the shared state for the grader and ends the worker at once.
[[noreturn]] void report_tampering(SharedState& shared, const Tampering& t);

}  // namespace grader::sandbox::worker
