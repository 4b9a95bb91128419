#pragma once
// The block of shared memory (a memfd mapped by grader and worker) where the worker records
// which call it is running and, from its signal handlers, how it died. The grader reads it only
// after the worker is gone or while watching a deadline, and treats every field as an untrusted
// hint: student code can scribble over it too.

#include <atomic>
#include <cstdint>

namespace grader::sandbox {

enum class Phase : std::uint32_t { Starting = 0, Loading = 1, Idle = 2, Calling = 3 };

enum class Fault : std::uint32_t {
    None = 0,
    Signal,         // a fatal signal with nothing more specific to say (signal)
    OutputOverrun,  // touched the guard page after output `param`
    InputWrite,     // wrote into the read-only input `param`
    InputOverrun,   // touched the guard page after input `param`
    Memory,         // a crash while the address space was near its limit or malloc had failed
    Syscall,        // seccomp refused system call `syscall` (for `arch`)
    CpuLimit,       // RLIMIT_CPU's SIGXCPU
    FileSize,       // RLIMIT_FSIZE's SIGXFSZ: a write to a file
    Tampered,       // the call changed what the worker relies on (Tamper `param`, detail `syscall`)
    HeapOverrun,    // touched the guard page after a block of `block_bytes` it malloc'ed, or
                    // overwrote the block's slack (grader/sandbox/guarded_heap.hpp)
    DoubleFree,     // freed (or realloc'ed, `via_realloc`) a block of `block_bytes` twice
    BadFree,        // freed a pointer malloc did not return: see `free_target`
    HeapUnderrun,   // overwrote the bytes just before a block of `block_bytes` it malloc'ed
};

// What a call changed, found by the worker's check after it (worker_integrity.hpp).
enum class Tamper : std::int32_t {
    RequestChannel = 0,  // descriptor 3 closed or replaced
    ReplyChannel,        // descriptor 4 closed or replaced
    Handler,             // the handler of a signal the worker reports faults with
    Mask,                // such a signal left blocked
    AltStack,            // the signal stack the handlers run on
    Limit,               // a resource limit (the resource)
};

// What a BadFree's pointer pointed into.
enum class FreeTarget : std::uint32_t {
    Unknown = 0,  // the C library's free() aborted on it: not malloc's, or freed twice
    Stack,        // the call's own stack
    Array,        // the input or output array `param`
    Block,        // the middle of a guarded block of `block_bytes`
};

struct SharedState {
    std::atomic<std::uint32_t> phase;
    std::atomic<std::uint32_t> batch;    // sequence number of the batch being run
    std::atomic<std::uint32_t> index;    // index in that batch of the call now running
    std::atomic<std::uint32_t> fault;    // Fault; written last by the signal handler
    std::atomic<std::uint32_t> claimed;  // the first faulting thread wins the record
    std::int32_t signal;
    std::int32_t param;
    std::int32_t syscall;
    std::uint32_t arch;
    std::int32_t write_access;  // 1 write, 0 read, -1 unknown
    std::uint64_t address;
    std::uint64_t vm_bytes;     // address-space size when it died, 0 if unknown
    std::uint64_t block_bytes;  // the heap faults' block size
    std::uint32_t free_target;  // FreeTarget
    std::uint32_t via_realloc;  // DoubleFree, BadFree: 1 if realloc was passed the pointer
    // In a PID namespace the process the grader started is the namespace's init, and the worker
    // is its child: init writes here how the worker ended, then exits with kRelayedExit.
    std::atomic<std::uint32_t> relayed;
    std::int32_t relayed_status;  // the worker's wait status
    // Written by the grader, read by the worker: 1 once the runner has counted all the output it
    // will (Limits::output_budget). The worker then makes printing through stdio and iostreams
    // fail at once (worker_output.hpp): before each call, at its start if it is 1 already, and
    // from the SIGURG the grader sends when it sets it mid-call. Student code may clear it; that
    // costs only time, since the grader discards the rest of the output unread anyway.
    std::atomic<std::uint32_t> silence;
};

static_assert(std::atomic<std::uint32_t>::is_always_lock_free, "shared counters must be lock-free");

inline constexpr std::size_t kSharedSize = 4096;
static_assert(sizeof(SharedState) <= kSharedSize);

}  // namespace grader::sandbox
