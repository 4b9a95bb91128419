#pragma once
// The boundary between grading and the untrusted submission. Grading hands a Runner batches of
// calls and gets back raw outputs and how each call ended; it never sees how they were made.
// The real Runner (process_runner.hpp) runs them in a sandboxed worker process; tests may use
// an in-process fake.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "grader/abi/ffi_call.hpp"
#include "grader/abi/signature.hpp"

namespace grader::sandbox {

// Limits for the worker. Per-call values can be overridden per Call.
struct Limits {
    double call_seconds = 2.0;                   // wall time per call, enforced from outside
    double cpu_seconds = 2.0;                    // CPU time per call
    std::uint64_t memory_bytes = 1024ull << 20;  // address space of the worker
    int open_files = 32;                         // RLIMIT_NOFILE
    std::size_t output_cap = 64 * 1024;          // bytes of student output kept per batch
    bool require_sandbox = false;                // a missing layer is an error, not a warning
    // Bytes of student output counted over a runner's life (all its workers, loading included).
    // Past it the rest is discarded unread and the worker makes printing fail at once: a print
    // left in a loop costs the time of this many bytes, not of all it prints. At least what a
    // report keeps (grading/grade.cpp), so the kept text never loses a byte to it.
    std::size_t output_budget = 64 * 1024;
};

// One argument of a call, in parameter order.
struct Arg {
    enum class Kind : std::uint8_t { Scalar, Input, Output };
    Kind kind = Kind::Scalar;
    abi::Word scalar{};  // Scalar: value typed as the parameter's Scalar type
    // Input: the array's contents (a fresh copy per call), as doubles whatever the element type:
    // the worker converts them to the parameter's type.
    std::vector<double> values;
    std::size_t length = 0;  // Output: number of elements the caller allocates
};

struct Call {
    std::size_t function = 0;  // index into the functions given to the Runner
    std::vector<Arg> args;
    double time_limit_seconds = 0;   // 0: use Limits::call_seconds
    std::uint64_t memory_bytes = 0;  // 0: use Limits::memory_bytes (a change restarts the worker)
    // Calls of one group (a case's inputs; 0: none) in one run stop at the first that fails in
    // its own right: a case that crashed is lost already, and each further crash would cost a
    // worker. A group's calls are contiguous in a run.
    std::uint32_t group = 0;
};

enum class Status : std::uint8_t {
    Ok,         // the call returned; outputs are valid
    Missing,    // the function is not exported by the submission
    Crash,      // a signal killed it (detail: signal name, and "wrote into const input 'p'" etc.)
    Timeout,    // wall or CPU limit
    Memory,     // it ran out of address space
    Overflow,   // wrote past the end of an output (detail: the parameter's name) or of a block it
                // allocated (detail: the block's size)
    Forbidden,  // the sandbox refused a system call (detail: the call's name)
    Error,      // no result could be had: broken channel, exit mid-call, garbled reply
};

struct CallResult {
    Status status = Status::Error;
    std::string detail;  // a short phrase for the report
    abi::Word result{};  // the return value (Ok only)
    // Per parameter: contents of Output args (as doubles; an int32_t or int64_t element never
    // written is NaN), else empty.
    std::vector<std::vector<double>> outputs;
    double cpu_seconds = 0;
    double wall_seconds = 0;
    // Not run, because an earlier call of its group failed (status and detail say how).
    bool not_run = false;
};

struct BatchResult {
    std::vector<CallResult> calls;  // exactly one per call sent, in order
    std::string printed;            // what the student code wrote to stdout/stderr (capped)
    std::size_t printed_bytes = 0;  // total, including what the cap dropped
    // The runner's output budget ran out during this run or before it: printed_bytes counts only
    // what came before, and what the submission printed after was discarded unread.
    bool printed_discarded = false;
};

// What happened when the submission was loaded.
struct LoadResult {
    std::optional<std::string> error;  // set when the library cannot be loaded at all
    std::vector<bool> present;         // per function: exported?
    std::vector<std::string> hints;    // per function: e.g. the extern "C" hint, else ""
    std::string printed;               // output of its constructors
    std::size_t printed_bytes = 0;
    bool printed_discarded = false;     // as BatchResult's
    std::vector<std::string> layers;    // isolation layers active, e.g. "process", "seccomp"
    std::vector<std::string> warnings;  // layers that could not be applied, and why
};

class Runner {
  public:
    virtual ~Runner() = default;
    // Loads the submission (once); later calls return the same result.
    virtual const LoadResult& load() = 0;
    // Runs the calls in order. Never throws for anything the submission does.
    virtual BatchResult run(std::span<const Call> calls) = 0;
};

}  // namespace grader::sandbox
