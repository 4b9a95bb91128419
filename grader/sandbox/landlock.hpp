#pragma once
// Landlock for the worker: while the submission loads, only the system libraries may be read;
// once it is loaded, no file may be opened, read, written, executed or created at all (not
// exercises.yaml, not the reference library, not /proc/<grader>), and, where the kernel can, no
// TCP and no signals or abstract sockets outside the worker.

#include <string>
#include <vector>

#include "grader/sandbox/limits.hpp"

namespace grader::sandbox {

// Before loading: the calling thread (and threads it starts later) may only read beneath the
// paths in `readable` (the system libraries and the loader's cache, or the worker's own root).
// Adds "landlock" to the layers, or a warning saying why not. Needs no_new_privs.
bool apply_landlock_for_loading(const std::vector<std::string>& readable, SandboxReport& report);

// After loading: a second ruleset on top of the first, granting nothing. Threads a constructor
// started keep the first one only; the loader's rights are all they have.
void apply_landlock(SandboxReport& report);

}  // namespace grader::sandbox
