#pragma once
// The worker's seccomp filters, in two stages because dlopen needs what calls must not have:
//  - the load filter (before dlopen) allows everything except what no submission may ever do:
//    new processes, exec, sockets, ptrace, io_uring, signals to other processes, closing or
//    replacing the channel's descriptors. Constructors run under it, and it stays in force.
//  - the call filter (after dlopen, before the first call) allows only what numeric code,
//    malloc, threads and the channel need (close, but not of the channel). The loader opens
//    and maps the library and its dependencies with PROT_EXEC, which this filter refuses;
//    hence it comes after dlopen.
// A refused call raises SIGSYS (SECCOMP_RET_TRAP): the fault handler records its number and the
// grader names it (Forbidden). Filters apply to every thread (TSYNC).
//
// The grader compiles both (libseccomp) once per process and sends them in every worker's
// greeting; the worker installs them as they are (seccomp_install.hpp). Compiling took a fresh
// worker half a millisecond of its start, and the worker no longer loads libseccomp at all.

#include <cstdint>
#include <string>
#include <vector>

namespace grader::sandbox {

// Where the worker's own process id goes in a compiled filter (signals only to itself): the
// worker writes its id over it. Above any process id the kernel gives (at most 2^22).
inline constexpr std::uint32_t kSelfPlaceholder = 0x7ffffffe;

struct FilterPrograms {
    std::string load, call;  // arrays of struct sock_filter; empty when one could not be built
    std::vector<std::string> warnings;  // why, for the worker's report
};
// Built at the first use, then the same for every worker of this grader; thread-safe.
const FilterPrograms& filter_programs();

// The name of a system call, for the report (used by the grader): "socket", or "system call 999".
std::string syscall_name(std::uint32_t arch, int number);
// The refused call as the report names it: "the system call socket", "the 32-bit system call
// getpid (int 0x80: …)", "the x32 system call getpid (…)".
std::string refused_call(std::uint32_t arch, int number);

}  // namespace grader::sandbox
