#include "grader/sandbox/landlock.hpp"

#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "grader/sandbox/unique_fd.hpp"

namespace grader::sandbox {

namespace {

// The ruleset attribute grew with the ABI; older system headers lack the later fields.
struct RulesetAttr {
    std::uint64_t handled_access_fs;
    std::uint64_t handled_access_net;  // ABI 4
    std::uint64_t scoped;              // ABI 6
};

constexpr std::uint64_t kFsAbi1 = (1ull << 13) - 1;  // EXECUTE … MAKE_SYM
constexpr std::uint64_t kFsRefer = 1ull << 13;       // ABI 2
constexpr std::uint64_t kFsTruncate = 1ull << 14;    // ABI 3
constexpr std::uint64_t kFsIoctlDev = 1ull << 15;    // ABI 5
constexpr std::uint64_t kNetBindConnectTcp = 3;      // ABI 4: BIND_TCP | CONNECT_TCP
constexpr std::uint64_t kScopeUnixAndSignal = 3;     // ABI 6: ABSTRACT_UNIX_SOCKET | SIGNAL

}  // namespace

void apply_landlock(SandboxReport& report) {
#ifdef SYS_landlock_create_ruleset
    const long abi =
        ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        report.warnings.push_back(std::string("landlock: the kernel does not offer Landlock (") +
                                  std::strerror(errno) +
                                  "), so the submission can read files nobody may read");
        return;
    }
    RulesetAttr attr{kFsAbi1, 0, 0};
    std::size_t size = sizeof attr.handled_access_fs;
    if (abi >= 2) attr.handled_access_fs |= kFsRefer;
    if (abi >= 3) attr.handled_access_fs |= kFsTruncate;
    if (abi >= 5) attr.handled_access_fs |= kFsIoctlDev;
    if (abi >= 4) {
        attr.handled_access_net = kNetBindConnectTcp;
        size = 2 * sizeof(std::uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = kScopeUnixAndSignal;
        size = sizeof attr;
    }
    // Every right is handled and no rule grants any: nothing in the file system is reachable.
    UniqueFd ruleset(static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, size, 0)));
    if (!ruleset) {
        report.warnings.push_back(std::string("landlock: cannot create a ruleset: ") +
                                  std::strerror(errno));
        return;
    }
    if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
        report.warnings.push_back(std::string("landlock: cannot restrict the worker: ") +
                                  std::strerror(errno));
        return;
    }
    report.layers.push_back("landlock");
#else
    report.warnings.push_back("landlock: the grader was built without Landlock support");
#endif
}

}  // namespace grader::sandbox
