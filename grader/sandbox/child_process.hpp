#pragma once
// Starting the worker: clone + exec of the grader binary as `grader __worker`, in namespaces of its
// own, with an empty environment, its own session, and only its channel descriptors open.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "grader/sandbox/mapping.hpp"
#include "grader/sandbox/shared_state.hpp"
#include "grader/sandbox/unique_fd.hpp"

namespace grader::sandbox {

// Owns a child process: the destructor kills its process group and reaps it, so the grader never
// leaves a worker behind, whatever path it leaves by.
class ChildProcess {
  public:
    ChildProcess() = default;
    explicit ChildProcess(pid_t pid);
    ~ChildProcess();
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    explicit operator bool() const { return pid_ > 0; }
    // SIGKILL to the child's session (it is its process group leader) and to the child itself.
    void kill();
    // The wait status once the child has ended, waiting at most `seconds`; nullopt if it still
    // runs.
    std::optional<int> wait_for(double seconds);
    // Kills if needed and reaps; returns the wait status.
    int kill_and_wait();

  private:
    pid_t pid_ = -1;
    UniqueFd pidfd_;  // pollable exit, when the kernel has pidfd_open
    std::optional<int> status_;
};

// The grader's ends of a running worker.
struct WorkerProcess {
    ChildProcess process;
    UniqueFd request;              // write end, non-blocking
    UniqueFd reply;                // read end, non-blocking
    UniqueFd output;               // the worker's stdout+stderr, read end, non-blocking
    Mapping shared;                // SharedState
    std::uint32_t namespaces = 0;  // the Namespace set it was started in
    const SharedState& state() const {
        return *reinterpret_cast<const SharedState*>(shared.data());
    }
};

// Starts the worker in new namespaces (namespaces.hpp) where the kernel allows them, else without.
// Throws grader::Error when the worker cannot be started (no pipes, no fork, exec failed).
WorkerProcess spawn_worker(const std::string& worker_exe);

// Why workers run without namespaces, once the kernel has refused them; empty if it has not.
std::string namespace_refusal();

}  // namespace grader::sandbox
