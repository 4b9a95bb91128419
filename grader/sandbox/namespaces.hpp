#pragma once
// The namespaces a worker is started in. The grader creates them when it starts the worker (clone
// with CLONE_NEW*), so the worker never shares a process table, a network, IPC objects or a mount
// table with the grader; the worker then builds its own root from what loading needs
// (worker_root.hpp). As root the worker gets no user namespace: it drops to nobody instead, and a
// user namespace would add nothing to that. A kernel or container that refuses namespaces gets a
// worker without them, and the report lists the layers that are missing.

#include <cstdint>
#include <string>
#include <vector>

namespace grader::sandbox {

enum Namespace : std::uint32_t {
    kUserNs = 1u << 0,
    kMountNs = 1u << 1,
    kPidNs = 1u << 2,
    kNetNs = 1u << 3,
    kIpcNs = 1u << 4,
};

// The layer names the report shows for the namespaces in `set` ("userns", "mountns", ...).
std::vector<std::string> namespace_layers(std::uint32_t set);

}  // namespace grader::sandbox
