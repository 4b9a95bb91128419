#pragma once
// The worker's resource limits and privilege drop, applied before the submission is opened.

#include <cstdint>
#include <string>
#include <vector>

namespace grader::sandbox {

// What the sandbox managed to set up, reported in LoadResult.
struct SandboxReport {
    std::vector<std::string> layers;
    std::vector<std::string> warnings;
};

inline constexpr unsigned kNobody = 65534;

// RLIMIT_AS (skipped under sanitizers), RLIMIT_CPU backstop, NOFILE, NPROC, FSIZE, CORE.
// `dropping_uid`: the worker will become nobody (RLIMIT_NPROC counts per user).
void apply_rlimits(std::uint64_t memory_bytes, std::uint32_t open_files, double cpu_seconds,
                   bool dropping_uid, SandboxReport& report);

// As root: setgroups, setgid, setuid to nobody, in that order. Returns false (with a warning) if
// any step failed; the worker then refuses to load the submission.
bool drop_privileges(SandboxReport& report);

// In a user namespace the worker is root of that namespace, with every capability in it, until it
// has built its root: then all of them go (bounding, ambient, effective, permitted, inheritable).
bool drop_capabilities(SandboxReport& report);

// Non-dumpable (no ptrace, no /proc/<pid>/mem from outside), and no new privileges (required by
// seccomp and Landlock without CAP_SYS_ADMIN).
void restrict_process(SandboxReport& report);

// Keeps RLIMIT_CPU's soft limit one second above the running call's CPU budget, so the kernel
// stops a call that outlives a grader unable to kill it (SIGXCPU → Timeout).
class CpuBackstop {
  public:
    void before_call(double used_seconds, double call_limit_seconds);
    std::uint64_t soft() const { return soft_; }  // the soft limit it last set, 0 if none

  private:
    std::uint64_t soft_ = 0;
};

}  // namespace grader::sandbox
