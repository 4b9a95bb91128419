#include "grader/sandbox/landlock.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

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

namespace {

// A ruleset handling every right the kernel knows, so that whatever no rule grants is refused.
UniqueFd make_ruleset(long abi, std::string& error) {
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
    UniqueFd ruleset(static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, size, 0)));
    if (!ruleset) error = std::string("cannot create a ruleset: ") + std::strerror(errno);
    return ruleset;
}

long landlock_abi() {
    return ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
}

}  // namespace

bool apply_landlock_for_loading(const std::vector<std::string>& readable, SandboxReport& report) {
    const long abi = landlock_abi();
    if (abi < 1) {
        report.warnings.push_back(std::string("landlock: the kernel does not offer Landlock (") +
                                  std::strerror(errno) +
                                  "), so the submission can read files nobody may read");
        return false;
    }
    std::string error;
    UniqueFd ruleset = make_ruleset(abi, error);
    if (!ruleset) {
        report.warnings.push_back("landlock: " + error);
        return false;
    }
    // Reading what the loader needs, nothing else: no execute right (dlopen maps, it does not
    // execute), no write, no truncate, no making or removing of anything.
    constexpr std::uint64_t kRead = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    constexpr std::uint64_t kReadFile = LANDLOCK_ACCESS_FS_READ_FILE;
    for (const std::string& path : readable) {
        UniqueFd at(::open(path.c_str(), O_PATH | O_CLOEXEC));
        if (!at) continue;  // this machine has no such directory
        struct stat st {};
        ::fstat(at.get(), &st);
        landlock_path_beneath_attr rule{S_ISDIR(st.st_mode) ? kRead : kReadFile, at.get()};
        if (::syscall(SYS_landlock_add_rule, ruleset.get(), LANDLOCK_RULE_PATH_BENEATH, &rule, 0) !=
            0) {
            report.warnings.push_back("landlock: cannot allow reading " + path + ": " +
                                      std::strerror(errno));
            return false;
        }
    }
    if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
        report.warnings.push_back(std::string("landlock: cannot restrict the worker: ") +
                                  std::strerror(errno));
        return false;
    }
    report.layers.push_back("landlock");
    return true;
}

void apply_landlock(SandboxReport& report) {
    const long abi = landlock_abi();
    if (abi < 1) return;  // said once, by apply_landlock_for_loading
    std::string error;
    UniqueFd ruleset = make_ruleset(abi, error);
    // Every right is handled and no rule grants any: nothing in the file system is reachable.
    if (!ruleset || ::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
        report.warnings.push_back("landlock: cannot close the file system after loading (" +
                                  (error.empty() ? std::string(std::strerror(errno)) : error) +
                                  "); only the system libraries stay readable");
    }
}

}  // namespace grader::sandbox
