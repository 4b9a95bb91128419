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
// caught. A freed block stays reserved as PROT_NONE (its first page) while it is among the last
// kQuarantine freed, so touching it, or freeing it again, is caught too.
//
// Why not an existing tool (both tried on a loop that leaks a malloc'ed array after writing one
// element past it, then mallocs an innocent block): glibc's libc_malloc_debug.so with
// MALLOC_CHECK_=3 checks a block only when it is freed, so the leaked overrun went unnoticed for
// all 1000 rounds; electric-fence (LD_PRELOAD libefence) faults at once, but guards the whole
// process, returns blocks that are not 16-byte aligned (for 32 of 63 sizes), exits the process once
// the kernel's mapping count is reached instead of returning NULL, and would need LD_PRELOAD in the
// worker's environment, which is kept empty.
//
// Caps (beyond them allocation falls back to the C library, unguarded):
//   kCallBlocks blocks and kCallBytes bytes allocated per call; kMaxLive guarded blocks alive in
//   the worker at once (a leak of one block per call reaches it after kMaxLive calls).

#include <cstddef>
#include <cstdint>

namespace grader::sandbox::heap {

inline constexpr std::size_t kCallBlocks = 1024;
inline constexpr std::uint64_t kCallBytes = std::uint64_t{256} << 20;
inline constexpr std::size_t kMaxLive = 2048;
inline constexpr std::size_t kQuarantine = 512;

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

// For the fault handler (async-signal-safe): the guarded block whose guard page, or whose freed
// reservation, holds `addr`. Returns false if none.
struct Hit {
    std::uint64_t size = 0;
    bool freed = false;
};
bool classify(std::uintptr_t addr, Hit& hit);
// True while this thread is inside the C library's free() or realloc() on the submission's behalf
// during a call: an abort there means the pointer was not one malloc returned.
bool in_foreign_free();

}  // namespace grader::sandbox::heap
