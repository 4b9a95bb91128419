#include "grader/sandbox/guarded_heap.hpp"

#include <dlfcn.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "grader/sandbox/fault_handler.hpp"

// The C library's allocator, which every allocation outside a call (and past the caps) goes to.
// (The sanitized build does not link malloc_interpose.cpp, so nothing there calls this file's
// allocator: AddressSanitizer's owns malloc.)
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
}

#define GRADER_SIGNAL_SAFE __attribute__((no_sanitize("address", "undefined")))

namespace grader::sandbox::heap {

namespace {

void* real_malloc(std::size_t n) {
    return __libc_malloc(n);
}
void* real_calloc(std::size_t n, std::size_t m) {
    return __libc_calloc(n, m);
}
void* real_realloc(void* p, std::size_t n) {
    return __libc_realloc(p, n);
}
// glibc exports no __libc_free; its realloc frees the block and returns NULL for size 0 (a
// documented glibc behaviour), which reaches the same code.
void real_free(void* p) {
    __libc_realloc(p, 0);
}
void* real_memalign(std::size_t a, std::size_t n) {
    return __libc_memalign(a, n);
}
std::size_t real_usable_size(void* p) {
    // Looked up on first use only: malloc_usable_size is rare, and dlsym must not run inside
    // malloc. RTLD_NEXT from the executable is the C library's definition.
    using Fn = std::size_t (*)(void*);
    static std::atomic<Fn> fn{nullptr};
    Fn f = fn.load(std::memory_order_acquire);
    if (!f) {
        f = reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, "malloc_usable_size"));
        if (!f) return 0;
        fn.store(f, std::memory_order_release);
    }
    return f(p);
}

constexpr std::size_t kSlots = 8192;  // a power of two, at least twice the entries it may hold
static_assert((kSlots & (kSlots - 1)) == 0 &&
              kSlots >= 2 * (kMaxLive + kCacheClasses * kCacheSlots));
constexpr std::size_t kMallocAlignment = 16;  // alignof(max_align_t) on the 64-bit ABIs
constexpr unsigned char kCanary = 0xa5;
// Canary bytes just before a block, for the commonest underrun (p[-1], a loop from i = n down to
// 0 inclusive): further before, or on a block that starts its page, a write is not caught.
constexpr std::size_t kFrontCanary = 16;

enum class State : std::uint32_t { Empty = 0, Live, Freed };

// A guarded block: live, or freed and kept for reuse (still mapped, read-write).
struct Block {
    std::uintptr_t user = 0;
    std::uintptr_t map = 0;
    std::size_t map_len = 0;  // data pages and the guard page
    std::size_t size = 0;
    std::size_t rounded = 0;  // size rounded up to the alignment: user + rounded is the guard page
    State state = State::Empty;
};

// A lock for the table; the fault handler reads the table without it (a hint).
class SpinLock {
  public:
    void lock() {
        for (int spins = 0; flag_.test_and_set(std::memory_order_acquire); ++spins)
            if (spins > 64) ::sched_yield();
    }
    void unlock() { flag_.clear(std::memory_order_release); }

  private:
    std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

class Locked {
  public:
    explicit Locked(SpinLock& l) : l_(l) { l_.lock(); }
    ~Locked() { l_.unlock(); }
    Locked(const Locked&) = delete;
    Locked& operator=(const Locked&) = delete;

  private:
    SpinLock& l_;
};

// Freed blocks of one size class (data pages), oldest first.
struct Cache {
    std::uintptr_t users[kCacheSlots];
    std::size_t head = 0, count = 0;
};

// Everything here is constant-initialised: malloc may run before any constructor.
Block g_table[kSlots];
SpinLock g_lock;
// Live + freed blocks: at 0, free() need not look. Changed only under g_lock, so a load and a
// store suffice (no locked instruction on every allocation).
std::atomic<std::size_t> g_entries{0};
std::atomic<bool> g_guarding{false};
std::size_t g_live = 0;
std::uintptr_t g_lo = ~std::uintptr_t{0}, g_hi = 0;  // every guarded mapping lies in [lo, hi)
Cache g_cache[kCacheClasses + 1];                    // by data pages, 1..kCacheClasses
std::size_t g_cached_bytes = 0;
std::uintptr_t g_call_blocks[kCallBlocks];  // blocks the running call allocated (some since freed)
std::size_t g_call_count = 0;
std::size_t g_page = 4096;
std::uintptr_t g_stack_top = 0;
thread_local bool t_runs_call = false;
thread_local int t_in_foreign_free = 0;

std::size_t home(std::uintptr_t user) {
    return static_cast<std::size_t>(((user >> 4) * 0x9e3779b97f4a7c15ull) >> 51) & (kSlots - 1);
}

long find(std::uintptr_t user) {
    for (std::size_t i = home(user);; i = (i + 1) & (kSlots - 1)) {
        if (g_table[i].state == State::Empty) return -1;
        if (g_table[i].user == user) return static_cast<long>(i);
    }
}

void insert(const Block& b) {
    std::size_t i = home(b.user);
    while (g_table[i].state != State::Empty) i = (i + 1) & (kSlots - 1);
    g_table[i] = b;
    g_entries.store(g_entries.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

// Linear probing's deletion: entries after the hole move up if their home allows it, so that
// lookups never need tombstones.
void erase(std::size_t hole) {
    for (std::size_t j = (hole + 1) & (kSlots - 1); g_table[j].state != State::Empty;
         j = (j + 1) & (kSlots - 1)) {
        const std::size_t h = home(g_table[j].user);
        const bool stays = hole < j ? (h > hole && h <= j) : (h > hole || h <= j);
        if (stays) continue;
        g_table[hole] = g_table[j];
        hole = j;
    }
    g_table[hole] = Block{};
    g_entries.store(g_entries.load(std::memory_order_relaxed) - 1, std::memory_order_release);
}

std::size_t data_pages(const Block& b) {
    return b.map_len / g_page - 1;
}

// The canary bytes before a block: there when the block does not start its first page.
std::size_t front_bytes(const Block& b) {
    return b.user - b.map >= kFrontCanary ? kFrontCanary : 0;
}

[[noreturn]] void overran(const Block& b, Fault fault = Fault::HeapOverrun) {
    HeapFault f;
    f.fault = fault;
    f.bytes = b.size;
    f.write_access = 1;
    report_heap_fault(f);
}

// True when the n bytes at p all hold the canary. A byte at a time on purpose: the C library's
// memcmp reads in wide masked loads, and beside a guard page those cost a microcode assist.
bool intact(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] != kCanary) return false;
    return true;
}

// Checks both canaries of a live block; a damaged one ends the worker, blaming the call.
void check_canaries(const Block& b) {
    const auto* p = reinterpret_cast<const unsigned char*>(b.user);
    if (!intact(p + b.size, b.rounded - b.size)) overran(b);
    if (!intact(p - front_bytes(b), front_bytes(b))) overran(b, Fault::HeapUnderrun);
}

[[noreturn]] void freed_twice(const Block& b, bool via_realloc) {
    HeapFault f;
    f.fault = Fault::DoubleFree;
    f.bytes = b.size;
    f.via_realloc = via_realloc;
    report_heap_fault(f);
}

[[noreturn]] void bad_free(FreeTarget target, bool via_realloc, int param, std::uint64_t bytes) {
    HeapFault f;
    f.fault = Fault::BadFree;
    f.target = target;
    f.via_realloc = via_realloc;
    f.param = param;
    f.bytes = bytes;
    report_heap_fault(f);
}

// Unmaps the block in slot i and forgets it (held lock).
void discard(std::size_t i) {
    ::munmap(reinterpret_cast<void*>(g_table[i].map), g_table[i].map_len);
    erase(i);
}

// Room in the running call's list of blocks (held lock): blocks since freed leave it first.
bool call_list_has_room() {
    if (g_call_count < kCallBlocks) return true;
    std::size_t kept = 0;
    for (std::size_t k = 0; k < g_call_count; ++k) {
        const long i = find(g_call_blocks[k]);
        if (i >= 0 && g_table[static_cast<std::size_t>(i)].state == State::Live)
            g_call_blocks[kept++] = g_call_blocks[k];
    }
    g_call_count = kept;
    return kept < kCallBlocks;
}

// The slot of a freed block of `pages` data pages to hand out again (still in the table, no
// longer counted as cached), or -1.
long reuse(std::size_t pages) {
    if (pages > kCacheClasses) return -1;
    Cache& c = g_cache[pages];
    if (c.count <= kReuseAfter) return -1;
    const std::uintptr_t user = c.users[c.head];
    c.head = (c.head + 1) % kCacheSlots;
    --c.count;
    const long i = find(user);
    if (i >= 0) g_cached_bytes -= g_table[static_cast<std::size_t>(i)].map_len;
    return i;
}

// A guarded block, or nullptr when the caps are reached or memory cannot be mapped (the caller
// then falls back to the C library).
void* guarded(std::size_t size, std::size_t alignment, bool zeroed) {
    if (size > kMaxBlockBytes) return nullptr;
    const std::size_t rounded = (size + alignment - 1) & ~(alignment - 1);
    const std::size_t data = rounded == 0 ? g_page : (rounded + g_page - 1) & ~(g_page - 1);
    Locked hold(g_lock);
    if (g_live >= kMaxLive || !call_list_has_room()) return nullptr;
    Block b;
    const long slot = reuse(data / g_page);
    const bool reused = slot >= 0;
    if (reused) b = g_table[static_cast<std::size_t>(slot)];
    if (!reused) {
        const int saved_errno = errno;  // a failed mmap must not look like malloc failing (Memory)
        const std::size_t total = data + g_page;
        void* map =
            ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED) {
            errno = saved_errno;
            return nullptr;
        }
        b.map = reinterpret_cast<std::uintptr_t>(map);
        b.map_len = total;
        if (::mprotect(reinterpret_cast<void*>(b.map + data), g_page, PROT_NONE) != 0) {
            ::munmap(map, total);
            errno = saved_errno;
            return nullptr;
        }
        if (b.map < g_lo) g_lo = b.map;
        if (b.map + total > g_hi) g_hi = b.map + total;
    }
    const std::uintptr_t was = b.user;
    b.size = size;
    b.rounded = rounded;
    b.user = b.map + data - rounded;
    b.state = State::Live;
    // Fresh anonymous memory is zero already.
    if (reused && zeroed) std::memset(reinterpret_cast<void*>(b.user), 0, size);
    std::memset(reinterpret_cast<void*>(b.user + size), kCanary, rounded - size);
    std::memset(reinterpret_cast<void*>(b.user - front_bytes(b)), kCanary, front_bytes(b));
    // A block handed out again at the same address (the commonest case: a container of the same
    // size) keeps its slot; at another address it moves to that address's.
    if (reused && b.user == was) {
        g_table[static_cast<std::size_t>(slot)] = b;
    } else {
        if (reused) erase(static_cast<std::size_t>(slot));
        insert(b);
    }
    ++g_live;
    g_call_blocks[g_call_count++] = b.user;
    return reinterpret_cast<void*>(b.user);
}

// Frees the live block in slot i (held lock): kept for reuse, or unmapped when it is too large or
// the cache is full.
void retire(std::size_t i) {
    --g_live;
    const std::uintptr_t user = g_table[i].user;
    const std::size_t map_len = g_table[i].map_len;
    const std::size_t pages = data_pages(g_table[i]);
    if (pages > kCacheClasses) {
        discard(i);
        return;
    }
    Cache& c = g_cache[pages];
    // Make room: the oldest of this size goes first, then this block itself.
    bool moved = false;
    while (c.count > 0 && (c.count == kCacheSlots || g_cached_bytes + map_len > kCacheBytes)) {
        const std::uintptr_t oldest = c.users[c.head];
        c.head = (c.head + 1) % kCacheSlots;
        --c.count;
        if (const long o = find(oldest); o >= 0) {
            g_cached_bytes -= g_table[static_cast<std::size_t>(o)].map_len;
            discard(static_cast<std::size_t>(o));
            moved = true;
        }
    }
    const long at = moved ? find(user) : static_cast<long>(i);  // discard() may have moved it
    if (at < 0) return;
    if (g_cached_bytes + map_len > kCacheBytes) {
        discard(static_cast<std::size_t>(at));
        return;
    }
    g_table[static_cast<std::size_t>(at)].state = State::Freed;
    g_cached_bytes += map_len;
    c.users[(c.head + c.count) % kCacheSlots] = user;
    ++c.count;
}

// A pointer that is not a guarded block's, freed during a call: some are surely not malloc's.
// The rest go to the C library, whose own abort (in_foreign_free) names what it catches.
__attribute__((noinline)) void check_foreign(std::uintptr_t p, bool via_realloc) {
    const char here = 0;
    if (t_runs_call && p >= reinterpret_cast<std::uintptr_t>(&here) && p < g_stack_top)
        bad_free(FreeTarget::Stack, via_realloc, -1, 0);
    if (const GuardedRegion* r = guarded_region_containing(p))
        bad_free(FreeTarget::Array, via_realloc, r->param, 0);
    if (g_entries.load(std::memory_order_acquire) == 0) return;
    Locked hold(g_lock);
    if (p < g_lo || p >= g_hi) return;
    for (const Block& b : g_table)
        if (b.state != State::Empty && p >= b.map && p < b.map + b.map_len)
            bad_free(FreeTarget::Block, via_realloc, -1, b.size);
}

}  // namespace

void begin_call(const void* stack_top) {
    {
        Locked hold(g_lock);
        g_call_count = 0;
        g_page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    }
    g_stack_top = reinterpret_cast<std::uintptr_t>(stack_top);
    t_runs_call = true;
    g_guarding.store(true, std::memory_order_release);
}

void end_call() {
    {
        Locked hold(g_lock);
        for (std::size_t k = 0; k < g_call_count; ++k) {
            const long i = find(g_call_blocks[k]);
            if (i < 0) continue;
            const Block& b = g_table[static_cast<std::size_t>(i)];
            if (b.state == State::Live) check_canaries(b);
        }
        g_call_count = 0;
    }
    g_guarding.store(false, std::memory_order_release);
    t_runs_call = false;
}

void* allocate(std::size_t size, std::size_t alignment, bool zeroed) {
    if (g_guarding.load(std::memory_order_relaxed)) {
        const std::size_t a = alignment < kMallocAlignment ? kMallocAlignment : alignment;
        if (a <= g_page)
            if (void* p = guarded(size, a, zeroed)) return p;
    }
    if (alignment > kMallocAlignment) return real_memalign(alignment, size);
    return zeroed ? real_calloc(1, size) : real_malloc(size);
}

// A guarded block handed to free or realloc (held lock): false when it was freed already. During
// a call, that and a damaged canary end the worker, blaming the call; outside one (a thread the
// library left running) there is no call to blame.
bool still_live(const Block& b, bool via_realloc) {
    const bool blame = g_guarding.load(std::memory_order_relaxed);
    if (b.state == State::Freed) {
        if (blame) freed_twice(b, via_realloc);
        return false;
    }
    if (blame) check_canaries(b);
    return true;
}

void release(void* p) {
    if (!p) return;
    const auto u = reinterpret_cast<std::uintptr_t>(p);
    if (g_entries.load(std::memory_order_acquire) != 0) {
        Locked hold(g_lock);
        if (const long i = find(u); i >= 0) {
            if (still_live(g_table[static_cast<std::size_t>(i)], false))
                retire(static_cast<std::size_t>(i));
            return;
        }
    }
    if (g_guarding.load(std::memory_order_relaxed)) check_foreign(u, false);
    ++t_in_foreign_free;
    real_free(p);
    --t_in_foreign_free;
}

void* reallocate(void* p, std::size_t size) {
    if (!p) return allocate(size, kMallocAlignment, false);
    const auto u = reinterpret_cast<std::uintptr_t>(p);
    if (g_entries.load(std::memory_order_acquire) != 0) {
        std::size_t old_size = 0;
        bool ours = false;
        {
            Locked hold(g_lock);
            if (const long i = find(u); i >= 0) {
                const Block& b = g_table[static_cast<std::size_t>(i)];
                if (!still_live(b, true)) {
                    errno = ENOMEM;
                    return nullptr;
                }
                ours = true;
                old_size = b.size;
            }
        }
        if (ours) {
            // glibc's realloc(p, 0) frees p and returns NULL; so does this one.
            if (size == 0) {
                release(p);
                return nullptr;
            }
            void* q = allocate(size, kMallocAlignment, false);
            if (!q) return nullptr;
            std::memcpy(q, p, old_size < size ? old_size : size);
            release(p);
            return q;
        }
    }
    if (g_guarding.load(std::memory_order_relaxed)) check_foreign(u, true);
    ++t_in_foreign_free;
    void* q = real_realloc(p, size);
    --t_in_foreign_free;
    return q;
}

std::size_t usable_size(void* p) {
    if (!p) return 0;
    if (g_entries.load(std::memory_order_acquire) != 0) {
        Locked hold(g_lock);
        // Exactly the size asked for: the slack belongs to the canary.
        if (const long i = find(reinterpret_cast<std::uintptr_t>(p)); i >= 0)
            return g_table[static_cast<std::size_t>(i)].size;
    }
    return real_usable_size(p);
}

GRADER_SIGNAL_SAFE bool classify(std::uintptr_t addr, std::uint64_t& size) {
    if (g_entries.load(std::memory_order_acquire) == 0) return false;
    if (addr < g_lo || addr >= g_hi) return false;
    for (const Block& b : g_table) {
        if (b.state == State::Empty) continue;
        const std::uintptr_t guard = b.user + b.rounded;
        if (addr >= guard && addr < guard + g_page) {
            size = b.size;
            return true;
        }
    }
    return false;
}

GRADER_SIGNAL_SAFE bool in_foreign_free() {
    return t_in_foreign_free > 0 && g_guarding.load(std::memory_order_relaxed);
}

}  // namespace grader::sandbox::heap
