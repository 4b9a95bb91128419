#pragma once
// Runs the calls of a batch inside the worker, each on fresh copies of its inputs in the guarded
// arena, and streams their results back.

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "grader/abi/ffi_call.hpp"
#include "grader/sandbox/arena.hpp"
#include "grader/sandbox/limits.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/shared_state.hpp"
#include "grader/sandbox/worker_integrity.hpp"

namespace grader::sandbox::worker {

class Executor {
  public:
    // `filtered`: the call filter is in force (see Integrity).
    Executor(const std::vector<abi::Signature>& functions,
             std::vector<abi::FunctionPointer> addresses, SharedState& shared, bool filtered);

    // Runs one Batch request; false if the request was malformed or the grader is gone.
    bool run_batch(std::uint32_t seq, std::span<const std::byte> payload);

  private:
    // Returns the call's wall time.
    double run_call(const protocol::WireCall& call, std::uint32_t index);
    bool flush(std::uint32_t seq);

    const std::vector<abi::Signature>& functions_;
    std::vector<abi::FunctionPointer> addresses_;
    std::vector<abi::Caller> callers_;
    SharedState& shared_;
    Arena arena_;
    CpuBackstop backstop_;
    Integrity integrity_;  // what the worker was like before the first call
    // Reused from call to call so the hot path does not allocate.
    std::vector<protocol::WireCall> calls_;
    std::vector<Arena::Request> arrays_;
    std::vector<abi::Word> words_;
    protocol::Encoder results_;
    std::uint32_t pending_ = 0;
    // The process CPU clock as the last call ended, which the next call starts from: reading it
    // is a system call (through both filters, about 0.5 µs), and calls follow each other with a
    // few µs of the worker's own work between them. Unset (NaN) at the start of a batch and after
    // a flush, whose write is not the next call's.
    double cpu_mark_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace grader::sandbox::worker
