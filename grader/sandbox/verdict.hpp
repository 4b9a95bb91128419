#pragma once
// How a worker's death becomes a verdict: its wait status plus what its fault handler recorded
// in SharedState (an untrusted hint, checked against the call before it is believed).

#include <cstdint>
#include <optional>
#include <string>

#include "grader/abi/signature.hpp"
#include "grader/sandbox/runner.hpp"
#include "grader/sandbox/shared_state.hpp"

namespace grader::sandbox {

// A plain copy of SharedState's fields, taken once the worker is gone.
struct FaultRecord {
    Fault fault = Fault::None;
    int signal = 0;
    int param = -1;
    int syscall = -1;
    std::uint32_t arch = 0;
    int write_access = -1;
    std::uint64_t vm_bytes = 0;
    std::uint64_t block_bytes = 0;
    FreeTarget free_target = FreeTarget::Unknown;
    bool via_realloc = false;
};
FaultRecord read_record(const SharedState& shared);

struct Death {
    int wait_status = 0;
    bool killed_by_grader = false;  // the grader's deadline SIGKILL
    FaultRecord record;
    std::optional<std::string> fatal_message;  // a Fatal frame the worker sent before it ended
};

// The verdict of the call that was running when the worker died.
CallResult call_verdict(const Death& death, const abi::Signature& sig, const Call& call,
                        double wall_limit, double cpu_limit, const Limits& limits);

// What ended a worker that was running no call: "SIGALRM (alarm clock)", "it exited with
// status 3".
std::string idle_death(const Death& death);

// LoadResult.error for a worker that died (or was killed) while loading the library.
std::string load_failure(const Death& death, double load_seconds, const Limits& limits);

// "SIGSEGV (segmentation fault)".
std::string describe_signal(int sig);
// "2 s", "0.3 s".
std::string seconds_text(double seconds);
// "1024 MiB".
std::string memory_text(std::uint64_t bytes);

}  // namespace grader::sandbox
