#include "grader/sandbox/seccomp_install.hpp"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "grader/sandbox/seccomp_filter.hpp"

namespace grader::sandbox {

namespace {

bool refuse(const char* stage, const std::string& why, SandboxReport& report) {
    report.warnings.push_back(std::string("seccomp: the ") + stage + " filter " + why);
    return false;
}

}  // namespace

bool install_filter(std::string_view program, const char* stage, SandboxReport& report) {
    if (program.empty()) return false;  // the grader's warning says why
    const std::size_t count = program.size() / sizeof(sock_filter);
    if (program.size() % sizeof(sock_filter) != 0 || count > BPF_MAXINSNS)
        return refuse(stage, "the grader sent is not a filter program", report);
    std::vector<sock_filter> code(count);
    std::memcpy(code.data(), program.data(), program.size());
    // Signals to itself only: the comparisons with the placeholder become comparisons with the
    // id this process has (1 or 2 in its own PID namespace, the machine's id without one).
    const auto self = static_cast<std::uint32_t>(::getpid());
    std::size_t patched = 0;
    for (sock_filter& insn : code) {
        if (BPF_CLASS(insn.code) == BPF_JMP && BPF_SRC(insn.code) == BPF_K &&
            insn.k == kSelfPlaceholder) {
            insn.k = self;
            ++patched;
        }
    }
    if (patched == 0)
        return refuse(stage, "the grader sent does not name the worker's own process", report);
    const sock_fprog prog{static_cast<unsigned short>(count), code.data()};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return refuse(stage, std::string("cannot be installed: ") + std::strerror(errno), report);
    // A positive answer is the id of a thread that could not be synchronised.
    const long rc =
        ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
    if (rc > 0) return refuse(stage, "cannot be applied to every thread", report);
    if (rc < 0)
        return refuse(stage, std::string("cannot be installed: ") + std::strerror(errno), report);
    return true;
}

}  // namespace grader::sandbox
