#pragma once
// The worker's handlers for fatal signals. Each one records in SharedState what it can tell
// (which guarded array was touched, which system call seccomp refused, whether memory had run
// out) and then _exit()s with status 128 + signal. Only async-signal-safe calls are made.

#include <cstdint>

#include "grader/sandbox/shared_state.hpp"

namespace grader::sandbox {

// One array of the call now running: data in [begin, end), a PROT_NONE guard page at
// [end, end + page).
struct GuardedRegion {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
    std::int32_t param = -1;
    bool input = false;
};

// `statm_fd` is /proc/self/statm, opened before the sandbox closed the file system;
// `memory_limit` is RLIMIT_AS (0 when none was applied, e.g. under sanitizers).
void install_fault_handlers(SharedState* shared, int statm_fd, std::uint64_t memory_limit);

// Re-installs the same handlers (the submission's constructors may have replaced them).
void reinstall_fault_handlers();

// Publishes the arrays of the call about to run (nullptr, 0 between calls).
void set_guarded_regions(const GuardedRegion* regions, int count);
// The published array whose pages hold `addr`, or nullptr.
const GuardedRegion* guarded_region_containing(std::uintptr_t addr);

// A misuse of the heap the guarded heap found in ordinary code (not in a signal handler).
struct HeapFault {
    Fault fault = Fault::None;
    std::uint64_t bytes = 0;  // the block's size
    FreeTarget target = FreeTarget::Unknown;
    bool via_realloc = false;
    int param = -1;         // FreeTarget::Array: the array's parameter
    int write_access = -1;  // HeapOverrun: 1 for an overwritten canary
};
// Records it as the handlers record a fault (as SIGSEGV for an overrun, SIGABRT, which glibc
// would have raised, for a bad free) and ends the worker with that signal's status.
[[noreturn]] void report_heap_fault(const HeapFault& fault);

// The signals the worker handles; seccomp refuses rt_sigaction on them once the library is loaded.
inline constexpr int kHandledSignals[] = {4 /*ILL*/,   5 /*TRAP*/,  6 /*ABRT*/,
                                          7 /*BUS*/,   8 /*FPE*/,   11 /*SEGV*/,
                                          24 /*XCPU*/, 25 /*XFSZ*/, 31 /*SYS*/};

}  // namespace grader::sandbox
