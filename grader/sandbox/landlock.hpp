#pragma once
// Landlock for the worker: once the submission is loaded, no file may be opened, read, written,
// executed or created at all (not exercises.yaml, not the reference library, not /proc/<grader>),
// and, where the kernel can, no TCP and no signals or abstract sockets outside the worker.

#include "grader/sandbox/limits.hpp"

namespace grader::sandbox {

// Restricts the calling thread (and threads it starts later). Adds "landlock" to the layers, or a
// warning saying why not. Needs no_new_privs.
void apply_landlock(SandboxReport& report);

}  // namespace grader::sandbox
