#include "grader/sandbox/namespaces.hpp"

namespace grader::sandbox {

std::vector<std::string> namespace_layers(std::uint32_t set) {
    std::vector<std::string> out;
    if (set & kUserNs) out.push_back("userns");
    if (set & kMountNs) out.push_back("mountns");
    if (set & kPidNs) out.push_back("pidns");
    if (set & kNetNs) out.push_back("netns");
    if (set & kIpcNs) out.push_back("ipcns");
    return out;
}

}  // namespace grader::sandbox
