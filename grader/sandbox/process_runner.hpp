#pragma once
// The real Runner: every call of a submission runs in a sandboxed worker process (a fresh exec of
// the grader binary); a crash, time-out or garbled reply costs only the call it happened in.

#include <memory>
#include <string>
#include <vector>

#include "grader/abi/signature.hpp"
#include "grader/sandbox/runner.hpp"

namespace grader::sandbox {

struct ProcessRunnerConfig {
    std::string worker_exe;                 // the grader binary; exec'd as `worker_exe __worker`
    std::string library;                    // the submission
    std::vector<abi::Signature> functions;  // what Call::function indexes
    Limits limits;
    // Files the worker must not see even where they lie among the system libraries: the
    // reference libraries of an installed grader (worker_root.hpp).
    std::vector<std::string> hidden;
};

// Starts nothing yet: the worker is started by load() (or the first run()). Throws grader::Error
// when the worker executable cannot be run.
std::unique_ptr<Runner> make_process_runner(ProcessRunnerConfig config);

}  // namespace grader::sandbox
