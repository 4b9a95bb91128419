#pragma once
// The worker's side of the seccomp filters (seccomp_filter.hpp): installing the programs the
// grader compiled, with the worker's own process id written in, on every thread (TSYNC).

#include <string_view>

#include "grader/sandbox/limits.hpp"

namespace grader::sandbox {

// Installs `program` (struct sock_filter[], as filter_programs() built it). False, with a
// warning in the report naming `stage` ("load", "call"), when it is empty or the kernel refuses.
bool install_filter(std::string_view program, const char* stage, SandboxReport& report);

}  // namespace grader::sandbox
