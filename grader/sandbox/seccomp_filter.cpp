#include "grader/sandbox/seccomp_filter.hpp"

#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "grader/sandbox/fault_handler.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/unique_fd.hpp"

namespace grader::sandbox {

namespace {

// Owns a libseccomp context; records the first failure as a warning.
class Filter {
  public:
    Filter(std::uint32_t default_action, std::vector<std::string>& warnings) : warnings_(warnings) {
        ctx_ = ::seccomp_init(default_action);
        if (!ctx_) {
            fail("cannot create a filter", -ENOMEM);
            return;
        }
        // Threads a constructor may have started get the filter too.
        check(::seccomp_attr_set(ctx_, SCMP_FLTATR_CTL_TSYNC, 1), "cannot synchronise threads");
        // A 32-bit system call (int 0x80, or an x32 number) is refused like any other, and named:
        // the grader sees its architecture in the record.
        check(::seccomp_attr_set(ctx_, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP),
              "cannot refuse other architectures' system calls");
        // A binary tree instead of a list: every system call a call makes passes this filter.
        ::seccomp_attr_set(ctx_, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    }
    ~Filter() {
        if (ctx_) ::seccomp_release(ctx_);
    }
    Filter(const Filter&) = delete;
    Filter& operator=(const Filter&) = delete;

    template <typename... Cmp>
    void rule(std::uint32_t action, int nr, Cmp... cmp) {
        if (!ctx_ || failed_) return;
        const scmp_arg_cmp args[] = {cmp..., {}};
        check(::seccomp_rule_add_array(ctx_, action, nr, sizeof...(Cmp), args),
              "cannot add a rule");
    }
    void allow(std::initializer_list<int> calls) {
        for (int nr : calls) rule(SCMP_ACT_ALLOW, nr);
    }
    void trap(std::initializer_list<int> calls) {
        for (int nr : calls) rule(SCMP_ACT_TRAP, nr);
    }
    // A call this libseccomp may not know by name (newer than it): by name if it can, else by
    // the x86-64 number.
    void trap_named(const char* name, int x86_64_number) {
        int nr = ::seccomp_syscall_resolve_name(name);
#if defined(__x86_64__)
        if (nr == __NR_SCMP_ERROR) nr = x86_64_number;
#else
        (void)x86_64_number;
#endif
        if (nr >= 0) rule(SCMP_ACT_TRAP, nr);
    }
    // The filter as the kernel takes it (an array of struct sock_filter); empty if it could not
    // be built.
    std::string program() {
        if (!ctx_ || failed_) return {};
        UniqueFd out(::memfd_create("seccomp-filter", MFD_CLOEXEC));
        if (!out) {
            fail("cannot hold the compiled filter", -errno);
            return {};
        }
        check(::seccomp_export_bpf(ctx_, out.get()), "cannot compile the filter");
        std::string bytes;
        char buf[4096];
        ssize_t n = ::lseek(out.get(), 0, SEEK_SET);
        while (!failed_ && n >= 0 && (n = ::read(out.get(), buf, sizeof buf)) > 0)
            bytes.append(buf, static_cast<std::size_t>(n));
        if (n < 0) fail("cannot read the compiled filter back", -errno);
        return failed_ ? std::string() : bytes;
    }

  private:
    void check(int rc, const char* what) {
        if (rc < 0) fail(what, rc);
    }
    void fail(const char* what, int rc) {
        if (failed_) return;
        failed_ = true;
        warnings_.push_back(std::string("seccomp: ") + what + ": " + std::strerror(-rc));
    }
    scmp_filter_ctx ctx_ = nullptr;
    std::vector<std::string>& warnings_;
    bool failed_ = false;
};

constexpr scmp_datum_t kLow32 = 0xffffffffu;
// In ascending order: close_range's test below relies on it.
constexpr int kChannelFds[] = {protocol::kRequestFd, protocol::kReplyFd};
static_assert(kChannelFds[0] < kChannelFds[1]);

// What no submission may do, at load time or later. Constructors run under this filter: besides
// the escapes below, nothing that changes the file system or opens a file for writing, and none
// of the calls other judges' sandboxes were broken through (io_uring, userfaultfd, bpf,
// perf_event_open, keyrings, mount and namespace calls, personality, file handles).
void forbid_escapes(Filter& f, scmp_datum_t self) {
    // New processes: a child would outlive the worker's limits and the grader's kill.
    f.trap({SCMP_SYS(fork), SCMP_SYS(vfork), SCMP_SYS(execve), SCMP_SYS(execveat)});
    f.rule(SCMP_ACT_TRAP, SCMP_SYS(clone), SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    // clone3 passes its flags in memory a filter cannot read: glibc falls back to clone on ENOSYS.
    f.rule(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3));
    // No network, no peeking into or steering other processes.
    f.trap({SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv),
            SCMP_SYS(process_vm_writev), SCMP_SYS(tkill), SCMP_SYS(pidfd_open),
            SCMP_SYS(pidfd_send_signal), SCMP_SYS(pidfd_getfd), SCMP_SYS(process_madvise)});
    // Signals only to itself (raise, abort): never to the grader or another worker.
    f.rule(SCMP_ACT_TRAP, SCMP_SYS(kill), SCMP_A0(SCMP_CMP_NE, self));
    f.rule(SCMP_ACT_TRAP, SCMP_SYS(tgkill), SCMP_A0(SCMP_CMP_NE, self));
    // io_uring runs its operations (close among them) where no filter sees them.
    f.trap({SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter), SCMP_SYS(io_uring_register)});
    // The kernel's larger attack surfaces, and what would undo the worker's namespaces and root.
    f.trap({SCMP_SYS(userfaultfd),
            SCMP_SYS(perf_event_open),
            SCMP_SYS(bpf),
            SCMP_SYS(keyctl),
            SCMP_SYS(add_key),
            SCMP_SYS(request_key),
            SCMP_SYS(mount),
            SCMP_SYS(umount2),
            SCMP_SYS(pivot_root),
            SCMP_SYS(chroot),
            SCMP_SYS(unshare),
            SCMP_SYS(setns),
            SCMP_SYS(personality),
            SCMP_SYS(open_by_handle_at),
            SCMP_SYS(name_to_handle_at),
            SCMP_SYS(fsopen),
            SCMP_SYS(fsconfig),
            SCMP_SYS(fsmount),
            SCMP_SYS(fspick),
            SCMP_SYS(move_mount),
            SCMP_SYS(open_tree),
            SCMP_SYS(mount_setattr),
            SCMP_SYS(kexec_load),
            SCMP_SYS(kexec_file_load),
            SCMP_SYS(init_module),
            SCMP_SYS(finit_module),
            SCMP_SYS(delete_module),
            SCMP_SYS(modify_ldt),
            SCMP_SYS(iopl),
            SCMP_SYS(ioperm),
            SCMP_SYS(uselib),
            SCMP_SYS(acct),
            SCMP_SYS(swapon),
            SCMP_SYS(swapoff),
            SCMP_SYS(reboot),
            SCMP_SYS(capset)});
    // The file system stays as it is: nothing made, removed, renamed, linked, truncated or
    // changed in its modes, owners, times or attributes.
    f.trap({SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(rename), SCMP_SYS(renameat),
            SCMP_SYS(renameat2), SCMP_SYS(truncate), SCMP_SYS(ftruncate), SCMP_SYS(fallocate),
            SCMP_SYS(symlink), SCMP_SYS(symlinkat), SCMP_SYS(link), SCMP_SYS(linkat),
            SCMP_SYS(mkdir), SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(mknod), SCMP_SYS(mknodat),
            SCMP_SYS(chmod), SCMP_SYS(fchmod), SCMP_SYS(fchmodat), SCMP_SYS(chown),
            SCMP_SYS(fchown), SCMP_SYS(lchown), SCMP_SYS(fchownat), SCMP_SYS(utime),
            SCMP_SYS(utimes), SCMP_SYS(utimensat), SCMP_SYS(futimesat), SCMP_SYS(setxattr),
            SCMP_SYS(lsetxattr), SCMP_SYS(fsetxattr), SCMP_SYS(removexattr), SCMP_SYS(lremovexattr),
            SCMP_SYS(fremovexattr), SCMP_SYS(creat),
            // openat2 passes its flags in memory a filter cannot read.
            SCMP_SYS(openat2)});
    f.trap_named("fchmodat2", 452);
    // Opening for writing, creating or truncating, by either call that takes flags in a register.
    for (const scmp_datum_t bit :
         {scmp_datum_t{O_WRONLY}, scmp_datum_t{O_RDWR}, scmp_datum_t{O_CREAT},
          scmp_datum_t{O_TRUNC}, scmp_datum_t{O_APPEND}}) {
        f.rule(SCMP_ACT_TRAP, SCMP_SYS(open), SCMP_A1(SCMP_CMP_MASKED_EQ, bit, bit));
        f.rule(SCMP_ACT_TRAP, SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, bit, bit));
    }
    // The channel to the grader stays open and stays the grader's: a library that closed or
    // replaced it would lose the replies of calls that did nothing wrong, and could not be named.
    // The kernel reads a descriptor as 32 bits, so only the low half of the register is compared.
    // This filter stays in force under the call filter (stacked filters: the strictest answer
    // wins), so it covers calls as well as constructors.
    for (const int fd : kChannelFds) {
        const auto d = static_cast<scmp_datum_t>(fd);
        f.rule(SCMP_ACT_TRAP, SCMP_SYS(close), SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, d));
        f.rule(SCMP_ACT_TRAP, SCMP_SYS(dup2), SCMP_A1(SCMP_CMP_MASKED_EQ, kLow32, d));
        f.rule(SCMP_ACT_TRAP, SCMP_SYS(dup3), SCMP_A1(SCMP_CMP_MASKED_EQ, kLow32, d));
    }
    // close_range(first, last, flags) reaching either descriptor; bounds with bits above 32 are
    // refused too, since the kernel drops those bits and a range test on the register would lie.
    f.rule(SCMP_ACT_TRAP, SCMP_SYS(close_range),
           SCMP_A0(SCMP_CMP_LE, static_cast<scmp_datum_t>(kChannelFds[1])),
           SCMP_A1(SCMP_CMP_GE, static_cast<scmp_datum_t>(kChannelFds[0])));
    f.rule(SCMP_ACT_TRAP, SCMP_SYS(close_range), SCMP_A0(SCMP_CMP_GT, kLow32));
    f.rule(SCMP_ACT_TRAP, SCMP_SYS(close_range), SCMP_A1(SCMP_CMP_GT, kLow32));
}

// Allows close() of every descriptor but the channel's. An allowlist cannot say "all but one"
// (libseccomp lets an unconditional allow override conditional refusals), so the allowed
// descriptors are spelled as patterns of their low 32 bits: each small one that is not a
// channel descriptor, and every value with a bit from 3 up set.
void allow_close_but_channel(Filter& f) {
    static_assert(kChannelFds[0] >= 0 && kChannelFds[1] < 8);
    for (int fd = 0; fd < 8; ++fd)
        if (fd != kChannelFds[0] && fd != kChannelFds[1])
            f.rule(SCMP_ACT_ALLOW, SCMP_SYS(close),
                   SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, static_cast<scmp_datum_t>(fd)));
    for (int bit = 3; bit < 32; ++bit) {
        const scmp_datum_t b = scmp_datum_t{1} << bit;
        f.rule(SCMP_ACT_ALLOW, SCMP_SYS(close), SCMP_A0(SCMP_CMP_MASKED_EQ, b, b));
    }
}

std::string load_filter(std::vector<std::string>& warnings) {
    Filter f(SCMP_ACT_ALLOW, warnings);
    forbid_escapes(f, kSelfPlaceholder);
    return f.program();
}

std::string call_filter(std::vector<std::string>& warnings) {
    const scmp_datum_t self = kSelfPlaceholder;
    Filter f(SCMP_ACT_TRAP, warnings);
    // The channel and printing: any descriptor the worker already holds (no new ones: openat
    // below is read-only and Landlock refuses every path anyway); closing any but the channel's.
    f.allow({SCMP_SYS(read), SCMP_SYS(readv), SCMP_SYS(pread64), SCMP_SYS(write), SCMP_SYS(writev),
             SCMP_SYS(lseek), SCMP_SYS(fstat), SCMP_SYS(fcntl)});
    allow_close_but_channel(f);
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(newfstatat),
           SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_EQ, TCGETS));  // isatty()
    // Opening for writing is refused outright (Forbidden "openat"); reading is left to Landlock.
    constexpr scmp_datum_t kWriting = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, kWriting, 0));
    // Memory: malloc, thread stacks, the arena. No new executable memory: the code is loaded.
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(mmap), SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(mprotect), SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    f.allow({SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(madvise)});
    // Threads (clone with CLONE_THREAD only: see forbid_escapes) and their synchronisation.
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(clone),
           SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
    f.allow({SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list), SCMP_SYS(rseq),
             SCMP_SYS(set_tid_address), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
             SCMP_SYS(getcpu), SCMP_SYS(membarrier), SCMP_SYS(exit), SCMP_SYS(exit_group)});
    // Time, identity, randomness: harmless and used by ordinary numeric code.
    f.allow({SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
             SCMP_SYS(time), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
             SCMP_SYS(restart_syscall), SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid),
             SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
             SCMP_SYS(uname), SCMP_SYS(getrandom), SCMP_SYS(getrusage), SCMP_SYS(times)});
    // Limits: reading any; setting only the CPU soft limit (the worker's backstop, per call).
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0));
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), SCMP_A0(SCMP_CMP_EQ, 0),
           SCMP_A1(SCMP_CMP_EQ, RLIMIT_CPU));
    // Signals: masks and the submission's own handlers, but not for the signals the worker's
    // fault handler needs (SIGSEGV, SIGSYS, …): a replaced handler would hide the verdict.
    f.allow({SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(sigaltstack)});
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), SCMP_A1(SCMP_CMP_EQ, 0));
    for (int sig = 1; sig < 65; ++sig) {
        bool handled = false;
        for (int h : kHandledSignals) handled |= h == sig;
        if (!handled)
            f.rule(SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction),
                   SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(sig)));
    }
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(kill), SCMP_A0(SCMP_CMP_EQ, self));
    f.rule(SCMP_ACT_ALLOW, SCMP_SYS(tgkill), SCMP_A0(SCMP_CMP_EQ, self));
    f.rule(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3));
    return f.program();
}

}  // namespace

const FilterPrograms& filter_programs() {
    static const FilterPrograms programs = [] {
        FilterPrograms p;
        p.load = load_filter(p.warnings);
        p.call = call_filter(p.warnings);
        return p;
    }();
    return programs;
}

std::string refused_call(std::uint32_t arch, int number) {
    // x86-64 only: the other ABIs a 64-bit process can still enter the kernel through.
    constexpr std::uint32_t kX32Bit = 0x40000000;
    if (arch == SCMP_ARCH_X86)
        return "the 32-bit system call " + syscall_name(arch, number) +
               " (int 0x80: 32-bit system calls are not allowed)";
    if (arch == SCMP_ARCH_X86_64 && (static_cast<std::uint32_t>(number) & kX32Bit))
        return "the x32 system call " +
               syscall_name(arch, static_cast<int>(static_cast<std::uint32_t>(number) & ~kX32Bit)) +
               " (x32 system calls are not allowed)";
    return "the system call " + syscall_name(arch, number);
}

std::string syscall_name(std::uint32_t arch, int number) {
    char* name = ::seccomp_syscall_resolve_num_arch(arch, number);
    if (!name) name = ::seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, number);
    if (!name) return "system call " + std::to_string(number);
    std::string out(name);
    std::free(name);
    return out;
}

}  // namespace grader::sandbox
