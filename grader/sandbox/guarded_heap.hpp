#pragma once
// The guarded heap: while a call runs, every block the submission gets from malloc, calloc,
// realloc or the aligned allocators is a mapping of its own that ends where a PROT_NONE guard page
// begins. A write past the end of such a block faults in the call that makes it, and the fault
// handler names the block's size; a block freed twice, or a pointer freed that malloc never
// returned, ends the call with its own record. Outside calls (the grader, the worker's own code,
// the library's constructors) allocation goes straight to the C library.
//
// The allocator symbols themselves (malloc, free, …) are defined in grader/malloc_interpose.cpp,
// linked into the grader executable only: the worker is that executable, and the symbols it
// exports come first in the lookup scope of every library, the submission's and the C library's
// own. Programs that link grader_core without that file (the test executables) never guard.
//
// Layout of a guarded block of n bytes with alignment a (16 for malloc):
//   [data pages ............ | slack][guard page]
//                     user ^   n    ^ a multiple of a
// The block's end is rounded up to a multiple of a, so up to a - 1 bytes of slack may lie between
// its last byte and the guard page. The slack is filled with a canary checked when the block is
// freed or reallocated and when the call that allocated it returns: a write into it is still
// blamed on the call (as an overflow), though only once the call returns; a read of it is not
// caught, nor is a write before the block's start or more than a page past its end.
//
// A freed block of up to kCacheClasses data pages is kept, still mapped, for reuse by a later
// block of as many pages: the oldest of its size once kReuseAfter more have been freed, so that a
// block freed twice is recognised unless it was handed out again in between. Reuse makes the cost
// of a malloc/free pair in steady state a table update and no system call; a fresh block is an
// mmap and an mprotect. (Hence no use-after-free detection: a first version that mapped every
// block afresh and kept freed ones PROT_NONE made C++ submissions, whose containers allocate all
// the time, grade 2 to 3 times slower.)
//
// Why not an existing tool (both tried on a loop that leaks a malloc'ed array after writing one
// element past it, then mallocs an innocent block): glibc's libc_malloc_debug.so with
// MALLOC_CHECK_=3 checks a block only when it is freed, so the leaked overrun went unnoticed for
// all 1000 rounds; electric-fence (LD_PRELOAD libefence) faults at once, but guards the whole
// process, returns blocks that are not 16-byte aligned (for 32 of 63 sizes), exits the process
// once the kernel's mapping count is reached instead of returning NULL, and would need LD_PRELOAD
// in the worker's environment, which is kept empty.
//
// Caps (beyond them allocation falls back to the C library, unguarded):
//   kCallBlocks guarded blocks allocated by one call and still alive; kMaxLive guarded blocks
//   alive in the worker at once (a function leaking a block per call is guarded for its first
//   kMaxLive calls in a worker); blocks of more than kMaxBlockBytes; and kCacheBytes of freed
//   blocks kept for reuse (beyond it a freed block is unmapped at once).

#include <cstddef>
#include <cstdint>

namespace grader::sandbox::heap {

inline constexpr std::size_t kCallBlocks = 1024;
inline constexpr std::size_t kMaxLive = 2048;
inline constexpr std::size_t kMaxBlockBytes = std::size_t{256} << 20;
inline constexpr std::size_t kCacheClasses = 16;  // data pages
inline constexpr std::size_t kCacheSlots = 64;    // freed blocks kept per class
inline constexpr std::size_t kCacheBytes = std::size_t{8} << 20;
inline constexpr std::size_t kReuseAfter = 4;

// Around the submission's call, on the thread that makes it. `stack_top` is an address in the
// caller's frame: a pointer between a free()'s own frame and it lies in the call's stack.
void begin_call(const void* stack_top);
// Checks the canaries of the blocks the call allocated (ending the worker with an Overflow record
// if one was overwritten), then stops guarding.
void end_call();

// The allocator entry points malloc_interpose.cpp forwards to.
void* allocate(std::size_t size, std::size_t alignment, bool zeroed);
void release(void* p);
void* reallocate(void* p, std::size_t size);
std::size_t usable_size(void* p);

// For the fault handler (async-signal-safe): the size of the guarded block whose guard page holds
// `addr`, or false if none.
bool classify(std::uintptr_t addr, std::uint64_t& size);
// True while this thread is inside the C library's free() or realloc() on the submission's behalf
// during a call: an abort there means the pointer was not one malloc returned.
bool in_foreign_free();

}  // namespace grader::sandbox::heap
