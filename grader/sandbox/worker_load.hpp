#pragma once
// The worker's start: limits, privilege drop, loading the submission, then the sandbox proper.

#include <vector>

#include "grader/abi/ffi_call.hpp"
#include "grader/sandbox/protocol.hpp"
#include "grader/sandbox/shared_state.hpp"

namespace grader::sandbox::worker {

// Per function of the Hello: its address, or nullptr when the library does not export it.
// On return `loaded` holds what the grader is told; when loaded.error is set, the functions are
// all null and nothing of the library may be called.
std::vector<abi::FunctionPointer> load_submission(const protocol::Hello& hello, SharedState& shared,
                                                  protocol::Loaded& loaded);

}  // namespace grader::sandbox::worker
