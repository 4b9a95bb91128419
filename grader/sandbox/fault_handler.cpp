#include "grader/sandbox/fault_handler.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "grader/sandbox/guarded_heap.hpp"

// The handler runs on its own stack in a process that may be crumbling: under sanitizers it must
// not be instrumented (ASan would inspect that stack through /proc, which Landlock closes), and
// it makes raw system calls so that no interceptor runs either.
#define GRADER_SIGNAL_SAFE __attribute__((no_sanitize("address", "undefined")))

namespace grader::sandbox {

namespace {

SharedState* g_shared = nullptr;
int g_statm_fd = -1;
std::uint64_t g_memory_limit = 0;
std::uintptr_t g_page = 4096;
std::atomic<const GuardedRegion*> g_regions{nullptr};
std::atomic<int> g_region_count{0};

// The handler must run even when the fault is a stack overflow: give it its own stack.
alignas(64) char g_alt_stack[64 * 1024];

// VmSize from /proc/self/statm (first field, in pages), parsed without libc helpers.
GRADER_SIGNAL_SAFE std::uint64_t address_space_bytes() {
    if (g_statm_fd < 0) return 0;
    char buf[64];
    const long n = ::syscall(SYS_pread64, g_statm_fd, buf, sizeof buf, 0);
    std::uint64_t pages = 0;
    for (long i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
        pages = pages * 10 + static_cast<std::uint64_t>(buf[i] - '0');
    return pages * g_page;
}

// How Memory is told from Crash: under RLIMIT_AS an exhausted heap shows up as malloc returning
// NULL (errno ENOMEM; the code then faults on the NULL pointer), as operator new throwing
// bad_alloc (terminate → SIGABRT), or as a fault while the mapping space is all but used up.
// So a SIGSEGV/SIGBUS/SIGABRT counts as Memory when, at the moment of the fault, the faulting
// thread's errno is ENOMEM (the worker clears errno before each call) or the address space is
// within max(limit/16, 32 MiB) of the limit. Other crashes stay Crash.
GRADER_SIGNAL_SAFE bool out_of_memory(int saved_errno, bool calling, std::uint64_t vm) {
    if (g_memory_limit == 0) return false;
    if (calling && saved_errno == ENOMEM) return true;
    const std::uint64_t margin =
        g_memory_limit / 16 > (32u << 20) ? g_memory_limit / 16 : (32u << 20);
    return vm + margin >= g_memory_limit;
}

GRADER_SIGNAL_SAFE Fault classify_address(std::uintptr_t addr, SharedState& s) {
    const GuardedRegion* regions = g_regions.load(std::memory_order_acquire);
    const int count = g_region_count.load(std::memory_order_acquire);
    for (int i = 0; regions && i < count; ++i) {
        const GuardedRegion& r = regions[i];
        if (addr >= r.end && addr < r.end + g_page) {
            s.param = r.param;
            return r.input ? Fault::InputOverrun : Fault::OutputOverrun;
        }
        if (r.input && addr >= r.begin && addr < r.end) {
            s.param = r.param;
            return Fault::InputWrite;
        }
    }
    if (heap::classify(addr, s.block_bytes)) return Fault::HeapOverrun;
    return Fault::None;
}

// Fills the fields every record has; false if another thread's record came first.
GRADER_SIGNAL_SAFE bool claim(SharedState* s, int sig) {
    if (!s || s->claimed.exchange(1) != 0) return false;
    s->signal = sig;
    s->param = -1;
    s->write_access = -1;
    s->block_bytes = 0;
    s->free_target = 0;
    s->via_realloc = 0;
    s->vm_bytes = address_space_bytes();
    return true;
}

GRADER_SIGNAL_SAFE void on_fatal_signal(int sig, siginfo_t* info, void* context) {
    const int saved_errno = errno;
    SharedState* s = g_shared;
    if (claim(s, sig)) {
        const bool calling =
            s->phase.load(std::memory_order_relaxed) == static_cast<std::uint32_t>(Phase::Calling);
        Fault fault = Fault::Signal;
        if (sig == SIGSEGV || sig == SIGBUS) {
            const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
            s->address = addr;
#if defined(__x86_64__)
            // Bit 1 of the page-fault error code says whether the access was a write.
            const auto* uc = static_cast<const ucontext_t*>(context);
            s->write_access = (uc->uc_mcontext.gregs[REG_ERR] & 2) ? 1 : 0;
#else
            (void)context;
#endif
            const Fault where = classify_address(addr, *s);
            if (where != Fault::None)
                fault = where;
            else if (heap::in_foreign_free())
                fault = Fault::BadFree;
            else if (out_of_memory(saved_errno, calling, s->vm_bytes))
                fault = Fault::Memory;
        } else if (sig == SIGABRT) {
            // glibc's free() aborts on a pointer it never returned ("free(): invalid pointer")
            // and on most blocks freed twice.
            if (heap::in_foreign_free())
                fault = Fault::BadFree;
            else if (out_of_memory(saved_errno, calling, s->vm_bytes))
                fault = Fault::Memory;
        } else if (sig == SIGSYS) {
            fault = Fault::Syscall;
            s->syscall = info->si_syscall;
            s->arch = info->si_arch;
        } else if (sig == SIGXCPU) {
            fault = Fault::CpuLimit;
        } else if (sig == SIGXFSZ) {
            fault = Fault::FileSize;
        }
        s->fault.store(static_cast<std::uint32_t>(fault), std::memory_order_release);
    }
    ::syscall(SYS_exit_group, 128 + sig);
    __builtin_unreachable();
}

void install() {
    struct sigaction sa {};
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigfillset(&sa.sa_mask);  // one record: no other signal interrupts the handler
    for (int sig : kHandledSignals) ::sigaction(sig, &sa, nullptr);
}

}  // namespace

void install_fault_handlers(SharedState* shared, int statm_fd, std::uint64_t memory_limit) {
    g_shared = shared;
    g_statm_fd = statm_fd;
    g_memory_limit = memory_limit;
    g_page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    stack_t ss{};
    ss.ss_sp = g_alt_stack;
    ss.ss_size = sizeof g_alt_stack;
    ::sigaltstack(&ss, nullptr);
    install();
}

void reinstall_fault_handlers() {
    stack_t ss{};
    ss.ss_sp = g_alt_stack;
    ss.ss_size = sizeof g_alt_stack;
    ::sigaltstack(&ss, nullptr);
    install();
}

GRADER_SIGNAL_SAFE const GuardedRegion* guarded_region_containing(std::uintptr_t addr) {
    const GuardedRegion* regions = g_regions.load(std::memory_order_acquire);
    const int count = g_region_count.load(std::memory_order_acquire);
    for (int i = 0; regions && i < count; ++i)
        if (addr >= regions[i].begin && addr < regions[i].end) return &regions[i];
    return nullptr;
}

void report_heap_fault(const HeapFault& f) {
    const int sig =
        f.fault == Fault::HeapOverrun || f.fault == Fault::HeapUnderrun ? SIGSEGV : SIGABRT;
    SharedState* s = g_shared;
    if (claim(s, sig)) {
        s->param = f.param;
        s->write_access = f.write_access;
        s->block_bytes = f.bytes;
        s->free_target = static_cast<std::uint32_t>(f.target);
        s->via_realloc = f.via_realloc ? 1 : 0;
        s->fault.store(static_cast<std::uint32_t>(f.fault), std::memory_order_release);
    }
    ::syscall(SYS_exit_group, 128 + sig);
    __builtin_unreachable();
}

void set_guarded_regions(const GuardedRegion* regions, int count) {
    g_region_count.store(0, std::memory_order_release);
    g_regions.store(regions, std::memory_order_release);
    g_region_count.store(count, std::memory_order_release);
}

}  // namespace grader::sandbox
