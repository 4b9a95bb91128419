#include "grader/sandbox/limits.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace grader::sandbox {

namespace {

// The worker's whole life may not use more CPU than this: a grader that cannot kill it (gone,
// stopped) still gets rid of it. Per call, CpuBackstop lowers the soft limit far below.
constexpr rlim_t kLifetimeCpuSeconds = 3600;

// As nobody the worker shares RLIMIT_NPROC's per-user count only with other workers (parallel
// grading); threads count too, so leave room for a few per worker.
constexpr rlim_t kNobodyTasks = 64;

bool set_limit(int resource, rlim_t soft, rlim_t hard, const char* what, SandboxReport& report) {
    const rlimit rl{soft, hard};
    if (::setrlimit(resource, &rl) == 0) return true;
    report.warnings.push_back(std::string("rlimits: cannot limit ") + what + ": " +
                              std::strerror(errno));
    return false;
}

}  // namespace

void apply_rlimits(std::uint64_t memory_bytes, std::uint32_t open_files, double cpu_seconds,
                   bool dropping_uid, SandboxReport& report) {
    bool ok = true;
#ifndef GRADER_SANITIZED
    // The address space bounds the heap, the stacks of any threads, and the arena.
    ok &= set_limit(RLIMIT_AS, memory_bytes, memory_bytes, "the address space", report);
#else
    // AddressSanitizer reserves terabytes of address space: no RLIMIT_AS under it.
    (void)memory_bytes;
#endif
    // Loading gets the call's budget plus a few seconds; each call then lowers it (CpuBackstop).
    const auto first = static_cast<rlim_t>(std::ceil(cpu_seconds)) + 10;
    ok &= set_limit(RLIMIT_CPU, std::min(first, kLifetimeCpuSeconds - 1), kLifetimeCpuSeconds,
                    "CPU time", report);
    ok &= set_limit(RLIMIT_NOFILE, open_files, open_files, "open files", report);
    // No file may grow: writing to any file raises SIGXFSZ (→ Forbidden "wrote to a file").
    ok &= set_limit(RLIMIT_FSIZE, 0, 0, "file size", report);
    ok &= set_limit(RLIMIT_CORE, 0, 0, "core dumps", report);
    if (dropping_uid) {
        ok &= set_limit(RLIMIT_NPROC, kNobodyTasks, kNobodyTasks, "processes", report);
    }
    // Without the uid drop RLIMIT_NPROC would count every process of the person grading (their
    // desktop alone may exceed any small limit and stop all threads), so it is left alone: seccomp
    // forbids new processes, and RLIMIT_AS bounds how many thread stacks fit.
    if (ok) report.layers.push_back("rlimits");
}

bool drop_privileges(SandboxReport& report) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
        report.warnings.push_back(std::string("uid-drop: cannot become nobody: ") +
                                  std::strerror(errno));
        return false;
    }
    if (::getuid() != kNobody || ::geteuid() != kNobody || ::getegid() != kNobody) {
        report.warnings.push_back("uid-drop: the worker still has another identity after setuid");
        return false;
    }
    report.layers.push_back("uid-drop");
    return true;
}

bool drop_capabilities(SandboxReport& report) {
    // The bounding set first (dropping from it needs CAP_SETPCAP, which goes last), so that not
    // even an exec could give a capability back; then ambient, then the sets themselves.
    for (int cap = 0; cap <= 63; ++cap) {
        if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break;  // past the kernel's last
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            report.warnings.push_back(std::string("userns: cannot drop a capability: ") +
                                      std::strerror(errno));
            return false;
        }
    }
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[2]{};
    if (::syscall(SYS_capset, &header, none) != 0) {
        report.warnings.push_back(std::string("userns: cannot drop the capabilities: ") +
                                  std::strerror(errno));
        return false;
    }
    return true;
}

void restrict_process(SandboxReport& report) {
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // Dropping the uid cleared the parent-death signal set before exec: set it again, so that a
    // grader killed with SIGKILL leaves no worker spinning behind it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
        report.layers.push_back("no_new_privs");
    else
        report.warnings.push_back(std::string("no_new_privs: ") + std::strerror(errno));
}

void CpuBackstop::before_call(double used_seconds, double call_limit_seconds) {
    const double wanted = std::ceil(used_seconds + call_limit_seconds) + 1;
    auto soft = static_cast<rlim_t>(std::min(wanted, static_cast<double>(kLifetimeCpuSeconds - 1)));
    // Only touch the limit when it drifted: most calls take microseconds.
    if (soft_ >= soft && soft_ <= soft + 2) return;
    const rlimit rl{soft, kLifetimeCpuSeconds};
    if (::setrlimit(RLIMIT_CPU, &rl) == 0) soft_ = soft;
}

}  // namespace grader::sandbox
