#pragma once
// Limits given on the command line, applied the same way by every command that grades (`grade`,
// `batch`, `regrade`), and the worker configuration that follows from prepared cases.

#include <optional>
#include <string>

#include "grader/grading/prepared.hpp"
#include "grader/sandbox/process_runner.hpp"

namespace grader::grading {

struct LimitOverrides {
    std::optional<double> time_limit;    // seconds per call, for every case
    std::optional<double> memory_limit;  // MiB of address space, for every case
    bool require_sandbox = false;
};

// Limits given on the command line win over the spec's, for every call.
void apply_overrides(Prepared& prepared, const LimitOverrides& overrides);

// The worker for one submission of these cases.
// `reference`: the reference library's path, if grading with one; the worker's root covers it
// where it lies among the system libraries (an installed grader).
sandbox::ProcessRunnerConfig worker_config(const Prepared& prepared, const std::string& worker_exe,
                                           const std::string& library,
                                           const LimitOverrides& overrides,
                                           const std::string& reference = "");

}  // namespace grader::grading
